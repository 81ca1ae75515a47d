import Foundation
import ConnectionEngine
import TerminalKit

func drawList(_ state: AppState, _ layout: Layout, _ buffer: inout Buffer) {
  let c = layout.columns
  // A list longer than the screen shows the position at the header's right end; the titles stop
  // a space before it.
  let position = state.visible.count > layout.listHeight ? "\(state.selected + 1)/\(state.visible.count)" : ""
  let positionX = layout.listWidth - displayWidth(position) - 1
  if !position.isEmpty { buffer.write(position, x: positionX, y: layout.columnHeaderY, style: .dim) }
  // Column header; the sort column carries an arrow.
  var x = 1
  for (column, width, title) in [
    (SortOrder.Column.name, c.name, "NAME"), (.type, c.type, "TYPE"), (.endpoint, c.endpoint, "ENDPOINT"),
    (nil, c.secrets, "SECRETS SET"), (.secretAge, c.age, "SECRET AGE"), (.updated, c.updated, "UPDATED (UTC)"),
  ] where width > 0 {
    let arrow = column == state.sort.column ? (state.sort.ascending ? " ▲" : " ▼") : ""
    let room = min(width - 1, position.isEmpty ? width - 1 : positionX - 1 - x)
    if room > 0 { buffer.write(fit(title + arrow, width: room), x: x, y: layout.columnHeaderY, style: .bold) }
    x += width
  }

  if !state.isLoading && state.rows.isEmpty {
    let lines = [
      "No connections in \(state.catalog).\(state.database) yet.", "",
      "n   create one (pick a type, fill its fields)", ":   run a statement, e.g. CREATE CONNECTION …",
      "c   switch to another catalog or database",
    ]
    for (i, line) in lines.enumerated() { buffer.write(line, x: 2, y: layout.listTop + 1 + i, style: i == 0 ? .bold : .plain) }
    return
  }
  if state.visible.isEmpty && !state.rows.isEmpty {
    let note = state.isLoading ? "in the rows read so far; the rest is still loading…" : "— Esc clears the filter."
    buffer.write("Nothing matches /\(state.filter.text) \(note)", x: 2, y: layout.listTop + 1, style: .dim)
  }

  // Only the rows on screen are drawn: the list stays instant at 100,000 connections.
  let needle = state.filter.text.lowercased()
  for row in 0..<layout.listHeight {
    let index = state.top + row
    guard state.visible.indices.contains(index) else { break }
    let connection = state.rows[state.visible[index]]
    let y = layout.listTop + row
    let isSelected = index == state.selected
    let isMarked = !state.marked.isEmpty && state.marked.contains(connection.qualifiedName.parts.joined(separator: "."))
    buffer.write(isSelected ? "▶" : (isMarked ? "●" : " "), x: 0, y: y, style: .accent)
    var x = 1
    x = cell(connection.name + (connection.isTemporary ? " (temp)" : ""), width: c.name, x: x, y: y, needle: needle, &buffer)
    if c.type > 0 { x = cell(connection.type, width: c.type, x: x, y: y, needle: needle, &buffer) }
    x = cell(connection.endpoint ?? "", width: c.endpoint, x: x, y: y, needle: needle, &buffer)
    if c.secrets > 0 {
      // What an import left to fill in comes first, in the warning colour.
      let secretKeys = connection.secretKeys
      let missing = connection.missingSecrets
      if !missing.isEmpty {
        x = cell("missing " + missing.joined(separator: ","), width: c.secrets, x: x, y: y, needle: "", &buffer, style: .warning)
      } else {
        let secrets = secretKeys.isEmpty ? "—" : secretKeys.joined(separator: ",")
        x = cell(secrets, width: c.secrets, x: x, y: y, needle: "", &buffer, style: .success)
      }
    }
    if c.age > 0 {
      let days = connection.secretAgeDays(now: state.now)
      let stale = days.map { days in state.rotateAfterDays.map { days > $0 } ?? false } ?? false
      x = cell(days.map { "\($0)d" + (stale ? " rotate" : "") } ?? "—", width: c.age, x: x, y: y, needle: "", &buffer, style: stale ? .warning : .dim)
    }
    if c.updated > 0 { _ = cell(shortTime(connection.updatedAt), width: c.updated, x: x, y: y, needle: "", &buffer, style: .dim) }
    if isSelected { buffer.restyle(Rect(x: 1, y: y, width: layout.listWidth - 1, height: 1)) { $0.reverse = true } }
  }
  drawDetail(state, layout, &buffer)
}

/// One list cell, cut to its width, with filter matches highlighted.
private func cell(_ text: String, width: Int, x: Int, y: Int, needle: String, _ buffer: inout Buffer, style: Style = .plain) -> Int {
  guard width > 0 else { return x }
  let shown = fit(sanitizedForTerminal(text), width: width - 1)
  buffer.write(shown, x: x, y: y, style: style)
  if !needle.isEmpty, let range = shown.lowercased().range(of: needle) {
    let start = x + displayWidth(shown.lowercased()[..<range.lowerBound])
    let length = displayWidth(shown.lowercased()[range])
    buffer.restyle(Rect(x: start, y: y, width: length, height: 1)) { $0 = .match }
  }
  return x + width
}

private func drawDetail(_ state: AppState, _ layout: Layout, _ buffer: inout Buffer) {
  let rect = layout.detailRect
  guard rect.height > 1, let row = state.selectedRow else { return }
  if layout.detailBeside {
    for y in rect.y..<rect.maxY { buffer.write("│", x: rect.x - 1, y: y, style: .dim) }
  } else {
    buffer.write(String(repeating: "─", count: rect.width), x: rect.x, y: rect.y, style: .dim)
  }
  let titleY = rect.y
  buffer.write(" DESCRIBE \(row.catalog).\(row.database).\(row.name) ", x: rect.x + 1, y: titleY, style: .title, maxWidth: rect.width - 2)
  // The row holds what the list shows; the rest is read when it is selected.
  guard let connection = state.selectedDetail else {
    buffer.write("reading…", x: rect.x + 1, y: titleY + 1, style: .dim, maxWidth: rect.width - 2)
    return
  }
  let rows = Engine.describeRows(for: connection, extended: true)
  let keyWidth = min(max(8, rows.map { displayWidth($0[0]) }.max() ?? 8), rect.width / 2)
  for (i, pair) in rows.enumerated() {
    let y = titleY + 1 + i
    guard y < rect.maxY else { break }
    buffer.write(fit(pair[0], width: keyWidth), x: rect.x + 1, y: y, style: .bold)
    let isSecret = pair[0].hasPrefix("secret:")
    buffer.write(pair[1], x: rect.x + keyWidth + 2, y: y, style: isSecret ? .success : .plain, maxWidth: rect.width - keyWidth - 3)
  }
  guard state.scriptsFolder != nil else { return }
  let uses = state.uses(of: connection.qualifiedName)
  var y = titleY + 1 + rows.count
  guard y < rect.maxY else { return }
  let files = Set(uses.map(\.file)).count
  buffer.write(
    uses.isEmpty ? "USED BY nothing in the scripts" : "USED BY \(usesPhrase(uses.count)) in \(files) script\(files == 1 ? "" : "s")",
    x: rect.x + 1, y: y, style: .bold, maxWidth: rect.width - 2)
  for use in uses {
    y += 1
    guard y < rect.maxY else { break }
    buffer.write("\(use.file):\(use.location.line)  \(use.statement)", x: rect.x + 1, y: y, style: .plain, maxWidth: rect.width - 2)
  }
}
