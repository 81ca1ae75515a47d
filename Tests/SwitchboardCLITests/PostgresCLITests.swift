import Foundation
import PostgresTestServer
import Testing

/// The command line on a PostgreSQL catalog: the same script gives the same output and exit
/// codes as on a file; server problems are one clear line and exit 3; passwords stay out of URLs.
@Suite struct PostgresCLITests {
  static let key = Data(repeating: 5, count: 32).base64EncodedString()

  static func runner() throws -> CLIRunner {
    let cli = try CLIRunner()
    cli.environment["SWITCHBOARD_MASTER_KEY"] = key
    return cli
  }

  @Test func theSameScriptGivesTheSameResultsOnBothBackends() throws {
    let server = try PostgresTestServer.shared.get()
    let script = """
      CREATE CONNECTION a WITH ('type' = 'openai', 'endpoint' = 'https://a', 'api-key' = 'SameCanary1');
      CREATE CONNECTION b COMMENT 'second' WITH ('type' = 'default', 'region' = 'eu');
      CREATE CATALOG c2; CREATE DATABASE c2.d; CREATE CONNECTION c2.d.z WITH ('region' = 'x');
      ALTER CONNECTION a SET ('api-key' = 'SameCanary2', 'endpoint' = 'https://a2');
      ALTER CONNECTION b RENAME TO b2; ALTER CONNECTION b2 RESET ('region');
      SHOW CONNECTIONS; SHOW CONNECTIONS FROM c2.d; SHOW CATALOGS; SHOW DATABASES;
      DESCRIBE CONNECTION a; SHOW CREATE CONNECTION b2;
      CREATE CONNECTION a WITH ('type' = 'default');
      """
    let followUps = [
      "DROP CONNECTION nope", "ALTER CONNECTION a SET ('type' = 'kafka')", "DROP CATALOG c2",
      "DROP DATABASE c2.d CASCADE; DROP CATALOG c2; SHOW CATALOGS", "CREATE CONNECTION x WITH (", "SHOW CONNECTIONS",
    ]
    var outputs: [[String]] = []
    for catalog in [nil, try server.createDatabase()] {
      let cli = try Self.runner()
      let location = catalog.map { ["--catalog", $0] } ?? []
      var seen: [String] = []
      for (index, input) in ([script] + followUps).enumerated() {
        let run = try cli.run(["sql", "--format", index.isMultiple(of: 2) ? "table" : "json"] + location, stdin: input)
        seen.append("\(run.status)|\(run.stdout)|\(run.stderr)")
      }
      let history = try cli.run(["history", "--format", "csv"] + location)
      seen.append(history.stdout.split(separator: "\n").map { $0.split(separator: ",").dropFirst(2).joined(separator: ",") }.joined(separator: "\n"))
      outputs.append(seen)
    }
    #expect(outputs[0].count == outputs[1].count)
    for (sqlite, postgres) in zip(outputs[0], outputs[1]) {
      #expect(sqlite == postgres)
    }
    #expect(outputs[0][0].hasPrefix("1|"))  // the last CREATE fails: exists
    #expect(outputs[0].allSatisfy { !$0.contains("SameCanary") })
  }

  @Test func aPasswordInsideTheURLIsRefused() throws {
    let cli = try Self.runner()
    for url in ["postgresql://u:UrlPassword3Xk@/db?host=/nowhere", "postgres://u@h/db?password=UrlPassword3Xk"] {
      let run = try cli.run(["sql", "--catalog", url], stdin: "SHOW CONNECTIONS")
      #expect(run.status == 2, "\(url)")
      #expect(run.stderr.contains("PGPASSWORD"))
      #expect(!(run.stdout + run.stderr).contains("UrlPassword3Xk"))
    }
  }

  @Test func serverProblemsAreOneClearLineAndExitThree() throws {
    let server = try PostgresTestServer.shared.get()
    let cli = try Self.runner()
    let good = try server.createDatabase()
    let withPassword = server.url(database: PostgresTestServer.database(in: good), user: PostgresTestServer.passwordRole)
    let cases: [(String, [String: String], String)] = [
      ("postgresql://nobody@/db?host=/nonexistent-folder", [:], "unreachable or refused"),
      (server.url(database: "missing_database"), [:], "does not exist"),
      (withPassword, ["PGPASSWORD": "WrongPassword5Tz"], "password authentication failed"),
      (withPassword, [:], "no password"),
    ]
    for (url, environment, expected) in cases {
      let started = Date()
      var runEnvironment = cli.environment
      runEnvironment.merge(environment) { $1 }
      let process = try CLIRunner()
      process.environment = runEnvironment
      let run = try process.run(["sql", "--catalog", url], stdin: "SHOW CONNECTIONS")
      #expect(run.status == 3, "\(url): \(run.stderr)")
      #expect(run.stderr.contains("Cannot open the catalog at postgresql://"), "\(run.stderr)")
      #expect(run.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count <= 3, "\(run.stderr)")
      #expect(expected == "unreachable or refused" || run.stderr.lowercased().contains(expected), "\(run.stderr)")
      #expect(!run.stderr.contains("WrongPassword5Tz") && !run.stderr.contains(PostgresTestServer.password))
      #expect(Date().timeIntervalSince(started) < 15)
    }
    // libpq's own conventions: the right PGPASSWORD opens it (for a role that may create the schema).
    try server.psql("GRANT CREATE ON DATABASE \(PostgresTestServer.database(in: good)) TO \(PostgresTestServer.passwordRole)")
    let process = try CLIRunner()
    process.environment = cli.environment.merging(["PGPASSWORD": PostgresTestServer.password]) { $1 }
    let run = try process.run(["sql", "--catalog", withPassword], stdin: "SHOW CONNECTIONS")
    #expect(run.status == 0, "\(run.stderr)")
  }

