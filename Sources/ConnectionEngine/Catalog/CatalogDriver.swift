/// A value bound to a statement or read from a row. Every value reaches the database as a bound
/// argument: no SQL text is ever assembled from data.
enum SQLValue {
  case null
  case int(Int64)
  case double(Double)
  case text(String)
  case bytes([UInt8])
}

extension SQLValue {
  init(_ text: String?) { self = text.map(SQLValue.text) ?? .null }
  init(_ number: Double?) { self = number.map(SQLValue.double) ?? .null }
}

/// One row of a result, read by column position.
protocol SQLRow {
  func isNull(_ column: Int) -> Bool
  func int(_ column: Int) -> Int64
  func double(_ column: Int) -> Double
  func text(_ column: Int) -> String?
  func bytes(_ column: Int) -> [UInt8]?
}

extension SQLRow {
  /// A column the schema declares NOT NULL.
  func string(_ column: Int) -> String { text(column) ?? "" }
  func optionalDouble(_ column: Int) -> Double? { isNull(column) ? nil : double(column) }
}

/// Where a catalog lives. The statements differ only where the two dialects do; `Catalog` asks.
enum SQLDialect {
  case sqlite, postgresql
}

/// One open database that holds a catalog: SQLite through GRDB, or PostgreSQL through libpq.
/// Statements use `?` placeholders in both dialects. Transactions nest: the outermost is a
/// write transaction that serialises writers (SQLite's BEGIN IMMEDIATE, an advisory lock on
/// PostgreSQL), so both backends give one script the same results; inner ones are savepoints.
protocol CatalogDriver: AnyObject {
  var dialect: SQLDialect { get }
  /// For messages: a path, or a server address without a password. Already sanitised.
  var location: String { get }
  var isReadOnly: Bool { get }
  /// Set once the database reports damage: from then on nothing is written.
  var isDamaged: Bool { get }
  /// The database role this session acts as (PostgreSQL); nil for a file.
  var role: String? { get }

  /// Runs one statement; returns how many rows it changed.
  @discardableResult
  func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int
  func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (any SQLRow) throws -> Void) throws
  /// A write transaction, or a savepoint inside the current one. A thrown error rolls it back.
  func transaction<T>(_ body: () throws -> T) throws -> T
  /// A consistent read (inside the current transaction when there is one).
  func read<T>(_ body: () throws -> T) throws -> T
  /// Whether another process changed the catalog since the last call (`.unchanged` on the
  /// first), or the catalog cannot be reached. Cheap enough to call a few times a second.
  func changedElsewhere() -> CatalogChange
  /// Makes what was deleted or overwritten unrecoverable from the database's files.
  func scrub() throws
  /// A failure in words a user can act on (never a value: values are bound, not quoted).
  func describe(_ error: any Error) -> EngineError
  /// Ends the session (SQLite checkpoints its log into the file; a server is told goodbye).
  /// Nothing is run after it.
  func close()
}

extension CatalogDriver {
  func firstRow<T>(_ sql: String, _ arguments: [SQLValue] = [], _ read: (any SQLRow) throws -> T) throws -> T? {
    var result: T?
    try forEachRow(sql, arguments) { row in if result == nil { result = try read(row) } }
    return result
  }

  func exists(_ sql: String, _ arguments: [SQLValue]) throws -> Bool {
    try firstRow(sql, arguments) { _ in true } ?? false
  }

  func strings(_ sql: String, _ arguments: [SQLValue] = []) throws -> [String] {
    var result: [String] = []
    try forEachRow(sql, arguments) { result.append($0.string(0)) }
    return result
  }

  func int(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int64? {
    try firstRow(sql, arguments) { $0.isNull(0) ? nil : $0.int(0) } ?? nil
  }
}

/// What a look at the catalog between keys found.
public enum CatalogChange: Sendable, Equatable {
  case unchanged, changed
  /// The server cannot be reached (the message says why); the next look tries again.
  case unreachable(String)
}

/// Thrown inside a transaction to undo it without a failure of its own (an atomic script that
/// failed part-way).
struct RollbackRequested: Error {}
