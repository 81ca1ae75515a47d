import Foundation
import GRDB
import Logging

/// The shared engine: runs Switchboard's dialect against one catalog file and its secret store.
///
/// One instance is one session: it has a current catalog and database, and its temporary
/// connections live as long as it does. It never prints; callers render `ResultSet`s and
/// `EngineError`s, which never hold a secret value.
public final class Engine {
  public let catalogPath: String
  public let user: String
  public internal(set) var currentCatalog = "default_catalog"
  public internal(set) var currentDatabase = "default_database"

  let store: CatalogStore
  let keySource: MasterKeySource
  var temporaries: [TemporaryKey: TemporaryConnection] = [:]
  var cachedCipher: SecretCipher?
  /// The last version handed to a temporary connection in this session.
  var lastTemporaryVersion: Int64 = 0
  /// While a script runs, its one transaction; each statement is a savepoint inside it.
  var batch: Database?
  /// Every executed statement is logged masked, with its outcome. Silent unless the host sets a
  /// logger (the CLI does when SWITCHBOARD_LOG is set): a library must not write to stderr.
  public var logger = Logger(label: "switchboard.engine", factory: { _ in SwiftLogNoOpLogHandler() })
  /// The clock, replaceable in tests.
  var now: () -> Double = { Date().timeIntervalSince1970 }

  /// Opens (creating when missing) the catalog at `catalogPath`. `environment` supplies the
  /// master key (`SWITCHBOARD_MASTER_KEY`, `XDG_CONFIG_HOME`, `HOME`) and the user name.
  public init(catalogPath: String, environment: [String: String], user: String? = nil) throws(EngineError) {
    self.catalogPath = catalogPath
    self.user = user ?? environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
    self.keySource = MasterKeySource(environment: environment)
    self.store = try CatalogStore(path: catalogPath)
    sealStoredOptionsThePolicyHides()
  }

