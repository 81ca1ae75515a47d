/// Long scripts of CREATE CONNECTION (an import, a migration, a million-row seed): a run of them
/// is written in one savepoint with its ids and versions reserved at once, instead of a
/// savepoint, a namespace check, an existence check and two counter updates per statement.
///
/// The run is an optimisation, never a second set of rules: every statement passes the same
/// checks as `create` (`prepareCreate`, storability, write policy), and when anything in the
/// run's write fails (a name that exists, `IF NOT EXISTS`, a missing database, a name repeated
/// inside the run) the savepoint is undone and the statements go one by one through `create`,
/// which says exactly what a script of single statements would have said.
extension Engine {
  /// The most statements one run writes before the next begins.
  static let bulkCreateRunLength = 256

  enum BulkRun {
    /// Fewer than two permanent CREATEs start here that pass their checks.
    case none
    /// The run was written: one outcome per statement.
    case written([StatementOutcome])
    /// The run's write failed and was undone: its `count` statements go one by one.
    case declined(count: Int)
  }

  /// Writes the run of permanent CREATEs that starts at `start`.
  func createRunInBulk(_ script: PreparedScript, from start: Int) -> BulkRun {
    guard catalog.dialect == .sqlite else { return .none }
    let statements = script.parse.statements
    var run: [(prepared: PreparedCreate, maskedText: String)] = []
    var index = start
    while index < statements.endIndex && run.count < Self.bulkCreateRunLength {
      guard case .createConnection(let c) = statements[index].statement, !c.isTemporary else { break }
      let statement = statements[index]
      guard (try? Self.checkStorable(statement.statement)) != nil, (try? checkWritePolicy(statement.statement)) != nil,
        let prepared = try? prepareCreate(c, checked: script.checkedCreates[index])
      else { break }  // `create` says why, on its own
      run.append((prepared, script.maskedStatements[index]))
      index += 1
    }
    defer { for i in run.indices { run[i].prepared.options.secrets.removeAll() } }
    guard run.count > 1 else { return .none }
    let changesBefore = runChanges.count
    do {
      try catalog.write {
        var namespaces: Set<[String]> = []
        for item in run where namespaces.insert([item.prepared.name.catalog, item.prepared.name.database]).inserted {
          try catalog.requireDatabase(item.prepared.name)
        }
        guard let first = try catalog.reserveIdentities(run.count) else { throw BulkWriteDeclined() }
        for (offset, item) in run.enumerated() {
          let id = first.firstID + Int64(offset)
          let version = first.firstVersion + Int64(offset)
          try catalog.insert(item.prepared, id: id, version: version, at: now(), by: actor)
          noteChange(id, .created, item.prepared.name, version: version)
          try appendHistory(item.maskedText, outcome: "ok")
        }
      }
    } catch {
      runChanges.removeSubrange(changesBefore...)
      return .declined(count: run.count)
    }
    return .written(run.map { StatementOutcome(maskedText: $0.maskedText, result: .success(.ok)) })
  }
}

private struct BulkWriteDeclined: Error {}
