import Foundation
import Testing

/// The config file, --read-only and protected namespaces, as a user meets them.
@Suite struct SafeChangesCLITests {
  static func writeConfig(_ cli: CLIRunner, _ text: String) throws {
    let folder = URL(fileURLWithPath: cli.environment["XDG_CONFIG_HOME"]!).appendingPathComponent("switchboard")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try text.write(to: folder.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
  }

  @Test func aBadConfigIsAClearErrorWithItsLine() throws {
    let cli = try CLIRunner()
    let cases: [(String, String)] = [
      ("protected = [\"prod_*.*\"]\nreadonly = true\n", "config.toml:2: unknown key 'readonly'; did you mean 'read-only'?"),
      ("read-only = \"yes\"\n", "config.toml:1: read-only takes true or false"),
      ("# team settings\n\nprotected = [\n  \"prod_*.*\",\n  \"shop\"\n]\n", "config.toml:3: 'shop' in protected is not a catalog.database pattern"),
      ("rotate-after-days = -3\n", "config.toml:1: rotate-after-days takes a whole number of days above 0"),
      ("protected = [\"a.b\"\n", "config.toml:1: the array of 'protected' is not closed with ']'"),
      ("[table]\n", "config.toml:1: tables ([section]) are not used in this file"),
      ("scripts = \"jobs\" extra\n", "config.toml:1: unexpected text after the value of 'scripts'"),
    ]
    for (text, message) in cases {
      try Self.writeConfig(cli, text)
      let run = try cli.run(["sql", "-e", "SHOW CONNECTIONS"])
      #expect(run.status == 3, "\(text)")
      #expect(run.stderr.contains(message), "\(text): \(run.stderr)")
    }
    try Self.writeConfig(cli, "# comments and spaces are fine\nprotected = [ \"prod_*.*\" , 'default_catalog.default_database' ] # trailing\nread-only = false\nrotate-after-days = 90\nscripts = \"jobs\"\n")
    #expect(try cli.run(["sql", "-e", "SHOW CONNECTIONS"]).status == 0)
  }

  @Test func readOnlyRefusesEveryWriteWithOneMessage() throws {
    let cli = try RenderCLITests.seeded()
    let message = "Read-only mode (--read-only, or read-only = true in the config): nothing was changed."
    for config in [nil, "read-only = true\n"] {
      var flags = ["--read-only"]
      if let config {
        try Self.writeConfig(cli, config)
        flags = []
      }
      let writes: [[String]] = [["sql"] + flags + ["-e", "DROP CONNECTION mcp"], ["import"] + flags, ["rekey"] + flags, ["history", "--purge", "--yes"] + flags]
      for arguments in writes {
        let run = try cli.run(arguments, stdin: "CREATE CONNECTION z WITH ('type' = 'openai', 'endpoint' = 'https://z', 'api-key' = 'k')")
        #expect(run.status == 3, "\(arguments): \(run.stderr)")
        #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
      }
      #expect(try cli.run(["sql"] + flags + ["-e", "SHOW CONNECTIONS"]).status == 0)
      #expect(try cli.run(["sql"] + flags + ["-e", "DESCRIBE CONNECTION mcp"]).status == 0)
      #expect(try cli.run(["plan"] + flags, stdin: "DROP CONNECTION mcp").stdout.contains("drop default_catalog.default_database.mcp"))
    }
    try Self.writeConfig(cli, "")
    #expect(try cli.run(["sql", "--format", "csv", "-e", "SHOW CONNECTIONS"]).stdout == "connection name\nmcp\n")
  }

  @Test func aProtectedNamespaceNeedsConfirm() throws {
    let cli = try RenderCLITests.seeded()
    try Self.writeConfig(cli, "protected = [\"sh*.sales\"]\n")
    let alter = "ALTER CONNECTION shop.sales.openai_prod SET ('endpoint' = 'https://b')"
    let refused = try cli.run(["sql", "-e", alter])
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("shop.sales is protected: a write there needs --confirm shop.sales"))
    #expect(try cli.run(["sql", "-e", "DESCRIBE CONNECTION shop.sales.openai_prod"]).stdout.contains("https://api.openai.com/v1"))
    #expect(try cli.run(["sql", "--confirm", "shop.other", "-e", alter]).status == 2)
    #expect(try cli.run(["sql", "-e", "DROP CATALOG shop"]).status == 2)
    // Unprotected namespaces are as before; the plan says what needs confirming.
    #expect(try cli.run(["sql", "-e", "ALTER CONNECTION mcp SET ('endpoint' = 'https://m2')"]).status == 0)
    let plan = try cli.run(["plan"], stdin: alter)
    #expect(plan.status == 0)
    #expect(plan.stdout.contains("  protected: shop.sales (needs --confirm shop.sales)"))
    #expect(!(try cli.run(["plan", "--confirm", "shop.sales"], stdin: alter)).stdout.contains("protected:"))
    let confirmed = try cli.run(["sql", "--confirm", "shop.sales", "-e", alter])
    #expect(confirmed.status == 0, "\(confirmed.stderr)")
    #expect(try cli.run(["sql", "-e", "DESCRIBE CONNECTION shop.sales.openai_prod"]).stdout.contains("https://b"))
    #expect(try cli.run(["import"], stdin: "CREATE CONNECTION shop.sales.x WITH ('type' = 'default')").status == 2)
  }
}

