import ConnectionEngine
import FuzzChecks
import PostgresTestServer
import Foundation
import Testing

/// Plants canary secrets through every kind of statement, good and bad, then scans every
/// output, error, history entry and file the engine wrote for them.
@Suite struct CanaryTests {
  static let canaries = (1...12).map { "cnry\($0)-7Qx9Lm2Vw8Rt" }

  static var script: [String] {
    let c = canaries
    return [
      "CREATE CONNECTION o WITH ('type'='openai','endpoint'='https://api.openai.com','api-key'='\(c[0])')",
      "CREATE CONNECTION m COMMENT 'db' WITH ('type'='mongodb','endpoint'='mongodb://h','username'='\(c[1])','password'='\(c[2])')",
      "CREATE TEMPORARY CONNECTION t WITH ('k'='v','token'='\(c[3])')",
      "CREATE CONNECTION g WITH ('ap-key'='\(c[4])', 'db.pasword'='\(c[5])', 'Tоken'='\(c[6])')",  // near misses, Cyrillic о
      "ALTER CONNECTION o SET ('api-key'='\(c[7])')",
      "ALTER CONNECTION o SET ('api_key'='\(c[8])')",  // near-miss on a typed connection: rejected
      "ALTER CONNECTION o SET ('api-key' = '\(c[9])",  // unterminated
      "ALTER CONNECTION o SET ('api-key' \(c[10]))",  // unquoted, broken
      "CREATE CONNECTION x WITH ('type'='opnai','endpoint'='e','api-key'='\(c[11])')",  // unknown type
      "ALTER CONNECTION m RESET ('username')",
      "DESCRIBE CONNECTION o", "DESCRIBE CONNECTION EXTENDED m", "DESCRIBE CONNECTION t", "DESCRIBE CONNECTION g",
      "SHOW CREATE CONNECTION o", "SHOW CREATE CONNECTION m", "SHOW CREATE CONNECTION t", "SHOW CREATE CONNECTION g",
      "SHOW CONNECTIONS", "DROP CONNECTION g",
    ]
  }

  @Test(arguments: Backend.all) func noCanaryLeavesTheEngine(backend: Backend) throws {
    let catalog = try TestCatalog(masterKey: [UInt8](repeating: 9, count: 32), backend: backend)
    let engine = try catalog.engine()
    var outputs: [String] = []
    for statement in Self.script {
      for outcome in engine.run(script: statement) {
        outputs.append(outcome.maskedText)
        switch outcome.result {
        case .success(let result): outputs.append((result.columns + result.rows.flatMap { $0 }).joined(separator: "\n"))
        case .failure(let error): outputs.append(error.message)
        }
      }
    }
    for connection in try engine.connections() {
      outputs.append("\(connection)")
    }
    for entry in try engine.history(limit: 1000) {
      outputs.append("\(entry)")
    }
    outputs.append(Masker.mask(Self.script.joined(separator: ";\n")))
    let files = try catalog.allFileBytes()
    for canary in Self.canaries {
      for output in outputs {
        #expect(!leaks(canary, in: output), "\(canary) leaked in: \(output)")
      }
    }
    let scanner = LeakScanner(canaries: Self.canaries)
    for (file, bytes) in files {
      #expect(scanner.leak(in: bytes) == nil, "a canary leaked into \(file)")
    }
    // The planted secrets did reach the store, sealed.
    #expect(try engine.verifySecrets() == 3)  // o: api-key; m: username, password (g was dropped)
    switch backend {
    case .sqlite: #expect(files.contains { $0.0 == "catalog.sqlite-wal" })
    case .postgresql:
      // The scan saw what the server received: its statement log holds the sealed inserts.
      let log = files.first { $0.0.hasSuffix("server.log") }?.1 ?? Data()
      #expect(log.range(of: Data("INSERT INTO secrets".utf8)) != nil)
      #expect(files.contains { $0.0.contains("pg_wal/") }, "the WAL was scanned")
    }
  }
}

/// The server scan can fail: a value sent in clear is found in the statement log and, after the
/// checkpoint, in the database's files.
@Suite struct ServerScanTests {
  @Test func aValueSentInClearIsFoundInTheLogAndTheFiles() throws {
    let catalog = try TestCatalog(masterKey: [UInt8](repeating: 9, count: 32), backend: .postgresql)
    _ = try catalog.engine()
    let server = try PostgresTestServer.shared.get()
    let database = PostgresTestServer.database(in: catalog.path)
    let canary = "PlantedInClear7Qx3Zk"
    try server.psql("INSERT INTO switchboard.meta (key, bytes) VALUES ('planted', '\(canary)'::bytea)", database: database)
    let scanner = LeakScanner(canaries: [canary])
    let holders = try catalog.allFileBytes().filter { scanner.leak(in: $0.1) != nil }.map(\.0)
    #expect(holders.contains { $0.hasSuffix("server.log") }, "\(holders)")
    #expect(holders.contains { $0.contains("/base/") }, "\(holders)")
  }
}
