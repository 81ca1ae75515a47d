import ConnectionEngine
import Foundation
import TerminalKit

/// The pure view: the state drawn into a buffer the size of the terminal.
public func render(_ state: AppState) -> Buffer {
  var buffer = Buffer(size: state.size)
  let layout = Layout(state.size)
  if layout.isTooSmall {
    let message = "Terminal too small (\(state.size)): Switchboard needs at least \(Layout.minimum). Resize, or press q to quit."
    for (i, line) in wrap(message, width: state.size.width).enumerated() where i < state.size.height {
      buffer.write(line, x: 0, y: i, style: .error)
    }
    return buffer
  }
  drawHeader(state, &buffer)
  switch state.screen {
  case .list: drawList(state, layout, &buffer)
  case .form(let form): drawForm(form, state, &buffer)
  case .pickType(let picker): drawTypePicker(picker, state, &buffer)
  case .drop(let drop): drawDrop(drop, &buffer)
  case .bulkSet(let bulk): drawBulkSet(bulk, state, &buffer)
  case .command(let command): drawCommand(command, &buffer)
  case .history(let view): drawHistory(view, &buffer)
  case .namespaces(let picker): drawNamespaces(picker, &buffer)
  case .versions(let view): drawVersions(view, state, &buffer)
  case .merge(let merge): drawMerge(merge, &buffer)
  }
  drawStatus(state, layout, &buffer)
  drawFooter(state, layout, &buffer)
  if let dialog = state.dialog { drawDialog(dialog, &buffer) }
  if state.showHelp { drawHelp(helpLines(readOnly: state.isReadOnly), &buffer) }
  return buffer
}

private func drawHeader(_ state: AppState, _ buffer: inout Buffer) {
  buffer.fill(Rect(x: 0, y: 0, width: state.size.width, height: 1), style: .reverse)
  var x = buffer.write(" Switchboard ", x: 0, y: 0, style: Style(bold: true, reverse: true))
  // First, so that it shows on the narrowest terminal; the reason follows when there is room.
  if state.isReadOnly { x = buffer.write(" READ-ONLY ", x: x + 1, y: 0, style: .error) }
  if let protected = state.protectedNamespace(catalog: state.catalog, database: state.database) {
    x = buffer.write(" PROTECTED \(protected) ", x: x + 1, y: 0, style: Style(foreground: .yellow, bold: true))
  } else {
    x = buffer.write(" \(state.catalog).\(state.database) ", x: x, y: 0, style: .reverse)
  }
  let counts: String
  if state.isLoading {
    counts = state.rows.isEmpty ? "loading…" : "\(state.rows.count)+ connections, loading…"
  } else if state.filter.isEmpty {
    counts = "\(state.rows.count) connection\(state.rows.count == 1 ? "" : "s")"
  } else {
    counts = "\(state.visible.count) of \(state.rows.count) match /\(state.filter.text)"
  }
  x = buffer.write(" " + counts + (state.marked.isEmpty ? "" : ", \(state.marked.count) marked") + " ", x: x, y: 0, style: .reverse)
  if let reason = state.readOnlyReason {
    buffer.write(" \(reason) ", x: x + 1, y: 0, style: .reverse, maxWidth: max(0, state.size.width - x - 1))
  }
}

private func drawStatus(_ state: AppState, _ layout: Layout, _ buffer: inout Buffer) {
  guard let status = state.status else { return }
  let style: Style = status.kind == .error ? .error : (status.kind == .success ? .success : .accent)
  buffer.write(" " + status.text, x: 0, y: layout.statusY, style: style)
}

private func drawFooter(_ state: AppState, _ layout: Layout, _ buffer: inout Buffer) {
  buffer.fill(Rect(x: 0, y: layout.footerY, width: state.size.width, height: 1), style: .reverse)
  var x = 0
  for (key, label) in footerKeys(state) {
    guard x < state.size.width - 1 else { break }
    x = buffer.write(" \(key)", x: x, y: layout.footerY, style: Style(bold: true, reverse: true))
    x = buffer.write(" \(label) ", x: x, y: layout.footerY, style: .reverse)
  }
}

