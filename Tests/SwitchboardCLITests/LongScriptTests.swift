import Foundation
import Testing

/// `sql -f` reads a script file a piece at a time. With tiny pieces (cut after almost every
/// statement) it must give what the whole script gives through standard input: the same
/// connections, history, errors at the same line and column, and nothing run after a syntax error.
@Suite struct LongScriptTests {
  /// Statements with what could confuse a cut: `;` in strings, comments and hints, `;;`,
  /// statements over several lines, two on one line, a trailing comment.
  static let script = """
    -- a; comment
    CREATE CONNECTION a WITH ('type' = 'default', 'note' = 'x;y');;
    CREATE CONNECTION b WITH ('type' = 'default') /* ; */; CREATE CONNECTION c WITH (
      'type' = 'default',
      'note' = 'multi
    line; text'
    );
    ALTER CONNECTION a SET ('note' = ';;;');
    CREATE CONNECTION `d;e` WITH ('type' = 'default'); -- trailing; comment

    """

  static func both(_ script: String, pieceBytes: Int = 16) throws -> (whole: CLIRunner.Run, pieces: CLIRunner.Run, wholeCLI: CLIRunner, piecesCLI: CLIRunner) {
    let whole = try CLIRunner()
    let pieces = try CLIRunner()
    pieces.environment["SWITCHBOARD_SEGMENT_BYTES"] = "\(pieceBytes)"
    let file = pieces.directory.appendingPathComponent("script.sql")
    try script.write(to: file, atomically: true, encoding: .utf8)
    return (try whole.run(["sql"], stdin: script), try pieces.run(["sql", "-f", file.path]), whole, pieces)
  }

  static func state(_ cli: CLIRunner) throws -> String {
    let list = try cli.run(["sql", "--format", "csv", "-e", "SHOW CONNECTIONS"]).stdout
    let described = try cli.run(["sql", "--format", "csv", "-e", "DESCRIBE CONNECTION a"]).stdout
    return list + described
  }

  @Test(arguments: [1, 7, 16, 50, 4096]) func piecesGiveWhatTheWholeScriptGives(pieceBytes: Int) throws {
    let run = try Self.both(Self.script, pieceBytes: pieceBytes)
    #expect(run.whole.status == 0, "\(run.whole.stderr)")
    #expect(run.pieces.status == 0, "\(run.pieces.stderr)")
    #expect(run.pieces.stdout == run.whole.stdout)
    func history(_ cli: CLIRunner) throws -> [String] {
      try cli.run(["history", "--format", "csv"]).stdout.split(separator: "\n").map { $0.split(separator: ",", maxSplits: 3).dropFirst(2).joined(separator: ",") }
    }
    #expect(try history(run.piecesCLI) == history(run.wholeCLI))
    let state = try Self.state(run.piecesCLI)
    #expect(state == (try Self.state(run.wholeCLI)))
    #expect(state.contains("d;e"))
  }

  @Test func aSyntaxErrorAnywhereRunsNothingAndIsReportedWhereItIs() throws {
    // The error is on the first line of a later piece, after another statement on that line.
    let script = Self.script + "CREATE CONNECTION f WITH ('type' = 'default'); CREATE CONNECTION g WITH ('type' 'default');\n"
    let run = try Self.both(script)
    #expect(run.whole.status == 1 && run.pieces.status == 1)
    func location(_ stderr: String) -> String? { stderr.split(separator: "\n").first { $0.contains(" --> ") }.map { String($0.split(separator: ":").suffix(2).joined(separator: ":")) } }
    #expect(location(run.pieces.stderr) != nil)
    #expect(location(run.pieces.stderr) == location(run.whole.stderr), "\(run.pieces.stderr) vs \(run.whole.stderr)")
    // The message names the same line and column as the caret (the file's, not the piece's).
    let message = { (stderr: String) in stderr.split(separator: "\n").first.map(String.init) }
    #expect(message(run.pieces.stderr)?.contains("at line") == true)
    #expect(message(run.pieces.stderr) == message(run.whole.stderr))
    #expect(try run.piecesCLI.run(["sql", "--format", "csv", "-e", "SHOW CONNECTIONS"]).stdout == "connection name\n")
  }

  /// The first pass shares its pieces between two threads (every other one is checked by the
  /// caller): a syntax error in any piece, whichever checks it, runs nothing.
  @Test(arguments: 0..<5) func aSyntaxErrorInAnyPieceRunsNothing(broken: Int) throws {
    let statements = (0..<5).map { i in
      i == broken ? "CREATE CONNECTION s\(i) WITH ('type' 'default');\n" : "CREATE CONNECTION s\(i) WITH ('type' = 'default');\n"
    }
    let cli = try CLIRunner()
    cli.environment["SWITCHBOARD_SEGMENT_BYTES"] = "\(statements[0].utf8.count)"  // a piece a statement
    let file = cli.directory.appendingPathComponent("script.sql")
    try statements.joined().write(to: file, atomically: true, encoding: .utf8)
    let run = try cli.run(["sql", "-f", file.path])
    #expect(run.status == 1)
    #expect(run.stderr.contains("script.sql:\(broken + 1):"), "\(run.stderr)")
    #expect(try cli.run(["sql", "--format", "csv", "-e", "SHOW CONNECTIONS"]).stdout == "connection name\n")
  }

  @Test func aFailureStopsTheScriptAndKeepsWhatRanBefore() throws {
    let script = Self.script + "CREATE CONNECTION a WITH ('type' = 'default');\nCREATE CONNECTION z WITH ('type' = 'default');\n"
    let run = try Self.both(script)
    #expect(run.whole.status == 1 && run.pieces.status == 1)
    #expect(run.pieces.stderr.contains("already exists"))
    #expect(try Self.state(run.piecesCLI) == Self.state(run.wholeCLI))
    #expect(!(try Self.state(run.piecesCLI)).contains("\nz\n"))
  }

  @Test func invalidUTF8InALaterPieceRunsNothing() throws {
    let cli = try CLIRunner()
    cli.environment["SWITCHBOARD_SEGMENT_BYTES"] = "16"
    let file = cli.directory.appendingPathComponent("bad.sql")
    var bytes = Data(Self.script.utf8)
    bytes.append(contentsOf: Array("CREATE CONNECTION h WITH ('type' = 'x".utf8) + [0xFF] + Array("');\n".utf8))
    try bytes.write(to: file)
    let run = try cli.run(["sql", "-f", file.path])
    #expect(run.status == 1)
    #expect(run.stderr.contains("bad.sql:10:38: error: the input is not valid UTF-8"), "\(run.stderr)")
    #expect(try cli.run(["sql", "--format", "csv", "-e", "SHOW CONNECTIONS"]).stdout == "connection name\n")
  }
}
