import Foundation
import FuzzChecks
import PostgresTestServer
import Testing

/// Faults through the real `switchboard` process, with a loss oracle: every operation that
/// reported success must be in the catalog at its version afterwards, the catalog must pass
/// `switchboard verify` (integrity, every secret opens, no orphan secrets).
@Suite(.serialized) struct FaultTests {
  /// What the oracle expects of one connection: absent, or present with a value and version.
  struct Expected: Equatable {
    var n: Int
    var version: Int
  }

  func actual(_ cli: CLIRunner, _ name: String) throws -> Expected? {
    let run = try cli.run(["sql", "--format", "csv", "-e", "DESCRIBE CONNECTION EXTENDED \(name)"])
    guard run.status == 0 else { return nil }
    var n = -1
    var version = -1
    for line in run.stdout.split(separator: "\n") {
      if line.hasPrefix("option:index,") { n = Int(line.dropFirst(13)) ?? -1 }
      if line.hasPrefix("version,") { version = Int(line.dropFirst(8)) ?? -1 }
    }
    return Expected(n: n, version: version)
  }

  func verify(_ cli: CLIRunner) throws {
    let run = try cli.run(["verify"])
    #expect(run.status == 0, "verify: \(run.stdout) \(run.stderr)")
    #expect(run.stdout.contains("integrity: ok"))
    #expect(run.stdout.contains("orphan secrets: 0"))
  }

