import ConnectionEngine
import Foundation
import Testing

/// A script's runs of CREATE CONNECTION are written together (`Engine.createRunInBulk`). The
/// lane must be invisible: the same script run whole and run one statement at a time (each
/// statement its own transaction, never the lane) leaves the same connections, versions,
/// secrets and history, and fails at the same statement with the same message.
@Suite struct BulkCreateTests {
  /// 300 CREATEs (more than one run), with comments, secrets and another database.
  static let plain: [String] =
    ["CREATE DATABASE other"]
    + (0..<300).map { i in
      switch i % 4 {
      case 0: "CREATE CONNECTION c\(i) WITH ('type' = 'default', 'endpoint' = 'https://s\(i).example.com', 'owner' = 't\(i % 7)')"
      case 1: "CREATE CONNECTION c\(i) COMMENT 'note \(i)' WITH ('type' = 'openai', 'endpoint' = 'https://api.openai.com/v1', 'api-key' = 'sk-\(i)')"
      case 2: "CREATE CONNECTION other.c\(i) WITH ('type' = 'default', 'region' = 'eu-\(i)')"
      default: "CREATE CONNECTION IF NOT EXISTS c\(i) WITH ('type' = 'default')"
      }
    }

  /// Runs whose write must fail and fall back: an existing name (with and without IF NOT
  /// EXISTS), a name twice in one run, a database that does not exist, a temporary among them.
  static let failing: [[String]] = [
    ["CREATE CONNECTION a WITH ('type' = 'default')", "CREATE CONNECTION b WITH ('type' = 'default')",
     "CREATE CONNECTION IF NOT EXISTS a WITH ('type' = 'default')", "CREATE CONNECTION c WITH ('type' = 'default')",
     "CREATE CONNECTION a WITH ('type' = 'default')", "CREATE CONNECTION d WITH ('type' = 'default')"],
    ["CREATE CONNECTION x WITH ('type' = 'default')", "CREATE CONNECTION y WITH ('type' = 'default')",
     "CREATE CONNECTION x WITH ('type' = 'default', 'region' = 'r')", "CREATE CONNECTION z WITH ('type' = 'default')"],
    ["CREATE CONNECTION p WITH ('type' = 'default')", "CREATE TEMPORARY CONNECTION t WITH ('type' = 'default')",
     "CREATE CONNECTION q WITH ('type' = 'default')", "CREATE CONNECTION nowhere.r WITH ('type' = 'default')",
     "CREATE CONNECTION s WITH ('type' = 'default')"],
    ["CREATE CONNECTION e WITH ('type' = 'default')", "CREATE CONNECTION f WITH ('type' = 'openai', 'endpoint' = 'https://u:pw@h')",
     "CREATE CONNECTION g WITH ('type' = 'default')"],
    // A run that lands, a statement of another kind, then a run that fails at its end.
    (0..<5).map { "CREATE CONNECTION k\($0) WITH ('type' = 'default')" } + ["ALTER CONNECTION k1 SET ('region' = 'r')"]
      + (5..<9).map { "CREATE CONNECTION k\($0) WITH ('type' = 'default')" } + ["CREATE CONNECTION existing WITH ('type' = 'default')"],
  ]

  @Test(arguments: [plain] + failing)
  func aScriptRunWholeEqualsItsStatementsRunOneByOne(_ statements: [String]) throws {
    let whole = try TestCatalog(masterKey: Array(repeating: 7, count: 32))
    let wholeEngine = try whole.engine()
    try wholeEngine.must("CREATE CONNECTION existing WITH ('type' = 'default')")
    let wholeOutcomes = wholeEngine.run(script: statements.joined(separator: ";\n"))

    let single = try TestCatalog(masterKey: Array(repeating: 7, count: 32))
    let singleEngine = try single.engine()
    try singleEngine.must("CREATE CONNECTION existing WITH ('type' = 'default')")
    var singleOutcomes: [StatementOutcome] = []
    for statement in statements {
      let outcome = singleEngine.run(script: statement)
      singleOutcomes += outcome
      if case .failure = outcome.last?.result { break }
    }

    #expect(wholeOutcomes.map(\.maskedText) == singleOutcomes.map(\.maskedText))
    #expect(wholeOutcomes.map(Self.describe) == singleOutcomes.map(Self.describe))
    let state = try Self.state(of: wholeEngine)
    #expect(state == (try Self.state(of: singleEngine)))
    if statements == Self.plain {  // both ways, what was written: endpoint, comment, options, secret keys
      #expect(state.contains("default_database.c0 v2 default https://s0.example.com - [(key: \"endpoint\", value: \"https://s0.example.com\"), (key: \"owner\", value: \"t0\")] []"), "\(state.prefix(3))")
      #expect(state.contains("default_database.c1 v3 openai https://api.openai.com/v1 note 1 [(key: \"endpoint\", value: \"https://api.openai.com/v1\")] [\"api-key\"]"), "\(state.prefix(3))")
    }
    #expect(try wholeEngine.verifySecrets() == singleEngine.verifySecrets())
  }

  private static func describe(_ outcome: StatementOutcome) -> String {
    switch outcome.result {
    case .success(let result): "ok \(result.columns) \(result.rows)"
    case .failure(let error): "error \(error.message)"
    }
  }

  /// Every connection of both databases with its version, options and secret keys, and the
  /// history's statements, outcomes and messages.
  private static func state(of engine: Engine) throws -> [String] {
    var lines: [String] = []
    for database in ["default_database", "other"] {
      for c in (try? engine.connections(database: database)) ?? [] {
        lines.append("\(c.database).\(c.name) v\(c.version) \(c.type) \(c.endpoint ?? "-") \(c.comment ?? "-") \(c.options.sorted { $0.key < $1.key }) \(c.secretKeys)")
      }
    }
    for entry in try engine.history(limit: 10_000) {
      lines.append("\(entry.statement) → \(entry.outcome) \(entry.message ?? "")")
    }
    return lines
  }
}
