import Foundation
import GRDB

/// Opens a catalog file: WAL, `synchronous=FULL`, immediate write transactions, a busy timeout,
/// foreign keys, `secure_delete` (dropped secrets are overwritten, not left in free pages).
final class CatalogStore {
  let queue: DatabaseQueue
  let path: String
  private(set) var isReadOnly = false
  /// Set once SQLite reports corruption: from then on nothing is written (not even history).
  private(set) var isDamaged = false

  func noteFailure(_ error: any Error) {
    if let db = error as? DatabaseError, db.resultCode == .SQLITE_CORRUPT || db.resultCode == .SQLITE_NOTADB {
      isDamaged = true
    }
  }

  init(path: String) throws(EngineError) {
    self.path = path
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
        throw EngineError(.storage, "Cannot create the catalog folder \(folder): \(error.localizedDescription)")
      }
    }
    let exists = FileManager.default.fileExists(atPath: path)
    if exists && !FileManager.default.isWritableFile(atPath: path) { config.readonly = true }
    do {
      queue = try DatabaseQueue(path: path, configuration: config)
    } catch {
      throw Self.describe(error, path: path)
    }
    isReadOnly = config.readonly
    try checkOwnership()
    if !isReadOnly { try migrate() }
  }

  /// Refuses SQLite files that belong to another program, and files that are not SQLite at all.
  private func checkOwnership() throws(EngineError) {
    do {
      let (appID, tables) = try queue.read { db in
        (
          try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
          try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
        )
      }
      if appID != CatalogSchema.applicationID && (appID != 0 || tables > 0) {
        throw EngineError(.storage, "\(path) belongs to another program (it is an SQLite database but not a Switchboard catalog); nothing was changed.")
      }
      if appID == 0 && tables == 0 && isReadOnly {
        throw EngineError(.storage, "\(path) is read-only and has no catalog in it.")
      }
    } catch let error as EngineError {
      throw error
    } catch {
      throw Self.describe(error, path: path)
    }
  }

  private func migrate() throws(EngineError) {
    do {
      try queue.writeWithoutTransaction { db in
        if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
          _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
        }
      }
      try CatalogSchema.migrator.migrate(queue)
    } catch {
      throw Self.describe(error, path: path)
    }
  }

  /// A storage failure in words a user can act on.
  static func describe(_ error: any Error, path: String) -> EngineError {
    if let error = error as? EngineError { return error }
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
