/// What `check` and `scan` need not lex: the body of a statement that is only counted (`INSERT`,
/// `SELECT`, `EXPLAIN`, ...) and the inside of the parentheses of a CREATE or ALTER (a table's
/// columns, a model's input), other than an option list. Each such run of tokens becomes one
/// `.other` token spanning them, found by a byte scan that only tells where the run ends.
///
/// The reading stays the same because nothing reads those tokens one by one except to find the
/// statement's end, its `'<provider>.connection'` options, a statement set, a hint, a lexical
/// error or a missing `;`: the scan gives up (the tokens are lexed as usual) on anything that could
/// be one of these. A test and the Script fuzz target compare readings with and without it.
struct StatementSkimmer {
  private enum State {
    /// After a `;` (or at the start): the next token starts a statement.
    case statementStart
    /// In the first words of a statement that is only counted.
    case countedHead
    /// In a CREATE or ALTER: parentheses not after WITH, SET or RESET may be skipped.
    case definition
    /// Nothing to skip until the next `;`.
    case rest
  }

  private var state = State.statementStart
  /// Whether the last token was the word WITH, SET or RESET (an option or key list follows).
  private var afterListWord = false
  /// How many parentheses are open in a CREATE or ALTER. The parser looks into the parentheses
  /// after more `)` than `(` as at the top (found by the Script fuzz target): none are skipped.
  private var depth = 0

  /// First words of statements that `check` only counts (`Parser.parseStatement` turns them
  /// away from their first token): their body may be skipped whole.
  private let countedStarts = WordTable([
    "SELECT", "INSERT", "UPSERT", "VALUES", "WITH", "EXPLAIN", "LOAD", "UNLOAD", "ANALYZE", "DELETE", "UPDATE",
    "TRUNCATE", "CALL", "ADD", "REMOVE", "COMPILE", "STOP",
  ])
  private let definitionStarts = WordTable(["CREATE", "ALTER"])
  private let listWords = WordTable(["WITH", "SET", "RESET"])
  /// Words a missing `;` may have been before, when they begin a line (`Parser.beginsStatement`):
  /// asked only of a word that begins a line.
  private static let statementWords = WordTable(["CREATE", "ALTER", "DROP", "SHOW", "DESCRIBE", "DESC"])
  private static let statementSet = WordTable(["STATEMENT"])

  /// Called with each token the lexer made; a run of tokens the reading need not see, as one
  /// token, with `lexer` moved past it, or nil. Most tokens are met in `.rest` and cost a compare.
  @inline(__always) mutating func skip(after token: Token, in source: UnsafeBufferPointer<UInt8>, lexer: inout Lexer) -> Token? {
    switch token.kind {
    case .symbol:
      let byte = source[token.start]
      if byte == UInt8(ascii: ";") {
        state = .statementStart
        return nil
      }
      switch state {
      case .rest:
        return nil
      case .statementStart:
        // A parenthesised query.
        state = .rest
        return byte == UInt8(ascii: "(") ? skipRun(from: token.end, to: .semicolon, in: source, lexer: &lexer) : nil
      case .countedHead:
        state = .rest
        return byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") ? nil : skipRun(from: token.end, to: .semicolon, in: source, lexer: &lexer)
      case .definition:
        let opensGroup = byte == UInt8(ascii: "(") && !afterListWord
        afterListWord = false
        if byte == UInt8(ascii: "(") { depth += 1 }
        if byte == UInt8(ascii: ")") {
          depth -= 1
          if depth < 0 { state = .rest }
        }
        return opensGroup ? skipRun(from: token.end, to: .closingParenthesis, in: source, lexer: &lexer) : nil
      }
    case .word:
      if state != .rest { saw(word: UnsafeBufferPointer(rebasing: source[token.start..<token.end]), at: token.start, in: source) }
      return nil
    default:
      if state != .definition { state = .rest }
      afterListWord = false
      return nil
    }
  }

  private mutating func saw(word: UnsafeBufferPointer<UInt8>, at start: Int, in source: UnsafeBufferPointer<UInt8>) {
    // Where a `;` is missing, the parser starts the next statement at such a word (outside
    // parentheses).
    if state == .countedHead || (state == .definition && depth == 0), Parser.beginsLine(at: start, in: source), Self.statementWords.contains(word) {
      state = .statementStart
    }
    switch state {
    case .statementStart:
      if countedStarts.contains(word) {
        state = .countedHead
      } else if definitionStarts.contains(word) {
        state = .definition
        afterListWord = false
        depth = 0
      } else {
        state = .rest
      }
    case .countedHead:
      if Self.statementSet.contains(word) { state = .rest }
    case .definition:
      afterListWord = listWords.contains(word)
    case .rest:
      break
    }
  }

  enum Stop { case semicolon, closingParenthesis }