/// `stale`: connections whose secrets are older than N days; exit 1 when there are any.
@Suite struct StaleCLITests {
  @Test func staleListsOldSecretsAndExitsOne() throws {
    let cli = try RenderCLITests.seeded()
    #expect(try cli.run(["stale"]).stdout == "No connection has secrets older than 90 days.\n")
    // Age two connections' secrets in the file, as time would.
    let aged = try spawn(["sqlite3", cli.catalogPath, """
      UPDATE secrets SET sealed_at = sealed_at - 200 * 86400 WHERE connection_id = (SELECT id FROM connections WHERE name = 'openai_prod');
      UPDATE secrets SET sealed_at = sealed_at - 40 * 86400 WHERE connection_id = (SELECT id FROM connections WHERE name = 'mcp');
      """], captureOutput: true)
    #expect(aged.status == 0)
    let run = try cli.run(["stale"])
    #expect(run.status == 1)
    #expect(run.stdout.contains("| shop.sales.openai_prod | api-key |"))
    #expect(run.stdout.contains("|        200 |"))
    #expect(!run.stdout.contains("mcp"))
    #expect(run.stderr.contains("1 connection with secrets older than 90 days: rotate them."))
    let thirty = try cli.run(["stale", "--days", "30"])
    #expect(thirty.status == 1)
    #expect(thirty.stdout.contains("default_catalog.default_database.mcp") && thirty.stdout.contains("openai_prod"))
    try SafeChangesCLITests.writeConfig(cli, "rotate-after-days = 365\n")
    #expect(try cli.run(["stale"]).status == 0)
    // Rotating the key makes it fresh; a public change does not.
    #expect(try cli.run(["sql"], stdin: "ALTER CONNECTION shop.sales.openai_prod SET ('endpoint' = 'https://api.openai.com/v9')").status == 0)
    #expect(try cli.run(["stale", "--days", "100"]).status == 1)
    #expect(try cli.run(["sql"], stdin: "ALTER CONNECTION shop.sales.openai_prod SET ('api-key' = 'sk-rotated')").status == 0)
    #expect(try cli.run(["stale", "--days", "100"]).status == 0)
    #expect(try cli.run(["stale", "--days", "0"]).status == 2)
  }
}

/// `versions`, `restore` and `purge` as a user runs them.
@Suite struct VersionsCLITests {
  @Test func versionsRestoreAndPurge() throws {
    let cli = try RenderCLITests.seeded()
    let canary = "CANARY-rotated-71c3"
    #expect(try cli.run(["sql"], stdin: "ALTER CONNECTION shop.sales.openai_prod SET ('api-key' = '\(canary)')").status == 0)
    #expect(try cli.run(["sql", "-e", "ALTER CONNECTION shop.sales.openai_prod SET ('endpoint' = 'https://b')"]).status == 0)
    let listed = try cli.run(["versions", "shop.sales.openai_prod"])
    #expect(listed.status == 0, "\(listed.stderr)")
    let lines = listed.stdout.split(separator: "\n").filter { $0.hasPrefix("|") }.dropFirst()
    #expect(lines.count == 3)
    #expect(lines.first?.contains("(current)") == true)
    #expect(lines.first?.contains("endpoint: 'https://api.openai.com/v1' → 'https://b'") == true)
    #expect(lines.dropFirst().first?.contains("api-key: replaced") == true)
    #expect(lines.last?.contains("oldest kept version") == true)
    let oldest = String(lines.last!.split(separator: "|")[0].trimmingCharacters(in: .whitespaces))

    // Restore: the plan, then a new version; a protected namespace needs --confirm; --dry-run changes nothing.
    try SafeChangesCLITests.writeConfig(cli, "protected = [\"shop.sales\"]\n")
    let refused = try cli.run(["restore", "shop.sales.openai_prod", "--version", oldest])
    #expect(refused.status == 2, "\(refused.stderr)")
    #expect(refused.stderr.contains("needs --confirm shop.sales"))
    #expect(try cli.run(["--read-only", "restore", "shop.sales.openai_prod", "--version", oldest]).status != 0)
    let dry = try cli.run(["restore", "--confirm", "shop.sales", "shop.sales.openai_prod", "--version", oldest, "--dry-run"])
    #expect(dry.stdout == "  api-key: replaced\n  endpoint: 'https://b' → 'https://api.openai.com/v1'\n", "\(dry.stdout)")
    let restored = try cli.run(["restore", "--confirm", "shop.sales", "shop.sales.openai_prod", "--version", oldest])
    #expect(restored.status == 0, "\(restored.stderr)")
    #expect(restored.stdout.hasSuffix("Restored shop.sales.openai_prod to version \(oldest) (as a new version).\n"))
    #expect(try cli.run(["sql", "-e", "DESCRIBE CONNECTION shop.sales.openai_prod"]).stdout.contains("https://api.openai.com/v1"))

    // Drop and undelete; then purge says what went.
    try SafeChangesCLITests.writeConfig(cli, "retention = 2\n")
    #expect(try cli.run(["sql", "-e", "DROP CONNECTION mcp"]).status == 0)
    let back = try cli.run(["restore", "mcp"])
    #expect(back.status == 0, "\(back.stderr)")
    #expect(try cli.run(["sql", "--format", "csv", "-e", "SHOW CONNECTIONS"]).stdout == "connection name\nmcp\n")
    #expect(try cli.run(["versions", "mcp"]).stdout.contains("restored after a drop"))
    let purged = try cli.run(["purge", "--keep", "1"])
    #expect(purged.status == 0, "\(purged.stderr)")
    #expect(purged.stdout.hasSuffix("sealed secrets with them.\n") || purged.stdout.hasSuffix("sealed secret with them.\n"), "\(purged.stdout)")
    #expect(try cli.run(["restore", "nothing_here"]).status == 1)
    #expect(try cli.run(["purge", "--keep", "-1"]).status == 2)
    #expect(try cli.run(["restore", "no such name!"]).status == 2)

    let run = try cli.run(["history"])
    for output in [listed.stdout, dry.stdout, restored.stdout, back.stdout, purged.stdout, run.stdout] {
      #expect(!output.contains(canary))
    }
  }
}