  /// The default catalog file: `$XDG_DATA_HOME/switchboard/catalog.sqlite` (`~/.local/share/...`).
  public static func defaultCatalogPath(environment: [String: String]) -> String? {
    if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return data + "/switchboard/catalog.sqlite" }
    if let home = environment["HOME"], !home.isEmpty { return home + "/.local/share/switchboard/catalog.sqlite" }
    return nil
  }

  public var isReadOnly: Bool { store.isReadOnly }

  // MARK: Running statements

  /// Runs a script: parses all of it first (a syntax error anywhere runs nothing), then executes
  /// the statements in order and stops at the first failure.
  /// `expectedVersion` is checked by the first statement (the rest run inside the same
  /// transaction, so nothing can come between). With `atomically`, a failure undoes the whole
  /// script instead of keeping the statements before it: a form's SET and RESET land together.
  public func run(script: String, expectedVersion: Int64? = nil, atomically: Bool = false) -> [StatementOutcome] {
    let bytes = Array(script.utf8)
    let parsed = Parser.parseScript(bytes: bytes, recover: false)
    if let error = parsed.errors.first {
      let masked = Masker.mask(script)
      record(masked, outcome: "error", message: error.message)
      return [StatementOutcome(maskedText: masked, result: .failure(EngineError(error)))]
    }
    guard parsed.statements.count > 1, !store.isReadOnly, !store.isDamaged else { return execute(parsed.statements, bytes, expectedVersion) }
    // Many statements: one transaction (one fsync), a savepoint each, so a failure keeps the
    // statements before it, exactly as if each had committed on its own.
    var outcomes: [StatementOutcome] = []
    do {
      try store.queue.writeWithoutTransaction { db in
        try db.beginTransaction(.immediate)
        batch = db
        defer { batch = nil }
        outcomes = execute(parsed.statements, bytes, expectedVersion)
        if atomically, outcomes.contains(where: { if case .failure = $0.result { true } else { false } }) {
          try db.rollback()
          cachedCipher = nil
          return
        }
        try db.commit()
      }
      // An atomic script that failed left no trace in its rolled-back transaction: note why.
      for outcome in outcomes where atomically {
        if case .failure(let error) = outcome.result { record(outcome.maskedText, outcome: "error", message: error.message) }
      }
    } catch {
      cachedCipher = nil
      store.noteFailure(error)
      let failure = CatalogStore.describe(error, path: catalogPath)
      outcomes.append(StatementOutcome(
        maskedText: "", result: .failure(EngineError(failure.code, failure.message + " Nothing from this script was saved."))))
    }
    return outcomes
  }

  private func execute(_ statements: [ParsedStatement], _ bytes: [UInt8], _ expectedVersion: Int64?) -> [StatementOutcome] {
    var outcomes: [StatementOutcome] = []
    for statement in statements {
      let text = String(decoding: bytes[statement.range], as: UTF8.self)
      let masked = Masker.mask(text)
      let result: Result<ResultSet, EngineError>
      do {
        let expected = outcomes.isEmpty ? expectedVersion : nil
        result = .success(try execute(statement.statement, maskedText: masked, expectedVersion: expected))
      } catch {
        result = .failure(error)
        record(masked, outcome: "error", message: error.message)
      }
      outcomes.append(StatementOutcome(maskedText: masked, result: result))
      if case .failure = result { break }
    }
    return outcomes
  }

  /// Runs one statement; with `expectedVersion`, an ALTER or DROP fails with a conflict when the
  /// connection changed since the caller loaded it.
  @discardableResult
  public func execute(_ sql: String, expectedVersion: Int64? = nil) throws(EngineError) -> ResultSet {
    let outcomes = run(script: sql, expectedVersion: expectedVersion)
    guard outcomes.count == 1 else {
      if case .failure(let error)? = outcomes.last?.result { throw error }
      throw EngineError(.validation, "Expected one statement, got \(outcomes.count).")
    }
    return try outcomes[0].result.get()
  }

  func execute(_ statement: Statement, maskedText: String, expectedVersion: Int64?) throws(EngineError) -> ResultSet {
    try Self.checkStorable(statement)
    switch statement {
    case .createConnection(let c): return try create(c, maskedText: maskedText)
    case .alterConnection(let a): return try alter(a, maskedText: maskedText, expectedVersion: expectedVersion)
    case .dropConnection(let d): return try drop(d, maskedText: maskedText, expectedVersion: expectedVersion)
    case .showConnections(let s): return try showConnections(s, maskedText: maskedText)
    case .describeConnection(let name, let extended): return try describe(name, extended: extended, maskedText: maskedText)
    case .showCreateConnection(let name): return try showCreate(name, maskedText: maskedText)
    default: return try executeNamespace(statement, maskedText: maskedText)
    }
  }

  // MARK: Storage helpers

  func write<T>(_ body: (Database) throws -> T) throws(EngineError) -> T {
    guard !store.isReadOnly else {
      throw EngineError(.storage, "The catalog \(catalogPath) is read-only; nothing was changed.")
    }
    guard !store.isDamaged else {
      throw EngineError(.storage, "The catalog \(catalogPath) is damaged; nothing was changed. Restore it from a backup.")
    }
    do {
      if let db = batch {
        var result: T?
        try db.inSavepoint {
          result = try body(db)
          return .commit
        }
        return result!
      }
      return try store.queue.write(body)
    } catch {
      // A rolled-back transaction may have dropped the key check the cache vouches for.
      cachedCipher = nil
      store.noteFailure(error)
      throw CatalogStore.describe(error, path: catalogPath)
    }
  }

  func read<T>(_ body: (Database) throws -> T) throws(EngineError) -> T {
    do {
      if let db = batch { return try body(db) }
      return try store.queue.read(body)
    } catch {
      store.noteFailure(error)
      throw CatalogStore.describe(error, path: catalogPath)
    }
  }

  /// Appends a masked statement to the history, inside the caller's transaction.
  func appendHistory(_ db: Database, _ maskedText: String, outcome: String, message: String? = nil) throws {
    logger.info("\(outcome): \(maskedText)\(message.map { " (\($0))" } ?? "")")
    try db.cachedStatement(sql: "INSERT INTO history (at, user, statement, outcome, message) VALUES (?, ?, ?, ?, ?)").execute(arguments: [now(), user, maskedText, outcome, message])
  }

  /// Appends to the history in a transaction of its own (reads and failures). A read-only catalog
  /// keeps no history; that is not an error worth failing a read for.
  func record(_ maskedText: String, outcome: String, message: String? = nil) {
    guard !store.isReadOnly, !store.isDamaged else {
      logger.info("\(outcome): \(maskedText)\(message.map { " (\($0))" } ?? "")")
      return
    }
    if let db = batch {
      try? appendHistory(db, maskedText, outcome: outcome, message: message)
      return
    }
    _ = try? store.queue.write { db in try appendHistory(db, maskedText, outcome: outcome, message: message) }
  }

  /// The most recent history entries, newest last.
  public func history(limit: Int = 100) throws(EngineError) -> [HistoryEntry] {
    try read { db in
      try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM (SELECT at, user, statement, outcome, message, id FROM history ORDER BY id DESC LIMIT ?) ORDER BY id"),
        arguments: [limit]
      ).map { HistoryEntry(at: $0["at"], user: $0["user"], statement: $0["statement"], outcome: $0["outcome"], message: $0["message"]) }
    }
  }
}

extension Engine {
  /// How many history entries `purgeHistory(before:)` would remove.
  public func historyCount(before: Double? = nil) throws(EngineError) -> Int {
    try read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM history WHERE at < ?", arguments: [before ?? .infinity]) ?? 0
    }
  }

  /// Removes history entries older than `before` (all when nil), notes the purge in the history,
  /// and scrubs the file and its WAL so the removed text is gone, not only unreachable.
  /// Returns how many entries went.
  @discardableResult
  public func purgeHistory(before: Double? = nil) throws(EngineError) -> Int {
    let removed = try write { db in
      try db.execute(sql: "DELETE FROM history WHERE at < ?", arguments: [before ?? .infinity])
      let count = db.changesCount
      try appendHistory(db, "-- history purge", outcome: "ok", message: "\(count) entries removed" + (before.map { " (before \(iso8601($0)))" } ?? ""))
      return count
    }
    do { try store.scrub() } catch { throw CatalogStore.describe(error, path: catalogPath) }
    return removed
  }
}
