import Foundation

/// SHOW CONNECTIONS, DESCRIBE, SHOW CREATE, and the typed reads the terminal UI uses.
extension Engine {
  func showConnections(_ s: ShowConnections, maskedText: String) throws(EngineError) -> ResultSet {
    var catalog = currentCatalog
    var database = currentDatabase
    if let scope = s.scope {
      switch scope.parts.count {
      case 1: database = scope.parts[0]
      case 2: (catalog, database) = (scope.parts[0], scope.parts[1])
      default:
        throw EngineError(
          .validation,
          "SHOW CONNECTIONS from/in identifier [ \(sanitizedForMessage(scope.parts.joined(separator: "."))) ] format error, it should be [catalog_name.]database_name.")
      }
    }
    let names = try connections(catalog: catalog, database: database).map(\.name)
      .filter { s.filter?.accepts($0) ?? true }
    record(maskedText, outcome: "ok")
    return ResultSet(columns: ["connection name"], rows: names.map { [$0] })
  }

  func describe(_ name: ObjectName, extended: Bool, maskedText: String) throws(EngineError) -> ResultSet {
    let summary = try connection(name)
    record(maskedText, outcome: "ok")
    return ResultSet(columns: ["name", "value"], rows: Self.describeRows(for: summary, extended: extended))
  }

  /// DESCRIBE's rows: `type`, `option:<key>` sorted, `secret:<key>` = `******`, `comment`,
  /// `temporary`; EXTENDED adds `version` and `updated`. Pure, so the UI's detail pane uses it too.
  public static func describeRows(for summary: ConnectionSummary, extended: Bool = false) -> [[String]] {
    // One decoding of the options: DESCRIBE stays linear in their number.
    let (options, secretKeys) = summary.optionsAndSecretKeys
    var rows = [["type", summary.type]]
    for key in options.keys.sorted(by: javaOrder) where key != "type" {
      rows.append(["option:\(key)", options[key]!])
    }
    for key in secretKeys.sorted(by: javaOrder) { rows.append(["secret:\(key)", Masker.hidden]) }
    if let comment = summary.comment, !comment.isEmpty { rows.append(["comment", comment]) }
    rows.append(["temporary", summary.isTemporary ? "true" : "false"])
    if extended {
      rows.append(["version", String(summary.version)])
      rows.append(["updated", iso8601(summary.updatedAt)])
    }
    return rows
  }

  func showCreate(_ name: ObjectName, maskedText: String) throws(EngineError) -> ResultSet {
    let summary: ConnectionSummary
    do {
      summary = try connection(name)
    } catch let error where error.code == .notFound {
      let q = try resolve(name)
      throw EngineError(
        .notFound, "Could not execute SHOW CREATE CONNECTION. Connection with identifier \(sanitizedForMessage(q.objectName.description)) does not exist.")
    }
    record(maskedText, outcome: "ok")
    return ResultSet(columns: ["result"], rows: [[Self.createStatement(for: summary)]])
  }

  /// Flink's SHOW CREATE layout, secret values as `******`, keys sorted.
  static func createStatement(for summary: ConnectionSummary) -> String {
    var (options, secretKeys) = summary.optionsAndSecretKeys
    options["type"] = summary.type
    for key in secretKeys { options[key] = Masker.hidden }
    var text = "CREATE \(summary.isTemporary ? "TEMPORARY " : "")CONNECTION \(SQLPrinter.name(summary.qualifiedName))\n"
    if let comment = summary.comment, !comment.isEmpty { text += "COMMENT \(quoteLiteral(comment))\n" }
    let lines = options.keys.sorted(by: javaOrder).map { "  \(quoteLiteral($0)) = \(quoteLiteral(options[$0]!))" }
    return text + "WITH (\n" + lines.joined(separator: ",\n") + "\n)\n"
  }

  // MARK: Typed reads

  /// Every connection of one database, permanent and temporary, sorted by name, whole (options
  /// and comments included; the list's rows come from `listing`).
  public func connections(catalog: String? = nil, database: String? = nil) throws(EngineError) -> [ConnectionSummary] {
    let namespace = QualifiedName(catalog: catalog ?? currentCatalog, database: database ?? currentDatabase, name: "")
    var list = try self.catalog.read {
      try self.catalog.requireDatabase(namespace)
      return try self.catalog.summaries(catalog: namespace.catalog, database: namespace.database)
    }
    for (name, temporary) in temporaries where name.catalog == namespace.catalog && name.database == namespace.database {
      list.removeAll { $0.name == name.name }
      list.append(summary(of: temporary, name))
    }
    // SQLite sorted by code point; Java (and Flink) sort by UTF-16 unit, which differs only
    // when a name has a character from U+E000 up (UTF-8 lead byte 0xEE or more).
    if !temporaries.isEmpty || list.contains(where: { $0.name.utf8.contains { $0 >= 0xEE } }) {
      list.sort { javaOrder($0.name, $1.name) }
    }
    return list
  }

  /// One connection by name (a temporary one shadows a permanent one of the same name).
  public func connection(_ name: ObjectName) throws(EngineError) -> ConnectionSummary {
    let q = try resolve(name)
    if let temporary = temporaries[q] { return summary(of: temporary, q) }
    let stored = try catalog.read { try catalog.load(q) }
    guard let stored else {
      throw EngineError(.notFound, "Connection with identifier '\(q.summary)' does not exist.")
    }
    return stored.summary()
  }

  func summary(of temporary: TemporaryConnection, _ name: QualifiedName) -> ConnectionSummary {
    var options = temporary.options
    let type = (options.removeValue(forKey: "type") ?? "default").lowercased()
    return ConnectionSummary(
      catalog: name.catalog, database: name.database, name: name.name, type: type, endpoint: options["endpoint"],
      comment: temporary.comment, options: options, secretKeys: temporary.secrets.keys.sorted(), isTemporary: true,
      version: temporary.version, updatedAt: temporary.updatedAt)
  }
}

func iso8601(_ time: Double) -> String {
  ISO8601Text.shared.string(from: Date(timeIntervalSince1970: time))
}

/// One formatter for every timestamp, used under a lock: making one took about half a
/// millisecond, which the list's detail pane paid on every frame.
private final class ISO8601Text: @unchecked Sendable {  // `formatter` is only used under `lock`
  static let shared = ISO8601Text()
  private let lock = NSLock()
  private let formatter = ISO8601DateFormatter()

  func string(from date: Date) -> String {
    lock.lock()
    defer { lock.unlock() }
    return formatter.string(from: date)
  }
}