  /// Servers the tests cannot start for real, played by a socket that speaks the start of the
  /// wire protocol: one too old, one without TLS for a client that requires it (TCP, a port the
  /// kernel picks), one that accepts and never answers. One clear line each, exit 3, no hang.
  @Test func tooOldNoTLSAndSilentServersAreOneClearLineAndExitThree() throws {
    let cases: [(FakePostgresServer.Behaviour, Bool, String)] = [
      (.oldServer(version: "9.6.24"), false, "runs postgresql 9; switchboard needs postgresql 11 or newer"),
      (.noTLS, true, "ssl was required"),
      (.silent, false, "timeout expired"),
    ]
    for (behaviour, tcp, expected) in cases {
      let server = try FakePostgresServer(behaviour, tcp: tcp)
      defer { server.stop() }
      let cli = try Self.runner()
      cli.environment["PGCONNECT_TIMEOUT"] = "2"
      let started = Date()
      let run = try cli.run(["sql", "--catalog", server.url], stdin: "SHOW CONNECTIONS")
      #expect(run.status == 3, "\(behaviour): \(run.stderr)")
      #expect(run.stderr.lowercased().contains(expected), "\(run.stderr)")
      #expect(run.stderr.contains("postgresql://fake@"), "\(run.stderr)")
      #expect(run.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count <= 3, "\(run.stderr)")
      #expect(run.stdout.isEmpty)
      #expect(Date().timeIntervalSince(started) < 10)
    }
  }

  @Test func switchboardCatalogSetsTheDefaultAndARekeyReSealsEverySecret() throws {
    let server = try PostgresTestServer.shared.get()
    let cli = try CLIRunner()  // the key comes from the key file, made on first use
    cli.environment["SWITCHBOARD_CATALOG"] = try server.createDatabase()
    let created = try cli.run(["sql"], stdin: "CREATE CONNECTION r WITH ('type' = 'openai', 'endpoint' = 'https://r', 'api-key' = 'RekeyCanary4Jm')")
    #expect(created.status == 0, "\(created.stderr)")
    #expect(!FileManager.default.fileExists(atPath: cli.catalogPath))  // nothing went to the default file
    let keyFile = cli.directory.appendingPathComponent("config/switchboard/master.key").path
    let oldKey = try String(contentsOfFile: keyFile, encoding: .utf8)
    let rekey = try cli.run(["rekey"])
    #expect(rekey.status == 0, "\(rekey.stderr)")
    #expect(rekey.stdout.contains("1 secret re-sealed"))
    #expect(try String(contentsOfFile: keyFile, encoding: .utf8) != oldKey)
    #expect(try cli.run(["verify"]).stdout.contains("secrets opened: 1"))
    // The old key opens nothing any more.
    let stale = try CLIRunner()
    stale.environment["SWITCHBOARD_CATALOG"] = cli.environment["SWITCHBOARD_CATALOG"]
    stale.environment["SWITCHBOARD_MASTER_KEY"] = oldKey.trimmingCharacters(in: .whitespacesAndNewlines)
    let refused = try stale.run(["verify"])
    #expect(refused.status == 3)
    #expect(refused.stderr.contains("does not match"))
    let history = try cli.run(["history"])
    #expect(history.stdout.contains("-- rekey"))
    #expect(!(created.stdout + rekey.stdout + history.stdout).contains("RekeyCanary4Jm"))
  }
}

extension PostgresCLITests {
  /// A role with read-only grants browses; every write is refused with one message, exit 3,
  /// and nothing changes.
  @Test func aReadOnlyRoleBrowsesAndEveryWriteIsRefused() throws {
    let server = try PostgresTestServer.shared.get()
    let cli = try Self.runner()
    let url = try server.createDatabase()
    let database = PostgresTestServer.database(in: url)
    #expect(try cli.run(["sql", "--catalog", url], stdin: "CREATE CONNECTION kept WITH ('type' = 'default', 'region' = 'eu')").status == 0)
    let reader = "reader_\(database)"
    try server.psql("CREATE ROLE \(reader) LOGIN", database: database)
    try server.psql("GRANT USAGE ON SCHEMA switchboard TO \(reader); GRANT SELECT ON ALL TABLES IN SCHEMA switchboard TO \(reader)", database: database)
    let readOnly = server.url(database: database, user: reader)
    let shown = try cli.run(["sql", "--catalog", readOnly], stdin: "SHOW CONNECTIONS; DESCRIBE CONNECTION kept")
    #expect(shown.status == 0, "\(shown.stderr)")
    #expect(shown.stdout.contains("kept"))
    for write in [
      "CREATE CONNECTION n WITH ('region' = 'x')", "ALTER CONNECTION kept SET ('region' = 'us')", "ALTER CONNECTION kept RENAME TO k2",
      "DROP CONNECTION kept", "CREATE DATABASE d", "CREATE CATALOG c",
    ] {
      let run = try cli.run(["sql", "--catalog", readOnly], stdin: write)
      #expect(run.status == 3, "\(write): \(run.stderr)")
      #expect(run.stderr.contains("read-only"), "\(write): \(run.stderr)")
    }
    let after = try cli.run(["sql", "--catalog", url, "--format", "csv"], stdin: "DESCRIBE CONNECTION EXTENDED kept")
    #expect(after.stdout.contains("option:region,eu"))
    #expect(after.stdout.contains("version,1"))
  }
}
