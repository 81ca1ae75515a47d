/// A statement that does not parse, with where and why.
///
/// Messages follow Flink's wording and positions, but never quote the contents of a string
/// literal: a literal is named by its kind, so a secret cannot travel inside an error.
public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    /// Flink's parser rejects the text here.
    case syntax
    /// A character or unterminated token the lexer cannot read.
    case lexical
    /// Parsed, but rejected by Flink's check right after parsing (e.g. an empty `WITH ()`).
    case validation
    /// Valid Flink SQL outside Switchboard's dialect (e.g. `SELECT`, `CREATE TABLE`).
    case unsupported
  }

  public var kind: Kind
  /// The message without the location, e.g. `Encountered "," at line 1, column 30.`.
  public var message: String
  /// Byte offset the error points at (where the caret goes).
  public var offset: Int
  /// Line and column as Flink reports them.
  public var location: SourceLocation

  public init(kind: Kind, message: String, offset: Int, location: SourceLocation) {
    self.kind = kind
    self.message = message
    self.offset = offset
    self.location = location
  }

  public var description: String { message }
}
