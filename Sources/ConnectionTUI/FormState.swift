import ConnectionEngine
import TerminalKit

/// One option in the edit or create form.
public struct FormField: Equatable {
  public var key: LineEditor
  public var value: LineEditor
  public var isRequired: Bool
  public var isSecret: Bool
  /// What the connection holds now (nil: not set).
  public var original: OptionValue?
  /// An option the user added: its key is editable.
  public var isAdded: Bool
  /// For a secret that is set: whether the user has typed over or cleared it.
  public var touched = false

  public var keyText: String { key.text }

  /// The value this field asks for: `nil` means the key is absent (RESET when it was set).
  public var desired: OptionValue? {
    if isSecret, original == .secretUnchanged, !touched { return .secretUnchanged }
    return value.isEmpty ? nil : .text(value.text)
  }

  public var isChanged: Bool { desired != original || (isAdded && !value.isEmpty) }
}

/// The edit form (or the create form) of one connection: fields, focus, and what they generate.
public struct FormState: Equatable {
  public enum Purpose: Equatable {
    case edit(name: ObjectName, version: Int64)
    case create(catalog: String, database: String)
  }

  public var purpose: Purpose
  public var type: ConnectionType
  /// The new connection's name (create only).
  public var name = LineEditor()
  public var fields: [FormField]
  /// Focus: -1 is the name (create), then fields; for an added field, `focusOnKey` picks its key.
  public var focus: Int
  public var focusOnKey = false
  /// The engine's answer to the last submit, shown until the next edit.
  public var submitError: String?
  /// A create form copied from this connection (`catalog.database.name`).
  public var duplicateOf: String?

  /// A form for editing `connection`: every declared key of its type, then its other options.
  public static func edit(_ connection: ConnectionSummary) -> FormState {
    let type = ConnectionType.named(connection.type) ?? ConnectionType.named("default")!
    let before = AlterBuilder.before(connection)
    var keys = type.declaredKeys.filter { $0 != "type" }
    for key in before.keys.sorted() where !keys.contains(key) { keys.append(key) }
    let fields = keys.map { key in
      let original = before[key]
      var value = LineEditor()
      if case .text(let text)? = original { value.set(text) }
      return FormField(
        key: LineEditor(key), value: value, isRequired: isRequired(key, in: type),
        isSecret: original == .secretUnchanged || SecretPolicy.isSecret(key, type: type),
        original: original, isAdded: false)
    }
    return FormState(
      purpose: .edit(name: connection.qualifiedName, version: connection.version), type: type, fields: fields, focus: 0)
  }

  /// A form for a new connection of `type` in `catalog.database`.
  public static func create(type: ConnectionType, catalog: String, database: String) -> FormState {
    let fields = type.declaredKeys.filter { $0 != "type" }.map { key in
      FormField(
        key: LineEditor(key), value: LineEditor(), isRequired: isRequired(key, in: type),
        isSecret: SecretPolicy.isSecret(key, type: type), original: nil, isAdded: false)
    }
    return FormState(purpose: .create(catalog: catalog, database: database), type: type, fields: fields, focus: -1)
  }

  /// A create form with `connection`'s type and public options, under a new name in its
  /// database; the secrets it has start empty and are required (they are never copied).
  public static func duplicate(_ connection: ConnectionSummary) -> FormState {
    let type = ConnectionType.named(connection.type) ?? ConnectionType.named("default")!
    var form = create(type: type, catalog: connection.catalog, database: connection.database)
    let (options, secretKeys) = connection.optionsAndSecretKeys
    func index(of key: String) -> Int {
      if let i = form.fields.firstIndex(where: { $0.keyText == key }) { return i }
      form.fields.append(FormField(key: LineEditor(key), value: LineEditor(), isRequired: false, isSecret: false, original: nil, isAdded: true))
      return form.fields.count - 1
    }
    for key in options.keys.sorted() where key != "type" { form.fields[index(of: key)].value.set(options[key]!) }
    for key in secretKeys.sorted() {
      let i = index(of: key)
      form.fields[i].isSecret = true
      form.fields[i].isRequired = true
    }
    form.duplicateOf = "\(connection.catalog).\(connection.database).\(connection.name)"
    return form
  }

  private static func isRequired(_ key: String, in type: ConnectionType) -> Bool {
    type.requiredKeys.contains(key) || (type.authGroups.count == 1 && type.authGroups[0].contains(key))
  }

  public var isCreate: Bool { if case .create = purpose { true } else { false } }

