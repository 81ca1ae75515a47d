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
  private static let statementSet = Array("STATEMENT".utf8)
  private static let connectionSuffix = Array(".connection".utf8)

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
    if state == .countedHead || (state == .definition && depth == 0), Self.beginsLine(start, in: source), Self.statementWords.contains(word) {
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
      if Self.equalsIgnoringCase(word, Self.statementSet) { state = .rest }
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
    guard let (first, last, end) = Self.scan(from: start, to: stop, in: source) else { return nil }
    lexer.resume(at: end)
    guard let first else { return nil }
    return Token(kind: .other, start: first, end: last)
  }

  /// The byte scan: where the first token starts, where the last one ends, and where the `;` or
  /// `)` is. Nil when it gives up.
  static func scan(from start: Int, to stop: Stop, in source: UnsafeBufferPointer<UInt8>) -> (first: Int?, last: Int, stop: Int)? {
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
        guard let end = plainLiteralEnd(from: i, in: source), !mayNameConnection(i + 1..<end - 1, in: source) else { return nil }
        token(i, end)
      case UInt8(ascii: "`"):
        guard let end = backQuotedEnd(from: i, in: source) else { return nil }
        token(i, end)
      case UInt8(ascii: "-"), UInt8(ascii: "/"):
        let next = i + 1 < count ? source[i + 1] : 0
        if next == byte || (byte == UInt8(ascii: "/") && next == UInt8(ascii: "*")) {
          guard let end = commentEnd(from: i, in: source) else { return nil }
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
        } else if equalsIgnoringCase(word, statementSet) || (beginsLine && statementWords.contains(word)) {
          return nil
        }
        token(i, end)
      }
    }
    return nil
  }

  /// Whether only spaces, tabs and form feeds stand between `offset` and a line break (or the
  /// start), as `Parser.beginsLine` asks.
  @inline(__always) private static func beginsLine(_ offset: Int, in source: UnsafeBufferPointer<UInt8>) -> Bool {
    guard offset > 0 else { return true }
    let before = source[offset - 1]
    if before == 0x0A || before == 0x0D { return true }
    guard before == 0x20 || before == 0x09 || before == 0x0C else { return false }
    var i = offset - 2
    while i >= 0 {
      switch source[i] {
      case 0x20, 0x09, 0x0C: i -= 1
      case 0x0A, 0x0D: return true
      default: return false
      }
    }
    return true
  }

  @inline(__always) private static func isWordByte(_ byte: UInt8) -> Bool {
    isASCIILetter(Int(byte)) || isASCIIDigit(Int(byte)) || byte == UInt8(ascii: "_")
  }

  /// End of the plain literal whose quote is at `quote` (quotes doubled inside); nil when it does
  /// not close before the end.
  private static func plainLiteralEnd(from quote: Int, in source: UnsafeBufferPointer<UInt8>) -> Int? {
    var i = quote + 1
    while i < source.count {
      if source[i] == UInt8(ascii: "'") {
        guard i + 1 < source.count else { return nil }
        if source[i + 1] != UInt8(ascii: "'") { return i + 1 }
        i += 1
      }
      i += 1
    }
    return nil
  }

  /// Whether a literal's text may end with `.connection` (any case): then it may be an option
  /// that names a connection.
  private static func mayNameConnection(_ text: Range<Int>, in source: UnsafeBufferPointer<UInt8>) -> Bool {
    guard text.count >= connectionSuffix.count else { return false }
    let from = text.upperBound - connectionSuffix.count
    for k in 0..<connectionSuffix.count {
      let byte = source[from + k]
      if byte >= 0x80 { return true }
      if byte | 0x20 != connectionSuffix[k] && byte != connectionSuffix[k] { return false }
    }
    return true
  }

  /// End of `` `name` `` at `open` (back-ticks doubled inside, no line break, not empty), as the
  /// lexer reads it; nil when it would fail.
  private static func backQuotedEnd(from open: Int, in source: UnsafeBufferPointer<UInt8>) -> Int? {
    var i = open + 1
    var characters = 0
    while i < source.count {
      let byte = source[i]
      if byte == 0x0A || byte == 0x0D { return nil }
      if byte == UInt8(ascii: "`") {
        if i + 1 < source.count, source[i + 1] == UInt8(ascii: "`") {
          i += 2
          characters += 1
          continue
        }
        return characters > 0 ? i + 1 : nil
      }
      i += 1
      characters += 1
    }
    return nil
  }

  /// End of the comment at `start` (`--`, `//` through its line break; `/* */`); nil for a hint
  /// (`/*+`) or a comment that does not end.
  private static func commentEnd(from start: Int, in source: UnsafeBufferPointer<UInt8>) -> Int? {
    let count = source.count
    if source[start + 1] == UInt8(ascii: "*") {
      if start + 2 < count, source[start + 2] == UInt8(ascii: "+") { return nil }
      var i = start + 2
      while i + 1 < count {
        if source[i] == UInt8(ascii: "*") && source[i + 1] == UInt8(ascii: "/") { return i + 2 }
        i += 1
      }
      return nil
    }
    var i = start + 2
    while i < count {
      let byte = source[i]
      i += 1
      if byte == 0x0A { return i }
      if byte == 0x0D { return i < count && source[i] == 0x0A ? i + 1 : i }
    }
    return nil
  }

  private static func equalsIgnoringCase(_ word: UnsafeBufferPointer<UInt8>, _ upper: [UInt8]) -> Bool {
    guard word.count == upper.count else { return false }
    for k in 0..<upper.count where word[k] & 0xDF != upper[k] { return false }
    return true
  }
}
