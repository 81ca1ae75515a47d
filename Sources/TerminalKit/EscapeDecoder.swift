/// Turns what follows an ESC into an event, or swallows it. ncurses decodes the keys it knows;
/// everything else arrives as ESC plus characters: bracketed paste, and terminal replies (cursor
/// position reports `ESC[12;3R`, colour replies `ESC]11;rgb:…BEL`, focus events) that must never
/// land in a field.
public struct EscapeDecoder {
  public enum Result: Equatable {
    /// A lone ESC: the user pressed Escape.
    case escape
    case paste(String)
    /// A reply or sequence we do not use: dropped.
    case ignored
  }

  /// `next` yields the characters after ESC that are already waiting (nil when none is).
  public static func decode(next: () -> Character?) -> Result {
    guard let first = next() else { return .escape }
    switch first {
    case "[":
      var parameters = ""
      while let c = next() {
        if let ascii = c.asciiValue, (0x40...0x7E).contains(ascii) {
          if c == "~" && parameters == "200" { return .paste(readPaste(next)) }
          return .ignored
        }
        parameters.append(c)
        if parameters.count > 64 { return .ignored }
      }
      return .ignored
    case "]", "P", "_", "^":
      // OSC, DCS, APC, PM: up to BEL or ST (ESC \).
      var previousWasEscape = false
      while let c = next() {
        if c == "\u{07}" || (previousWasEscape && c == "\\") { break }
        previousWasEscape = c == "\u{1B}"
      }
      return .ignored
    default:
      return .ignored  // Alt+key and the like: not bound to anything
    }
  }

  private static func readPaste(_ next: () -> Character?) -> String {
    var text = ""
    while let c = next() {
      text.append(c)
      if text.hasSuffix("\u{1B}[201~") {
        text.removeLast(6)
        break
      }
      if text.count > 1_000_000 { break }
    }
    return text
  }
}