  /// Launches one statement as a process and kills it with SIGKILL after `delay` microseconds
  /// (unless it finished first). Returns the exit status, or nil when it was killed.
  func runAndMaybeKill(_ cli: CLIRunner, _ statement: String, delay: useconds_t) throws -> Int32? {
    let file = cli.directory.appendingPathComponent("op.sql")
    try statement.write(to: file, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = CLIRunner.binary
    process.arguments = ["sql", "-f", file.path]
    process.environment = cli.environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    usleep(delay)
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    return process.terminationReason == .uncaughtSignal ? nil : process.terminationStatus
  }

  func waitForSessionsToEnd(_ cli: CLIRunner) throws {
    let server = try PostgresTestServer.shared.get()
    let database = PostgresTestServer.database(in: cli.environment["SWITCHBOARD_CATALOG"]!)
    for _ in 0..<500 {
      let count = try server.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = '\(database)' AND pid <> pg_backend_pid()")
      if count.trimmingCharacters(in: .whitespacesAndNewlines) == "0" { return }
      usleep(10_000)
    }
  }

  @Test(arguments: [false, true]) func killNineDuringAMixedWorkloadLosesNothing(onServer: Bool) throws {
    let cli = try CLIRunner()
    if onServer { cli.environment["SWITCHBOARD_CATALOG"] = try PostgresTestServer.shared.get().createDatabase() }
    cli.environment["SWITCHBOARD_MASTER_KEY"] = Data(repeating: 0x42, count: 32).base64EncodedString()
    var model: [String: Expected] = [:]
    var generator = SplitMix(seed: 0x4B11_9)  // seeded: the same statements and delays every run
    var kills = 0
    var acknowledged = 0
    var renames = 0
    var issued = 0  // the highest version seen so far
    var pendingRename: (String, Expected)? = nil  // ...and present under the new one
    var round = 0
    while kills < 50 {
      round += 1
      let name = "c\(Int.random(in: 0..<6, using: &generator))"
      let statement: String
      var applied: Expected?? = .none  // what success means for the model
      var renamedTo: String? = nil
      var tombstone: Int? = nil  // a DROP issues one more version, its tombstone's
      if let current = model[name] {
        let free = (0..<6).map { "c\($0)" }.filter { model[$0] == nil }
        switch Int.random(in: 0..<4, using: &generator) {
        case 0:
          statement = "DROP CONNECTION \(name)"
          applied = .some(nil)
          tombstone = current.version + 1
        case 1 where !free.isEmpty:
          let target = free.randomElement(using: &generator)!
          statement = "ALTER CONNECTION \(name) RENAME TO \(target)"
          renamedTo = target
          applied = .some(nil)  // gone under its old name...
          model[target] = nil
          pendingRename = (target, Expected(n: current.n, version: current.version + 1))
        default:
          statement = "ALTER CONNECTION \(name) SET ('index' = '\(round)', 'password' = 'pw-\(round)')"
          applied = .some(Expected(n: round, version: current.version + 1))
        }
      } else {
        statement = "CREATE CONNECTION \(name) WITH ('index' = '\(round)', 'password' = 'pw-\(round)')"
        // A new connection's first version is above every version issued before.
        applied = .some(Expected(n: round, version: issued + 1))
      }
      let status = try runAndMaybeKill(cli, statement, delay: useconds_t.random(in: 0..<120_000, using: &generator))
      if let status {
        #expect(status == 0, "\(statement) failed with \(status)")
        if status == 0, case .some(let after) = applied {
          model[name] = after
          if let tombstone { issued = max(issued, tombstone) }
          if statement.hasPrefix("CREATE") {
            // A first version is above every version issued before; on a server, versions taken
            // by transactions a kill rolled back are skipped too (sequences never go back).
            let created = try actual(cli, name)
            #expect(created?.n == round && (created?.version ?? 0) >= issued + 1, "\(statement): \(String(describing: created))")
            if onServer { model[name] = created } else { #expect(created == after) }
          }
          if let (target, moved) = pendingRename, renamedTo == target {
            model[target] = moved
            renames += 1
          }
          acknowledged += 1
        }
      } else {
        kills += 1
        // On a server the outcome is decided when the server has finished with the killed
        // client's session (a COMMIT may still be in flight when the client dies).
        if onServer { try waitForSessionsToEnd(cli) }
        // Killed mid-way: the statement happened entirely or not at all.
        let now = try actual(cli, name)
        let before = model[name]
        if case .some(let after) = applied {
          let createdAbove = statement.hasPrefix("CREATE") && now?.n == round && (now?.version ?? 0) > issued
          #expect(now == before || now == after || (onServer && createdAbove), "after a kill \(name) is \(String(describing: now)), expected \(String(describing: before)) or \(String(describing: after))")
        }
        if let tombstone, now == nil { issued = max(issued, tombstone) }
        model[name] = now
        if let target = renamedTo {
          // The rename happened entirely (new name present, old gone) or not at all.
          let moved = try actual(cli, target)
          #expect((now == nil) == (moved != nil), "rename \(name) → \(target) half done")
          model[target] = moved
        }
      }
      pendingRename = nil
      issued = max(issued, model.values.map(\.version).max() ?? 0)
      if round % 10 == 0 { try verify(cli) }
    }
    for (name, expected) in model {
      #expect(try actual(cli, name) == expected, "\(name)")
    }
    try verify(cli)
    #expect(acknowledged > 0)
    #expect(renames > 0)
    print("kill -9 loop (\(onServer ? "PostgreSQL" : "SQLite")): \(kills) kills in \(round) operations (\(renames) renames), \(acknowledged) acknowledged, 0 lost")
  }

  @Test func fourProcessesTwoHundredFiftyAltersEach() throws {
    let cli = try CLIRunner()
    cli.environment["SWITCHBOARD_MASTER_KEY"] = Data(repeating: 0x43, count: 32).base64EncodedString()
    try #require(try cli.run(["sql"], stdin: "CREATE CONNECTION shared WITH ('index' = '0'); CREATE CONNECTION p0 WITH ('index' = '0'); CREATE CONNECTION p1 WITH ('index' = '0'); CREATE CONNECTION p2 WITH ('index' = '0'); CREATE CONNECTION p3 WITH ('index' = '0')").status == 0)
    let perProcess = 250
    let group = DispatchGroup()
    nonisolated(unsafe) var failures: [String] = []
    let lock = NSLock()
    for worker in 0..<4 {
      DispatchQueue.global().async(group: group) {
        for i in 0..<perProcess {
          // Half on the shared connection, half on the worker's own; one statement per process.
          let target = i % 2 == 0 ? "shared" : "p\(worker)"
          let result = try? cli.run(["sql"], stdin: "ALTER CONNECTION \(target) SET ('w\(worker)' = '\(i)')")
          if result?.status != 0 || result?.stderr.contains("locked") == true {
            lock.lock()
            failures.append("worker \(worker) #\(i): \(result?.stderr ?? "did not run")")
            lock.unlock()
          }
        }
      }
    }
    group.wait()
    #expect(failures.isEmpty, "\(failures.prefix(3))")
    // Every acknowledged ALTER bumped the version exactly once: nothing lost, nothing doubled.
    // (shared was created at version 1, p0...p3 at 2...5.)
    #expect(try actual(cli, "shared")?.version == 1 + 4 * perProcess / 2)
    for worker in 0..<4 { #expect(try actual(cli, "p\(worker)")?.version == 2 + worker + perProcess / 2) }
    try verify(cli)
  }
}

extension FaultTests {
  /// The server restarts while 4 processes run 250 ALTERs each: every ALTER is acknowledged or
  /// fails with a clear error (exit 3), no acknowledged update is lost, and each version moved
  /// once per ALTER that reached the server (acknowledged, or cut off after its commit).
  @Test func theServerRestartsDuringFourTimesTwoHundredFiftyAlters() throws {
    let server = try PostgresTestServer.dedicated()
    let cli = try CLIRunner()
    cli.environment["SWITCHBOARD_MASTER_KEY"] = Data(repeating: 0x44, count: 32).base64EncodedString()
    cli.environment["SWITCHBOARD_CATALOG"] = try server.createDatabase()
    try #require(try cli.run(["sql"], stdin: (0..<4).map { "CREATE CONNECTION p\($0) WITH ('index' = '0')" }.joined(separator: ";")).status == 0)
    let perProcess = 250
    let group = DispatchGroup()
    let lock = NSLock()
    nonisolated(unsafe) var acknowledged = [0, 0, 0, 0]
    nonisolated(unsafe) var refused = [0, 0, 0, 0]
    nonisolated(unsafe) var unclear: [String] = []
    for worker in 0..<4 {
      DispatchQueue.global().async(group: group) {
        for i in 0..<perProcess {
          // Every ALTER changes the value (index 0 is the one it was created with).
          guard let result = try? cli.run(["sql"], stdin: "ALTER CONNECTION p\(worker) SET ('index' = '\(i + 1)')") else { continue }
          lock.withLock {
            if result.status == 0 {
              acknowledged[worker] += 1
            } else if result.status == 3 && result.stderr.split(separator: "\n").count == 1 && result.stderr.contains("catalog") {
              refused[worker] += 1
            } else {
              unclear.append("exit \(result.status): \(result.stderr)")
            }
          }
        }
      }
    }
    // Restart once the workers are well under way.
    usleep(2_000_000)
    server.stop()
    usleep(500_000)
    try server.start()
    group.wait()
    #expect(unclear.isEmpty, "\(unclear.prefix(3))")
    #expect(refused.reduce(0, +) > 0, "the restart was noticed")
    for worker in 0..<4 {
      let moved = (try actual(cli, "p\(worker)")?.version ?? 0) - (1 + worker)
      #expect(moved >= acknowledged[worker], "p\(worker): \(moved) versions for \(acknowledged[worker]) acknowledged")
      #expect(moved <= acknowledged[worker] + refused[worker], "p\(worker): \(moved) versions for \(acknowledged[worker]) acknowledged")
    }
    print("server restart: \(acknowledged.reduce(0, +)) acknowledged, \(refused.reduce(0, +)) refused with a clear error, 0 lost")
    try verify(cli)
  }
}

@Suite struct StorageFaultTests {
  /// A full disk, simulated with a file-size limit (RLIMIT_FSIZE): the write fails, the user is
  /// told, and the catalog keeps what it had.
  @Test func fullDiskLosesNothing() throws {
    let cli = try CLIRunner()
    cli.environment["SWITCHBOARD_MASTER_KEY"] = Data(repeating: 0x44, count: 32).base64EncodedString()
    let seed = (0..<200).map { "CREATE CONNECTION keep\($0) WITH ('index' = '\($0)', 'password' = 'pw\($0)')" }.joined(separator: ";\n")
    try #require(try cli.run(["sql"], stdin: seed).status == 0)
    try #require(try cli.run(["verify"]).status == 0)
    let size = (try FileManager.default.attributesOfItem(atPath: cli.catalogPath)[.size] as? Int) ?? 0
    let big = String(repeating: "x", count: 4_000_000)
    let script = cli.directory.appendingPathComponent("big.sql")
    try "CREATE CONNECTION too_big WITH ('index' = '\(big)')".write(to: script, atomically: true, encoding: .utf8)
    // bash's `ulimit -f` counts 1024-byte blocks.
    let limitKB = size / 1024 + 64
    let run = try cli.run(["-c", "ulimit -f \(limitKB); exec \(CLIRunner.binary.path) sql -f \(script.path)"], executable: "/bin/bash")
    #expect(run.status == 3, "\(run.stderr)")
    #expect(run.stderr.contains("full") || run.stderr.contains("I/O error"), "\(run.stderr)")
    #expect(run.stderr.contains("nothing was changed"))
    let verify = try cli.run(["verify"])
    #expect(verify.status == 0, "\(verify.stdout)")
    #expect(verify.stdout.contains("connections: 200"))
    #expect(verify.stdout.contains("secrets opened: 200"))
    #expect(try cli.run(["sql", "-e", "DESCRIBE CONNECTION too_big"]).status == 1)
  }

  /// A catalog cut in half or overwritten in the middle: a clear error (exit 3), file untouched.
  @Test func truncatedAndCorruptedCatalogs() throws {
    let cli = try CLIRunner()
    cli.environment["SWITCHBOARD_MASTER_KEY"] = Data(repeating: 0x45, count: 32).base64EncodedString()
    let seed = (0..<300).map { "CREATE CONNECTION c\($0) WITH ('n' = '\($0)')" }.joined(separator: ";\n")
    try #require(try cli.run(["sql"], stdin: seed).status == 0)
    let original = try Data(contentsOf: URL(fileURLWithPath: cli.catalogPath))
    for damage in ["truncated", "header", "middle"] {
      var bytes = original
      switch damage {
      case "truncated": bytes = bytes.prefix(bytes.count / 2)
      case "header": bytes.replaceSubrange(0..<16, with: Data(repeating: 0x41, count: 16))
      default:
        let start = bytes.count / 2
        bytes.replaceSubrange(start..<(start + 4096), with: Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) }))
      }
      let path = cli.directory.appendingPathComponent("\(damage).sqlite").path
      try #require(FileManager.default.createFile(atPath: path, contents: bytes), "\(damage)")
      let show = try cli.run(["sql", "--catalog", path, "--format", "csv", "-e", "SHOW CONNECTIONS"])
      let verify = try cli.run(["verify", "--catalog", path])
      // Either refused at once, or `verify` finds the damage; never a crash, never silence.
      #expect(show.status == 3 || verify.status == 3, "\(damage): \(show.stderr) \(verify.stdout)")
      #expect(show.status != 0 || show.stdout.contains("connection name"), "\(damage)")
      #expect(![134, 139].contains(show.status) && ![134, 139].contains(verify.status), "\(damage) crashed")
      if show.status == 3 {
        #expect(show.stderr.contains("catalog") || show.stderr.contains("Catalog"), "\(damage): \(show.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes, "\(damage) was changed")
      }
    }
  }
}
