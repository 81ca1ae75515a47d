import TextSafety

/// A statement and the bytes of the script it came from.
public struct ParsedStatement: Sendable, Equatable {
  public var statement: Statement
  /// Byte range in the script, without the trailing `;`.
  public var range: Range<Int>
}

/// What parsing a script gives: every statement that parsed and every error, in source order.
public struct ScriptParse: Sendable {
  public var statements: [ParsedStatement]
  public var errors: [ParseError]
  /// Just past the last `;` that ended a statement (0 before the first): what follows it
  /// parses the same read alone.
  public var resumesAt = 0
}

/// A recursive-descent parser for Switchboard's dialect that follows Flink 2.3.0's grammar: the
/// same statements are accepted, and a rejected one fails at the same line and column.
///
/// One function per production; functions that consume are `mutating`, lookahead is explicit
/// (`peek(1)`, `peek(2)`) where Flink's grammar uses `LOOKAHEAD(n)`.
public struct Parser {
  let source: SourceBytes
  let tokens: [Token]
  var position = 0
  /// Inside `( ... )` unexpected words are not echoed in errors: they may be a bare secret.
  var inOptionList = false
  /// The grammar `USING CONNECTION` follows.
  var dialect = FlinkDialect.flink23
  /// Whether statements outside the dialect are stepped over and recorded (`check`, `scan`)
  /// instead of being errors (`sql`).
  var readsOtherStatements = false
  /// Whether those statements are also listed (`ScriptReading.others`), not only counted by
  /// kind: `check` lists them only for `--verbose` (67,000 entries of a long script are 2 MB of
  /// fresh memory, each page a fault).
  var listsOtherStatements = true
  /// Whether literals that cannot name a connection are stepped over without parsing them
  /// (`plainLiteralSkipped`); tests turn it off to compare.
  var skipsPlainLiterals = true
  /// Whether connection statements of the common shapes are read as sketches (`readSketch`),
  /// without a syntax tree: `check`, which only judges them.
  var sketchesConnectionStatements = false
  /// Option keys a connection reference was looked for through, and how such a reference is
  /// described (nil when the key names none): see `referenceVia`.
  var referenceKeys: [(key: String, via: String?)] = []
  /// Names (and counts) the kinds of other statements when reading a script.
  var kindNames: KindNames?
  /// Each statement that kept only its first `statementTokenLimit` tokens: where it starts and
  /// the token that stands for its rest (token indices). A script's reading reports them.
  var overLongStatements: [(start: Int, rest: Int)] = []
  /// Line starts, built on the first error: a script of many statements that are errors (or
  /// other statements, which are recognised through one) costs a line each, not the script.
  let lines: LazyLineIndex

  init(source: [UInt8]) {
    self.init(source: SourceBytes(source), range: 0..<source.count)
  }

  /// A parser of the statements in `range` of `source`, which starts where a statement may
  /// (the start, or just after a `;` that ends one): offsets, lines and columns are `source`'s.
  /// With `lineCounts` (of `source`), its errors index the lines of `range` only.
  /// With `statementLimit`, a statement keeps at most that many tokens (see `Lexer.tokenize`).
  init(source: SourceBytes, range: Range<Int>, lineCounts: LineCounts? = nil, statementLimit: Int = .max) {
    self.source = source
    var tokens: [Token] = []
    overLongStatements = source.withUnsafeBufferPointer { whole in
      Lexer.tokenize(pinned: UnsafeBufferPointer(rebasing: whole[..<range.upperBound]), from: range.lowerBound, statementLimit: statementLimit, into: &tokens)
    }
    self.tokens = tokens
    self.lines = LazyLineIndex(source, piece: lineCounts.map { (range, $0) })
  }

  /// A parser over tokens already lexed from `source` (ending with `.endOfInput`); those of
  /// `piece` of it, when given, whose line breaks before it `LineCounts` counts.
  init(source: [UInt8], tokens: [Token]) {
    self.init(source: SourceBytes(source), tokens: tokens)
  }

  init(source: SourceBytes, tokens: [Token], piece: (range: Range<Int>, counts: LineCounts)? = nil) {
    self.source = source
    self.tokens = tokens
    self.lines = LazyLineIndex(source, piece: piece)
  }

  /// The one statement `tokens` hold (no `;` among them), or nil when they do not parse.
  static func parseOne(source: [UInt8], tokens: [Token]) -> Statement? {
    var parser = Parser(source: source, tokens: tokens)
    guard let statement = try? parser.parseStatement(), parser.peek().kind == .endOfInput else { return nil }
    return statement
  }

