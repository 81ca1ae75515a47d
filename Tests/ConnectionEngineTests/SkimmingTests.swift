import ConnectionEngine
import FuzzChecks
import Testing

/// `check` steps over the bodies of statements it only counts and the inside of a definition's
/// parentheses without lexing them (`StatementSkimmer`): its reading of a script is the same as
/// when every token is lexed, whatever those runs hold.
@Suite struct SkimmingTests {
  /// Statements with a hole where the skimmer may step over what it holds.
  static let templates = [
    "INSERT INTO t SELECT a, <> FROM s", "SELECT * FROM t WHERE <>", "(SELECT <>)", "EXPLAIN SELECT f(<>)",
    "WITH w AS (SELECT <>) SELECT * FROM w", "CREATE TABLE t (a INT, <>) WITH ('connector' = 'kafka')",
    "CREATE TEMPORARY TABLE t (<>) COMMENT 'c' WITH ('x.connection' = 'n') LIKE u (<>)",
    "CREATE MODEL m INPUT (<>) OUTPUT (b STRING) WITH ('provider' = 'openai', 'openai.connection' = 'c')",
    "ALTER TABLE t ADD (<>)", "ALTER TABLE t SET (<>)", "ALTER TABLE t RESET (<>)", "CREATE VIEW v AS SELECT (<>) FROM t",
    "CREATE CONNECTION c (<>) WITH ('type' = 'kafka')", "ALTER CONNECTION c SET ('k' = (<>))",
    "CREATE CONNECTION c WITH ('type' = 'kafka', 'k' = '<>')", "CREATE TABLE t (a INT) USING CONNECTION c (<>) WITH ('k' = 'v')",
    "UPDATE t SET a = <>", "CALL p(<>)", "SELECT <>", "INSERT <>", "CREATE <>", "ALTER TABLE <>",
    "CREATE TABLE t<> (<>) WITH ('k' = 'v')", "ALTER MODEL m <> (<>) SET ('k' = 'v')", "CREATE FUNCTION f<> (<>) AS 'c'",
    // After more `)` than `(`, the parser reads inside parentheses as at the top.
    "CREATE TABLE t) (<>) WITH ('k' = 'v')", "ALTER TABLE t (a)) (<>)",
  ]

  /// What a hole may hold: what the skimmer steps over, and everything it must give up on (the
  /// reading looks at it, or lexing it needs more than a byte scan).
  static let fragments = [
    "b", "'lit'", "'it''s'", "`col`", "`a``b`", "x.y", "1.5", "42", "a <> b", "a != b", "f(x, (y))", "-- c\n", "/* c */", "// c\n",
    "'x.connection' = 'n'", "'X.CONNECTION' = 'n'", "'a.connection'", "'k' = 'a.connection'", "E'\\''", "e'x'", "N'x'", "X'00'",
    "U&'x'", "_utf8'x'", "\"q\"", "`a\nb`", "``", "a$b", "a.b$c", "@p", "#", "!", "!x", "\\", "~", "&", "\u{7}", "é", "ſhow",
    "\u{202E}", "/*+ hint */", "/* open", "-- eol", "'open", "`open", ";", ";;", "\nCREATE CONNECTION d WITH ('k' = 'v')",
    "\nDROP CONNECTION d", "\ncreate x", "\n  SHOW CONNECTIONS", "\r\nDESC CONNECTION c", "\rDESCRIBE CONNECTION c",
    "statement set begin", "STATEMENT", "1e5", "1STATEMENT", "2x", "\n/* c */CREATE", "\n-- c\nCREATE TABLE z (a INT)",
    "\u{0C}CREATE", "\n\u{0C}ALTER CONNECTION c RESET ('k')", ")", "((", "(", "'a' 'b'", "'a'\n'b'", "\u{0}", "END", "BEGIN",
    "EXECUTE STATEMENT SET BEGIN", "'k' = 'v', 'l' = 'w'", "'k'", "", " ", "\n", "USING CONNECTION c", "AS SELECT 1",
  ]

  static func generated(count: Int, seed: UInt64) -> [String] {
    var random = SplitMix(seed: seed)
    func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
    let separators = [";\n", ";\n", ";", "; ;\n", "\n", ";\n-- ;\n"]
    return (0..<count).map { _ in
      var script = ""
      for _ in 0..<Int(random.next() % 4 + 1) {
        let parts = pick(templates).split(separator: "<>", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
          script += part
          if index < parts.count - 1 {
            script += (0..<Int(random.next() % 3 + 1)).map { _ in pick(fragments) }.joined(separator: pick([" ", "\n", "", ", "]))
          }
        }
        script += pick(separators)
      }
      return script
    }
  }

  @Test func aSkimmedReadingIsTheLexedOne() throws {
    var scripts = try FlinkScriptVerdict.all().map(\.script)
    scripts += try FixtureFiles.flinkInputs()
    scripts += Self.generated(count: 4_000, seed: 0x5C1A)
    scripts += [
      "CREATE TABLE t) (USING CONNECTION c) WITH ('k' = 'v');", "ALTER TABLE t) (WITH ('k' = 'v',));",
      "CREATE TABLE t (a)) (a INT) (AS SELECT 1) USING x;",
    ]
    var (fewer, skimmedScripts) = (0, 0)
    for script in scripts {
      for dialect in FlinkDialect.allCases {
        for sketching in [false, true] {
          let (fewerTokens, disagreement) = Parser.skimmingDisagreement(script, dialect: dialect, sketching: sketching)
          #expect(disagreement == nil, "\(script.debugDescription)")
          fewer += fewerTokens
          if fewerTokens > 0 { skimmedScripts += 1 }
        }
      }
    }
    // The scan is taken, often, and gives up on what it must: both sides are exercised.
    #expect(skimmedScripts > 4_000)
    #expect(fewer > 15_000)
  }

  /// What it steps over in a realistic script: the bodies of the counted statements and the
  /// columns of a table, not an option list.
  @Test func itStepsOverBodiesAndColumnsNotOptions() {
    let counted = "INSERT INTO t SELECT a, b, c, d FROM s WHERE x = 'y';\nSHOW TABLES;"
    #expect(Parser.skimmingDisagreement(counted).fewerTokens == 10)
    let table = "CREATE TABLE t (a INT, b STRING, PRIMARY KEY (a) NOT ENFORCED) WITH ('connector' = 'kafka', 'topic' = 'x');"
    #expect(Parser.skimmingDisagreement(table).fewerTokens == 12)
    let options = "ALTER TABLE t SET ('a' = 'b', 'c' = 'd');\nCREATE CONNECTION c WITH ('type' = 'kafka', 'k' = 'v');"
    #expect(Parser.skimmingDisagreement(options).fewerTokens == 0)
    let naming = "INSERT INTO t SELECT * FROM s /*+ OPTIONS('kafka.connection' = 'c') */;\nSELECT 'x' FROM t, u WHERE 'a.connection' = 'b';"
    #expect(Parser.skimmingDisagreement(naming).fewerTokens == 0)
  }
}
