import Foundation
import FuzzChecks
import Testing

/// Every attack of the structural corpus through the real binary: `sql` on standard input (table,
/// JSON and CSV in turn), `sql -e` (refused, and the canary absent from both streams), `mask`,
/// `check`; then `history` in every format, the masked log, and every file left in the catalog
/// and key folders. Nothing may hold a canary.
@Suite struct AttackCorpusCLITests {
  @Test func noAttackLeaksThroughTheCommandLine() throws {
    let cli = try CLIRunner()
    cli.environment["SWITCHBOARD_MASTER_KEY"] = Data(repeating: 0x51, count: 32).base64EncodedString()
    let log = cli.directory.appendingPathComponent("statements.log").path
    cli.environment["SWITCHBOARD_LOG"] = log
    let scanner = LeakScanner(canaries: [AttackCorpus.core])
    let attacks = AttackCorpus.all()
    let formats = ["table", "json", "csv"]
    let lock = NSLock()
    nonisolated(unsafe) var leaks: [String] = []
    nonisolated(unsafe) var accepted: [String] = []
    @Sendable func check(_ attack: Attack, _ path: String, _ run: CLIRunner.Run) {
      if let leak = scanner.leak(in: run.stdout + run.stderr) {
        lock.lock()
        leaks.append("\(attack) leaked \(leak) through \(path)")
        lock.unlock()
      }
    }
    try #require(try cli.run(["sql"], stdin: "CREATE CONNECTION c WITH ('type' = 'default', 'region' = 'eu')").status == 0)
    // Two workers: the catalog's own locking orders the writers.
    DispatchQueue.concurrentPerform(iterations: 2) { worker in
      for (i, attack) in attacks.enumerated() where i % 2 == worker {
        guard let refused = try? cli.run(["sql", "-e", attack.sql]),
          let masked = try? cli.run(["mask"], stdin: attack.sql),
          let linted = try? cli.run(["check"], stdin: attack.sql),
          let ran = try? cli.run(["sql", "--format", formats[i % 3]], stdin: attack.sql + ";\nCREATE CONNECTION IF NOT EXISTS c WITH ('region' = 'eu')")
        else { continue }
        check(attack, "sql -e", refused)
        if refused.status != 2 {
          lock.lock()
          accepted.append("\(attack): exit \(refused.status)")
          lock.unlock()
        }
        check(attack, "mask", masked)
        check(attack, "check", linted)
        check(attack, "sql --format \(formats[i % 3])", ran)
        for query in ["DESCRIBE CONNECTION EXTENDED c", "SHOW CREATE CONNECTION c"] where i % 8 == 0 {
          if let shown = try? cli.run(["sql", "--format", formats[i % 3], "-e", query]) { check(attack, query, shown) }
        }
      }
    }
    for format in formats {
      let history = try cli.run(["history", "--limit", "100000", "--format", format])
      #expect(history.status == 0)
      #expect(history.stdout.count > 10_000)
      if let leak = scanner.leak(in: history.stdout + history.stderr) { leaks.append("history --format \(format) holds \(leak)") }
    }
    let logBytes = FileManager.default.contents(atPath: log) ?? Data()
    #expect(logBytes.count > 10_000)
    if let leak = scanner.leak(in: logBytes) { leaks.append("the log holds \(leak)") }
    let enumerator = FileManager.default.enumerator(at: cli.directory, includingPropertiesForKeys: nil)!
    var files = 0
    for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
      files += 1
      if let leak = scanner.leak(in: try Data(contentsOf: url)) { leaks.append("\(url.lastPathComponent) holds \(leak)") }
    }
    print("attack corpus (command line): \(attacks.count) attacks × sql -e, mask, check, sql; history × 3 formats, log, \(files) files: \(leaks.count) leaked, \(accepted.count) accepted on -e")
    #expect(files >= 2)
    #expect(accepted.isEmpty, "\(accepted.prefix(5))")
    #expect(leaks.isEmpty, "\(leaks.count) leaks, first: \(leaks.prefix(5).joined(separator: "\n"))")
  }
}
