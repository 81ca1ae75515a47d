/// One version of a connection as `versions` and the terminal UI show it.
public struct ConnectionVersion: Sendable, Equatable {
  public var version: Int64
  /// `catalog.database.name` at that version (sanitised).
  public var name: String
  public var madeAt: Double
  public var madeBy: String?
  public var isCurrent: Bool
  /// A tombstone: the connection was dropped.
  public var isDropped: Bool
  /// The plan from the version before it (`dropped`, `restored after a drop`); for the oldest
  /// kept version, which has none, `oldest kept version`.
  public var changes: [String]
}

/// What `purge` destroyed.
public struct PurgeResult: Sendable, Equatable {
  public var versions: Int
  public var sealedSecrets: Int

  public init(versions: Int, sealedSecrets: Int) {
    self.versions = versions
    self.sealedSecrets = sealedSecrets
  }
}

/// Versions, restore and purge (Vault's KV v2: versions, undelete, destroy).
extension Engine {
  /// How many earlier versions each connection keeps (the config's `retention`).
  public var versionRetention: Int {
    get { catalog.versionRetention }
    set { catalog.versionRetention = max(1, newValue) }
  }

  /// A connection's versions, newest first: the current one, then those kept. For a dropped
  /// connection, its tombstone and the versions before it.
  public func versions(of name: ObjectName) throws(EngineError) -> [ConnectionVersion] {
    let q = try resolve(name)
    let (states, hasCurrent) = try catalog.read { () throws -> ([StoredVersion], Bool) in
      if let stored = try catalog.load(q) { return ([Self.state(of: stored)] + (try catalog.versions(of: stored.id)), true) }
      guard let tombstone = try catalog.tombstone(named: q) else { return ([], false) }
      return (try catalog.versions(of: tombstone.connectionID), false)
    }
    guard !states.isEmpty else {
      throw EngineError(.notFound, "Connection \(q.summary) does not exist and none of that name was dropped within the retention.")
    }
    return states.indices.map { index in
      let state = states[index]
      let older = states[(index + 1)...]
      var changes: [String]
      if state.isDropped {
        changes = ["dropped"]
      } else if let previous = older.first(where: { !$0.isDropped }) {
        changes = Self.plan(from: previous, to: state)
        if older.first?.isDropped == true {
          changes = ["restored after a drop"] + changes.filter { $0 != "no changes" }
        }
      } else {
        changes = ["oldest kept version"]
      }
      return ConnectionVersion(
        version: state.version, name: state.name.summary, madeAt: state.madeAt, madeBy: state.madeBy.map(sanitizedForMessage),
        isCurrent: index == 0 && hasCurrent, isDropped: state.isDropped, changes: changes)
    }
  }

  /// What restoring `version` would change, key by key (the plan from now to it).
  public func restorePlan(of name: ObjectName, version: Int64?) throws(EngineError) -> [String] {
    let q = try resolve(name)
    return try catalog.read { () throws -> [String] in
      let (current, target) = try restoreTarget(q, version: version)
      guard let current else { return ["restore dropped connection \(target.name.summary) as it was at version \(target.version)"] }
      return Self.plan(from: Self.state(of: current), to: Self.keepingName(target, of: current))
    }
  }

  /// The restore plan of every kept version of a live connection, in one read (the versions view).
  public func restorePlans(of name: ObjectName) throws(EngineError) -> [Int64: [String]] {
    let q = try resolve(name)
    return try catalog.read { () throws -> [Int64: [String]] in
      guard let current = try catalog.load(q) else { return [:] }
      var plans: [Int64: [String]] = [:]
      for kept in try catalog.versions(of: current.id) where !kept.isDropped && kept.version != current.version {
        plans[kept.version] = Self.plan(from: Self.state(of: current), to: Self.keepingName(kept, of: current))
      }
      return plans
    }
  }

