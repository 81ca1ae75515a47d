/// A connection's full name after resolution against the current catalog and database.
struct QualifiedName: Hashable {
  var catalog: String
  var database: String
  var name: String

  var objectName: ObjectName { ObjectName([catalog, database, name]) }
  /// Flink's `asSummaryString`, for messages: `cat.db.name`.
  var summary: String { sanitizedForMessage("\(catalog).\(database).\(name)") }
}

typealias TemporaryKey = QualifiedName

/// A temporary connection: kept in memory for the engine's lifetime, secrets included.
struct TemporaryConnection {
  var options: [String: String]
  var secrets: [String: String]
  var comment: String?
  var version: Int64
  var createdAt: Double
  var updatedAt: Double
}
