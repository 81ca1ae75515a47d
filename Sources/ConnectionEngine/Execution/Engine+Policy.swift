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

  /// The `catalog.database` a write lands in (for a catalog statement, `catalog.*`).
  public func namespace(of statement: Statement) -> (catalog: String, database: String)? {
    func of(_ name: ObjectName) -> (String, String)? { (try? resolve(name)).map { ($0.catalog, $0.database) } }
    switch statement {
    case .createConnection(let c): return of(c.name)
    case .alterConnection(let a): return of(a.name)
    case .dropConnection(let d): return of(d.name)
    case .createDatabase(let d): return d.name.parts.count == 2 ? (d.name.parts[0], d.name.parts[1]) : (currentCatalog, d.name.parts.last ?? "")
    case .dropDatabase(let name, _, _): return name.parts.count == 2 ? (name.parts[0], name.parts[1]) : (currentCatalog, name.parts.last ?? "")
    case .createCatalog(let c): return (c.name.parts[0], "*")
    case .dropCatalog(let name, _): return (name.parts[0], "*")
    default: return nil
    }
  }

  /// The protected namespace a write lands in, if it is not confirmed.
  public func unconfirmedProtectedNamespace(of statement: Statement) -> String? {
    guard statement.isWrite, let (catalog, database) = namespace(of: statement) else { return nil }
    // A catalog statement touches every database of the catalog.
    let protected = database == "*"
      ? writePolicy.protected.contains { NamespaceGlob.matchesCatalog($0, catalog: catalog) }
      : writePolicy.isProtected(catalog: catalog, database: database)
    let name = "\(catalog).\(database)"
    guard protected, !writePolicy.confirmed.contains(name) else { return nil }
    return name
  }

  func checkWritePolicy(_ statement: Statement) throws(EngineError) {
    guard statement.isWrite else { return }
    if writePolicy.readOnly { throw EngineError(.readOnly, Self.readOnlyMessage) }
    if let namespace = unconfirmedProtectedNamespace(of: statement) {
      throw EngineError(
        .protected, "\(namespace) is protected: a write there needs --confirm \(namespace) (in the terminal UI, typing its name). Nothing was changed.")
    }
  }

  /// Refuses writes that are not statements (import, rekey, history purge) in read-only mode.
  func checkNotReadOnly() throws(EngineError) {
    if writePolicy.readOnly { throw EngineError(.readOnly, Self.readOnlyMessage) }
  }
}