  /// Makes a new version equal to `version` (secrets included), or brings back a dropped
  /// connection as it was before its DROP. Checked like any change: `expectedVersion` against
  /// the current version, read-only mode, protected namespaces. Returns what happened.
  @discardableResult
  public func restore(_ name: ObjectName, version: Int64?, expectedVersion: Int64? = nil) throws(EngineError) -> String {
    let q = try resolve(name)
    runChanges = []
    defer { runChanges = [] }
    let note = "-- restore \(q.summary)" + (version.map { " to version \($0)" } ?? "")
    do {
      try checkWritePolicy(into: q)
      let message = try catalog.write { () throws -> String in
        let (current, target) = try restoreTarget(q, version: version)
        if let current {
          try checkVersion(q, loaded: expectedVersion, current: current)
          if Self.plan(from: Self.state(of: current), to: Self.keepingName(target, of: current)) == ["no changes"] {
            throw EngineError(.validation, "Connection \(q.summary) already equals version \(target.version); nothing was changed.")
          }
        } else {
          try catalog.requireDatabase(target.name)
        }
        try catalog.restore(target, over: current, at: now(), by: actor)
        if let restored = try catalog.load(current != nil ? q : target.name) {
          noteChange(restored.id, current.map { .changed(from: $0.version) } ?? .created, restored.name, version: restored.version)
        }
        let outcome =
          current == nil
          ? "Restored \(target.name.summary) as it was at version \(target.version)."
          : "Restored \(q.summary) to version \(target.version) (as a new version)."
        try appendHistory(note, outcome: "ok", message: outcome)
        return outcome
      }
      settleChanges()
      return message
    } catch {
      record(note, outcome: "error", message: error.message)
      throw error
    }
  }

  /// Destroys kept versions and tombstones for good — of one connection (live or dropped), or of
  /// every one — keeping the newest `keep` of each, then scrubs them from the database's files.
  public func purge(_ name: ObjectName?, keep: Int) throws(EngineError) -> PurgeResult {
    try checkNotReadOnly()
    let q = try name.map { name throws(EngineError) in try resolve(name) }
    let note = "-- purge versions" + (q.map { " of \($0.summary)" } ?? "") + " keeping \(keep)"
    let result = try catalog.write { () throws -> PurgeResult in
      var id: Int64?
      if let q {
        if let stored = try catalog.load(q) {
          id = stored.id
        } else if let tombstone = try catalog.tombstone(named: q) {
          id = tombstone.connectionID
        } else {
          throw EngineError(.notFound, "Connection \(q.summary) does not exist and none of that name was dropped within the retention.")
        }
      }
      let removed = try catalog.trimVersions(of: id, keep: max(0, keep))
      let result = PurgeResult(versions: removed.versions, sealedSecrets: removed.sealed)
      try appendHistory(
        note, outcome: "ok", message: "\(result.versions) versions and \(result.sealedSecrets) sealed secrets destroyed")
      return result
    }
    if result.versions > 0 || result.sealedSecrets > 0 { try catalog.scrub() }
    return result
  }

  // MARK: Helpers

  /// The live connection (nil when dropped) and the version to make current again: `version`,
  /// or after a DROP the last version before it.
  private func restoreTarget(_ q: QualifiedName, version: Int64?) throws -> (StoredConnection?, StoredVersion) {
    let current = try catalog.load(q)
    let kept: [StoredVersion]
    if let current {
      guard let version else {
        throw EngineError(.validation, "Connection \(q.summary) exists; name the version to restore with --version N (see versions).")
      }
      if version == current.version {
        throw EngineError(.validation, "Version \(version) is the current version of \(q.summary); nothing was changed.")
      }
      kept = try catalog.versions(of: current.id)
    } else {
      guard let tombstone = try catalog.tombstone(named: q) else {
        throw EngineError(.notFound, "Connection \(q.summary) does not exist and none of that name was dropped within the retention.")
      }
      kept = try catalog.versions(of: tombstone.connectionID)
    }
    let target =
      if let version { kept.first { $0.version == version } } else { kept.first { !$0.isDropped } }
    guard let target, !target.isDropped else {
      let shown = version.map { "Version \($0) of \(q.summary) is not kept" } ?? "No version of \(q.summary) before its drop is kept"
      throw EngineError(.notFound, "\(shown) (see versions); nothing was changed.")
    }
    return (current, target)
  }

