import Foundation
import PostgresTestServer
import FuzzChecks
import Testing

@Suite struct CLIRobustnessTests {
  /// Two processes load version 1 and both submit: one wins, the other gets a conflict, and the
  /// winner's change is what the catalog holds.
  @Test(arguments: [false, true]) func twoProcessesAlteringOneConnection(onServer: Bool) throws {
    let cli = try CLIRunner()
    if onServer { cli.environment["SWITCHBOARD_CATALOG"] = try PostgresTestServer.shared.get().createDatabase() }
    try cli.run(["sql"], stdin: "CREATE CONNECTION c WITH ('type'='openai','endpoint'='https://a','api-key'='k0')")
    let group = DispatchGroup()
    nonisolated(unsafe) var results: [CLIRunner.Run?] = [nil, nil]
    for i in 0..<2 {
      DispatchQueue.global().async(group: group) {
        results[i] = try? cli.run(
          ["sql", "--expected-version", "1"], stdin: "ALTER CONNECTION c SET ('endpoint' = 'https://writer\(i)', 'api-key' = 'k\(i)')")
      }
    }
    group.wait()
    let statuses = results.map { $0?.status }
    #expect(statuses.sorted { ($0 ?? 9) < ($1 ?? 9) } == [0, 1])
    let loser = results.first { $0?.status == 1 }!!
    // Who changed it and when; never an overwrite.
    #expect(loser.stderr.contains("was changed by cli-tester\(onServer ? " (role switchboard_admin)" : "") at 20"), "\(loser.stderr)")
    #expect(!loser.stderr.contains("database is locked"))
    let winner = results.firstIndex { $0?.status == 0 }!
    let describe = try cli.run(["sql", "--format", "csv", "-e", "DESCRIBE CONNECTION EXTENDED c"])
    #expect(describe.stdout.contains("option:endpoint,https://writer\(winner)"))
    #expect(describe.stdout.contains("version,2"))
  }

