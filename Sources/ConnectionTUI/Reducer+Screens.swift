import ConnectionEngine
import TerminalKit

func handleFormKey(_ key: Key, _ form: inout FormState, _ state: inout AppState) -> [AppEffect] {
  switch key {
  case .tab, .down: form.moveFocus(by: 1)
  case .backTab, .up: form.moveFocus(by: -1)
  case .escape:
    if form.hasChanges { state.dialog = .confirmDiscard } else { state.screen = .list }
  case .control("s"), .function(2):
    let problems = form.problems
    if !problems.isEmpty {
      state.status = Status(kind: .error, text: "Fix the marked fields first.")
    } else if form.statements.isEmpty {
      state.status = Status(kind: .info, text: "Nothing to submit.")
    } else if let namespace = state.protectedNamespace(catalog: form.namespace.catalog, database: form.namespace.database) {
      state.dialog = .confirmProtected(plan: form.plan, masked: form.maskedPreview, namespace: namespace, typed: LineEditor())
    } else {
      state.dialog = .confirmSubmit(plan: form.plan, masked: form.maskedPreview)
    }
  case .control("n") where form.canAddOption:
    form.addOption()
  case .control("r"):
    form.revertFocused()
  case .function(1):
    state.showHelp = true
  default:
    if form.edit(key) {
      form.submitError = nil
      state.status = nil
    }
  }
  return []
}

func handleDialog(_ dialog: Dialog, _ key: Key, _ state: inout AppState) -> [AppEffect] {
  let yes = key == .enter || key == .character("y") || key == .character("Y")
  switch dialog {
  case .confirmSubmit:
    if yes, case .form(let form) = state.screen {
      state.dialog = nil
      var version: Int64? = nil
      if case .edit(_, let loaded) = form.purpose { version = loaded }
      return [.submit(statements: form.statements, expectedVersion: version)]
    }
    if key == .escape || key == .character("n") { state.dialog = nil }
  case .confirmProtected(let plan, let masked, let namespace, var typed):
    switch key {
    case .escape:
      state.dialog = nil
    case .enter:
      guard typed.text == namespace else {
        state.status = Status(kind: .error, text: "Type \(namespace) exactly to write into this protected namespace.")
        return []
      }
      guard case .form(let form) = state.screen else { state.dialog = nil; return [] }
      state.dialog = nil
      var version: Int64? = nil
      if case .edit(_, let loaded) = form.purpose { version = loaded }
      return [.submitProtected(statements: form.statements, expectedVersion: version, namespace: namespace)]
    default:
      _ = typed.handle(key)
      state.dialog = .confirmProtected(plan: plan, masked: masked, namespace: namespace, typed: typed)
    }
  case .confirmBulk(let title, let lines, let items, let namespace, let typed):
    return confirmNamingNamespace(key, namespace, typed, &state, go: { .bulk(items, namespace: $0) }) {
      .confirmBulk(title: title, lines: lines, items: items, protectedNamespace: namespace, typed: $0)
    }
  case .confirmRestore(let title, let lines, let request, let namespace, let typed):
    return confirmNamingNamespace(key, namespace, typed, &state, go: { .restore(request, namespace: $0) }) {
      .confirmRestore(title: title, lines: lines, request: request, protectedNamespace: namespace, typed: $0)
    }
  case .conflict:
    guard case .form(let form) = state.screen else {
      state.dialog = nil
      return []
    }
    if key == .character("m") || key == .enter, case .edit(let name, let loaded) = form.purpose {
      state.dialog = nil
      return [.loadMerge(name, since: loaded)]
    }
    if key == .character("r"), case .edit(let name, _) = form.purpose {
      state.dialog = nil
      return [.reloadConnection(name)]
    }
    if key == .character("c") {
      state.dialog = nil
      state.screen = .list
    } else if key == .escape {
      state.dialog = nil
    }
  case .confirmQuit:
    if yes {
      state.shouldQuit = true
      return [.quit]
    }
    if key == .escape || key == .character("n") { state.dialog = nil }
  case .confirmDiscard:
    if yes {
      state.dialog = nil
      state.screen = .list
    } else if key == .escape || key == .character("n") {
      state.dialog = nil
    }
  }
  return []
}

/// A confirmation that, in a protected namespace, asks for the namespace's name: ⏎ (or y when
/// none is asked) runs `go` with the confirmed namespace; other keys edit the typed name.
private func confirmNamingNamespace(
  _ key: Key, _ namespace: String?, _ typed: LineEditor, _ state: inout AppState, go: (String?) -> AppEffect,
  reopen: (LineEditor) -> Dialog
) -> [AppEffect] {
  switch key {
  case .escape:
    state.dialog = nil
  case .enter where namespace == nil, .character("y") where namespace == nil:
    state.dialog = nil
    return [go(nil)]
  case .enter:
    guard typed.text == namespace else {
      state.status = Status(kind: .error, text: "Type \(namespace!) exactly to write into this protected namespace.")
      return []
    }
    state.dialog = nil
    return [go(namespace)]
  default:
    guard namespace != nil else { return [] }
    var typed = typed
    _ = typed.handle(key)
    state.dialog = reopen(typed)
  }
  return []
}

