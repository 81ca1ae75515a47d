import ConnectionEngine
import TerminalKit

/// The versions view (`v`), restoring from it, and the session's undo (`u`): each asks first.

func versionsLoaded(
  _ name: ObjectName, _ result: Result<[ConnectionVersion], EngineError>, _ plans: [Int64: [String]], _ state: inout AppState
) -> [AppEffect] {
  switch result {
  case .success(let versions):
    // The newest earlier version is what one restores most often.
    let first = versions.first?.isCurrent == true && versions.count > 1 ? 1 : 0
    state.screen = .versions(VersionsView(name: name, versions: versions, plans: plans, selected: first))
  case .failure(let error):
    state.status = Status(kind: .error, text: error.message)
  }
  return []
}

func handleVersions(_ key: Key, _ view: inout VersionsView, _ state: inout AppState) -> [AppEffect] {
  if let moved = movedChoice(key, selected: view.selected, count: view.versions.count) {
    view.selected = moved
    state.screen = .versions(view)
    return []
  }
  switch key {
  case .escape, .character("q"), .character("v"):
    state.screen = .list
    return []
  case .home, .character("g"): view.selected = 0
  case .end, .character("G"): view.selected = max(0, view.versions.count - 1)
  case .enter, .character("R"):
    guard !state.isReadOnly, let chosen = view.selectedVersion else { break }
    guard !chosen.isCurrent, !chosen.isDropped, let plan = view.plans[chosen.version] else {
      state.status = Status(kind: .info, text: chosen.isDropped ? "A tombstone marks a drop: choose a version before it." : "This is the current version.")
      break
    }
    let parts = view.name.parts
    state.dialog = .confirmRestore(
      title: "Restore version \(chosen.version)?",
      lines: ["\(parts.joined(separator: ".")) gets a new version equal to \(chosen.version) (secrets included):"] + plan.map { "  " + $0 },
      request: .version(name: view.name, version: chosen.version, expectedVersion: view.current?.version),
      protectedNamespace: state.protectedNamespace(catalog: parts[0], database: parts[1]), typed: LineEditor())
  default: break
  }
  state.screen = .versions(view)
  return []
}

func undoPrepared(_ result: Result<(change: SessionChange, plan: [String]), EngineError>, _ state: inout AppState) -> [AppEffect] {
  switch result {
  case .success(let prepared):
    if case .notUndoable(let why) = prepared.change.kind {
      state.status = Status(kind: .error, text: why)
      return []
    }
    let parts = prepared.change.name.parts
    state.dialog = .confirmRestore(
      title: "Undo your last change?", lines: [prepared.change.undoDescription] + prepared.plan.map { "  " + $0 }, request: .undo,
      protectedNamespace: state.protectedNamespace(catalog: parts[0], database: parts[1]), typed: LineEditor())
  case .failure(let error):
    state.status = Status(kind: .info, text: error.message)
  }
  return []
}

func restoreFinished(_ result: Result<String, EngineError>, _ state: inout AppState) -> [AppEffect] {
  switch result {
  case .success(let message):
    state.status = Status(kind: .success, text: message)
    state.screen = .list
  case .failure(let error):
    state.status = Status(kind: .error, text: error.message)
  }
  return [.loadConnections(catalog: state.catalog, database: state.database)] + (state.scriptsFolder.map { [.scanScripts($0)] } ?? [])
}

func mergeLoaded(_ result: Result<TheirChange, EngineError>, _ state: inout AppState) -> [AppEffect] {
  guard case .form(let form) = state.screen else { return [] }
  switch result {
  case .success(let theirs):
    state.screen = .merge(MergeState(mine: form, theirs: theirs))
    state.status = nil
  case .failure(let error):
    state.status = Status(kind: .error, text: error.message + " Your edits are kept.")
  }
  return []
}

func handleMerge(_ key: Key, _ merge: inout MergeState, _ state: inout AppState) -> [AppEffect] {
  switch key {
  case .escape:
    state.screen = .form(merge.mine)
    return []
  case .up, .down, .character("k"), .character("j"):
    merge.selected = movedChoice(key, selected: merge.selected, count: merge.rows.count) ?? merge.selected
  case .character(" "), .left, .right, .tab:
    merge.toggleSelected()
  case .character("t"):
    for i in merge.rows.indices { merge.rows[i].keepMine = false }
  case .character("m"):
    for i in merge.rows.indices where merge.rows[i].changedByMe { merge.rows[i].keepMine = true }
  case .enter:
    state.screen = .form(merge.merged)
    state.status = Status(
      kind: .info, text: "Merged onto version \(merge.theirs.current.version): review the preview, then submit (^S).")
    return []
  default: break
  }
  state.screen = .merge(merge)
  return []
}