  /// The one statement that `tokens` (lexed from `source`; no `;` or end token among them) hold,
  /// parsed from a copy of its own bytes so that offsets, and the cost of an error's line and
  /// column, stay within the statement; `base` is where that copy starts in `source`.
  static func parseOne(_ tokens: UnsafeBufferPointer<Token>, in source: UnsafeBufferPointer<UInt8>) -> (statement: Statement, base: Int)? {
    guard let first = tokens.first, let last = tokens.last, mayParse(tokens, in: source) else { return nil }
    let base = first.start
    let bytes = Array(UnsafeBufferPointer(rebasing: source[base..<last.end]))
    let rebased = tokens.map { $0.rebased(by: base) } + [Token(kind: .endOfInput, start: bytes.count, end: bytes.count)]
    return parseOne(source: bytes, tokens: rebased).map { ($0, base) }
  }

  /// For tests: a statement of `sql` that `mayParse` turns away although the parser takes it
  /// (the masker would then hide what its meaning shows), described; or nil.
  public static func mayParseDisagreement(_ sql: String) -> String? {
    let bytes = Array(sql.utf8)
    let tokens = Lexer.tokenize(bytes)
    var start = 0
    for (index, token) in tokens.enumerated() where token.kind == .endOfInput || (token.kind == .symbol && bytes[token.start] == 0x3B) {
      let statement = Array(tokens[start..<index])
      start = index + 1
      guard let first = statement.first, let last = statement.last else { continue }
      let turnedAway = bytes.withUnsafeBufferPointer { source in statement.withUnsafeBufferPointer { !mayParse($0, in: source) } }
      let piece = Array(bytes[first.start..<last.end])
      let rebased = statement.map { $0.rebased(by: first.start) } + [Token(kind: .endOfInput, start: piece.count, end: piece.count)]
      if turnedAway && parseOne(source: piece, tokens: rebased) != nil {
        return "mayParse turns away what the parser takes: " + String(decoding: piece, as: UTF8.self).debugDescription
      }
    }
    return nil
  }

  /// Parses a script of `;`-separated statements; the first error ends parsing.
  public static func parse(_ text: String) throws(ParseError) -> [ParsedStatement] {
    let result = parseScript(text, recover: false)
    if let error = result.errors.first { throw error }
    return result.statements
  }

  /// Parses a script of `;`-separated statements. With `recover`, an error skips to the next `;`
  /// and parsing goes on, so a linter can report every problem.
  public static func parseScript(_ text: String, recover: Bool = true) -> ScriptParse {
    parseScript(bytes: Array(text.utf8), recover: recover)
  }

  /// A statement keeps at most `statementTokenLimit` tokens (the wrong file given to `sql -f`
  /// is one statement of millions): a longer one is an error where it starts.
  public static func parseScript(bytes: [UInt8], recover: Bool = true) -> ScriptParse {
    var parser = Parser(source: SourceBytes(bytes), range: 0..<bytes.count, statementLimit: statementTokenLimit)
    var parse = parser.parseStatementList(recover: recover)
    parser.reportOverLongStatements(in: &parse.errors)
    return parse
  }

  /// Flink's `SqlStmtList`: `stmt (';' [stmt])* EOF`; input with no statement is an error.
  mutating func parseStatementList(recover: Bool) -> ScriptParse {
    var unused = ScriptReading()
    return parseStatementList(recover: recover, others: &unused)
  }

