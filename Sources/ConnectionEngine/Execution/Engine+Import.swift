import Foundation

/// What `import` did: the connections it created and the secrets each still needs.
public struct ImportResult: Sendable, Equatable {
  public struct Item: Sendable, Equatable {
    /// `catalog.database.name`.
    public var name: String
    /// Credentials to fill in (`api-key`, `one of api-key | token`), names only.
    public var missingSecrets: [String]
  }
  public var items: [Item]
}

/// `import`: connections from a Flink SQL script of CREATE CONNECTION statements, from the JSON of
/// `confluent flink connection list -o json`, or from `switchboard export --format json`. Secrets
/// written as `'******'` (or absent) are left unset and reported, never stored. All or nothing.
extension Engine {
  public func importConnections(sql script: String) throws(EngineError) -> ImportResult {
    let bytes = Array(script.utf8)
    let statements: [ParsedStatement]
    do {
      statements = try Parser.parse(script)
    } catch {
      throw EngineError(error)
    }
    var creates: [CreateConnection] = []
    for parsed in statements {
      guard case .createConnection(var c) = parsed.statement, !c.isTemporary else {
        let at = SourceLocation.of(offset: parsed.range.lowerBound, in: bytes)
        throw EngineError(
          .validation, "import takes CREATE CONNECTION statements only (line \(at.line) holds another); nothing was imported.",
          location: at, offset: parsed.range.lowerBound)
      }
      c.options.removeAll { $0.value.text == Masker.hidden && !$0.value.isBinary }
      creates.append(c)
    }
    return try importAll(creates)
  }

  public func importConnections(json data: [UInt8]) throws(EngineError) -> ImportResult {
    let parsed = try? JSONSerialization.jsonObject(with: Data(data))
    var list: [[String: Any]]
    if let array = parsed as? [[String: Any]] {
      list = array
    } else if let object = parsed as? [String: Any], let array = object["data"] as? [[String: Any]] {
      list = array  // the REST API's ConnectionList
    } else {
      throw EngineError(.validation, "The JSON is not a list of connections (confluent flink connection list -o json, or switchboard export --format json); nothing was imported.")
    }
    var creates: [CreateConnection] = []
    for (index, item) in list.enumerated() {
      // Confluent's REST objects keep name, type and endpoint under `spec`.
      let spec = item["spec"] as? [String: Any] ?? [:]
      guard let name = (item["name"] ?? spec["display_name"]) as? String, !name.isEmpty else {
        throw EngineError(.validation, "Connection \(index + 1) of the JSON has no name; nothing was imported.")
      }
      var options: [OptionEntry] = []
      if let type = (item["type"] ?? spec["connection_type"]) as? String { options.append(OptionEntry("type", type.lowercased())) }
      if let endpoint = (item["endpoint"] ?? spec["endpoint"]) as? String { options.append(OptionEntry("endpoint", endpoint)) }
      if let more = item["options"] as? [String: Any] {
        for key in more.keys.sorted() where key != "type" {
          guard let value = more[key] as? String else {
            throw EngineError(.validation, "Option '\(sanitizedForMessage(key))' of connection \(index + 1) is not a string; nothing was imported.")
          }
          if key == "endpoint", options.contains(where: { $0.key.text == "endpoint" }) { continue }
          options.append(OptionEntry(key, value))
        }
      }
      var parts = [name]
      if let catalog = item["catalog"] as? String, let database = item["database"] as? String { parts = [catalog, database, name] }
      creates.append(CreateConnection(name: ObjectName(parts), options: options, comment: item["comment"] as? String))
    }
    return try importAll(creates)
  }

  private func importAll(_ creates: [CreateConnection]) throws(EngineError) -> ImportResult {
    guard !creates.isEmpty else { throw EngineError(.validation, "There is nothing to import.") }
    var items: [ImportResult.Item] = []
    try catalog.write {
      for c in creates {
        try checkWritePolicy(.createConnection(c))
        let masked = Masker.mask(SQLPrinter.print(.createConnection(c)))
        _ = try create(c, maskedText: masked, allowingMissingSecrets: true)
        let q = try resolve(c.name)
        var options: [String: String] = [:]
        for entry in c.options { options[entry.key.text] = entry.value.text }
        let type = try Self.connectionType(of: options)
        let split = SplitOptions(options, type: type)
        items.append(ImportResult.Item(
          name: q.summary,
          missingSecrets: OptionValidation.missingSecrets(publicOptions: split.publicOptions, secretKeys: Array(split.secrets.keys), type: type)))
      }
    }
    return ImportResult(items: items)
  }
}
