/// CREATE, ALTER and DROP CONNECTION.
extension Engine {
  /// `allowingMissingSecrets` is for `import` alone: a connection may arrive without the
  /// credentials its type requires, which the list then shows as missing.
  func create(_ c: CreateConnection, maskedText: String, allowingMissingSecrets: Bool = false) throws(EngineError) -> ResultSet {
    var prepared = try prepareCreate(c, allowingMissingSecrets: allowingMissingSecrets)
    defer { prepared.options.secrets.removeAll() }
    let name = prepared.name

    if c.isTemporary {
      try catalog.read { try catalog.requireDatabase(name) }
      if temporaries[name] != nil {
        if c.ifNotExists { record(maskedText, outcome: "ok"); return .ok }
        throw EngineError(.alreadyExists, "Temporary connection \(name.summary) already exists.")
      }
      let time = now()
      // The checked options keep only what the catalog stores; a temporary keeps the map.
      let type = prepared.options.type
      var options = SplitOptions(try Self.optionMap(c.options), type: type).publicOptions
      options["type"] = type.name
      temporaries[name] = TemporaryConnection(
        options: options, secrets: prepared.options.secrets, comment: prepared.options.comment, version: try temporaryFirstVersion(),
        createdAt: time, updatedAt: time)
      record(maskedText, outcome: "ok")
      return .ok
    }

    try catalog.write {
      try catalog.requireDatabase(name)
      if try catalog.exists(name) {
        if c.ifNotExists { return try appendHistory(maskedText, outcome: "ok", message: "already exists") }
        throw EngineError(.alreadyExists, "Connection \(name.summary) already exists.")
      }
      let (id, version) = try catalog.insert(prepared, at: now(), by: actor)
      noteChange(id, .created, name, version: version)
      try appendHistory(maskedText, outcome: "ok")
    }
    return .ok
  }

  /// What a CREATE checks before it touches the catalog: its name, type, options and values.
  /// `checked`: the statement's `checkedOptions`, made beforehand (see `PreparedScript`).
  func prepareCreate(
    _ c: CreateConnection, allowingMissingSecrets: Bool = false, checked: Result<CheckedOptions, EngineError>? = nil
  ) throws(EngineError) -> PreparedCreate {
    let name = try resolve(c.name)
    let options = try (checked ?? Self.checkedOptions(of: c, allowingMissingSecrets: allowingMissingSecrets)).get()
    return PreparedCreate(name: name, options: options)
  }

  /// The checks of a CREATE that need no engine state (its options' type and values), and what
  /// they make: a long script's are made on the thread that parses it, off the one that writes.
  static func checkedOptions(of c: CreateConnection, allowingMissingSecrets: Bool = false) -> Result<CheckedOptions, EngineError> {
    do throws(EngineError) {
      let options = try optionMap(c.options)
      let type = try connectionType(of: options)
      try validate(options, for: type, allowingMissingSecrets: allowingMissingSecrets)
      try checkValues(options, type: type)
      let split = SplitOptions(options, type: type)
      return .success(CheckedOptions(
        type: type, comment: c.comment.flatMap { $0.isEmpty ? nil : $0 }, encodedOptions: encodeOptions(split.publicOptions),
        endpoint: split.publicOptions["endpoint"], secrets: split.secrets))
    } catch {
      return .failure(error)
    }
  }

  func alter(_ a: AlterConnection, maskedText: String, expectedVersion: Int64?) throws(EngineError) -> ResultSet {
    let name = try resolve(a.name)
    if var temporary = temporaries[name] {
      try checkVersion(name, loaded: expectedVersion, current: temporary.version)
      switch a.change {
      case .rename(let target):
        let newName = try renameTarget(target, of: name)
        guard temporaries[newName] == nil else { throw EngineError(.alreadyExists, "Temporary connection \(newName.summary) already exists.") }
        temporaries[name] = nil
        temporary.version = try temporaryFirstVersion()
        temporaries[newName] = temporary
      default:
        var change = try applyChange(a.change, publicOptions: temporary.options, secretKeys: Set(temporary.secrets.keys))
        guard change.changed else { break }
        temporary.options = change.publicOptions
        for key in change.resetSecrets { temporary.secrets[key] = nil }
        temporary.secrets.merge(change.newSecrets) { $1 }
        change.newSecrets.removeAll()
        temporary.version = try temporaryFirstVersion()
        temporary.updatedAt = now()
        temporaries[name] = temporary
      }
      record(maskedText, outcome: "ok")
      return .ok
    }

    try catalog.write {
      guard let stored = try catalog.load(name) else {
        if a.ifExists { return try appendHistory(maskedText, outcome: "ok", message: "does not exist") }
        throw EngineError(.notFound, "Connection \(name.summary) does not exist.")
      }
      try checkVersion(name, loaded: expectedVersion, current: stored)
      switch a.change {
      case .rename(let target):
        let newName = try renameTarget(target, of: name)
        if try catalog.load(newName) != nil {
          throw EngineError(.alreadyExists, "Connection \(newName.summary) already exists.")
        }
        try catalog.rename(stored, to: newName.name, at: now(), by: actor)
        noteChange(stored.id, .renamed(from: name.name), newName, version: stored.version + 1)
      default:
        var change = try applyChange(a.change, publicOptions: stored.options, secretKeys: Set(stored.secretVersions.keys), typeName: stored.type)
        if change.changed {
          let version = try catalog.update(
            stored, options: change.publicOptions, newSecrets: change.newSecrets, resetSecrets: change.resetSecrets, at: now(), by: actor)
          noteChange(stored.id, .changed(from: stored.version), name, version: version)
        }
        change.newSecrets.removeAll()
      }
      try appendHistory(maskedText, outcome: "ok")
    }
    return .ok
  }

