/// SQL `LIKE`: `%` any run, `_` one character, `\` escapes the next; case-sensitive unless asked.
struct LikePattern {
  private enum Piece: Equatable { case literal(Character), one, any }
  private let pieces: [Piece]
  private let caseInsensitive: Bool

  init(_ pattern: String, caseInsensitive: Bool = false) {
    self.caseInsensitive = caseInsensitive
    var pieces: [Piece] = []
    var escaped = false
    for c in caseInsensitive ? pattern.lowercased() : pattern {
      if escaped {
        pieces.append(.literal(c))
        escaped = false
      } else if c == "\\" {
        escaped = true
      } else if c == "%" {
        if pieces.last != .any { pieces.append(.any) }
      } else if c == "_" {
        pieces.append(.one)
      } else {
        pieces.append(.literal(c))
      }
    }
    if escaped { pieces.append(.literal("\\")) }
    self.pieces = pieces
  }

  func matches(_ text: String) -> Bool {
    let chars = Array(caseInsensitive ? text.lowercased() : text)
    // Iterative matcher with one backtrack point for the last `%` (linear for these patterns).
    var p = 0
    var t = 0
    var star: Int? = nil
    var mark = 0
    while t < chars.count {
      if p < pieces.count, pieces[p] == .one || pieces[p] == .literal(chars[t]) {
        p += 1
        t += 1
      } else if p < pieces.count, pieces[p] == .any {
        star = p
        mark = t
        p += 1
      } else if let s = star {
        p = s + 1
        mark += 1
        t = mark
      } else {
        return false
      }
    }
    while p < pieces.count && pieces[p] == .any { p += 1 }
    return p == pieces.count
  }
}

extension LikeFilter {
  func accepts(_ name: String) -> Bool {
    LikePattern(pattern, caseInsensitive: isCaseInsensitive).matches(name) != isNegated
  }
}
