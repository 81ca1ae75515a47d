import ConnectionEngine
import FuzzChecks
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
      #expect(report.statementRanges.count + report.reading.others.count == verdict.statementCount)
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

/// Reading a script in pieces at once (as `check` does with a long one) finds what reading it
/// whole finds, wherever the cut falls: between statements, inside a statement set, a
/// literal, a comment or a hint, before a second `;`, where a `;` is missing.
@Suite struct CutReadingTests {
  @Test func piecesPutTogetherEqualOneReading() throws {
    var scripts = try FlinkScriptVerdict.all().map(\.script)
    scripts += try FixtureFiles.flinkInputs()
    let corpus = AttackCorpus.all().map(\.sql)
    var random = SplitMix(seed: 0xC47)
    for _ in 0..<200 {
      let picked = (0..<Int(random.next() % 8 + 2)).map { _ in corpus[Int(random.next() % UInt64(corpus.count))] }
      scripts.append(picked.joined(separator: random.next() % 3 == 0 ? "\n" : ";\n"))
    }
    scripts += [
      "EXECUTE STATEMENT SET BEGIN\nINSERT INTO a SELECT 1;\nINSERT INTO b SELECT 2;\nEND;\nSHOW CONNECTIONS",
      "BEGIN STATEMENT SET;\nINSERT INTO a SELECT 1;\nEND;\nCREATE CONNECTION c WITH ('k' = 'v')",
      "SHOW CONNECTIONS;\n;\nSHOW CONNECTIONS",
      "SHOW CONNECTIONS;\n/* x;\nSHOW CONNECTIONS;\n */ SHOW CONNECTIONS",
      "CREATE TABLE t (a INT) WITH ('k' = 'a;\nSHOW CONNECTIONS;\nb');\nSHOW CONNECTIONS",
      "SELECT /*+ OPTIONS('k' = 'v');\nSHOW CONNECTIONS */ 1;\nSHOW CONNECTIONS",
      "CREATE TABLE t (a INT) WITH ('x.connection' = 'n1');\nCREATE CONNECTION c WITH ('k' = 'v')\nCREATE TABLE u (a INT)",
      "SHOW CONNECTIONS;\nCREATE CONNECTION 'open;\nSHOW CONNECTIONS;\nSHOW CONNECTIONS",
      "DROP CONNECTION c;\n\u{1F50C} SHOW CONNECTIONS;\nSHOW CONNECTIONS",
      "SHOW TABLES #;\nDROP CONNECTION `a\nb`;\nSELECT 1 !x;\nSELECT @;\nSHOW CONNECTIONS;\nSELECT `open\n;\nSHOW CONNECTIONS",
      "SHOW CONNECTIONS;\nSELECT 'a #;\nSHOW CONNECTIONS;\n' FROM t;\nSELECT /* # ;\nSHOW CONNECTIONS; */ 1;\nSHOW CONNECTIONS",
    ]
    var (putTogether, readAgain, manyCuts, manyReadAgain) = (0, 0, 0, 0)
    for script in scripts {
      let semicolons = script.utf8.indices.filter { script.utf8[$0] == UInt8(ascii: ";") }.map { script.utf8.distance(from: script.utf8.startIndex, to: $0) }
      for dialect in FlinkDialect.allCases {
        for offset in semicolons {
          guard let cut = Parser.cutReading(script, at: [offset], dialect: dialect) else { continue }
          #expect(cut.disagreement == nil, "\(script.debugDescription)")
          if cut.readAgain == 0 { putTogether += 1 } else { readAgain += 1 }
        }
        // A piece after every `;` at once: pieces read again with the next, and again.
        guard semicolons.count > 2, let cut = Parser.cutReading(script, at: semicolons, dialect: dialect) else { continue }
        #expect(cut.disagreement == nil, "\(script.debugDescription)")
        manyCuts += 1
        if cut.readAgain > 1 { manyReadAgain += 1 }
      }
    }
    #expect(putTogether > 2_000)
    #expect(readAgain > 50)
    #expect(manyCuts > 300)
    #expect(manyReadAgain > 5)
  }

  /// A comment left open swallows every cut after it: the rest is read again once, not a piece
  /// at a time (which reads it again and again).
  @Test func anOpenCommentIsReadAgainOnce() throws {
    let statements = (0..<50).map { "CREATE CONNECTION c\($0) WITH ('k' = 'v');\n" }
    let script = "SHOW CONNECTIONS;\n/* open\n" + statements.joined()
    let semicolons = script.utf8.indices.filter { script.utf8[$0] == UInt8(ascii: ";") }.map { script.utf8.distance(from: script.utf8.startIndex, to: $0) }
    let cut = try #require(Parser.cutReading(script, at: semicolons))
    #expect(cut.disagreement == nil)
    #expect(cut.readAgain == 2)
  }

