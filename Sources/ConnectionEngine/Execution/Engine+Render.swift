/// `render`: Flink SQL that recreates connections with their real secrets, for Flink's SQL client
/// (`sql-client.sh -i FILE`) or a gateway session. The only way a secret leaves Switchboard.
extension Engine {
  /// The script for `names` (every permanent connection when `all`), as bytes the caller writes
  /// where it must and then overwrites. Nothing is written here but a masked history entry
  /// naming the connections and `destination`.
  public func renderForFlink(_ names: [ObjectName], all: Bool, temporary: Bool, destination: String) throws(EngineError) -> [UInt8] {
    let chosen: [QualifiedName]
    if all {
      chosen = try catalog.read { try catalog.allConnectionNames() }
    } else {
      var resolved: [QualifiedName] = []
      for name in names { resolved.append(try resolve(name)) }
      chosen = resolved
    }
    guard !chosen.isEmpty else { throw EngineError(.notFound, all ? "The catalog has no connections to render." : "Name the connections to render, or pass --all.") }
    var script = Array(Self.renderHeader.utf8)
    let rendered: [String] = try catalog.read {
      var done: [String] = []
      for name in chosen {
        guard let stored = try catalog.load(name) else {
          throw EngineError(.notFound, "Connection with identifier '\(name.summary)' does not exist.")
        }
        var options = stored.options
        options["type"] = stored.type
        for (key, value) in try catalog.openSecrets(of: stored) { options[key] = value }
        script += Array(Self.createStatement(stored, options: options, temporary: temporary).utf8)
        done.append(name.summary)
      }
      return done
    }
    record(
      "-- render \(rendered.joined(separator: ", "))\(temporary ? " as temporary connections" : "") to \(sanitizedForMessage(destination))",
      outcome: "ok", message: "\(rendered.count) connection\(rendered.count == 1 ? "" : "s") written with their secrets")
    return script
  }

  static let renderHeader = """
    -- Written by `switchboard render` for Flink's SQL client (sql-client.sh -i FILE) or a gateway
    -- session. It holds secrets in clear: keep it private and delete it when the session has started.


    """

  /// Flink's CREATE CONNECTION for one connection, keys in Flink's order, every value quoted.
  private static func createStatement(_ stored: StoredConnection, options: [String: String], temporary: Bool) -> String {
    let name = SQLPrinter.name(ObjectName([stored.name.catalog, stored.name.database, stored.name.name]))
    var text = "CREATE \(temporary ? "TEMPORARY " : "")CONNECTION \(name)\n"
    if let comment = stored.comment, !comment.isEmpty { text += "COMMENT \(quoteLiteral(comment))\n" }
    let lines = options.keys.sorted(by: javaOrder).map { "  \(quoteLiteral($0)) = \(quoteLiteral(options[$0]!))" }
    return text + "WITH (\n" + lines.joined(separator: ",\n") + "\n);\n\n"
  }
}

extension Parser {
  /// A connection name as a user types it on a command line: `name`, `db.name`,
  /// `catalog.db.name`, parts back-quoted where needed.
  public static func parseName(_ text: String) -> ObjectName? {
    var parser = Parser(source: Array(text.utf8))
    guard let name = try? parser.parseCompoundName(), parser.peek().kind == .endOfInput else { return nil }
    return name
  }
}
