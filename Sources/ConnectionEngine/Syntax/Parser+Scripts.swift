/// Whole Flink scripts: statements outside the connection dialect are recognised by kind and
/// stepped over (statement sets included), and the connections they name are collected.

/// Which Flink grammar `USING CONNECTION` follows: 2.3.0 rejects it in CREATE TABLE; Flink's
/// master branch (2.4, FLINK-39726) accepts it.
public enum FlinkDialect: String, Sendable, CaseIterable {
  case flink23 = "2.3"
  case master
}

/// A Flink statement outside the connection dialect: recognised, not checked.
public struct OtherStatement: Sendable, Equatable {
  /// What it is, in upper case: `CREATE TABLE`, `INSERT`, `EXECUTE STATEMENT SET`, ...
  public var kind: String
  /// Byte range in the script, without the trailing `;`.
  public var range: Range<Int>
}

/// A place where a script names a connection.
public struct ConnectionReference: Sendable, Equatable {
  /// The name as written (decoded from its literal or identifier).
  public var name: ObjectName
  /// Byte offset of the name in the script.
  public var offset: Int
  /// How it is named: `'mongodb.connection'` or `USING CONNECTION`.
  public var via: String
  /// The statement that names it.
  public var statement: OtherStatement
}

/// What a statement does to the names a later reference resolves against: Flink runs a script in
/// order, so a connection the script creates (or a `USE`) counts for what follows it.
public struct NameChange: Sendable, Equatable {
  public enum Change: Sendable, Equatable {
    case useCatalog(ObjectName)
    case useDatabase(ObjectName)
    case created(ObjectName)
    case dropped(ObjectName)
    case renamed(ObjectName, to: ObjectName)
  }

  /// Where the statement starts in the script.
  public var offset: Int
  public var change: Change

  /// The change a sketched statement makes: a CREATE's.
  init?(_ sketch: StatementSketch) {
    guard sketch.change == .create else { return nil }
    offset = sketch.range.lowerBound
    change = .created(sketch.name)
  }

  /// The change `statement` makes, if any.
  init?(_ statement: ParsedStatement) {
    offset = statement.range.lowerBound
    switch statement.statement {
    case .useCatalog(let name): change = .useCatalog(name)
    case .useDatabase(let name): change = .useDatabase(name)
    case .createConnection(let create): change = .created(create.name)
    case .dropConnection(let drop): change = .dropped(drop.name)
    case .alterConnection(let alter):
      guard case .rename(let target) = alter.change else { return nil }
      change = .renamed(alter.name, to: target)
    default: return nil
    }
  }
}

/// What a script holds: connection statements (parsed, Flink-exact), other Flink statements
/// (recognised), the connections those name, and every error.
public struct ScriptReading: Sendable, Equatable {
  public var statements: [ParsedStatement] = []
  /// What the connection statements change of the names references resolve against (kept when
  /// `statements` are let go).
  public var nameChanges: [NameChange] = []
  public var errors: [ParseError] = []
  public var others: [OtherStatement] = []
  public var references: [ConnectionReference] = []
  /// How many other statements there are of each kind (`others`' kinds, counted as they are read).
  public var otherKinds: [String: Int] = [:]
  /// Just past the last `;` that ended a statement: reading on from there alone gives the rest.
  var resumesAt = 0
  /// Connection statements read as sketches (`check` only), and their literals' byte ranges.
  var sketches: [StatementSketch] = []
  var sketchLiterals: [Range<Int>] = []
  /// Whether a quote or comment may have been left open by the end of the part read (see
  /// `ScriptSegments.mayBeCutOff`): then the whole script may lex this part otherwise.
  var mayEndInsideToken = false

  public init() {}