  mutating func parseStatementList(recover: Bool, others: inout ScriptReading) -> ScriptParse {
    var result = ScriptParse(statements: [], errors: [])
    // Room for a statement every 8 tokens (a long script's average is over 15): unwritten room
    // costs nothing, growing by doubling copies and faults in every new page.
    result.statements.reserveCapacity(tokens.count / 8)
    if readsOtherStatements && listsOtherStatements { others.others.reserveCapacity(tokens.count / 8) }
    if sketchesConnectionStatements {
      others.sketches.reserveCapacity(tokens.count / 16)
      others.sketchLiterals.reserveCapacity(tokens.count / 4)
    }
    var expectStatement = true
    while true {
      if peek().kind == .endOfInput && !expectStatement { break }
      if isSymbol(peek(), ";") && !expectStatement {
        advance()
        result.resumesAt = tokens[position - 1].end
        if peek().kind == .endOfInput { break }
        if !isSymbol(peek(), ";") { expectStatement = true }
        continue
      }
      let start = peek().start
      let startIndex = position
      if sketchesConnectionStatements && readSketch(into: &others) {
        expectStatement = false
        continue
      }
      do {
        let statement = try parseStatement()
        try expectStatementEnd()
        let parsed = ParsedStatement(statement: statement, range: start..<tokens[position - 1].end)
        // A script's reading notes what each statement does to names, in script order.
        if readsOtherStatements, let change = NameChange(parsed) { others.nameChanges.append(change) }
        result.statements.append(parsed)
      } catch {
        if readsOtherStatements && error.kind == .unsupported {
          inOptionList = false
          guard let problem = recordOtherStatement(from: startIndex, into: &others) else {
            expectStatement = false
            continue
          }
          result.errors.append(problem)
          // A missing `;` before a word: what follows is read as the next statement.
          if case .word = peek().kind, problem.offset == peek().start {
            expectStatement = true
            continue
          }
          skipToNextStatement()
          expectStatement = false
          continue
        }
        result.errors.append(error)
        if !recover { return result }
        skipToNextStatement()
      }
      expectStatement = false
      inOptionList = false
    }
    return result
  }

  private mutating func skipToNextStatement() {
    while peek().kind != .endOfInput && !isSymbol(peek(), ";") { advance() }
  }

  mutating func expectStatementEnd() throws(ParseError) {
    let token = peek()
    if token.kind == .endOfInput || isSymbol(token, ";") { return }
    throw unexpected(token, expecting: "\";\" or <EOF>")
  }

  // MARK: Token access

  @inline(__always) func peek(_ ahead: Int = 0) -> Token {
    tokens[min(position + ahead, tokens.count - 1)]
  }

  @inline(__always) mutating func advance() {
    if position < tokens.count - 1 { position += 1 }
  }

  func text(of token: Token) -> String {
    String(decoding: source[token.start..<token.end], as: UTF8.self)
  }

  /// `text(of:).uppercased()`, made straight from the bytes when they are ASCII (every keyword):
  /// a script's every other statement is named by its first words.
  func upperText(of token: Token) -> String {
    // Index loops, not slices: a script names every statement's kind through here.
    for i in token.start..<token.end where source[i] >= 0x80 { return text(of: token).uppercased() }
    return source.withUnsafeBufferPointer { source in
      String(unsafeUninitializedCapacity: token.end - token.start) { buffer in
        for i in token.start..<token.end {
          let byte = source[i]
          buffer[i - token.start] = byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
        }
        return token.end - token.start
      }
    }
  }

  /// Whether the token is the word `keyword` (any case). `keyword` is upper-case ASCII.
  @inline(__always) func isKeyword(_ token: Token, _ keyword: StaticString) -> Bool {
    guard case .word = token.kind, token.end - token.start == keyword.utf8CodeUnitCount else { return false }
    let bytes = keyword.utf8Start
    for i in 0..<keyword.utf8CodeUnitCount {
      var byte = source[token.start + i]
      if byte >= 0x61 && byte <= 0x7A { byte -= 0x20 }
      if byte != bytes[i] { return false }
    }
    return true
  }

  @inline(__always) func isSymbol(_ token: Token, _ symbol: StaticString) -> Bool {
    guard token.kind == .symbol, token.end - token.start == symbol.utf8CodeUnitCount else { return false }
    return source[token.start] == symbol.utf8Start[0]
      && (symbol.utf8CodeUnitCount == 1 || source[token.start + 1] == symbol.utf8Start[1])
  }

  /// Consumes the keyword if it is next.
  mutating func consume(_ keyword: StaticString) -> Bool {
    guard isKeyword(peek(), keyword) else { return false }
    advance()
    return true
  }

  mutating func expect(_ keyword: StaticString) throws(ParseError) {
    guard consume(keyword) else { throw unexpected(peek(), expecting: "\"\(keyword)\"") }
  }

  mutating func expectSymbol(_ symbol: StaticString) throws(ParseError) {
    guard isSymbol(peek(), symbol) else { throw unexpected(peek(), expecting: "\"\(symbol)\"") }
    advance()
  }

  // MARK: Errors

