import ConnectionEngine
import Foundation
import Testing

/// One row of `Fixtures/scripts/scripts.tsv`: a script and Flink 2.3.0's parser on all of it.
struct FlinkScriptVerdict: CustomTestStringConvertible, Sendable {
  let index: Int
  let script: String
  let accepted: Bool
  /// 0:0 when Flink gave no position.
  let line: Int
  let column: Int
  /// How many statements Flink's parser found (when it accepted the script).
  let statementCount: Int
  let flinkMessage: String

  var testDescription: String { "#\(index) \(script.prefix(80).debugDescription)" }

  static func all() throws -> [FlinkScriptVerdict] {
    let rows = try FixtureFiles.text("scripts/scripts.tsv").split(separator: "\n")
    return rows.enumerated().map { index, row in
      let f = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      return FlinkScriptVerdict(
        index: index, script: String(decoding: Data(base64Encoded: f[0])!, as: UTF8.self), accepted: f[1] == "accept",
        line: Int(f[2])!, column: Int(f[3])!, statementCount: Int(f[4])!,
        flinkMessage: String(decoding: Data(base64Encoded: f[6])!, as: UTF8.self))
    }
  }
}

@Suite struct ScriptConformanceTests {
  @Test func tableIsLargeAndCoversBothVerdicts() throws {
    let all = try FlinkScriptVerdict.all()
    #expect(all.count >= 400)
    #expect(all.filter(\.accepted).count >= 200)
    #expect(all.filter { !$0.accepted }.count >= 100)
  }

  /// Flink accepts the script → `check` reports no error and finds as many statements;
  /// Flink rejects it → `check`'s first error is at Flink's line and column.
  @Test(arguments: try FlinkScriptVerdict.all())
  func checkAgreesWithFlink(_ verdict: FlinkScriptVerdict) {
    let report = Linter.lint(Array(verdict.script.utf8))
    let firstError = report.diagnostics.first { $0.severity == .error }
    if verdict.accepted {
      #expect(firstError == nil, "Flink accepts; check said: \(firstError?.message ?? "")")
      #expect(report.reading.statements.count + report.reading.others.count == verdict.statementCount)
    } else {
      guard let firstError else {
        Issue.record("Flink rejects (\(verdict.flinkMessage.prefix(160))); check found no error")
        return
      }
      if verdict.line != 0 {
        #expect(
          "\(firstError.location.line):\(firstError.location.column)" == "\(verdict.line):\(verdict.column)",
          "Flink: \(verdict.flinkMessage.prefix(160)); check: \(firstError.message)")
      }
    }
  }
}
