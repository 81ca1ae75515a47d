import Foundation
import GRDB

/// A permanent connection as the catalog holds it: public options in clear, secrets only as
/// key names (their sealed values stay in the `secrets` table).
struct StoredConnection {
  var id: Int64
  var name: QualifiedName
  var type: String
  var comment: String?
  var options: [String: String]
  /// Secret key → the version its sealed record was written at (bound into its associated data).
  var secretVersions: [String: Int64]
  var version: Int64
  var createdAt: Double
  var updatedAt: Double

  static let columns = "id, catalog, database, name, type, comment, options, version, created_at, updated_at"

  init(row: Row, secretVersions: [String: Int64]) {
    id = row["id"]
    name = QualifiedName(catalog: row["catalog"], database: row["database"], name: row["name"])
    type = row["type"]
    comment = row["comment"]
    options = decodeOptions(row["options"])
    self.secretVersions = secretVersions
    version = row["version"]
    createdAt = row["created_at"]
    updatedAt = row["updated_at"]
  }

  static func load(_ db: Database, _ name: QualifiedName) throws -> StoredConnection? {
    guard
      let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM connections WHERE catalog = ? AND database = ? AND name = ?"),
        arguments: [name.catalog, name.database, name.name])
    else { return nil }
    let id: Int64 = row["id"]
    var versions: [String: Int64] = [:]
    for secret in try Row.fetchAll(db.cachedStatement(sql: "SELECT key, version FROM secrets WHERE connection_id = ?"), arguments: [id]) {
      versions[secret["key"]] = secret["version"]
    }
    return StoredConnection(row: row, secretVersions: versions)
  }

  func summary() -> ConnectionSummary {
    ConnectionSummary(
      catalog: name.catalog, database: name.database, name: name.name, type: type, endpoint: options["endpoint"],
      comment: comment, options: options, secretKeys: secretVersions.keys.sorted(), isTemporary: false,
      version: version, updatedAt: updatedAt)
  }
}

