import Foundation
import Testing

/// `check` on whole Flink scripts, as a user runs it: other statements counted, references
/// resolved against the catalog, nothing secret echoed.
@Suite struct FlinkScriptCLITests {
  static func realistic(_ name: String) -> String {
    CLIRunner.repositoryRoot.appendingPathComponent("Tests/ConnectionEngineTests/Fixtures/scripts/realistic/\(name)").path
  }

  @Test func checkResolvesTheConnectionsAScriptUses() throws {
    let cli = try CLIRunner()
    let setup = try cli.run(["sql"], stdin: """
      CREATE CATALOG shop; CREATE DATABASE shop.sales;
      CREATE CONNECTION shop.sales.warehouse_jdbc WITH ('type' = 'confluent_jdbc', 'endpoint' = 'jdbc:postgresql://w/r', 'username' = 'u', 'password' = 'p');
      CREATE CONNECTION shop.sales.openai_prd WITH ('type' = 'openai', 'endpoint' = 'https://api.openai.com/v1', 'api-key' = 'sk-1');
      """)
    #expect(setup.status == 0, "\(setup.stderr)")
    let script = Self.realistic("orders-pipeline.sql")
    let run = try cli.run(["check", "-f", script])
    #expect(run.status == 0, "\(run.stderr)")
    // mongo_orders is created by the script itself; warehouse_jdbc is in the catalog.
    #expect(run.stdout == "\(script):113:25: warning: No connection of this name in shop.sales ('openai.connection' in CREATE MODEL). Did you mean 'openai_prd'?\n")
    #expect(run.stderr.contains("13 connection statements checked; 42 other Flink statements not checked (7 CREATE TABLE, 4 SET,"))
    #expect(try cli.run(["check", "--strict", "-f", script]).status == 1)

    let verbose = try cli.run(["check", "--verbose", "-f", script])
    let lines = verbose.stdout.split(separator: "\n")
    #expect(lines.filter { $0.hasSuffix("not checked (outside the connection dialect)") }.count == 42)
    #expect(lines.contains("\(script):56:26: note: uses connection shop.sales.mongo_orders"))
    #expect(lines.contains("\(script):78:69: note: uses connection shop.sales.warehouse_jdbc"))
    #expect(lines.contains("\(script):3:1: note: SET not checked (outside the connection dialect)"))
    #expect(lines.contains("\(script):149:1: note: EXECUTE STATEMENT SET not checked (outside the connection dialect)"))
  }