  func location(of token: Token) -> SourceLocation {
    switch token.kind {
    case .endOfInput:
      // JavaCC puts <EOF> at the last character it read.
      return source.isEmpty
        ? SourceLocation(line: 1, column: 0) : lines.location(of: lastCharacterStart())
    case .lexicalError(let failure):
      // JavaCC reports a bad last UTF-16 unit as <EOF> one column further; a character outside
      // the BMP fails at its first surrogate, which is not the last unit.
      let isLastCharacter = failure.failingOffset >= lastCharacterStart() && source.count - failure.failingOffset < 4
      return failure.atEndOfInput || isLastCharacter
        ? endOfInputLocation() : lines.location(of: failure.failingOffset)
    default:
      return lines.location(of: token.start)
    }
  }

  private func lastCharacterStart() -> Int {
    var offset = source.count - 1
    while offset > 0 && source[offset] & 0xC0 == 0x80 { offset -= 1 }
    return offset
  }

  /// Where JavaCC reports a lexical error at end of input: one past the last character, or the
  /// start of the next line when that character ends a line.
  private func endOfInputLocation() -> SourceLocation {
    guard !source.isEmpty else { return SourceLocation(line: 1, column: 0) }
    let last = lines.location(of: lastCharacterStart())
    let byte = source[source.count - 1]
    if byte == 0x0A || byte == 0x0D { return SourceLocation(line: last.line + 1, column: 0) }
    return SourceLocation(line: last.line, column: last.column + 1)
  }

  /// How a token is named in an error. String literals, numbers and words inside an option
  /// list are named by kind: they may be secrets.
  func describe(_ token: Token) -> String {
    switch token.kind {
    case .endOfInput: return "<EOF>"
    case .string: return "<string literal>"
    case .number: return "<number>"
    case .word where inOptionList: return "<identifier>"
    // Outside keywords, a bare word may be a mistyped secret: name it by kind, as the masker would.
    case .word(isReserved: false) where !dialectWordTable.contains(source[token.start..<token.end]): return "<identifier>"
    case .backQuotedIdentifier, .unicodeQuotedIdentifier: return "<quoted identifier>"
    case .other: return "<token>"
    case .backQuotedIdentifier where inOptionList, .unicodeQuotedIdentifier where inOptionList:
      return "<quoted identifier>"
    default:
      return sanitizedForMessage(text(of: token))
    }
  }

  func unexpected(_ token: Token, expecting: String) -> ParseError {
    let where_ = location(of: token)
    if case .lexicalError(let failure) = token.kind {
      let encountered: String
      // A `!` that ends the masker's copy of one statement fails on the character after it,
      // which the copy does not hold: for this parser that is the end of input.
      if failure.atEndOfInput || failure.failingOffset >= source.count {
        encountered = "<EOF>"
      } else {
        let scalar = source.withUnsafeBufferPointer { Lexer($0).scalar(at: failure.failingOffset) }
        let code = scalar.value >= 0 ? scalar.value : Int(source[failure.failingOffset])
        let shown = scalar.value >= 0x20 && scalar.value != 0x7F && !inOptionList
          ? sanitizedForMessage(String(decoding: source[failure.failingOffset..<failure.failingOffset + scalar.length], as: UTF8.self))
          : "?"
        encountered = "\"\(shown)\" (\(code))"
      }
      return ParseError(
        kind: .lexical, message: "Lexical error at line \(where_.line), column \(where_.column).  Encountered: \(encountered)",
        offset: failure.failingOffset, location: where_)
    }
    if case .word(isReserved: true) = token.kind, expecting.contains("identifier") {
      return ParseError(
        kind: .syntax,
        message: "Incorrect syntax near the keyword '\(text(of: token).uppercased())' at line \(where_.line), column \(where_.column).",
        offset: token.start, location: where_)
    }
    return ParseError(
      kind: .syntax,
      message: "Encountered \"\(describe(token))\" at line \(where_.line), column \(where_.column).\nWas expecting: \(expecting)",
      offset: token.start, location: where_)
  }

  func failure(_ kind: ParseError.Kind, _ message: @autoclosure () -> String, at token: Token) -> ParseError {
    // A statement outside the dialect is then read as another Flink statement: this error is
    // never shown, and a script of many such statements should not pay for its words.
    if kind == .unsupported && readsOtherStatements {
      return ParseError(kind: kind, message: "", offset: token.start, location: SourceLocation(line: 0, column: 0))
    }
    return ParseError(kind: kind, message: message(), offset: token.start, location: location(of: token))
  }
}

/// Keeps a message on one safe line: controls, bidi and format characters become visible escapes.
func sanitizedForMessage(_ text: String) -> String {
  sanitizedForTerminal(text)
}
