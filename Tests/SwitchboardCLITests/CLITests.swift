import Foundation
import Testing

@Suite struct CLITests {
  @Test func demoCatalogMatchesResourcesScript() throws {
    let cli = try CLIRunner()
    let demo = try cli.run(["sql", "--demo", "--format", "csv"], stdin: "SHOW CONNECTIONS FROM ai; SHOW CONNECTIONS FROM data")
    #expect(demo.status == 0, "\(demo.stderr)")
    let script = CLIRunner.repositoryRoot.appendingPathComponent("Resources/demo.sql").path
    let loaded = try cli.run(["sql", "-f", script])
    #expect(loaded.status == 0, "\(loaded.stderr)")
    let listed = try cli.run(["sql", "--format", "csv"], stdin: "SHOW CONNECTIONS FROM ai; SHOW CONNECTIONS FROM data")
    #expect(listed.stdout == demo.stdout)
    #expect(demo.stdout.split(separator: "\n").filter { $0 != "connection name" }.count >= 12)
  }

  /// A command closes the catalog on its way out (the engine is kept to the end and closed by
  /// the exit handlers): what it wrote is in the one file, with no write-ahead log left beside it,
  /// after a success, a failure and a refused write alike.
  @Test func aCommandLeavesTheCatalogAsOneFile() throws {
    let cli = try CLIRunner()
    let folder = URL(fileURLWithPath: cli.catalogPath).deletingLastPathComponent()
    func files() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() }
    #expect(try cli.run(["sql", "-e", "CREATE CONNECTION c WITH ('type' = 'default', 'endpoint' = 'https://a')"]).status == 0)
    #expect(try files() == ["catalog.sqlite"])
    #expect(try cli.run(["sql"], stdin: "ALTER CONNECTION c SET ('endpoint' = 'https://b'); DROP CONNECTION nope").status == 1)
    #expect(try files() == ["catalog.sqlite"])
    #expect(try cli.run(["sql", "--read-only", "-e", "DROP CONNECTION c"]).status != 0)
    #expect(try files() == ["catalog.sqlite"])
    let shown = try cli.run(["sql", "-e", "SHOW CREATE CONNECTION c"])
    #expect(shown.stdout.contains("'endpoint' = 'https://b'"))
  }

  /// The wrong file given to `check` (a large JSON document: one "statement" of a token every few
  /// bytes) gets an error, and memory stays in bounds: every token kept took 17 times the file's
  /// size, 3.4 GB for 200 MB.
  @Test func checkOnAFileThatIsNotAScriptStaysInBounds() throws {
    let cli = try CLIRunner()
    let file = cli.directory.appendingPathComponent("rows.json")
    let row = #"{"id": 12345, "name": "n12345", "tags": ["a", "b", "c"], "v": 0.123456789}, "#
    try Data(("[" + String(repeating: row, count: 250_000) + "{}]\n;\nDROP TEMPORARY SYSTEM CONNECTION d;\n").utf8).write(to: file)
    let run = try cli.run(["check", "-f", file.path])
    #expect(run.status == 1)
    #expect(run.stdout.contains("rows.json:1:1: error: This statement is longer than 1048576 tokens: the rest of it is not read."))
    #expect(run.stdout.contains("rows.json:3:34: warning: DROP TEMPORARY SYSTEM CONNECTION is not supported yet."))
    // 20 MB, every token kept: 635 MB. At most a million kept: the file's 20 MB mapped, 32 MB
    // of tokens and the rest (74 MB).
    let measured = try peakResidentKilobytes([CLIRunner.binary.path, "check", "-f", file.path], environment: cli.environment)
    #expect(measured.status == 1)
    #expect(measured.peakKilobytes > 0 && measured.peakKilobytes < 200_000, "peak resident \(measured.peakKilobytes) KB")
  }

  /// `sql -f` refuses the wrong file (a large JSON document: no statement ends in it) before
  /// anything runs, without reading, parsing and masking it whole (200 MB took 173 s and 7 GB).
  @Test func sqlFileOfNoStatementIsRefusedInBounds() throws {
    let cli = try CLIRunner()
    cli.environment["SWITCHBOARD_MASTER_KEY"] = Data(repeating: 0x42, count: 32).base64EncodedString()
    #expect(try cli.run(["sql", "-e", "CREATE CONNECTION c WITH ('type' = 'default', 'endpoint' = 'https://a')"]).status == 0)
    let file = cli.directory.appendingPathComponent("rows.json")
    let row = #"{"id": 12345, "name": "n12345", "tags": ["a", "b", "c"], "v": 0.123456789}, "#
    try Data(("[" + String(repeating: row, count: 250_000) + "{}]\n;\nDROP CONNECTION c;\n").utf8).write(to: file)
    let measured = try peakResidentKilobytes([CLIRunner.binary.path, "sql", "-f", file.path], environment: cli.environment)
    #expect(measured.status == 1)
    // Read whole, it took 660 MB (and 7 GB for 200 MB).
    #expect(measured.peakKilobytes > 0 && measured.peakKilobytes < 300_000, "peak resident \(measured.peakKilobytes) KB")
    let refused = try cli.run(["sql", "-f", file.path])
    #expect(refused.stderr.contains("rows.json:1:1: error: no statement ends within 16 MB of here"))
    #expect(refused.stderr.contains("Nothing was run."))
    #expect(try cli.run(["sql", "-e", "SHOW CONNECTIONS"]).stdout.contains("c"), "the DROP after it did not run")
  }

  @Test func exitCodes() throws {
    let cli = try CLIRunner()
    #expect(try cli.run(["sql", "-e", "SHOW CONNECTIONS"]).status == 0)
    #expect(try cli.run(["sql", "-e", "DESCRIBE CONNECTION nope"]).status == 1)
    // A statement that does not parse may hide a secret: refused on the command line (usage).
    #expect(try cli.run(["sql", "-e", "SHOW CONNECTIONS oops"]).status == 2)
    #expect(try cli.run(["sql"], stdin: "SHOW CONNECTIONS oops").status == 1)
    #expect(try cli.run(["sql", "--no-such-flag"]).status == 2)
    #expect(try cli.run(["sql", "--format", "xml", "-e", "SHOW CONNECTIONS"]).status == 2)
    let junk = cli.directory.appendingPathComponent("junk.sqlite")
    try Data(repeating: 0x41, count: 8192).write(to: junk)
    let foreign = try cli.run(["sql", "--catalog", junk.path, "-e", "SHOW CONNECTIONS"])
    #expect(foreign.status == 3)
    #expect(foreign.stderr.contains("is not a Switchboard catalog"))
  }

  @Test func refusesSecretsOnTheCommandLine() throws {
    let cli = try CLIRunner()
    for statement in [
      "CREATE CONNECTION c WITH ('type'='openai','endpoint'='e','api-key'='k-123')",
      "ALTER CONNECTION c SET ('password' = 'k-123')",
      "ALTER CONNECTION c SET ('username' = 'bob')",
      "ALTER CONNECTION c SET ('x' = 'k-123'",  // does not parse, still refused
    ] {
      let run = try cli.run(["sql", "-e", statement])
      #expect(run.status == 2)
      #expect(run.stderr.contains("Pass the statement on standard input or with -f FILE"))
      #expect(!run.stderr.contains("k-123"))
    }
    #expect(try cli.run(["sql", "-e", "ALTER CONNECTION IF EXISTS c SET ('endpoint' = 'https://x')"]).status == 0)
  }

  @Test func checkReportsCompilerStyle() throws {
    let cli = try CLIRunner()
    let script = """
      CREATE CONNECTION a.b.c.d WITH ('type' = 'openai', 'endpoint' = 'e', 'api_key' = 'x');
      ALTER CONNECTION c SET ('k' = 'v') oops;
      CREATE CONNECTION ok WITH ('k' = 'v', 'k' = 'w')
      """
    let file = cli.directory.appendingPathComponent("script.sql")
    try script.write(to: file, atomically: true, encoding: .utf8)
    let run = try cli.run(["check", "-f", file.path])
    #expect(run.status == 1)
    let lines = run.stdout.split(separator: "\n").map(String.init)
    #expect(lines == [
      "\(file.path):1:19: warning: Object identifier must consist of 1 to 3 parts (got 4).",
      "\(file.path):1:19: warning: Missing required option 'api-key'.",
      "\(file.path):1:70: warning: Unknown option 'api_key'; did you mean 'api-key'? (type 'openai')",
      "\(file.path):2:36: error: Encountered \"<identifier>\" at line 2, column 36. Was expecting: \";\" or <EOF>",
      "\(file.path):3:39: warning: Option 'k' is given more than once; the last value wins.",
    ])
    let warningsOnly = try cli.run(["check"], stdin: "CREATE CONNECTION a.b.c.d WITH ('k' = 'v')")
    #expect(warningsOnly.status == 0)
    #expect(warningsOnly.stdout == "<stdin>:1:19: warning: Object identifier must consist of 1 to 3 parts (got 4).\n")
    #expect(try cli.run(["check", "--strict"], stdin: "CREATE CONNECTION a.b.c.d WITH ('k' = 'v')").status == 1)
    #expect(try cli.run(["check"], stdin: "SHOW CONNECTIONS").stdout.isEmpty)
  }

  /// Output is written in blocks: every line of a long report arrives, whole and in order.
  @Test func checkWritesEveryLineOfALongReport() throws {
    let cli = try CLIRunner()
    let script = (0..<3_000).map { "DROP TEMPORARY SYSTEM CONNECTION c\($0);\n" }.joined()
    let run = try cli.run(["check"], stdin: script)
    let expected = (0..<3_000).map { "<stdin>:\($0 + 1):34: warning: DROP TEMPORARY SYSTEM CONNECTION is not supported yet." }
    #expect(run.stdout.utf8.count > 3 << 16)
    #expect(run.stdout == expected.joined(separator: "\n") + "\n")
  }

  @Test func maskFiltersStandardInput() throws {
    let cli = try CLIRunner()
    let run = try cli.run(["mask"], stdin: "CREATE CONNECTION c WITH ('type'='openai', 'api-key'='sk-mask-canary') -- note\n\u{1B}]0;pwned\u{07}")
    #expect(run.status == 0)
    // The trailing escape sequence makes the text one statement that does not parse: no value shows.
    #expect(run.stdout == "CREATE CONNECTION c WITH ('type'='******', 'api-key'='******') -- ******\n?]******;************")
  }

  @Test func invalidUTF8IsRefusedWithItsPosition() throws {
    let cli = try CLIRunner()
    var bytes = Data("SHOW CONNECTIONS;\nSHOW ".utf8)
    bytes.append(contentsOf: [0xFF, 0xFE])
    let run = try cli.run(["sql"], stdinData: bytes)
    #expect(run.status == 1)
    #expect(run.stderr.contains("<stdin>:2:6: error: the input is not valid UTF-8"))
  }

  @Test func syntaxErrorShowsMaskedLineAndCaret() throws {
    let cli = try CLIRunner()
    let run = try cli.run(["sql"], stdin: "ALTER CONNECTION c SET ('api-key' = 'sk-caret-canary')\n  WHERE")
    #expect(run.status == 1)
    #expect(run.stderr.contains(" --> <stdin>:2:3\n  |   WHERE\n  |   ^\n"))
    #expect(!run.stderr.contains("caret-canary"))
  }
}
