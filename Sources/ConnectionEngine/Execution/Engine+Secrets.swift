import Foundation
import GRDB

extension Engine {
  /// The cipher for this catalog, checking the master key against the catalog's key check.
  /// `creatingKey` makes a key file on first use (only when a secret is about to be stored).
  func cipher(_ db: Database, creatingKey: Bool) throws -> SecretCipher {
    if let cachedCipher { return cachedCipher }
    guard let salt = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'salt'") else {
      throw EngineError(.storage, "The catalog \(catalogPath) has no key salt; it was not made by Switchboard.")
    }
    let check = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'key_check'")
    let masterKey: [UInt8]?
    do {
      masterKey = try keySource.load(createIfMissing: creatingKey && check == nil)
    } catch {
      throw EngineError(.secrets, error.description)
    }
    guard let masterKey else { throw EngineError(.secrets, SecretStoreError.noMasterKey.description) }
    let cipher = SecretCipher(masterKey: masterKey, salt: Array(salt))
    if let check {
      guard check == cipher.keyCheck else { throw EngineError(.secrets, SecretStoreError.wrongMasterKey.description) }
    } else {
      try db.cachedStatement(sql: "INSERT INTO meta (key, value) VALUES ('key_check', ?)").execute(arguments: [cipher.keyCheck])
    }
    cachedCipher = cipher
    return cipher
  }

  func storeSecret(_ db: Database, _ cipher: SecretCipher, connectionID: Int64, key: String, value: String, version: Int64) throws {
    let sealed = try cipher.seal(value, connectionID: connectionID, key: key, version: version)
    try db.cachedStatement(sql: "INSERT OR REPLACE INTO secrets (connection_id, key, version, sealed, format) VALUES (?, ?, ?, ?, ?)").execute(arguments: [connectionID, key, version, sealed, SecretCipher.currentFormat])
  }

  /// Opens every stored secret (none is returned): proves each record belongs to its connection,
  /// key and version, and that the master key is right. Returns how many were checked.
  public func verifySecrets() throws(EngineError) -> Int {
    try read { db in
      let rows = try Row.fetchAll(db, sql: "SELECT connection_id, key, version, sealed, format FROM secrets")
      if rows.isEmpty { return 0 }
      let cipher = try cipher(db, creatingKey: false)
      for row in rows {
        let key: String = row["key"]
        do {
          _ = try cipher.open(row["sealed"], format: row["format"], connectionID: row["connection_id"], key: key, version: row["version"])
        } catch {
          throw EngineError(.secrets, "\(error)")
        }
      }
      return rows.count
    }
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
    let (integrity, connections, orphans) = try read { db in
      (
        try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; "),
        try Int.fetchOne(db, sql: "SELECT count(*) FROM connections") ?? 0,
        try Int.fetchOne(db, sql: "SELECT count(*) FROM secrets WHERE connection_id NOT IN (SELECT id FROM connections)") ?? 0
      )
    }
    return CatalogHealth(integrity: integrity, connections: connections, secretsOpened: try verifySecrets(), orphanSecrets: orphans)
  }
}