  /// The readings of consecutive parts of a script, put together.
  public init(joining parts: [ScriptReading]) {
    guard parts.count > 1 else {
      self = parts.first ?? ScriptReading()
      return
    }
    statements = parts.flatMap(\.statements)
    nameChanges = parts.flatMap(\.nameChanges)
    errors = parts.flatMap(\.errors)
    others = parts.flatMap(\.others)
    references = parts.flatMap(\.references)
    for part in parts {
      otherKinds.merge(part.otherKinds, uniquingKeysWith: +)
      let base = sketchLiterals.count
      sketches += part.sketches.map { sketch in
        var sketch = sketch
        sketch.literals = (sketch.literals.lowerBound + base)..<(sketch.literals.upperBound + base)
        return sketch
      }
      sketchLiterals += part.sketchLiterals
    }
    resumesAt = parts.last!.resumesAt
    mayEndInsideToken = parts.last!.mayEndInsideToken
  }
}

extension Parser {
  /// Reads a whole Flink script as `check` and `scan` see it. A long script is read in pieces on
  /// every core, each cut just before a statement that begins a line after a `;`: each piece
  /// then reads as it does in the whole. When a piece shows the cut after it fell inside a
  /// statement (a statement set, a comment, a literal), it is read again with the next piece.
  public static func readScript(bytes: [UInt8], dialect: FlinkDialect = .flink23) -> ScriptReading {
    ScriptReading(joining: readScript(bytes: SourceBytes(bytes), dialect: dialect, alongside: { _, _, _ in () }).map(\.reading))
  }

  /// The same, piece by piece in script order, each with `alongside` of its reading and its byte
  /// range, computed by the thread that read it (what follows from each piece alone, such as
  /// `check`'s warnings), with the script's bytes. `alongside` may take from the reading what
  /// the caller need not keep.
  /// With `sketching`, connection statements of the common shapes are read as sketches
  /// (`readSketch`), not parsed: for `check`, whose `alongside` judges them. Without
  /// `listingOthers`, other statements are counted by kind but not listed (`others` stays empty).
  static func readScript<Extra>(
    bytes: SourceBytes, dialect: FlinkDialect, sketching: Bool = false, listingOthers: Bool = true,
    alongside: (inout ScriptReading, Range<Int>, SourceBytes) -> Extra
  ) -> [(reading: ScriptReading, extra: Extra)] {
    var cuts: [(semicolonEnd: Int, start: Int)] = []
    var offset = pieceSize
    while offset + pieceSize / 2 < bytes.count, let cut = candidateCut(in: bytes, after: offset) {
      cuts.append(cut)
      offset = cut.start + pieceSize
    }
    return readScript(bytes: bytes, cuts: cuts, dialect: dialect, sketching: sketching, listingOthers: listingOthers, alongside: alongside).pieces
  }

  /// How much of a long script a thread reads at a time: small enough that the cores stay evenly
  /// busy to the end and a piece's tokens stay in cache, large enough that cuts are few.
  static let pieceSize = 256 << 10

  /// The most tokens a statement of a script keeps (32 MB of them): only a file that is not a
  /// script has more in one statement, and memory then stays in bounds.
  static let statementTokenLimit = 1 << 20

  /// Reads the pieces between `cuts` (ascending) at once; a piece whose cut fell inside a
  /// statement is read again with the next. How many were read again.
  private static func readScript<Extra>(
    bytes: SourceBytes, cuts: [(semicolonEnd: Int, start: Int)], dialect: FlinkDialect, sketching: Bool = false, listingOthers: Bool = true,
    alongside: (inout ScriptReading, Range<Int>, SourceBytes) -> Extra
  ) -> (pieces: [(reading: ScriptReading, extra: Extra)], readAgain: Int) {
    let starts = [0] + cuts.map(\.start)
    let ends = cuts.map(\.start) + [bytes.count]
    let lineCounts = LineCounts(bytes)
    let read = concurrentMap(count: starts.count, scratch: { [Token]() }) { index, tokens in
      var piece = readScript(
        bytes: bytes, range: starts[index]..<ends[index], dialect: dialect, sketching: sketching, listingOthers: listingOthers, lineCounts: lineCounts,
        reusing: &tokens)
      let extra = alongside(&piece, starts[index]..<ends[index], bytes)
      return (reading: piece, extra: extra)
    }
    var pieces: [(reading: ScriptReading, extra: Extra)] = []
    var readAgain = 0
    var index = 0
    while index < read.count {
      var piece = read[index]
      var last = index
      var tries = 0
      while last < cuts.count, piece.reading.resumesAt != cuts[last].semicolonEnd || piece.reading.mayEndInsideToken {
        // Rare (a statement set, a literal or a comment across the cut; a lone quote): read again
        // with the next piece, and when that is not enough, with the rest of the script (a
        // comment left open can swallow every cut: each piece at a time would read it n²/2 times).
        tries += 1
        last = tries == 1 ? last + 1 : cuts.count
        piece.reading = readScript(
          bytes: bytes, range: starts[index]..<ends[last], dialect: dialect, sketching: sketching, listingOthers: listingOthers, lineCounts: lineCounts)
        piece.extra = alongside(&piece.reading, starts[index]..<ends[last], bytes)
        readAgain += 1
      }
      pieces.append(piece)
      index = last + 1
    }
    return (pieces, readAgain)
  }