  /// A file is mapped, standard input read: both give the same report, on a script long enough
  /// to be read in pieces on every core; an empty file (no statement, as Flink says) and bytes that are
  /// not UTF-8 far into a long file are told as they are.
  @Test func aMappedFileReadsAsStandardInput() throws {
    let cli = try CLIRunner()
    var script = ""
    for name in ["ai-models.sql", "orders-pipeline.sql", "platform-admin.sql", "rendered.sql"] {
      script += try String(contentsOfFile: Self.realistic(name), encoding: .utf8)
    }
    script = String(repeating: script, count: 40) + "DROP CONNECTION a.b.c.d;\nSELECT 1 #"
    let file = cli.directory.appendingPathComponent("long.sql")
    try script.write(to: file, atomically: true, encoding: .utf8)
    let mapped = try cli.run(["check", "-f", file.path])
    let piped = try cli.run(["check"], stdin: script)
    #expect(mapped.status == 1)
    #expect(mapped.stdout.split(separator: "\n").count > 40)
    #expect(mapped.stdout.hasSuffix("error: Lexical error at line \(script.utf8.filter { $0 == 0x0A }.count + 1), column 11.  Encountered: \"#\" (35)\n"))
    #expect(mapped.stdout.replacingOccurrences(of: file.path, with: "<stdin>") == piped.stdout)
    #expect(mapped.stderr.replacingOccurrences(of: file.path, with: "<stdin>") == piped.stderr)

    let empty = cli.directory.appendingPathComponent("empty.sql")
    try Data().write(to: empty)
    let none = try cli.run(["check", "-f", empty.path])
    #expect(none.status == 1)
    #expect(none.stdout == "\(empty.path):1:0: error: Encountered \"<EOF>\" at line 1, column 0. Was expecting: a statement\n")

    var broken = Array(script.utf8)
    broken[broken.count - 20] = 0xFF
    let notUTF8 = cli.directory.appendingPathComponent("broken.sql")
    try Data(broken).write(to: notUTF8)
    let refused = try cli.run(["check", "-f", notUTF8.path])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("error: the input is not valid UTF-8 (byte \(broken.count - 19))"), "\(refused.stderr)")
  }

  @Test func withoutACatalogNothingIsLookedUpAndNoCatalogIsCreated() throws {
    let cli = try CLIRunner()
    let run = try cli.run(["check", "-f", Self.realistic("ai-models.sql")])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.isEmpty)
    #expect(run.stderr.contains("connections named by the script were not looked up: no catalog"))
    #expect(!FileManager.default.fileExists(atPath: cli.catalogPath))
    let unreachable = try cli.run(["check", "--catalog", "postgresql://nobody@127.0.0.1:1/none"], stdin: "CREATE TABLE t (a INT) WITH ('x.connection' = 'c')")
    #expect(unreachable.status == 3)
  }

  @Test func usingConnectionIsFlinkMastersOnly() throws {
    let cli = try CLIRunner()
    #expect(try cli.run(["sql"], stdin: "CREATE CONNECTION mongo_orders WITH ('type' = 'mongodb', 'endpoint' = 'mongodb://m', 'username' = 'u', 'password' = 'p')").status == 0)
    let script = "CREATE TABLE t (a INT)\n  USING CONNECTION mongo_orderz\n  WITH ('connector' = 'mongodb');"
    let flink23 = try cli.run(["check"], stdin: script)
    #expect(flink23.status == 1)
    #expect(flink23.stdout.hasPrefix("<stdin>:2:3: error: Encountered \"USING\" at line 2, column 3."))
    let master = try cli.run(["check", "--dialect", "master"], stdin: script)
    #expect(master.status == 0, "\(master.stdout)")
    #expect(master.stdout == "<stdin>:2:20: warning: No connection of this name in default_catalog.default_database (USING CONNECTION in CREATE TABLE). Did you mean 'mongo_orders'?\n")
    #expect(try cli.run(["check", "--dialect", "1.20"], stdin: script).status == 2)
  }

  /// Secrets where a careless script puts them: as a connection name, in a table's options, in
  /// a connection statement swallowed by a missing ';', after a lone quote, inside a hint.
  @Test func checkNeverEchoesWhatAScriptHolds() throws {
    let cli = try CLIRunner()
    #expect(try cli.run(["sql"], stdin: "CREATE CONNECTION real_one WITH ('type' = 'openai', 'endpoint' = 'https://x', 'api-key' = 'sk-1')").status == 0)
    let canary = "sk-canary-7f3a9"
    let scripts = [
      "CREATE MODEL m INPUT (x STRING) OUTPUT (y STRING) WITH ('openai.connection' = '\(canary)');",
      "CREATE TABLE t (a INT) WITH ('connector' = 'x', 'password' = '\(canary)') USING CONNECTION c;",
      "CREATE TABLE t (a INT) WITH ('connector' = 'x')\nCREATE CONNECTION c WITH ('api-key' = '\(canary)' 'type' = 'openai');",
      "SET 'a' = 'b'\nALTER CONNECTION c SET ('api-key' = '\(canary)');",
      "SELECT 'x;\nALTER CONNECTION c SET ('api-key' '\(canary)');",
      "SELECT /*+ OPTIONS('password' = '\(canary)'; */ 1;",
      "CREATE TABLE t (a INT) WITH ('password' = '\(canary)' 'connector' = 'x');",
      "CREATE TABLE t (a INT) WITH ('password' = \(canary));",
      "EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT '\(canary)'; END \(canary);",
    ]
    for script in scripts {
      for flags in [["check"], ["check", "--verbose"], ["check", "--verbose", "--dialect", "master"]] {
        let run = try cli.run(flags, stdin: script)
        #expect(!run.stdout.contains("canary") && !run.stderr.contains("canary"), "\(flags) \(script): \(run.stdout) \(run.stderr)")
      }
    }
  }
}
