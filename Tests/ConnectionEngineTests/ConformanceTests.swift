import ConnectionEngine
import Foundation
import Testing

/// One row of `Fixtures/conformance/conformance.tsv`: a statement and Flink 2.3.0's verdict on it.
struct FlinkVerdict: CustomTestStringConvertible, Sendable {
  let index: Int
  let sql: String
  let accepted: Bool
  /// 0:0 when Flink gave no position (then only the verdict is compared).
  let line: Int
  let column: Int
  let flinkMessage: String

  var testDescription: String { "#\(index) \(sql.debugDescription)" }

  static func all() throws -> [FlinkVerdict] {
    let rows = try FixtureFiles.text("conformance/conformance.tsv").split(separator: "\n")
    return rows.enumerated().map { index, row in
      let f = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      return FlinkVerdict(
        index: index, sql: String(decoding: Data(base64Encoded: f[0])!, as: UTF8.self), accepted: f[1] == "accept",
        line: Int(f[2])!, column: Int(f[3])!, flinkMessage: String(decoding: Data(base64Encoded: f[5])!, as: UTF8.self))
    }
  }
}

@Suite struct ConformanceTests {
  @Test func tableIsLargeAndCoversBothVerdicts() throws {
    let all = try FlinkVerdict.all()
    #expect(all.count >= 300)
    #expect(all.filter(\.accepted).count >= 100)
    #expect(all.filter { !$0.accepted }.count >= 100)
  }

  /// Flink accepts → we parse it (or name it a Flink statement outside the dialect);
  /// Flink rejects → we reject, at the same line and column when Flink gives one.
  @Test(arguments: try FlinkVerdict.all())
  func agreesWithFlink(_ verdict: FlinkVerdict) {
    let result = Parser.parseScript(verdict.sql, recover: false)
    let error = result.errors.first
    if verdict.accepted {
      #expect(error == nil || error?.kind == .unsupported, "Flink accepts; we said: \(error?.message ?? "")")
    } else {
      guard let error else {
        Issue.record("Flink rejects (\(verdict.flinkMessage.prefix(120))); we accepted")
        return
      }
      #expect(error.kind != .unsupported, "Flink rejects; we called it unsupported")
      if verdict.line != 0 {
        #expect(
          "\(error.location.line):\(error.location.column)" == "\(verdict.line):\(verdict.column)",
          "Flink: \(verdict.flinkMessage.prefix(160)); we: \(error.message)")
      }
    }
  }
}
