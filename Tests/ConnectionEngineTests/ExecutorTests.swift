import ConnectionEngine
import Foundation
import Testing

@Suite struct ExecutorTests {
  let key = [UInt8](repeating: 7, count: 32)

  @Test(arguments: Backend.all) func createDescribeShowCreateAndList(backend: Backend) throws {
    let catalog = try TestCatalog(masterKey: key, backend: backend)
    let engine = try catalog.engine()
    try engine.must("""
      CREATE CONNECTION openai_prod COMMENT 'prod ''main''' WITH (
        'type' = 'OpenAI', 'endpoint' = 'https://api.openai.com/v1', 'api-key' = 'sk-fake-1');
      CREATE CONNECTION mongo WITH ('type'='mongodb','endpoint'='mongodb://db:27017','username'='u','password'='p')
      """)
    let show = try engine.must("SHOW CONNECTIONS")[0]
    #expect(show.columns == ["connection name"])
    #expect(show.rows == [["mongo"], ["openai_prod"]])

    let describe = try engine.must("DESC CONNECTION openai_prod")[0]
    #expect(describe.columns == ["name", "value"])
    #expect(describe.rows == [
      ["type", "openai"], ["option:endpoint", "https://api.openai.com/v1"], ["secret:api-key", "******"],
      ["comment", "prod 'main'"], ["temporary", "false"],
    ])
    let create = try engine.must("SHOW CREATE CONNECTION default_catalog.default_database.openai_prod")[0]
    #expect(create.columns == ["result"])
    #expect(create.rows[0][0] == """
      CREATE CONNECTION `default_catalog`.`default_database`.`openai_prod`
      COMMENT 'prod ''main'''
      WITH (
        'api-key' = '******',
        'endpoint' = 'https://api.openai.com/v1',
        'type' = 'openai'
      )

      """)
    #expect(try engine.verifySecrets() == 3)
  }

  @Test(arguments: Backend.all) func defaultTypeTakesAnyKeyAndHidesSecretLookingOnes(backend: Backend) throws {
    let catalog = try TestCatalog(masterKey: key, backend: backend)
    let engine = try catalog.engine()
    // Only keys on the public list are shown; any other key is secret (fail closed).
    try engine.must("CREATE CONNECTION g WITH ('region' = 'v', 'k' = 'v2', 'password' = 'x', 'db.passwd' = 'y', 'client_secret' = 'z', 'ap-key' = 'w')")
    let rows = try engine.must("DESCRIBE CONNECTION g")[0].rows
    #expect(rows == [
      ["type", "default"], ["option:region", "v"], ["secret:ap-key", "******"], ["secret:client_secret", "******"],
      ["secret:db.passwd", "******"], ["secret:k", "******"], ["secret:password", "******"], ["temporary", "false"],
    ])
  }

  @Test(arguments: Backend.all) func typeAndKeyErrorsSuggestFixes(backend: Backend) throws {
    let engine = try TestCatalog(masterKey: key, backend: backend).engine()
    let unknownType = engine.failure("CREATE CONNECTION c WITH ('type' = 'opnai', 'endpoint' = 'e', 'api-key' = 'k')")
    #expect(unknownType?.message == "Unknown connection type 'opnai'; did you mean 'openai'?")
    let nearMiss = engine.failure("CREATE CONNECTION c WITH ('type' = 'openai', 'endpoint' = 'e', 'api_key' = 'SECRETVALUE')")
    #expect(nearMiss?.message.contains("Unknown option 'api_key'; did you mean 'api-key'?") == true)
    #expect(nearMiss?.message.contains("SECRETVALUE") == false)
    let missing = engine.failure("CREATE CONNECTION c WITH ('type' = 'bedrock', 'endpoint' = 'e', 'aws-access-key' = 'a')")
    #expect(missing?.message.contains("Incomplete credentials: also set 'aws-secret-key'.") == true)
    let rest = engine.failure("CREATE CONNECTION c WITH ('type' = 'rest', 'endpoint' = 'e', 'client-id' = 'a')")
    #expect(rest?.message.contains("Incomplete credentials: also set 'token-endpoint', 'client-secret', 'scope'.") == true)
    #expect(try engine.connections().isEmpty)
  }

  @Test(arguments: Backend.all) func alterSetResetRenameAndRules(backend: Backend) throws {
    let catalog = try TestCatalog(masterKey: key, backend: backend)
    let engine = try catalog.engine()
    try engine.must("CREATE CONNECTION r WITH ('type'='rest','endpoint'='https://a','token'='t1')")
    try engine.must("ALTER CONNECTION r SET ('endpoint' = 'https://b', 'username' = 'u', 'password' = 'p')")
    var r = try engine.connection(ObjectName(["r"]))
    #expect(r.options == ["endpoint": "https://b"])
    #expect(r.secretKeys == ["password", "token", "username"])
    #expect(r.version == 2)
    try engine.must("ALTER CONNECTION r RESET ('token', 'not-there')")
    r = try engine.connection(ObjectName(["r"]))
    #expect(r.secretKeys == ["password", "username"])
    #expect(r.version == 3)
    #expect(engine.failure("ALTER CONNECTION r SET ('type' = 'openai')")?.message == "The type of a connection cannot change (it is 'rest').")
    #expect(engine.failure("ALTER CONNECTION r RESET ('endpoint')")?.message == "Option 'endpoint' is required by type 'rest' and cannot be reset.")
    #expect(engine.failure("ALTER CONNECTION r RESET ('password')")?.message.contains("Incomplete credentials") == true)
    try engine.must("ALTER CONNECTION r RENAME TO r2")
    #expect(try engine.must("SHOW CONNECTIONS")[0].rows == [["r2"]])
    #expect(engine.failure("ALTER CONNECTION r SET ('endpoint' = 'x')")?.code == .notFound)
    try engine.must("ALTER CONNECTION IF EXISTS r SET ('endpoint' = 'x')")
    #expect(engine.failure("ALTER CONNECTION r2 RENAME TO other_db.r3")?.code == .validation)
    #expect(try engine.verifySecrets() == 2)
    try engine.must("DROP CONNECTION r2")
    #expect(try engine.verifySecrets() == 0)
    #expect(engine.failure("DROP CONNECTION r2")?.code == .notFound)
    try engine.must("DROP CONNECTION IF EXISTS r2")
  }

  @Test(arguments: Backend.all) func namesResolveAgainstNamespaces(backend: Backend) throws {
    let engine = try TestCatalog(masterKey: key, backend: backend).engine()
    try engine.must("""
      CREATE CATALOG cat1; CREATE DATABASE cat1.db1; CREATE DATABASE IF NOT EXISTS cat1.db1;
      CREATE CONNECTION cat1.db1.c WITH ('k' = 'v');
      USE CATALOG cat1; USE db1; CREATE CONNECTION d WITH ('k' = 'v')
      """)
    #expect(try engine.must("SHOW CONNECTIONS")[0].rows == [["c"], ["d"]])
    #expect(try engine.must("SHOW CONNECTIONS FROM default_catalog.default_database")[0].rows == [])
    #expect(try engine.must("SHOW CURRENT CATALOG; SHOW CURRENT DATABASE").map(\.rows) == [[["cat1"]], [["db1"]]])
    #expect(try engine.must("SHOW CATALOGS")[0].rows == [["cat1"], ["default_catalog"]])
    #expect(try engine.must("SHOW DATABASES")[0].rows == [["db1"], ["default"]])
    #expect(try engine.must("SHOW CONNECTIONS LIKE 'c%'; SHOW CONNECTIONS NOT LIKE 'c%'").map(\.rows) == [[["c"]], [["d"]]])
    #expect(engine.failure("CREATE CONNECTION a.b.c.d WITH ('k'='v')")?.message == "Object identifier must consist of 1 to 3 parts (got 4).")
    #expect(engine.failure("CREATE CONNECTION nope.db.c WITH ('k'='v')")?.message == "Catalog 'nope' does not exist.")
    #expect(engine.failure("CREATE CONNECTION nope.c WITH ('k'='v')")?.message == "Database 'cat1.nope' does not exist.")
    #expect(engine.failure("CREATE CONNECTION `  ` WITH ('k'='v')")?.message == "Name parts cannot be empty or blank.")
    #expect(engine.failure("DROP DATABASE cat1.db1")?.code == .validation)
    try engine.must("USE CATALOG default_catalog; DROP DATABASE cat1.db1 CASCADE")
    #expect(try engine.databaseNames(in: "cat1") == ["default"])
  }

  @Test(arguments: Backend.all) func temporaryConnectionsLiveWithTheEngine(backend: Backend) throws {
    let catalog = try TestCatalog(masterKey: key, backend: backend)
    let engine = try catalog.engine()
    try engine.must("""
      CREATE TEMPORARY CONNECTION t WITH ('type'='default','region'='v','password'='super-secret');
      CREATE TEMPORARY CONNECTION IF NOT EXISTS t WITH ('k'='other')
      """)
    #expect(try engine.must("DESCRIBE CONNECTION t")[0].rows == [
      ["type", "default"], ["option:region", "v"], ["secret:password", "******"], ["temporary", "true"],
    ])
    #expect(engine.failure("CREATE TEMPORARY CONNECTION t WITH ('k'='v')")?.message == "Temporary connection default_catalog.default_database.t already exists.")
    #expect(engine.failure("DROP TEMPORARY SYSTEM CONNECTION t")?.message == "DROP TEMPORARY SYSTEM CONNECTION is not supported yet.")
    #expect(try catalog.engine().connections().isEmpty)
    try engine.must("DROP TEMPORARY CONNECTION t")
    #expect(try engine.connections().isEmpty)
  }

  @Test(arguments: Backend.all) func duplicateKeysLastWinsAsInFlink(backend: Backend) throws {
    let engine = try TestCatalog(masterKey: key, backend: backend).engine()
    try engine.must("CREATE CONNECTION c WITH ('region' = 'first', 'region' = 'second')")
    #expect(try engine.connection(ObjectName(["c"])).options == ["region": "second"])
  }

  @Test(arguments: Backend.all) func syntaxErrorsRunNothingAndKeepPosition(backend: Backend) throws {
    let engine = try TestCatalog(masterKey: key, backend: backend).engine()
    let error = engine.failure("CREATE CONNECTION a WITH ('k'='v');\nCREATE CONNECTION b WITH ('k' 'v')")
    #expect(error?.code == .syntax)
    #expect(error?.location == SourceLocation(line: 2, column: 34))
    #expect(try engine.connections().isEmpty)
  }

  @Test(arguments: Backend.all) func staleVersionIsAConflict(backend: Backend) throws {
    let catalog = try TestCatalog(masterKey: key, backend: backend)
    let first = try catalog.engine()
    let second = try catalog.engine()
    try first.must("CREATE CONNECTION c WITH ('type'='openai','endpoint'='e','api-key'='k1')")
    let loaded = try second.connection(ObjectName(["c"])).version
    try first.execute("ALTER CONNECTION c SET ('api-key' = 'k2')", expectedVersion: loaded)
    let conflict = second.failure("ALTER CONNECTION c SET ('api-key' = 'k3')", expectedVersion: loaded)
    #expect(conflict?.code == .conflict)
    #expect(conflict?.message.contains("was changed by tester\(backend == .postgresql ? " (role switchboard_admin)" : "") at ") == true, "\(conflict?.message ?? "")")
    #expect(try second.connection(ObjectName(["c"])).version == 2)
  }

  @Test(arguments: Backend.all) func historyIsMaskedWithUserAndOutcome(backend: Backend) throws {
    let engine = try TestCatalog(masterKey: key, backend: backend).engine()
    try engine.must("CREATE CONNECTION c WITH ('type'='openai','endpoint'='https://e','api-key'='sk-hist-canary')")
    _ = engine.failure("ALTER CONNECTION c SET ('api-key' = 'sk-hist-canary2', 'bogus' = 'x')")
    let history = try engine.history()
    #expect(history.map(\.outcome) == ["ok", "error"])
    // The OS user, and on a server the database role beside it.
    #expect(history[0].user == (backend == .postgresql ? "tester (role switchboard_admin)" : "tester"))
    #expect(history[0].statement == "CREATE CONNECTION c WITH ('type'='openai','endpoint'='https://e','api-key'='******')")
    #expect(!history.contains { $0.statement.contains("canary") || ($0.message ?? "").contains("canary") })
  }
}

/// Secrets' age: set when a value is set, kept by public changes and by re-sealing under a new key.
@Suite struct SecretAgeTests {
  @Test(arguments: Backend.all) func secretAgeFollowsTheValuesOnly(backend: Backend) throws {
    let catalog = try TestCatalog(masterKey: [UInt8](repeating: 7, count: 32), backend: backend)
    let engine = try catalog.engine()
    let before = Date().timeIntervalSince1970
    try engine.must("CREATE CONNECTION a WITH ('type' = 'openai', 'endpoint' = 'https://x', 'api-key' = 'k1'); CREATE CONNECTION b WITH ('region' = 'eu')")
    let created = try #require(try engine.connections().first { $0.name == "a" }?.secretsChangedAt)
    #expect(created >= before - 1 && created <= Date().timeIntervalSince1970 + 1)
    #expect(try engine.connections().first { $0.name == "b" }?.secretsChangedAt == nil)
    #expect(try engine.connections().first { $0.name == "a" }?.secretAgeDays(now: created + 3 * 86_400 + 5) == 3)

    usleep(20_000)
    try engine.must("ALTER CONNECTION a SET ('endpoint' = 'https://y')")
    #expect(try engine.connections().first { $0.name == "a" }?.secretsChangedAt == created)
    try engine.rekey(newMasterKey: [UInt8](repeating: 9, count: 32))
    catalog.environment["SWITCHBOARD_MASTER_KEY"] = Data([UInt8](repeating: 9, count: 32)).base64EncodedString()
    let rekeyed = try catalog.engine()
    #expect(try rekeyed.connections().first { $0.name == "a" }?.secretsChangedAt == created)
    try rekeyed.must("ALTER CONNECTION a SET ('api-key' = 'k2')")
    #expect((try rekeyed.connections().first { $0.name == "a" }?.secretsChangedAt ?? 0) > created)
  }
}
