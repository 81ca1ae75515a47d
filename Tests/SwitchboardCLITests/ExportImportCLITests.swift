import Foundation
import Testing

/// `export` (placeholders, never values), `import` (all or nothing, missing secrets listed) and
/// `scan` (which scripts use which connection), run as a user runs them.
@Suite struct ExportImportCLITests {
  static let canaries = ["sk-render-canary-1", "AKIARENDER", "line two", "not a comment", "tök€n"]

  @Test func exportsCarryNoSecretInAnyFormat() throws {
    let cli = try RenderCLITests.seeded()
    for format in ["sql", "json", "confluent-cli", "terraform"] {
      let run = try cli.run(["export", "--format", format])
      #expect(run.status == 0, "\(format): \(run.stderr)")
      for canary in Self.canaries {
        #expect(!run.stdout.contains(canary) && !run.stderr.contains(canary), "\(format) holds \(canary)")
      }
    }
    let sql = try cli.run(["export"])
    #expect(sql.stdout.contains("'api-key' = '******'"))
    let checked = try cli.run(["check"], stdin: sql.stdout)
    #expect(!checked.stdout.contains("error:"), "\(checked.stdout)")

    let terraform = try cli.run(["export", "--format", "terraform", "shop.sales.bedrock_us"])
    #expect(terraform.stdout.contains("variable \"bedrock_us_aws_secret_key\" {\n  type      = string\n  sensitive = true\n}"))
    #expect(terraform.stdout.contains("aws_secret_key = var.bedrock_us_aws_secret_key"))
    #expect(terraform.stdout.contains("type         = \"BEDROCK\""))
    #expect(terraform.stderr.contains("shop.sales.bedrock_us: Confluent connection names take only lower-case letters"))
    let mcp = try cli.run(["export", "--format", "terraform", "mcp"])
    #expect(mcp.stderr.contains("does not take type 'mcp_server'"))
    #expect(mcp.stderr.contains("Terraform has no attribute for secret 'token'; left out."))
  }

