import Foundation

/// A throw-away PostgreSQL cluster for the tests: `initdb` in a temporary folder, its Unix socket
/// in that folder, no TCP, no system service, no fixed port; run as an unprivileged user when the
/// tests run as root. One per test process, started on first use and stopped at exit. Every test
/// takes a database of its own, so tests run in parallel. The server logs every statement
/// (`log_statement = 'all'`), so leak scans can read what it received.
public final class PostgresTestServer: @unchecked Sendable {
  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  /// The server of this test process, or why none could start (a test then fails with it).
  public static let shared: Result<PostgresTestServer, Failure> = {
    do {
      let server = try PostgresTestServer()
      running = server
      atexit { PostgresTestServer.running?.remove() }
      return .success(server)
    } catch let failure as Failure {
      return .failure(failure)
    } catch {
      return .failure(Failure(description: "\(error)"))
    }
  }()

  nonisolated(unsafe) private static var running: PostgresTestServer?

  /// A server of its own, for a test that stops and starts it (the shared one serves tests
  /// running in parallel). Stopped and removed when released.
  public static func dedicated() throws -> PostgresTestServer {
    let server = try PostgresTestServer()
    server.removeWhenReleased = true
    return server
  }

  private var removeWhenReleased = false

  deinit {
    if removeWhenReleased { remove() }
  }

  /// Stops the server and deletes its folder (data, socket, log): a test run leaves nothing.
  func remove() {
    stop()
    try? FileManager.default.removeItem(at: folder)
  }

  /// Holds the socket, the data directory and the log.
  public let folder: URL
  public var dataDirectory: URL { folder.appendingPathComponent("data") }
  public var logFile: URL { folder.appendingPathComponent("server.log") }
  /// A role that logs in with a password (scram-sha-256), and that password.
  public static let passwordRole = "with_password"
  public static let password = "TestRolePassword8Vw2"
  /// The superuser role the cluster was made with.
  public let role = "switchboard_admin"
  private let bin: String
  private let runAs: String?
  private let lock = NSLock()
  private var counter = 0
  private var serverProcess: Process?

  private init() throws {
    guard let bin = Self.findBinaries() else {
      throw Failure(description: "PostgreSQL's server binaries (initdb, pg_ctl) are not installed: apt install postgresql")
    }
    self.bin = bin
    folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("switchboard-pg-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    if geteuid() == 0 {
      // PostgreSQL refuses to run as root.
      let user = Self.userExists("postgres") ? "postgres" : "nobody"
      runAs = user
      _ = try Self.run("/bin/chown", [user, folder.path])
    } else {
      runAs = nil
    }
    try runServerTool(
      "initdb", ["-D", dataDirectory.path, "-A", "trust", "-U", role, "-E", "UTF8", "--no-locale", "--no-sync"])
    // One role must give a password (to test libpq's PGPASSWORD and a wrong one); the rest trust.
    let hba = dataDirectory.appendingPathComponent("pg_hba.conf")
    let rules = try String(contentsOf: hba, encoding: .utf8)
    try ("local all \(Self.passwordRole) scram-sha-256\n" + rules).write(to: hba, atomically: false, encoding: .utf8)
    try start()
    try psql("CREATE ROLE \(Self.passwordRole) LOGIN PASSWORD '\(Self.password)'")
  }

  /// Starts (or restarts) the server on the same data directory and socket. The server runs as
  /// a child of the test process, not daemonised by pg_ctl: Foundation's `Process` learns that a
  /// child ended from a descriptor every descendant inherits, so a daemon would hang it.
  public func start() throws {
    let log = try FileHandle(forWritingTo: logFile.creatingFile())
    try log.seekToEnd()
    let process = Process()
    let server = [
      "\(bin)/postgres", "-D", dataDirectory.path, "-k", folder.path, "-c", "listen_addresses=", "-c", "fsync=off",
      "-c", "log_statement=all", "-c", "unix_socket_permissions=0777",
    ]
    if let runAs {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
      process.arguments = ["--reuid=\(runAs)", "--regid=\(runAs)", "--init-groups", "--"] + server
    } else {
      process.executableURL = URL(fileURLWithPath: server[0])
      process.arguments = Array(server.dropFirst())
    }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = log
    process.standardError = log
    try process.run()
    try? log.close()
    serverProcess = process
    for _ in 0..<300 {
      if (try? Self.run("\(bin)/pg_isready", ["-q", "-h", folder.path, "-U", role])) != nil { return }
      guard process.isRunning else { break }
      usleep(100_000)
    }
    throw Failure(description: "the test server did not start: \(String(decoding: (try? Data(contentsOf: logFile)) ?? Data(), as: UTF8.self).suffix(2000))")
  }