  /// The `catalog` and `database` the form writes into.
  public var namespace: (catalog: String, database: String) {
    switch purpose {
    case .edit(let name, _): return (name.parts[0], name.parts[1])
    case .create(let catalog, let database): return (catalog, database)
    }
  }

  public var hasChanges: Bool { fields.contains(where: \.isChanged) || !name.isEmpty }

  /// The real statements to submit (secrets in clear: never shown; see `maskedPreview`).
  public var statements: [String] { statements(hidingSecretFields: false) }

  /// What the preview pane shows: the statements exactly as submitted, masked by the engine. A
  /// field the form treats as secret is hidden even where the engine would show its key's value
  /// (a value typed as a secret under a key later edited into a public one).
  public var maskedPreview: [String] { statements(hidingSecretFields: true).map(Masker.mask) }

  private func statements(hidingSecretFields: Bool) -> [String] {
    func value(_ field: FormField) -> OptionValue? {
      guard hidingSecretFields, field.isSecret, case .text? = field.desired else { return field.desired }
      return .text(Masker.hidden)
    }
    switch purpose {
    case .edit(let name, _):
      var before: [String: OptionValue] = [:]
      var after: [String: OptionValue] = [:]
      for field in fields where !field.keyText.isEmpty {
        if let original = field.original { before[field.keyText] = original }
        if let desired = value(field) { after[field.keyText] = desired }
      }
      return AlterBuilder.statements(for: name, before: before, after: after)
    case .create(let catalog, let database):
      guard !name.isEmpty else { return [] }
      var options = [OptionEntry("type", type.name)]
      for field in fields where !field.keyText.isEmpty && !field.value.isEmpty {
        guard case .text(let text)? = value(field) else { continue }
        options.append(OptionEntry(field.keyText, text))
      }
      let create = CreateConnection(name: ObjectName([catalog, database, name.text]), options: options)
      return [SQLPrinter.print(.createConnection(create))]
    }
  }

  /// The plan above the preview and in the confirm dialog: each changed key, `old → new` for
  /// public keys, `set`, `replaced` or `reset` for secrets (the form's secret fields never show).
  public var plan: [String] {
    var before: [String: OptionValue] = [:]
    var after: [String: OptionValue] = [:]
    for field in fields where !field.keyText.isEmpty {
      if case .edit = purpose, let original = field.original { before[field.keyText] = original }
      if let desired = field.desired { after[field.keyText] = field.isSecret && desired != .secretUnchanged ? .text(Masker.hidden) : desired }
    }
    if case .create = purpose {
      guard !name.isEmpty else { return [] }
      after["type"] = .text(type.name)
    }
    let secretKeys = Set(fields.filter(\.isSecret).map(\.keyText))
    return Planner.lines(before: before, after: after) { secretKeys.contains($0) || SecretPolicy.isSecret($0, type: type) }
  }

  /// Inline problems by field index (and for the form as a whole under -1).
  public var problems: [Int: String] {
    var byField: [Int: String] = [:]
    if isCreate && name.isEmpty { byField[-1] = "a name is required" }
    var options: [String: String] = ["type": type.name]
    for field in fields where !field.keyText.isEmpty && field.desired != nil { options[field.keyText] = "set" }
    func index(of key: String) -> Int? { fields.firstIndex { $0.keyText == key } }
    for problem in OptionValidation.problems(options, for: type) {
      switch problem.kind {
      case .missingKey(let key): if let i = index(of: key) { byField[i] = "required" }
      case .undeclaredKey(let key, let suggestion):
        if let i = index(of: key) { byField[i] = "unknown option" + (suggestion.map { "; did you mean '\($0)'?" } ?? "") }
      case .incompleteCredentials(let missing):
        for key in missing { if let i = index(of: key) { byField[i] = "needed with the other credentials" } }
      case .reservedKey(let key): if let i = index(of: key) { byField[i] = "reserved key" }
      case .missingCredentials, .unknownType, .invalidValue: byField[-2] = problem.description
      }
    }
    for (i, field) in fields.enumerated() where field.isRequired && field.isSecret && field.value.isEmpty && isCreate {
      byField[i] = byField[i] ?? "required"
    }
    for (i, field) in fields.enumerated() where field.isAdded {
      if field.keyText.isEmpty && !field.value.isEmpty { byField[i] = "the option needs a key" }
      // Typed as a secret, now under a key the engine stores in clear: not without retyping it.
      if field.isSecret && !field.value.isEmpty && !field.keyText.isEmpty && !SecretPolicy.isSecret(field.keyText, type: type) {
        byField[i] = "typed as a secret, but '\(field.keyText)' is stored in clear: clear it (^U) and type it again"
      }
      if fields.indices.contains(where: { $0 != i && fields[$0].keyText == field.keyText && !field.keyText.isEmpty }) {
        byField[i] = "this key is already in the form"
      }
    }
    return byField
  }

