/// Catalogs and databases (Flink's namespaces for connections).
extension Catalog {
  func catalogNames() throws -> [String] {
    try driver.strings("SELECT name FROM catalogs")
  }

  func hasCatalog(_ name: String) throws -> Bool {
    try driver.exists("SELECT 1 FROM catalogs WHERE name = ?", [.text(name)])
  }

  /// The databases of a catalog; nil when the catalog does not exist.
  func databaseNames(in catalog: String) throws -> [String]? {
    guard try hasCatalog(catalog) else { return nil }
    return try driver.strings("SELECT name FROM databases WHERE catalog = ?", [.text(catalog)])
  }

  func hasDatabase(_ catalog: String, _ database: String) throws -> Bool {
    try driver.exists("SELECT 1 FROM databases WHERE catalog = ? AND name = ?", [.text(catalog), .text(database)])
  }

  /// Throws Flink's "does not exist" for the first missing part of `name`'s namespace.
  func requireDatabase(_ name: QualifiedName) throws {
    if try hasDatabase(name.catalog, name.database) { return }
    if try !hasCatalog(name.catalog) {
      throw EngineError(.notFound, "Catalog '\(sanitizedForMessage(name.catalog))' does not exist.")
    }
    throw EngineError(.notFound, "Database '\(sanitizedForMessage(name.catalog + "." + name.database))' does not exist.")
  }

  /// A new catalog with Flink's `default` database, as Flink's generic catalogs start.
  func insertCatalog(_ name: String, comment: String?, options: [String: String], at time: Double) throws {
    try driver.execute(
      "INSERT INTO catalogs (name, comment, options, created_at) VALUES (?, ?, ?, ?)",
      [.text(name), SQLValue(comment), .text(encodeOptions(options)), .double(time)])
    try insertDatabase(catalog: name, name: "default", comment: nil, at: time)
  }

  func insertDatabase(catalog: String, name: String, comment: String?, at time: Double) throws {
    try driver.execute(
      "INSERT INTO databases (catalog, name, comment, created_at) VALUES (?, ?, ?, ?)",
      [.text(catalog), .text(name), SQLValue(comment), .double(time)])
  }

  /// Deletes a catalog and its (empty) databases.
  func deleteCatalog(_ name: String) throws {
    try driver.execute("DELETE FROM catalogs WHERE name = ?", [.text(name)])
  }

  /// Deletes a database with its connections (each leaving a tombstone, restorable once the
  /// database exists again) and their sealed secrets.
  func deleteDatabase(catalog: String, name: String, at time: Double, by actor: String) throws {
    for connection in try connectionNames(catalog: catalog, database: name) {
      if let stored = try load(QualifiedName(catalog: catalog, database: name, name: connection)) {
        try delete(stored, at: time, by: actor)
      }
    }
    try driver.execute("DELETE FROM databases WHERE catalog = ? AND name = ?", [.text(catalog), .text(name)])
  }
}
