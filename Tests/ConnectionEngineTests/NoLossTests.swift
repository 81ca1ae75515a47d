import ConnectionEngine
import Foundation
import GRDB
import PostgresTestServer
import Testing

/// Nothing is silently lost or landed in the wrong place: NUL, identities, DROP CATALOG, catalog
/// locations, DROP without the key, pasted masks, file modes, record lengths, DESCRIBE's cost.
@Suite struct NoLossTests {
  let key: [UInt8] = Array(repeating: 7, count: 32)

  @Test(arguments: Backend.all) func nulInNamesKeysAndCommentsIsRefusedAndChangesNothing(backend: Backend) throws {
    let engine = try TestCatalog(masterKey: key, backend: backend).engine()
    try engine.must("CREATE CONNECTION prod WITH ('type' = 'default', 'region' = 'eu', 'api-key' = 'k')")
    for statement in [
      "DROP CONNECTION U&\"prod\\0000_x\"", "CREATE CONNECTION U&\"a\\0000b\" WITH ('region' = 'x')",
      "ALTER CONNECTION prod SET (U&'api-key\\0000x' = 'v')", "ALTER CONNECTION prod RESET (U&'api-key\\0000x')",
      "ALTER CONNECTION prod RENAME TO U&\"p\\0000q\"", "CREATE CONNECTION n COMMENT 'a\u{0}b' WITH ('region' = 'x')",
      "CREATE DATABASE U&\"d\\0000b\"", "CREATE CATALOG U&\"c\\0000b\"",
    ] {
      let error = engine.failure(statement)
      #expect(error?.code == .validation, "\(statement)")
      #expect(error?.message.contains("NUL") == true, "\(statement): \(error?.message ?? "")")
    }
    #expect(try engine.connections().map(\.name) == ["prod"])
    #expect(try engine.connection(ObjectName(["prod"])).secretKeys == ["api-key"])
    #expect(try engine.verifySecrets() == 1)
  }