/// The keys that work here and now.
func footerKeys(_ state: AppState) -> [(String, String)] {
  if state.showHelp { return [("any key", "close help")] }
  switch state.dialog {
  case .confirmSubmit?, .confirmQuit?, .confirmDiscard?: return [("⏎/y", "yes"), ("Esc/n", "back")]
  case .confirmProtected?: return [("type the name", ""), ("⏎", "submit"), ("Esc", "back")]
  case .confirmBulk(_, _, _, let namespace, _)?:
    return namespace == nil ? [("⏎/y", "yes"), ("Esc", "back")] : [("type the name", ""), ("⏎", "yes"), ("Esc", "back")]
  case .confirmRestore(_, _, _, let namespace, _)?:
    return namespace == nil ? [("⏎/y", "yes"), ("Esc", "back")] : [("type the name", ""), ("⏎", "yes"), ("Esc", "back")]
  case .conflict?: return [("⏎/m", "compare three ways"), ("r", "reload, keep edits"), ("Esc", "back to form"), ("c", "cancel edit")]
  case nil: break
  }
  switch state.screen {
  case .list where state.isTypingFilter:
    return [("type", "filter"), ("↑↓", "move"), ("⏎", "keep"), ("Esc", "clear")]
  case .list:
    var keys = [("↑↓/jk", "move"), ("/", "filter")]
    if !state.isReadOnly && !state.marked.isEmpty {
      keys += [("Space", "mark"), ("d", "drop \(state.marked.count) marked"), ("b", "set a key on them"), ("Esc", "unmark")]
    } else if !state.isReadOnly {
      keys += [("⏎", "edit"), ("n", "new"), ("d", "drop"), ("u", "undo")]
    }
    keys.append(("v", "versions"))
    keys.append((":", "sql"))
    keys += [("h", "history"), ("c", "catalog"), ("s", "sort"), ("?", "help"), ("q", "quit")]
    return keys
  case .form(let form):
    var keys = [("Tab/⇧Tab", "field"), ("^S/F2", "submit"), ("^R", "revert"), ("Esc", "back")]
    if form.canAddOption { keys.insert(("^N", "add option"), at: 2) }
    return keys
  case .pickType, .namespaces: return [("↑↓", "choose"), ("⏎", "select"), ("Esc", "back")]
  case .drop: return [("type the name", ""), ("⏎", "drop"), ("Esc", "cancel")]
  case .command: return [("⏎", "run"), ("↑↓", "earlier input"), ("PgUp/PgDn", "scroll"), ("Esc", "back")]
  case .history: return [("↑↓", "scroll"), ("Esc", "back")]
  case .merge: return [("↑↓", "key"), ("Space", "theirs / mine"), ("t", "all theirs"), ("m", "all mine"), ("⏎", "into the form"), ("Esc", "back")]
  case .versions: return state.isReadOnly ? [("↑↓", "choose"), ("Esc", "back")] : [("↑↓", "choose"), ("⏎", "restore this version"), ("Esc", "back")]
  case .bulkSet: return [("Tab", "key / value"), ("⏎", "review"), ("Esc", "back")]
  }
}

/// A centred box with a border and a title; returns its inner rectangle.
@discardableResult
func drawBox(_ title: String, width: Int, height: Int, _ buffer: inout Buffer) -> Rect {
  let w = min(width, buffer.size.width - 2)
  let h = min(height, buffer.size.height - 2)
  let x = (buffer.size.width - w) / 2
  let y = (buffer.size.height - h) / 2
  buffer.fill(Rect(x: x, y: y, width: w, height: h))
  buffer.write("┌" + String(repeating: "─", count: max(0, w - 2)) + "┐", x: x, y: y, style: .accent)
  for row in (y + 1)..<(y + h - 1) {
    buffer.write("│", x: x, y: row, style: .accent)
    buffer.write("│", x: x + w - 1, y: row, style: .accent)
  }
  buffer.write("└" + String(repeating: "─", count: max(0, w - 2)) + "┘", x: x, y: y + h - 1, style: .accent)
  buffer.write(" \(title) ", x: x + 2, y: y, style: .title, maxWidth: w - 4)
  return Rect(x: x + 2, y: y + 1, width: w - 4, height: h - 2)
}

