import ConnectionEngine
import Foundation
import FuzzChecks
import Testing

/// `check` judges connection statements of the common shapes from sketches, without a syntax
/// tree: it finds the same diagnostics, statements and name changes as when every statement is
/// parsed. Checked over the realistic scripts, the attack corpus, the demo, generated
/// statements, and statements made to sit on the edges of the rules the linter applies.
@Suite struct StatementSketchTests {
  func expectAgreement(_ script: String, sketchedAtLeast: Int = 0, _ comment: String = "") {
    let (sketched, disagreement) = Linter.sketchingDisagreement(Array(script.utf8))
    #expect(disagreement == nil, "\(comment)")
    #expect(sketched >= sketchedAtLeast, "\(comment): \(sketched) sketched")
  }

  @Test func agreesOnTheRealisticScriptsAndTheDemo() throws {
    var sketched = 0
    var inputs = try FixtureFiles.flinkInputs().filter { $0.count > 2_000 }
    inputs.append(try String(contentsOf: FixtureFiles.directory.appendingPathComponent("../../../Resources/demo.sql"), encoding: .utf8))
    #expect(inputs.count >= 5)
    for input in inputs {
      let found = Linter.sketchingDisagreement(Array(input.utf8))
      #expect(found.disagreement == nil)
      sketched += found.sketched
    }
    #expect(sketched > 25)
  }

  @Test func agreesOnTheAttackCorpusAndGeneratedStatements() {
    let corpus = AttackCorpus.all().map(\.sql)
    expectAgreement(corpus.joined(separator: ";\n"), sketchedAtLeast: 20, "attack corpus")
    var random = SplitMix(seed: 0x5C37)
    var generated: [String] = []
    for _ in 0..<3_000 { generated.append(AttackCorpus.generated(from: random.bytes(Int(random.next() % 24)), secret: "Zk3Wq8Rm")) }
    expectAgreement(generated.joined(separator: ";\n"), sketchedAtLeast: 100, "generated")
  }

  /// Every rule, met and broken, on statements the sketches take: types known, unknown and in
  /// another case; keys declared, undeclared, reserved, repeated (in a short list and a long
  /// one), written with quotes doubled or with a character canonically equal to an ASCII one;
  /// required keys and credentials present, empty or missing; names of one to four parts, blank
  /// or back-quoted; every shape and its modifiers.
  @Test func agreesOnEveryRule() {
    let kelvin = "\u{212A}"
    let optionLists = [
      "'type' = 'openai', 'endpoint' = 'https://api.openai.com/v1', 'api-key' = 'k'",
      "'type' = 'OpenAI', 'endpoint' = 'https://e', 'api-key' = 'k'",
      "'type' = 'openia', 'endpoint' = 'https://e'",
      "'type' = 'openai', 'endpoint' = ''",
      "'type' = 'openai'",
      "'type' = 'openai', 'endpoint' = 'https://e', 'api-key' = 'k', 'api-key' = ''",
      "'type' = 'openai', 'endpoint' = 'https://e', 'endpoint' = 'https://f', 'api-key' = 'k'",
      "'type' = 'openai', 'endpoint' = 'https://e', 'api-key' = 'k', 'colour' = 'red'",
      "'type' = 'openai', 'endpoint' = 'https://e', 'api-key' = 'k', 'type' = 'bedrock'",
      "'type' = 'bedrock', 'endpoint' = 'https://e', 'aws-access-key' = 'a'",
      "'type' = 'bedrock', 'endpoint' = 'https://e', 'aws-access-key' = 'a', 'aws-secret-key' = 's'",
      "'type' = 'mcp_server', 'endpoint' = 'https://e', 'api-key' = 'k', 'transport-type' = 'sse'",
      "'type' = 'mcp_server', 'endpoint' = 'https://e', 'api-key' = 'k', 'transport-type' = 'carrier-pigeon'",
      "'type' = 'default', 'anything' = 'goes', 'anything' = 'twice'",
      "'endpoint' = 'https://e', 'owner' = 'team'",
      "'endpoint' = 'https://e', 'ENDPOINT' = 'https://f'",
      "'type' = 'openai', 'end''point' = 'https://e', 'end''point' = 'x'",
      "'type' = 'openai', 'endpoint' = 'https://e', 'api-key' = 'it''s'",
      "'type' = 'openai', 'endpoint' = 'https://e', 'api-\(kelvin)ey' = 'k', 'api-Key' = 'k'",
      "'type' = 'elastic', 'endpoint' = 'https://e', 'api-key' = 'k', 'Kind' = 'a', '\(kelvin)ind' = 'b'",
      "'type' = 'openai', 'endpoint' = 'https://e', 'api-key' = 'k', 'café' = '1', 'cafe\u{301}' = '2'",
      "'type' = 'openai', 'endpoint' = 'https://e', 'api-key' = 'k', 'connection' = 'x'",
      "'type' = 'typé', 'endpoint' = 'https://e'",
      "'type' = '\(kelvin)afka'",
      (0..<20).map { "'k\($0 % 17)' = 'v'" }.joined(separator: ", "),
      "'type' = 'openai', " + (0..<18).map { "'endpoint' = 'https://e\($0)'" }.joined(separator: ", "),
      "'type' = 'openai', 'endpoint' = 'https://e', 'api-key' = 'k', 'type' = ''",
    ]
    let names = ["c", "db.c", "cat.db.c", "a.b.c.d", "`c`", "` `", "`a``b`.c", "`é`", "`\u{3000}`", "IF_NOT", "`if`.c"]
    var statements: [String] = []
    for name in names {
      for options in optionLists {
        statements += [
          "CREATE CONNECTION \(name) WITH (\(options))", "create temporary connection if not exists \(name) comment 'x' with (\(options))",
          "ALTER CONNECTION \(name) SET (\(options))", "ALTER CONNECTION IF EXISTS \(name) SET (\(options))",
        ]
      }
      statements += [
        "ALTER CONNECTION \(name) RESET ('endpoint', 'api-key')", "ALTER CONNECTION \(name) RESET ()", "ALTER CONNECTION \(name) SET ()",
        "DROP CONNECTION \(name)", "USE \(name)", "ALTER CONNECTION \(name) RENAME TO d",
      ]
    }
    #expect(statements.count > 1_000)
    expectAgreement(statements.joined(separator: ";\n"), sketchedAtLeast: 900, "rules")
    // One at a time too, so that a statement's diagnostics are not hidden among the others'.
    for statement in statements { expectAgreement(statement, statement) }
  }
}