  @Test(arguments: Backend.all) func nulInAPublicValueIsRefusedAndItsHistoryIsKeptWhole(backend: Backend) throws {
    let engine = try TestCatalog(masterKey: key, backend: backend).engine()
    try engine.must("CREATE CONNECTION prod WITH ('type' = 'default', 'region' = 'eu', 'api-key' = 'k')")
    let statements = [
      "CREATE CONNECTION a WITH ('type' = 'openai', 'endpoint' = 'b\u{0}tail1', 'api-key' = 'nul-canary-1')",
      "CREATE CONNECTION a WITH ('type' = 'default', 'region' = U&'r\\0000tail2', 'api-key' = 'nul-canary-2')",
      "ALTER CONNECTION prod SET ('region' = 'x\u{0}tail3', 'api-key' = 'nul-canary-3')",
    ]
    for statement in statements {
      let error = engine.failure(statement)
      #expect(error?.code == .validation, "\(statement)")
      #expect(error?.message.contains("NUL") == true, "\(statement): \(error?.message ?? "")")
    }
    #expect(try engine.connections().map(\.name) == ["prod"])
    #expect(try engine.connection(ObjectName(["prod"])).options["region"] == "eu")
    // Each refused statement is in the history to its end (masked), not cut at the NUL.
    let refused = try engine.history().filter { $0.outcome == "error" }.map(\.statement)
    #expect(refused.count == 3)
    for (i, text) in refused.enumerated() {
      #expect(text.hasSuffix("'api-key' = '******')"), "\(text)")
      #expect(!text.utf8.contains(0) && !text.contains("nul-canary"), "\(text)")
      if text.contains("tail") { #expect(text.contains("\\x00tail\(i + 1)"), "\(text)") }
    }
    // A secret may hold a NUL: it is sealed as bytes, never read as a C string.
    try engine.must("ALTER CONNECTION prod SET ('api-key' = 'k\u{0}k')")
    #expect(try engine.verifySecrets() == 1)
  }

  @Test(arguments: Backend.all) func aStaleVersionNeverLandsOnARecreatedConnection(backend: Backend) throws {
    let catalog = try TestCatalog(masterKey: key, backend: backend)
    let engine = try catalog.engine()
    try engine.must("CREATE CONNECTION a WITH ('type' = 'default', 'region' = 'eu', 'api-key' = 'one')")
    let loaded = try engine.connection(ObjectName(["a"])).version
    // Renamed away and re-created under the same name.
    try engine.must("ALTER CONNECTION a RENAME TO b; CREATE CONNECTION a WITH ('type' = 'default', 'region' = 'us')")
    #expect(try engine.connection(ObjectName(["a"])).version != loaded)
    #expect(engine.failure("ALTER CONNECTION a SET ('api-key' = 'typed')", expectedVersion: loaded)?.code == .conflict)
    // Dropped and re-created, many times: versions never come back.
    var seen: Set<Int64> = [loaded]
    for _ in 0..<20 {
      let version = try engine.connection(ObjectName(["a"])).version
      #expect(seen.insert(version).inserted)
      try engine.must("DROP CONNECTION a; CREATE CONNECTION a WITH ('type' = 'default', 'region' = 'us')")
    }
    #expect(engine.failure("DROP CONNECTION a", expectedVersion: loaded)?.code == .conflict)
    // A temporary connection of the same name gets a version no permanent one had.
    let permanent = try engine.connection(ObjectName(["a"])).version
    try engine.must("CREATE TEMPORARY CONNECTION a WITH ('region' = 'x')")
    #expect(try engine.connection(ObjectName(["a"])).version > permanent)
    try engine.must("DROP TEMPORARY CONNECTION a")
    #expect(try engine.connection(ObjectName(["a"])).version == permanent)
    #expect(try engine.connection(ObjectName(["b"])).secretKeys == ["api-key"])
  }

  @Test func idsAreNotReusedSoAnOldSealedRecordNeverOpensForANewConnection() throws {
    let catalog = try TestCatalog(masterKey: key)
    let engine = try catalog.engine()
    try engine.must("CREATE CONNECTION a WITH ('type' = 'default', 'api-key' = 'old-secret')")
    let queue = try DatabaseQueue(path: catalog.path)
    let old = try queue.read { db in try Row.fetchOne(db, sql: "SELECT connection_id, key, version, sealed, format FROM secrets")! }
    try engine.must("DROP CONNECTION a; CREATE CONNECTION a WITH ('type' = 'default', 'region' = 'eu')")
    let newID = try queue.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM connections WHERE name = 'a'")! }
    #expect(newID != old["connection_id"] as Int64)
    // Replaying the old record onto the new connection: it does not open.
    try queue.write { db in
      try db.execute(sql: "INSERT INTO secrets (connection_id, key, version, sealed, format) VALUES (?, ?, ?, ?, ?)",
        arguments: [newID, old["key"] as String, old["version"] as Int64, old["sealed"] as Data, old["format"] as Int])
    }
    #expect(throws: EngineError.self) { try engine.verifySecrets() }
  }

  @Test func sealedRecordsDoNotRevealTheSecretsLength() throws {
    let catalog = try TestCatalog(masterKey: key)
    let engine = try catalog.engine()
    try engine.must("CREATE CONNECTION a WITH ('type' = 'default', 'k1' = 'x', 'k2' = '\(String(repeating: "y", count: 100))')")
    let sizes = try DatabaseQueue(path: catalog.path).read { db in try Int.fetchAll(db, sql: "SELECT length(sealed) FROM secrets") }
    #expect(sizes.count == 2)
    #expect(Set(sizes).count == 1, "\(sizes)")
  }

  @Test(arguments: Backend.all) func dropCatalogRefusesWhileItHoldsConnections(backend: Backend) throws {
    let engine = try TestCatalog(masterKey: key, backend: backend).engine()
    try engine.must("CREATE CATALOG cat; CREATE CONNECTION cat.`default`.c WITH ('type' = 'default', 'api-key' = 'k')")
    let error = engine.failure("DROP CATALOG cat")
    #expect(error?.code == .validation)
    #expect(error?.message.contains("still holds 1 connection") == true)
    #expect(try engine.connection(ObjectName(["cat", "default", "c"])).secretKeys == ["api-key"])
    try engine.must("DROP DATABASE cat.`default` CASCADE; DROP CATALOG cat")
    #expect(try engine.catalogNames() == ["default_catalog"])
  }

  @Test func dropWorksWithoutTheMasterKeyAndRemovesTheSealedBytes() throws {
    let catalog = try TestCatalog(masterKey: key)
    try catalog.engine().must("CREATE CONNECTION c WITH ('type' = 'openai', 'endpoint' = 'https://e', 'api-key' = 'k')")
    let keyless = try Engine(catalogPath: catalog.path, environment: catalog.environment.filter { $0.key != "SWITCHBOARD_MASTER_KEY" })
    try keyless.must("DROP CONNECTION c")
    #expect(try DatabaseQueue(path: catalog.path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM secrets") } == 0)
  }

  @Test(arguments: Backend.all) func aPastedMaskIsNotASecret(backend: Backend) throws {
    let engine = try TestCatalog(masterKey: key, backend: backend).engine()
    try engine.must("CREATE CONNECTION c WITH ('type' = 'openai', 'endpoint' = 'https://e', 'api-key' = 'real')")
    let shown = try engine.must("SHOW CREATE CONNECTION c")[0].rows[0][0]
    // Running SHOW CREATE's output again would set every secret to the mask: refused.
    let again = engine.failure(shown.replacingOccurrences(of: "CREATE CONNECTION", with: "CREATE OR REPLACE CONNECTION IF NOT EXISTS"))
    #expect(again == nil || again?.message.contains("mask") == true)
    for value in ["******", " ****** ", "••••••", "********"] {
      #expect(engine.failure("ALTER CONNECTION c SET ('api-key' = '\(value)')")?.message.contains("mask") == true, "\(value)")
    }
    #expect(engine.failure("CREATE CONNECTION d WITH ('type' = 'openai', 'endpoint' = 'https://e', 'api-key' = '******')")?.code == .validation)
    try engine.must("ALTER CONNECTION c SET ('api-key' = 'pass*word')")
  }

  @Test(arguments: Backend.all) func credentialsInPublicValuesAreRefusedNamingTheKeysToUse(backend: Backend) throws {
    let engine = try TestCatalog(masterKey: key, backend: backend).engine()
    let error = engine.failure("CREATE CONNECTION m WITH ('type' = 'mongodb', 'endpoint' = 'mongodb+srv://admin:pw@h', 'username' = 'u', 'password' = 'p')")
    #expect(error?.message.contains("'username' and 'password'") == true)
    #expect(error?.message.contains("pw@") == false)
    try engine.must("CREATE CONNECTION m WITH ('type' = 'mongodb', 'endpoint' = 'mongodb+srv://h.example/db?retryWrites=true&authSource=admin', 'username' = 'u', 'password' = 'p')")
    #expect(engine.failure("ALTER CONNECTION m SET ('endpoint' = 'https://h/?api_key=x')")?.code == .validation)
    let named = engine.failure("ALTER CONNECTION m SET ('endpoint' = 'https://h/?x-token-NameCanary7Qz=1')")
    #expect(named?.code == .validation)
    #expect(named?.message.contains("NameCanary") == false)
    #expect(engine.failure("CREATE CATALOG k WITH ('endpoint' = 'https://u:p@h')")?.code == .validation)
    #expect(engine.failure("CREATE CATALOG k WITH ('token' = 'x')")?.code == .validation)
  }

  @Test func catalogLocationsThatAreNotFilesAreRefused() throws {
    let folder = try TestCatalog()
    for location in ["", "  ", ":memory:", "file:x.sqlite?mode=memory", "file::memory:", "mysql://h/db", folder.directory.path]
    {
      #expect(throws: EngineError.self, "\(location)") { try Engine(catalogPath: location, environment: folder.environment) }
    }
    #expect(!FileManager.default.fileExists(atPath: "postgresql:"))
  }

  @Test func catalogFilesArePrivate() throws {
    let catalog = try TestCatalog(masterKey: key)
    try catalog.engine().must("CREATE CONNECTION c WITH ('type' = 'default', 'api-key' = 'k')")
    let engine = try catalog.engine()  // keeps the WAL and SHM open
    _ = try engine.connections()
    for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: catalog.path + suffix) {
      let mode = try FileManager.default.attributesOfItem(atPath: catalog.path + suffix)[.posixPermissions] as! Int
      #expect(mode & 0o077 == 0, "\(suffix): \(String(mode, radix: 8))")
    }
    // A catalog made readable by others is made private again on open.
    chmod(catalog.path, 0o644)
    _ = try catalog.engine()
    let mode = try FileManager.default.attributesOfItem(atPath: catalog.path)[.posixPermissions] as! Int
    #expect(mode == 0o600)
  }

