/// Permanent connections and their sealed secrets. Callers run these inside `write` or `read`.
extension Catalog {
  private static let columns = "id, catalog, database, name, type, comment, options, version, created_at, updated_at, updated_by"

  func load(_ name: QualifiedName) throws -> StoredConnection? {
    guard
      var stored = try driver.firstRow(
        "SELECT \(Self.columns) FROM connections WHERE catalog = ? AND database = ? AND name = ?",
        [.text(name.catalog), .text(name.database), .text(name.name)],
        { row in
          StoredConnection(
            id: row.int(0), name: QualifiedName(catalog: row.string(1), database: row.string(2), name: row.string(3)),
            type: row.string(4), comment: row.text(5), options: decodeOptions(row.text(6)), secretVersions: [:],
            version: row.int(7), createdAt: row.double(8), updatedAt: row.double(9), updatedBy: row.text(10))
        })
    else { return nil }
    try driver.forEachRow("SELECT key, version FROM secrets WHERE connection_id = ?", [.int(stored.id)]) { row in
      stored.secretVersions[row.string(0)] = row.int(1)
    }
    return stored
  }

  func exists(_ name: QualifiedName) throws -> Bool {
    try driver.exists(
      "SELECT 1 FROM connections WHERE catalog = ? AND database = ? AND name = ?",
      [.text(name.catalog), .text(name.database), .text(name.name)])
  }

  /// Inserts a connection with a fresh id and first version, its secrets sealed under them.
  func insert(_ connection: PreparedCreate, at time: Double, by actor: String) throws -> (id: Int64, version: Int64) {
    let id = try nextID()
    let version = try firstVersion()
    try insert(connection, id: id, version: version, at: time, by: actor)
    return (id, version)
  }

