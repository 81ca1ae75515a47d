import ConnectionEngine
import TerminalKit

func handleListKey(_ key: Key, _ state: inout AppState) -> [AppEffect] {
  state.status = nil
  if state.isTypingFilter {
    switch key {
    case .enter:
      state.isTypingFilter = false
      return []
    case .escape:
      state.isTypingFilter = false
      state.filter.set("")
      applyFilterAndSort(&state)
      return []
    case .up, .down, .pageUp, .pageDown:
      break
    default:
      if state.filter.handle(key) {
        applyFilterAndSort(&state, narrowing: true)
        return []
      }
    }
  }
  let page = max(1, Layout(state.size).listHeight)
  switch key {
  case .up, .character("k"): moveSelection(by: -1, &state)
  case .down, .character("j"): moveSelection(by: 1, &state)
  case .pageUp, .control("b"): moveSelection(by: -page, &state)
  case .pageDown, .control("f"): moveSelection(by: page, &state)
  case .character(" "):
    // Space marks (or unmarks) the row and moves on, for a bulk action.
    guard !state.isReadOnly, let row = state.selectedRow else { return [] }
    let key = row.qualifiedName.parts.joined(separator: ".")
    if state.marked.remove(key) == nil { state.marked.insert(key) }
    moveSelection(by: 1, &state)
  case .home, .character("g"): moveSelection(by: -state.visible.count, &state)
  case .end, .character("G"): moveSelection(by: state.visible.count, &state)
  case .character("/"):
    state.isTypingFilter = true
  case .escape where !state.marked.isEmpty:
    state.marked = []
  case .escape:
    if !state.filter.isEmpty {
      state.filter.set("")
      applyFilterAndSort(&state)
    }
  case .enter, .character("e"):
    guard !state.isReadOnly, let connection = state.selectedDetail else { return [] }
    state.screen = .form(.edit(connection))
  case .character("n"):
    guard !state.isReadOnly else { return [] }
    state.screen = .pickType(TypePicker())
  case .character("y"):
    guard !state.isReadOnly, let connection = state.selectedDetail else { return [] }
    state.screen = .form(.duplicate(connection))
  case .character("d") where !state.marked.isEmpty && !state.isReadOnly:
    let items = markedRows(state).map { connection in
      let statement = SQLPrinter.print(.dropConnection(DropConnection(name: connection.qualifiedName)))
      return BulkItem(name: connection.name, statement: statement, masked: statement, version: connection.version)
    }
    return confirmBulk("Drop \(items.count) connection\(items.count == 1 ? "" : "s")?", items: items,
      note: "This removes them and their stored secrets.", &state)
  case .character("b") where !state.marked.isEmpty && !state.isReadOnly:
    state.screen = .bulkSet(BulkSetState())
  case .character("d"):
    guard !state.isReadOnly, let row = state.selectedRow else { return [] }
    state.screen = .drop(DropState(
      name: row.name, qualified: row.qualifiedName, version: row.version, uses: state.uses(of: row.qualifiedName).count))
  case .character("v"):
    guard let row = state.selectedRow, !row.isTemporary else { return [] }
    return [.loadVersions(row.qualifiedName)]
  case .character("u"):
    guard !state.isReadOnly else { return [] }
    return [.prepareUndo]
  case .character(":"):
    state.screen = .command(CommandState())
  case .character("h"):
    return [.loadHistory]
  case .character("c"):
    return [.loadNamespaces]
  case .character("s"):
    let all = SortOrder.Column.allCases
    state.sort.column = all[(all.firstIndex(of: state.sort.column)! + 1) % all.count]
    state.sort.ascending = state.sort.column != .updated
    applyFilterAndSort(&state)
  case .character("S"):
    state.sort.ascending.toggle()
    applyFilterAndSort(&state)
  case .character("r"):
    return [.loadConnections(catalog: state.catalog, database: state.database)]
  case .character("?"), .function(1):
    state.showHelp = true
  case .character("q"):
    state.shouldQuit = true
    return [.quit]
  default:
    break
  }
  return []
}

func handleMouse(_ mouse: MouseEvent, _ state: inout AppState) -> [AppEffect] {
  guard case .list = state.screen, state.dialog == nil, !state.showHelp else { return [] }
  let layout = Layout(state.size)
  switch mouse.kind {
  case .wheelUp: moveSelection(by: -3, &state)
  case .wheelDown: moveSelection(by: 3, &state)
  case .click, .doubleClick:
    if mouse.y == layout.columnHeaderY, let column = layout.column(atX: mouse.x) {
      if state.sort.column == column { state.sort.ascending.toggle() } else {
        state.sort = SortOrder(column: column, ascending: column != .updated)
      }
      applyFilterAndSort(&state)
      return []
    }
    let row = mouse.y - layout.listTop
    guard row >= 0, row < layout.listHeight, mouse.x < layout.listWidth else { return [] }
    let index = state.top + row
    guard state.visible.indices.contains(index) else { return [] }
    if mouse.kind == .doubleClick || index == state.selected {  // a second click opens it
      if !state.isReadOnly, index == state.selected, let connection = state.selectedDetail { state.screen = .form(.edit(connection)) }
    }
    state.selected = index
  }
  return []
}