  /// For tests: reads `script` in pieces cut at the first statement that begins a line after a
  /// `;` at or after each of `offsets`. How many pieces were read again with the next, and how
  /// the reading differs from one of the whole script (nil when it does not); nil when there is
  /// no such statement.
  public static func cutReading(_ script: String, at offsets: [Int], dialect: FlinkDialect = .flink23) -> (readAgain: Int, disagreement: String?)? {
    let bytes = SourceBytes(Array(script.utf8))
    var cuts: [(semicolonEnd: Int, start: Int)] = []
    for offset in offsets.sorted() where offset >= cuts.last?.start ?? 0 {
      if let cut = candidateCut(in: bytes, after: offset), cut.start > cuts.last?.start ?? 0 { cuts.append(cut) }
    }
    guard !cuts.isEmpty else { return nil }
    var whole = readScript(bytes: bytes, range: 0..<bytes.count, dialect: dialect)
    let (read, readAgain) = readScript(bytes: bytes, cuts: cuts, dialect: dialect, alongside: { _, _, _ in () })
    var pieces = ScriptReading(joining: read.map(\.reading))
    (whole.resumesAt, pieces.resumesAt, whole.mayEndInsideToken, pieces.mayEndInsideToken) = (0, 0, false, false)
    guard whole != pieces else { return (readAgain, nil) }
    func differences<T: Equatable>(_ name: String, _ a: [T], _ b: [T]) -> String? {
      a == b ? nil : "\(name): \(b.filter { !a.contains($0) }) instead of \(a.filter { !b.contains($0) })"
    }
    let found = [
      differences("statements", whole.statements, pieces.statements), differences("errors", whole.errors, pieces.errors),
      differences("others", whole.others, pieces.others), differences("references", whole.references, pieces.references),
      differences("name changes", whole.nameChanges, pieces.nameChanges),
    ]
    return (readAgain, "cut at \(cuts.map(\.start)): " + found.compactMap { $0 }.joined(separator: "; "))
  }

