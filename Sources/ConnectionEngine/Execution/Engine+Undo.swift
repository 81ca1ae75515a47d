/// The last change this session made to one permanent connection, and how to undo it (the
/// terminal UI's `u`). Undoing is itself a change, checked like any: a connection someone else
/// changed since is a conflict, never an overwrite.
public struct SessionChange: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    case created
    /// Options, comment or secrets changed (or a restore) from this version.
    case changed(from: Int64)
    case renamed(from: String)
    case dropped
    /// Several connections, or a rename mixed with edits: restore them from their versions.
    case notUndoable(String)
  }
  public var kind: Kind
  /// The connection's full name after the change.
  public var name: ObjectName
  /// Its version after the change (for a drop, the version dropped).
  public var version: Int64

  /// What undoing does, for the confirmation.
  public var undoDescription: String {
    let shown = sanitizedForMessage(name.parts.joined(separator: "."))
    switch kind {
    case .created: return "Drop \(shown), created in this session."
    case .changed(let from): return "Restore \(shown) to version \(from), as before your last change."
    case .renamed(let from): return "Rename \(shown) back to \(sanitizedForMessage(from))."
    case .dropped: return "Bring back \(shown), dropped in this session."
    case .notUndoable(let why): return why
    }
  }
}

/// One change as a statement made it, before a run's changes are summed up.
struct RecordedChange {
  var connectionID: Int64
  var kind: SessionChange.Kind
  var name: QualifiedName
  var version: Int64
}

extension Engine {
  /// Notes a change to a permanent connection (only when the host tracks them: the terminal UI).
  func noteChange(_ id: Int64, _ kind: SessionChange.Kind, _ name: QualifiedName, version: Int64) {
    guard tracksChanges else { return }
    runChanges.append(RecordedChange(connectionID: id, kind: kind, name: name, version: version))
  }

  /// Sums up a run that succeeded: what it did to one connection becomes the change to undo.
  func settleChanges() {
    defer { runChanges = [] }
    guard tracksChanges, let first = runChanges.first, let last = runChanges.last else { return }
    let name = last.name.objectName
    guard runChanges.allSatisfy({ $0.connectionID == first.connectionID }) else {
      lastChange = SessionChange(
        kind: .notUndoable("The last change touched several connections: restore each from its versions (v)."), name: name,
        version: last.version)
      return
    }
    let kinds = runChanges.map(\.kind)
    let kind: SessionChange.Kind
    switch (first.kind, last.kind) {
    case (.created, .dropped): kind = .notUndoable("The last change created and dropped \(last.name.summary): nothing is left to undo.")
    case (.created, _): kind = .created
    case (_, .dropped) where kinds.count == 1: kind = .dropped
    case (.renamed, _) where kinds.count == 1: kind = first.kind
    case (.changed(let from), _) where kinds.allSatisfy({ if case .changed = $0 { true } else { false } }): kind = .changed(from: from)
    default: kind = .notUndoable("The last change mixed several kinds of change: restore \(last.name.summary) from its versions (v).")
    }
    lastChange = SessionChange(kind: kind, name: name, version: last.version)
  }

  /// Undoes `lastChange`, checked against the version it left. Returns what happened.
  @discardableResult
  public func undoLastChange() throws(EngineError) -> String {
    guard let change = lastChange else { throw EngineError(.validation, "Nothing to undo in this session.") }
    let shown = change.name.parts.map(sanitizedForMessage).joined(separator: ".")
    func runStatement(_ statement: Statement) throws(EngineError) {
      for outcome in run(script: SQLPrinter.print(statement), expectedVersion: change.version, atomically: true) {
        if case .failure(let error) = outcome.result { throw error }
      }
    }
    switch change.kind {
    case .notUndoable(let why):
      throw EngineError(.validation, why)
    case .created:
      try runStatement(.dropConnection(DropConnection(name: change.name)))
      return "Undone: dropped \(shown)."
    case .changed(let from):
      try restore(change.name, version: from, expectedVersion: change.version)
      return "Undone: \(shown) is as it was at version \(from) (as a new version)."
    case .renamed(let from):
      try runStatement(.alterConnection(AlterConnection(name: change.name, change: .rename(to: ObjectName([from])))))
      return "Undone: renamed \(shown) back to \(sanitizedForMessage(from))."
    case .dropped:
      try restore(change.name, version: nil)
      return "Undone: \(shown) is back."
    }
  }
}
