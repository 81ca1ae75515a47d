/// A single-line text field's content and cursor, with the usual editing keys. A value: the
/// reducer owns it, views only draw it.
public struct LineEditor: Sendable, Equatable {
  public private(set) var characters: [Character]
  /// Insertion point, 0...characters.count.
  public private(set) var cursor: Int

  public init(_ text: String = "") {
    characters = Array(text)
    cursor = characters.count
  }

  public var text: String { String(characters) }
  public var isEmpty: Bool { characters.isEmpty }

  public mutating func set(_ text: String) {
    characters = Array(text)
    cursor = characters.count
  }

  /// Inserts typed or pasted text; line breaks and other control characters are dropped.
  public mutating func insert(_ text: String) {
    let clean = text.filter { character in
      !character.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }
    }
    characters.insert(contentsOf: clean, at: cursor)
    cursor += clean.count
  }

  /// Applies an editing key; false when the key is not an editing key (the caller handles it).
  public mutating func handle(_ key: Key) -> Bool {
    switch key {
    case .character(let c): insert(String(c))
    case .backspace, .control("h"):
      if cursor > 0 {
        characters.remove(at: cursor - 1)
        cursor -= 1
      }
    case .delete, .control("d"):
      if cursor < characters.count { characters.remove(at: cursor) }
    case .left, .control("b"): cursor = max(0, cursor - 1)
    case .right, .control("f"): cursor = min(characters.count, cursor + 1)
    case .home, .control("a"): cursor = 0
    case .end, .control("e"): cursor = characters.count
    case .control("u"):
      characters.removeSubrange(0..<cursor)
      cursor = 0
    case .control("k"): characters.removeSubrange(cursor...)
    case .control("w"):
      var start = cursor
      while start > 0 && characters[start - 1] == " " { start -= 1 }
      while start > 0 && characters[start - 1] != " " { start -= 1 }
      characters.removeSubrange(start..<cursor)
      cursor = start
    default:
      return false
    }
    return true
  }

  /// The visible part for a field `width` columns wide, and the cursor's column in it.
  public func visible(width: Int) -> (text: String, cursorColumn: Int) {
    guard width > 0 else { return ("", 0) }
    var start = 0
    var before = displayWidth(String(characters[0..<cursor]))
    while before >= width && start < cursor {
      before -= displayWidth(of: characters[start])
      start += 1
    }
    var shown = ""
    var used = 0
    for character in characters[start...] {
      let w = displayWidth(of: character)
      if used + w > width { break }
      shown.append(character)
      used += w
    }
    return (shown, before)
  }
}
