import Foundation

/// A catalog in a PostgreSQL database, in a schema of its own. Writers are serialised by a
/// transaction-scoped advisory lock, as SQLite's BEGIN IMMEDIATE serialises them, so a script
/// gives the same results on both; secrets reach the server only sealed.
final class PostgresDriver: CatalogDriver {
  let dialect = SQLDialect.postgresql
  let schema: String
  private(set) var location: String
  private(set) var isReadOnly = false
  let isDamaged = false
  private(set) var role: String?
  private let connection: PGConnection
  /// 0 outside a transaction; 1 in one; more inside savepoints.
  private var depth = 0
  private var isListening = false

  init(url: String, environment: [String: String]) throws(EngineError) {
    let parsed = try PostgresLocation(url)
    schema = parsed.schema
    location = PostgresLocation.shown(url)
    do {
      connection = try PGConnection(url: parsed.url, environment: environment)
    } catch {
      throw EngineError(.storage, "Cannot open the catalog at \(self.location): \(error.message)")
    }
    location = sanitizedForMessage(connection.address)
    // Statement triggers with EXECUTE FUNCTION and the rest of the schema need PostgreSQL 11;
    // older servers are out of support anyway.
    let version = connection.serverVersion
    guard version >= 110_000 else {
      throw EngineError(
        .storage,
        "The catalog server at \(location) runs PostgreSQL \(version / 10_000); Switchboard needs PostgreSQL 11 or newer. Nothing was changed.")
    }
    do {
      try prepareSchema()
      role = try firstRow("SELECT current_user", []) { $0.text(0) } ?? nil
      isReadOnly = !(try firstRow(
        "SELECT has_table_privilege(c.oid, 'INSERT') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = 'connections'",
        [.text(schema)]) { $0.text(0) == "t" } ?? false)
    } catch let error as EngineError {
      throw error
    } catch {
      throw describe(error)
    }
  }

  // MARK: CatalogDriver