/// Up/down (and k/j) in a pick list: the new selection, or nil for any other key.
func movedChoice(_ key: Key, selected: Int, count: Int) -> Int? {
  switch key {
  case .up, .character("k"): return max(0, selected - 1)
  case .down, .character("j"): return min(max(0, count - 1), selected + 1)
  default: return nil
  }
}

func handlePickType(_ key: Key, _ picker: inout TypePicker, _ state: inout AppState) -> [AppEffect] {
  if let moved = movedChoice(key, selected: picker.selected, count: picker.names.count) {
    picker.selected = moved
    state.screen = .pickType(picker)
    return []
  }
  switch key {
  case .escape:
    state.screen = .list
    return []
  case .enter:
    let type = ConnectionType.named(picker.names[picker.selected])!
    state.screen = .form(.create(type: type, catalog: state.catalog, database: state.database))
    return []
  default: break
  }
  state.screen = .pickType(picker)
  return []
}

func handleDrop(_ key: Key, _ drop: inout DropState, _ state: inout AppState) -> [AppEffect] {
  switch key {
  case .escape:
    state.screen = .list
    return []
  case .enter:
    guard drop.confirmation.text == drop.name else {
      state.status = Status(kind: .error, text: "Type the connection's name exactly to drop it.")
      return []
    }
    if drop.uses > 0 && !drop.usesAcknowledged {
      drop.usesAcknowledged = true
      state.screen = .drop(drop)
      state.status = Status(kind: .error, text: "Used by \(usesPhrase(drop.uses)) in the scripts. Press ⏎ again to drop it anyway.")
      return []
    }
    let statement = SQLPrinter.print(.dropConnection(DropConnection(name: drop.qualified)))
    // Typing the connection's name is the confirmation a protected namespace asks for.
    if let namespace = state.protectedNamespace(catalog: drop.qualified.parts[0], database: drop.qualified.parts[1]) {
      return [.submitProtected(statements: [statement], expectedVersion: drop.version, namespace: namespace)]
    }
    return [.submit(statements: [statement], expectedVersion: drop.version)]
  default:
    _ = drop.confirmation.handle(key)
    state.screen = .drop(drop)
  }
  return []
}

func handleCommand(_ key: Key, _ command: inout CommandState, _ state: inout AppState) -> [AppEffect] {
  switch key {
  case .escape where command.pendingProtected != nil:
    command.pendingProtected = nil
    command.input.set("")
    state.screen = .command(command)
    state.status = Status(kind: .info, text: "Not run.")
    return []
  case .escape:
    state.screen = .list
    return [.loadConnections(catalog: state.catalog, database: state.database)]
  case .enter:
    if let pending = command.pendingProtected {
      guard command.input.text == pending.namespace else {
        state.status = Status(kind: .error, text: "Type \(pending.namespace) exactly to run it (Esc cancels).")
        return []
      }
      command.pendingProtected = nil
      command.input.set("")
      state.screen = .command(command)
      state.status = nil
      return [.runCommandProtected(pending.sql, namespace: pending.namespace)]
    }
    let sql = command.input.text
    guard !sql.allSatisfy(\.isWhitespace) else { return [] }
    if let namespace = state.protectedNamespace(ofStatements: sql) {
      command.pendingProtected = (sql, namespace)
      command.inputHistory.append(sql)
      command.input.set("")
      state.screen = .command(command)
      state.status = Status(kind: .error, text: "\(namespace) is protected: type its name and press ⏎ to run the statement (Esc cancels).")
      return []
    }
    let inUse = usesTouched(by: sql, state)
    if inUse > 0 && command.pendingInUse != sql {
      command.pendingInUse = sql
      state.screen = .command(command)
      state.status = Status(kind: .error, text: "What this drops or renames is used by \(usesPhrase(inUse)) in the scripts. Press ⏎ again to run it.")
      return []
    }
    command.pendingInUse = nil
    command.inputHistory.append(sql)
    command.historyIndex = nil
    command.input.set("")
    state.screen = .command(command)
    return [.runCommand(sql)]
  case .up where !command.inputHistory.isEmpty:
    let index = max(0, (command.historyIndex ?? command.inputHistory.count) - 1)
    command.historyIndex = index
    command.input.set(command.inputHistory[index])
  case .down:
    if let index = command.historyIndex, index + 1 < command.inputHistory.count {
      command.historyIndex = index + 1
      command.input.set(command.inputHistory[index + 1])
    } else {
      command.historyIndex = nil
      command.input.set("")
    }
  case .pageUp: command.scroll = max(0, command.scroll - 10)
  case .pageDown: command.scroll = min(max(0, command.output.count - 1), command.scroll + 10)
  default:
    _ = command.input.handle(key)
  }
  state.screen = .command(command)
  return []
}