  /// Stops the server at once (as a crash or an operator would) and waits until it is gone.
  public func stop() {
    guard let process = serverProcess else { return }
    kill(process.processIdentifier, SIGQUIT)
    let pidFile = dataDirectory.appendingPathComponent("postmaster.pid").path
    for _ in 0..<300 where FileManager.default.fileExists(atPath: pidFile) { usleep(20_000) }
    serverProcess = nil
  }

  /// A fresh, empty database; returns its URL for `--catalog`.
  public func createDatabase() throws -> String {
    let name = lock.withLock {
      counter += 1
      return "test_\(getpid())_\(counter)"
    }
    try psql("CREATE DATABASE \(name)")
    return url(database: name)
  }

  public func url(database: String, user: String? = nil) -> String {
    "postgresql://\(user ?? role)@/\(database)?host=\(folder.path)"
  }

  /// Runs SQL as the superuser; returns psql's unaligned output.
  @discardableResult
  public func psql(_ sql: String, database: String = "postgres") throws -> String {
    try Self.run("\(bin)/psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", folder.path, "-U", role, "-d", database, "-c", sql])
  }

  /// Every byte the server keeps for `database`: its log, its WAL, the cluster-wide tables and
  /// every file of that database, after a checkpoint has written everything home. (Other
  /// databases hold other tests' data and the templates, which no client writes to.)
  public func allFileBytes(database: String) throws -> [(String, Data)] {
    try psql("CHECKPOINT")
    let oid = try psql("SELECT oid FROM pg_database WHERE datname = '\(database)'").trimmingCharacters(in: .whitespacesAndNewlines)
    guard !oid.isEmpty else { throw Failure(description: "no database \(database)") }
    var files: [(String, Data)] = []
    for folder in [folder, dataDirectory.appendingPathComponent("pg_wal"), dataDirectory.appendingPathComponent("global"),
      dataDirectory.appendingPathComponent("base/\(oid)")]
    {
      for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
        let file = folder.appendingPathComponent(name)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
        if let data = try? Data(contentsOf: file) { files.append((file.path.replacingOccurrences(of: self.folder.path, with: ""), data)) }
      }
    }
    return files
  }

  /// The database name in a URL `createDatabase` returned.
  public static func database(in url: String) -> String {
    let path = url.components(separatedBy: "@/").last ?? url
    return String(path.prefix { $0 != "?" })
  }

  private func runServerTool(_ tool: String, _ arguments: [String]) throws {
    if let runAs {
      _ = try Self.run("/usr/sbin/runuser", ["-u", runAs, "--", "\(bin)/\(tool)"] + arguments)
    } else {
      _ = try Self.run("\(bin)/\(tool)", arguments)
    }
  }

  @discardableResult
  private static func run(_ executable: String, _ arguments: [String]) throws -> String {
    // Output goes to a file, not a pipe: the server that pg_ctl starts outlives the call, and a
    // pipe shared with it would never reach its end.
    let outputFile = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("switchboard-pg-out-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)  // else opening it throws
    defer { try? FileManager.default.removeItem(at: outputFile) }
    let output = try FileHandle(forWritingTo: outputFile)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = output
    process.standardError = output
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try? output.close()
    let text = String(decoding: (try? Data(contentsOf: outputFile)) ?? Data(), as: UTF8.self)
    guard process.terminationStatus == 0 else {
      throw Failure(description: "\((executable as NSString).lastPathComponent) \(arguments.prefix(3).joined(separator: " ")) failed: \(text)")
    }
    return text
  }

  /// Debian keeps the server binaries off PATH, under /usr/lib/postgresql/<version>/bin.
  private static func findBinaries() -> String? {
    let root = "/usr/lib/postgresql"
    let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
    for version in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
      return "\(root)/\(version)/bin"
    }
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    where FileManager.default.isExecutableFile(atPath: "\(folder)/initdb") {
      return String(folder)
    }
    return nil
  }

  private static func userExists(_ name: String) -> Bool { getpwnam(name) != nil }
}

extension URL {
  fileprivate func creatingFile() -> URL {
    if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
    return self
  }
}
