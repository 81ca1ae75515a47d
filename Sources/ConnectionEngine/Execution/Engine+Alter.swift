/// ALTER CONNECTION ... SET / RESET applied to a connection's options.
struct OptionChange {
  var publicOptions: [String: String]
  var newSecrets: [String: String] = [:]
  var resetSecrets: [String] = []
  var changed = false
}

extension Engine {
  /// SET merges (new values win), RESET removes (missing keys ignored). The type cannot change,
  /// required keys cannot be reset, and the result must still be valid for its type.
  func applyChange(
    _ change: AlterConnection.Change, publicOptions: [String: String], secretKeys: Set<String>, typeName: String? = nil
  ) throws(EngineError) -> OptionChange {
    let currentType = typeName ?? publicOptions["type"] ?? "default"
    let type = ConnectionType.named(currentType) ?? ConnectionType.named("default")!
    var result = OptionChange(publicOptions: publicOptions)
    var secrets = secretKeys
    switch change {
    case .set(let entries):
      let options = try Engine.optionMap(entries)
      try Engine.checkValues(options, type: type)
      for (key, value) in options {
        if key == "type" {
          guard value.lowercased() == type.name else {
            throw EngineError(.validation, "The type of a connection cannot change (it is '\(type.name)').")
          }
          continue
        }
        if SecretPolicy.isSecret(key, type: type) {
          result.newSecrets[key] = value
          secrets.insert(key)
          // A key stored in clear by an earlier version, now secret: it moves to the sealed store.
          result.publicOptions[key] = nil
        } else {
          if result.publicOptions[key] != value { result.changed = true }
          result.publicOptions[key] = value
        }
      }
      if !result.newSecrets.isEmpty { result.changed = true }
    case .reset(let keys):
      for key in Set(keys.map(\.text)) {
        if key == "type" || type.requiredKeys.contains(key) {
          throw EngineError(.validation, "Option '\(sanitizedForMessage(key))' is required by type '\(type.name)' and cannot be reset.")
        }
        if result.publicOptions.removeValue(forKey: key) != nil { result.changed = true }
        if secrets.remove(key) != nil {
          result.resetSecrets.append(key)
          result.changed = true
        }
      }
    case .rename:
      return result
    }
    // Validate the merged connection; secret values are not needed, only that they are set.
    var merged = result.publicOptions
    for key in secrets { merged[key] = result.newSecrets[key] ?? "set" }
    merged["type"] = type.name
    try Engine.validate(merged, for: type)
    return result
  }
}
