/// What a change does, key by key, for people to read before it runs: `old → new` for public
/// keys; secrets only as `set`, `replaced` or `reset`, never a value or a length.
public enum Planner {
  /// One line per changed key in key order, or `no changes`. `isSecret` decides per key (the
  /// form's own notion, or the secret policy for the connection's type).
  public static func lines(
    before: [String: OptionValue], after: [String: OptionValue], isSecret: (String) -> Bool
  ) -> [String] {
    var lines: [String] = []
    for key in Set(before.keys).union(after.keys).sorted(by: javaOrder) {
      let old = before[key]
      let new = after[key]
      let shownKey = sanitizedForMessage(key)
      if isSecret(key) || old == .secretUnchanged || new == .secretUnchanged {
        switch (old, new) {
        case (nil, .text?): lines.append("\(shownKey): set")
        case (.some, .text?): lines.append("\(shownKey): replaced")
        case (.some, nil): lines.append("\(shownKey): reset")
        default: break
        }
        continue
      }
      guard old != new else { continue }
      lines.append("\(shownKey): \(shown(old)) → \(shown(new))")
    }
    return lines.isEmpty ? ["no changes"] : lines
  }

  private static func shown(_ value: OptionValue?) -> String {
    guard case .text(let text)? = value else { return "(unset)" }
    // A public value that carries a credential is refused when it runs; the plan hides it too.
    if CredentialCheck.finding(in: text) != nil { return "(hidden: it carries a credential)" }
    return "'" + sanitizedForMessage(text) + "'"
  }
}

/// One statement of `switchboard plan`: what it would do.
public struct PlannedStatement: Sendable {
  public var maskedText: String
  public var result: Result<[String], EngineError>
}

extension Engine {
  /// The plan of a script against the catalog: each statement runs inside one transaction that
  /// is always rolled back, so later statements are planned against the earlier ones' effects
  /// and a statement that would fail says why. Nothing changes, not even the history; sequence
  /// numbers a server hands out may be used up.
  public func plan(script: String) -> [PlannedStatement] {
    let bytes = Array(script.utf8)
    let parsed = Parser.parseScript(bytes: bytes, recover: false)
    if let error = parsed.errors.first {
      return [PlannedStatement(maskedText: Masker.mask(script), result: .failure(EngineError(error)))]
    }
    var planned: [PlannedStatement] = []
    // A plan writes nothing: protection is noted on the plan instead of refusing it.
    let savedPolicy = writePolicy
    writePolicy.confirmed = []
    writePolicy.readOnly = false
    let savedTemporaries = temporaries
    let savedNamespace = (currentCatalog, currentDatabase)
    defer {
      writePolicy = savedPolicy
      temporaries = savedTemporaries
      (currentCatalog, currentDatabase) = savedNamespace
    }
    do {
      try catalog.batch {
        for statement in parsed.statements {
          let masked = Masker.mask(String(decoding: bytes[statement.range], as: UTF8.self))
          do {
            var lines: [String] = []
            if let namespace = unconfirmedProtectedNamespace(of: statement.statement) {
              writePolicy.confirmed.insert(namespace)
              if !savedPolicy.confirmed.contains(namespace) { lines.append("protected: \(namespace) (needs --confirm \(namespace))") }
            }
            lines = try planLines(statement.statement, maskedText: masked) + lines
            planned.append(PlannedStatement(maskedText: masked, result: .success(lines)))
          } catch let error as EngineError {
            planned.append(PlannedStatement(maskedText: masked, result: .failure(error)))
            break
          } catch {
            planned.append(PlannedStatement(maskedText: masked, result: .failure(EngineError(.storage, "\(error)"))))
            break
          }
        }
        return false  // roll back, always
      }
    } catch {
      planned.append(PlannedStatement(maskedText: "", result: .failure(error)))
    }
    return planned
  }

  private func planLines(_ statement: Statement, maskedText: String) throws(EngineError) -> [String] {
    func state(_ name: ObjectName) -> (values: [String: OptionValue], type: ConnectionType?)? {
      guard let summary = try? connection(name) else { return nil }
      var values = AlterBuilder.before(summary)
      values["type"] = .text(summary.type)
      return (values, ConnectionType.named(summary.type))
    }
    switch statement {
    case .createConnection(let c):
      let existing = state(c.name)
      _ = try execute(statement, maskedText: maskedText, expectedVersion: nil)
      if existing != nil, c.ifNotExists { return ["exists already: nothing changes"] }
      var after: [String: OptionValue] = [:]
      for entry in c.options { after[entry.key.text] = .text(entry.value.text) }
      let type = ConnectionType.named(after["type"].flatMap { if case .text(let t) = $0 { t } else { nil } } ?? "default")
      return ["create \(c.isTemporary ? "temporary " : "")connection \(try resolve(c.name).summary)"]
        + Planner.lines(before: [:], after: after) { SecretPolicy.isSecret($0, type: type) }
    case .alterConnection(let a):
      let before = state(a.name)
      _ = try execute(statement, maskedText: maskedText, expectedVersion: nil)
      guard let before else { return ["no such connection: nothing changes (IF EXISTS)"] }
      switch a.change {
      case .rename(let target):
        return ["rename \(try resolve(a.name).summary) to \(sanitizedForMessage(target.parts.last ?? ""))"]
      case .set(let entries):
        var after = before.values
        for entry in entries { after[entry.key.text] = .text(entry.value.text) }
        return Planner.lines(before: before.values, after: after) { SecretPolicy.isSecret($0, type: before.type) }
      case .reset(let keys):
        var after = before.values
        for key in keys { after[key.text] = nil }
        return Planner.lines(before: before.values, after: after) { SecretPolicy.isSecret($0, type: before.type) }
      }
    case .dropConnection(let d):
      let before = state(d.name)
      _ = try execute(statement, maskedText: maskedText, expectedVersion: nil)
      guard let before else { return ["no such connection: nothing changes (IF EXISTS)"] }
      let secrets = before.values.values.filter { $0 == .secretUnchanged }.count
      return ["drop \(try resolve(d.name).summary) and its \(secrets) stored secret\(secrets == 1 ? "" : "s")"]
    default:
      _ = try execute(statement, maskedText: maskedText, expectedVersion: nil)
      return ["no connection changes"]
    }
  }
}
