import TextSafety

/// Why a statement failed. Messages never hold a secret value: they name keys, types and
/// objects, and statements inside them are masked.
public struct EngineError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Code: String, Sendable, Equatable {
    case syntax, validation, unsupported, notFound = "not-found", alreadyExists = "already-exists"
    case conflict, secrets, storage
    /// Read-only mode refused a write (exit 3).
    case readOnly = "read-only"
    /// A write into a protected namespace without its confirmation (exit 2).
    case protected
  }

  public var code: Code
  public var message: String
  /// Where in the statement, for syntax errors: Flink's line and column, and the byte offset.
  public var location: SourceLocation?
  public var offset: Int?

  public init(_ code: Code, _ message: String, location: SourceLocation? = nil, offset: Int? = nil) {
    self.code = code
    // Messages quote names and paths, which are data: escaped here, once, for every caller.
    self.message = sanitizedForTerminal(message, keepingLineBreaks: true)
    self.location = location
    self.offset = offset
  }

  init(_ error: ParseError) {
    let code: Code = error.kind == .unsupported ? .unsupported : (error.kind == .validation ? .validation : .syntax)
    self.init(code, error.message, location: error.location, offset: error.offset)
  }

  /// Environment problems (catalog file, master key) exit with 3; statement failures with 1.
  public var isEnvironmental: Bool { code == .storage || code == .secrets || code == .readOnly }

  public var description: String { message }
}
