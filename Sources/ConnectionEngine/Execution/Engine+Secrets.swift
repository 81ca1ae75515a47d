extension Engine {
  /// Opens every stored secret (none is returned): proves each record belongs to its connection,
  /// key and version, and that the master key is right — the sealed records kept with earlier
  /// versions too. Returns how many current ones were checked.
  public func verifySecrets() throws(EngineError) -> Int {
    try catalog.read { try catalog.verifySecrets() }.current
  }

  /// Re-seals every secret under `newMasterKey` in one transaction (what a team does when
  /// someone who had the key leaves); the current key must be available. Returns how many
  /// secrets were re-sealed. Recorded in the history.
  @discardableResult
  public func rekey(newMasterKey: [UInt8]) throws(EngineError) -> Int {
    try checkNotReadOnly()
    guard newMasterKey.count == 32 else { throw EngineError(.secrets, "A master key has 32 bytes.") }
    return try catalog.write {
      let count = try catalog.reseal(under: newMasterKey)
      try appendHistory("-- rekey", outcome: "ok", message: "\(count) secret\(count == 1 ? "" : "s") re-sealed under a new master key")
      return count
    }
  }
}

/// What `Engine.verify()` found.
public struct CatalogHealth: Sendable, Equatable {
  public var integrity: String
  public var connections: Int
  public var secretsOpened: Int
  /// Sealed records kept with earlier versions, opened too.
  public var keptSecretsOpened: Int
  public var orphanSecrets: Int
  public var isHealthy: Bool { integrity == "ok" && orphanSecrets == 0 }
}

extension Engine {
  /// SQLite's integrity check, every secret opened (bound to its connection, key and version),
  /// and no secret without its connection.
  public func verify() throws(EngineError) -> CatalogHealth {
    let (integrity, connections, orphans) = try catalog.read { try catalog.health() }
    let opened = try catalog.read { try catalog.verifySecrets() }
    return CatalogHealth(
      integrity: integrity, connections: connections, secretsOpened: opened.current, keptSecretsOpened: opened.kept,
      orphanSecrets: orphans)
  }
}
