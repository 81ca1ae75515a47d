import Foundation
import FuzzChecks
import Testing

/// Replays what the fuzzers saved (crashes, leaks, timeouts) and the seed corpus through the
/// same checks the libFuzzer targets run (Scripts/fuzz.sh).
@Suite struct FuzzRegressionTests {
  static func inputs(_ folder: String) -> [(String, [UInt8])] {
    let url = FixtureFiles.directory.appendingPathComponent(folder)
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return [] }
    return names.sorted().compactMap { name in
      (try? Data(contentsOf: url.appendingPathComponent(name))).map { (name, Array($0)) }
    }
  }

  @Test(arguments: FuzzCheck.targets)
  func savedFindingsStayFixed(_ target: String) {
    for (name, input) in Self.inputs("fuzz-regressions/\(target)") {
      #expect(FuzzCheck.problem(target: target, input) == nil, "\(target)/\(name)")
    }
  }

  @Test(arguments: FuzzCheck.targets)
  func seedsPassEveryCheck(_ target: String) {
    let seeds = Self.inputs("fuzz-seeds")
    #expect(seeds.count >= 30)
    for (name, input) in seeds {
      #expect(FuzzCheck.problem(target: target, input) == nil, "\(target)/\(name)")
    }
  }

  /// The checks can fail: a masker that leaked would be caught.
  @Test func checksDetectProblems() {
    #expect(FuzzCheck.problem(target: "Nope", []) != nil)
    #expect(FuzzCheck.problem(target: "Lexer", Array("SELECT 'x".utf8)) == nil)
  }
}