  /// The tokens from `start` to just before the `;` (or the `)` that closes the group opened just
  /// before `start`), as one `.other` token, the lexer moved to that `;` or `)`. Nil, the lexer
  /// left where it was, when there are none or the run holds anything the reading looks at.
  private func skipRun(from start: Int, to stop: Stop, in source: UnsafeBufferPointer<UInt8>, lexer: inout Lexer) -> Token? {
    guard let (first, last, end) = Self.scan(from: start, to: stop, in: source, lexer: lexer) else { return nil }
    lexer.resume(at: end)
    guard let first else { return nil }
    return Token(kind: .other, start: first, end: last)
  }

  /// The byte scan: where the first token starts, where the last one ends, and where the `;` or
  /// `)` is. Nil when it gives up. Literals, quoted names and comments end where `lexer` says.
  static func scan(from start: Int, to stop: Stop, in source: UnsafeBufferPointer<UInt8>, lexer: Lexer) -> (first: Int?, last: Int, stop: Int)? {
    let count = source.count
    var i = start
    var first: Int? = nil
    var last = start
    var depth = 0
    var beginsLine = false
    @inline(__always) func token(_ from: Int, _ to: Int) {
      if first == nil { first = from }
      last = to
      i = to
      beginsLine = false
    }
    while i < count {
      let byte = source[i]
      switch byte {
      case 0x0A, 0x0D:
        beginsLine = true
        i += 1
      case 0x20, 0x09, 0x0C:
        i += 1
      case UInt8(ascii: ";"):
        return stop == .semicolon ? (first, last, i) : nil
      case UInt8(ascii: "("):
        depth += 1
        token(i, i + 1)
      case UInt8(ascii: ")"):
        if stop == .closingParenthesis && depth == 0 { return (first, last, i) }
        depth -= 1
        token(i, i + 1)
      case UInt8(ascii: "'"):
        // A prefixed literal (`E'`, `N'`, `X'`, `_utf8'`, `U&'`) reads otherwise.
        if i > 0, isWordByte(source[i - 1]) { return nil }
        guard let end = lexer.quotedStringEnd(from: i), !Parser.mayNameConnection(literal: i..<end, in: source) else { return nil }
        token(i, end)
      case UInt8(ascii: "`"):
        guard let end = lexer.delimitedIdentifierEnd(from: i, delimiter: 0x60).end else { return nil }
        token(i, end)
      case UInt8(ascii: "-"), UInt8(ascii: "/"):
        let next = i + 1 < count ? source[i + 1] : 0
        if next == byte || (byte == UInt8(ascii: "/") && next == UInt8(ascii: "*")) {
          guard let end = commentEnd(from: i, in: source, lexer: lexer) else { return nil }
          i = end
          beginsLine = source[end - 1] == 0x0A || source[end - 1] == 0x0D
        } else {
          token(i, i + 1)
        }
      case UInt8(ascii: "!"):
        guard i + 1 < count, source[i + 1] == UInt8(ascii: "=") else { return nil }
        token(i, i + 2)
      case UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "+"), UInt8(ascii: "*"), UInt8(ascii: "%"),
        UInt8(ascii: "^"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
        UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "|"):
        token(i, i + 1)
      default:
        guard isWordByte(byte) else { return nil }  // `"`, `#`, `$`, `@`, `&`, `\`, controls, non-ASCII, ...
        var end = i + 1
        while end < count, isWordByte(source[end]) { end += 1 }
        // Past a word, `$` or a non-ASCII letter may make it longer or a collation name.
        if end < count, source[end] == UInt8(ascii: "$") || source[end] >= 0x80 { return nil }
        let word = UnsafeBufferPointer(rebasing: source[i..<end])
        if isASCIIDigit(Int(byte)) {
          // A number then a word (`1e5`, `2x`): the lexer splits it; not worth following.
          if word.contains(where: { !isASCIIDigit(Int($0)) }) { return nil }
        } else if statementSet.contains(word) || (beginsLine && statementWords.contains(word)) {
          return nil
        }
        token(i, end)
      }
    }
    return nil
  }

  @inline(__always) private static func isWordByte(_ byte: UInt8) -> Bool {
    isASCIILetter(Int(byte)) || isASCIIDigit(Int(byte)) || byte == UInt8(ascii: "_")
  }

  /// End of the comment at `start` (`--`, `//` through its line break; `/* */`), as `lexer`
  /// reads it; nil for a hint (`/*+`), which the reading looks at, or a `/*` that does not end.
  private static func commentEnd(from start: Int, in source: UnsafeBufferPointer<UInt8>, lexer: Lexer) -> Int? {
    guard source[start + 1] == UInt8(ascii: "*") else { return lexer.lineCommentEnd(from: start + 2) }
    if start + 2 < source.count, source[start + 2] == UInt8(ascii: "+") { return nil }
    return lexer.find(0x2A, 0x2F, from: start + 2).map { $0 + 2 }
  }
}
