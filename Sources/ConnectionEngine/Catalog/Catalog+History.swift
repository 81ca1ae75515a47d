/// The history: one masked statement per row, with when, who and how it went.
extension Catalog {
  /// Appends inside the caller's transaction. `statement` is masked text.
  func appendHistory(at time: Double, user: String, statement: String, outcome: String, message: String?) throws {
    try driver.execute(
      "INSERT INTO history (at, \(userColumn), statement, outcome, message) VALUES (?, ?, ?, ?, ?)",
      [.double(time), .text(user), .text(Self.storable(statement)), .text(outcome), SQLValue(message.map(Self.storable))])
  }

  /// A refused statement may still hold a NUL, which SQLite would read back as the end of the
  /// text and PostgreSQL cannot store: it is kept as the `\x00` the terminal would show anyway.
  static func storable(_ text: String) -> String {
    text.utf8.contains(0) ? text.split(separator: "\u{0}", omittingEmptySubsequences: false).joined(separator: "\\x00") : text
  }

  /// The most recent entries, newest last.
  func history(limit: Int) throws -> [HistoryEntry] {
    var entries: [HistoryEntry] = []
    try driver.forEachRow(
      """
      SELECT at, \(userColumn), statement, outcome, message FROM
        (SELECT at, \(userColumn), statement, outcome, message, id FROM history ORDER BY id DESC LIMIT ?) AS recent
      ORDER BY id
      """, [.int(Int64(limit))]
    ) { row in
      entries.append(HistoryEntry(at: row.double(0), user: row.string(1), statement: row.string(2), outcome: row.string(3), message: row.text(4)))
    }
    return entries
  }

  /// How many entries are older than `before` (all when nil).
  func historyCount(before: Double?) throws -> Int {
    let count =
      if let before { try driver.int("SELECT count(*) FROM history WHERE at < ?", [.double(before)]) } else {
        try driver.int("SELECT count(*) FROM history")
      }
    return Int(count ?? 0)
  }

  /// Deletes entries older than `before` (all when nil); returns how many went.
  func deleteHistory(before: Double?) throws -> Int {
    if let before { return try driver.execute("DELETE FROM history WHERE at < ?", [.double(before)]) }
    return try driver.execute("DELETE FROM history", [])
  }

  /// `user` is a reserved word in PostgreSQL.
  private var userColumn: String { dialect == .sqlite ? "user" : "os_user" }
}