  /// A lexical error a piece's end did not cause (a `#`, a quoted name broken by a line break)
  /// is one in the whole script too: the piece is not read again for it.
  @Test func aLexicalErrorInsideAPieceIsNotACut() throws {
    let script = (0..<40).map { "SHOW TABLES #;\nDROP CONNECTION `c\($0)\n;\nCREATE CONNECTION d\($0) WITH ('k' = 'v');\n" }.joined()
    let semicolons = script.utf8.indices.filter { script.utf8[$0] == UInt8(ascii: ";") }.map { script.utf8.distance(from: script.utf8.startIndex, to: $0) }
    let cut = try #require(Parser.cutReading(script, at: semicolons))
    #expect(cut.disagreement == nil)
    #expect(cut.readAgain == 0)
    #expect(Parser.readScript(bytes: Array(script.utf8)).errors.count == 80)
  }

  /// `sql -f` reads a script a few megabytes at a time and runs it up to the last `;` that lexing
  /// more cannot move: a lexical error earlier in the bytes (a `#`) does not hold the boundary
  /// back (it kept the rest of a long script in memory), while what the end of the bytes cuts off
  /// (a character, a quoted name, a comment, a literal) does.
  @Test func aBoundaryIsTheLastSemicolonTheEndCannotMove() {
    func boundary(_ text: String, droppingLast dropped: Int = 0) -> Int? {
      ScriptSegments.lastBoundary(in: Array(Array(text.utf8).dropLast(dropped)))
    }
    let head = "SHOW TABLES #;\nSHOW CONNECTIONS;\n"
    #expect(boundary(head + "SHOW") == head.utf8.count - 1)
    #expect(boundary(head + "SELECT 'caf\u{E9}") == head.utf8.count - 1)
    #expect(boundary(head + "SHOW CONNECTIONS; \u{E9}", droppingLast: 1) == head.utf8.count + 17)
    #expect(boundary(head + "DROP CONNECTION `a;b") == head.utf8.count - 1)
    #expect(boundary(head + "SHOW CONNECTIONS; /* a; b") == head.utf8.count - 1)
    #expect(boundary(head + "SHOW CONNECTIONS; E'a\\'; b") == head.utf8.count - 1)
    // A `"` is a token of its own, whatever follows (Flink quotes names with back-ticks), unless
    // it opens a `U&"..."` name, which the end may cut: no `;` after that one is trusted.
    #expect(boundary(head + "SHOW CONNECTIONS; SELECT \"a; b") == head.utf8.count + 28)
    #expect(boundary(head + "SHOW CONNECTIONS; DROP CONNECTION U&\"a; b") == head.utf8.count + 17)
    #expect(boundary(head + "SHOW CONNECTIONS; DROP CONNECTION u&\"a; b") == head.utf8.count + 17)
    // With no boundary, the next round lexes on from near the end, not from the start again
    // (a JSON document, a `"` every few bytes, took `sql -f` time that grew with its square).
    let json = Array(String(repeating: #"{"id": 1, "tags": ["a", "b"]}, "#, count: 1_000).utf8)
    #expect(ScriptSegments.lastBoundary(in: json, from: 0).resumeAt > json.count - 40)
  }

  /// `sql -f` cuts a file as `ScriptFileSegments` does: `chunk` bytes more at a time, each round
  /// lexing on from where the last found no boundary (`incremental`) or from the piece's start.
  static func fileCuts(_ bytes: [UInt8], chunk: Int, incremental: Bool) -> [Int] {
    var cuts: [Int] = []
    var pieceStart = 0
    var scanFrom = 0
    var read = 0
    while read < bytes.count {
      read = min(bytes.count, read + chunk)
      let carry = Array(bytes[pieceStart..<read])
      let found = ScriptSegments.lastBoundary(in: carry, from: incremental ? scanFrom : 0)
      guard let boundary = found.boundary else {
        scanFrom = found.resumeAt
        continue
      }
      cuts.append(pieceStart + boundary)
      pieceStart += boundary
      scanFrom = 0
    }
    return cuts
  }

  /// Scripts that cut-off tokens and long runs without a boundary are made of: literals, quoted
  /// names and comments holding `;`, `E'...'` with an escaped quote, collation-id-like runs,
  /// runs of `;`, lexical errors, non-ASCII letters.
  static func boundaryTrialScripts() throws -> [String] {
    let fragments = [
      "SHOW CONNECTIONS", "DROP CONNECTION c", ";", ";;", " ", "\n", "\t", "'a;b'", "'it''s'", "e'a\\';'", "E'x'", "/* x; */",
      "/*+ h; */", "-- c;\n", "// d;\n", "`q;`", "`a\nb`", "abc.de$f", "a.b:c-d", "a.", "1.5e3", "1e", "x", "'open", "U&'x'",
      "_latin1'z'", "$", "#", "!", "caf\u{E9}", "SELECT", "(", ")", "'k' = 'v'", ",", "INSERT INTO t VALUES (1, 'a')",
    ]
    var generator = SplitMix(seed: 0x5E6_3E47)
    var scripts = try FixtureFiles.flinkInputs().filter { $0.utf8.count > 40 }.prefix(400).map { $0 }
    for _ in 0..<400 {
      let count = Int.random(in: 1...120, using: &generator)
      scripts.append((0..<count).map { _ in fragments.randomElement(using: &generator)! }.joined(separator: Bool.random(using: &generator) ? " " : ""))
    }
    return scripts
  }

  /// Lexing on from where the last round stopped cuts a file exactly where lexing each round
  /// from the start does, whatever the round size.
  @Test func aBoundarySearchGoesOnWhereTheLastStopped() throws {
    var compared = 0
    var resumed = 0
    for script in try Self.boundaryTrialScripts() {
      let bytes = Array(script.utf8)
      for chunk in [1, 3, 16, 61] where bytes.count / chunk < 1_000 {
        let whole = Self.fileCuts(bytes, chunk: chunk, incremental: false)
        #expect(Self.fileCuts(bytes, chunk: chunk, incremental: true) == whole, "\(script.prefix(120).debugDescription) in rounds of \(chunk)")
        compared += 1
      }
      if ScriptSegments.lastBoundary(in: bytes, from: 0).resumeAt > 0 { resumed += 1 }
    }
    #expect(compared > 2_000)
    #expect(resumed > 100)
  }

  /// A statement longer than a round: each round's search starts near the end of the one before.
  @Test func aLongStatementIsLexedOnceAcrossRounds() {
    let insert = Array(("INSERT INTO t VALUES " + (0..<20_000).map { "(\($0), 'n\($0)')" }.joined(separator: ", ")).utf8)
    let found = ScriptSegments.lastBoundary(in: insert, from: 0)
    #expect(found.boundary == nil)
    #expect(found.resumeAt > insert.count - 20 && found.resumeAt < insert.count)
    let semicolons = [UInt8](repeating: UInt8(ascii: ";"), count: 100_000)
    #expect(ScriptSegments.lastBoundary(in: semicolons, from: 0).resumeAt == semicolons.count - 2)
  }

  /// An `E'...'` holding an escaped quote and `;`s: a piece that ends inside it reads the escaped
  /// quote as the end of a plain literal and the rest as statements; it is read again with more
  /// (and `sql -f` does not cut a script there).
  @Test func anOpenCStyleLiteralIsNotCut() {
    let script = "ALTER CONNECTION c SET ('k' = e'a\\');\nDROP CONNECTION d;\nSHOW CONNECTIONS;\nx');\nSHOW CONNECTIONS;\n"
    let semicolons = script.utf8.indices.filter { script.utf8[$0] == UInt8(ascii: ";") }.map { script.utf8.distance(from: script.utf8.startIndex, to: $0) }
    var cuts = 0
    for offset in semicolons {
      guard let cut = Parser.cutReading(script, at: [offset]) else { continue }  // no statement after it
      #expect(cut.disagreement == nil, "cut after \(offset)")
      cuts += 1
    }
    #expect(cuts == 4)
    let opening = Array(script.utf8.prefix(script.utf8.count - 24))  // ends after `SHOW CONNECTIONS;\n`, inside the literal
    #expect(ScriptSegments.lastBoundary(in: opening) == nil)
    #expect(Parser.readScript(bytes: Array(script.utf8)).nameChanges.isEmpty)
  }

  /// A `;` ends a statement even inside parentheses left open: the next statement's options are
  /// not checked as this one's, so a cut after that `;` reads the same (found by the fuzzer).
  @Test func aSemicolonInsideOpenParenthesesEndsTheStatement() throws {
    let script = "CREATE TABLE t (a INT;\nb STRING) WITH ('k' = v);\nSHOW CONNECTIONS;\n"
    let reading = Parser.readScript(bytes: Array(script.utf8))
    #expect(reading.errors.map { "\($0.location.line):\($0.location.column)" } == ["2:1"])
    #expect(reading.others.map(\.kind) == ["CREATE TABLE"])
    let cut = try #require(Parser.cutReading(script, at: [21]))
    #expect(cut.disagreement == nil)
  }
}

/// The line index (`check`'s locations) answers as counting from the start does, at every offset
/// of scripts with LF, CRLF and lone CR line breaks, tabs, and characters of every UTF-8 length.
@Suite struct LineIndexTests {
  @Test func indexAndCountingAgree() throws {
    var scripts = try FixtureFiles.flinkInputs().prefix(200).map { $0 }
    scripts += [
      "", "\n", "\r", "\r\n", "a\nb\r\nc\rd", "SHOW CONNECTIONS;\r\n\tDROP CONNECTION é;\r\r\n連 🔌;\n",
      "no break at all", "\n\n\r\r\n\r\n", "x\r", "é\r\n🔌\n\r",
    ]
    var offsets = 0
    var random = SplitMix(seed: 0x11E5)
    for script in scripts {
      let bytes = Array(script.utf8)
      let index = LineIndex(bytes)
      // In order (each column counted on from the last), then in a seeded random order (back
      // and forth across lines).
      for offset in Array(0...bytes.count) + (0...bytes.count).shuffled(using: &random) {
        #expect(index.location(of: offset) == SourceLocation.of(offset: offset, in: bytes), "\(script.debugDescription) at \(offset)")
        offsets += 1
      }
    }
    #expect(offsets > 20_000)
  }

  /// The index `check --verbose` makes on every core, a megabyte at a time, answers as the one
  /// made in one pass: with a CR LF, a lone CR, an LF and a wide character on each megabyte's edge.
  @Test func anIndexMadeOnEveryCoreAgrees() {
    let edge = 1 << 20
    var disagreements: [Int] = []
    for (shift, breakAtEdge) in [(-1, "\r\n"), (0, "\r\n"), (-1, "\r"), (0, "\n"), (-2, "\u{1F50C}")] {
      var bytes = Array(String(repeating: "SHOW TABLES;\r\n\tDROP CONNECTION \u{E9};\n", count: 3 * edge / 40).utf8)
      for start in stride(from: edge + shift, to: bytes.count - 4, by: edge) {
        bytes.replaceSubrange(start..<start + breakAtEdge.utf8.count, with: Array(breakAtEdge.utf8))
      }
      disagreements += LineIndex.onEveryCoreDisagreements(bytes)
    }
    #expect(disagreements.isEmpty, "\(disagreements.count) offsets disagree, the first at \(disagreements.first ?? 0)")
  }

  /// A script on one long line (as a tool may write one): every diagnostic's column is right.
  @Test func oneLongLinesDiagnosticsKeepTheirColumns() {
    let statements = (0..<2_000).map { $0 % 7 == 0 ? "SHOW TABLES \u{1F50C}#; " : "DROP TEMPORARY SYSTEM CONNECTION `c\u{E9}\($0)`; " }
    let bytes = Array(statements.joined().utf8)
    let report = Linter.lint(bytes)
    #expect(report.diagnostics.count == 2_000)
    let wrong = report.diagnostics.filter { $0.location != SourceLocation.of(offset: $0.offset, in: bytes) }
    #expect(wrong.count == 0, "diagnostics placed wrongly, the first at offset \(wrong.first?.offset ?? 0)")
  }

  /// `check` reads a long script in pieces, each finding its own line starts (and, for its
  /// errors, indexing its own lines after those before it): every diagnostic's line and column,
  /// and the line and column an error's message gives, are still those of the whole script,
  /// with LF, CR LF and lone CR breaks, indented lines (a piece may start after the indent) and
  /// wide characters before a warning.
  @Test func aLongScriptsPiecesKeepItsLines() {
    let breaks = ["\n", "\r\n", "\r", "\n\n"]
    let indents = ["", "\t ", "/* \u{E9}\u{1F50C} */ ", "  "]
    var script = ""
    var i = 0
    while script.utf8.count < 1_200_000 {
      script += indents[i % 4] + "DROP TEMPORARY SYSTEM CONNECTION c\(i);" + breaks[i % 4] + indents[(i / 3) % 4] + "CREATE CONNECTION d\(i) WITH ('type' = 'nope');" + breaks[(i / 4) % 4]
      if i % 97 == 0 { script += "CREATE CONNECTION e\(i) WITH ('a' = 'b' 'c' = 'd');" + breaks[(i / 97) % 4] }
      if i % 89 == 0 { script += "SHOW TABLES \u{E9}\u{1F50C}#;" + breaks[(i / 89) % 4] }
      i += 1
    }
    let bytes = Array(script.utf8)
    expectPlacedAsInTheWholeScript(Linter.lint(bytes), bytes)
  }

  /// Every diagnostic of `report` (of `bytes`, over 20,000 of them and over 250 errors) is where
  /// the whole script's line index puts it, and each error's message names that place.
  private func expectPlacedAsInTheWholeScript(_ report: LintReport, _ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let whole = LineIndex(bytes)
    #expect(report.diagnostics.count > 20_000, sourceLocation: sourceLocation)
    let wrong = report.diagnostics.filter { $0.location != whole.location(of: $0.offset) }
    #expect(wrong.count == 0, "diagnostics placed wrongly, the first at offset \(wrong.first?.offset ?? 0)", sourceLocation: sourceLocation)
    let errors = report.diagnostics.filter { $0.severity == .error }
    #expect(errors.count > 250, sourceLocation: sourceLocation)
    let misquoted = errors.filter { !$0.message.contains("line \($0.location.line), column \($0.location.column)") }
    #expect(misquoted.count == 0, "errors name another place, the first: \(misquoted.first?.message ?? "")", sourceLocation: sourceLocation)
  }

  /// A statement of more tokens than a statement keeps (only a file that is not a script has
  /// them) is reported where it starts; the parser's error where its tokens stop is not, and the
  /// statements after it are read as usual.
  @Test func aStatementTooLongToKeepIsReportedAndTheRestIsRead() {
    let long = "CREATE CONNECTION c WITH (" + (0..<300_000).map { "'k\($0)' = 'v'" }.joined(separator: ", ") + ");"
    let script = "SHOW CONNECTIONS;\n" + long + "\nDROP TEMPORARY SYSTEM CONNECTION d;\n"
    let report = Linter.lint(Array(script.utf8))
    let found = report.diagnostics.map { "\($0.location) \($0.severity.rawValue): \($0.message)" }
    #expect(
      found == [
        "2:1 error: This statement is longer than 1048576 tokens: the rest of it is not read.",
        "3:34 warning: DROP TEMPORARY SYSTEM CONNECTION is not supported yet.",
      ])
  }

  /// A script on few lines (generated, minified) is read in pieces too, cut inside its lines:
  /// a warning on a piece's first line counts its column from the line's start, not the piece's.
  @Test func aScriptOnFewLinesIsReadInPiecesAndKeepsItsColumns() {
    let gaps = [" ", "\t", "  ", " \t "]
    let wide = ["", "\u{E9}", "\u{1F50C}", "\u{65E5}\u{672C}"]
    var script = ""
    var i = 0
    while script.utf8.count < 1_500_000 {
      script += "DROP TEMPORARY SYSTEM CONNECTION c\(i)\(wide[i % 4]);" + gaps[i % 4] + "CREATE CONNECTION d\(i) WITH ('type' = 'nope');" + gaps[(i / 4) % 4]
      if i % 97 == 0 { script += "CREATE CONNECTION e\(i) WITH ('a' = 'b' 'c' = 'd');" + gaps[(i / 97) % 4] }
      if i % 89 == 0 { script += "SHOW TABLES \u{E9}\u{1F50C}#;" + gaps[(i / 89) % 4] }
      // A line break now and then: lines of about 600 KB, each longer than two pieces.
      if i % 9_000 == 8_999 { script += ["\n", "\r\n"][(i / 9_000) % 2] }
      i += 1
    }
    let bytes = Array(script.utf8)
    let report = Linter.lint(bytes)
    #expect(report.pieceCount > 4)
    expectPlacedAsInTheWholeScript(report, bytes)
  }
}

/// Stepping over literals that cannot name a connection finds the same references (and the rest)
/// as parsing every literal: keys in every case, split in parts, escaped, prefixed, with UESCAPE,
/// without `=` or value, at the end of input. So does checking another object's options without
/// making their text: the same errors, malformed literals included.
@Suite struct LiteralSkipTests {
  @Test func steppingOverAndParsingAgree() throws {
    var scripts = try FlinkScriptVerdict.all().map(\.script)
    scripts += try FixtureFiles.flinkInputs()
    let keys = [
      "'kafka.connection'", "'KAFKA.Connection'", "'x.connectioN'", "'.connection'", "'connection'", "'a.connections'",
      "'a.conn' 'ection'", "'a.connection' 'x'", "'a.connection'''", "'a.co''nnection'", "U&'a.connection'",
      "U&'a.c\\006Fnnection'", "N'a.connection'", "_UTF8'a.connection'", "E'a.connection'", "X'00'", "'a.connection' UESCAPE '!'",
      "'k'", "''", "'a.\u{212A}onnection'", "'é.connection'",
    ]
    // Malformed forms too: in another object's options, what is only checked must fail alike.
    let values = [
      "'n1'", "'n1' 'n2'", "'n1' UESCAPE '!'", "U&'n\\0031'", "''", "x", "'open", "", "'v' 'w' 'x'", "U&'\\zz'", "X'zz'",
      "_FOO'x'", "E'\\", "'a' U&'b'", "'a' X'00'",
    ]
    for key in keys {
      for value in values {
        scripts.append("CREATE TABLE t (a INT) WITH (\(key) = \(value), 'other' = 'v');\nSHOW CONNECTIONS")
        scripts.append("INSERT INTO t SELECT \(key) = \(value)")
        scripts.append("SELECT \(key) \(value) = \(key)")
        scripts.append("CREATE TABLE t (a INT) WITH (\(key) = \(value)")
      }
    }
    var withReferences = 0
    for script in scripts {
      for dialect in FlinkDialect.allCases {
        #expect(Parser.literalSkipDisagreement(script, dialect: dialect) == nil, "\(script.debugDescription)")
      }
      if !Parser.readScript(bytes: Array(script.utf8)).references.isEmpty { withReferences += 1 }
    }
    #expect(withReferences > 100)
  }
}

/// The UTF-8 check (ASCII passed over eight bytes at a time, each run of other bytes validated
/// alone) agrees with the standard library's: faults at every offset around an eight-byte
/// word, characters cut by ASCII, and seeded mixes of characters and faults.
@Suite struct UTF8ValidationTests {
  @Test func agreesWithTheStandardLibrary() {
    let faults: [[UInt8]] = [
      [0xFF], [0xC3], [0xE2, 0x82], [0x80], [0xF0, 0x9F, 0x94, 0x8C], [0xE9, 0x80, 0xA3], [0xED, 0xA0, 0x80],
      [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x41, 0x82], [0xC3, 0xA9, 0xA9],
    ]
    var inputs: [[UInt8]] = [[], Array("SHOW CONNECTIONS".utf8), [0xFF], [0xE2, 0x82], Array("é🔌連".utf8)]
    for offset in 0...40 {
      for fault in faults {
        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 64)
        bytes.replaceSubrange(offset..<(offset + fault.count), with: fault)
        inputs.append(bytes)
        inputs.append(Array(bytes.prefix(offset + fault.count)))  // the fault at the very end
      }
    }
    // Seeded mixes: ASCII runs of every length, characters of every width, and faults.
    let pieces: [[UInt8]] = faults + ["é", "🔌", "連", "\u{202E}", "a", "abcdefgh", "abcdefghijklmno", " ", ";\n"].map { Array($0.utf8) }
    var seed: UInt64 = 0x5EED
    func next(_ bound: Int) -> Int {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((seed >> 33) % UInt64(bound))
    }
    for _ in 0..<3_000 {
      var bytes: [UInt8] = []
      for _ in 0..<next(12) { bytes += pieces[next(pieces.count)] }
      inputs.append(bytes)
    }
    var invalid = 0
    for bytes in inputs {
      let expected = String(validating: bytes, as: UTF8.self) != nil
      #expect(isValidUTF8(bytes) == expected, "\(bytes)")
      if !expected { invalid += 1 }
    }
    #expect(invalid > 1_000 && invalid < inputs.count - 500, "\(invalid) of \(inputs.count) invalid")
  }

