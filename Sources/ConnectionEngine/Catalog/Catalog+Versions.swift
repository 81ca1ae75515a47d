/// Earlier versions of connections, after Vault's KV v2: every change keeps the version it
/// replaces (options, comment and the sealed secrets it had), a DROP leaves a tombstone, and a
/// retention bounds how many stay per connection. Sealed records are kept as they were written:
/// bound to their connection, key and version, so restoring one needs no key and a record can
/// never open for another connection.
extension Catalog {
  private static let columns = "connection_id, version, catalog, database, name, type, comment, options, secrets, made_at, made_by, dropped"

  /// Keeps `stored` (the version about to be replaced) with copies of its sealed records, then
  /// trims the connection's versions to the retention (unless `trimming` is false).
  func keepVersion(of stored: StoredConnection, trimming: Bool = true) throws {
    try insertVersion(
      StoredVersion(
        connectionID: stored.id, version: stored.version, name: stored.name, type: stored.type, comment: stored.comment,
        options: stored.options, secretVersions: stored.secretVersions, madeAt: stored.updatedAt, madeBy: stored.updatedBy,
        isDropped: false))
    if !stored.secretVersions.isEmpty {
      try driver.execute(
        """
        INSERT INTO sealed_versions (connection_id, key, version, sealed, format, sealed_at)
        SELECT connection_id, key, version, sealed, format, sealed_at FROM secrets WHERE connection_id = ?
        ON CONFLICT (connection_id, key, version) DO NOTHING
        """, [.int(stored.id)])
    }
    if trimming { try trimVersions(of: stored.id, keep: versionRetention) }
  }

  /// A tombstone: the connection was dropped, as its version after `stored`.
  func keepTombstone(of stored: StoredConnection, at time: Double, by actor: String) throws {
    try keepVersion(of: stored, trimming: false)
    // Issued like any version: the connection, restored, comes back above it.
    let version = stored.version + 1
    try noteVersion(version)
    try insertVersion(
      StoredVersion(
        connectionID: stored.id, version: version, name: stored.name, type: stored.type, comment: nil, options: [:],
        secretVersions: [:], madeAt: time, madeBy: actor, isDropped: true))
    try trimVersions(of: stored.id, keep: versionRetention)
  }

  private func insertVersion(_ v: StoredVersion) throws {
    try driver.execute(
      "INSERT INTO versions (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (connection_id, version) DO NOTHING",
      [
        .int(v.connectionID), .int(v.version), .text(v.name.catalog), .text(v.name.database), .text(v.name.name), .text(v.type),
        SQLValue(v.comment), .text(encodeOptions(v.options)), .text(encodeOptions(v.secretVersions.mapValues(String.init))),
        .double(v.madeAt), SQLValue(v.madeBy), .int(v.isDropped ? 1 : 0),
      ])
  }

  /// A connection's kept versions, newest first.
  func versions(of connectionID: Int64) throws -> [StoredVersion] {
    var result: [StoredVersion] = []
    try driver.forEachRow("SELECT \(Self.columns) FROM versions WHERE connection_id = ? ORDER BY version DESC", [.int(connectionID)]) {
      result.append(Self.version(from: $0))
    }
    return result
  }

  /// The newest tombstone left where `name` was dropped (restoring a dropped connection).
  func tombstone(named name: QualifiedName) throws -> StoredVersion? {
    try driver.firstRow(
      "SELECT \(Self.columns) FROM versions WHERE catalog = ? AND database = ? AND name = ? AND dropped = 1 ORDER BY made_at DESC, version DESC",
      [.text(name.catalog), .text(name.database), .text(name.name)], Self.version(from:))
  }

  private static func version(from row: any SQLRow) -> StoredVersion {
    StoredVersion(
      connectionID: row.int(0), version: row.int(1),
      name: QualifiedName(catalog: row.string(2), database: row.string(3), name: row.string(4)), type: row.string(5),
      comment: row.text(6), options: decodeOptions(row.text(7)),
      secretVersions: decodeOptions(row.text(8)).compactMapValues { Int64($0) }, madeAt: row.double(9), madeBy: row.text(10),
      isDropped: row.int(11) != 0)
  }

