import ConnectionEngine
import Foundation
import FuzzChecks
import Testing

/// Every attack of the structural corpus through every engine path that shows or stores text:
/// the masker (with offsets), the command-line refusal rule, the linter, execution (masked
/// statement, error messages), DESCRIBE, SHOW CREATE, the typed reads the UI uses, the history,
/// and every byte of the catalog file, its WAL and SHM. Nothing may hold a canary.
@Suite struct AttackCorpusTests {
  static let scanner = LeakScanner(canaries: [AttackCorpus.core])

  @Test(arguments: Backend.all) func noAttackLeaksThroughTheEngine(backend: Backend) throws {
    let catalog = try TestCatalog(masterKey: Array(repeating: 9, count: 32), backend: backend)
    let engine = try catalog.engine()
    var leaks: [String] = []
    var tried: [String: Int] = [:]
    var leaked: [String: Int] = [:]

    for attack in AttackCorpus.all() {
      tried[attack.category, default: 0] += 1
      var outputs: [(String, String)] = []
      outputs.append(("mask", Masker.mask(attack.sql)))
      outputs.append(("mask with offsets", Masker.maskWithOffsets(attack.sql).text))
      outputs += Linter.check(attack.sql).map { ("check", $0.message) }
      if Masker.reasonToRefuse(attack.sql) == nil { outputs.append(("command line accepts it", attack.sql)) }

      // A connection to alter, then the attack, then what a user can read back.
      _ = engine.run(script: "CREATE CONNECTION IF NOT EXISTS c WITH ('type' = 'default', 'region' = 'eu')")
      for outcome in engine.run(script: attack.sql) {
        outputs.append(("masked statement", outcome.maskedText))
        switch outcome.result {
        case .success(let result): outputs.append(("result", result.rows.flatMap { $0 }.joined(separator: "|")))
        case .failure(let error): outputs.append(("error", error.message))
        }
      }
      for name in ["c", "x0", "x1", "x2", "x3", "ok", "db.c"] {
        for query in ["DESCRIBE CONNECTION EXTENDED \(name)", "SHOW CREATE CONNECTION \(name)"] {
          for outcome in engine.run(script: query) {
            if case .success(let result) = outcome.result { outputs.append((query, result.rows.flatMap { $0 }.joined(separator: "|"))) }
          }
        }
      }
      for summary in (try? engine.connections()) ?? [] {
        outputs.append(("list", [summary.name, summary.endpoint ?? "", summary.comment ?? ""].joined(separator: "|")))
        outputs.append(("options", summary.options.map { "\($0.key)=\($0.value)" }.joined(separator: "|")))
        outputs.append(("secret keys", summary.secretKeys.joined(separator: "|")))
      }
      outputs.append(("catalog options", (try? engine.catalogNames().joined(separator: "|")) ?? ""))

      for (path, text) in outputs {
        if let leak = Self.scanner.leak(in: text) {
          leaks.append("\(attack) leaked \(leak) through \(path): \(text.prefix(300).debugDescription)")
          leaked[attack.category, default: 0] += 1
          break
        }
      }
      _ = engine.run(script: "DROP CONNECTION IF EXISTS c")
      _ = engine.run(script: "DROP TEMPORARY CONNECTION IF EXISTS c")
      for name in ["x0", "x1", "x2", "x3", "ok"] { _ = engine.run(script: "DROP CONNECTION IF EXISTS \(name)") }
      _ = engine.run(script: "DROP DATABASE IF EXISTS d CASCADE")
      _ = engine.run(script: "DROP CATALOG IF EXISTS k")
    }

    let history = try engine.history(limit: 1_000_000)
    for entry in history {
      if let leak = Self.scanner.leak(in: entry.statement + "|" + (entry.message ?? "")) {
        leaks.append("history leaked \(leak): \(entry.statement.prefix(200).debugDescription)")
      }
    }
    for (file, bytes) in try catalog.allFileBytes() {
      if let leak = Self.scanner.leak(in: bytes) { leaks.append("file \(file) holds \(leak)") }
    }
    let summary = AttackCorpus.categories.map { "\($0): \(tried[$0] ?? 0) tried, \(leaked[$0] ?? 0) leaked" }
    print("attack corpus (engine): " + summary.joined(separator: "; "))
    #expect(tried.values.reduce(0, +) > 500)
    #expect(history.count > 500)
    #expect(leaks.isEmpty, "\(leaks.count) leaks, first: \(leaks.prefix(5).joined(separator: "\n"))")
  }

  /// The check can fail: a statement that shows its canary is caught.
  @Test func theScanCatchesAPlantedLeak() {
    let canary = AttackCorpus.core + "zz"
    #expect(Self.scanner.leak(in: "ALTER CONNECTION c SET ('endpoint' = 'https://h/\(canary)')") != nil)
    #expect(Self.scanner.leak(in: Masker.mask("ALTER CONNECTION c SET ('endpoint' = 'https://h/\(canary)')")) != nil)
  }

  /// Fuzzer-shaped statements (the same generator the libFuzzer target uses), seeded: no leak,
  /// and two different secrets mask alike.
  @Test func generatedStatementsNeverLeak() {
    var random = SplitMix(seed: 0x1234_5678)
    for _ in 0..<20_000 {
      let input = random.bytes(Int(random.next() % 24))
      if let problem = FuzzCheck.problem(target: "Masker", input) {
        Issue.record("\(problem)")
        return
      }
    }
  }
}