  /// A long input is checked in parts: every fault, and every character, placed across and
  /// around where the parts are cut (the middle, with two cores or more) is judged as in one.
  @Test func aLongInputIsJudgedAsAWhole() {
    let faults: [[UInt8]] = [[0xFF], [0xC3], [0xE2, 0x82], [0x80], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xC3, 0xA9, 0xA9]]
    let characters: [[UInt8]] = ["é", "🔌", "連"].map { Array($0.utf8) }
    let count = 5 << 20
    var checked = (valid: 0, invalid: 0)
    for middle in [count / 2, count / 3, 2 * count / 3, count / 4, 3 * count / 4] {
      for shift in -4...4 {
        for piece in faults + characters + [[UInt8](repeating: 0x80, count: 300)] {
          var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: count)
          bytes.replaceSubrange((middle + shift)..<(middle + shift + piece.count), with: piece)
          let expected = String(validating: bytes, as: UTF8.self) != nil
          #expect(isValidUTF8(bytes) == expected, "\(piece) at \(middle + shift)")
          if expected { checked.valid += 1 } else { checked.invalid += 1 }
        }
      }
    }
    #expect(checked.valid == 5 * 9 * 3 && checked.invalid == 5 * 9 * 8)
  }
}

/// `check`'s warnings for repeated keys (a few entries are compared one by one, many go through
/// a set) and for blank name parts (most names skip the Unicode white-space test).
@Suite struct LinterWarningTests {
  static func messages(_ script: String) -> [String] { Linter.check(script).map(\.message) }

