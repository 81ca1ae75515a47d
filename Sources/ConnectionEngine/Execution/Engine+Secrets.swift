extension Engine {
  /// Opens every stored secret (none is returned): proves each record belongs to its connection,
  /// key and version, and that the master key is right. Returns how many were checked.
  public func verifySecrets() throws(EngineError) -> Int {
    try catalog.read { try catalog.verifySecrets() }
  }
}

/// What `Engine.verify()` found.
public struct CatalogHealth: Sendable, Equatable {
  public var integrity: String
  public var connections: Int
  public var secretsOpened: Int
  public var orphanSecrets: Int
  public var isHealthy: Bool { integrity == "ok" && orphanSecrets == 0 }
}

extension Engine {
  /// SQLite's integrity check, every secret opened (bound to its connection, key and version),
  /// and no secret without its connection.
  public func verify() throws(EngineError) -> CatalogHealth {
    let (integrity, connections, orphans) = try catalog.read { try catalog.health() }
    return CatalogHealth(integrity: integrity, connections: connections, secretsOpened: try verifySecrets(), orphanSecrets: orphans)
  }
}
