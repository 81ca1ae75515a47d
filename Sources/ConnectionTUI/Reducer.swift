import ConnectionEngine
import TerminalKit

/// The pure heart of the UI: state plus what happened gives the new state and effects to run.
public func reduce(_ state: inout AppState, _ action: AppAction) -> [AppEffect] {
  var effects = reduceAction(&state, action)
  // The list holds what its rows show; the selected connection is read whole once selected,
  // and again after anything that may have changed it (a big list reloads a while later).
  if action.mayHaveChangedConnections { state.detailRequested = nil }
  if let row = state.selectedRow,
    state.detailRequested == nil || (state.selectedDetail == nil && state.detailRequested != DetailRequest(row))
  {
    state.detailRequested = DetailRequest(row)
    effects.append(.loadDetail(row.qualifiedName))
  }
  return effects
}

private func reduceAction(_ state: inout AppState, _ action: AppAction) -> [AppEffect] {
  switch action {
  case .input(let event): return handle(event, &state)
  case .connectionsLoaded(let result, let catalog, let database, let isComplete):
    state.isLoading = !isComplete
    switch result {
    case .success(let connections):
      let keepName = state.selectedRow?.name
      if catalog != state.catalog || database != state.database { state.marked = [] }
      state.catalog = catalog
      state.database = database
      state.rows = connections
      state.visible = []  // indices into the old rows; the selection is found again by name below
      applyFilterAndSort(&state)
      if let keepName, let index = state.visible.firstIndex(where: { state.rows.name($0) == keepName }) {
        state.selected = index
      }
      clampSelection(&state)
    case .failure(let error):
      state.status = Status(kind: .error, text: error.message)
    }
    return []
  case .namespacesLoaded(let namespaces):
    state.namespaces = namespaces
    let current = namespaces.firstIndex { $0.catalog == state.catalog && $0.database == state.database } ?? 0
    state.screen = .namespaces(NamespacePicker(choices: namespaces, selected: current))
    return []
  case .submitFinished(let result):
    return submitFinished(result, &state)
  case .commandFinished(let lines):
    if case .command(var command) = state.screen {
      command.output += lines
      command.scroll = max(0, command.output.count - 1)
      state.screen = .command(command)
    }
    return [.loadConnections(catalog: state.catalog, database: state.database)] + (state.scriptsFolder.map { [.scanScripts($0)] } ?? [])
  case .bulkFinished(let results):
    return bulkFinished(results, &state)
  case .versionsLoaded(let name, let result, let plans):
    return versionsLoaded(name, result, plans, &state)
  case .undoPrepared(let result):
    return undoPrepared(result, &state)
  case .restoreFinished(let result):
    return restoreFinished(result, &state)
  case .mergeLoaded(let result):
    return mergeLoaded(result, &state)
  case .scriptsScanned(let result):
    switch result {
    case .success(let scan): state.scriptUses = scan.uses
    case .failure(let error): state.status = Status(kind: .error, text: "Scripts: " + error.message)
    }
    return []
  case .historyLoaded(let result):
    switch result {
    case .success(let entries):
      state.screen = .history(HistoryView(entries: entries, top: max(0, entries.count - 1)))
    case .failure(let error):
      state.status = Status(kind: .error, text: error.message)
    }
    return []
  case .catalogUnreachable(let message):
    // Said once; forms and their edits stay, and nothing is submitted until the user asks again.
    if !state.catalogUnreachable { state.status = Status(kind: .error, text: message + " Your edits are kept.") }
    state.catalogUnreachable = true
    return []
  case .catalogChanged:
    if state.catalogUnreachable {
      state.catalogUnreachable = false
      state.status = Status(kind: .info, text: "The catalog is reachable again.")
    }
    // The list reloads in place (the selection stays on its connection); an open form learns
    // at once whether its connection is still the one it loaded.
    var effects: [AppEffect] = [.loadConnections(catalog: state.catalog, database: state.database)]
    if case .form(let form) = state.screen, case .edit(let name, _) = form.purpose { effects.append(.checkFormConnection(name)) }
    if let folder = state.scriptsFolder { effects.append(.scanScripts(folder)) }
    return effects
  case .detailLoaded(let name, let result):
    guard state.detailRequested?.name == name else { return [] }
    switch result {
    case .success(let connection): state.detail = connection
    case .failure: state.detail = nil  // dropped meanwhile: the list's reload follows
    }
    return []
  case .formConnectionChecked(let result):
    guard case .form(let form) = state.screen, case .edit(let name, let loaded) = form.purpose else { return [] }
    switch result {
    case .success(let connection) where connection.version != loaded:
      state.status = Status(
        kind: .error,
        text: "\(sanitizedForTerminal(name.parts.last ?? "")) was changed by someone else (now version \(connection.version)); submitting will be refused. Your edits are kept.")
    case .success:
      break
    case .failure:
      state.status = Status(kind: .error, text: "\(sanitizedForTerminal(name.parts.last ?? "")) was dropped or renamed by someone else. Your edits are kept.")
    }
    return []
  case .connectionReloaded(let result):
    guard case .form(let form) = state.screen else { return [] }
    switch result {
    case .success(let connection):
      state.screen = .form(form.rebased(on: connection))
      state.status = Status(kind: .info, text: "Reloaded version \(connection.version); your edits are kept where they still apply.")
    case .failure(let error):
      state.screen = .list
      state.status = Status(kind: .error, text: error.message)
    }
    return []
  }
}