  @Test func repeatedKeysAreFoundInShortAndLongLists() {
    for count in [3, 16, 17, 40] {
      let keys = (0..<count).map { "'k\($0)' = 'v'" } + ["'k1' = 'w'", "'k\(count - 1)' = 'w'"]
      let script = "CREATE CONNECTION c WITH ('type' = 'default', \(keys.joined(separator: ", ")))"
      #expect(Self.messages(script).filter { $0.contains("more than once") } == ["Option 'k1' is given more than once; the last value wins.", "Option 'k\(count - 1)' is given more than once; the last value wins."], "\(count)")
      #expect(Self.messages(script.replacingOccurrences(of: ", 'k1' = 'w'", with: "")).filter { $0.contains("more than once") }.count == 1)
    }
  }

  /// What a type's values lack is judged on the last value of each key, as when it runs.
  @Test func theLastValueOfARepeatedKeyIsJudged() {
    let base = "CREATE CONNECTION c WITH ('type' = 'openai', 'endpoint' = 'https://e'"
    let missing = "Missing required option 'api-key'."
    #expect(Self.messages(base + ", 'api-key' = 'k', 'api-key' = '')").contains(missing))
    #expect(!Self.messages(base + ", 'api-key' = '', 'api-key' = 'k')").contains(missing))
    let transport = "CREATE CONNECTION m WITH ('type' = 'mcp_server', 'endpoint' = 'https://e', 'api-key' = 'k'"
    #expect(Self.messages(transport + ", 'transport-type' = 'sse', 'transport-type' = 'pigeon')").contains { $0.contains("'transport-type' must be one of") })
    #expect(!Self.messages(transport + ", 'transport-type' = 'pigeon', 'transport-type' = 'SSE')").contains { $0.contains("must be one of") })
    #expect(Self.messages("CREATE CONNECTION b WITH ('type' = 'bedrock', 'endpoint' = 'https://e', 'aws-access-key' = 'a')").contains { $0.hasPrefix("Incomplete credentials") })
  }

