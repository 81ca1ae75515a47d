import Foundation
import GRDB

/// CREATE, ALTER and DROP CONNECTION.
extension Engine {
  func create(_ c: CreateConnection, maskedText: String) throws(EngineError) -> ResultSet {
    let name = try resolve(c.name)
    let options = try optionMap(c.options)
    let type = try connectionType(of: options)
    try validate(options, for: type)
    try Self.checkValues(options, type: type)
    var split = SplitOptions(options, type: type)
    let comment = c.comment.flatMap { $0.isEmpty ? nil : $0 }

    if c.isTemporary {
      try requireDatabase(name)
      if temporaries[name] != nil {
        if c.ifNotExists { record(maskedText, outcome: "ok"); return .ok }
        throw EngineError(.alreadyExists, "Temporary connection \(name.summary) already exists.")
      }
      let time = now()
      var options = split.publicOptions
      options["type"] = type.name
      temporaries[name] = TemporaryConnection(
        options: options, secrets: split.secrets, comment: comment, version: try temporaryFirstVersion(), createdAt: time, updatedAt: time)
      record(maskedText, outcome: "ok")
      return .ok
    }

    try write { db in
      try requireDatabase(db, name)
      if try StoredConnection.load(db, name) != nil {
        if c.ifNotExists {
          try appendHistory(db, maskedText, outcome: "ok", message: "already exists")
          return
        }
        throw EngineError(.alreadyExists, "Connection \(name.summary) already exists.")
      }
      let cipher = split.secrets.isEmpty ? nil : try cipher(db, creatingKey: true)
      let time = now()
      let id = try CatalogSchema.nextID(db)
      let version = try CatalogSchema.firstVersion(db)
      try db.cachedStatement(sql: """
          INSERT INTO connections (id, catalog, database, name, type, endpoint, comment, options, version, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """).execute(arguments: [
          id, name.catalog, name.database, name.name, type.name, split.publicOptions["endpoint"], comment,
          encodeOptions(split.publicOptions), version, time, time,
        ])
      for (key, value) in split.secrets.sorted(by: { $0.key < $1.key }) {
        try storeSecret(db, cipher!, connectionID: id, key: key, value: value, version: version)
      }
      try appendHistory(db, maskedText, outcome: "ok")
    }
    split.secrets.removeAll()
    return .ok
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

    try write { db in
      guard var stored = try StoredConnection.load(db, name) else {
        if a.ifExists {
          try appendHistory(db, maskedText, outcome: "ok", message: "does not exist")
          return
        }
        throw EngineError(.notFound, "Connection \(name.summary) does not exist.")
      }
      try checkVersion(name, loaded: expectedVersion, current: stored.version)
      let newVersion = stored.version + 1
      try CatalogSchema.noteVersion(db, newVersion)
      switch a.change {
      case .rename(let target):
        let newName = try renameTarget(target, of: name)
        if try StoredConnection.load(db, newName) != nil {
          throw EngineError(.alreadyExists, "Connection \(newName.summary) already exists.")
        }
        try db.cachedStatement(sql: "UPDATE connections SET name = ?, version = ?, updated_at = ? WHERE id = ?").execute(arguments: [newName.name, newVersion, now(), stored.id])
      default:
        var change = try applyChange(a.change, publicOptions: stored.options, secretKeys: Set(stored.secretVersions.keys), typeName: stored.type)
        if change.changed {
          let touchesSecrets = !change.newSecrets.isEmpty || !change.resetSecrets.isEmpty
          let cipher = touchesSecrets ? try cipher(db, creatingKey: change.newSecrets.count > 0 && stored.secretVersions.isEmpty) : nil
          for key in change.resetSecrets {
            try db.cachedStatement(sql: "DELETE FROM secrets WHERE connection_id = ? AND key = ?").execute(arguments: [stored.id, key])
          }
          for (key, value) in change.newSecrets.sorted(by: { $0.key < $1.key }) {
            try storeSecret(db, cipher!, connectionID: stored.id, key: key, value: value, version: newVersion)
          }
          change.newSecrets.removeAll()
          stored.options = change.publicOptions
          try db.cachedStatement(sql: "UPDATE connections SET options = ?, endpoint = ?, version = ?, updated_at = ? WHERE id = ?").execute(arguments: [encodeOptions(stored.options), stored.options["endpoint"], newVersion, now(), stored.id])
        }
      }
      try appendHistory(db, maskedText, outcome: "ok")
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
    try write { db in
      guard let stored = try StoredConnection.load(db, name) else {
        if d.ifExists {
          try appendHistory(db, maskedText, outcome: "ok", message: "does not exist")
          return
        }
        throw EngineError(.notFound, "Connection \(name.summary) does not exist.")
      }
      try checkVersion(name, loaded: expectedVersion, current: stored.version)
      // Dropping only deletes sealed bytes: it works without the master key.
      try db.cachedStatement(sql: "DELETE FROM secrets WHERE connection_id = ?").execute(arguments: [stored.id])
      try db.cachedStatement(sql: "DELETE FROM connections WHERE id = ?").execute(arguments: [stored.id])
      try appendHistory(db, maskedText, outcome: "ok")
    }
    return .ok
  }

  // MARK: Helpers

  /// A temporary connection's first version, above every version issued so far (by the catalog
  /// and by this session), so that a form loaded from a connection of the same name before
  /// never matches it. Recorded in the catalog when it can be written.
  func temporaryFirstVersion() throws(EngineError) -> Int64 {
    var version = lastTemporaryVersion + 1
    if !store.isReadOnly && !store.isDamaged {
      version = max(version, try write { db in
        let issued = try CatalogSchema.firstVersion(db)
        try CatalogSchema.noteVersion(db, max(issued, lastTemporaryVersion + 1))
        return max(issued, lastTemporaryVersion + 1)
      })
    } else {
      version = max(version, (try? read { db in try CatalogSchema.lastVersion(db) + 1 }) ?? 0)
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

  private func renameTarget(_ target: ObjectName, of name: QualifiedName) throws(EngineError) -> QualifiedName {
    let resolved = try resolve(target)
    if target.parts.count > 1 && (resolved.catalog != name.catalog || resolved.database != name.database) {
      throw EngineError(.validation, "RENAME TO keeps a connection in its catalog and database; give the new name alone.")
    }
    return QualifiedName(catalog: name.catalog, database: name.database, name: resolved.name)
  }

  /// WITH/SET entries as a map: the last value of a repeated key wins, as in Flink.
  func optionMap(_ entries: [OptionEntry]) throws(EngineError) -> [String: String] {
    var options: [String: String] = [:]
    for entry in entries {
      if entry.key.isBinary || entry.value.isBinary {
        throw EngineError(.validation, "Binary literals (X'...') cannot be option keys or values.")
      }
      options[entry.key.text] = entry.value.text
    }
    return options
  }

  func connectionType(of options: [String: String]) throws(EngineError) -> ConnectionType {
    switch OptionValidation.type(of: options) {
    case .success(let type): return type
    case .failure(let problem): throw EngineError(.validation, problem.description)
    }
  }

  func validate(_ options: [String: String], for type: ConnectionType) throws(EngineError) {
    let problems = OptionValidation.problems(options, for: type)
    guard !problems.isEmpty else { return }
    throw EngineError(.validation, "Invalid options for type '\(type.name)': " + problems.map(\.description).joined(separator: " "))
  }
}

/// Options split into what the catalog may hold and what goes to the secret store.
struct SplitOptions {
  var publicOptions: [String: String] = [:]
  var secrets: [String: String] = [:]

  init(_ options: [String: String], type: ConnectionType) {
    for (key, value) in options where key != "type" {
      if SecretPolicy.isSecret(key, type: type) { secrets[key] = value } else { publicOptions[key] = value }
    }
  }
}
