import ConnectionEngine
import TerminalKit

/// What a secret field shows: never its value or its length.
func secretDisplay(_ field: FormField) -> (String, Style) {
  if field.original == .secretUnchanged && !field.touched { return ("•••••• set — type to replace", .dim) }
  if field.touched && field.value.isEmpty { return ("(cleared: RESET on submit)", .warning) }
  if field.value.isEmpty { return ("not set", .dim) }
  return ("••••••", .plain)
}

func drawForm(_ form: FormState, _ state: AppState, _ buffer: inout Buffer) {
  let width = state.size.width
  let title: String
  switch form.purpose {
  case .edit(let name, let version):
    title = "Edit \(name.parts.joined(separator: "."))  (\(form.type.name), version \(version))"
  case .create(let catalog, let database):
    title = "New \(form.type.name) connection in \(catalog).\(database)"
      + (form.duplicateOf.map { ", a copy of \($0) (secrets are not copied)" } ?? "")
  }
  buffer.write(title, x: 1, y: 1, style: .title)

  let problems = form.problems
  let keyWidth = min(24, max(10, form.fields.map { displayWidth($0.keyText) }.max() ?? 10) + 1)
  let boxX = 3 + keyWidth
  let boxWidth = max(10, min(56, width - boxX - 24))
  let statements = form.maskedPreview.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
  // The plan first (what changes, key by key), then the statements exactly as submitted.
  let planLines = statements.isEmpty ? [] : form.plan.map { "• " + $0 }
  let preview = planLines + statements
  // Rows: the name (create), then fields; the preview below gets what it needs when it can.
  let allRows = (form.isCreate ? [-1] : []) + Array(form.fields.indices)
  let total = max(4, state.size.height - 2 - 3 - (form.submitError == nil ? 0 : 1))
  let formProblemRows = problems[-2] == nil ? 0 : 1
  let previewNeeded = max(2, preview.count + 1)
  let previewHeight = allRows.count + formProblemRows + previewNeeded <= total ? previewNeeded : min(previewNeeded, max(3, total / 2))
  let available = max(1, total - previewHeight - formProblemRows)
  let fieldsBottom = 3 + available + formProblemRows
  var rows: [(index: Int, y: Int)] = []
  var y = 3
  // Scrolled so the focused row is visible.
  let focusRow = allRows.firstIndex(of: form.focus) ?? 0
  let first = max(0, min(focusRow - available + 1, allRows.count - available))
  for index in allRows.dropFirst(max(0, first)).prefix(available) {
    rows.append((index, y))
    y += 1
  }
  var cursor: (x: Int, y: Int)? = nil
  for (index, rowY) in rows {
    let isFocused = index == form.focus
    if index == -1 {
      buffer.write("* name", x: 1, y: rowY, style: .bold)
      let visible = form.name.visible(width: boxWidth)
      drawBoxField(visible.text, style: .plain, x: boxX, y: rowY, width: boxWidth, focused: isFocused, &buffer)
      if isFocused { cursor = (boxX + 1 + visible.cursorColumn, rowY) }
      if let problem = problems[-1] { buffer.write("! " + problem, x: boxX + boxWidth + 3, y: rowY, style: .error) }
      continue
    }
    let field = form.fields[index]
    buffer.write(field.isRequired ? "*" : " ", x: 1, y: rowY, style: .warning)
    if field.isAdded {
      let key = field.key.visible(width: keyWidth - 1)
      let keyText = key.text.isEmpty ? "key…" : key.text
      buffer.write(fit(keyText, width: keyWidth), x: 2, y: rowY, style: isFocused && form.focusOnKey ? .reverse : .accent)
      if isFocused && form.focusOnKey { cursor = (2 + key.cursorColumn, rowY) }
    } else {
      buffer.write(fit(field.keyText, width: keyWidth), x: 2, y: rowY, style: .bold)
    }
    if field.isSecret {
      let (text, style) = secretDisplay(field)
      drawBoxField(text, style: style, x: boxX, y: rowY, width: boxWidth, focused: isFocused && !form.focusOnKey, &buffer)
    } else {
      let visible = field.value.visible(width: boxWidth)
      let reset = field.value.isEmpty && field.original != nil
      drawBoxField(reset ? "(cleared: RESET on submit)" : visible.text, style: reset ? .warning : .plain, x: boxX, y: rowY, width: boxWidth, focused: isFocused && !form.focusOnKey, &buffer)
      if isFocused && !form.focusOnKey && !reset { cursor = (boxX + 1 + visible.cursorColumn, rowY) }
    }
    var noteX = boxX + boxWidth + 3
    if field.isChanged { noteX = buffer.write("● ", x: noteX, y: rowY, style: .accent) }
    if let problem = problems[index] { buffer.write("! " + problem, x: noteX, y: rowY, style: .error) }
  }
  if allRows.count > available {
    buffer.write("(\(focusRow + 1)/\(allRows.count))", x: width - 10, y: 1, style: .dim)
  }
  var previewY = min(fieldsBottom, y + formProblemRows + 1)
  if let formProblem = problems[-2] {
    buffer.write("! " + formProblem, x: 1, y: previewY - 1, style: .error)
  }
  buffer.write("─ Plan, and the statements masked as submitted " + String(repeating: "─", count: max(0, width - 48)), x: 0, y: previewY, style: .dim)
  previewY += 1
  if preview.isEmpty {
    buffer.write("nothing to submit", x: 2, y: previewY, style: .dim)
  } else {
    for (i, line) in preview.prefix(previewHeight - 1).enumerated() {
      buffer.write(line, x: 2, y: previewY, style: i < planLines.count ? .plain : .accent)
      previewY += 1
    }
  }
  if let error = form.submitError {
    buffer.write("Engine: " + error.replacingNewlines(), x: 1, y: state.size.height - 3, style: .error)
  }
  // The focused field's problem in full on the status line (the inline note may be cut).
  if state.status == nil, let problem = problems[form.focus] {
    buffer.write(" \(form.focus == -1 ? "name" : form.fields[form.focus].keyText): \(problem)", x: 0, y: state.size.height - 2, style: .error)
  }
  if state.dialog == nil && !state.showHelp { buffer.cursor = cursor }
}

private func drawBoxField(_ text: String, style: Style, x: Int, y: Int, width: Int, focused: Bool, _ buffer: inout Buffer) {
  buffer.write("[", x: x, y: y, style: focused ? .accent : .dim)
  buffer.write(fit(text, width: width), x: x + 1, y: y, style: style)
  buffer.write("]", x: x + 1 + width, y: y, style: focused ? .accent : .dim)
  if focused { buffer.restyle(Rect(x: x + 1, y: y, width: width, height: 1)) { $0.underline = true } }
}
