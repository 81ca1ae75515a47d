import ConnectionEngine
import Foundation
import FuzzChecks
import PostgresTestServer

/// Where a test's catalog lives. The engine's tests take both (`@Test(arguments: Backend.all)`).
enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
  case sqlite, postgresql
  static let all = allCases
  var description: String { rawValue }
}

/// A throw-away catalog and key folder under a fresh temporary directory: never the real HOME.
/// On PostgreSQL, a fresh database in the test process's own throw-away server.
final class TestCatalog {
  let directory: URL
  var environment: [String: String]
  let backend: Backend
  /// The file path or the server URL.
  let path: String

  init(masterKey: [UInt8]? = nil, backend: Backend = .sqlite) throws {
    self.backend = backend
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    environment = ["XDG_CONFIG_HOME": directory.appendingPathComponent("config").path, "USER": "tester"]
    if let masterKey { environment["SWITCHBOARD_MASTER_KEY"] = Data(masterKey).base64EncodedString() }
    switch backend {
    case .sqlite: path = directory.appendingPathComponent("catalog.sqlite").path
    case .postgresql: path = try PostgresTestServer.shared.get().createDatabase()
    }
  }

  deinit { try? FileManager.default.removeItem(at: directory) }

  func engine() throws -> Engine { try Engine(catalogPath: path, environment: environment) }

  /// Every byte Switchboard left in the directory: catalog, -wal, -shm, key file, anything else;
  /// on PostgreSQL also every file of the server's data directory and its statement log.
  func allFileBytes() throws -> [(String, Data)] {
    var files: [(String, Data)] =
      backend == .postgresql ? try PostgresTestServer.shared.get().allFileBytes(database: PostgresTestServer.database(in: path)) : []
    let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)!
    for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
      files.append((url.lastPathComponent, try Data(contentsOf: url)))
    }
    return files
  }
}

extension Engine {
  /// Runs a script and fails the test on the first error.
  @discardableResult
  func must(_ sql: String) throws -> [ResultSet] {
    try run(script: sql).map { try $0.result.get() }
  }

  func failure(_ sql: String, expectedVersion: Int64? = nil) -> EngineError? {
    for outcome in run(script: sql, expectedVersion: expectedVersion) {
      if case .failure(let error) = outcome.result { return error }
    }
    return nil
  }
}

/// Whether `canary` leaks in any form (raw, base64, hex, percent, JSON, 8-byte windows).
func leaks(_ canary: String, in data: Data) -> Bool { LeakScanner(canaries: [canary]).leak(in: data) != nil }

func leaks(_ canary: String, in text: String) -> Bool { leaks(canary, in: Data(text.utf8)) }
