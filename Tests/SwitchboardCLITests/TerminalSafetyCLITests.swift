import Foundation
import Testing

/// Every byte the command line prints has passed the one sanitiser; catalog locations that are
/// not files are refused; the history can be purged.
@Suite struct TerminalSafetyCLITests {
  /// Controls that must never reach a terminal raw: ESC, CR, BEL, C1 (NEL, CSI), bidi override.
  static let forbidden: [[UInt8]] = [[0x1B], [0x0D], [0x07], [0xC2, 0x85], [0xC2, 0x9B], [0xE2, 0x80, 0xAE], [0xE2, 0x81, 0xA6]]

  func rawControl(in text: String) -> [UInt8]? {
    let bytes = Array(text.utf8)
    for needle in Self.forbidden where bytes.count >= needle.count {
      for start in 0...(bytes.count - needle.count) where Array(bytes[start..<(start + needle.count)]) == needle { return needle }
    }
    return nil
  }

  @Test func everyFormatAndMessageIsSanitised() throws {
    let cli = try CLIRunner()
    cli.environment["SWITCHBOARD_MASTER_KEY"] = Data(repeating: 0x61, count: 32).base64EncodedString()
    // (Flink's lexer refuses a line break inside a quoted name: the name has none.)
    let hostile = "a\u{1B}]0;title\u{07}\u{85}\u{9B}2J\u{202E}\u{2066}z"
    let created = try cli.run(["sql"], stdin: "CREATE CONNECTION `\(hostile)` COMMENT '\(hostile)\r' WITH ('region' = '\(hostile)\r')")
    try #require(created.status == 0, "\(created.stderr)")
    for format in ["table", "json", "csv"] {
      for query in ["SHOW CONNECTIONS", "DESCRIBE CONNECTION `\(hostile)`", "SHOW CREATE CONNECTION `\(hostile)`"] {
        let run = try cli.run(["sql", "--format", format], stdin: query)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("title"), "\(format) \(query)")
        #expect(rawControl(in: run.stdout + run.stderr) == nil, "\(format) \(query): \(run.stdout.debugDescription)")
      }
      let history = try cli.run(["history", "--format", format])
      #expect(rawControl(in: history.stdout) == nil, "history \(format)")
    }
    let missing = try cli.run(["sql"], stdin: "DESCRIBE CONNECTION `\(hostile)x`")
    #expect(missing.status == 1)
    #expect(rawControl(in: missing.stderr) == nil, "\(missing.stderr.debugDescription)")
    // A catalog path is data too.
    // (Under a regular file, so the folder cannot be made and the error quotes the path.)
    let blocker = cli.directory.appendingPathComponent("x\u{1B}]0;pwned\u{07}\u{202E}")
    try Data("not a folder".utf8).write(to: blocker)
    let path = blocker.appendingPathComponent("c.sqlite").path
    let badPath = try cli.run(["sql", "--catalog", path, "-e", "SHOW CONNECTIONS"])
    #expect(badPath.status == 3)
    #expect(rawControl(in: badPath.stderr) == nil, "\(badPath.stderr.debugDescription)")
    let checked = try cli.run(["check", "-f", path])
    #expect(rawControl(in: checked.stderr + checked.stdout) == nil, "\(checked.stderr.debugDescription)")
    let masked = try cli.run(["mask"], stdin: "SHOW CONNECTIONS LIKE '\(hostile)'")
    #expect(rawControl(in: masked.stdout) == nil, "\(masked.stdout.debugDescription)")
  }

  /// JSON output escapes what the sanitiser would (as `\u202e`, `\u001b`): it stays valid JSON
  /// and reads back as the exact text. Written as they were, the sanitiser turned such characters
  /// into escapes JSON does not have (`\u{202E}`, `\x9B`), and `export --format json` no longer
  /// parsed.
  @Test func jsonOutputIsValidAndReadsBackExactly() throws {
    let cli = try CLIRunner()
    cli.environment["SWITCHBOARD_MASTER_KEY"] = Data(repeating: 0x61, count: 32).base64EncodedString()
    let hostile = "a\u{1B}]0;t\u{07}\u{85}\u{9B}2J\u{202E}\u{2066}\u{2028}\u{FEFF}\u{7F}\\\"z"
    let quoted = hostile.replacingOccurrences(of: "`", with: "``")
    let created = try cli.run(["sql"], stdin: "CREATE CONNECTION `\(quoted)` COMMENT '\(hostile)\r\n' WITH ('region' = '\(hostile)\t')")
    try #require(created.status == 0, "\(created.stderr)")
    func parsed(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    let exported = try cli.run(["export", "--format", "json"])
    #expect(rawControl(in: exported.stdout) == nil, "\(exported.stdout.debugDescription)")
    let items = try #require(try parsed(exported.stdout) as? [[String: Any]], "\(exported.stdout.debugDescription)")
    #expect(items.first?["name"] as? String == hostile)
    #expect(items.first?["comment"] as? String == hostile + "\r\n")
    #expect((items.first?["options"] as? [String: String])?["region"] == hostile + "\t")

    let shown = try cli.run(["sql", "--format", "json"], stdin: "DESCRIBE CONNECTION `\(quoted)`")
    #expect(rawControl(in: shown.stdout) == nil, "\(shown.stdout.debugDescription)")
    let rows = try #require(try parsed(shown.stdout) as? [[String: String]], "\(shown.stdout.debugDescription)")
    #expect(rows.contains { $0["value"] == hostile + "\t" }, "\(rows)")

    let folder = cli.directory.appendingPathComponent("scripts")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data("CREATE TABLE t (a INT) WITH ('kafka.connection' = '\(hostile.replacingOccurrences(of: "'", with: "''"))');\n".utf8)
      .write(to: folder.appendingPathComponent("job.sql"))
    let scanned = try cli.run(["scan", "--format", "json", folder.path])
    #expect(rawControl(in: scanned.stdout) == nil, "\(scanned.stdout.debugDescription)")
    let scan = try #require(try parsed(scanned.stdout) as? [String: Any], "\(scanned.stdout.debugDescription)")
    let used = (scan["connections"] as? [[String: Any]])?.compactMap { $0["connection"] as? String }
    #expect(used == ["default_catalog.default_database.\(hostile)"], "\(scanned.stdout)")

    // And back: importing the export makes the same connection.
    let second = try CLIRunner()
    second.environment["SWITCHBOARD_MASTER_KEY"] = cli.environment["SWITCHBOARD_MASTER_KEY"]
    let imported = try second.run(["import", "--format", "json"], stdin: exported.stdout)
    #expect(imported.status == 0, "\(imported.stderr)")
    let again = try second.run(["export", "--format", "json"])
    #expect(again.stdout.replacingOccurrences(of: #""version" : 1"#, with: "") == exported.stdout.replacingOccurrences(of: #""version" : 1"#, with: ""))
  }

  @Test func catalogLocationsThatAreNotFilesAreRefused() throws {
    let cli = try CLIRunner()
    for location in ["", ":memory:", "file:x?mode=memory", "postgresql://u@h/db", cli.directory.path] {
      let run = try cli.run(["sql", "--catalog", location, "-e", "SHOW CONNECTIONS"])
      #expect(run.status == 3, "\(location): \(run.stderr)")
      #expect(run.stderr.contains("catalog") || run.stderr.contains("PostgreSQL"), "\(location): \(run.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: "postgresql:"))
  }

  @Test func historyPurgeRemovesEntriesBeforeADate() throws {
    let cli = try CLIRunner()
    try #require(try cli.run(["sql"], stdin: "CREATE CONNECTION c WITH ('region' = 'eu'); SHOW CONNECTIONS").status == 0)
    let old = try cli.run(["history", "--purge", "--before", "2000-01-01"])
    #expect(old.status == 0)
    #expect(old.stdout == "0 history entries removed.\n")
    let all = try cli.run(["history", "--purge", "--before", "2999-01-01T00:00:00Z"])
    #expect(all.stdout == "3 history entries removed.\n")  // two statements and the first purge
    let left = try cli.run(["history", "--format", "csv"])
    #expect(left.stdout.contains("-- history purge"))
    #expect(!left.stdout.contains("CREATE CONNECTION"))
    #expect(try cli.run(["history", "--purge", "--before", "yesterday"]).status == 2)
    #expect(try cli.run(["history", "--before", "2000-01-01"]).status == 2)
  }
}
