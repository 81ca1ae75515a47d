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
  /// The byte ranges of the connection statements checked, piece by piece.
  var pieceStatementRanges: [[Range<Int>]]
  /// How many other statements there are of each kind (`CREATE TABLE`, `SET`, ...).
  public var otherKinds: [String: Int]
  /// Whether the script names a connection (`reading.references` is not empty).
  public var namesConnections: Bool
  /// The script's lines, indexed on first use: `check` places its own warnings, and only
  /// `--verbose` and references looked up need more.
  let lines: LinesOnUse
  /// The reading of each piece of the script, in order, without its statements.
  var pieces: [ScriptReading]

  /// The whole reading, without its statements (`statementRanges` says where they are), put
  /// together on each use: the summary needs only `otherKinds`, and putting a long script's
  /// reading together took a twentieth of `check`.
  public var reading: ScriptReading { ScriptReading(joining: pieces) }

  /// The connection statements checked: each one's byte range (put together on each use: the
  /// summary needs only their count, and putting them together took `check` 0.75 ms).
  public var statementRanges: [Range<Int>] { Array(pieceStatementRanges.joined()) }

  /// Where the character at byte `offset` is, for what the caller adds (the first call indexes
  /// the script's lines).
  public func location(of offset: Int) -> SourceLocation { lines.index.location(of: offset) }

  /// How many connection statements were checked.
  public var checkedCount: Int { pieceStatementRanges.reduce(0) { $0 + $1.count } }

  /// For tests: how many pieces the script was read in.
  public var pieceCount: Int { pieces.count }
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
    lint(SourceBytes(bytes), dialect: dialect, sketching: true)
  }

  /// The same, of bytes where they are (a mapped file). Without `listingOthers`, the report's
  /// `reading.others` is empty (the other statements are counted in `otherKinds`).
  public static func lint(_ bytes: SourceBytes, dialect: FlinkDialect = .flink23, listingOthers: Bool = true) -> LintReport {
    lint(bytes, dialect: dialect, sketching: true, listingOthers: listingOthers)
  }

  /// For tests and the fuzzer: how many connection statements of `script` are judged from
  /// sketches, and how its lint differs when none is (diagnostics, statements, the names they
  /// change); nil when it does not.
  public static func sketchingDisagreement(_ script: [UInt8], dialect: FlinkDialect = .flink23) -> (sketched: Int, disagreement: String?) {
    let script = SourceBytes(script)
    let sketched = lint(script, dialect: dialect, sketching: true)
    let parsed = lint(script, dialect: dialect, sketching: false)
    let count = Parser.readScript(bytes: script, dialect: dialect, sketching: true) { piece, _, _ in piece.sketches.count }.reduce(0) { $0 + $1.extra }
    func changes(_ report: LintReport) -> [String] {
      report.reading.nameChanges.map { change in
        switch change.change {
        case .created(let name), .dropped(let name), .useCatalog(let name), .useDatabase(let name):
          "\(change.change) (name at \(name.offset)) at \(change.offset)"
        case .renamed(let from, let to): "\(change.change) (names at \(from.offset), \(to.offset)) at \(change.offset)"
        }
      }
    }
    if sketched.diagnostics != parsed.diagnostics {
      return (count, "diagnostics \(sketched.diagnostics.filter { !parsed.diagnostics.contains($0) }) instead of \(parsed.diagnostics.filter { !sketched.diagnostics.contains($0) })")
    }
    if sketched.statementRanges != parsed.statementRanges { return (count, "statements \(sketched.statementRanges) instead of \(parsed.statementRanges)") }
    if changes(sketched) != changes(parsed) { return (count, "name changes \(changes(sketched)) instead of \(changes(parsed))") }
    return (count, nil)
  }

  static func lint(_ bytes: SourceBytes, dialect: FlinkDialect, sketching: Bool, listingOthers: Bool = true) -> LintReport {
    // What each piece shows is found by the thread that read it, which then lets go of its
    // statements: keeping them to the end, and freeing them there, took a tenth of the time.
    // Connection statements of the common shapes are judged from sketches, without a syntax tree.
    let pieces = Parser.readScript(bytes: bytes, dialect: dialect, sketching: sketching, listingOthers: listingOthers) { piece, range, source in
      var found = PieceFindings()
      found.lineBreaks = LineIndex.breaks(in: source, range)
      // Statements and sketches in script order.
      var (parsed, sketched) = (piece.statements[...], piece.sketches[...])
      source.withUnsafeBufferPointer { source in
        piece.sketchLiterals.withUnsafeBufferPointer { sketchLiterals in
          while !parsed.isEmpty || !sketched.isEmpty {
            if let sketch = sketched.first, parsed.first.map({ sketch.range.lowerBound < $0.range.lowerBound }) ?? true {
              sketched.removeFirst()
              let literals = SketchedOptions(literals: UnsafeBufferPointer(rebasing: sketchLiterals[sketch.literals]), source: source)
              found.warnings += Linter.warnings(for: sketch, options: literals)
              found.statementRanges.append(sketch.range)
            } else if let statement = parsed.popFirst() {
              found.warnings += Linter.warnings(for: statement.statement)
              found.statementRanges.append(statement.range)
            }
          }
        }
      }
      piece.statements = []
      piece.sketches = []
      piece.sketchLiterals = []
      found.places = LineIndex.placesInPiece(of: found.warnings.map(\.offset), piece: range, in: source)
      found.trailing = LineIndex.trailingColumns(in: source, range)
      return found
    }
    var diagnostics: [Diagnostic] = []
    var otherKinds: [String: Int] = [:]
    var linesBefore = 1
    var startColumn = 1
    for (reading, found) in pieces {
      for error in reading.errors {
        diagnostics.append(Diagnostic(severity: .error, location: error.location, offset: error.offset, message: error.message))
      }
      for (warning, place) in zip(found.warnings, found.places) {
        let location = place.afterLines(linesBefore, startColumn: startColumn)
        diagnostics.append(Diagnostic(severity: .warning, location: location, offset: warning.offset, message: warning.message))
      }
      linesBefore += found.lineBreaks
      startColumn = found.trailing.afterBreak ? 1 + found.trailing.columns : startColumn + found.trailing.columns
      otherKinds.merge(reading.otherKinds, uniquingKeysWith: +)
    }
    return LintReport(
      diagnostics: diagnostics.sorted { $0.offset < $1.offset }, pieceStatementRanges: pieces.map(\.extra.statementRanges),
      otherKinds: otherKinds, namesConnections: pieces.contains { !$0.reading.references.isEmpty }, lines: LinesOnUse(bytes),
      pieces: pieces.map(\.reading))
  }

  /// What a piece of a script shows, found by the thread that read it.
  private struct PieceFindings {
    var warnings: [(offset: Int, message: String)] = []
    /// Where each warning is in the piece.
    var places: [LineIndex.PlaceInPiece] = []
    var statementRanges: [Range<Int>] = []
    /// How many line breaks the piece holds.
    var lineBreaks = 0
    /// Its last line's columns (`LineIndex.trailingColumns`).
    var trailing = (columns: 0, afterBreak: false)
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
    var found = Warnings()
    switch statement {
    case .createConnection(let c):
      found.checkCreate(name: c.name, options: ParsedOptions(entries: c.options))
    case .alterConnection(let a):
      found.checkName(a.name)
      if case .set(let entries) = a.change { found.checkOptions(ParsedOptions(entries: entries), type: nil) }
      if case .rename(let target) = a.change, target.parts.count > 1 {
        found.warn(target.offset, "RENAME TO keeps a connection in its catalog and database; give the new name alone.")
      }
    case .dropConnection(let d):
      found.checkName(d.name)
      if d.isTemporary && d.isSystem { found.warn(d.name.offset, "DROP TEMPORARY SYSTEM CONNECTION is not supported yet.") }
    case .describeConnection(let name, _), .showCreateConnection(let name):
      found.checkName(name)
    default:
      break
    }
    return found.list
  }

  /// A sketched statement's warnings: those of the statement the parser would make of it.
  private static func warnings(for sketch: StatementSketch, options: SketchedOptions) -> [(offset: Int, message: String)] {
    var found = Warnings()
    switch sketch.change {
    case .create: found.checkCreate(name: sketch.name, options: options)
    case .set:
      found.checkName(sketch.name)
      found.checkOptions(options, type: nil)
    case .reset: found.checkName(sketch.name)
    }
    return found.list
  }

  /// Warnings as they are found; the rules for names and option lists, over an option list
  /// parsed or sketched.
  private struct Warnings {
    var list: [(offset: Int, message: String)] = []

    mutating func warn(_ offset: Int, _ message: String) {
      list.append((offset, message))
    }

    mutating func checkName(_ name: ObjectName) {
      if name.parts.count > 3 { warn(name.offset, "Object identifier must consist of 1 to 3 parts (got \(name.parts.count)).") }
      if name.parts.contains(where: isBlank) { warn(name.offset, "Name parts cannot be empty or blank.") }
    }

    mutating func checkCreate<Options: LintedOptions>(name: ObjectName, options: Options) {
      checkName(name)
      let typeEntry = options.lastIndex(ofKey: "type")
      var type: ConnectionType? = defaultType
      if let typeEntry {
        let typeName = options.value(typeEntry)
        type = ConnectionType.named(typeName)
        if type == nil, case .failure(let problem) = OptionValidation.type(of: ["type": typeName]) {
          warn(options.valueOffset(typeEntry), problem.description)
        }
      }
      checkOptions(options, type: type)
      if let type {
        // The last value of a repeated key wins, as when the statement runs.
        let problems = OptionValidation.valueProblems(for: type) { key in options.lastIndex(ofKey: key).map(options.value) }
        for problem in problems { warn(name.offset, problem.description) }
      }
    }

    mutating func checkOptions<Options: LintedOptions>(_ options: Options, type: ConnectionType?) {
      // A few entries are compared with those before them (no hashing); many go through a set.
      let many = options.count > 16
      var seen: Set<String> = []
      for index in 0..<options.count {
        let repeated = many ? !seen.insert(options.key(index)).inserted : (0..<index).contains { options.keysEqual($0, index) }
        if repeated {
          warn(options.keyOffset(index), "Option '\(sanitizedForMessage(options.key(index)))' is given more than once; the last value wins.")
        }
        if options.isBinary(index) {
          warn(options.keyOffset(index), "Binary literals (X'...') cannot be option keys or values.")
        }
        guard let type, !type.acceptsAnyKey else { continue }
        let key = options.key(index)
        if key == OptionValidation.reservedKey || !type.declares(key) {
          let problem = OptionValidation.problems([key: "x"], for: type).first {
            if case .undeclaredKey = $0.kind { return true }
            if case .reservedKey = $0.kind { return true }
            return false
          }
          if let problem { warn(options.keyOffset(index), problem.description + " (type '\(type.name)')") }
        }
      }
    }
  }
}
