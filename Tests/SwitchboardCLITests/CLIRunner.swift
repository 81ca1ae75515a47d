import Foundation

/// Runs the real `switchboard` binary with a private HOME, XDG folders and catalog.
final class CLIRunner: @unchecked Sendable {  // environment is set up before any concurrent use
  let directory: URL
  var environment: [String: String]

  static var binary: URL {
    // Tests run from the build products folder, next to the binary.
    let products = Bundle.main.bundleURL
    for candidate in [products, products.deletingLastPathComponent()] {
      let url = candidate.appendingPathComponent("switchboard")
      if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return products.appendingPathComponent("switchboard")
  }

  static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// A process may exit before reading all its input: the write then fails (EPIPE) instead of
  /// SIGPIPE ending the whole test process.
  private static let brokenPipesAreErrors: Void = { signal(SIGPIPE, SIG_IGN) }()

  init() throws {
    Self.brokenPipesAreErrors
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    environment = [
      "HOME": directory.appendingPathComponent("home").path,
      "XDG_DATA_HOME": directory.appendingPathComponent("data").path,
      "XDG_CONFIG_HOME": directory.appendingPathComponent("config").path,
      "USER": "cli-tester", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
    ]
  }

  deinit { try? FileManager.default.removeItem(at: directory) }

  var catalogPath: String { directory.appendingPathComponent("data/switchboard/catalog.sqlite").path }

  struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  @discardableResult
  func run(_ arguments: [String], stdin: String = "", executable: String? = nil) throws -> Run {
    try run(arguments, stdinData: Data(stdin.utf8), executable: executable)
  }

  func run(_ arguments: [String], stdinData: Data, executable: String? = nil) throws -> Run {
    let process = Process()
    process.executableURL = executable.map { URL(fileURLWithPath: $0) } ?? Self.binary
    process.arguments = arguments
    process.environment = environment
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Write stdin and drain both pipes concurrently so large outputs cannot deadlock.
    let group = DispatchGroup()
    nonisolated(unsafe) var out = Data()
    nonisolated(unsafe) var err = Data()
    DispatchQueue.global().async(group: group) { out = output.fileHandleForReading.readDataToEndOfFile() }
    DispatchQueue.global().async(group: group) { err = errors.fileHandleForReading.readDataToEndOfFile() }
    // What the process did not read is its own business: the test judges its status and output.
    try? input.fileHandleForWriting.write(contentsOf: stdinData)
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    group.wait()
    return Run(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
  }

  /// Every file under the private folders (catalog, -wal, -shm, key file).
  func allFileBytes() -> [(String, Data)] {
    var files: [(String, Data)] = []
    guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
    for case let url as URL in enumerator {
      if let data = try? Data(contentsOf: url) { files.append((url.lastPathComponent, data)) }
    }
    return files
  }
}