  func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
    let result = try connection.query(sql, arguments)
    defer { connection.release(result) }
    return connection.changedRows(result)
  }

  func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (any SQLRow) throws -> Void) throws {
    let result = try connection.query(sql, arguments)
    defer { connection.release(result) }
    let count = connection.pq.ntuples(result)
    for row in 0..<count { try body(PGRow(pq: connection.pq, result: result, row: row)) }
  }

  func transaction<T>(_ body: () throws -> T) throws -> T {
    if depth > 0 {
      let savepoint = "sb_\(depth)"
      try connection.run("SAVEPOINT \(savepoint)")
      depth += 1
      defer { depth -= 1 }
      do {
        let result = try body()
        try connection.run("RELEASE SAVEPOINT \(savepoint)")
        return result
      } catch {
        try? connection.run("ROLLBACK TO SAVEPOINT \(savepoint); RELEASE SAVEPOINT \(savepoint)")
        throw error
      }
    }
    try ensureConnected()
    try connection.run("BEGIN; SELECT pg_advisory_xact_lock(hashtext('\(PostgresSchema.channel(schema))'))")
    return try inOpenTransaction(body)
  }

  func read<T>(_ body: () throws -> T) throws -> T {
    if depth > 0 { return try body() }
    try ensureConnected()
    try connection.run("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    return try inOpenTransaction(body)
  }

  func close() { connection.close() }

  /// Rewrites the tables that held removed rows, so dead tuples do not linger in their files.
  /// Best effort: only the tables' owner may, and the catalog is whole either way.
  func scrub() throws {
    try? connection.run("VACUUM FULL history, secrets, connections, versions, sealed_versions")
  }

  func describe(_ error: any Error) -> EngineError {
    if let error = error as? EngineError { return error }
    guard let failure = error as? PGFailure else { return EngineError(.storage, "Catalog \(location): \(error)") }
    guard let state = failure.sqlstate else {
      return EngineError(
        .storage,
        "The catalog server at \(location) is unreachable (\(failure.message)); the statement was not confirmed. Check with SHOW CONNECTIONS before trying again.")
    }
    switch state {
    case "42501":
      return EngineError(.storage, "The catalog \(location) is read-only for this role; nothing was changed.")
    case "53100":
      return EngineError(.storage, "The disk of the catalog server at \(location) is full; nothing was changed.")
    case "57P01", "57P02", "57P03":
      return EngineError(.storage, "The catalog server at \(location) is shutting down or starting; nothing was changed. Try again.")
    case "40001", "40P01":
      return EngineError(.storage, "The catalog \(location) is busy (a conflicting transaction); nothing was changed. Try again.")
    default:
      // Values are bound, never written into SQL, so a server message quotes none of ours.
      return EngineError(.storage, "Catalog \(location): \(failure.message) (SQLSTATE \(state)); nothing was changed.")
    }
  }

  // MARK: Live changes

  /// A trigger notifies on every change to connections, databases and catalogs (ours included,
  /// which costs one extra reload). Listening starts on the first call, again after a reconnect.
  /// A lost connection is tried again on every look; once back, everything is reloaded (what
  /// changed meanwhile was not announced to this session).
  func changedElsewhere() -> CatalogChange {
    guard depth == 0 else { return .unchanged }
    let reconnected = !connection.isAlive
    guard (try? ensureConnected()) != nil else { return .unreachable("The catalog server is unreachable; reconnecting.") }
    if !isListening {
      isListening = (try? connection.run("LISTEN \(PostgresSchema.channel(schema))")) != nil
      return reconnected ? .changed : .unchanged
    }
    guard let channels = connection.takeNotifications() else {
      return .unreachable("The catalog server is unreachable; reconnecting.")
    }
    return channels.isEmpty ? .unchanged : .changed
  }

  // MARK: Opening

  private func inOpenTransaction<T>(_ body: () throws -> T) throws -> T {
    depth = 1
    defer { depth = 0 }
    do {
      let result = try body()
      try connection.run("COMMIT")
      return result
    } catch {
      try? connection.run("ROLLBACK")
      throw error
    }
  }

  private func ensureConnected() throws {
    if !connection.isAlive {
      guard connection.reconnect() else { throw PGFailure(sqlstate: nil, message: "connection lost") }
      isListening = false
      try connection.run("SET search_path TO \"\(schema)\"")
    }
  }

  /// Uses the schema when it holds a catalog of this version; creates it when it is missing or
  /// empty; refuses one that belongs to something else or to a newer Switchboard.
  private func prepareSchema() throws {
    try connection.run("SET search_path TO \"\(schema)\"")
    if try checkExisting() {
      try migrateIfOld()
      return
    }
    try transaction {
      // Another first start may have created it while this one waited for the lock.
      if try !checkExisting() {
        try connection.run(PostgresSchema.create(in: schema))
        // The salt is 32 random bytes, as a master key is.
        _ = try execute("INSERT INTO meta (key, bytes) VALUES ('salt', ?)", [.bytes(MasterKeySource.newKey())])
      }
    }
  }

  /// Brings an older catalog to this build's version, in one transaction under the writers' lock
  /// (another client may have done it meanwhile: the version is read again inside).
  private func migrateIfOld() throws {
    guard try schemaVersion() < PostgresSchema.version else { return }
    do {
      try transaction {
        var version = try schemaVersion()
        while version < PostgresSchema.version, let step = PostgresSchema.migrations[version] {
          try connection.run(step)
          version += 1
        }
      }
    } catch let failure as PGFailure where failure.sqlstate == "42501" {
      throw EngineError(
        .storage,
        "The catalog at \(location) needs an upgrade to schema version \(PostgresSchema.version), which this role may not make; run any command once as a role that may change the schema.")
    }
  }

  private func schemaVersion() throws -> Int64 {
    try firstRow("SELECT number FROM meta WHERE key = 'schema_version'", []) { $0.int(0) } ?? 0
  }

  /// True when the schema holds a current catalog; false when it is missing or empty.
  private func checkExisting() throws -> Bool {
    let tables = try firstRow(
      "SELECT count(*), count(*) FILTER (WHERE tablename = 'meta') FROM pg_tables WHERE schemaname = ?", [.text(schema)]
    ) { ($0.int(0), $0.int(1)) } ?? (0, 0)
    if tables.0 == 0 { return false }
    let application = tables.1 == 0 ? nil : try firstRow("SELECT bytes FROM meta WHERE key = 'application'", []) { $0.bytes(0) } ?? nil
    guard application == PostgresSchema.application else {
      throw EngineError(
        .storage,
        "The schema \"\(schema)\" of \(location) belongs to something else (it has tables but no Switchboard catalog); nothing was changed. Choose another with ?schema=NAME.")
    }
    let version = try firstRow("SELECT number FROM meta WHERE key = 'schema_version'", []) { $0.int(0) } ?? 0
    if version > PostgresSchema.version {
      throw EngineError(
        .storage,
        "The catalog at \(location) was written by a newer Switchboard (schema version \(version); this one knows \(PostgresSchema.version)); nothing was changed. Upgrade Switchboard.")
    }
    return true
  }
}
