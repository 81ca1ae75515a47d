import Foundation
import ConnectionEngine
import TerminalKit

enum OutputFormat: String, CaseIterable {
  case table, json, csv
}

/// Renders result sets for the terminal or a pipe. Every cell is sanitised: data never reaches
/// the terminal as control characters or escape sequences.
enum ResultRenderer {
  static func render(_ result: ResultSet, format: OutputFormat) -> String {
    switch format {
    case .table: return table(result)
    case .json: return json(result)
    case .csv: return csv(result)
    }
  }

  /// Flink SQL client's tableau layout: right-aligned cells, `+---+` rules, a row count.
  static func table(_ result: ResultSet) -> String {
    if result == .ok { return "[INFO] Execute statement succeeded.\n" }
    // A single multi-line text (SHOW CREATE) reads best as it is.
    if result.columns == ["result"], result.rows.count == 1 {
      return result.rows[0][0].split(separator: "\n", omittingEmptySubsequences: false)
        .map { sanitizedForTerminal($0) }.joined(separator: "\n") + (result.rows[0][0].hasSuffix("\n") ? "" : "\n")
    }
    if result.rows.isEmpty { return "Empty set\n" }
    let lines = TableText.lines(columns: result.columns, rows: result.rows)
    return lines.joined(separator: "\n") + "\n" + (result.rows.count == 1 ? "1 row in set\n" : "\(result.rows.count) rows in set\n")
  }

  /// One JSON array of objects per result, on one line (JSON Lines across statements).
  static func json(_ result: ResultSet) -> String {
    JSONValue.array(result.rows.map { row in .object(zip(result.columns, row).map { (key: $0, value: .string($1)) }) }).compact + "\n"
  }

  /// RFC 4180: header, then rows; fields with `"`, `,` or line breaks are quoted.
  static func csv(_ result: ResultSet) -> String {
    func field(_ text: String) -> String {
      let safe = sanitizedForTerminal(text, keepingLineBreaks: true)
      guard safe.contains(where: { $0 == "\"" || $0 == "," || $0 == "\n" || $0 == "\r" }) else { return safe }
      return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return ([result.columns] + result.rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
  }
}
