import Foundation
import FuzzChecks

/// Test data committed next to the tests (excluded from the target, read from the source tree).
enum FixtureFiles {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  static func text(_ relativePath: String) throws -> String {
    try String(contentsOf: directory.appendingPathComponent(relativePath), encoding: .utf8)
  }

  /// Every input the lexer and parser proofs start from: Flink's conformance table, the attack
  /// corpus and the realistic scripts.
  static func flinkInputs() throws -> [String] {
    var inputs = try FlinkVerdict.all().map(\.sql)
    inputs += AttackCorpus.all().map(\.sql)
    let realistic = directory.appendingPathComponent("scripts/realistic")
    for file in try FileManager.default.contentsOfDirectory(atPath: realistic.path) where file.hasSuffix(".sql") {
      inputs.append(try String(contentsOf: realistic.appendingPathComponent(file), encoding: .utf8))
    }
    return inputs
  }
}
