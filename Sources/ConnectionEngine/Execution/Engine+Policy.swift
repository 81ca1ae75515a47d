/// Read-only mode and protected namespaces: one check, before any write runs.
public struct WritePolicy: Sendable, Equatable {
  /// `--read-only`, or `read-only = true` in the config: every write is refused.
  public var readOnly = false
  /// Globs over `catalog.database` whose writes need a confirmation.
  public var protected: [String] = []
  /// `catalog.database` names confirmed for this run (`--confirm`, or typed in the UI).
  public var confirmed: Set<String> = []

  public init(readOnly: Bool = false, protected: [String] = [], confirmed: Set<String> = []) {
    self.readOnly = readOnly
    self.protected = protected
    self.confirmed = confirmed
  }

  public func isProtected(catalog: String, database: String) -> Bool {
    protected.contains { NamespaceGlob.matches($0, catalog: catalog, database: database) }
  }

  /// The `catalog.database` a write lands in, names resolved against the current namespace as
  /// the engine resolves them; `catalog.*` for a catalog statement. Nil for a read.
  public static func namespace(of statement: Statement, catalog: String, database: String) -> (catalog: String, database: String)? {
    func of(_ name: ObjectName) -> (String, String) {
      switch name.parts.count {
      case 0, 1: return (catalog, database)
      case 2: return (catalog, name.parts[0])
      default: return (name.parts[0], name.parts[1])
      }
    }
    func ofDatabase(_ name: ObjectName) -> (String, String) {
      name.parts.count == 2 ? (name.parts[0], name.parts[1]) : (catalog, name.parts.last ?? "")
    }
    switch statement {
    case .createConnection(let c): return of(c.name)
    case .alterConnection(let a): return of(a.name)
    case .dropConnection(let d): return of(d.name)
    case .createDatabase(let d): return ofDatabase(d.name)
    case .dropDatabase(let name, _, _): return ofDatabase(name)
    case .createCatalog(let c): return (c.name.parts[0], "*")
    case .dropCatalog(let name, _): return (name.parts[0], "*")
    default: return nil
    }
  }

  /// The protected namespace (`catalog.database`, or `catalog.*`) `statement` writes into
  /// without its confirmation, or nil.
  public func unconfirmedProtectedNamespace(of statement: Statement, catalog: String, database: String) -> String? {
    guard statement.isWrite, let target = Self.namespace(of: statement, catalog: catalog, database: database) else { return nil }
    // A catalog statement touches every database of the catalog.
    let isProtected = target.database == "*"
      ? protected.contains { NamespaceGlob.matchesCatalog($0, catalog: target.catalog) }
      : isProtected(catalog: target.catalog, database: target.database)
    guard isProtected else { return nil }
    let name = "\(target.catalog).\(target.database)"
    return confirmed.contains(name) ? nil : name
  }
}

extension Statement {
  /// Whether it changes the catalog (or the session's temporary connections).
  public var isWrite: Bool {
    switch self {
    case .createConnection, .alterConnection, .dropConnection, .createCatalog, .createDatabase, .dropCatalog, .dropDatabase:
      return true
    default:
      return false
    }
  }
}

extension Engine {
  static let readOnlyMessage = "Read-only mode (--read-only, or read-only = true in the config): nothing was changed."

  /// The protected namespace a write lands in, if it is not confirmed.
  public func unconfirmedProtectedNamespace(of statement: Statement) -> String? {
    writePolicy.unconfirmedProtectedNamespace(of: statement, catalog: currentCatalog, database: currentDatabase)
  }

  func checkWritePolicy(_ statement: Statement) throws(EngineError) {
    guard statement.isWrite else { return }
    if writePolicy.readOnly { throw EngineError(.readOnly, Self.readOnlyMessage) }
    if let namespace = unconfirmedProtectedNamespace(of: statement) { throw Self.protectedError(namespace) }
  }

  /// The same check for a write that is not a statement (restore), into `name`'s namespace.
  func checkWritePolicy(into name: QualifiedName) throws(EngineError) {
    try checkNotReadOnly()
    let namespace = "\(name.catalog).\(name.database)"
    if writePolicy.isProtected(catalog: name.catalog, database: name.database) && !writePolicy.confirmed.contains(namespace) {
      throw Self.protectedError(namespace)
    }
  }

  private static func protectedError(_ namespace: String) -> EngineError {
    EngineError(
      .protected, "\(namespace) is protected: a write there needs --confirm \(namespace) (in the terminal UI, typing its name). Nothing was changed.")
  }

  /// Refuses writes that are not statements (import, rekey, history purge) in read-only mode.
  func checkNotReadOnly() throws(EngineError) {
    if writePolicy.readOnly { throw EngineError(.readOnly, Self.readOnlyMessage) }
  }
}