/// The submit dialogs' box: the plan, a blank line, the masked statements, `extraRows` left
/// free above the last line for a typed confirmation.
private func drawPlanBox(_ title: String, plan: [String], masked: [String], extraRows: Int, _ buffer: inout Buffer) -> Rect {
  let lines = (plan.isEmpty ? [] : plan.map { "• " + $0 } + [""]) + masked.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
  let width = min(buffer.size.width - 2, max(extraRows > 0 ? 60 : 40, (lines.map { displayWidth($0) }.max() ?? 0) + 6))
  let inner = drawBox(title, width: width, height: lines.count + 4 + extraRows, &buffer)
  for (i, line) in lines.enumerated() where i < inner.height - 2 - extraRows {
    buffer.write(line, x: inner.x, y: inner.y + i, maxWidth: inner.width)
  }
  return inner
}

private func drawDialog(_ dialog: Dialog, _ buffer: inout Buffer) {
  switch dialog {
  case .confirmSubmit(let plan, let masked):
    let inner = drawPlanBox("Submit this?", plan: plan, masked: masked, extraRows: 0, &buffer)
    buffer.write("⏎/y submit   Esc back to the form", x: inner.x, y: inner.maxY - 1, style: .dim, maxWidth: inner.width)
  case .confirmBulk(let title, let lines, let items, let namespace, let typed):
    let shown = lines + [""] + items.prefix(3).map(\.masked) + (items.count > 3 ? ["…"] : [])
    drawConfirm(title, lines: shown, protectedNamespace: namespace, typed: typed, &buffer)
  case .confirmRestore(let title, let lines, _, let namespace, let typed):
    drawConfirm(title, lines: lines, protectedNamespace: namespace, typed: typed, &buffer)
  case .confirmProtected(let plan, let masked, let namespace, let typed):
    let inner = drawPlanBox("Submit into protected \(namespace)?", plan: plan, masked: masked, extraRows: 2, &buffer)
    buffer.write("\(namespace) is protected. Type its name to submit:", x: inner.x, y: inner.maxY - 3, style: .warning, maxWidth: inner.width)
    let fieldWidth = max(10, min(40, inner.width - 2))
    let field = typed.visible(width: fieldWidth)
    buffer.write("[" + fit(field.text, width: fieldWidth) + "]", x: inner.x, y: inner.maxY - 2, style: .accent)
    buffer.cursor = (inner.x + 1 + field.cursorColumn, inner.maxY - 2)
    buffer.write("⏎ submit   Esc back to the form", x: inner.x, y: inner.maxY - 1, style: .dim, maxWidth: inner.width)
  case .conflict(let message):
    let inner = drawBox("Changed by someone else", width: 70, height: 8, &buffer)
    let lines = wrap(message, width: inner.width)
    for (i, line) in lines.prefix(inner.height - 2).enumerated() {
      buffer.write(line, x: inner.x, y: inner.y + i, style: .warning)
    }
    buffer.write("⏎ compare   r reload, keep edits   Esc back   c cancel", x: inner.x, y: inner.maxY - 1, style: .dim, maxWidth: inner.width)
  case .confirmQuit:
    let inner = drawBox("Quit?", width: 50, height: 5, &buffer)
    buffer.write("The form has unsaved edits. Quit anyway?", x: inner.x, y: inner.y, maxWidth: inner.width)
    buffer.write("y quit   Esc stay", x: inner.x, y: inner.maxY - 1, style: .dim)
  case .confirmDiscard:
    let inner = drawBox("Discard edits?", width: 50, height: 5, &buffer)
    buffer.write("Leave the form and lose its edits?", x: inner.x, y: inner.y, maxWidth: inner.width)
    buffer.write("y discard   Esc stay", x: inner.x, y: inner.maxY - 1, style: .dim)
  }
}

/// A confirmation of what an action does; in a protected namespace, a field for its name.
private func drawConfirm(_ title: String, lines: [String], protectedNamespace namespace: String?, typed: LineEditor, _ buffer: inout Buffer) {
  let inner = drawPlanBox(title, plan: [], masked: lines, extraRows: namespace == nil ? 0 : 2, &buffer)
  if let namespace {
    buffer.write("\(namespace) is protected. Type its name:", x: inner.x, y: inner.maxY - 3, style: .warning, maxWidth: inner.width)
    let fieldWidth = max(10, min(40, inner.width - 2))
    let field = typed.visible(width: fieldWidth)
    buffer.write("[" + fit(field.text, width: fieldWidth) + "]", x: inner.x, y: inner.maxY - 2, style: .accent)
    buffer.cursor = (inner.x + 1 + field.cursorColumn, inner.maxY - 2)
  }
  buffer.write(namespace == nil ? "⏎/y go   Esc back" : "⏎ go   Esc back", x: inner.x, y: inner.maxY - 1, style: .dim, maxWidth: inner.width)
}