private func handle(_ event: InputEvent, _ state: inout AppState) -> [AppEffect] {
  switch event {
  case .resize(let size):
    state.size = size
    clampSelection(&state)
    return []
  case .resumed:
    return []
  case .terminate:
    state.shouldQuit = true
    return [.quit]
  case .paste(let text):
    return paste(text, &state)
  case .mouse(let mouse):
    return handleMouse(mouse, &state)
  case .key(let key):
    if key == .control("c") || (key == .control("q") && state.dialog == nil) {
      // Quitting with unsaved edits asks first; Ctrl-C again (or y) quits anyway.
      if state.hasUnsavedEdits && state.dialog != .confirmQuit {
        state.dialog = .confirmQuit
        return []
      }
      state.shouldQuit = true
      return [.quit]
    }
    if state.showHelp {
      state.showHelp = false
      return []
    }
    if let dialog = state.dialog { return handleDialog(dialog, key, &state) }
    switch state.screen {
    case .list: return handleListKey(key, &state)
    case .form(var form):
      let effects = handleFormKey(key, &form, &state)
      if case .form = state.screen { state.screen = .form(form) }
      return effects
    case .pickType(var picker): return handlePickType(key, &picker, &state)
    case .drop(var drop): return handleDrop(key, &drop, &state)
    case .bulkSet(var bulk): return handleBulkSet(key, &bulk, &state)
    case .versions(var view): return handleVersions(key, &view, &state)
    case .merge(var merge): return handleMerge(key, &merge, &state)
    case .command(var command): return handleCommand(key, &command, &state)
    case .history(var view): return handleHistory(key, &view, &state)
    case .namespaces(var picker): return handleNamespaces(key, &picker, &state)
    }
  }
}

private func paste(_ text: String, _ state: inout AppState) -> [AppEffect] {
  if state.dialog != nil { return [] }
  switch state.screen {
  case .list where state.isTypingFilter:
    state.filter.insert(text)
    applyFilterAndSort(&state)
  case .form(var form):
    form.paste(text)
    form.submitError = nil
    state.screen = .form(form)
  case .drop(var drop):
    drop.confirmation.insert(text)
    state.screen = .drop(drop)
  case .command(var command):
    command.input.insert(text)
    state.screen = .command(command)
  default:
    break
  }
  return []
}

private func submitFinished(_ result: Result<String, EngineError>, _ state: inout AppState) -> [AppEffect] {
  switch result {
  case .success(let masked):
    state.screen = .list
    state.status = Status(kind: .success, text: "Done: " + masked.replacingNewlines())
    return [.loadConnections(catalog: state.catalog, database: state.database)] + (state.scriptsFolder.map { [.scanScripts($0)] } ?? [])
  case .failure(let error):
    if error.code == .conflict {
      state.dialog = .conflict(message: error.message)
    } else if case .form(var form) = state.screen {
      form.submitError = error.message
      state.screen = .form(form)
    } else {
      state.status = Status(kind: .error, text: error.message)
      if case .drop = state.screen { state.screen = .list }
    }
    return [.loadConnections(catalog: state.catalog, database: state.database)]
  }
}

extension String {
  func replacingNewlines() -> String {
    split(whereSeparator: { $0 == "\n" }).map { $0.trimmingPrefix(while: { $0 == " " }) }.joined(separator: " ")
  }
}

private extension Substring {
  func trimmingPrefix(while predicate: (Character) -> Bool) -> Substring {
    var s = self
    while let first = s.first, predicate(first) { s = s.dropFirst() }
    return s
  }
}
