/// What `switchboard check` reports for one problem.
public struct Diagnostic: Sendable, Equatable {
  public enum Severity: String, Sendable { case error, warning }
  public var severity: Severity
  public var location: SourceLocation
  /// Byte offset in the script, for carets.
  public var offset: Int
  public var message: String
}

/// What `check` found in a script: its diagnostics, and the reading they came from (other
/// statements, connection references) for the summary and for resolving references.
public struct LintReport: Sendable {
  public var diagnostics: [Diagnostic]
  /// The connection statements checked: each one's byte range.
  public var statementRanges: [Range<Int>]
  /// How many other statements there are of each kind (`CREATE TABLE`, `SET`, ...).
  public var otherKinds: [String: Int]
  /// Whether the script names a connection (`reading.references` is not empty).
  public var namesConnections: Bool
  /// The script's line starts, for the locations of what the caller adds.
  public var lines: LineIndex
  /// The reading of each piece of the script, in order, without its statements.
  var pieces: [ScriptReading]

  /// The whole reading, without its statements (`statementRanges` says where they are), put
  /// together on each use: the summary needs only `otherKinds`, and putting a long script's
  /// reading together took a twentieth of `check`.
  public var reading: ScriptReading { ScriptReading(joining: pieces) }
}

/// Lints a whole Flink script without a catalog. Connection, catalog and database statements are
/// checked Flink-exact: what Flink 2.3.0's parser rejects is an error; what Flink would reject only
/// when executing (name parts, unknown types, undeclared or near-miss keys, repeated keys) is a
/// warning. Other Flink statements are recognised by kind and not checked (what no Flink statement
/// can hold is an error: see `Parser.readScript`). Messages never quote a value.
public enum Linter {
  public static func check(_ script: String) -> [Diagnostic] {
    lint(Array(script.utf8)).diagnostics
  }

  public static func lint(_ bytes: [UInt8], dialect: FlinkDialect = .flink23) -> LintReport {
    // What each piece shows is found by the thread that read it, which then lets go of its
    // statements: keeping them to the end, and freeing them there, took a tenth of the time.
    let pieces = Parser.readScript(bytes: bytes, dialect: dialect) { piece, range in
      var lineStarts: [Int] = []
      LineIndex.appendStarts(of: bytes, in: range, to: &lineStarts)
      let found = PieceFindings(
        warnings: piece.statements.flatMap { Linter.warnings(for: $0.statement) },
        statementRanges: piece.statements.map(\.range),
        lineStarts: lineStarts)
      piece.statements = []
      return found
    }
    let lines = LineIndex(bytes, parts: [[0]] + pieces.map(\.extra.lineStarts))
    var diagnostics: [Diagnostic] = []
    var otherKinds: [String: Int] = [:]
    for (reading, found) in pieces {
      for error in reading.errors {
        diagnostics.append(Diagnostic(severity: .error, location: error.location, offset: error.offset, message: error.message))
      }
      for warning in found.warnings {
        diagnostics.append(Diagnostic(severity: .warning, location: lines.location(of: warning.offset), offset: warning.offset, message: warning.message))
      }
      otherKinds.merge(reading.otherKinds, uniquingKeysWith: +)
    }
    return LintReport(
      diagnostics: diagnostics.sorted { $0.offset < $1.offset }, statementRanges: pieces.flatMap(\.extra.statementRanges),
      otherKinds: otherKinds, namesConnections: pieces.contains { !$0.reading.references.isEmpty }, lines: lines,
      pieces: pieces.map(\.reading))
  }

  /// What a piece of a script shows, found by the thread that read it.
  private struct PieceFindings {
    var warnings: [(offset: Int, message: String)]
    var statementRanges: [Range<Int>]
    var lineStarts: [Int]
  }

  /// Looked up once: every CREATE CONNECTION without a `'type'` is of it.
  private static let defaultType = ConnectionType.named("default")

  /// Whether a name part is empty or white space (most start with a visible ASCII character).
  private static func isBlank(_ part: String) -> Bool {
    if let first = part.utf8.first, first > 0x20, first < 0x7F { return false }
    return part.allSatisfy(\.isWhitespace)
  }

  /// A statement's warnings, each where it points (the caller adds lines and columns).
  private static func warnings(for statement: Statement) -> [(offset: Int, message: String)] {
    var found: [(offset: Int, message: String)] = []
    func warn(_ offset: Int, _ message: String) {
      found.append((offset, message))
    }
    func checkName(_ name: ObjectName) {
      if name.parts.count > 3 { warn(name.offset, "Object identifier must consist of 1 to 3 parts (got \(name.parts.count)).") }
      if name.parts.contains(where: isBlank) { warn(name.offset, "Name parts cannot be empty or blank.") }
    }
    func checkOptions(_ entries: [OptionEntry], type: ConnectionType?) {
      // A few entries are compared with those before them (no hashing); many go through a set.
      let many = entries.count > 16
      var seen: Set<String> = []
      for (index, entry) in entries.enumerated() {
        let repeated = many ? !seen.insert(entry.key.text).inserted : entries[..<index].contains { $0.key.text == entry.key.text }
        if repeated {
          warn(entry.key.offset, "Option '\(sanitizedForMessage(entry.key.text))' is given more than once; the last value wins.")
        }
        if entry.key.isBinary || entry.value.isBinary {
          warn(entry.key.offset, "Binary literals (X'...') cannot be option keys or values.")
        }
        guard let type, !type.acceptsAnyKey else { continue }
        if entry.key.text == OptionValidation.reservedKey || !type.declares(entry.key.text) {
          let problem = OptionValidation.problems([entry.key.text: "x"], for: type).first {
            if case .undeclaredKey = $0.kind { return true }
            if case .reservedKey = $0.kind { return true }
            return false
          }
          if let problem { warn(entry.key.offset, problem.description + " (type '\(type.name)')") }
        }
      }
    }
    switch statement {
    case .createConnection(let c):
      checkName(c.name)
      let typeEntry = c.options.last { $0.key.text == "type" }
      var type: ConnectionType? = defaultType
      if let typeEntry {
        type = ConnectionType.named(typeEntry.value.text)
        if type == nil, case .failure(let problem) = OptionValidation.type(of: ["type": typeEntry.value.text]) {
          warn(typeEntry.value.offset, problem.description)
        }
      }
      checkOptions(c.options, type: type)
      if let type {
        // The last value of a repeated key wins, as when the statement runs.
        let value = { (key: String) in c.options.last { $0.key.text == key }?.value.text }
        for problem in OptionValidation.valueProblems(for: type, value: value) { warn(c.name.offset, problem.description) }
      }
    case .alterConnection(let a):
      checkName(a.name)
      if case .set(let entries) = a.change { checkOptions(entries, type: nil) }
      if case .rename(let target) = a.change, target.parts.count > 1 {
        warn(target.offset, "RENAME TO keeps a connection in its catalog and database; give the new name alone.")
      }
    case .dropConnection(let d):
      checkName(d.name)
      if d.isTemporary && d.isSystem { warn(d.name.offset, "DROP TEMPORARY SYSTEM CONNECTION is not supported yet.") }
    case .describeConnection(let name, _), .showCreateConnection(let name):
      checkName(name)
    default:
      break
    }
    return found
  }
}
