/// The catalog: every statement about catalogs and databases, connections, sealed secrets, the
/// history and the versions lives in this type and its extensions, whatever database holds it.
/// Its methods keep the schema's invariants (ids and first versions never repeat; a sealed
/// record is bound to its connection, key and version). `Engine` parses, resolves, validates,
/// and calls it; nothing outside `Catalog/` writes SQL.
final class Catalog {
  let driver: any CatalogDriver
  let keySource: MasterKeySource
  /// The cipher whose key passed the catalog's key check, until a rollback may have undone it.
  var cachedCipher: SecretCipher?
  /// How many earlier versions (tombstones included) each connection keeps.
  var versionRetention = Catalog.defaultRetention
  static let defaultRetention = 20

  init(driver: any CatalogDriver, keySource: MasterKeySource) {
    self.driver = driver
    self.keySource = keySource
  }

  /// Opens the catalog at `location`: a `postgresql://` or `postgres://` URL, or a file path.
  /// `environment` supplies the master key and, for PostgreSQL, libpq's settings.
  static func open(_ location: String, environment: [String: String]) throws(EngineError) -> Catalog {
    let driver: any CatalogDriver =
      PostgresLocation.isURL(location)
      ? try PostgresDriver(url: location, environment: environment) : try SQLiteDriver(path: location)
    return Catalog(driver: driver, keySource: MasterKeySource(environment: environment))
  }

  var dialect: SQLDialect { driver.dialect }
  var location: String { driver.location }
  var isReadOnly: Bool { driver.isReadOnly }
  var isDamaged: Bool { driver.isDamaged }
  var isWritable: Bool { !isReadOnly && !isDamaged }

  // MARK: Transactions

  /// A write transaction, or a savepoint inside the one in progress (a script's statements).
  func write<T>(_ body: () throws -> T) throws(EngineError) -> T {
    guard !isReadOnly else { throw EngineError(.storage, "The catalog \(location) is read-only; nothing was changed.") }
    do {
      return try driver.transaction(body)
    } catch {
      // A rolled-back transaction may have dropped the key check the cache vouches for.
      cachedCipher = nil
      throw driver.describe(error)
    }
  }

  func read<T>(_ body: () throws -> T) throws(EngineError) -> T {
    do {
      return try driver.read(body)
    } catch {
      throw driver.describe(error)
    }
  }

  /// Runs a script's statements in one transaction (one fsync, one round of locks); `body`
  /// returns false to undo all of them.
  func batch(_ body: () -> Bool) throws(EngineError) {
    do {
      try driver.transaction { if !body() { throw RollbackRequested() } }
    } catch is RollbackRequested {
      cachedCipher = nil
    } catch {
      cachedCipher = nil
      throw driver.describe(error)
    }
  }

  /// Makes deleted and overwritten rows unrecoverable from the database's files.
  func scrub() throws(EngineError) {
    do { try driver.scrub() } catch { throw driver.describe(error) }
  }

  // MARK: Counters and settings (`meta`)

  /// SQLite keeps every setting in one dynamically typed column; PostgreSQL has one per type.
  private var numberColumn: String { dialect == .sqlite ? "value" : "number" }
  private var bytesColumn: String { dialect == .sqlite ? "value" : "bytes" }

  func number(_ key: String) throws -> Int64? {
    try driver.int("SELECT \(numberColumn) FROM meta WHERE key = ?", [.text(key)])
  }

  func setNumber(_ key: String, _ value: Int64) throws {
    try driver.execute(
      "INSERT INTO meta (key, \(numberColumn)) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET \(numberColumn) = excluded.\(numberColumn)",
      [.text(key), .int(value)])
  }

  func bytes(_ key: String) throws -> [UInt8]? {
    try driver.firstRow("SELECT \(bytesColumn) FROM meta WHERE key = ?", [.text(key)]) { $0.bytes(0) } ?? nil
  }

  func setBytes(_ key: String, _ value: [UInt8]) throws {
    try driver.execute(
      "INSERT INTO meta (key, \(bytesColumn)) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET \(bytesColumn) = excluded.\(bytesColumn)",
      [.text(key), .bytes(value)])
  }

  // Two high-water marks: `last_id` and `last_version`. SQLite keeps them in `meta` (its one
  // writer makes that cheap); PostgreSQL in sequences (see `PostgresSchema`).

  /// Adds one to a high-water mark and returns the new value.
  private func bump(_ key: String) throws -> Int64 {
    if dialect == .postgresql { return try driver.int("SELECT nextval(?)", [.text(key)])! }
    // One statement: a long script of CREATEs runs this twice for each.
    return try driver.int("UPDATE meta SET value = value + 1 WHERE key = ? RETURNING value", [.text(key)])!
  }

  /// The next connection id: above every id this catalog has handed out.
  func nextID() throws -> Int64 { try bump("last_id") }

  /// The first version of a new connection: above every version issued so far.
  func firstVersion() throws -> Int64 { try bump("last_version") }

  /// Reserves `count` ids and as many first versions at once, for a run of new connections
  /// written in one transaction: the same ids and versions `count` calls of `nextID` and
  /// `firstVersion` would give. nil on PostgreSQL, whose sequences hand them out one by one.
  func reserveIdentities(_ count: Int) throws -> (firstID: Int64, firstVersion: Int64)? {
    guard dialect == .sqlite, count > 0 else { return nil }
    let sql = "UPDATE meta SET value = value + ? WHERE key = ? RETURNING value"
    let lastID = try driver.int(sql, [.int(Int64(count)), .text("last_id")])!
    let lastVersion = try driver.int(sql, [.int(Int64(count)), .text("last_version")])!
    return (lastID - Int64(count) + 1, lastVersion - Int64(count) + 1)
  }

  /// Records a version issued by a change, so later first versions stay above it.
  func noteVersion(_ version: Int64) throws {
    if dialect == .postgresql {
      _ = try driver.int(
        "SELECT CASE WHEN is_called AND last_value >= ? THEN last_value ELSE setval('last_version', ?) END FROM last_version",
        [.int(version), .int(version)])
      return
    }
    try driver.execute(
      "UPDATE meta SET value = CASE WHEN value < ? THEN ? ELSE value END WHERE key = 'last_version'", [.int(version), .int(version)])
  }

  func lastVersion() throws -> Int64 {
    if dialect == .postgresql {
      return try driver.int("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM last_version") ?? 0
    }
    return try number("last_version") ?? 0
  }
}
