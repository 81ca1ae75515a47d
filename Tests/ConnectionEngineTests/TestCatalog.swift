import ConnectionEngine
import Foundation
import FuzzChecks

/// A throw-away catalog and key folder under a fresh temporary directory: never the real HOME.
final class TestCatalog {
  let directory: URL
  var environment: [String: String]

  init(masterKey: [UInt8]? = nil) throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    environment = ["XDG_CONFIG_HOME": directory.appendingPathComponent("config").path, "USER": "tester"]
    if let masterKey { environment["SWITCHBOARD_MASTER_KEY"] = Data(masterKey).base64EncodedString() }
  }

  deinit { try? FileManager.default.removeItem(at: directory) }

  var path: String { directory.appendingPathComponent("catalog.sqlite").path }

  func engine() throws -> Engine { try Engine(catalogPath: path, environment: environment) }

  /// Every byte Switchboard left in the directory: catalog, -wal, -shm, key file, anything else.
  func allFileBytes() throws -> [(String, Data)] {
    var files: [(String, Data)] = []
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
