/// Flink SQL client's "tableau" layout: `+---+` rules, right-aligned cells, widths by display
/// width. Cells are sanitised, so data cannot carry escape sequences to the terminal.
public enum TableText {
  public static func lines(columns: [String], rows: [[String]]) -> [String] {
    let header = columns.map { sanitizedForTerminal($0) }
    let body = rows.map { $0.map { sanitizedForTerminal($0) } }
    var widths = header.map { displayWidth($0) }
    for row in body { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], displayWidth(cell)) } }
    let rule = "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+"
    func line(_ cells: [String]) -> String {
      "|" + cells.enumerated().map { " " + fit($1, width: widths[$0], alignRight: true) + " " }.joined(separator: "|") + "|"
    }
    return [rule, line(header), rule] + body.map(line) + [rule]
  }
}
