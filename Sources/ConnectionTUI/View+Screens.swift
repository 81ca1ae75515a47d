import ConnectionEngine
import TerminalKit

func drawTypePicker(_ picker: TypePicker, _ state: AppState, _ buffer: inout Buffer) {
  buffer.write("New connection in \(state.catalog).\(state.database): pick a type", x: 1, y: 1, style: .title)
  let height = buffer.size.height - 5
  let first = max(0, picker.selected - height + 1)
  for (row, name) in picker.names.enumerated().dropFirst(first).prefix(height) {
    let y = 3 + row - first
    let type = ConnectionType.named(name)!
    let keys = type.acceptsAnyKey ? "any keys" : type.declaredKeys.filter { $0 != "type" }.joined(separator: ", ")
    buffer.write(row == picker.selected ? "▶ " : "  ", x: 1, y: y, style: .accent)
    buffer.write(fit(name, width: 16), x: 3, y: y, style: row == picker.selected ? .selected : .bold)
    buffer.write(keys, x: 20, y: y, style: .dim, maxWidth: buffer.size.width - 21)
  }
}

func drawDrop(_ drop: DropState, _ buffer: inout Buffer) {
  buffer.write("Drop \(drop.qualified.parts.joined(separator: "."))", x: 1, y: 1, style: .error)
  buffer.write("This removes the connection and its stored secrets. It cannot be undone.", x: 1, y: 3)
  buffer.write("Type its name to confirm:", x: 1, y: 5)
  let visible = drop.confirmation.visible(width: 40)
  buffer.write("[" + fit(visible.text, width: 40) + "]", x: 1, y: 6, style: .accent)
  buffer.cursor = (2 + visible.cursorColumn, 6)
  if drop.uses > 0 {
    buffer.write("Used by \(usesPhrase(drop.uses)) in the scripts (see the detail pane): dropping asks twice.", x: 1, y: 8, style: .warning)
  }
}

func drawCommand(_ command: CommandState, _ buffer: inout Buffer) {
  let height = buffer.size.height - 5
  buffer.write("Run statements (shown and kept masked)", x: 1, y: 1, style: .title)
  let end = min(command.output.count, command.scroll + 1)
  let start = max(0, end - height)
  for (i, line) in command.output[start..<end].enumerated() {
    buffer.write(line.text, x: 1, y: 2 + i, style: line.style)
  }
  // The input is drawn masked, so a secret being typed never shows.
  let masked = Masker.maskWithOffsets(command.input.text)
  let inputY = buffer.size.height - 3
  let available = max(1, buffer.size.width - 3)
  let atEnd = command.input.cursor == command.input.characters.count
  let cursorBytes = String(command.input.characters.prefix(command.input.cursor)).utf8.count
  let cursorOffset = atEnd ? masked.text.utf8.count : masked.maskedOffset(of: cursorBytes)
  let beforeWidth = displayWidth(String(decoding: masked.text.utf8.prefix(cursorOffset), as: UTF8.self))
  // Scroll sideways so the cursor stays in view.
  let scroll = max(0, beforeWidth - available + 1)
  var dropped = 0
  var shown = Substring(masked.text)
  while dropped < scroll, let first = shown.first {
    dropped += displayWidth(of: first)
    shown = shown.dropFirst()
  }
  buffer.write(": ", x: 0, y: inputY, style: .accent)
  buffer.write(String(shown), x: 2, y: inputY, maxWidth: available)
  buffer.cursor = (2 + beforeWidth - dropped, inputY)
}