  /// Where a piece may start: the first word at the very start of a line after a `;` at or after
  /// `offset` (only white space between them), not `END`, and the end of that `;`. Statements
  /// inside a statement set are mostly indented: such a cut would be read again.
  /// A script written on few lines (generated, or minified) has no such word for a piece's length:
  /// then the first word after a `;` anywhere on a line. Read in one piece, it took one core and
  /// kept every token (70 MB for 9 MB on one line).
  private static func candidateCut(in bytes: SourceBytes, after offset: Int) -> (semicolonEnd: Int, start: Int)? {
    var index = max(offset, 0)
    var onTheLine: (semicolonEnd: Int, start: Int)? = nil
    while index < bytes.count {
      if let onTheLine, index - onTheLine.start > pieceSize { return onTheLine }
      guard bytes[index] == UInt8(ascii: ";") else { index += 1; continue }
      var next = index + 1
      var newline = false
      while next < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[next]) {
        newline = newline || bytes[next] == 0x0A
        next += 1
      }
      if next < bytes.count, (bytes[next] | 0x20) >= UInt8(ascii: "a"), (bytes[next] | 0x20) <= UInt8(ascii: "z"), !startsWithEnd(bytes, at: next) {
        if newline && bytes[next - 1] == 0x0A { return (index + 1, next) }
        if onTheLine == nil { onTheLine = (index + 1, next) }
      }
      index = next
    }
    return onTheLine
  }

  /// Whether the word at `index` is `END` (which ends a statement set).
  private static func startsWithEnd(_ bytes: SourceBytes, at index: Int) -> Bool {
    // Byte compares, not a zip of sequences: that generic path looked up protocol conformances at run time.
    guard index + 3 <= bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e"), bytes[index + 1] | 0x20 == UInt8(ascii: "n"),
      bytes[index + 2] | 0x20 == UInt8(ascii: "d")
    else { return false }
    return index + 3 == bytes.count || !((bytes[index + 3] | 0x20) >= UInt8(ascii: "a") && (bytes[index + 3] | 0x20) <= UInt8(ascii: "z") || bytes[index + 3] == UInt8(ascii: "_"))
  }

  /// For tests: how reading `script` in one piece differs when every token is lexed, the runs
  /// `StatementSkimmer` steps over among them (nil when it does not); and how many tokens fewer
  /// the parser was given.
  public static func skimmingDisagreement(_ script: String, dialect: FlinkDialect = .flink23, sketching: Bool = false) -> (fewerTokens: Int, disagreement: String?) {
    let bytes = SourceBytes(Array(script.utf8))
    let counts = LineCounts(bytes)
    var tokens: [Token] = []
    let lexed = readScript(bytes: bytes, range: bytes.indices, dialect: dialect, sketching: sketching, lineCounts: counts, skimming: false, reusing: &tokens)
    let lexedCount = tokens.count
    let skimmed = readScript(bytes: bytes, range: bytes.indices, dialect: dialect, sketching: sketching, lineCounts: counts, reusing: &tokens)
    let fewerTokens = lexedCount - tokens.count
    guard skimmed != lexed else { return (fewerTokens, nil) }
    func differences<T: Equatable>(_ name: String, _ a: T, _ b: T) -> String? { a == b ? nil : "\(name): \(b) instead of \(a)" }
    let found = [
      differences("statements", lexed.statements, skimmed.statements), differences("errors", lexed.errors, skimmed.errors),
      differences("others", lexed.others, skimmed.others), differences("references", lexed.references, skimmed.references),
      differences("name changes", lexed.nameChanges, skimmed.nameChanges), differences("kinds", lexed.otherKinds, skimmed.otherKinds),
      differences("resumes at", lexed.resumesAt, skimmed.resumesAt), differences("may end inside a token", lexed.mayEndInsideToken, skimmed.mayEndInsideToken),
      differences("sketches", lexed.sketches, skimmed.sketches), differences("sketch literals", lexed.sketchLiterals, skimmed.sketchLiterals),
    ]
    return (fewerTokens, "skimmed: " + found.compactMap { $0 }.joined(separator: "; "))
  }

  /// For tests: how reading `script` differs when every literal is parsed (nil when it does not).
  public static func literalSkipDisagreement(_ script: String, dialect: FlinkDialect = .flink23) -> String? {
    let bytes = SourceBytes(Array(script.utf8))
    let skipping = readScript(bytes: bytes, range: 0..<bytes.count, dialect: dialect)
    let parsing = readScript(bytes: bytes, range: 0..<bytes.count, dialect: dialect, skipsPlainLiterals: false)
    guard skipping != parsing else { return nil }
    if skipping.errors != parsing.errors { return "errors \(skipping.errors.map(\.message)) instead of \(parsing.errors.map(\.message))" }
    return "\(skipping.references) instead of \(parsing.references)"
  }

  /// One piece, its tokens lexed into `tokens` (a thread's, reused from piece to piece: fresh
  /// memory for every piece's tokens costs a page fault every 4 KB).
  /// With `skimming`, the runs of tokens the reading does not look at are not lexed one by one
  /// (`StatementSkimmer`).
  private static func readScript(
    bytes: SourceBytes, range: Range<Int>, dialect: FlinkDialect, sketching: Bool, listingOthers: Bool = true, lineCounts: LineCounts,
    skimming: Bool = true, reusing tokens: inout [Token]
  ) -> ScriptReading {
    tokens.removeAll(keepingCapacity: true)
    let overLong = bytes.withUnsafeBufferPointer { whole in
      Lexer.tokenize(
        pinned: UnsafeBufferPointer(rebasing: whole[..<range.upperBound]), from: range.lowerBound, skimming: skimming,
        statementLimit: statementTokenLimit, into: &tokens)
    }
    var parser = Parser(source: bytes, tokens: tokens, piece: (range, lineCounts))
    parser.overLongStatements = overLong
    parser.sketchesConnectionStatements = sketching
    parser.listsOtherStatements = listingOthers
    return readScript(parser, dialect: dialect)
  }

  private static func readScript(
    bytes: SourceBytes, range: Range<Int>, dialect: FlinkDialect, sketching: Bool = false, listingOthers: Bool = true,
    skipsPlainLiterals: Bool = true, lineCounts: LineCounts? = nil
  ) -> ScriptReading {
    var parser = Parser(source: bytes, range: range, lineCounts: lineCounts, statementLimit: statementTokenLimit)
    parser.skipsPlainLiterals = skipsPlainLiterals
    parser.sketchesConnectionStatements = sketching
    parser.listsOtherStatements = listingOthers
    return readScript(parser, dialect: dialect)
  }

  private static func readScript(_ parser: consuming Parser, dialect: FlinkDialect) -> ScriptReading {
    parser.dialect = dialect
    parser.readsOtherStatements = true
    parser.kindNames = KindNames()
    var reading = ScriptReading()
    let parse = parser.parseStatementList(recover: true, others: &reading)
    reading.otherKinds = parser.kindNames!.kindCounts
    reading.statements = parse.statements
    reading.errors = parse.errors
    parser.reportOverLongStatements(in: &reading.errors)
    reading.resumesAt = parse.resumesAt
    reading.mayEndInsideToken = parser.tokens.contains { ScriptSegments.mayBeCutOff($0, in: parser.source) }
    return reading
  }

  /// Adds to `errors` (in offset order) one where each statement that kept only its first
  /// `statementTokenLimit` tokens starts, and drops the parser's error at the token that stands
  /// for its rest, which says nothing of the script.
  func reportOverLongStatements(in errors: inout [ParseError]) {
    guard !overLongStatements.isEmpty else { return }
    let rests = Set(overLongStatements.map { tokens[$0.rest].start })
    errors.removeAll { rests.contains($0.offset) }
    for statement in overLongStatements {
      let message = "This statement is longer than \(Self.statementTokenLimit) tokens: the rest of it is not read."
      errors.append(failure(.syntax, message, at: tokens[statement.start]))
    }
    errors.sort { $0.offset < $1.offset }
  }

  /// Steps over the other statement that starts at token `start`, records it and the
  /// connections it names. Leaves `position` on its `;` or the end of input; or, when a `;` is
  /// missing before a statement that begins a line, on that statement, and says so.
  mutating func recordOtherStatement(from start: Int, into reading: inout ScriptReading) -> ParseError? {
    position = start
    let kind = nameOtherStatementKind(at: start)
    let (end, problem) = otherStatementEnd(from: start, kind: kind)
    let statement = OtherStatement(kind: kind, range: tokens[start].start..<tokens[max(start, end - 1)].end)
    if listsOtherStatements { reading.others.append(statement) }
    // Most statements name none: appending an empty array still took the array's growth path
    // (2% of reading a script of short statements).
    let references = optionReferences(in: start..<end, statement: statement)
    if !references.isEmpty { reading.references += references }
    if dialect == .master, statement.kind == "CREATE TABLE", let using = topLevelUsingConnection(from: start) {
      position = using + 2
      if let name = try? parseCompoundName() {
        reading.references.append(ConnectionReference(name: name, offset: name.offset, via: "USING CONNECTION", statement: statement))
      }
    }
    position = end
    return problem
  }

  /// One past the last token of the statement at `start`: the next `;`, except that a statement
  /// set (`... STATEMENT SET BEGIN ...; ...; END`) runs to its `END`. With it, what no Flink
  /// statement can hold: a `;` inside a hint, a lone quote, text after a statement set's `END`,
  /// or a connection statement (or any CREATE) that begins a line where a `;` is missing.
  private func otherStatementEnd(from start: Int, kind: String) -> (Int, ParseError?) {
    var index = start
    var inStatementSet = false
    var inHint = false
    var depth = 0
    // Each token is looked at as what it is: most are words, literals and names that need no
    // more than a glance (this loop walks every token of two statements in three).
    while true {
      let token = tokens[index]
      switch token.kind {
      case .endOfInput:
        return (index, nil)
      case .lexicalError:
        // No Flink grammar takes a character its lexer cannot read.
        return (otherStatementEnd(skippingFrom: index), unexpected(token, expecting: ""))
      case .hintStart:
        inHint = true
      case .symbol where token.end - token.start == 1:
        switch source[token.start] {
        case UInt8(ascii: "*"):
          if inHint, isSymbol(tokens[index + 1], "/"), tokens[index + 1].start == token.end { inHint = false }
        case UInt8(ascii: "'"):
          return (index, unexpected(token, expecting: "a literal"))
        case UInt8(ascii: "("):
          depth += 1
        case UInt8(ascii: ")"):
          depth -= 1
        case UInt8(ascii: ";"):
          if inHint { return (index, unexpected(token, expecting: "\"*/\"")) }
          if !inStatementSet { return (index, nil) }
          if isKeyword(tokens[index + 1], "END") {
            let after = tokens[index + 2]
            if after.kind != .endOfInput && !isSymbol(after, ";") { return (index + 2, unexpected(after, expecting: "\";\" or <EOF>")) }
            return (index + 2, nil)
          }
        default:
          break
        }
      case .word:
        if !inStatementSet, isKeyword(token, "STATEMENT"), isKeyword(tokens[index + 1], "SET"), isKeyword(tokens[index + 2], "BEGIN") {
          inStatementSet = true
          index += 3
          continue
        }
        if index > start, depth == 0, !inStatementSet, !inHint, beginsLine(token), beginsStatement(at: index, after: kind) {
          return (index, unexpected(token, expecting: "\";\""))
        }
      default:
        break
      }
      index += 1
    }
  }

  /// The end of a statement that failed at `index`: its next `;`.
  private func otherStatementEnd(skippingFrom index: Int) -> Int {
    var end = index
    while tokens[end].kind != .endOfInput && !isSymbol(tokens[end], ";") { end += 1 }
    return end
  }

  private func beginsLine(_ token: Token) -> Bool {
    Self.beginsLine(at: token.start, in: source.buffer)
  }

  /// Whether only spaces, tabs and form feeds stand between `offset` and a line break (or the
  /// start of `source`).
  static func beginsLine(at offset: Int, in source: UnsafeBufferPointer<UInt8>) -> Bool {
    var offset = offset - 1
    while offset >= 0 {
      switch source[offset] {
      case 0x20, 0x09, 0x0C: offset -= 1
      case 0x0A, 0x0D: return true
      default: return false
      }
    }
    return true
  }

  /// Whether the words at `index` start a statement that cannot continue one of kind `kind`.
  private func beginsStatement(at index: Int, after kind: String) -> Bool {
    var i = index + 1
    func skipModifiers() {
      while ["TEMPORARY", "SYSTEM", "OR", "REPLACE", "IF", "EXISTS"].contains(where: { isKeyword(tokens[i], $0) }) { i += 1 }
    }
    let token = tokens[index]
    if isKeyword(token, "CREATE") { return !kind.hasPrefix("EXPLAIN") && !kind.hasPrefix("COMPILE") && !kind.hasPrefix("EXECUTE") }
    if isKeyword(token, "ALTER") || isKeyword(token, "DROP") {
      skipModifiers()
      return isKeyword(tokens[i], "CONNECTION")
    }
    if isKeyword(token, "SHOW") { return isKeyword(tokens[i], "CONNECTIONS") }
    if isKeyword(token, "DESCRIBE") || isKeyword(token, "DESC") { return isKeyword(tokens[i], "CONNECTION") }
    return false
  }

  /// `'<provider>.connection' = 'name'` pairs in the statement's tokens (Confluent's way of naming
  /// a connection from a table, model or function).
  private mutating func optionReferences(in range: Range<Int>, statement: OtherStatement) -> [ConnectionReference] {
    var found: [ConnectionReference] = []
    var index = range.lowerBound
    while index < range.upperBound {
      guard case .string = tokens[index].kind else { index += 1; continue }
      if skipsPlainLiterals, let next = plainLiteralSkipped(at: index) {
        index = next
        continue
      }
      let key: SQLString
      let value: SQLString
      if skipsPlainLiterals, index + 2 < range.upperBound, let pair = plainPair(at: index) {
        (key, value) = pair
        position = index + 3
      } else {
        position = index
        guard let parsedKey = try? parseStringLiteral(), position < range.upperBound, isSymbol(peek(), "=") else {
          index = max(position, index + 1)
          continue
        }
        advance()
        let valueStart = position
        guard case .string = peek().kind, let parsedValue = try? parseStringLiteral() else {
          index = max(position, valueStart)
          continue
        }
        (key, value) = (parsedKey, parsedValue)
      }
      if !key.isBinary, !value.isBinary, !value.text.isEmpty, let via = referenceVia(key: key.text) {
        found.append(ConnectionReference(name: ObjectName([value.text], offset: value.offset), offset: value.offset, via: via, statement: statement))
      }
      index = position
    }
    return found
  }

  /// `'key' = 'value'` at `index`, each one plain literal standing alone (no continuation, no
  /// `UESCAPE`): their text as `parseStringLiteral` makes it, without parsing. Nil otherwise.
  private func plainPair(at index: Int) -> (key: SQLString, value: SQLString)? {
    let plain = Token.Kind.string(.plain)
    let (key, equals, value, after) = (tokens[index], tokens[index + 1], tokens[index + 2], tokens[min(index + 3, tokens.count - 1)])
    guard key.kind == plain, isSymbol(equals, "="), value.kind == plain, after.kind != plain, !isKeyword(after, "UESCAPE") else { return nil }
    return (SQLString(plainStringValue(key), offset: key.start), SQLString(plainStringValue(value), offset: value.start))
  }

  /// How a reference through option `key` is described (`'openai.connection'`), or nil when the
  /// key names no connection. The first keys asked are remembered: a script names its
  /// connections through a few keys, over and over.
  private mutating func referenceVia(key: String) -> String? {
    if let known = referenceKeys.first(where: { $0.key == key }) { return known.via }
    let via = key.lowercased().hasSuffix(".connection") ? "'\(sanitizedForMessage(key))'" : nil
    if referenceKeys.count < 16 { referenceKeys.append((key, via)) }
    return via
  }

  /// How a key that names a connection ends, lower case.
  private static let connectionSuffix = Array(".connection'".utf8)

  /// Whether the plain literal at `literal` (its quotes included) may be a key that names a
  /// connection: it ends with `.connection` in any case (`referenceVia`'s test, made on the bytes:
  /// no other character lowers to these ASCII letters alone). A key too short names none
  /// ('connector', 'format', ...).
  static func mayNameConnection(literal: Range<Int>, in source: UnsafeBufferPointer<UInt8>) -> Bool {
    literal.count >= connectionSuffix.count + 1
      && connectionSuffix.indices.allSatisfy { source[literal.upperBound - connectionSuffix.count + $0] | 0x20 == connectionSuffix[$0] }
  }

  /// Most literals of a script are not `'<provider>.connection' = '<name>'`: when the one at
  /// `index` is a plain literal that cannot be (not followed by `=`, or a key of another name,
  /// followed by a plain value), the index after it, or after its value, without making their
  /// text; `optionReferences` reaches the same index by parsing them. Nil when it must parse.
  private func plainLiteralSkipped(at index: Int) -> Int? {
    let plain = Token.Kind.string(.plain)
    guard tokens[index].kind == plain, tokens[index + 1].kind != plain else { return nil }
    guard isSymbol(tokens[index + 1], "=") else { return index + 1 }
    let key = tokens[index]
    guard tokens[index + 2].kind == plain, !Self.mayNameConnection(literal: key.start..<key.end, in: source.buffer) else { return nil }
    var next = index + 2
    while tokens[next].kind == plain { next += 1 }
    return next
  }

  /// The index of each token outside parentheses, from `start` to the statement's `;` or the
  /// end. A `;` ends the statement even inside parentheses left open (no Flink statement holds
  /// one there): reading on would take the next statement's options for this one's, and a
  /// script read in pieces, cut after that `;`, would not (found by the Script fuzz check).
  /// A sequence of its own, holding the tokens and bytes: a loop over it may change the parser
  /// (a closure that did made Swift copy the whole parser for every CREATE TABLE).
  func topLevelTokens(from start: Int) -> TopLevelTokens {
    TopLevelTokens(tokens: tokens, source: source, index: start)
  }

  struct TopLevelTokens: Sequence, IteratorProtocol {
    let tokens: [Token]
    let source: SourceBytes
    var index: Int
    var depth = 0

    private func isSymbol(_ token: Token, _ byte: UInt8) -> Bool {
      token.kind == .symbol && token.end - token.start == 1 && source[token.start] == byte
    }

    mutating func next() -> Int? {
      while tokens[index].kind != .endOfInput && !isSymbol(tokens[index], 0x3B) {
        let current = index
        index += 1
        if isSymbol(tokens[current], 0x28) { depth += 1 }
        if isSymbol(tokens[current], 0x29) { depth -= 1 }
        if depth == 0 { return current }
      }
      return nil
    }
  }

  /// The token index of `USING` in a top-level `USING CONNECTION` of the statement at `start`.
  func topLevelUsingConnection(from start: Int) -> Int? {
    topLevelTokens(from: start).first { isKeyword(tokens[$0], "USING") && isKeyword(tokens[$0 + 1], "CONNECTION") }
  }

  /// Checks the parts of a CREATE or ALTER of a table, model, function, catalog or database that
  /// touch connections, as Flink 2.3.0 parses them: option lists (`WITH (...)`, `SET (...)`) follow
  /// the same grammar as a connection's, and `USING` takes no connection (Flink's master branch
  /// adds `USING CONNECTION` to CREATE TABLE). The query after a top-level `AS` is not looked at.
  mutating func checkOtherDefinition(of object: Token, isCreate: Bool, from start: Int) throws(ParseError) {
    let saved = position
    defer { position = saved }
    let isTable = isKeyword(object, "TABLE")
    let isFunction = isKeyword(object, "FUNCTION")
    for index in topLevelTokens(from: start) {
      let token = tokens[index]
      if isKeyword(token, "AS") && !isFunction { return }
      // A connection statement on a line of its own: a missing ';', which the caller reports there.
      if beginsLine(token), beginsStatement(at: index, after: "CREATE") { return }
      if isKeyword(token, "USING") {
        let next = tokens[index + 1]
        if isFunction {
          if isKeyword(next, "CONNECTION") || isKeyword(next, "CONNECTIONS") { throw unexpected(next, expecting: "\"JAR\"") }
        } else if !(dialect == .master && isTable && isCreate && isKeyword(next, "CONNECTION")) {
          throw unexpected(token, expecting: "\"AS\", \"LIKE\", \"WITH\", \"COMMENT\", \"DISTRIBUTED\", \"PARTITIONED\", \";\" or <EOF>")
        }
      }
      if (isKeyword(token, "WITH") || isKeyword(token, "SET")) && isSymbol(tokens[index + 1], "(") {
        position = index + 1
        // Only checked: plain literals' text is not made (`skipsPlainLiterals`).
        _ = try parseProperties(keepingText: !skipsPlainLiterals)
        inOptionList = false
      }
    }
  }

  /// `SET ['key' = 'value']` and `RESET ['key']`, then the end of the statement.
  mutating func parseSetOrReset(isSet: Bool) throws(ParseError) {
    if case .string = peek().kind {
      _ = try parseStringLiteral()
      if isSet {
        try expectSymbol("=")
        _ = try parseStringLiteral()
      }
    }
    try expectStatementEnd()
  }
}