  /// Inserts a connection under an id and first version reserved for it (`reserveIdentities`).
  func insert(_ connection: PreparedCreate, id: Int64, version: Int64, at time: Double, by actor: String) throws {
    let name = connection.name
    let options = connection.options
    let secrets = options.secrets
    let cipher = secrets.isEmpty ? nil : try cipher(creatingKey: true)
    try driver.execute(
      """
      INSERT INTO connections (id, catalog, database, name, type, endpoint, comment, options, version, created_at, updated_at, updated_by)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        .int(id), .text(name.catalog), .text(name.database), .text(name.name), .text(options.type.name), SQLValue(options.endpoint),
        SQLValue(options.comment), .text(options.encodedOptions), .int(version), .double(time), .double(time), .text(actor),
      ])
    for (key, value) in secrets.sorted(by: { $0.key < $1.key }) {
      try storeSecret(cipher!, connectionID: id, key: key, value: value, version: version, at: time)
    }
  }

  /// Replaces a connection's public options, seals new secret values and removes reset ones,
  /// all under the connection's next version. Returns that version.
  @discardableResult
  func update(
    _ stored: StoredConnection, options: [String: String], newSecrets: [String: String], resetSecrets: [String],
    at time: Double, by actor: String
  ) throws -> Int64 {
    try keepVersion(of: stored)
    let version = try nextVersion(of: stored)
    if !newSecrets.isEmpty || !resetSecrets.isEmpty {
      let cipher = try cipher(creatingKey: !newSecrets.isEmpty && stored.secretVersions.isEmpty)
      for key in resetSecrets {
        try driver.execute("DELETE FROM secrets WHERE connection_id = ? AND key = ?", [.int(stored.id), .text(key)])
      }
      for (key, value) in newSecrets.sorted(by: { $0.key < $1.key }) {
        try storeSecret(cipher, connectionID: stored.id, key: key, value: value, version: version, at: time)
      }
    }
    try driver.execute(
      "UPDATE connections SET options = ?, endpoint = ?, version = ?, updated_at = ?, updated_by = ? WHERE id = ?",
      [.text(encodeOptions(options)), SQLValue(options["endpoint"]), .int(version), .double(time), .text(actor), .int(stored.id)])
    return version
  }

  /// Renames a connection inside its database, under its next version.
  func rename(_ stored: StoredConnection, to newName: String, at time: Double, by actor: String) throws {
    try keepVersion(of: stored)
    let version = try nextVersion(of: stored)
    try driver.execute(
      "UPDATE connections SET name = ?, version = ?, updated_at = ?, updated_by = ? WHERE id = ?",
      [.text(newName), .int(version), .double(time), .text(actor), .int(stored.id)])
  }

  /// Deletes a connection and its sealed secrets (which needs no key: only bytes go), leaving
  /// its last version and a tombstone to restore it from.
  func delete(_ stored: StoredConnection, at time: Double, by actor: String) throws {
    try keepTombstone(of: stored, at: time, by: actor)
    try driver.execute("DELETE FROM secrets WHERE connection_id = ?", [.int(stored.id)])
    try driver.execute("DELETE FROM connections WHERE id = ?", [.int(stored.id)])
  }

  private func nextVersion(of stored: StoredConnection) throws -> Int64 {
    let version = stored.version + 1
    try noteVersion(version)
    return version
  }

  /// One database's permanent connections, whole, by name (code point order).
  func summaries(catalog: String, database: String) throws -> [ConnectionSummary] {
    // Column positions and the database's sort: this runs for every row of a big catalog.
    var secretKeys: [Int64: [String]] = [:]
    var secretsChanged: [Int64: Double] = [:]
    try driver.forEachRow(
      """
      SELECT s.connection_id, s.key, s.sealed_at FROM secrets s JOIN connections c ON c.id = s.connection_id
      WHERE c.catalog = ? AND c.database = ? ORDER BY s.connection_id, s.key
      """, [.text(catalog), .text(database)]
    ) { row in
      let id = row.int(0)
      secretKeys[id, default: []].append(row.string(1))
      if let at = row.optionalDouble(2) { secretsChanged[id] = max(secretsChanged[id] ?? at, at) }
    }
    var result: [ConnectionSummary] = []
    try driver.forEachRow(
      """
      SELECT id, name, type, endpoint, comment, options, version, updated_at FROM connections
      WHERE catalog = ? AND database = ? ORDER BY name
      """, [.text(catalog), .text(database)]
    ) { row in
      var summary = ConnectionSummary(
        catalog: catalog, database: database, name: row.string(1), type: row.string(2), endpoint: row.text(3),
        comment: row.text(4), optionsJSON: row.string(5), secretKeys: secretKeys[row.int(0)] ?? [], isTemporary: false,
        version: row.int(6), updatedAt: row.double(7))
      summary.secretsChangedAt = secretsChanged[row.int(0)]
      result.append(summary)
    }
    return result
  }

  /// One database's permanent connections as the list shows them, by name, in one pass over one
  /// query (no map of every secret first): a million rows stream into columns.
  func listing(catalog: String, database: String, limit: Int?) throws -> ConnectionListing {
    var listing = ConnectionListing(catalog: catalog, database: database)
    var current: (id: Int64, summary: ConnectionSummary, keys: [String], changed: Double?)?
    func flush() {
      guard var row = current else { return }
      row.summary.secretKeys = row.keys
      row.summary.secretsChangedAt = row.changed
      listing.append(ListedConnection(row.summary))
    }
    let select = """
      SELECT c.id, c.name, c.type, c.endpoint, c.options, c.version, c.updated_at, s.key, s.sealed_at
      FROM \(limit == nil ? "connections" : "(SELECT * FROM connections WHERE catalog = ? AND database = ? ORDER BY name LIMIT ?)") c
      LEFT JOIN secrets s ON s.connection_id = c.id
      WHERE c.catalog = ? AND c.database = ? ORDER BY c.name, s.key
      """
    var arguments: [SQLValue] = []
    if let limit { arguments += [.text(catalog), .text(database), .int(Int64(limit))] }
    arguments += [.text(catalog), .text(database)]
    try driver.forEachRow(select, arguments) { row in
      let id = row.int(0)
      if current?.id != id {
        flush()
        current = (
          id,
          ConnectionSummary(
            catalog: catalog, database: database, name: row.string(1), type: row.string(2), endpoint: row.text(3),
            comment: nil, optionsJSON: row.string(4), secretKeys: [], isTemporary: false, version: row.int(5),
            updatedAt: row.double(6)),
          [], nil
        )
      }
      if let key = row.text(7) {
        current!.keys.append(key)
        if let at = row.optionalDouble(8) { current!.changed = max(current!.changed ?? at, at) }
      }
    }
    flush()
    return listing
  }

  /// Every permanent connection's name, in catalog, database and name order.
  func allConnectionNames() throws -> [QualifiedName] {
    var names: [QualifiedName] = []
    try driver.forEachRow("SELECT catalog, database, name FROM connections ORDER BY catalog, database, name", []) { row in
      names.append(QualifiedName(catalog: row.string(0), database: row.string(1), name: row.string(2)))
    }
    return names
  }

  /// The names of one database's connections, nothing else (resolving a script's references).
  func connectionNames(catalog: String, database: String) throws -> [String] {
    var names: [String] = []
    try driver.forEachRow(
      "SELECT name FROM connections WHERE catalog = ? AND database = ?", [.text(catalog), .text(database)]
    ) { row in names.append(row.string(0)) }
    return names
  }

  func connectionCount(catalog: String, database: String? = nil) throws -> Int {
    let count =
      if let database {
        try driver.int("SELECT count(*) FROM connections WHERE catalog = ? AND database = ?", [.text(catalog), .text(database)])
      } else {
        try driver.int("SELECT count(*) FROM connections WHERE catalog = ?", [.text(catalog)])
      }
    return Int(count ?? 0)
  }
}