  @Test func aKeyFolderOthersCanWriteIsRefused() throws {
    let catalog = try TestCatalog()
    try catalog.engine().must("CREATE CONNECTION c WITH ('type' = 'default', 'api-key' = 'k')")
    let folder = catalog.directory.appendingPathComponent("config/switchboard").path
    chmod(folder, 0o777)
    let error = try catalog.engine().failure("ALTER CONNECTION c SET ('api-key' = 'k2')")
    #expect(error?.code == .secrets)
    #expect(error?.message.contains("key folder") == true)
    chmod(folder, 0o700)
    try catalog.engine().must("ALTER CONNECTION c SET ('api-key' = 'k2')")
  }

  @Test(arguments: Backend.all) func describeIsLinearInTheNumberOfOptions(backend: Backend) throws {
    let engine = try TestCatalog(masterKey: key, backend: backend).engine()
    let options = (0..<16_000).map { "'region.\($0)' = 'v'" }.joined(separator: ", ")
    try engine.must("CREATE CONNECTION wide WITH (\(options))")
    let start = Date()
    let rows = try engine.must("DESCRIBE CONNECTION wide")[0].rows
    let summary = try engine.connection(ObjectName(["wide"]))
    _ = Engine.describeRows(for: summary)
    #expect(rows.count == 16_002)
    #expect(Date().timeIntervalSince(start) < 5, "16,000 options took \(Date().timeIntervalSince(start)) s")
  }

