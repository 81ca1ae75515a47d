/// Where a long script can be cut into pieces that parse and run exactly as the whole would: the
/// command line reads a script file a few megabytes at a time (bounded memory for a million
/// statements) and hands each piece to the engine.
public enum ScriptSegments {
  /// The offset just past the last `;` of `bytes` that ends a statement and is followed, within
  /// `bytes`, by the start of another (not by a second `;`): the tokens before it are what
  /// lexing the whole script gives, and the rest starts a statement. Nil when there is none.
  public static func lastBoundary(in bytes: [UInt8]) -> Int? {
    let tokens = Lexer.tokenize(bytes)
    // A literal, quoted name or comment cut off by the end of `bytes` lexes as a lone quote or a
    // lexical error, and what it holds as tokens (a `;` among them): only a `;` before the first
    // of those is one the whole script has.
    let trusted = tokens.firstIndex { mayBeCutOff($0, in: bytes) } ?? tokens.count - 1
    var index = trusted - 1  // the last token that may follow a boundary
    while index >= 1 {
      let token = tokens[index - 1]
      let next = tokens[index]
      if isSemicolon(token, bytes), next.kind != .endOfInput, !isSemicolon(next, bytes) { return token.end }
      index -= 1
    }
    return nil
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
  static func mayBeCutOff(_ token: Token, in bytes: [UInt8]) -> Bool {
    if case .lexicalError(let failure) = token.kind { return failure.atEndOfInput }
    if case .word = token.kind, Lexer.isUnclosedCStylePrefix(token, first: bytes[token.start], next: token.end < bytes.count ? bytes[token.end] : nil) {
      return true
    }
    return token.kind == .symbol && (bytes[token.start] == UInt8(ascii: "'") || bytes[token.start] == UInt8(ascii: "\""))
  }

  private static func isSemicolon(_ token: Token, _ bytes: [UInt8]) -> Bool {
    token.kind == .symbol && token.end - token.start == 1 && bytes[token.start] == UInt8(ascii: ";")
  }
}
