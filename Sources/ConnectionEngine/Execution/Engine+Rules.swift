/// Rules every write obeys before it touches the catalog: text the catalog can hold exactly, no
/// credential inside a public value, no pasted mask as a secret.
extension Engine {
  /// NUL cannot be stored exactly (SQLite's C strings end there: `prod\0_x` would become `prod`),
  /// so names, keys and comments holding one are refused before anything runs.
  static func checkStorable(_ statement: Statement) throws(EngineError) {
    func check(_ text: String, _ what: String) throws(EngineError) {
      guard text.utf8.contains(0) else { return }
      throw EngineError(.validation, "\(what) contains the NUL character (U+0000), which the catalog cannot store; nothing was changed.")
    }
    func check(_ name: ObjectName) throws(EngineError) {
      for part in name.parts { try check(part, "A name") }
    }
    func check(_ entries: [OptionEntry]) throws(EngineError) {
      for entry in entries { try check(entry.key.text, "An option key") }
    }
    switch statement {
    case .createConnection(let c):
      try check(c.name)
      try check(c.options)
      try check(c.comment ?? "", "The comment")
    case .alterConnection(let a):
      try check(a.name)
      switch a.change {
      case .set(let entries): try check(entries)
      case .reset(let keys): for key in keys { try check(key.text, "An option key") }
      case .rename(let target): try check(target)
      }
    case .dropConnection(let d): try check(d.name)
    case .describeConnection(let name, _), .showCreateConnection(let name), .useCatalog(let name), .useDatabase(let name),
      .dropCatalog(let name, _), .dropDatabase(let name, _, _):
      try check(name)
    case .showConnections(let s): if let scope = s.scope { try check(scope) }
    case .showDatabases(let scope, _): if let scope { try check(scope) }
    case .createCatalog(let c):
      try check(c.name)
      try check(c.options)
      try check(c.comment ?? "", "The comment")
    case .createDatabase(let d):
      try check(d.name)
      try check(d.options)
      try check(d.comment ?? "", "The comment")
    case .showCatalogs, .showCurrentCatalog, .showCurrentDatabase:
      break
    }
  }

  /// Values about to be stored: a secret must not be the display mask (it was pasted from masked
  /// output, e.g. SHOW CREATE run again), and a public value must carry no credential and no NUL.
  static func checkValues(_ options: [String: String], type: ConnectionType?) throws(EngineError) {
    for key in options.keys.sorted() {
      let value = options[key]!
      if SecretPolicy.isSecret(key, type: type) {
        if SecretPolicy.isPastedMask(value) {
          throw EngineError(
            .validation,
            "The value of '\(sanitizedForMessage(key))' is the mask '\(Masker.hidden)', pasted from masked output, not a secret; nothing was changed. Give the real value, or leave the option out to keep the stored one.")
        }
      } else if value.utf8.contains(0) {
        // Stored exactly in the options, but the endpoint column and PostgreSQL's text would end there.
        throw EngineError(
          .validation,
          "The value of '\(sanitizedForMessage(key))' contains the NUL character (U+0000), which the catalog cannot store; nothing was changed.")
      } else if let finding = CredentialCheck.finding(in: value) {
        throw EngineError(
          .validation,
          "Option '\(sanitizedForMessage(key))' carries a credential (\(finding)); nothing was changed. Keep the value without it and put the credential in \(credentialKeys(for: type)).")
      }
    }
  }

  /// Where a type keeps its credentials, for messages: `'username' and 'password'`, ...
  static func credentialKeys(for type: ConnectionType?) -> String {
    guard let type, !type.authGroups.isEmpty || !type.secretKeys.isEmpty, !type.acceptsAnyKey else {
      return "a secret option such as 'password', 'api-key' or 'token'"
    }
    let groups = type.authGroups.isEmpty ? [Array(type.secretKeys.sorted().prefix(2))] : type.authGroups
    return groups.map { $0.map { "'\($0)'" }.joined(separator: " and ") }.joined(separator: ", or ")
  }
}