  /// Quotes are doubled per Unicode scalar, as Flink does: a quote followed by a combining mark
  /// (one grapheme) still round-trips through SHOW CREATE and the printer.
  @Test(arguments: Backend.all) func aQuoteBeforeACombiningMarkRoundTrips(backend: Backend) throws {
    let engine = try TestCatalog(masterKey: key, backend: backend).engine()
    let value = "it'\u{301}s ''\u{301}"
    try engine.must("CREATE CONNECTION q COMMENT \(quoteLiteral(value)) WITH ('region' = \(quoteLiteral(value)))")
    #expect(try engine.connection(ObjectName(["q"])).options == ["region": value])
    let shown = try engine.must("SHOW CREATE CONNECTION q")[0].rows[0][0]
    try engine.must("DROP CONNECTION q; " + shown)
    let again = try engine.connection(ObjectName(["q"]))
    #expect(again.options == ["region": value])
    #expect(again.comment == value)
  }

  /// SQLite only: a server keeps its own logs and WAL, out of Switchboard's reach.
  @Test func historyCanBePurgedAndTheTextIsGoneFromTheFiles() throws {
    let catalog = try TestCatalog(masterKey: key)
    let engine = try catalog.engine()
    let marker = "PurgeMarker5Kq8Zr"
    try engine.must("CREATE CONNECTION \(marker) WITH ('region' = 'eu')")
    try engine.must("DROP CONNECTION \(marker)")
    #expect(try catalog.allFileBytes().contains { $0.1.range(of: Data(marker.utf8)) != nil })
    #expect(try engine.purgeHistory() == 2)
    #expect(try engine.history().map(\.statement) == ["-- history purge"])
    // The tombstone names it too, until versions are purged.
    #expect(try catalog.allFileBytes().contains { $0.1.range(of: Data(marker.utf8)) != nil })
    #expect(try engine.purge(nil, keep: 0) == PurgeResult(versions: 2, sealedSecrets: 0))
    for (file, bytes) in try catalog.allFileBytes() {
      #expect(bytes.range(of: Data(marker.utf8)) == nil, "\(file)")
    }
  }
}

