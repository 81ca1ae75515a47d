/// Where a long script can be cut into pieces that parse and run exactly as the whole would: the
/// command line reads a script file a few megabytes at a time (bounded memory for a million
/// statements) and hands each piece to the engine.
public enum ScriptSegments {
  /// The offset just past the last `;` of `bytes` that ends a statement and is followed, within
  /// `bytes`, by the start of another (not by a second `;`): the tokens before it are what
  /// lexing the whole script gives, and the rest starts a statement. Nil when there is none.
  public static func lastBoundary(in bytes: [UInt8]) -> Int? {
    lastBoundary(in: bytes, from: 0).boundary
  }

  /// The same, lexing from `start`: 0, or the `resumeAt` of a call on a prefix of `bytes` that
  /// found no boundary. `resumeAt` is where a call on `bytes` with more after them may start:
  /// the start of a token that more bytes cannot change, and no boundary before it. A statement
  /// longer than a piece (or a long run of `;`) is read in many rounds, and lexing each round
  /// from the start made that quadratic: a 26 MB INSERT took `sql -f` 2.7–3.7 s (now 1.65 s).
  public static func lastBoundary(in bytes: [UInt8], from start: Int) -> (boundary: Int?, resumeAt: Int) {
    let tokens = bytes.withUnsafeBufferPointer { Lexer.tokenize(pinned: $0, from: start) }
    // A literal, quoted name or comment cut off by the end of `bytes` lexes as a lone quote or a
    // lexical error, and what it holds as tokens (a `;` among them): only a `;` before the first
    // of those is one the whole script has.
    let trusted = tokens.firstIndex { mayBeCutOff($0, in: bytes) } ?? tokens.count - 1
    var index = trusted - 1  // the last token that may follow a boundary
    while index >= 1 {
      let token = tokens[index - 1]
      let next = tokens[index]
      if isSemicolon(token, bytes), next.kind != .endOfInput, !isSemicolon(next, bytes) { return (token.end, token.end) }
      index -= 1
    }
    // The last token more bytes cannot change: before the last trusted one (which the end may
    // cut, `SHO` of `SHOW`), and a `;` or followed by white space (no token reads on past it).
    var stable = trusted - 2
    while stable >= 0, !isSemicolon(tokens[stable], bytes), !(tokens[stable].end < bytes.count && Lexer.isWhiteSpace(bytes[tokens[stable].end])) {
      stable -= 1
    }
    return (nil, stable >= 0 ? tokens[stable].start : start)
  }

  /// Whether `bytes` hold no token at all (only spaces and comments).
  public static func isBlank(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { pinned in
      var lexer = Lexer(pinned)
      return lexer.next().kind == .endOfInput
    }
  }

  /// Whether `token` is what a literal, quoted name or comment cut off by the end of the bytes
  /// lexes as (a lone quote, a lexical error at the end of the bytes, the `E` of an `E'...'`
  /// that did not close): the whole script may lex it otherwise. A lexical error before the end
  /// (a `#`, a quoted name broken by a line break) is one in the whole script too: taking it for
  /// a cut made `check` read the rest of a long script again, on one core, after each.
  /// A `"` is a token of its own (Flink's names are quoted with back-ticks) unless it opens a
  /// `U&"..."` name: any other was taken for a cut-off name, and a JSON file, a `"` every few
  /// bytes, took `sql -f` a time that grew with the square of its size (173 s for 200 MB).
  static func mayBeCutOff<Bytes: RandomAccessCollection<UInt8>>(_ token: Token, in bytes: Bytes) -> Bool where Bytes.Index == Int {
    if case .lexicalError(let failure) = token.kind { return failure.atEndOfInput }
    if case .word = token.kind, Lexer.isUnclosedCStylePrefix(token, first: bytes[token.start], next: token.end < bytes.count ? bytes[token.end] : nil) {
      return true
    }
    guard token.kind == .symbol else { return false }
    switch bytes[token.start] {
    case UInt8(ascii: "'"): return true
    case UInt8(ascii: "\""): return token.start >= 2 && bytes[token.start - 1] == UInt8(ascii: "&") && bytes[token.start - 2] | 0x20 == UInt8(ascii: "u")
    default: return false
    }
  }

  private static func isSemicolon(_ token: Token, _ bytes: [UInt8]) -> Bool {
    token.kind == .symbol && token.end - token.start == 1 && bytes[token.start] == UInt8(ascii: ";")
  }
}
