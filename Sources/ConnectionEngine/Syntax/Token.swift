/// One lexical token: its kind and the byte range it covers in the source.
///
/// Tokens never copy text; the parser slices the source only for the parts that end up in the AST.
public struct Token: Sendable, Equatable {
  public var kind: Kind
  /// Byte offset of the first byte.
  public var start: Int
  /// Byte offset one past the last byte.
  public var end: Int

  public enum Kind: Sendable, Equatable {
    /// An unquoted word: an identifier or a keyword (reserved or not); `isReserved` tells which.
    case word(isReserved: Bool)
    /// `` `name` `` with doubled back-ticks inside.
    case backQuotedIdentifier
    /// `U&"name"` with `\XXXX` escapes.
    case unicodeQuotedIdentifier
    /// A character string literal; `prefix` says which family (plain `'x'`, `N'x'`, `U&'x'`, ...).
    case string(StringPrefix)
    /// A number such as `1`, `1.5` or `2e3`; never valid in connection statements.
    case number
    /// Another token Calcite knows but no connection statement uses: `a.b$c` (a collation id),
    /// `@param`, or the BEL character.
    case other
    /// Punctuation and operators: `(`, `)`, `,`, `.`, `;`, `=`, `'`, `"`, ...
    case symbol
    /// `/*+`: the start of a hint, never valid here.
    case hintStart
    /// A character no token can start with, or an unterminated quoted identifier or comment.
    case lexicalError(LexicalFailure)
    case endOfInput
  }

  public enum StringPrefix: Sendable, Equatable {
    case plain, national, charset, unicode, binary, cStyle
  }

  /// Where the lexer gave up: the failing character (or end of input) and where the attempted token began.
  public struct LexicalFailure: Sendable, Equatable {
    /// Offset of the character that could not continue the token, or the input length at end of input.
    public var failingOffset: Int
    public var atEndOfInput: Bool
  }

  public init(kind: Kind, start: Int, end: Int) {
    self.kind = kind
    self.start = start
    self.end = end
  }

  /// The same token in a copy of the source that starts `base` bytes later (every offset moves).
  func rebased(by base: Int) -> Token {
    var kind = kind
    if case .lexicalError(var failure) = kind {
      failure.failingOffset -= base
      kind = .lexicalError(failure)
    }
    return Token(kind: kind, start: start - base, end: end - base)
  }
}
