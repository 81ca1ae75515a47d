import Foundation
import Testing

/// The command line's own parser (Sources/switchboard/Arguments.swift), through the binary.
@Suite struct ArgumentsCLITests {
  static let commands = [
    "sql", "check", "mask", "history", "verify", "rekey", "render", "export", "import", "scan", "plan", "stale",
    "versions", "restore", "purge",
  ]

  @Test func everyCommandHasHelp() throws {
    let cli = try CLIRunner()
    let root = try cli.run(["--help"])
    #expect(root.status == 0, "\(root.stderr)")
    #expect(root.stdout.contains("USAGE: switchboard [--catalog <catalog>]"))
    for command in Self.commands {
      #expect(root.stdout.contains("\n  \(command) "), "the root help lists \(command)")
      let takesACatalog = command != "mask"
      for asked in [[command, "--help"], [command, "-h"], ["help", command]] + (takesACatalog ? [[command, "--demo", "--help"]] : []) {
        let help = try cli.run(asked)
        #expect(help.status == 0, "\(asked): \(help.stderr)")
        #expect(help.stdout.hasPrefix("OVERVIEW: "), "\(asked)")
        #expect(help.stdout.contains("USAGE: switchboard \(command)" + (takesACatalog ? " [--catalog <catalog>]" : "\n")), "\(asked)")
        #expect(help.stdout.contains("  -h, --help"), "\(asked)")
      }
    }
    #expect(try cli.run(["help", "nope"]).status == 2)
  }

  /// Each command reads every option it declares when it starts, so starting each one once with
  /// its options finds a name read but not declared (a crash, not a status of 0 to 3).
  @Test func everyCommandStartsWithItsOptions() throws {
    let cli = try CLIRunner()
    let catalog = cli.directory.appendingPathComponent("c.sqlite").path
    let common = ["--catalog", catalog, "--read-only", "--confirm", "a.b", "--confirm", "c.d"]
    let runs: [[String]] = [
      ["sql", "-e", "SHOW CONNECTIONS", "--format", "csv", "--expected-version", "3"],
      ["check", "--strict", "--verbose", "--dialect", "master"],
      ["mask"],
      ["history", "--limit", "5", "--format", "json"],
      ["verify"],
      ["rekey", "--new-key-file", cli.directory.appendingPathComponent("k").path],
      ["render", "--all", "--temporary", "-o", cli.directory.appendingPathComponent("r.sql").path, "--force"],
      ["export", "a", "b", "--format", "json"],
      ["import", "--format", "sql"],
      ["scan", cli.directory.path, "--dialect", "2.3", "--format", "json"],
      ["plan"],
      ["stale", "--days", "30"],
      ["versions", "a"],
      ["restore", "a", "--version", "2", "--expected-version", "3", "--dry-run"],
      ["purge", "a", "--keep", "1"],
    ]
    #expect(Set(runs.map { $0[0] }) == Set(Self.commands))
    for arguments in runs {
      let options = arguments[0] == "mask" ? arguments : [arguments[0]] + common + arguments.dropFirst()
      let run = try cli.run(options)
      #expect((0...3).contains(run.status), "\(options): status \(run.status) \(run.stderr)")
    }
  }

  @Test func valuesAttachedOrApartAndTheLastWins() throws {
    let cli = try CLIRunner()
    let apart = try cli.run(["sql", "--demo", "--format", "csv", "-e", "SHOW CONNECTIONS FROM data"])
    let attached = try cli.run(["sql", "--demo", "--format=csv", "-e", "SHOW CONNECTIONS FROM data"])
    let twice = try cli.run(["sql", "--demo", "--format", "json", "--format", "csv", "-e", "SHOW CONNECTIONS FROM data"])
    #expect(apart.status == 0, "\(apart.stderr)")
    #expect(apart.stdout.hasPrefix("connection name\nbilling_api\n"))
    #expect(attached.stdout == apart.stdout)
    #expect(twice.stdout == apart.stdout)
    // After `--`, a dash is an argument, not an option.
    let dashed = try cli.run(["versions", "--demo", "--", "-x"])
    #expect(dashed.status == 2, "\(dashed.stderr)")
    #expect(dashed.stderr.contains("is not a connection name"))
  }

  /// A statement typed where the command line does not take it may carry a secret: a usage error
  /// names the problem and never the text.
  @Test func usageErrorsNeverQuoteValues() throws {
    let cli = try CLIRunner()
    let canary = "CANARYargs7731"
    let statement = "ALTER CONNECTION c SET ('api-key' = '\(canary)')"
    let attempts: [[String]] = [
      ["sql", statement],
      ["sql", "-e\(statement)"],
      ["sql", "--\(canary)=x"],
      ["sql", "--catalob=\(canary)"],
      ["sql", "--format=\(canary)", "--bogus"],
      ["history", "--limit", canary],
      ["stale", "--days", canary],
      ["restore", "a", "--version", canary],
      ["versions", "a", canary],
      [canary],
      ["sql", "--demo", "--"] + [statement],
    ]
    for arguments in attempts {
      let run = try cli.run(arguments)
      #expect(run.status == 2, "\(arguments): \(run.status)")
      #expect(!run.stderr.isEmpty)
      #expect(!(run.stdout + run.stderr).contains(canary), "\(arguments): \(run.stderr)")
    }
    let missing = try cli.run(["sql", "--format"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("Missing value for --format <format>."))
    let unknown = try cli.run(["sql", "--no-such-flag"])
    #expect(unknown.stderr.hasPrefix("switchboard: Unknown option (argument 1).\n"), "\(unknown.stderr)")
    #expect(unknown.stderr.contains("See 'switchboard sql --help'"))
    let typo = try cli.run(["sql", "--demo", "--formt", "csv"])
    #expect(typo.stderr.hasPrefix("switchboard: Unknown option (argument 2); did you mean --format?\n"), "\(typo.stderr)")
  }
}