  /// Any form can gain an option: the generic type takes any key, a known type shows
  /// "unknown option; did you mean …" for one it does not declare.
  public var canAddOption: Bool { true }

  public mutating func addOption() {
    fields.append(FormField(key: LineEditor(), value: LineEditor(), isRequired: false, isSecret: false, original: nil, isAdded: true))
    focus = fields.count - 1
    focusOnKey = true
  }

  /// Applies an editing key to the focused field; false if it was not an editing key.
  public mutating func edit(_ key: Key) -> Bool {
    if focus == -1 { return name.handle(key) }
    guard fields.indices.contains(focus) else { return false }
    if focusOnKey && fields[focus].isAdded {
      let handled = fields[focus].key.handle(key)
      if handled { refreshSecrecy(focus) }
      return handled
    }
    var field = fields[focus]
    if field.isSecret && field.original == .secretUnchanged && !field.touched {
      // The first key on a set secret starts a new value (or clears it, for deleting keys).
      switch key {
      case .backspace, .delete, .control("u"), .control("k"), .control("w"), .control("h"), .control("d"):
        field.touched = true
        field.value.set("")
        fields[focus] = field
        return true
      case .character:
        field.touched = true
        field.value.set("")
      default:
        return false
      }
    }
    let handled = field.value.handle(key)
    if handled && field.isSecret { field.touched = true }
    fields[focus] = field
    // An emptied added field starts over: its key alone decides again whether it is secret.
    if handled && field.isAdded && field.value.isEmpty { refreshSecrecy(focus) }
    return handled
  }

  public mutating func paste(_ text: String) {
    if focus == -1 { name.insert(text); return }
    guard fields.indices.contains(focus) else { return }
    if focusOnKey && fields[focus].isAdded {
      fields[focus].key.insert(text)
      refreshSecrecy(focus)
      return
    }
    if fields[focus].isSecret && !fields[focus].touched {
      fields[focus].touched = true
      fields[focus].value.set("")
    }
    fields[focus].value.insert(text)
  }

  /// Ctrl-R: the focused field goes back to what the connection holds.
  public mutating func revertFocused() {
    guard fields.indices.contains(focus) else { return }
    var field = fields[focus]
    field.touched = false
    if case .text(let text)? = field.original { field.value.set(text) } else { field.value.set("") }
    fields[focus] = field
  }

  /// An added key that the policy calls secret makes its value a secret field (masked as typed).
  /// A value typed while its field was secret stays secret whatever its key becomes: shortening
  /// `api-key` to `api` must not reveal what was typed.
  private mutating func refreshSecrecy(_ index: Int) {
    let typedAsSecret = fields[index].isSecret && !fields[index].value.isEmpty
    fields[index].isSecret = typedAsSecret || SecretPolicy.isSecret(fields[index].keyText, type: type)
  }

  public mutating func moveFocus(by delta: Int) {
    let first = isCreate ? -1 : 0
    let positions = fieldPositions(first: first)
    guard let current = positions.firstIndex(where: { $0.0 == focus && $0.1 == focusOnKey }) else {
      focus = first
      focusOnKey = false
      return
    }
    let next = positions[(current + delta + positions.count) % positions.count]
    focus = next.0
    focusOnKey = next.1
  }

  private func fieldPositions(first: Int) -> [(Int, Bool)] {
    var positions: [(Int, Bool)] = first == -1 ? [(-1, false)] : []
    for (i, field) in fields.enumerated() {
      if field.isAdded { positions.append((i, true)) }
      positions.append((i, false))
    }
    return positions.isEmpty ? [(first, false)] : positions
  }

  /// After a conflict: the form for the connection as it is now, with the user's edits kept
  /// where their keys still exist (and added options kept as they are).
  public func rebased(on connection: ConnectionSummary) -> FormState {
    var fresh = FormState.edit(connection)
    for field in fields where field.isChanged {
      if let i = fresh.fields.firstIndex(where: { $0.keyText == field.keyText }) {
        fresh.fields[i].value = field.value
        fresh.fields[i].touched = field.touched
      } else if field.isAdded {
        fresh.fields.append(field)
      }
    }
    return fresh
  }
}