  /// An unknown type is quoted as the masker would show the value: not when it carries a
  /// credential, which a missing comma can join onto it (`'openai' 'https://u:pw@h'` is one
  /// literal). The same message reaches `check`, `sql` and the edit form.
  @Test func anUnknownTypeCarryingACredentialIsNotQuoted() throws {
    let canary = "Zq9CanaryXk7"
    for value in ["'openai' 'https://u:\(canary)@h'", "'https://h/x?api_key=\(canary)'", "'\(canary)@h'", "'x#\(canary)'"] {
      let messages = Self.messages("CREATE CONNECTION c WITH ('type' = \(value), 'endpoint' = 'https://e')")
      #expect(messages.contains { $0.hasPrefix("Unknown connection type (not shown") }, "\(value)")
      #expect(!messages.joined().contains(canary), "\(value)")
      let catalog = try TestCatalog(masterKey: Array(repeating: 9, count: 32))
      for outcome in try catalog.engine().run(script: "CREATE CONNECTION c WITH ('type' = \(value), 'endpoint' = 'https://e')") {
        guard case .failure(let error) = outcome.result else { Issue.record("accepted \(value)"); continue }
        #expect(!"\(error)".contains(canary) && !outcome.maskedText.contains(canary), "\(value)")
      }
    }
    #expect(Self.messages("CREATE CONNECTION c WITH ('type' = 'openia', 'endpoint' = 'https://e')") == ["Unknown connection type 'openia'; did you mean 'openai'?"])
  }

