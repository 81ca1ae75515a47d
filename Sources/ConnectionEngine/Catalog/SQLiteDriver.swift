import Foundation
import GRDB
import GRDBSQLite

/// A catalog file: WAL, `synchronous=FULL`, immediate write transactions, a busy timeout,
/// foreign keys, `secure_delete` (dropped secrets are overwritten, not left in free pages).
final class SQLiteDriver: CatalogDriver {
  let dialect = SQLDialect.sqlite
  let path: String
  let location: String
  private let queue: DatabaseQueue
  /// The connection of the transaction (or read) in progress; statements run on it.
  private var current: Database?
  private(set) var isReadOnly = false
  private(set) var isDamaged = false
  private var lastDataVersion: Int64??
  let role: String? = nil

  init(path: String) throws(EngineError) {
    self.path = path
    self.location = sanitizedForMessage(path)
    try Self.checkLocation(path)
    var config = Configuration()
    config.busyMode = .timeout(10)
    // GRDB 7 opens every write transaction with BEGIN IMMEDIATE: writers queue on the busy
    // timeout instead of failing halfway with SQLITE_BUSY.
    config.foreignKeysEnabled = true
    config.prepareDatabase { db in
      try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA secure_delete = ON")
    }
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
      do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      } catch {
        throw EngineError(.storage, "Cannot create the catalog folder \(sanitizedForMessage(folder)): \(error.localizedDescription)")
      }
    }
    let exists = FileManager.default.fileExists(atPath: path)
    if exists && !FileManager.default.isWritableFile(atPath: path) { config.readonly = true }
    if !config.readonly { try Self.makePrivate(path, exists: exists) }
    do {
      queue = try DatabaseQueue(path: path, configuration: config)
    } catch {
      throw Self.describe(error, location: location)
    }
    isReadOnly = config.readonly
    let isCurrent = try inspect()
    if !isReadOnly && !isCurrent { try migrate() }
  }

  // MARK: CatalogDriver

  func close() {
    // Not closing is safe (committed changes are in the log), so a failure is not reported.
    try? queue.close()
  }

  func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
    try onConnection { db in
      let statement = try db.cachedStatement(sql: sql)
      if db.isInsideTransaction && Self.changesRows(sql) {
        try Self.bindAndStep(statement, arguments)
      } else {
        try statement.execute(arguments: Self.arguments(arguments))
      }
      return db.changesCount
    }
  }

  /// INSERT, UPDATE and DELETE: inside a transaction GRDB has nothing to note about them.
  private static func changesRows(_ sql: String) -> Bool {
    sql.hasPrefix("INSERT") || sql.hasPrefix("UPDATE") || sql.hasPrefix("DELETE")
  }

  /// Binds the values straight to SQLite and runs the statement: GRDB's `StatementArguments`
  /// goes through generic code for every value, a tenth of a long script of CREATEs.
  private static func bindAndStep(_ statement: GRDB.Statement, _ values: [SQLValue]) throws {
    let handle = statement.sqliteStatement
    sqlite3_reset(handle)
    sqlite3_clear_bindings(handle)
    guard Int(sqlite3_bind_parameter_count(handle)) == values.count else {
      throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "wrong number of arguments", sql: statement.sql)
    }
    let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    for (offset, value) in values.enumerated() {
      let index = Int32(offset + 1)
      let code: Int32
      switch value {
      case .null: code = sqlite3_bind_null(handle, index)
      case .int(let number): code = sqlite3_bind_int64(handle, index, number)
      case .double(let number): code = sqlite3_bind_double(handle, index, number)
      case .text(var text): code = text.withUTF8 { sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), transient) }
      case .bytes(let bytes): code = bytes.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), transient) }
      }
      guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: nil, sql: statement.sql) }
    }
    defer {
      sqlite3_reset(handle)
      sqlite3_clear_bindings(handle)
    }
    while true {
      let code = sqlite3_step(handle)
      if code == SQLITE_DONE { return }
      if code != SQLITE_ROW {
        let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(handle)))
        throw DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(sqlite3_db_handle(handle))), message: message, sql: statement.sql)
      }
    }
  }

  func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (any SQLRow) throws -> Void) throws {
    try onConnection { db in
      let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: Self.arguments(arguments))
      while let row = try rows.next() { try body(row) }
    }
  }

  func transaction<T>(_ body: () throws -> T) throws -> T {
    guard !isDamaged else { throw DamagedCatalog() }
    do {
      if let db = current {
        var result: T?
        try db.inSavepoint {
          result = try body()
          return .commit
        }
        return result!
      }
      return try queue.writeWithoutTransaction { db in
        current = db
        defer { current = nil }
        try db.beginTransaction(.immediate)
        do {
          let result = try body()
          try db.commit()
          return result
        } catch {
          try? db.rollback()
          throw error
        }
      }
    } catch {
      noteFailure(error)
      throw error
    }
  }

  func read<T>(_ body: () throws -> T) throws -> T {
    do {
      if current != nil { return try body() }
      return try queue.read { db in
        current = db
        defer { current = nil }
        return try body()
      }
    } catch {
      noteFailure(error)
      throw error
    }
  }

  /// `PRAGMA data_version` moves when another connection commits (never for this one's own).
  func changedElsewhere() -> CatalogChange {
    guard current == nil, let version = try? queue.inDatabase({ try Int64.fetchOne($0, sql: "PRAGMA data_version") }) else {
      return .unchanged
    }
    defer { lastDataVersion = version }
    return lastDataVersion.map { $0 != version } ?? false ? .changed : .unchanged
  }

  /// Checkpoints the WAL into the file, rewrites the file from its live rows, and empties the
  /// WAL again: what was deleted or overwritten is gone from both.
  func scrub() throws {
    try queue.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
      try db.execute(sql: "VACUUM")
      try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
    }
  }

  func describe(_ error: any Error) -> EngineError { Self.describe(error, location: location) }

  // MARK: Opening

  private func onConnection<T>(_ body: (Database) throws -> T) throws -> T {
    if let db = current { return try body(db) }
    return try queue.inDatabase(body)
  }

  private static func arguments(_ values: [SQLValue]) -> StatementArguments {
    StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in
      switch value {
      case .null: nil
      case .int(let number): number
      case .double(let number): number
      case .text(let text): text
      case .bytes(let bytes): Data(bytes)
      }
    })
  }

  private func noteFailure(_ error: any Error) {
    if let db = error as? DatabaseError, db.resultCode == .SQLITE_CORRUPT || db.resultCode == .SQLITE_NOTADB {
      isDamaged = true
    }
  }

  /// Refuses SQLite files that belong to another program, and files that are not SQLite at all.
  /// A file with nothing but an empty migrations table is a first start that was killed before
  /// its first migration committed (GRDB creates that table on its own): it is ours to finish.
  /// Says whether the catalog is current (WAL, every migration applied), in one read: then
  /// opening writes nothing, which is most of what a short command pays to open it.
  private func inspect() throws(EngineError) -> Bool {
    do {
      let (appID, tables, isCurrent) = try queue.read { db in
        let hasMigrationsTable = try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'grdb_migrations'") ?? false
        let others = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE tbl_name <> 'grdb_migrations'") ?? 0
        let migrations = hasMigrationsTable ? try Int.fetchOne(db, sql: "SELECT count(*) FROM grdb_migrations") ?? 0 : 0
        let isWAL = try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal"
        let isCurrent = try isWAL && hasMigrationsTable && SQLiteSchema.migrator.hasCompletedMigrations(db)
        return (try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0, others + migrations, isCurrent)
      }
      if appID != SQLiteSchema.applicationID && (appID != 0 || tables > 0) {
        throw EngineError(.storage, "\(location) belongs to another program (it is an SQLite database but not a Switchboard catalog); nothing was changed.")
      }
      if appID == 0 && tables == 0 && isReadOnly {
        throw EngineError(.storage, "\(location) is read-only and has no catalog in it.")
      }
      return appID == SQLiteSchema.applicationID && isCurrent
    } catch let error as EngineError {
      throw error
    } catch {
      throw describe(error)
    }
  }

  private func migrate() throws(EngineError) {
    do {
      try queue.writeWithoutTransaction { db in
        if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
          _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
        }
      }
      let before = try queue.read { db in try SQLiteSchema.migrator.appliedIdentifiers(db) }
      try SQLiteSchema.migrator.migrate(queue)
      // Healing an older catalog rewrote its history: make sure the old bytes are gone from the
      // file and its WAL, not only unreachable (secure_delete zeroes freed cells; the checkpoint
      // moves every page home and empties the WAL; VACUUM rewrites the file from live rows).
      if before.contains("v1") && !before.contains("v2") { try scrub() }
    } catch {
      throw describe(error)
    }
  }

  /// Only a file on disk can hold an SQLite catalog: an empty path, SQLite's in-memory names and
  /// URI forms would report success and keep nothing.
  static func checkLocation(_ path: String) throws(EngineError) {
    let shown = sanitizedForMessage(path)
    // (Not Foundation's trimmingCharacters: building its character set costs a short command.)
    if path.allSatisfy(\.isWhitespace) {
      throw EngineError(.storage, "The catalog location is empty; give a file path or a postgresql:// URL with --catalog.")
    }
    if path == ":memory:" || path.hasPrefix("file:") || path.contains("mode=memory") {
      throw EngineError(.storage, "The catalog location '\(shown)' is not a file on disk (SQLite would keep nothing); give a file path.")
    }
    if let scheme = path.range(of: "://"), path[..<scheme.lowerBound].allSatisfy({ $0.isLetter || $0 == "+" || $0 == "-" || $0 == "." }) {
      throw EngineError(.storage, "The catalog location '\(shown)' is a URL Switchboard does not understand; give a file path or a postgresql:// URL.")
    }
    var info = stat()
    if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
      throw EngineError(.storage, "The catalog location '\(shown)' is a folder; give a file path.")
    }
  }

  /// A new catalog file is created 0600 before SQLite opens it (its -wal and -shm take the
  /// same mode); an existing one that others can read is made private.
  private static func makePrivate(_ path: String, exists: Bool) throws(EngineError) {
    if !exists {
      let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
      if fd >= 0 { Glibc.close(fd) } else if errno != EEXIST {
        throw EngineError(.storage, "Cannot create the catalog \(sanitizedForMessage(path)): \(String(cString: strerror(errno))).")
      }
    }
    for file in [path, path + "-wal", path + "-shm"] {
      var info = stat()
      if stat(file, &info) == 0 && info.st_mode & 0o077 != 0 && info.st_uid == geteuid() { chmod(file, 0o600) }
    }
  }

  /// A storage failure in words a user can act on.
  static func describe(_ error: any Error, location path: String) -> EngineError {
    if let error = error as? EngineError { return error }
    if error is DamagedCatalog {
      return EngineError(.storage, "The catalog \(path) is damaged; nothing was changed. Restore it from a backup.")
    }
    guard let db = error as? DatabaseError else {
      return EngineError(.storage, "Catalog \(path): \(error.localizedDescription)")
    }
    switch db.resultCode {
    case .SQLITE_NOTADB:
      return EngineError(.storage, "\(path) is not a Switchboard catalog (not a readable SQLite database); nothing was changed.")
    case .SQLITE_CORRUPT:
      return EngineError(.storage, "The catalog \(path) is damaged (SQLite reports corruption); nothing was changed. Restore it from a backup; `switchboard verify` shows the details.")
    case .SQLITE_READONLY:
      return EngineError(.storage, "The catalog \(path) is read-only; nothing was changed.")
    case .SQLITE_FULL:
      return EngineError(.storage, "The disk holding \(path) is full; nothing was changed.")
    case .SQLITE_BUSY, .SQLITE_LOCKED:
      return EngineError(.storage, "The catalog \(path) is busy (another program holds a write lock); nothing was changed. Try again.")
    case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
      return EngineError(.storage, "Cannot open the catalog \(path); check that the folder exists and is writable.")
    case .SQLITE_IOERR:
      return EngineError(.storage, "I/O error on the catalog \(path) (disk full or failing?); nothing was changed.")
    default:
      // GRDB's message may quote SQL, never values: we bind every value as an argument.
      return EngineError(.storage, "Catalog \(path): \(db.message ?? "SQLite error \(db.resultCode.rawValue)")")
    }
  }
}

/// A write refused because the database reported damage earlier in this session.
struct DamagedCatalog: Error {}

extension Row: SQLRow {
  func isNull(_ column: Int) -> Bool { hasNull(atIndex: column) }
  func int(_ column: Int) -> Int64 { self[column] }
  func double(_ column: Int) -> Double { self[column] }
  func text(_ column: Int) -> String? { self[column] }
  func bytes(_ column: Int) -> [UInt8]? { (self[column] as Data?).map { Array($0) } }
}
