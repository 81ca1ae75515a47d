import ConnectionEngine
import Foundation
import FuzzChecks
import Testing

/// The masker's fast path never disagrees with the parser: wherever it answers, the statement
/// parses and the parse shows the same literals. Checked over Flink's conformance table, the
/// attack corpus, the demo, generated statements, and statements made to sit on its edges.
@Suite struct FastStatementTests {
  @Test func agreesWithTheParserEverywhereItAnswers() throws {
    var inputs = try FlinkVerdict.all().map(\.sql)
    inputs += AttackCorpus.all().map(\.sql)
    inputs.append(try String(contentsOf: FixtureFiles.directory.appendingPathComponent("../../../Resources/demo.sql"), encoding: .utf8))
    inputs += [
      "CREATE CONNECTION c WITH ()", "ALTER CONNECTION c SET ()", "ALTER CONNECTION c RESET ()",
      "CREATE CONNECTION if WITH ('region' = 'x')", "CREATE CONNECTION IF NOT EXISTS c WITH ('region' = 'x')",
      "ALTER CONNECTION IF EXISTS c SET ('region' = 'x')", "CREATE CONNECTION select WITH ('region' = 'x')",
      "CREATE CONNECTION a.b.c.d WITH ('region' = 'x')", "CREATE CONNECTION a. WITH ('region' = 'x')",
      "CREATE CONNECTION a.* WITH ('region' = 'x')", "CREATE CONNECTION `\(String(repeating: "n", count: 300))` WITH ('region' = 'x')",
      "CREATE CONNECTION c WITH ('region' = 'x' UESCAPE '!')", "CREATE CONNECTION c WITH ('reg''ion' = 'x')",
      "CREATE CONNECTION c WITH ('region' = 'it''s')", "CREATE CONNECTION c WITH ('region' = 'https://u:p@h')",
      "CREATE CONNECTION c COMMENT 'x' 'y' WITH ('region' = 'x')", "create temporary connection c comment 'x' with ('type'='openai')",
      "CREATE TEMPORARY SYSTEM CONNECTION c WITH ('region' = 'x')", "ALTER CONNECTION c SET ('region' = 'x',)",
      "ALTER CONNECTION c SET ('region' = 'x') extra", "ALTER CONNECTION c RESET ('region', 'endpoint')",
      "ALTER CONNECTION c RESET ('region' 'endpoint')", "CREATE CONNECTION `a``b`.c WITH ('endpoint' = 'https://h/é')",
    ]
    var answered = 0
    for input in inputs {
      if let problem = Masker.fastPathDisagreement(input) {
        Issue.record("\(problem)")
      }
      answered += 1
    }
    #expect(answered > 1_500)
  }

  /// Two types agree with no type on every key the policy knows, which the fast path relies on
  /// (it does not look up the connection's type).
  @Test func thePolicyDoesNotDependOnTheTypeForKnownKeys() {
    for type in ConnectionType.all {
      for key in SecretPolicy.knownKeys.union(["k", "note", "Endpoint"]) {
        #expect(SecretPolicy.isSecret(key, type: type) == SecretPolicy.isSecret(key), "\(type.name) \(key)")
      }
    }
  }

  @Test func generatedStatementsAgree() {
    var random = SplitMix(seed: 0xFA57)
    for _ in 0..<20_000 {
      let sql = AttackCorpus.generated(from: random.bytes(Int(random.next() % 24)), secret: "Zk3Wq8Rm")
      if let problem = Masker.fastPathDisagreement(sql) {
        Issue.record("\(problem)")
        return
      }
    }
  }
}