  @Test func blankNamePartsAreFound() {
    for (name, blank) in [("`  `", true), ("a.`\u{3000}`", true), ("` `.b", true), ("`\t`", true), ("é", false), ("`\u{3000}x`", false), ("` x`", false), ("a", false)] {
      #expect(Self.messages("DROP CONNECTION \(name)").contains("Name parts cannot be empty or blank.") == blank, "\(name.debugDescription)")
    }
  }
}

/// The kinds of other statements, as `check --verbose` lists them and its summary counts them:
/// named by their first words, each kind's name made once a piece and found again by its words.
@Suite struct OtherStatementKindTests {
  static let expected: [(statement: String, kind: String)] = [
    ("CREATE TABLE t (a INT)", "CREATE TABLE"), ("create view v as select 1", "CREATE VIEW"),
    ("cReAtE oR rEpLaCe TeMpOrArY sYsTeM fUnCtIoN f AS 'x'", "CREATE FUNCTION"),
    ("CREATE OR ALTER MATERIALIZED TABLE m AS SELECT 1", "CREATE MATERIALIZED TABLE"),
    ("ALTER MATERIALIZED TABLE m SUSPEND", "ALTER MATERIALIZED TABLE"), ("ALTER TABLE t RENAME TO u", "ALTER TABLE"),
    ("DROP TEMPORARY VIEW IF EXISTS v", "DROP VIEW"), ("ADD FOO x", "ADD FOO"), ("show full bar", "SHOW FULL BAR"),
    ("SHOW TABLES", "SHOW TABLES"), ("SHOW CREATE TABLE t", "SHOW CREATE TABLE"), ("SHOW CREATE VIEW v", "SHOW CREATE VIEW"),
    ("SHOW CREATE MODEL m", "SHOW CREATE MODEL"), ("SHOW FULL MODULES", "SHOW FULL MODULES"), ("show user functions", "SHOW USER FUNCTIONS"),
    ("SHOW MATERIALIZED TABLES", "SHOW MATERIALIZED TABLES"), ("SHOW JOBS", "SHOW JOBS"),
    // A non-ASCII word is named by the text of its upper case.
    ("ADD ſtuff", "ADD STUFF"), ("show user ſet", "SHOW USER SET"),
    ("EXECUTE STATEMENT SET BEGIN INSERT INTO t SELECT 1; END", "EXECUTE STATEMENT SET"),
    ("BEGIN STATEMENT SET", "BEGIN STATEMENT SET"),
    ("EXPLAIN PLAN FOR SELECT 1", "EXPLAIN"), ("EXECUTE PLAN '/p.json'", "EXECUTE PLAN"), ("EXECUTE INSERT INTO t SELECT 1", "EXECUTE"),
    ("DESC t", "DESCRIBE"), ("describe job 'j'", "DESCRIBE JOB"), ("ADD JAR '/a.jar'", "ADD JAR"), ("REMOVE JAR '/a.jar'", "REMOVE JAR"),
    ("LOAD MODULE hive", "LOAD MODULE"), ("USE MODULES hive", "USE MODULES"), ("STOP JOB 'j'", "STOP JOB"),
    ("ANALYZE TABLE t COMPUTE STATISTICS", "ANALYZE TABLE"), ("TRUNCATE TABLE t", "TRUNCATE TABLE"), ("COMPILE PLAN '/p' FOR INSERT INTO t SELECT 1", "COMPILE PLAN"),
    ("INSERT INTO t SELECT 1", "INSERT"), ("select 1", "SELECT"), ("(SELECT 1)", "SELECT"), ("WITH a AS (SELECT 1) SELECT * FROM a", "WITH"),
    ("SET 'a' = 'b'", "SET"), ("RESET 'a'", "RESET"), ("VALUES (1)", "VALUES"), ("CALL p()", "CALL"),
  ]

