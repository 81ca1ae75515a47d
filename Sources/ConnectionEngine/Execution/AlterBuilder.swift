/// A value in an edit form: text, or a secret left as it was (its value is never loaded).
public enum OptionValue: Sendable, Hashable {
  case text(String)
  case secretUnchanged
}

/// Builds the minimal ALTER CONNECTION statements that turn one set of options into another.
public enum AlterBuilder {
  /// `before` is what the connection holds (secrets as `.secretUnchanged`), `after` what the user
  /// wants; a key missing from `after` is reset. Gives nothing when nothing changes, else a SET
  /// statement and/or a RESET statement (Flink cannot do both in one), in canonical layout.
  public static func statements(
    for name: ObjectName, before: [String: OptionValue], after: [String: OptionValue]
  ) -> [String] {
    var set: [OptionEntry] = []
    for key in after.keys.sorted(by: javaOrder) {
      guard case .text(let value) = after[key]! else { continue }
      if before[key] != .text(value) { set.append(OptionEntry(key, value)) }
    }
    let reset = before.keys.filter { after[$0] == nil }.sorted(by: javaOrder).map { SQLString($0) }
    var statements: [String] = []
    if !set.isEmpty {
      statements.append(SQLPrinter.print(.alterConnection(AlterConnection(name: name, change: .set(set)))))
    }
    if !reset.isEmpty {
      statements.append(SQLPrinter.print(.alterConnection(AlterConnection(name: name, change: .reset(reset)))))
    }
    return statements
  }

  /// The options of a connection as the builder's `before`.
  public static func before(_ connection: ConnectionSummary) -> [String: OptionValue] {
    let (options, secretKeys) = connection.optionsAndSecretKeys  // one decoding of the options
    var values = options.mapValues { OptionValue.text($0) }
    for key in secretKeys { values[key] = .secretUnchanged }
    return values
  }
}
