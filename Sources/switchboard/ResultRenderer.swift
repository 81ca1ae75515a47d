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
    let objects = result.rows.map { row in
      "{" + zip(result.columns, row).map { jsonString($0) + ":" + jsonString($1) }.joined(separator: ",") + "}"
    }
    return "[" + objects.joined(separator: ",") + "]\n"
  }

  /// A JSON string with every control and invisible format character escaped.
  static func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.properties.generalCategory == .format
          || scalar.value == 0x2028 || scalar.value == 0x2029
        {
          for unit in String(scalar).utf16 {
            let hex = String(unit, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
          }
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
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
