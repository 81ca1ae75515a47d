import Foundation
import Logging

/// The shared engine: runs Switchboard's dialect against one catalog (a file, or a PostgreSQL
/// database) and its secret store.
///
/// One instance is one session: it has a current catalog and database, and its temporary
/// connections live as long as it does. It never prints; callers render `ResultSet`s and
/// `EngineError`s, which never hold a secret value.
public final class Engine {
  public let catalogPath: String
  public let user: String
  /// What the catalog was opened with (a listing reader opens it again on another thread).
  let environment: [String: String]
  public internal(set) var currentCatalog = "default_catalog"
  public internal(set) var currentDatabase = "default_database"

  let catalog: Catalog
  var temporaries: [TemporaryKey: TemporaryConnection] = [:]
  /// The last version handed to a temporary connection in this session.
  var lastTemporaryVersion: Int64 = 0
  /// Every executed statement is logged masked, with its outcome. Silent unless the host sets a
  /// logger (the CLI does when SWITCHBOARD_LOG is set): a library must not write to stderr.
  public var logger = Logger(label: "switchboard.engine", factory: { _ in SwiftLogNoOpLogHandler() })
  /// Read-only mode and protected namespaces (the config file and the command line).
  public var writePolicy = WritePolicy()
  /// Whether runs note their changes for `undoLastChange` (the terminal UI turns it on).
  public var tracksChanges = false
  /// The last change this session made, summed up from the run that made it.
  public internal(set) var lastChange: SessionChange?
  var runChanges: [RecordedChange] = []
  /// The clock, replaceable in tests.
  var now: () -> Double = { Date().timeIntervalSince1970 }

  /// Opens (creating when missing) the catalog at `catalogPath`: a file path, or a
  /// `postgresql://` URL (libpq's conventions for everything the URL leaves out). `environment`
  /// supplies the master key (`SWITCHBOARD_MASTER_KEY`, `XDG_CONFIG_HOME`, `HOME`) and the user name.
  public init(catalogPath: String, environment: [String: String], user: String? = nil) throws(EngineError) {
    self.catalogPath = catalogPath
    self.environment = environment
    self.user = user ?? environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
    self.catalog = try Catalog.open(catalogPath, environment: environment)
    catalog.sealStoredOptionsThePolicyHides { message in
      try appendHistory("-- catalog upgrade", outcome: "ok", message: message)
    }
  }