/// A PostgreSQL database whose schema is not ours, or is a newer Switchboard's, is refused with a
/// clear message and left as it was; two first starts at once make one catalog.
@Suite struct PostgresSchemaTests {
  @Test func aForeignOrNewerSchemaIsRefusedAndLeftAlone() throws {
    let server = try PostgresTestServer.shared.get()
    let url = try server.createDatabase()
    let database = PostgresTestServer.database(in: url)
    try server.psql("CREATE SCHEMA switchboard; CREATE TABLE switchboard.accounts (id int); INSERT INTO switchboard.accounts VALUES (7)", database: database)
    let environment = ["SWITCHBOARD_MASTER_KEY": Data(repeating: 7, count: 32).base64EncodedString(), "USER": "tester"]
    let foreign = #expect(throws: EngineError.self) { try Engine(catalogPath: url, environment: environment) }
    #expect(foreign?.message.contains("belongs to something else") == true, "\(foreign?.message ?? "")")
    #expect(try server.psql("SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'switchboard'", database: database).trimmingCharacters(in: .whitespacesAndNewlines) == "accounts")

    // Another schema of the same database holds the catalog; a newer Switchboard's is refused.
    let other = url + "&schema=team_a"
    _ = try Engine(catalogPath: other, environment: environment)
    try server.psql("UPDATE team_a.meta SET number = 99 WHERE key = 'schema_version'", database: database)
    let newer = #expect(throws: EngineError.self) { try Engine(catalogPath: other, environment: environment) }
    #expect(newer?.message.contains("newer Switchboard") == true, "\(newer?.message ?? "")")
  }

  /// A catalog of schema version 1 (before secret ages) is upgraded on open: the column added,
  /// older secrets dated from their connection's creation, the version written.
  @Test func aVersionOneCatalogIsUpgraded() throws {
    let server = try PostgresTestServer.shared.get()
    let url = try server.createDatabase()
    let database = PostgresTestServer.database(in: url)
    let environment = ["SWITCHBOARD_MASTER_KEY": Data(repeating: 7, count: 32).base64EncodedString(), "USER": "tester"]
    try Engine(catalogPath: url, environment: environment).execute("CREATE CONNECTION c WITH ('type' = 'openai', 'endpoint' = 'https://x', 'api-key' = 'k')")
    try server.psql("ALTER TABLE switchboard.secrets DROP COLUMN sealed_at; DROP TABLE switchboard.versions, switchboard.sealed_versions; UPDATE switchboard.meta SET number = 1 WHERE key = 'schema_version'; UPDATE switchboard.connections SET created_at = 1000", database: database)
    let engine = try Engine(catalogPath: url, environment: environment)
    #expect(try engine.connections().first?.secretsChangedAt == 1000)
    #expect(try server.psql("SELECT number FROM switchboard.meta WHERE key = 'schema_version'", database: database).trimmingCharacters(in: .whitespacesAndNewlines) == "3")
    try engine.must("ALTER CONNECTION c SET ('endpoint' = 'https://y')")
    #expect(try engine.versions(of: ObjectName(["c"])).count == 2)
    try engine.execute("ALTER CONNECTION c SET ('api-key' = 'k2')")
    #expect((try engine.connections().first?.secretsChangedAt ?? 0) > 1000)
  }

  @Test func twoFirstStartsAtOnceMakeOneCatalog() throws {
    let server = try PostgresTestServer.shared.get()
    let url = try server.createDatabase()
    let environment = ["SWITCHBOARD_MASTER_KEY": Data(repeating: 7, count: 32).base64EncodedString(), "USER": "tester"]
    let group = DispatchGroup()
    let lock = NSLock()
    nonisolated(unsafe) var failures: [String] = []
    for i in 0..<6 {
      DispatchQueue.global().async(group: group) {
        do {
          try Engine(catalogPath: url, environment: environment).execute("CREATE CONNECTION c\(i) WITH ('region' = 'eu')")
        } catch {
          lock.withLock { failures.append("\(error)") }
        }
      }
    }
    group.wait()
    #expect(failures.isEmpty, "\(failures)")
    #expect(try Engine(catalogPath: url, environment: environment).connections().count == 6)
    let salts = try server.psql("SELECT count(*) FROM switchboard.meta WHERE key = 'salt'", database: PostgresTestServer.database(in: url))
    #expect(salts.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
  }
}