  /// Values that would be code in HCL or a shell stay text.
  @Test func exportsQuoteWhatTheTargetWouldRun() throws {
    let cli = try CLIRunner()
    let marker = cli.directory.appendingPathComponent("pwned").path
    let setup = try cli.run(["sql"], stdin: """
      CREATE CONNECTION `it's $(touch \(marker))` WITH ('type' = 'openai', 'endpoint' = 'https://h/${path}"%{x}\\', 'api-key' = 'sk-q');
      """)
    #expect(setup.status == 0, "\(setup.stderr)")
    let terraform = try cli.run(["export", "--format", "terraform"])
    #expect(terraform.stdout.contains("endpoint     = \"https://h/$${path}\\\"%%{x}\\\\\""))

    // Run the Confluent CLI script with a stand-in `confluent` that records its arguments.
    let script = try cli.run(["export", "--format", "confluent-cli"]).stdout
    let missing = try Self.runConfluentScript(script, in: cli, secret: nil).run
    #expect(missing.status != 0)  // the secret's variable is not set
    let (ran, args) = try Self.runConfluentScript(script, in: cli, secret: "sk-from-env")
    #expect(ran.status == 0, "\(ran.stderr)")
    #expect(args == [
      "flink", "connection", "create", "it's $(touch \(marker))", "--cloud", "aws", "--region", "us-east-1", "--type", "openai",
      "--endpoint", "https://h/${path}\"%{x}\\", "--api-key", "sk-from-env",
    ])
    #expect(!FileManager.default.fileExists(atPath: marker))
  }

  /// Characters the terminal sanitiser escapes are written in the target's own escapes (HCL's
  /// `\u202e`, bash's `$'\u202e'`): the output is safe on a terminal and the target reads the
  /// exact text. Left to the sanitiser, they became `\u{202E}`, which HCL refuses and the
  /// shell passes on as seven characters.
  @Test func exportsEscapeWhatATerminalMustNotShowInTheTargetsOwnWay() throws {
    let cli = try CLIRunner()
    let hostile = "a\u{1B}]0;t\u{07}\u{85}\u{9B}2J\u{202E}\u{2066}\u{FEFF}\u{E0001}'z"
    let setup = try cli.run(["sql"], stdin: """
      CREATE CONNECTION `\(hostile)` WITH ('type' = 'openai', 'endpoint' = 'https://h/\(hostile.replacingOccurrences(of: "'", with: "''"))', 'api-key' = 'sk-q');
      """)
    #expect(setup.status == 0, "\(setup.stderr)")
    let escaped = #"a\u001b]0;t\u0007\u0085\u009b2J\u202e\u2066\ufeff\U000e0001'z"#
    let terraform = try cli.run(["export", "--format", "terraform"])
    #expect(terraform.stdout.contains("display_name = \"\(escaped)\""), "\(terraform.stdout)")
    #expect(terraform.stdout.contains("endpoint     = \"https://h/\(escaped)\""), "\(terraform.stdout)")

    let script = try cli.run(["export", "--format", "confluent-cli"]).stdout
    #expect(!script.contains("\\u{") && !script.contains("\\e"), "\(script)")
    let (ran, args) = try Self.runConfluentScript(script, in: cli, secret: "sk-env")
    #expect(ran.status == 0, "\(ran.stderr)")
    #expect(args.count == 14 && args[3] == hostile && args[11] == "https://h/" + hostile, "\(args.map(\.debugDescription))")
  }

  /// Runs an exported Confluent CLI script under bash with a stand-in `confluent` that records
  /// its arguments (NUL after each); `secret` fills the script's one secret variable, nil
  /// leaves it unset.
  static func runConfluentScript(_ script: String, in cli: CLIRunner, secret: String?) throws -> (run: CLIRunner.Run, args: [String]) {
    let bin = cli.directory.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    let record = cli.directory.appendingPathComponent("args.bin")
    try? FileManager.default.removeItem(at: record)
    try "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\000' \"$a\"; done > \(record.path)\n".write(
      to: bin.appendingPathComponent("confluent"), atomically: true, encoding: .utf8)
    chmod(bin.appendingPathComponent("confluent").path, 0o755)
    let file = cli.directory.appendingPathComponent("create.sh")
    try script.write(to: file, atomically: true, encoding: .utf8)
    let shell = cli
    let saved = shell.environment
    defer { shell.environment = saved }
    shell.environment["PATH"] = bin.path + ":" + (cli.environment["PATH"] ?? "/usr/bin:/bin")
    if let secret {
      shell.environment["CONFLUENT_CLOUD"] = "aws"
      shell.environment["CONFLUENT_REGION"] = "us-east-1"
      shell.environment[script.components(separatedBy: "\"${").dropFirst(3).first!.components(separatedBy: ":?").first!] = secret
    }
    let ran = try shell.run([file.path], executable: "/bin/bash")
    let recorded = (try? Data(contentsOf: record)) ?? Data()
    return (ran, recorded.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
  }

  @Test func importsAllOrNothingAndListsWhatToFillIn() throws {
    let source = try RenderCLITests.seeded()
    let sql = try source.run(["export"]).stdout
    let json = try source.run(["export", "--format", "json"]).stdout

    let cli = try CLIRunner()
    #expect(try cli.run(["sql", "-e", "CREATE CATALOG shop; CREATE DATABASE shop.sales"]).status == 0)
    let imported = try cli.run(["import"], stdin: sql)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout == """
      Imported 4 connections.
      Secrets to fill in (ALTER CONNECTION name SET ('key' = '...'), on standard input or in the terminal UI):
        shop.sales.bedrock_us: aws-access-key, aws-secret-key
        shop.sales.openai_prod: api-key
        shop.sales.warehouse jdbc: username, password

      """)
    let json2 = try cli.run(["export", "--format", "json"]).stdout
    // The same connections, but for their versions and the secrets still to fill in.
    func withoutSecrets(_ text: String) throws -> NSArray {
      let items = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
      return items.map { $0.filter { $0.key != "version" && $0.key != "secrets" } } as NSArray
    }
    #expect(try withoutSecrets(json2) == withoutSecrets(json))
    #expect(try withoutSecrets(json).count == 4)

    // Again: every one exists now, so nothing is imported, not even the first.
    let again = try cli.run(["import", "--format", "json"], stdin: json)
    #expect(again.status == 1)
    #expect(again.stderr.contains("already exists"))

    let fresh = try CLIRunner()
    let mixed = try fresh.run(["import"], stdin: "CREATE CONNECTION a WITH ('type' = 'openai', 'endpoint' = 'https://a', 'api-key' = 'sk-import-canary');\nSHOW CONNECTIONS;")
    #expect(mixed.status == 1)
    #expect(mixed.stderr.contains("import takes CREATE CONNECTION statements only (line 2 holds another); nothing was imported."))
    #expect(try fresh.run(["sql", "--format", "csv", "-e", "SHOW CONNECTIONS"]).stdout == "connection name\n")
    #expect(try fresh.run(["import", "-e", "x"]).status == 2)
    #expect(try fresh.run(["import"], stdin: "[{\"type\": \"OPENAI\"}]").status == 1)
    #expect(try fresh.run(["import"], stdin: "{\"not\": \"a list\"}").status == 1)

    // A real secret in an imported script is stored sealed, as by `sql`, and masked in the history.
    let real = try fresh.run(["import"], stdin: "CREATE CONNECTION a WITH ('type' = 'openai', 'endpoint' = 'https://a', 'api-key' = 'sk-import-canary');")
    #expect(real.stdout == "Imported 1 connection.\n")
    #expect(try fresh.run(["render", "a", "-o", "-"]).stdout.contains("'sk-import-canary'"))
    #expect(!(try fresh.run(["history"]).stdout.contains("sk-import-canary")))
    for (name, bytes) in fresh.allFileBytes() { #expect(bytes.range(of: Data("sk-import-canary".utf8)) == nil, "\(name)") }

    // Confluent's own list: no secrets, so each required one is listed, and the list shows it.
    let confluent = """
      [{"creation_date": "2026-01-01T00:00:00Z", "name": "my-openai", "environment": "env-1", "cloud": "AWS", "region": "us-east-1",
        "type": "OPENAI", "endpoint": "https://api.openai.com/v1", "data": "<REDACTED>", "status": "READY"},
       {"name": "claims-mcp", "type": "MCP_SERVER", "endpoint": "https://mcp.example.com"},
       {"name": "rest-api", "type": "REST", "endpoint": "https://rest.example.com"}]
      """
    let list = try fresh.run(["import"], stdin: confluent)
    #expect(list.status == 0, "\(list.stderr)")
    #expect(list.stdout.contains("default_catalog.default_database.my-openai: api-key\n"))
    #expect(list.stdout.contains("default_catalog.default_database.rest-api: one of username+password | token | token-endpoint+client-id+client-secret+scope\n"))
    #expect(!list.stdout.contains("claims-mcp:"))
    guard TmuxSession.isAvailable else { return }
    let session = try TmuxSession("\(CLIRunner.binary.path)", width: 140, height: 12, environment: fresh.environment)
    let screen = try session.waitFor("the list") { $0.contains("my-openai") }
    #expect(screen.split(separator: "\n").contains { $0.contains("my-openai") && $0.contains("missing api-key") })
    #expect(screen.split(separator: "\n").contains { ($0.hasPrefix(" a ") || $0.hasPrefix("▶a ")) && $0.contains("api-key") && !$0.contains("missing") })
  }

  /// A connection one script creates counts for that script only, however the scan shares what
  /// it read from the catalog between files.
  @Test func whatAScriptCreatesStaysInThatScript() throws {
    let cli = try CLIRunner()
    let folder = cli.directory.appendingPathComponent("scripts")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try "CREATE CONNECTION made_here WITH ('region' = 'eu');\nCREATE TABLE t (a INT) WITH ('x.connection' = 'made_here');"
      .write(to: folder.appendingPathComponent("a.sql"), atomically: true, encoding: .utf8)
    try "CREATE TABLE u (a INT) WITH ('x.connection' = 'made_here');".write(to: folder.appendingPathComponent("b.sql"), atomically: true, encoding: .utf8)
    let run = try cli.run(["scan", folder.path])
    #expect(run.stdout == """
      default_catalog.default_database.made_here  1 use
        a.sql:2:47  CREATE TABLE ('x.connection')
      not in the catalog  1 use
        b.sql:1:47  CREATE TABLE ('x.connection')

      """, "\(run.stdout)")
  }

  @Test func scanListsTheScriptsThatUseEachConnection() throws {
    let cli = try RenderCLITests.seeded()
    let folder = cli.directory.appendingPathComponent("scripts")
    let fm = FileManager.default
    try fm.createDirectory(at: folder.appendingPathComponent("jobs/.hidden"), withIntermediateDirectories: true)
    try """
      USE CATALOG shop;
      USE sales;
      CREATE MODEL m INPUT (x STRING) OUTPUT (y STRING) WITH ('provider' = 'openai', 'openai.connection' = 'openai_prod');
      CREATE TABLE t (a INT) WITH ('connector' = 'confluent-jdbc', 'confluent-jdbc.connection' = 'warehouse jdbc');
      """.write(to: folder.appendingPathComponent("jobs/enrich.sql"), atomically: true, encoding: .utf8)
    try """
      CREATE TABLE x (a INT) WITH ('connector' = 'mcp', 'mcp.connection' = 'mcp');
      CREATE TABLE y (a INT) WITH ('x.connection' = 'sk-scan-canary');
      CREATE MODEL z INPUT (a STRING) OUTPUT (b STRING) WITH ('openai.connection' = 'shop.sales.openai_prod');
      """.write(to: folder.appendingPathComponent("a.sql"), atomically: true, encoding: .utf8)
    try "CREATE TABLE h (a INT) WITH ('x.connection' = 'mcp');".write(
      to: folder.appendingPathComponent("jobs/.hidden/h.sql"), atomically: true, encoding: .utf8)
    try "CREATE TABLE n (a INT) WITH ('x.connection' = 'mcp');".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
    try Data([0x43, 0xFF, 0x3B]).write(to: folder.appendingPathComponent("binary.sql"))

    let run = try cli.run(["scan", folder.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout == """
      default_catalog.default_database.mcp  1 use
        a.sql:1:70  CREATE TABLE ('mcp.connection')
      shop.sales.openai_prod  2 uses
        a.sql:3:79  CREATE MODEL ('openai.connection')
        jobs/enrich.sql:3:102  CREATE MODEL ('openai.connection')
      shop.sales.warehouse jdbc  1 use
        jobs/enrich.sql:4:92  CREATE TABLE ('confluent-jdbc.connection')
      not in the catalog  1 use
        a.sql:2:47  CREATE TABLE ('x.connection')

      """)
    #expect(run.stderr.contains("passed over binary.sql: not UTF-8"))
    #expect(run.stderr.contains("2 scripts; 4 uses of 3 connections; 1 use of connections not in the catalog."))
    #expect(!run.stdout.contains("canary") && !run.stderr.contains("canary"))
    let json = try cli.run(["scan", "--format", "json", folder.path])
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    #expect((object?["connections"] as? [Any])?.count == 3)
    #expect(try cli.run(["scan", folder.appendingPathComponent("nope").path]).status == 1)
  }
}