  /// Makes `target` the connection's current state under a new version: in place of `current`
  /// (same id) or, after a DROP, as the connection again. Sealed records come back from the
  /// versions as they were written.
  func restore(_ target: StoredVersion, over current: StoredConnection?, at time: Double, by actor: String) throws {
    let version: Int64
    if let current {
      try keepVersion(of: current, trimming: false)  // the target's records must stay until copied
      version = current.version + 1
      try noteVersion(version)
      try driver.execute(
        "UPDATE connections SET comment = ?, options = ?, endpoint = ?, version = ?, updated_at = ?, updated_by = ? WHERE id = ?",
        [
          SQLValue(target.comment), .text(encodeOptions(target.options)), SQLValue(target.options["endpoint"]), .int(version),
          .double(time), .text(actor), .int(current.id),
        ])
      try driver.execute("DELETE FROM secrets WHERE connection_id = ?", [.int(current.id)])
    } else {
      version = try firstVersion()
      try driver.execute(
        """
        INSERT INTO connections (id, catalog, database, name, type, endpoint, comment, options, version, created_at, updated_at, updated_by)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
          .int(target.connectionID), .text(target.name.catalog), .text(target.name.database), .text(target.name.name),
          .text(target.type), SQLValue(target.options["endpoint"]), SQLValue(target.comment), .text(encodeOptions(target.options)),
          .int(version), .double(time), .double(time), .text(actor),
        ])
    }
    for (key, sealedVersion) in target.secretVersions.sorted(by: { $0.key < $1.key }) {
      let copied = try driver.execute(
        """
        INSERT INTO secrets (connection_id, key, version, sealed, format, sealed_at)
        SELECT connection_id, key, version, sealed, format, sealed_at FROM sealed_versions
        WHERE connection_id = ? AND key = ? AND version = ?
        """, [.int(target.connectionID), .text(key), .int(sealedVersion)])
      guard copied == 1 else {
        throw EngineError(
          .storage, "The sealed value of '\(sanitizedForMessage(key))' in version \(target.version) is gone; nothing was restored.")
      }
    }
    try trimVersions(of: target.connectionID, keep: versionRetention)
  }

  /// Deletes all but the newest `keep` versions of one connection (of every connection when
  /// nil), and the sealed records no kept version holds. Returns how many of each went.
  @discardableResult
  func trimVersions(of connectionID: Int64?, keep: Int) throws -> (versions: Int, sealed: Int) {
    var removed = 0
    if let connectionID {
      guard (try driver.int("SELECT count(*) FROM versions WHERE connection_id = ?", [.int(connectionID)]) ?? 0) > keep else {
        return (0, 0)
      }
      removed = try driver.execute(
        """
        DELETE FROM versions WHERE connection_id = ? AND version NOT IN
          (SELECT version FROM versions WHERE connection_id = ? ORDER BY version DESC LIMIT ?)
        """, [.int(connectionID), .int(connectionID), .int(Int64(keep))])
    } else {
      removed = try driver.execute(
        """
        DELETE FROM versions WHERE (SELECT count(*) FROM versions newer
          WHERE newer.connection_id = versions.connection_id AND newer.version > versions.version) >= ?
        """, [.int(Int64(keep))])
    }
    return (removed, try deleteUnheldSealedRecords(of: connectionID))
  }

  /// Sealed records that no kept version refers to any more.
  private func deleteUnheldSealedRecords(of connectionID: Int64?) throws -> Int {
    var held: Set<SealedRecordKey> = []
    var records: [SealedRecordKey] = []
    let filter = connectionID == nil ? "" : " WHERE connection_id = ?"
    let arguments: [SQLValue] = connectionID.map { [.int($0)] } ?? []
    try driver.forEachRow("SELECT connection_id, secrets FROM versions" + filter, arguments) { row in
      for (key, version) in decodeOptions(row.text(1)) {
        if let version = Int64(version) { held.insert(SealedRecordKey(connectionID: row.int(0), key: key, version: version)) }
      }
    }
    try driver.forEachRow("SELECT connection_id, key, version FROM sealed_versions" + filter, arguments) { row in
      records.append(SealedRecordKey(connectionID: row.int(0), key: row.string(1), version: row.int(2)))
    }
    var removed = 0
    for record in records where !held.contains(record) {
      removed += try driver.execute(
        "DELETE FROM sealed_versions WHERE connection_id = ? AND key = ? AND version = ?",
        [.int(record.connectionID), .text(record.key), .int(record.version)])
    }
    return removed
  }
}

/// One kept version of a connection, or a tombstone where it was dropped.
struct StoredVersion {
  var connectionID: Int64
  var version: Int64
  var name: QualifiedName
  var type: String
  var comment: String?
  var options: [String: String]
  /// Secret key → the version its sealed record was written at.
  var secretVersions: [String: Int64]
  var madeAt: Double
  var madeBy: String?
  var isDropped: Bool
}

private struct SealedRecordKey: Hashable {
  var connectionID: Int64
  var key: String
  var version: Int64
}
