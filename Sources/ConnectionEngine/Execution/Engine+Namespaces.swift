import Foundation

/// Catalogs, databases and the current namespace.
extension Engine {
  func executeNamespace(_ statement: Statement, maskedText: String) throws(EngineError) -> ResultSet {
    switch statement {
    case .useCatalog(let name):
      let catalog = name.parts[0]
      guard try catalogNames().contains(catalog) else { throw EngineError(.notFound, "Catalog '\(sanitizedForMessage(catalog))' does not exist.") }
      currentCatalog = catalog
      currentDatabase = try databaseNames(in: catalog).first ?? "default_database"
    case .useDatabase(let name):
      guard (1...2).contains(name.parts.count), !name.parts.contains("") else {
        throw EngineError(.validation, "USE takes [catalog.]database.")
      }
      let catalog = name.parts.count == 2 ? name.parts[0] : currentCatalog
      let database = name.parts.last!
      try self.catalog.read { try self.catalog.requireDatabase(QualifiedName(catalog: catalog, database: database, name: "")) }
      currentCatalog = catalog
      currentDatabase = database
    case .showCatalogs(let filter):
      let names = try catalogNames().filter { filter?.accepts($0) ?? true }
      record(maskedText, outcome: "ok")
      return ResultSet(columns: ["catalog name"], rows: names.map { [$0] })
    case .showDatabases(let scope, let filter):
      let names = try databaseNames(in: scope?.parts[0] ?? currentCatalog).filter { filter?.accepts($0) ?? true }
      record(maskedText, outcome: "ok")
      return ResultSet(columns: ["database name"], rows: names.map { [$0] })
    case .showCurrentCatalog:
      record(maskedText, outcome: "ok")
      return ResultSet(columns: ["current catalog name"], rows: [[currentCatalog]])
    case .showCurrentDatabase:
      record(maskedText, outcome: "ok")
      return ResultSet(columns: ["current database name"], rows: [[currentDatabase]])
    case .createCatalog(let c):
      try createCatalog(c, maskedText: maskedText)
      return .ok
    case .createDatabase(let d):
      try createDatabase(d, maskedText: maskedText)
      return .ok
    case .dropCatalog(let name, let ifExists):
      try dropCatalog(name, ifExists: ifExists, maskedText: maskedText)
      return .ok
    case .dropDatabase(let name, let ifExists, let cascade):
      try dropDatabase(name, ifExists: ifExists, cascade: cascade, maskedText: maskedText)
      return .ok
    default:
      throw EngineError(.unsupported, "This statement is not supported.")
    }
    record(maskedText, outcome: "ok")
    return .ok
  }

  public func catalogNames() throws(EngineError) -> [String] {
    try catalog.read { try catalog.catalogNames() }.sorted(by: javaOrder)
  }

  public func databaseNames(in catalog: String) throws(EngineError) -> [String] {
    let names = try self.catalog.read { try self.catalog.databaseNames(in: catalog) }
    guard let names else { throw EngineError(.notFound, "Catalog '\(sanitizedForMessage(catalog))' does not exist.") }
    return names.sorted(by: javaOrder)
  }

  private func createCatalog(_ c: CreateCatalog, maskedText: String) throws(EngineError) {
    let name = c.name.parts[0]
    let options = try Self.optionMap(c.options)
    if let key = options.keys.sorted().first(where: { SecretPolicy.isSecret($0) }) {
      throw EngineError(.validation, "Catalog option '\(sanitizedForMessage(key))' may hold a secret (it is not on the public list); catalogs cannot hold secrets here.")
    }
    try Self.checkValues(options, type: nil)
    try catalog.write {
      if try catalog.hasCatalog(name) {
        if c.ifNotExists { return try appendHistory(maskedText, outcome: "ok", message: "already exists") }
        throw EngineError(.alreadyExists, "Catalog '\(sanitizedForMessage(name))' already exists.")
      }
      try catalog.insertCatalog(name, comment: c.comment, options: options, at: now())
      try appendHistory(maskedText, outcome: "ok")
    }
  }

