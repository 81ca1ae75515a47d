/// A permanent connection as the catalog holds it: public options in clear, secrets only as
/// key names (their sealed values stay in the secret store).
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
  /// Who made the current version (`user`, or `user (role r)` on a server); nil before v3.
  var updatedBy: String?

  func summary() -> ConnectionSummary {
    ConnectionSummary(
      catalog: name.catalog, database: name.database, name: name.name, type: type, endpoint: options["endpoint"],
      comment: comment, options: options, secretKeys: secretVersions.keys.sorted(), isTemporary: false,
      version: version, updatedAt: updatedAt)
  }
}