  /// The default catalog file: `$XDG_DATA_HOME/switchboard/catalog.sqlite` (`~/.local/share/...`).
  public static func defaultCatalogPath(environment: [String: String]) -> String? {
    if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return data + "/switchboard/catalog.sqlite" }
    if let home = environment["HOME"], !home.isEmpty { return home + "/.local/share/switchboard/catalog.sqlite" }
    return nil
  }

  public var isReadOnly: Bool { catalog.isReadOnly }

  /// Ends the catalog's session (as letting go of the engine does); nothing may be run after.
  public func close() { catalog.driver.close() }

  /// Whether another process (another person, on a shared catalog) changed the catalog since
  /// the last call: SQLite's data version, PostgreSQL's notifications.
  public func catalogChangedElsewhere() -> CatalogChange { catalog.driver.changedElsewhere() }

  /// Who acts, as the history and conflict messages name them: the OS user, and on a server the
  /// database role too.
  public var actor: String { catalog.driver.role.map { "\(user) (role \($0))" } ?? user }

  /// Whether a catalog location carries a password (`postgresql://user:pw@…`, `?password=`).
  public static func locationHasPassword(_ location: String) -> Bool {
    PostgresLocation.isURL(location) && PostgresLocation.hasPassword(location)
  }
  /// Where the catalog lives, for messages: a path, or a server address without a password.
  public var catalogLocation: String { catalog.location }

  // MARK: Running statements

  /// Runs a script: parses all of it first (a syntax error anywhere runs nothing), then executes
  /// the statements in order and stops at the first failure.
  /// `expectedVersion` is checked by the first statement (the rest run inside the same
  /// transaction, so nothing can come between). With `atomically`, a failure undoes the whole
  /// script instead of keeping the statements before it: a form's SET and RESET land together.
  public func run(script: String, expectedVersion: Int64? = nil, atomically: Bool = false) -> [StatementOutcome] {
    run(PreparedScript(script), expectedVersion: expectedVersion, atomically: atomically)
  }

  /// The same, for a script parsed and masked beforehand (on another thread: `sql -f` prepares
  /// the next piece of a long script while this one runs).
  public func run(_ script: PreparedScript, expectedVersion: Int64? = nil, atomically: Bool = false) -> [StatementOutcome] {
    runChanges = []
    let outcomes = runParsed(script, expectedVersion: expectedVersion, atomically: atomically)
    if outcomes.allSatisfy({ if case .success = $0.result { true } else { false } }) { settleChanges() } else { runChanges = [] }
    return outcomes
  }

  private func runParsed(_ script: PreparedScript, expectedVersion: Int64?, atomically: Bool) -> [StatementOutcome] {
    let parsed = script.parse
    if let error = parsed.errors.first {
      let masked = Masker.mask(script.text)
      record(masked, outcome: "error", message: error.message)
      return [StatementOutcome(maskedText: masked, result: .failure(EngineError(error)))]
    }
    guard parsed.statements.count > 1, catalog.isWritable else { return execute(script, expectedVersion) }
    // Many statements: one transaction (one fsync), a savepoint each, so a failure keeps the
    // statements before it, exactly as if each had committed on its own.
    var outcomes: [StatementOutcome] = []
    do {
      try catalog.batch {
        outcomes = execute(script, expectedVersion, inOneTransaction: true)
        return !(atomically && outcomes.contains { if case .failure = $0.result { true } else { false } })
      }
      // An atomic script that failed left no trace in its rolled-back transaction: note why.
      for outcome in outcomes where atomically {
        if case .failure(let error) = outcome.result { record(outcome.maskedText, outcome: "error", message: error.message) }
      }
    } catch {
      outcomes.append(StatementOutcome(
        maskedText: "", result: .failure(EngineError(error.code, error.message + " Nothing from this script was saved."))))
    }
    return outcomes
  }

  /// `inOneTransaction`: the statements run inside `catalog.batch`, where runs of CREATEs are
  /// written together (`createRunInBulk`).
  private func execute(_ script: PreparedScript, _ expectedVersion: Int64?, inOneTransaction: Bool = false) -> [StatementOutcome] {
    let statements = script.parse.statements
    var outcomes: [StatementOutcome] = []
    var index = 0
    var oneByOneUntil = 0
    while index < statements.count {
      if inOneTransaction && index >= oneByOneUntil {
        switch createRunInBulk(script, from: index) {
        case .written(let written):
          outcomes += written
          index += written.count
          continue
        case .declined(let count): oneByOneUntil = index + count
        case .none: break
        }
      }
      let statement = statements[index]
      let masked = script.maskedStatements[index]
      index += 1
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
    try checkWritePolicy(statement)
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

  // MARK: History

  /// Appends a masked statement to the history, inside the caller's transaction.
  func appendHistory(_ maskedText: String, outcome: String, message: String? = nil) throws {
    logger.info("\(outcome): \(maskedText)\(message.map { " (\($0))" } ?? "")")
    try catalog.appendHistory(at: now(), user: actor, statement: maskedText, outcome: outcome, message: message)
  }

  /// Appends to the history in a transaction (or savepoint) of its own: reads and failures. A
  /// read-only catalog keeps no history; that is not an error worth failing a read for.
  func record(_ maskedText: String, outcome: String, message: String? = nil) {
    guard catalog.isWritable else {
      logger.info("\(outcome): \(maskedText)\(message.map { " (\($0))" } ?? "")")
      return
    }
    _ = try? catalog.write { try appendHistory(maskedText, outcome: outcome, message: message) }
  }

  /// The most recent history entries, newest last.
  public func history(limit: Int = 100) throws(EngineError) -> [HistoryEntry] {
    try catalog.read { try catalog.history(limit: limit) }
  }
}

extension Engine {
  /// How many history entries `purgeHistory(before:)` would remove.
  public func historyCount(before: Double? = nil) throws(EngineError) -> Int {
    try catalog.read { try catalog.historyCount(before: before) }
  }

  /// Removes history entries older than `before` (all when nil), notes the purge in the history,
  /// and scrubs the database so the removed text is gone, not only unreachable.
  /// Returns how many entries went.
  @discardableResult
  public func purgeHistory(before: Double? = nil) throws(EngineError) -> Int {
    try checkNotReadOnly()
    let removed = try catalog.write {
      let count = try catalog.deleteHistory(before: before)
      try appendHistory("-- history purge", outcome: "ok", message: "\(count) entries removed" + (before.map { " (before \(iso8601($0)))" } ?? ""))
      return count
    }
    try catalog.scrub()
    return removed
  }
}

/// A script parsed, and each of its statements masked: the pure part of running it, which any
/// thread may do.
public struct PreparedScript: Sendable {
  public let text: String
  let parse: ScriptParse
  /// Each parsed statement's text, masked (none when the script does not parse).
  let maskedStatements: [String]
  /// Each CREATE CONNECTION's `Engine.checkedOptions` (nil for other statements; none when the
  /// script does not parse): made with the rest, on the thread that prepares a long script.
  /// Their secrets live as long as the parsed statements' own copies.
  let checkedCreates: [Result<CheckedOptions, EngineError>?]

  public init(_ text: String) {
    self.text = text
    let bytes = Array(text.utf8)
    parse = Parser.parseScript(bytes: bytes, recover: false)
    let parses = parse.errors.isEmpty
    maskedStatements = parses ? parse.statements.map { Masker.mask(String(decoding: bytes[$0.range], as: UTF8.self)) } : []
    checkedCreates = parses ? parse.statements.map {
      guard case .createConnection(let c) = $0.statement else { return nil }
      return Engine.checkedOptions(of: c)
    } : []
  }

  /// Whether the whole script parses (then running it runs its statements).
  public var parses: Bool { parse.errors.isEmpty }
}