  @Test func kindWordsAreSpelledAsTheirNames() {
    #expect(Parser.misspelledKindWords == [])
  }

  @Test func kindsAreNamedByTheirFirstWords() {
    let script = (Self.expected + Self.expected.reversed()).map(\.statement).joined(separator: ";\n")
    let kinds = Parser.readScript(bytes: Array(script.utf8)).others.map(\.kind)
    #expect(kinds == (Self.expected + Self.expected.reversed()).map(\.kind))
  }

  /// The summary's counts are the listed kinds', also when a piece holds more kinds than are
  /// kept (named each time) and when the script is read in many pieces.
  @Test func countsAreTheListedKinds() {
    var statements = Self.expected.map(\.statement)
    statements += (0..<400).map { "ADD K\($0) x" } + (0..<300).flatMap { ["SHOW USER K\($0)", "SHOW CREATE TABLE t"] }
    statements.append("CREATE TABLE r (a INT) WITH ('kafka.connection' = 'c1')")
    let script = Array(repeating: statements.joined(separator: ";\n"), count: 40).joined(separator: ";\n")
    let report = Linter.lint(Array(script.utf8))
    #expect(report.diagnostics.isEmpty)
    let listed = Dictionary(report.reading.others.map { ($0.kind, 1) }, uniquingKeysWith: +)
    #expect(report.otherKinds == listed)
    #expect(report.otherKinds["SHOW CREATE TABLE"] == 40 * 301)
    #expect(report.reading.others.count == 40 * statements.count)
    // Not listing them (`check` without --verbose) counts the same and finds the same.
    let unlisted = Linter.lint(SourceBytes(Array(script.utf8)), listingOthers: false)
    #expect(unlisted.reading.others.isEmpty)
    #expect(unlisted.otherKinds == report.otherKinds)
    #expect(unlisted.diagnostics == report.diagnostics && unlisted.checkedCount == report.checkedCount)
    #expect(unlisted.reading.references.count == 40 && unlisted.reading.references == report.reading.references)
  }
}