/// Help for the keys that work: without write keys (and the form) when nothing can be written.
func helpLines(readOnly: Bool) -> [(String, String)] {
  guard readOnly else { return allHelpLines }
  let writeKeys: Set<String> = ["⏎ e", "n", "y", "d", "Space", "b", "u"]
  let form = allHelpLines.firstIndex { $0.0 == "Form" } ?? allHelpLines.count
  return allHelpLines[..<form].filter { !writeKeys.contains($0.0) }
}

private let allHelpLines: [(String, String)] = [
  ("List", ""), ("↑ ↓ j k", "move"), ("PgUp PgDn ^B ^F", "page"), ("g G Home End", "first / last"),
  ("/", "filter as you type"), ("s  S", "sort / reverse"), ("mouse", "click, wheel"),
  ("⏎ e", "edit"), ("n", "new connection"), ("y", "duplicate (secrets not copied)"), ("d", "drop (type name)"),
  ("Space", "mark for bulk (d drops, b sets a key)"), ("b", "set a key on the marked"),
  ("v", "versions (restore one)"), ("u", "undo your last change"),
  (":", "run a statement"), ("h", "history (masked)"), ("c", "catalog/database"), ("r", "reload"),
  ("q ^C", "quit"), ("Form", ""), ("Tab ⇧Tab ↑ ↓", "next/prev field"), ("^A ^E Home End", "start / end"),
  ("← →", "move"), ("^U ^K ^W ⌫ Del", "delete"), ("^R", "revert field"), ("^N", "add option"),
  ("^S F2", "submit (confirm)"), ("Esc", "back"), ("^Q ^C", "quit"),
]

private func drawHelp(_ helpLines: [(String, String)], _ buffer: inout Buffer) {
  // One column when it fits, else two (list keys left, form keys right).
  let split = helpLines.firstIndex { $0.0 == "Form" } ?? helpLines.count
  let twoColumns = helpLines.count + 2 > buffer.size.height - 2 && buffer.size.width >= 78
  let columns = twoColumns ? [Array(helpLines[..<split]), Array(helpLines[split...])] : [helpLines]
  let height = (columns.map(\.count).max() ?? 0) + 2
  let inner = drawBox("Keys", width: twoColumns ? 78 : 62, height: height, &buffer)
  let columnWidth = inner.width / columns.count
  for (c, lines) in columns.enumerated() {
    let x = inner.x + c * columnWidth
    let keyWidth = min(18, columnWidth / 2)
    for (i, (key, text)) in lines.enumerated() where i < inner.height {
      if text.isEmpty {
        buffer.write(key, x: x, y: inner.y + i, style: .title)
      } else {
        buffer.write(key, x: x + 1, y: inner.y + i, style: .bold, maxWidth: keyWidth)
        buffer.write(text, x: x + keyWidth + 2, y: inner.y + i, maxWidth: columnWidth - keyWidth - 3)
      }
    }
  }
}

/// Greedy word wrap by display width.
func wrap(_ text: String, width: Int) -> [String] {
  guard width > 0 else { return [] }
  var lines: [String] = []
  for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
    var line = ""
    for word in paragraph.split(separator: " ") {
      let candidate = line.isEmpty ? String(word) : line + " " + word
      if displayWidth(candidate) > width && !line.isEmpty {
        lines.append(line)
        line = String(word)
      } else {
        line = candidate
      }
    }
    lines.append(line)
  }
  return lines
}

private let timeFormatter: DateFormatter = {
  let formatter = DateFormatter()
  formatter.dateFormat = "yyyy-MM-dd HH:mm"
  formatter.timeZone = TimeZone(identifier: "UTC")
  return formatter
}()

/// UTC minutes: the same on every machine, so screens compare in tests.
func shortTime(_ time: Double) -> String {
  timeFormatter.string(from: Date(timeIntervalSince1970: time))
}