func drawHistory(_ view: HistoryView, _ buffer: inout Buffer) {
  buffer.write("History (masked), newest last", x: 1, y: 1, style: .title)
  let height = buffer.size.height - 5
  let end = min(view.entries.count, view.top + 1)
  let start = max(0, end - height)
  for (i, entry) in view.entries[start..<end].enumerated() {
    let y = 2 + i
    var x = buffer.write(shortTime(entry.at) + " ", x: 1, y: y, style: .dim)
    x = buffer.write(fit(entry.user, width: 10) + " ", x: x, y: y, style: .dim)
    x = buffer.write(fit(entry.outcome, width: 6), x: x, y: y, style: entry.outcome == "ok" ? .success : .error)
    buffer.write(entry.statement.replacingNewlines(), x: x, y: y)
  }
  if view.entries.isEmpty { buffer.write("No statements yet.", x: 2, y: 3, style: .dim) }
}

func drawNamespaces(_ picker: NamespacePicker, _ buffer: inout Buffer) {
  buffer.write("Switch catalog and database", x: 1, y: 1, style: .title)
  let height = buffer.size.height - 5
  let first = max(0, picker.selected - height + 1)
  for (row, choice) in picker.choices.enumerated().dropFirst(first).prefix(height) {
    let y = 3 + row - first
    buffer.write(row == picker.selected ? "▶ " : "  ", x: 1, y: y, style: .accent)
    buffer.write("\(choice.catalog).\(choice.database)", x: 3, y: y, style: row == picker.selected ? .selected : .plain)
  }
}

func drawBulkSet(_ bulk: BulkSetState, _ state: AppState, _ buffer: inout Buffer) {
  buffer.write("Set one key on \(state.marked.count) marked connection\(state.marked.count == 1 ? "" : "s")", x: 1, y: 1, style: .title)
  buffer.write("Each connection is changed on its own: one that fails (changed meanwhile, invalid) does not stop the others.", x: 1, y: 2, style: .dim, maxWidth: buffer.size.width - 2)
  // Fields fit the terminal (40 columns at most).
  let fieldWidth = max(8, min(40, buffer.size.width - 10))
  let key = bulk.key.visible(width: fieldWidth)
  buffer.write("key   [" + fit(key.text, width: fieldWidth) + "]", x: 1, y: 4, style: bulk.focusOnValue ? .plain : .accent)
  // The value echoes as a fixed mask when the key may be a secret: it is typed, never shown.
  let value = bulk.isSecret ? (bulk.value.isEmpty ? "" : "••••••") : bulk.value.visible(width: fieldWidth).text
  buffer.write("value [" + fit(value, width: fieldWidth) + "]", x: 1, y: 5, style: bulk.focusOnValue ? .accent : .plain)
  buffer.cursor = bulk.focusOnValue
    ? (8 + (bulk.isSecret ? min(6, displayWidth(value)) : bulk.value.visible(width: fieldWidth).cursorColumn), 5)
    : (8 + key.cursorColumn, 4)
}

func drawVersions(_ view: VersionsView, _ state: AppState, _ buffer: inout Buffer) {
  let width = buffer.size.width - 2
  buffer.write("Versions of \(view.name.parts.joined(separator: ".")), newest first", x: 1, y: 1, style: .title, maxWidth: width)
  // The list takes the top half; the plan of the chosen version the rest.
  let listHeight = max(2, (buffer.size.height - 6) / 2)
  let first = max(0, view.selected - listHeight + 1)
  for (row, version) in view.versions.enumerated().dropFirst(first).prefix(listHeight) {
    let y = 2 + row - first
    let chosen = row == view.selected
    var x = buffer.write(chosen ? "▶ " : "  ", x: 1, y: y, style: .accent)
    x = buffer.write(fit("\(version.version)" + (version.isCurrent ? " now" : ""), width: 9), x: x, y: y, style: chosen ? .selected : .bold)
    x = buffer.write(" " + shortTime(version.madeAt) + " ", x: x, y: y, style: .dim)
    x = buffer.write(fit(version.madeBy ?? "", width: 10) + " ", x: x, y: y, style: .dim)
    buffer.write(version.changes.joined(separator: "; "), x: x, y: y, style: version.isDropped ? .error : .plain, maxWidth: max(0, buffer.size.width - x - 1))
  }
  guard let chosen = view.selectedVersion else { return }
  var y = 3 + min(listHeight, view.versions.count)
  let lines: [String]
  if chosen.isCurrent {
    lines = ["This is the current version."]
  } else if chosen.isDropped {
    lines = ["The connection was dropped here."]
  } else if let plan = view.plans[chosen.version] {
    lines = ["Restoring version \(chosen.version) makes a new version; against now it changes:"] + plan.map { "  " + $0 }
  } else {
    lines = ["The plan of version \(chosen.version) could not be read."]
  }
  for (i, line) in lines.enumerated() where y < buffer.size.height - 3 {
    buffer.write(line, x: 1, y: y, style: i == 0 ? .bold : .plain, maxWidth: width)
    y += 1
  }
}