  /// A restore keeps the connection's current name (a rename is undone by another rename).
  private static func keepingName(_ target: StoredVersion, of current: StoredConnection) -> StoredVersion {
    var target = target
    target.name = current.name
    return target
  }

  static func state(of stored: StoredConnection) -> StoredVersion {
    StoredVersion(
      connectionID: stored.id, version: stored.version, name: stored.name, type: stored.type, comment: stored.comment,
      options: stored.options, secretVersions: stored.secretVersions, madeAt: stored.updatedAt, madeBy: stored.updatedBy,
      isDropped: false)
  }

  /// The plan from one version to another: the name, the comment, then each key (secrets as
  /// set, replaced or reset: a sealed record of another version is another value).
  static func plan(from before: StoredVersion, to after: StoredVersion) -> [String] {
    var lines: [String] = []
    if before.name != after.name { lines.append("name: \(before.name.name.quotedForPlan) → \(after.name.name.quotedForPlan)") }
    if before.comment != after.comment {
      lines.append("comment: \(before.comment?.quotedForPlan ?? "(none)") → \(after.comment?.quotedForPlan ?? "(none)")")
    }
    var old = before.options.mapValues { OptionValue.text($0) }
    var new = after.options.mapValues { OptionValue.text($0) }
    for key in before.secretVersions.keys { old[key] = .secretUnchanged }
    for (key, version) in after.secretVersions {
      new[key] = before.secretVersions[key] == version ? .secretUnchanged : .text("")
    }
    let secretKeys = Set(before.secretVersions.keys).union(after.secretVersions.keys)
    let keyLines = Planner.lines(before: old, after: new) { secretKeys.contains($0) }
    if keyLines != ["no changes"] || lines.isEmpty { lines += keyLines }
    return lines
  }
}

extension String {
  fileprivate var quotedForPlan: String { "'" + sanitizedForMessage(self) + "'" }
}

/// What someone else made of a connection since a version one loaded: for a three-way merge.
public struct TheirChange: Sendable, Equatable {
  public var current: ConnectionSummary
  /// Who made the current version, and when.
  public var by: String?
  public var at: Double
  /// Secret keys whose value they set, replaced or reset since the loaded version; nil when
  /// that version is no longer kept (then any of them may have changed).
  public var secretsChanged: Set<String>?

  public init(current: ConnectionSummary, by: String?, at: Double, secretsChanged: Set<String>?) {
    self.current = current
    self.by = by
    self.at = at
    self.secretsChanged = secretsChanged
  }
}

extension Engine {
  public func theirChange(to name: ObjectName, since version: Int64) throws(EngineError) -> TheirChange {
    let q = try resolve(name)
    return try catalog.read { () throws -> TheirChange in
      guard let stored = try catalog.load(q) else {
        throw EngineError(.notFound, "Connection \(q.summary) was dropped or renamed by someone else.")
      }
      var changed: Set<String>?
      if let base = try catalog.versions(of: stored.id).first(where: { $0.version == version && !$0.isDropped }) {
        let keys = Set(base.secretVersions.keys).union(stored.secretVersions.keys)
        changed = keys.filter { base.secretVersions[$0] != stored.secretVersions[$0] }
      } else if version == stored.version {
        changed = []
      }
      return TheirChange(
        current: stored.summary(), by: stored.updatedBy.map(sanitizedForMessage), at: stored.updatedAt, secretsChanged: changed)
    }
  }
}