  @Test(arguments: [false, true]) func manyWritersNeverLoseAnUpdate(onServer: Bool) throws {
    let cli = try CLIRunner()
    if onServer { cli.environment["SWITCHBOARD_CATALOG"] = try PostgresTestServer.shared.get().createDatabase() }
    try cli.run(["sql"], stdin: "CREATE CONNECTION c WITH ('index' = '0')")
    let group = DispatchGroup()
    nonisolated(unsafe) var statuses: [Int32] = Array(repeating: -1, count: 8)
    for i in 0..<8 {
      DispatchQueue.global().async(group: group) {
        statuses[i] = (try? cli.run(["sql"], stdin: "ALTER CONNECTION c SET ('w\(i)' = 'done')"))?.status ?? -2
      }
    }
    group.wait()
    #expect(statuses == Array(repeating: 0, count: 8))
    let describe = try cli.run(["sql", "--format", "csv", "-e", "DESCRIBE CONNECTION EXTENDED c"])
    for i in 0..<8 { #expect(describe.stdout.contains("secret:w\(i),******")) }
    #expect(describe.stdout.contains("version,9"))
  }

  @Test func largeInputs() throws {
    let cli = try CLIRunner()
    // A 10 MB statement: one value of 10 MB under a public key of the default type.
    let big = String(repeating: "x", count: 10_000_000)
    let one = try cli.run(["sql"], stdin: "CREATE CONNECTION big WITH ('note' = '\(big)')")
    #expect(one.status == 0, "\(one.stderr.prefix(300))")
    // The same, broken at the end: a clear error, the huge line cut around the caret.
    let broken = try cli.run(["sql"], stdin: "CREATE CONNECTION big2 WITH ('note' = '\(big)') oops")
    #expect(broken.status == 1)
    #expect(broken.stderr.utf8.count < 2000)
    // 100,000 statements in one script.
    let script = (0..<100_000).map { "CREATE CONNECTION c\($0) WITH ('k' = 'v\($0)')" }.joined(separator: ";\n")
    let many = try cli.run(["sql", "--format", "csv"], stdin: script)
    #expect(many.status == 0, "\(many.stderr.prefix(300))")
    let count = try cli.run(["sql", "--format", "csv", "-e", "SHOW CONNECTIONS LIKE 'c9999%'"])
    #expect(count.stdout.split(separator: "\n").count == 1 + 11)
  }

  /// A command that exits before reading its input (here `--help`, given 8 MB) leaves the
  /// pipe's writer unharmed: the runner once died of SIGPIPE when a process exited first.
  @Test func aProcessThatReadsNoInputExitsCleanly() throws {
    let run = try CLIRunner().run(["--help"], stdin: String(repeating: "x", count: 8 << 20))
    #expect(run.status == 0)
    #expect(run.stdout.contains("OVERVIEW"))
  }

  @Test func emptyAndCommentOnlyInput() throws {
    let cli = try CLIRunner()
    for input in ["", "   \n", "-- just a comment\n", "/* unterminated"] {
      let run = try cli.run(["sql"], stdin: input)
      #expect(run.status == 1, "\(input)")
      #expect(run.stderr.contains("[ERROR]"))
    }
  }

  /// A statement ending in `!` (a character Calcite's lexer fails on the byte after) crashed the
  /// masker that echoes it; now every command gives its answer.
  @Test func aStatementEndingInABangIsAClearError() throws {
    let cli = try CLIRunner()
    let statement = "CREATE CONNECTION c WITH ('api-key' = 'bangCanary7Q' !;"
    let sql = try cli.run(["sql"], stdin: statement)
    #expect(sql.status == 1 && sql.stderr.contains("[ERROR] Lexical error at line 1, column 56."), "\(sql.status) \(sql.stderr)")
    let mask = try cli.run(["mask"], stdin: statement)
    #expect(mask.status == 0 && mask.stdout == "CREATE CONNECTION c WITH ('api-key' = '******' ******;", "\(mask.status) \(mask.stdout)")
    let check = try cli.run(["check"], stdin: statement)
    #expect(check.status == 1 && check.stdout.contains("error: Lexical error"), "\(check.status) \(check.stdout)")
    let history = try cli.run(["history"])
    for output in [sql.stdout, sql.stderr, mask.stdout, mask.stderr, check.stdout, check.stderr, history.stdout] {
      #expect(!output.contains("bangCanary7Q"))
    }
  }

  @Test func noCanaryInAnyOutputOrFile() throws {
    let cli = try CLIRunner()
    let log = cli.directory.appendingPathComponent("switchboard.log")
    cli.environment["SWITCHBOARD_LOG"] = log.path
    let canaries = (1...6).map { "cliCanary\($0)Zq8Wv4Tt" }
    let statements = [
      "CREATE CONNECTION o WITH ('type'='openai','endpoint'='https://e','api-key'='\(canaries[0])')",
      "ALTER CONNECTION o SET ('api-key'='\(canaries[1])')",
      "ALTER CONNECTION o SET ('apikye'='\(canaries[2])')",
      "ALTER CONNECTION o SET ('api-key' = '\(canaries[3])' oops",
      "CREATE CONNECTION p WITH ('type'='mongodb','endpoint'='mongodb://h','username'='\(canaries[4])','password'='\(canaries[5])')",
      "DESCRIBE CONNECTION o", "SHOW CREATE CONNECTION p", "SHOW CONNECTIONS",
    ]
    var outputs: [String] = []
    for statement in statements {
      for format in ["table", "json", "csv"] {
        let run = try cli.run(["sql", "--format", format], stdin: statement)
        outputs += [run.stdout, run.stderr]
      }
      outputs.append(try cli.run(["mask"], stdin: statement).stdout)
      outputs.append(try cli.run(["check"], stdin: statement).stdout)
    }
    outputs.append(try cli.run(["history", "--limit", "1000"]).stdout)
    outputs.append(try cli.run(["history", "--format", "json", "--limit", "1000"]).stdout)
    let logText = try String(contentsOf: log, encoding: .utf8)
    #expect(logText.contains("'api-key'='******'"))
    let scanner = LeakScanner(canaries: canaries)
    for output in outputs { #expect(scanner.leak(in: output) == nil, "\(output)") }
    for (file, bytes) in cli.allFileBytes() { #expect(scanner.leak(in: bytes) == nil, "in \(file)") }
  }
}
