import Foundation

/// The secret store: sealed records in `secrets`, the key salt and key check in `meta`.
extension Catalog {
  /// The cipher for this catalog, checking the master key against the catalog's key check.
  /// `creatingKey` makes a key file on first use (only when a secret is about to be stored).
  func cipher(creatingKey: Bool) throws -> SecretCipher {
    if let cachedCipher { return cachedCipher }
    guard let salt = try bytes("salt") else {
      throw EngineError(.storage, "The catalog \(location) has no key salt; it was not made by Switchboard.")
    }
    let check = try bytes("key_check")
    let masterKey: [UInt8]?
    do {
      masterKey = try keySource.load(createIfMissing: creatingKey && check == nil)
    } catch {
      throw EngineError(.secrets, error.description)
    }
    guard let masterKey else { throw EngineError(.secrets, SecretStoreError.noMasterKey.description) }
    let cipher = SecretCipher(masterKey: masterKey, salt: salt)
    if let check {
      guard check == Array(cipher.keyCheck) else { throw EngineError(.secrets, SecretStoreError.wrongMasterKey.description) }
    } else {
      try setBytes("key_check", Array(cipher.keyCheck))
    }
    cachedCipher = cipher
    return cipher
  }

  /// Seals `value` bound to its connection, key and version; the clear value never leaves
  /// the process.
  /// `at` is when the value was set; nil when the same value is sealed again (a new master key,
  /// an upgrade), which keeps the date the value had.
  func storeSecret(_ cipher: SecretCipher, connectionID: Int64, key: String, value: String, version: Int64, at time: Double?) throws {
    let sealed = try cipher.seal(value, connectionID: connectionID, key: key, version: version)
    try driver.execute(
      """
      INSERT INTO secrets (connection_id, key, version, sealed, format, sealed_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (connection_id, key) DO UPDATE SET version = excluded.version, sealed = excluded.sealed, format = excluded.format,
        sealed_at = COALESCE(excluded.sealed_at, secrets.sealed_at)
      """,
      [.int(connectionID), .text(key), .int(version), .bytes(Array(sealed)), .int(Int64(SecretCipher.currentFormat)), SQLValue(time)])
  }

  /// The clear values of one connection's secrets, for `render` alone: the one path on which a
  /// secret leaves the secret store.
  func openSecrets(of stored: StoredConnection) throws -> [String: String] {
    var values: [String: String] = [:]
    try driver.forEachRow("SELECT key, version, sealed, format FROM secrets WHERE connection_id = ?", [.int(stored.id)]) { row in
      let cipher = try cipher(creatingKey: false)
      let key = row.string(0)
      do {
        values[key] = try cipher.open(Data(row.bytes(2) ?? []), format: Int(row.int(3)), connectionID: stored.id, key: key, version: row.int(1))
      } catch {
        throw EngineError(.secrets, "\(error)")
      }
    }
    return values
  }

  /// Opens every stored secret, current and kept with earlier versions (none is returned):
  /// proves each record belongs to its connection, key and version, and that the master key is
  /// right. Returns how many of each were checked.
  func verifySecrets() throws -> (current: Int, kept: Int) {
    var counts: [Int] = []
    for table in ["secrets", "sealed_versions"] {
      var count = 0
      try driver.forEachRow("SELECT connection_id, key, version, sealed, format FROM \(table)", []) { row in
        let cipher = try cipher(creatingKey: false)
        let key = row.string(1)
        do {
          _ = try cipher.open(
            Data(row.bytes(3) ?? []), format: Int(row.int(4)), connectionID: row.int(0), key: key, version: row.int(2))
        } catch {
          throw EngineError(.secrets, "\(error)")
        }
        count += 1
      }
      counts.append(count)
    }
    return (counts[0], counts[1])
  }

  /// Opens every sealed record, current and kept with earlier versions, with the current key and
  /// seals it again under `newKey`, with a new key check; the caller's transaction makes it all
  /// or nothing. Returns how many.
  func reseal(under newKey: [UInt8]) throws -> Int {
    let old = try cipher(creatingKey: false)
    guard let salt = try bytes("salt") else { throw EngineError(.storage, "The catalog \(location) has no key salt.") }
    let new = SecretCipher(masterKey: newKey, salt: salt)
    var count = 0
    for table in ["secrets", "sealed_versions"] {
      var records: [(id: Int64, key: String, version: Int64, sealed: [UInt8], format: Int)] = []
      try driver.forEachRow("SELECT connection_id, key, version, sealed, format FROM \(table)", []) { row in
        records.append((row.int(0), row.string(1), row.int(2), row.bytes(3) ?? [], Int(row.int(4))))
      }
      for record in records {
        let value: String
        do {
          value = try old.open(Data(record.sealed), format: record.format, connectionID: record.id, key: record.key, version: record.version)
        } catch {
          throw EngineError(.secrets, "\(error) Nothing was re-sealed.")
        }
        let sealed = try new.seal(value, connectionID: record.id, key: record.key, version: record.version)
        try driver.execute(
          "UPDATE \(table) SET sealed = ?, format = ? WHERE connection_id = ? AND key = ? AND version = ?",
          [.bytes(Array(sealed)), .int(Int64(SecretCipher.currentFormat)), .int(record.id), .text(record.key), .int(record.version)])
      }
      count += records.count
    }
    try setBytes("key_check", Array(new.keyCheck))
    cachedCipher = new
    return count
  }

  /// The database's own consistency check, the number of connections, and sealed records
  /// without a connection.
  func health() throws -> (integrity: String, connections: Int, orphanSecrets: Int) {
    let integrity =
      dialect == .sqlite ? try driver.strings("PRAGMA integrity_check").joined(separator: "; ") : "ok"
    return (
      integrity, Int(try driver.int("SELECT count(*) FROM connections") ?? 0),
      Int(try driver.int("SELECT count(*) FROM secrets WHERE connection_id NOT IN (SELECT id FROM connections)") ?? 0)
    )
  }
}