func moveSelection(by delta: Int, _ state: inout AppState) {
  state.selected += delta
  clampSelection(&state)
}

/// Keeps the selection in range and on screen.
func clampSelection(_ state: inout AppState) {
  let count = state.visible.count
  state.selected = count == 0 ? 0 : min(max(0, state.selected), count - 1)
  let height = max(1, Layout(state.size).listHeight)
  if state.selected < state.top { state.top = state.selected }
  if state.selected >= state.top + height { state.top = state.selected - height + 1 }
  state.top = max(0, min(state.top, max(0, count - height)))
}

/// Recomputes which rows show, in which order: a case-insensitive substring match on name, type
/// and endpoint (`ConnectionListing.rows(containing:)`). A filter that only grew searches the
/// rows shown already, in their order; anything else filters and sorts all rows. The selection
/// stays on its connection while that one is shown.
func applyFilterAndSort(_ state: inout AppState, narrowing: Bool = false) {
  let selectedRow = state.visible.indices.contains(state.selected) ? state.visible[state.selected] : nil
  defer {
    if let selectedRow, let index = state.visible.firstIndex(of: selectedRow) { state.selected = index }
    clampSelection(&state)
  }
  let needle = lowercasedBytes(state.filter.text)
  let rows = state.rows
  defer {
    state.filtered.removeAll { $0.needle == needle }
    state.filtered.append((needle, state.visible))
    // At most a few million row numbers (tens of MB at a million rows), the newest kept.
    while state.filtered.count > 1 && state.filtered.reduce(0, { $0 + $1.visible.count }) > 3_000_000 { state.filtered.removeFirst() }
  }
  if let earlier = state.filtered.last(where: { $0.needle == needle }) {
    state.visible = earlier.visible
    state.visibleNeedle = needle
    return
  }
  if narrowing && !state.visibleNeedle.isEmpty && needle.count > state.visibleNeedle.count && needle.starts(with: state.visibleNeedle) {
    state.visible = rows.rows(containing: needle, among: state.visible)
    state.visibleNeedle = needle
    return
  }
  var visible = rows.rows(containing: needle)
  switch state.sort.column {
  case .name: break  // the engine lists by name
  case .type: visible.sort { (rows.type($0), $0) < (rows.type($1), $1) }
  case .endpoint: visible.sort { (rows.endpoint($0), $0) < (rows.endpoint($1), $1) }
  case .updated: visible.sort { (rows.updatedAt($0), $0) < (rows.updatedAt($1), $1) }
  case .secretAge:
    // Oldest secrets first; connections without secrets last.
    visible.sort { (rows.secretsChangedAt($0) ?? .infinity, $0) < (rows.secretsChangedAt($1) ?? .infinity, $1) }
  }
  if !state.sort.ascending { visible.reverse() }
  state.visible = visible
  state.visibleNeedle = needle
}

/// How many rows the first screen of a list reads: two screenfuls, at least 50.
func firstScreenRows(_ size: Size) -> Int { max(50, size.height * 2) }

/// The marked connections, in list order.
func markedRows(_ state: AppState) -> [ListedConnection] {
  guard !state.marked.isEmpty else { return [] }
  return state.visible.filter { state.marked.contains("\(state.rows.catalog).\(state.rows.database).\(state.rows.name($0))") }
    .map { state.rows[$0] }
}

/// Opens the one confirmation of a bulk action: its count, its namespaces, and a typed name when
/// a namespace is protected (one protected namespace at a time).
func confirmBulk(_ title: String, items: [BulkItem], note: String, _ state: inout AppState) -> [AppEffect] {
  let marked = markedRows(state)
  let namespaces = Array(Set(marked.map { "\($0.catalog).\($0.database)" })).sorted()
  let protected = Set(marked.compactMap { state.protectedNamespace(catalog: $0.catalog, database: $0.database) })
  guard protected.count <= 1 else {
    state.status = Status(kind: .error, text: "Marked connections are in \(protected.count) protected namespaces: act on one at a time.")
    return []
  }
  var lines = [note, "In " + namespaces.joined(separator: ", ") + ":"]
  lines += items.map { "  " + $0.name }
  state.dialog = .confirmBulk(title: title, lines: lines, items: items, protectedNamespace: protected.first, typed: LineEditor())
  return []
}