  private func createDatabase(_ d: CreateDatabase, maskedText: String) throws(EngineError) {
    guard (1...2).contains(d.name.parts.count) else {
      throw EngineError(.validation, "A database name has the form [catalog.]database.")
    }
    let catalog = d.name.parts.count == 2 ? d.name.parts[0] : currentCatalog
    let name = d.name.parts.last!
    if name.allSatisfy(\.isWhitespace) { throw EngineError(.validation, "Name parts cannot be empty or blank.") }
    try self.catalog.write {
      guard try self.catalog.hasCatalog(catalog) else {
        throw EngineError(.notFound, "Catalog '\(sanitizedForMessage(catalog))' does not exist.")
      }
      if try self.catalog.hasDatabase(catalog, name) {
        if d.ifNotExists { return try appendHistory(maskedText, outcome: "ok", message: "already exists") }
        throw EngineError(.alreadyExists, "Database '\(sanitizedForMessage(catalog + "." + name))' already exists.")
      }
      try self.catalog.insertDatabase(catalog: catalog, name: name, comment: d.comment, at: now())
      try appendHistory(maskedText, outcome: "ok")
    }
  }

  private func dropCatalog(_ name: ObjectName, ifExists: Bool, maskedText: String) throws(EngineError) {
    guard name.parts.count == 1 else { throw EngineError(.validation, "A catalog name has one part.") }
    let catalog = name.parts[0]
    if catalog == currentCatalog { throw EngineError(.validation, "Cannot drop a catalog which is currently in use.") }
    try self.catalog.write {
      guard try self.catalog.hasCatalog(catalog) else {
        if ifExists { return try appendHistory(maskedText, outcome: "ok", message: "does not exist") }
        throw EngineError(.notFound, "Catalog '\(sanitizedForMessage(catalog))' does not exist.")
      }
      // Flink's DROP CATALOG has no CASCADE: a catalog that still holds connections stays.
      let count = try self.catalog.connectionCount(catalog: catalog)
      if count > 0 {
        throw EngineError(
          .validation,
          "Catalog '\(sanitizedForMessage(catalog))' still holds \(count) connection\(count == 1 ? "" : "s"); nothing was dropped. Drop them first, or drop its databases with DROP DATABASE \(quoteIdentifier(catalog)).<database> CASCADE.")
      }
      try self.catalog.deleteCatalog(catalog)
      try appendHistory(maskedText, outcome: "ok")
    }
    temporaries = temporaries.filter { $0.key.catalog != catalog }
  }

  private func dropDatabase(_ name: ObjectName, ifExists: Bool, cascade: Bool, maskedText: String) throws(EngineError) {
    guard (1...2).contains(name.parts.count) else { throw EngineError(.validation, "A database name has the form [catalog.]database.") }
    let catalog = name.parts.count == 2 ? name.parts[0] : currentCatalog
    let database = name.parts.last!
    if catalog == currentCatalog && database == currentDatabase {
      throw EngineError(.validation, "Cannot drop a database which is currently in use.")
    }
    try self.catalog.write {
      guard try self.catalog.hasDatabase(catalog, database) else {
        if ifExists { return try appendHistory(maskedText, outcome: "ok", message: "does not exist") }
        throw EngineError(.notFound, "Database '\(sanitizedForMessage(catalog + "." + database))' does not exist.")
      }
      let count = try self.catalog.connectionCount(catalog: catalog, database: database)
      if count > 0 && !cascade {
        throw EngineError(.validation, "Database '\(sanitizedForMessage(catalog + "." + database))' is not empty (\(count) connections); use CASCADE to drop them too.")
      }
      try self.catalog.deleteDatabase(catalog: catalog, name: database, at: now(), by: actor)
      try appendHistory(maskedText, outcome: "ok")
    }
    temporaries = temporaries.filter { !($0.key.catalog == catalog && $0.key.database == database) }
  }
}
