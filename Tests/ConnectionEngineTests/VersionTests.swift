import ConnectionEngine
import Foundation
import FuzzChecks
import Testing

/// Versions, restore and purge (Vault's KV v2 shape) on both backends.
@Suite struct VersionTests {
  static let key = [UInt8](repeating: 7, count: 32)
  static let first = "CANARY-first-4f1d2e", second = "CANARY-second-9a8b7c"

  /// A connection with four versions: created, its api-key replaced, its endpoint changed, renamed.
  static func seeded(_ backend: Backend) throws -> (TestCatalog, Engine) {
    let catalog = try TestCatalog(masterKey: key, backend: backend)
    let engine = try catalog.engine()
    try engine.must("CREATE CONNECTION a WITH ('type' = 'openai', 'endpoint' = 'https://x', 'api-key' = '\(first)')")
    try engine.must("ALTER CONNECTION a SET ('api-key' = '\(second)')")
    try engine.must("ALTER CONNECTION a SET ('endpoint' = 'https://y')")
    try engine.must("ALTER CONNECTION a RENAME TO b")
    return (catalog, engine)
  }

  static func apiKey(_ engine: Engine, _ name: String) throws -> String? {
    let script = String(decoding: try engine.renderForFlink([Parser.parseName(name)!], all: false, temporary: false, destination: "test"), as: UTF8.self)
    if script.contains(first) { return first }
    if script.contains(second) { return second }
    return nil
  }

