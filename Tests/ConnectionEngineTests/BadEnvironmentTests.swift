import ConnectionEngine
import Foundation
import Testing

/// Broken, foreign or read-only files and missing or wrong keys: a clear error, nothing changed.
@Suite struct BadEnvironmentTests {
  let key = [UInt8](repeating: 1, count: 32)

  @Test func fileThatIsNotSQLite() throws {
    let catalog = try TestCatalog(masterKey: key)
    let junk = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    try junk.write(to: URL(fileURLWithPath: catalog.path))
    #expect {
      try catalog.engine()
    } throws: { error in
      (error as? EngineError)?.message.contains("is not a Switchboard catalog") == true
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: catalog.path)) == junk)
  }

  @Test func sqliteFileOfAnotherProgram() throws {
    let catalog = try TestCatalog(masterKey: key)
    try sqlite(catalog.path, "CREATE TABLE notes(x); INSERT INTO notes VALUES ('mine');")
    let before = try Data(contentsOf: URL(fileURLWithPath: catalog.path))
    #expect {
      try catalog.engine()
    } throws: { error in
      (error as? EngineError)?.message.contains("belongs to another program") == true
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: catalog.path)) == before)
  }

  /// A first start killed after GRDB made its migrations table and before the first migration
  /// committed leaves only that table, empty: the next start finishes the catalog. With a row
  /// in it, or any other table, the file is not ours.
  @Test func aFirstStartKilledBeforeItsFirstMigrationIsFinishedNextTime() throws {
    let killed = try TestCatalog(masterKey: key)
    try sqlite(killed.path, "PRAGMA journal_mode = WAL; CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);")
    try killed.engine().must("CREATE CONNECTION c WITH ('k' = 'v')")
    #expect(try killed.engine().must("SHOW CONNECTIONS")[0].rows == [["c"]])

    let foreign = try TestCatalog(masterKey: key)
    try sqlite(foreign.path, "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY); INSERT INTO grdb_migrations VALUES ('theirs');")
    #expect {
      try foreign.engine()
    } throws: { error in
      (error as? EngineError)?.message.contains("belongs to another program") == true
    }
  }

  /// A catalog that an earlier Switchboard left before its last migration (here: before the
  /// versions tables) is finished on open, whichever command opens it.
  @Test func aCatalogBeforeItsLastMigrationIsFinishedOnOpen() throws {
    let catalog = try TestCatalog(masterKey: key)
    try catalog.engine().must("CREATE CONNECTION c WITH ('k' = 'v')")
    try sqlite(catalog.path, "DROP TABLE versions; DROP TABLE sealed_versions; DELETE FROM grdb_migrations WHERE identifier = 'v5';")
    _ = try catalog.engine()
    #expect(try sqlite(catalog.path, "SELECT group_concat(identifier) FROM grdb_migrations; SELECT count(*) FROM sqlite_master WHERE name IN ('versions', 'sealed_versions');") == ["v1,v2,v3,v4,v5", "2"])
  }

  @Test func readOnlyCatalogBrowsesButDoesNotWrite() throws {
    let catalog = try TestCatalog(masterKey: key)
    try catalog.engine().must("CREATE CONNECTION c WITH ('k' = 'v')")
    try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: catalog.path)
    defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: catalog.path) }
    // root ignores file modes: make the file immutable instead (chattr, as root can).
    if FileManager.default.isWritableFile(atPath: catalog.path) {
      try #require(runTool("chattr", "+i", catalog.path), "cannot make a read-only file here (root, and no chattr)")
    }
    defer { _ = runTool("chattr", "-i", catalog.path) }
    let before = try Data(contentsOf: URL(fileURLWithPath: catalog.path))
    let engine = try catalog.engine()
    #expect(try engine.must("SHOW CONNECTIONS")[0].rows == [["c"]])
    let error = engine.failure("DROP CONNECTION c")
    #expect(error?.code == .storage)
    #expect(error?.message.contains("read-only") == true)
    #expect(try Data(contentsOf: URL(fileURLWithPath: catalog.path)) == before)
  }

  @Test func withoutTheKeyBrowsingWorksAndSecretsCannotChange() throws {
    let catalog = try TestCatalog(masterKey: key)
    try catalog.engine().must("CREATE CONNECTION c WITH ('type'='openai','endpoint'='https://e','api-key'='k')")
    let filesBefore = try catalog.allFileBytes().filter { $0.0 == "catalog.sqlite" }

    for environment in [
      catalog.environment.merging(["SWITCHBOARD_MASTER_KEY": Data(repeating: 2, count: 32).base64EncodedString()]) { $1 },
      catalog.environment.filter { $0.key != "SWITCHBOARD_MASTER_KEY" },
    ] {
      let engine = try Engine(catalogPath: catalog.path, environment: environment)
      #expect(try engine.must("DESCRIBE CONNECTION c")[0].rows.contains(["secret:api-key", "******"]))
      let alter = engine.failure("ALTER CONNECTION c SET ('api-key' = 'new')")
      #expect(alter?.code == .secrets)
      // Public options still change without the key: secrets are not rewritten.
      try engine.must("ALTER CONNECTION c SET ('endpoint' = 'https://f')")
    }
    _ = filesBefore
    let engine = try catalog.engine()
    #expect(try engine.verifySecrets() == 1)
    #expect(try engine.connection(ObjectName(["c"])).secretKeys == ["api-key"])
  }

  @Test func badMasterKeyValueIsRefused() throws {
    let catalog = try TestCatalog()
    catalog.environment["SWITCHBOARD_MASTER_KEY"] = "not base64 of 32 bytes"
    let engine = try catalog.engine()
    let error = engine.failure("CREATE CONNECTION c WITH ('password' = 'x')")
    #expect(error?.code == .secrets)
    #expect(error?.message == "SWITCHBOARD_MASTER_KEY must be the base64 encoding of exactly 32 bytes.")
    #expect(try engine.connections().isEmpty)
  }

  @Test func keyFileIsCreatedPrivateAndRefusedWhenOpen() throws {
    let catalog = try TestCatalog()
    try catalog.engine().must("CREATE CONNECTION c WITH ('password' = 'x')")
    let keyFile = catalog.directory.appendingPathComponent("config/switchboard/master.key").path
    let mode = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(try catalog.engine().verifySecrets() == 1)

    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile)
    let engine = try catalog.engine()
    let error = engine.failure("ALTER CONNECTION c SET ('password' = 'y')")
    #expect(error?.message.contains("can be read by other users") == true)
    #expect(engine.failure("ALTER CONNECTION c SET ('password' = 'y')")?.code == .secrets)
  }

  @Test func aFlippedBitInASealedSecretIsCaught() throws {
    let catalog = try TestCatalog(masterKey: key)
    try catalog.engine().must("CREATE CONNECTION a WITH ('type'='openai','endpoint'='e','api-key'='ka')")
    // Read the record, flip one bit of its ciphertext, write it back.
    let hex = try #require(toolOutput("sqlite3", catalog.path, "SELECT hex(sealed) FROM secrets")).trimmingCharacters(in: .whitespacesAndNewlines)
    var bytes = Array(hex.utf8)
    let index = 40  // a hex digit inside the ciphertext (after the 12-byte nonce)
    bytes[index] = bytes[index] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
    #expect(runTool("sqlite3", catalog.path, "UPDATE secrets SET sealed = X'\(String(decoding: bytes, as: UTF8.self))'"))
    let engine = try catalog.engine()
    #expect {
      try engine.verifySecrets()
    } throws: { error in
      (error as? EngineError)?.message.contains("fails its integrity check") == true
    }
    // Browsing still works; the damaged secret is reported by name, never by value.
    #expect(try engine.connection(ObjectName(["a"])).secretKeys == ["api-key"])
  }

  @Test func tamperedOrSwappedSecretRecordsFailTheirCheck() throws {
    let catalog = try TestCatalog(masterKey: key)
    try catalog.engine().must("""
      CREATE CONNECTION a WITH ('type'='openai','endpoint'='e','api-key'='ka');
      CREATE CONNECTION b WITH ('type'='openai','endpoint'='e','api-key'='kb')
      """)
    let swap = Process()
    swap.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    swap.arguments = ["sqlite3", catalog.path, "UPDATE secrets SET sealed = (SELECT sealed FROM secrets WHERE connection_id = 2) WHERE connection_id = 1;"]
    try swap.run()
    swap.waitUntilExit()
    try #require(swap.terminationStatus == 0)
    #expect {
      try catalog.engine().verifySecrets()
    } throws: { error in
      (error as? EngineError)?.message.contains("fails its integrity check") == true
    }
  }
}

/// Runs a tool from PATH; true when it exits 0.
func runTool(_ arguments: String...) -> Bool {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = arguments
  process.standardError = FileHandle.nullDevice
  guard (try? process.run()) != nil else { return false }
  process.waitUntilExit()
  return process.terminationStatus == 0
}

/// Runs a tool from PATH and returns its standard output when it exits 0.
func toolOutput(_ arguments: String...) -> String? {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = arguments
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = FileHandle.nullDevice
  guard (try? process.run()) != nil else { return nil }
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
}