func drawMerge(_ merge: MergeState, _ buffer: inout Buffer) {
  let width = buffer.size.width - 2
  let who = merge.theirs.by.map { " by \($0)" } ?? ""
  buffer.write(
    "Changed\(who) at \(shortTime(merge.theirs.at)) (version \(merge.theirs.current.version); you loaded \(merge.loadedVersion))",
    x: 1, y: 1, style: .warning, maxWidth: width)
  buffer.write("For each key, keep theirs or mine; then review the form and submit.", x: 1, y: 2, style: .dim, maxWidth: width)
  // Four value columns share what the key and choice leave.
  let keyWidth = 16
  let column = max(6, (width - keyWidth - 28) / 3)
  func cell(_ text: String, _ x: Int, _ y: Int, _ style: Style = .plain) -> Int {
    buffer.write(fit(text, width: column) + " ", x: x, y: y, style: style)
  }
  var x = buffer.write("  " + fit("KEY", width: keyWidth) + " ", x: 1, y: 4, style: .bold)
  x = cell("BASE (v\(merge.loadedVersion))", x, 4, .bold)
  x = cell("THEIRS (v\(merge.theirs.current.version))", x, 4, .bold)
  x = cell("MINE", x, 4, .bold)
  buffer.write("KEEP", x: x, y: 4, style: .bold)
  let height = max(1, buffer.size.height - 8)
  let first = max(0, merge.selected - height + 1)
  for (index, row) in merge.rows.enumerated().dropFirst(first).prefix(height) {
    let y = 5 + index - first
    let chosen = index == merge.selected
    var x = buffer.write(chosen ? "▶ " : "  ", x: 1, y: y, style: .accent)
    x = buffer.write(fit(row.key, width: keyWidth) + " ", x: x, y: y, style: chosen ? .selected : .bold)
    if row.isSecret {
      x = cell(row.base == nil ? "(unset)" : "set", x, y, .dim)
      x = cell(row.changedByThem ? (row.theirs == nil ? "reset by them" : "changed by them") : "unchanged", x, y)
      x = cell(row.changedByMe ? (row.mine == nil ? "reset by you" : "changed by you") : "unchanged", x, y)
    } else {
      x = cell(shownValue(row.base), x, y, .dim)
      x = cell(shownValue(row.theirs), x, y)
      x = cell(shownValue(row.mine), x, y)
    }
    let keep = row.keepMine ? "mine" : "theirs"
    x = buffer.write(keep, x: x, y: y, style: row.keepMine ? .accent : .plain)
    if row.isConflict { buffer.write(" both changed", x: x, y: y, style: .warning, maxWidth: max(0, buffer.size.width - x - 1)) }
  }
  if merge.rows.isEmpty { buffer.write("Nobody changed a key you edited: ⏎ takes your edits onto their version.", x: 3, y: 5, style: .dim, maxWidth: width - 2) }
}

/// A public value for the merge table; one carrying a credential is hidden, as in a plan.
private func shownValue(_ value: OptionValue?) -> String {
  guard case .text(let text)? = value else { return "(unset)" }
  return CredentialCheck.finding(in: text) != nil ? "(hidden)" : "'" + text + "'"
}