  @Test(arguments: Backend.all) func everyChangeKeepsThePreviousVersionWithItsPlan(backend: Backend) throws {
    let (_, engine) = try Self.seeded(backend)
    let versions = try engine.versions(of: Parser.parseName("b")!)
    #expect(versions.map(\.changes) == [
      ["name: 'a' → 'b'"], ["endpoint: 'https://x' → 'https://y'"], ["api-key: replaced"], ["oldest kept version"],
    ])
    #expect(versions.map(\.isCurrent) == [true, false, false, false])
    #expect(versions.allSatisfy { $0.madeBy?.hasPrefix("tester") == true })
    // Versions count up by one per change from the first.
    #expect(zip(versions, versions.dropFirst()).allSatisfy { $0.version == $1.version + 1 })
    #expect(versions.first?.name == "default_catalog.default_database.b")
    #expect(versions.last?.name == "default_catalog.default_database.a")
  }

  @Test(arguments: Backend.all) func restoreMakesANewVersionEqualToAnOldOneSecretsIncluded(backend: Backend) throws {
    let (_, engine) = try Self.seeded(backend)
    let b = Parser.parseName("b")!
    let oldest = try engine.versions(of: b).last!.version
    let current = try engine.connection(b).version
    #expect(try engine.restorePlan(of: b, version: oldest) == ["api-key: replaced", "endpoint: 'https://y' → 'https://x'"])
    // Through the same conflict check as any change.
    let stale = #expect(throws: EngineError.self) { try engine.restore(b, version: oldest, expectedVersion: current - 1) }
    #expect(stale?.code == .conflict)
    try engine.restore(b, version: oldest, expectedVersion: current)
    let restored = try engine.connection(b)
    #expect(restored.version == current + 1)
    #expect(restored.endpoint == "https://x")
    #expect(restored.name == "b")  // the name stays
    #expect(try Self.apiKey(engine, "b") == Self.first)
    #expect(try engine.versions(of: b).first?.changes == ["api-key: replaced", "endpoint: 'https://y' → 'https://x'"])
    let again = #expect(throws: EngineError.self) { try engine.restore(b, version: oldest) }
    #expect(again?.message.contains("already equals version") == true)
    #expect(try engine.history(limit: 3).contains { $0.statement.hasPrefix("-- restore default_catalog.default_database.b to version") })
  }

  @Test(arguments: Backend.all) func aDroppedConnectionComesBackWithItsSecrets(backend: Backend) throws {
    let (catalog, engine) = try Self.seeded(backend)
    let b = Parser.parseName("b")!
    let before = try engine.connection(b).version
    try engine.must("DROP CONNECTION b")
    let versions = try engine.versions(of: b)
    #expect(versions.first?.changes == ["dropped"])
    #expect(versions.first?.isCurrent == false)
    try engine.restore(b, version: nil)
    let back = try engine.connection(b)
    #expect(back.endpoint == "https://y")
    #expect(back.version > before + 1)  // above every version issued: a stale form never matches it
    #expect(try Self.apiKey(engine, "b") == Self.second)
    #expect(try engine.versions(of: b).first?.changes == ["restored after a drop"])
    // A new connection of the same name blocks the restore of the old one.
    try engine.must("DROP CONNECTION b")
    try engine.must("CREATE CONNECTION b WITH ('type' = 'default')")
    #expect(throws: EngineError.self) { try engine.restore(b, version: nil) }
    // A fresh process sees the same.
    #expect(try catalog.engine().versions(of: b).count == 1)
  }

  @Test(arguments: Backend.all) func retentionBoundsVersionsAndTheirSealedSecrets(backend: Backend) throws {
    let catalog = try TestCatalog(masterKey: Self.key, backend: backend)
    let engine = try catalog.engine()
    engine.versionRetention = 3
    try engine.must("CREATE CONNECTION r WITH ('type' = 'openai', 'endpoint' = 'https://x', 'api-key' = 'k0')")
    for i in 1...10 { try engine.must("ALTER CONNECTION r SET ('api-key' = 'k\(i)')") }
    let r = Parser.parseName("r")!
    #expect(try engine.versions(of: r).count == 4)  // the current one and three kept
    // Purge says how many sealed secrets went: the three kept versions had one each.
    #expect(try engine.purge(r, keep: 1) == PurgeResult(versions: 2, sealedSecrets: 2))
    #expect(try engine.purge(nil, keep: 0) == PurgeResult(versions: 1, sealedSecrets: 1))
    #expect(try engine.versions(of: r).count == 1)
    #expect(try engine.connection(r).secretKeys == ["api-key"])
  }

  @Test func purgedSealedSecretsAreGoneFromTheFileAndItsWAL() throws {
    let (catalog, engine) = try Self.seeded(.sqlite)
    try engine.must("DROP CONNECTION b")
    let kept = try sqlite(catalog.path, "SELECT hex(sealed) FROM sealed_versions")
    #expect(kept.count == 2)  // both api-keys
    let before = try catalog.allFileBytes().map(\.1)
    for hex in kept { #expect(before.contains { $0.range(of: Self.bytes(hex)) != nil }, "a kept record is in the files") }
    #expect(try engine.purge(Parser.parseName("b")!, keep: 0) == PurgeResult(versions: 5, sealedSecrets: 2))
    for (file, data) in try catalog.allFileBytes() {
      for hex in kept {
        // Any 16-byte window of a sealed record would be a remnant.
        let record = Self.bytes(hex)
        for start in stride(from: 0, to: record.count - 16, by: 16) {
          #expect(data.range(of: record[start..<start + 16]) == nil, "a purged sealed record remains in \(file)")
        }
      }
    }
    #expect(throws: EngineError.self) { try engine.restore(Parser.parseName("b")!, version: nil) }
  }

  @Test(arguments: Backend.all) func rekeyReSealsKeptVersionsToo(backend: Backend) throws {
    let (catalog, engine) = try Self.seeded(backend)
    let newKey = [UInt8](repeating: 8, count: 32)
    #expect(try engine.rekey(newMasterKey: newKey) == 3)  // the current api-key and two kept
    catalog.environment["SWITCHBOARD_MASTER_KEY"] = Data(newKey).base64EncodedString()
    let reopened = try catalog.engine()
    let b = Parser.parseName("b")!
    try reopened.restore(b, version: try reopened.versions(of: b).last!.version)
    #expect(try Self.apiKey(reopened, "b") == Self.first)
  }

  @Test(arguments: Backend.all) func restoreHonoursReadOnlyAndProtectedNamespaces(backend: Backend) throws {
    let (_, engine) = try Self.seeded(backend)
    let b = Parser.parseName("b")!
    let oldest = try engine.versions(of: b).last!.version
    engine.writePolicy = WritePolicy(readOnly: true)
    #expect(#expect(throws: EngineError.self) { try engine.restore(b, version: oldest) }?.code == .readOnly)
    #expect(#expect(throws: EngineError.self) { try engine.purge(nil, keep: 0) }?.code == .readOnly)
    engine.writePolicy = WritePolicy(protected: ["default_catalog.*"])
    #expect(#expect(throws: EngineError.self) { try engine.restore(b, version: oldest) }?.code == .protected)
    engine.writePolicy.confirmed = ["default_catalog.default_database"]
    try engine.restore(b, version: oldest)
  }

  @Test(arguments: Backend.all) func noCanaryInVersionsPlansOrHistory(backend: Backend) throws {
    let (catalog, engine) = try Self.seeded(backend)
    let b = Parser.parseName("b")!
    try engine.must("DROP CONNECTION b")
    try engine.restore(b, version: nil)
    var outputs = try engine.versions(of: b).map { "\($0)" }
    outputs += try engine.history(limit: 100).map { "\($0)" }
    outputs.append("\(try engine.restorePlan(of: b, version: try engine.versions(of: b).last!.version))")
    for canary in [Self.first, Self.second] {
      for output in outputs { #expect(!leaks(canary, in: output), "\(output)") }
      for (file, bytes) in try catalog.allFileBytes() { #expect(!leaks(canary, in: bytes), "\(file)") }
    }
  }

  @Test(arguments: Backend.all) func undoTakesBackTheSessionsLastChange(backend: Backend) throws {
    let (catalog, engine) = try Self.seeded(backend)
    engine.tracksChanges = true
    let b = Parser.parseName("b")!
    #expect(engine.lastChange == nil)  // nothing this session tracked yet
    // A form's submit: two statements in one atomic run are one change.
    let before = try engine.connection(b)
    let outcomes = engine.run(
      script: "ALTER CONNECTION b SET ('api-key' = 'CANARY-third', 'endpoint' = 'https://z'); ALTER CONNECTION b SET ('endpoint' = 'https://w')",
      expectedVersion: before.version, atomically: true)
    #expect(outcomes.allSatisfy { if case .success = $0.result { true } else { false } })
    #expect(engine.lastChange?.kind == .changed(from: before.version))
    #expect(engine.lastChange?.undoDescription == "Restore default_catalog.default_database.b to version \(before.version), as before your last change.")
    try engine.undoLastChange()
    #expect(try engine.connection(b).endpoint == "https://y")
    #expect(try Self.apiKey(engine, "b") == Self.second)
    // Undo is a change too: pressing it again redoes.
    try engine.undoLastChange()
    #expect(try engine.connection(b).endpoint == "https://w")

    // Someone else's change since: a conflict, nothing overwritten.
    try engine.must("ALTER CONNECTION b SET ('endpoint' = 'https://mine')")
    try catalog.engine().must("ALTER CONNECTION b SET ('endpoint' = 'https://theirs')")
    #expect(#expect(throws: EngineError.self) { try engine.undoLastChange() }?.code == .conflict)
    #expect(try engine.connection(b).endpoint == "https://theirs")

    try engine.must("ALTER CONNECTION b RENAME TO c")
    #expect(engine.lastChange?.kind == .renamed(from: "b"))
    try engine.undoLastChange()
    #expect(try engine.connection(b).endpoint == "https://theirs")
    try engine.must("DROP CONNECTION b")
    try engine.undoLastChange()
    #expect(try engine.connection(b).endpoint == "https://theirs")
    #expect(try engine.connection(b).secretKeys == ["api-key"])
    try engine.must("CREATE CONNECTION n WITH ('type' = 'default')")
    try engine.undoLastChange()
    #expect(throws: EngineError.self) { try engine.connection(Parser.parseName("n")!) }
    // Several connections in one run: restore each from its versions.
    try engine.must("CREATE CONNECTION p WITH ('type' = 'default'); CREATE CONNECTION q WITH ('type' = 'default')")
    #expect(#expect(throws: EngineError.self) { try engine.undoLastChange() }?.message.contains("several connections") == true)
    // A failed run leaves the last change as it was.
    #expect(engine.failure("ALTER CONNECTION nope SET ('a' = 'b')") != nil)
    if case .notUndoable = engine.lastChange?.kind {} else { Issue.record("the failed run replaced the last change") }
  }

  static func bytes(_ hex: String) -> Data {
    var data = Data()
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      data.append(UInt8(hex[index..<next], radix: 16)!)
      index = next
    }
    return data
  }
}

/// Rows of one column from the sqlite3 shell (reading the file as another program would).
@discardableResult
func sqlite(_ path: String, _ query: String) throws -> [String] {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["sqlite3", path, query]
  let output = Pipe()
  process.standardOutput = output
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  try #require(process.terminationStatus == 0, "sqlite3 failed, or is missing (.ci/run installs it)")
  return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
}

/// The first screen of a big list gives exactly the first rows of the whole list.
@Suite struct FirstScreenTests {
  @Test(arguments: Backend.all) func theFirstRowsAreTheWholeListsFirstRows(backend: Backend) throws {
    let catalog = try TestCatalog(masterKey: VersionTests.key, backend: backend)
    let engine = try catalog.engine()
    for name in ["e", "a", "d", "b", "c"] {
      try engine.must("CREATE CONNECTION \(name) WITH ('type' = 'openai', 'endpoint' = 'https://\(name)', 'api-key' = 'k-\(name)')")
    }
    try engine.must("CREATE CONNECTION bb WITH ('type' = 'default')")  // one without secrets among the first
    let all = try engine.listing(catalog: "default_catalog", database: "default_database")
    for limit in [1, 3, 6, 10] {
      let first = try engine.listing(catalog: "default_catalog", database: "default_database", limit: limit)
      #expect(first.indices.map { first[$0] } == Array(all.indices.map { all[$0] }.prefix(limit)), "limit \(limit)")
    }
    #expect(all.indices.map { all[$0].secretKeys } == [["api-key"], ["api-key"], [], ["api-key"], ["api-key"], ["api-key"]])
  }
}