  func drop(_ d: DropConnection, maskedText: String, expectedVersion: Int64?) throws(EngineError) -> ResultSet {
    let name = try resolve(d.name)
    if d.isTemporary {
      if d.isSystem { throw EngineError(.unsupported, "DROP TEMPORARY SYSTEM CONNECTION is not supported yet.") }
      guard let temporary = temporaries[name] else {
        if d.ifExists { record(maskedText, outcome: "ok"); return .ok }
        throw EngineError(.notFound, "Temporary connection with identifier '\(name.summary)' does not exist.")
      }
      try checkVersion(name, loaded: expectedVersion, current: temporary.version)
      temporaries[name] = nil
      record(maskedText, outcome: "ok")
      return .ok
    }
    try catalog.write {
      guard let stored = try catalog.load(name) else {
        if d.ifExists { return try appendHistory(maskedText, outcome: "ok", message: "does not exist") }
        throw EngineError(.notFound, "Connection \(name.summary) does not exist.")
      }
      try checkVersion(name, loaded: expectedVersion, current: stored)
      try catalog.delete(stored, at: now(), by: actor)
      noteChange(stored.id, .dropped, name, version: stored.version)
      try appendHistory(maskedText, outcome: "ok")
    }
    return .ok
  }

  // MARK: Helpers

  /// A temporary connection's first version, above every version issued so far (by the catalog
  /// and by this session), so that a form loaded from a connection of the same name before
  /// never matches it. Recorded in the catalog when it can be written.
  func temporaryFirstVersion() throws(EngineError) -> Int64 {
    var version = lastTemporaryVersion + 1
    if catalog.isWritable {
      version = max(version, try catalog.write {
        let issued = try catalog.firstVersion()
        try catalog.noteVersion(max(issued, lastTemporaryVersion + 1))
        return max(issued, lastTemporaryVersion + 1)
      })
    } else {
      version = max(version, (try? catalog.read { try catalog.lastVersion() + 1 }) ?? 0)
    }
    lastTemporaryVersion = version
    return version
  }

  func checkVersion(_ name: QualifiedName, loaded: Int64?, current: Int64) throws(EngineError) {
    guard let loaded, loaded != current else { return }
    throw EngineError(
      .conflict,
      "Connection \(name.summary) was changed by someone else (you loaded version \(loaded), it is now at version \(current)). Reload and apply your edits again.")
  }

  /// The conflict names who made the current version and when, never overwriting it.
  func checkVersion(_ name: QualifiedName, loaded: Int64?, current stored: StoredConnection) throws(EngineError) {
    guard let loaded, loaded != stored.version else { return }
    let who = stored.updatedBy.map { " by \($0)" } ?? " by someone else"
    throw EngineError(
      .conflict,
      "Connection \(name.summary) was changed\(who) at \(iso8601(stored.updatedAt)) (you loaded version \(loaded), it is now at version \(stored.version)). Reload and apply your edits again; nothing was overwritten.")
  }

  private func renameTarget(_ target: ObjectName, of name: QualifiedName) throws(EngineError) -> QualifiedName {
    let resolved = try resolve(target)
    if target.parts.count > 1 && (resolved.catalog != name.catalog || resolved.database != name.database) {
      throw EngineError(.validation, "RENAME TO keeps a connection in its catalog and database; give the new name alone.")
    }
    return QualifiedName(catalog: name.catalog, database: name.database, name: resolved.name)
  }

  /// WITH/SET entries as a map: the last value of a repeated key wins, as in Flink.
  static func optionMap(_ entries: [OptionEntry]) throws(EngineError) -> [String: String] {
    var options: [String: String] = [:]
    for entry in entries {
      if entry.key.isBinary || entry.value.isBinary {
        throw EngineError(.validation, "Binary literals (X'...') cannot be option keys or values.")
      }
      options[entry.key.text] = entry.value.text
    }
    return options
  }

  static func connectionType(of options: [String: String]) throws(EngineError) -> ConnectionType {
    switch OptionValidation.type(of: options) {
    case .success(let type): return type
    case .failure(let problem): throw EngineError(.validation, problem.description)
    }
  }

  static func validate(_ options: [String: String], for type: ConnectionType, allowingMissingSecrets: Bool = false) throws(EngineError) {
    let problems = OptionValidation.problems(options, for: type).filter { problem in
      guard allowingMissingSecrets else { return true }
      switch problem.kind {
      case .missingKey(let key): return !SecretPolicy.isSecret(key, type: type)
      case .missingCredentials, .incompleteCredentials: return false
      default: return true
      }
    }
    guard !problems.isEmpty else { return }
    throw EngineError(.validation, "Invalid options for type '\(type.name)': " + problems.map(\.description).joined(separator: " "))
  }
}

/// A CREATE CONNECTION that passed every check, ready to be written.
struct PreparedCreate {
  var name: QualifiedName
  var options: CheckedOptions
}

/// A CREATE's options once checked (`Engine.checkedOptions`), as the catalog writes them: only
/// what it stores, as a long script keeps one for every statement of the pieces it holds.
struct CheckedOptions: Sendable {
  var type: ConnectionType
  var comment: String?
  /// The public options, encoded as the catalog stores them (`encodeOptions`).
  var encodedOptions: String
  /// The public `endpoint`, stored in a column of its own as well.
  var endpoint: String?
  var secrets: [String: String]
}

/// Options split into what the catalog may hold and what goes to the secret store.
struct SplitOptions: Sendable {
  var publicOptions: [String: String] = [:]
  var secrets: [String: String] = [:]

  init(_ options: [String: String], type: ConnectionType) {
    for (key, value) in options where key != "type" {
      if SecretPolicy.isSecret(key, type: type) { secrets[key] = value } else { publicOptions[key] = value }
    }
  }
}