func handleHistory(_ key: Key, _ view: inout HistoryView, _ state: inout AppState) -> [AppEffect] {
  switch key {
  case .escape, .character("q"), .character("h"):
    state.screen = .list
    return []
  case .up, .character("k"): view.top = max(0, view.top - 1)
  case .down, .character("j"): view.top = min(max(0, view.entries.count - 1), view.top + 1)
  case .pageUp: view.top = max(0, view.top - 10)
  case .pageDown: view.top = min(max(0, view.entries.count - 1), view.top + 10)
  case .home, .character("g"): view.top = 0
  case .end, .character("G"): view.top = max(0, view.entries.count - 1)
  default: break
  }
  state.screen = .history(view)
  return []
}

func handleNamespaces(_ key: Key, _ picker: inout NamespacePicker, _ state: inout AppState) -> [AppEffect] {
  if let moved = movedChoice(key, selected: picker.selected, count: picker.choices.count) {
    picker.selected = moved
    state.screen = .namespaces(picker)
    return []
  }
  switch key {
  case .escape:
    state.screen = .list
    return []
  case .enter:
    guard picker.choices.indices.contains(picker.selected) else { return [] }
    let choice = picker.choices[picker.selected]
    state.screen = .list
    state.filter.set("")
    state.selected = 0
    state.top = 0
    state.isLoading = true
    return [.loadFirstScreen(catalog: choice.catalog, database: choice.database, limit: firstScreenRows(state.size))]
  default: break
  }
  state.screen = .namespaces(picker)
  return []
}

/// `1 statement` / `3 statements`.
func usesPhrase(_ count: Int) -> String { "\(count) statement\(count == 1 ? "" : "s")" }

/// How many script statements use the connections `sql` drops or renames.
func usesTouched(by sql: String, _ state: AppState) -> Int {
  guard !state.scriptUses.isEmpty, let statements = try? Parser.parse(sql) else { return 0 }
  var count = 0
  for parsed in statements {
    let name: ObjectName
    switch parsed.statement {
    case .dropConnection(let d) where !d.isTemporary: name = d.name
    case .alterConnection(let a):
      guard case .rename = a.change else { continue }
      name = a.name
    default: continue
    }
    let parts: [String]
    switch name.parts.count {
    case 1: parts = [state.catalog, state.database] + name.parts
    case 2: parts = [state.catalog] + name.parts
    default: parts = name.parts
    }
    count += state.uses(of: ObjectName(parts)).count
  }
  return count
}

func handleBulkSet(_ key: Key, _ bulk: inout BulkSetState, _ state: inout AppState) -> [AppEffect] {
  switch key {
  case .escape:
    state.screen = .list
    return []
  case .tab, .backTab, .up, .down:
    bulk.focusOnValue.toggle()
  case .enter:
    guard !bulk.key.text.isEmpty, !bulk.value.isEmpty else {
      state.status = Status(kind: .error, text: "Give a key and a value.")
      break
    }
    let entry = OptionEntry(bulk.key.text, bulk.value.text)
    let items = markedRows(state).map { connection in
      let statement = SQLPrinter.print(.alterConnection(AlterConnection(name: connection.qualifiedName, change: .set([entry]))))
      return BulkItem(name: connection.name, statement: statement, masked: Masker.mask(statement), version: connection.version)
    }
    let shown = bulk.isSecret ? "a new secret value" : "'\(sanitizedForTerminal(bulk.value.text))'"
    state.screen = .bulkSet(bulk)
    return confirmBulk("Set '\(sanitizedForTerminal(bulk.key.text))' on \(items.count) connection\(items.count == 1 ? "" : "s")?", items: items,
      note: "Sets '\(sanitizedForTerminal(bulk.key.text))' to \(shown); each one is changed on its own.", &state)
  default:
    if bulk.focusOnValue { _ = bulk.value.handle(key) } else { _ = bulk.key.handle(key) }
  }
  state.screen = .bulkSet(bulk)
  return []
}

func bulkFinished(_ results: [(name: String, failure: String?)], _ state: inout AppState) -> [AppEffect] {
  let failed = results.filter { $0.failure != nil }
  var text = "\(results.count - failed.count) changed"
  if !failed.isEmpty {
    text += ", \(failed.count) failed: " + failed.map { "\($0.name) — \($0.failure!.replacingNewlines())" }.joined(separator: "; ")
  }
  state.status = Status(kind: failed.isEmpty ? .success : .error, text: text)
  state.marked = []
  state.screen = .list
  return [.loadConnections(catalog: state.catalog, database: state.database)]
}
