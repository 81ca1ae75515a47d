/// Splits SQL into tokens exactly as Flink 2.3.0's Calcite lexer does (lexical state BTID,
/// case-insensitive keywords, longest match wins and ties go to the rule Calcite defines first).
///
/// It never fails: a character no token can start with becomes a `.lexicalError` token and lexing
/// goes on after it, so the parser decides when the error matters. Whitespace and comments are
/// skipped.
public struct Lexer {
  /// The bytes being read; the caller keeps them alive and unmoved while the lexer is used
  /// (the lexer reads every byte, and pointer access keeps that loop free of retains).
  let source: UnsafeBufferPointer<UInt8>
  private var index = 0
  /// Keywords' table, held here: a static's lazy check on every word is measurable.
  private let reserved = Keywords.reservedTable
  /// Whether a comment was skipped since `takeSkippedComment` last asked.
  private var skippedComment = false
  /// Whether `plainASCIIWord` may answer; tests turn it off to compare with the general rules.
  var takesPlainWords = true
  private var collationRun: CollationRun?
  /// The last run of letters, digits, `:`, `.` and `-` that `plainASCIIWord` scanned, and
  /// whether a `$` or a non-ASCII byte ends it (then the general rules decide).
  private var plainRun = 0..<0
  private var plainRunIsBlocked = false
  /// Whether an `E'...'` did not close before the end of the bytes (`isUnclosedCStylePrefix`),
  /// found where the longest match falls back, off the path of every other word.
  private(set) var leftCStyleLiteralOpen = false

  private struct CollationRun {
    var range: Range<Int>
    var dollars: [Int]
    var bestFrom: [Int]
  }

  init(_ source: UnsafeBufferPointer<UInt8>) {
    self.source = source
  }

  /// Every token up to and including `.endOfInput`.
  public static func tokenize(_ source: [UInt8]) -> [Token] {
    source.withUnsafeBufferPointer { tokenize(pinned: $0) }
  }

  /// From byte `start` of `source` (where a statement starts) to its end; offsets are `source`'s.
  static func tokenize(pinned source: UnsafeBufferPointer<UInt8>, from start: Int = 0, takesPlainWords: Bool = true) -> [Token] {
    var tokens: [Token] = []
    tokens.reserveCapacity((source.count - start) / 4 + 2)
    let capacity = tokens.capacity
    tokens.withUnsafeMutableBufferPointer { adviseHugePages($0.baseAddress, bytes: capacity * MemoryLayout<Token>.stride) }
    tokenize(pinned: source, from: start, takesPlainWords: takesPlainWords, into: &tokens)
    return tokens
  }

  /// The same, appended to `tokens`. With `skimming`, the runs of tokens a script's reading
  /// does not look at are one `.other` token each (`StatementSkimmer`).
  /// A statement (the tokens up to a `;`) keeps at most `statementLimit` tokens: the rest of it
  /// is lexed to find its end and kept as one `.other` token. Returns, for each such statement,
  /// where its tokens start and which token is the rest. (A file that is not a script, such as a
  /// large JSON document, is one statement of a token every few bytes: at 32 bytes a token, it
  /// took 17 times its size in memory.)
  @discardableResult
  static func tokenize(
    pinned source: UnsafeBufferPointer<UInt8>, from start: Int = 0, takesPlainWords: Bool = true, skimming: Bool = false,
    statementLimit: Int = .max, into tokens: inout [Token]
  ) -> [(start: Int, rest: Int)] {
    var lexer = Lexer(source)
    lexer.index = start
    lexer.takesPlainWords = takesPlainWords
    tokens.reserveCapacity(tokens.count + min((source.count - start) / 4, statementLimit) + 2)
    var skimmer = StatementSkimmer()
    var statementStart = tokens.count
    var overLong: [(start: Int, rest: Int)] = []
    func endsStatement(_ token: Token) -> Bool {
      switch token.kind {
      case .endOfInput: true
      case .symbol: source[token.start] == UInt8(ascii: ";")
      default: false
      }
    }
    while true {
      var token = lexer.next()
      if tokens.count - statementStart >= statementLimit && !endsStatement(token) {
        overLong.append((statementStart, tokens.count))
        let rest = token.start
        var end = token.end
        token = lexer.next()
        while !endsStatement(token) {
          end = token.end
          token = lexer.next()
        }
        tokens.append(Token(kind: .other, start: rest, end: end))
      }
      tokens.append(token)
      if endsStatement(token) {
        if token.kind == .endOfInput { return overLong }
        statementStart = tokens.count
      }
      if skimming, let skipped = skimmer.skip(after: token, in: source, lexer: &lexer) { tokens.append(skipped) }
    }
  }

  /// Goes on lexing at `offset`, the start of a token (`StatementSkimmer` stepped over the rest).
  mutating func resume(at offset: Int) {
    index = offset
  }

  /// Space, tab, line feed, carriage return or form feed: what separates tokens (no token reads
  /// on past one, outside literals, quoted names and comments).
  @inline(__always) static func isWhiteSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C
  }

  /// The byte at `offset`, or -1 past the end (NUL is a real byte and must not end input).
  @inline(__always) private func at(_ offset: Int) -> Int {
    offset < source.count && offset >= 0 ? Int(source[offset]) : -1
  }

  public mutating func next() -> Token {
    while true {
      // White space in a tight loop: a run of indentation costs no dispatch per byte.
      while index < source.count {
        let b = source[index]
        guard Self.isWhiteSpace(b) else { break }
        index += 1
      }
      let start = index
      let c = at(start)
      // Most tokens are words: decided by one compare rather than the switch's indirect jump,
      // which the profile showed mispredicted (no case below takes an ASCII letter).
      if isASCIILetter(c) { return numberOrWord(start) }
      switch c {
      case -1:
        return Token(kind: .endOfInput, start: source.count, end: source.count)
      case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
        index += 1
      case 0x2F:  // '/'
        if at(start + 1) == 0x2A {  // '/*'
          if at(start + 2) == 0x2B { return make(.hintStart, start, start + 3) }
          if let close = find(0x2A, 0x2F, from: start + 2) {
            index = close + 2
            skippedComment = true
          } else {
            index = source.count
            return Token(
              kind: .lexicalError(.init(failingOffset: source.count, atEndOfInput: true)),
              start: start, end: source.count)
          }
        } else if at(start + 1) == 0x2F {
          skipLineComment()
        } else {
          return make(.symbol, start, start + 1)
        }
      case 0x2D:  // '-'
        if at(start + 1) == 0x2D { skipLineComment() } else { return make(.symbol, start, start + 1) }
      case 0x60:  // '`'
        return backQuoted(start)
      case 0x27:  // '\''
        if let end = quotedStringEnd(from: start) { return make(.string(.plain), start, end) }
        return make(.symbol, start, start + 1)
      case 0x30...0x39:
        return numberOrWord(start)
      case 0x2E:  // '.'
        if at(start + 1) == 0x2E { return make(.symbol, start, start + 2) }
        if isASCIIDigit(at(start + 1)) {
          var end = start + 1
          while isASCIIDigit(at(end)) { end += 1 }
          return make(.number, start, exponentEnd(from: end))
        }
        return make(.symbol, start, start + 1)
      case 0x3C:  // '<'
        if at(start + 1) == 0x3D { return make(.symbol, start, at(start + 2) == 0x3E ? start + 3 : start + 2) }
        return make(.symbol, start, at(start + 1) == 0x3E ? start + 2 : start + 1)
      case 0x3E, 0x3D:  // '>' '='
        return make(.symbol, start, at(start + 1) == (c == 0x3E ? 0x3D : 0x3E) ? start + 2 : start + 1)
      case 0x21:  // '!'
        if at(start + 1) == 0x3D { return make(.symbol, start, start + 2) }
        // Calcite reads `!` as the start of `!=` and fails on the character after it.
        if at(start + 1) == -1 {
          return make(.lexicalError(.init(failingOffset: source.count, atEndOfInput: true)), start, start + 1)
        }
        return make(.lexicalError(.init(failingOffset: start + 1, atEndOfInput: false)), start, start + 1)
      case 0x7C:  // '|'
        return make(.symbol, start, at(start + 1) == 0x7C ? start + 2 : start + 1)
      case 0x28, 0x29, 0x5B, 0x5D, 0x3B, 0x2C, 0x3F, 0x3A, 0x2B, 0x2A, 0x25, 0x22, 0x5E, 0x7B, 0x7D:
        return make(.symbol, start, start + 1)
      case 0x07:
        return make(.other, start, start + 1)
      case 0x40:  // '@' starts a parameter identifier
        let first = at(start + 1)
        guard isASCIILetter(first) || first == 0x5F else { return lexicalError(at: start) }
        var end = start + 2
        while isASCIILetter(at(end)) || at(end) == 0x5F || isASCIIDigit(at(end)) { end += 1 }
        return make(.other, start, end)
      case 0x24 where !isWordPart(start + 1):  // a lone '$' is Calcite's DOLLAR operator
        return make(.symbol, start, start + 1)
      default:
        return numberOrWord(start)
      }
    }
  }

  @inline(__always) private mutating func make(_ kind: Token.Kind, _ start: Int, _ end: Int) -> Token {
    index = end
    return Token(kind: kind, start: start, end: end)
  }

  private mutating func lexicalError(at offset: Int) -> Token {
    let end = offset + max(1, scalar(at: offset).length)
    return make(.lexicalError(.init(failingOffset: offset, atEndOfInput: false)), offset, end)
  }

  /// Whether the gap before the last token held a comment (then clears it).
  mutating func takeSkippedComment() -> Bool {
    defer { skippedComment = false }
    return skippedComment
  }

  private mutating func skipLineComment() {
    skippedComment = true
    index = lineCommentEnd(from: index)
  }

  /// Where a line comment whose text goes on at `offset` ends: past its line break (CR LF is
  /// one), or at the end of input.
  func lineCommentEnd(from offset: Int) -> Int {
    var i = offset
    while true {
      let c = at(i)
      if c == -1 { return i }
      i += 1
      if c == 0x0A { return i }
      if c == 0x0D { return at(i) == 0x0A ? i + 1 : i }
    }
  }

  /// Where the pair of bytes `first`, `second` is next found from `offset` (`*/` ends a comment).
  func find(_ first: Int, _ second: Int, from offset: Int) -> Int? {
    var i = offset
    while i + 1 < source.count {
      if Int(source[i]) == first && Int(source[i + 1]) == second { return i }
      i += 1
    }
    return nil
  }

  // MARK: Quoted tokens

  /// End of `'...'` (quotes doubled inside) starting at `quote`, or nil when it never closes.
  /// Longest match: `'a'''` is one literal, `'a''` falls back to `'a'`.
  func quotedStringEnd(from quote: Int) -> Int? {
    var i = quote + 1
    var lastAccept: Int? = nil
    while true {
      let c = at(i)
      if c == -1 { return lastAccept }
      if c == 0x27 {
        lastAccept = i + 1
        if at(i + 1) == 0x27 { i += 2; continue }
        return i + 1
      }
      i += 1
    }
  }

  /// End of `E'...'`, where a backslash escapes any character and quotes may be doubled.
  private func cStyleStringEnd(from quote: Int) -> Int? {
    var i = quote + 1
    var lastAccept: Int? = nil
    while true {
      let c = at(i)
      if c == -1 { return lastAccept }
      if c == 0x5C {
        if at(i + 1) == -1 { return lastAccept }
        i += 1 + max(1, scalar(at: i + 1).length)
        continue
      }
      if c == 0x27 {
        lastAccept = i + 1
        if at(i + 1) == 0x27 { i += 2; continue }
        return i + 1
      }
      i += 1
    }
  }

  /// Shared scan for `` `x` `` and `U&"x"`: at least one character, the delimiter doubled to
  /// escape it, no line breaks. Returns the end, or the failing offset when nothing matched.
  func delimitedIdentifierEnd(from open: Int, delimiter: Int) -> (end: Int?, failing: Int) {
    var i = open + 1
    var count = 0
    var lastAccept: Int? = nil
    while true {
      let c = at(i)
      if c == -1 || c == 0x0A || c == 0x0D { return (lastAccept, i) }
      if c == delimiter {
        if count > 0 { lastAccept = i + 1 }
        if at(i + 1) == delimiter {
          i += 2
          count += 1
          continue
        }
        if count > 0 { return (i + 1, i + 1) }
        return (lastAccept, i + 1)
      }
      i += 1
      count += 1
    }
  }

  private mutating func backQuoted(_ start: Int) -> Token {
    let (end, failing) = delimitedIdentifierEnd(from: start, delimiter: 0x60)
    if let end { return make(.backQuotedIdentifier, start, end) }
    let atEnd = failing >= source.count
    let errorEnd = atEnd ? source.count : failing + max(1, scalar(at: failing).length)
    return make(.lexicalError(.init(failingOffset: failing, atEndOfInput: atEnd)), start, errorEnd)
  }

  // MARK: Words and numbers

  /// Letters, digits and prefixed literals compete; the longest candidate wins.
  private mutating func numberOrWord(_ start: Int) -> Token {
    if takesPlainWords, let word = plainASCIIWord(start) { return word }
    let first = scalar(at: start)
    let startsWithDigit = isDigit(first.value)
    guard startsWithDigit || isLetter(first.value) else { return lexicalError(at: start) }

    var best: (kind: Token.Kind, end: Int) = (.other, start)
    if isASCIIDigit(at(start)) {
      best = (.number, numberEnd(start))
    } else if isLetter(first.value) {
      if let literal = prefixedLiteral(start) {
        best = literal
      } else if at(start) | 0x20 == 0x65 && at(start + 1) == 0x27 {
        leftCStyleLiteralOpen = true
      }
      var end = start
      // ASCII fast path; any other scalar goes through Calcite's LETTER and DIGIT classes.
      while true {
        let b = at(end)
        if b >= 0x80 {
          guard isWordPart(end) else { break }
          end += scalar(at: end).length
        } else if isASCIILetter(b) || isASCIIDigit(b) || b == 0x5F || b == 0x24 {
          end += 1
        } else {
          break
        }
      }
      if end > best.end { best = (.word(isReserved: reserved.contains(source[start..<end])), end) }
    }
    // A collation id needs a '$' in a run of letters, digits, ':', '.', '-': only look when one may follow.
    let after = at(best.end)
    if after == 0x3A || after == 0x2E || after == 0x2D || after == 0x24 || source[start..<best.end].contains(0x24),
      let collation = collationIDEnd(start), collation > best.end
    {
      best = (.other, collation)
    }
    if best.end == start { return lexicalError(at: start) }
    return make(best.kind, start, best.end)
  }

  /// Most words of a script in one pass over their bytes: ASCII letters, digits and `_` from an
  /// ASCII letter, where no other candidate can win. Nil (the general rules decide) when the word
  /// could start a prefixed literal (a quote or `&` after its first letter), when a `$` or a
  /// non-ASCII byte could continue it, or when a `$` in the run of letters, digits, `:`, `.`
  /// and `-` after it could make a longer collation id. A test holds it to the general rules.
  @inline(__always) private mutating func plainASCIIWord(_ start: Int) -> Token? {
    let count = source.count
    guard isASCIILetter(Int(source[start])) else { return nil }
    if start + 1 < count && (source[start + 1] == 0x27 || source[start + 1] == 0x26) { return nil }
    var end = start + 1
    while end < count {
      let c = Int(source[end])
      guard isASCIILetter(c) || isASCIIDigit(c) || c == 0x5F else { break }
      end += 1
    }
    if end < count {
      let after = source[end]
      if after >= 0x80 || after == 0x24 { return nil }
      if after == 0x3A || after == 0x2E || after == 0x2D {
        // Every word of one run (`a.b.c…`) asks about the same rest of it: scan it once.
        if !plainRun.contains(end) {
          var i = end
          var blocked = false
          while i < count {
            let c = Int(source[i])
            if c == 0x24 || c >= 0x80 {
              blocked = true
              break
            }
            guard isASCIILetter(c) || isASCIIDigit(c) || c == 0x5F || c == 0x3A || c == 0x2E || c == 0x2D else { break }
            i += 1
          }
          plainRun = end..<max(i, end + 1)
          plainRunIsBlocked = blocked
        }
        if plainRunIsBlocked { return nil }
      }
    }
    return make(.word(isReserved: reserved.contains(UnsafeBufferPointer(rebasing: source[start..<end]))), start, end)
  }

  private func prefixedLiteral(_ start: Int) -> (kind: Token.Kind, end: Int)? {
    let c = at(start) | 0x20  // ASCII lower-case
    switch c {
    case 0x6E where at(start + 1) == 0x27:  // N'...'
      return quotedStringEnd(from: start + 1).map { (.string(.national), $0) }
    case 0x78 where at(start + 1) == 0x27:  // X'...'
      return quotedStringEnd(from: start + 1).map { (.string(.binary), $0) }
    case 0x65 where at(start + 1) == 0x27:  // E'...'
      return cStyleStringEnd(from: start + 1).map { (.string(.cStyle), $0) }
    case 0x75 where at(start + 1) == 0x26:  // U&'...' or U&"..."
      if at(start + 2) == 0x27 {
        return quotedStringEnd(from: start + 2).map { (.string(.unicode), $0) }
      }
      if at(start + 2) == 0x22 {
        return delimitedIdentifierEnd(from: start + 2, delimiter: 0x22).end.map { (.unicodeQuotedIdentifier, $0) }
      }
      return nil
    case 0x7F where at(start) == 0x5F:  // '_' charset-name '...'
      var i = start + 1
      guard isASCIILetter(at(i)) || isASCIIDigit(at(i)) else { return nil }
      while isASCIILetter(at(i)) || isASCIIDigit(at(i)) || [0x3A, 0x2E, 0x2D, 0x5F].contains(at(i)) { i += 1 }
      guard at(i) == 0x27 else { return nil }
      return quotedStringEnd(from: i).map { (.string(.charset), $0) }
    default:
      return nil
    }
  }

  private func numberEnd(_ start: Int) -> Int {
    var end = start
    while isASCIIDigit(at(end)) { end += 1 }
    if at(end) == 0x2E && at(end + 1) != 0x2E {
      end += 1
      while isASCIIDigit(at(end)) { end += 1 }
    }
    return exponentEnd(from: end)
  }

  private func exponentEnd(from end: Int) -> Int {
    guard at(end) | 0x20 == 0x65 else { return end }
    var i = end + 1
    if at(i) == 0x2B || at(i) == 0x2D { i += 1 }
    guard isASCIIDigit(at(i)) else { return end }
    while isASCIIDigit(at(i)) { i += 1 }
    return i
  }

  /// Calcite's COLLATION_ID: `(L|D)+ (L|D|:|.|-|_)* '$' (L|_)+ ('$' (L|D|_)+)?`, where the letter
  /// class L itself contains `$` and `_`. The longest match from `start`.
  ///
  /// Every word inside one run of such characters (`a.b.c…`) asks this, so the run is scanned
  /// once and cached: scanning it per word made `a.a.a.…a$ ` quadratic (found by timing the
  /// lexer on 80 KB of it: 8 s).
  private mutating func collationIDEnd(_ start: Int) -> Int? {
    if collationRun == nil || !collationRun!.range.contains(start) { collationRun = scanCollationRun(from: start) }
    let run = collationRun!
    // The first '$' strictly after `start` (the match needs at least one character before it).
    var low = 0
    var high = run.dollars.count
    while low < high {
      let mid = (low + high) / 2
      if run.dollars[mid] > start { high = mid } else { low = mid + 1 }
    }
    guard low < run.dollars.count, run.bestFrom[low] >= 0 else { return nil }
    return run.bestFrom[low]
  }

  /// A maximal run of (L|D|:|.|-) from `start`: its '$' positions and, for each, the longest
  /// match end using that '$' or any later one (-1 when none matches). Linear in the run: `$` is
  /// itself a letter, so `a$a$a$…` is one run with a '$' every other character.
  private func scanCollationRun(from start: Int) -> CollationRun {
    var offsets: [Int] = []
    var values: [Int] = []
    var runEnd = start
    while true {
      let s = scalar(at: runEnd)
      let v = s.value
      guard v >= 0, isLetter(v) || isDigit(v) || v == 0x3A || v == 0x2E || v == 0x2D else { break }
      offsets.append(runEnd)
      values.append(v)
      runEnd += s.length
    }
    let m = values.count
    offsets.append(runEnd)
    // letterEnd[i] / wordEnd[i]: where the run of letters / of letters and digits from i ends.
    var letterEnd = [Int](repeating: m, count: m + 1)
    var wordEnd = [Int](repeating: m, count: m + 1)
    var dollarsBefore = [Int](repeating: 0, count: m + 1)
    for i in stride(from: m - 1, through: 0, by: -1) {
      letterEnd[i] = isLetter(values[i]) ? letterEnd[i + 1] : i
      wordEnd[i] = isLetter(values[i]) || isDigit(values[i]) ? wordEnd[i + 1] : i
    }
    for i in 0..<m { dollarsBefore[i + 1] = dollarsBefore[i] + (values[i] == 0x24 ? 1 : 0) }
    var dollars: [Int] = []
    var ends: [Int] = []
    for k in 0..<m where values[k] == 0x24 {
      dollars.append(offsets[k])
      // '$' (L|_)+ : the letters after it; then an optional '$' (L|D)+ inside or right after them.
      let tail = k + 1 < m ? letterEnd[k + 1] : k + 1
      guard tail > k + 1 else {
        ends.append(-1)
        continue
      }
      let wordRunEnd = wordEnd[k + 1]
      var inner = tail > k + 2 ? dollarsBefore[tail] - dollarsBefore[k + 2] : 0
      if inner > 0 && values[tail - 1] == 0x24 && wordRunEnd == tail { inner -= 1 }
      ends.append(offsets[inner > 0 ? wordRunEnd : tail])
    }
    var bestFrom = ends
    if bestFrom.count > 1 { for i in stride(from: bestFrom.count - 2, through: 0, by: -1) { bestFrom[i] = max(bestFrom[i], bestFrom[i + 1]) } }
    return CollationRun(range: start..<max(runEnd, start + 1), dollars: dollars, bestFrom: bestFrom)
  }

  // MARK: Character classes (Calcite's LETTER and DIGIT, over UTF-16 code units)

  private func isWordPart(_ offset: Int) -> Bool {
    let v = scalar(at: offset).value
    return isLetter(v) || isDigit(v)
  }

  /// The scalar at `offset` and its UTF-8 length; value -1 past the end or for invalid UTF-8.
  @inline(__always) func scalar(at offset: Int) -> (value: Int, length: Int) {
    let b0 = at(offset)
    if b0 < 0x80 { return (b0, b0 == -1 ? 0 : 1) }
    func cont(_ i: Int) -> Int? {
      let b = at(offset + i)
      return b & 0xC0 == 0x80 ? b & 0x3F : nil
    }
    switch b0 {
    case 0xC2...0xDF:
      if let b1 = cont(1) { return ((b0 & 0x1F) << 6 | b1, 2) }
    case 0xE0...0xEF:
      if let b1 = cont(1), let b2 = cont(2) {
        let v = (b0 & 0x0F) << 12 | b1 << 6 | b2
        if v >= 0x800 && !(0xD800...0xDFFF).contains(v) { return (v, 3) }
      }
    case 0xF0...0xF4:
      if let b1 = cont(1), let b2 = cont(2), let b3 = cont(3) {
        let v = (b0 & 0x07) << 18 | b1 << 12 | b2 << 6 | b3
        if v >= 0x10000 && v <= 0x10FFFF { return (v, 4) }
      }
    default:
      break
    }
    return (-1, 1)
  }
}

@inline(__always) func isASCIIDigit(_ c: Int) -> Bool { c >= 0x30 && c <= 0x39 }
@inline(__always) func isASCIILetter(_ c: Int) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }

/// Calcite's `#LETTER`: `$`, `_`, ASCII letters and a few BMP ranges (CJK among them).
@inline(__always) func isLetter(_ v: Int) -> Bool {
  if v < 0x80 { return isASCIILetter(v) || v == 0x24 || v == 0x5F }
  switch v {
  case 0xC0...0xD6, 0xD8...0xF6, 0xF8...0xFF, 0x100...0x1FFF, 0x3040...0x318F, 0x3300...0x337F,
    0x3400...0x3D2D, 0x4E00...0x9FFF, 0xF900...0xFAFF:
    return true
  default:
    return false
  }
}

/// Calcite's `#DIGIT`: ASCII digits and the decimal digits of several scripts.
@inline(__always) func isDigit(_ v: Int) -> Bool {
  if v < 0x80 { return isASCIIDigit(v) }
  switch v {
  case 0x660...0x669, 0x6F0...0x6F9, 0x966...0x96F, 0x9E6...0x9EF, 0xA66...0xA6F, 0xAE6...0xAEF,
    0xB66...0xB6F, 0xBE7...0xBEF, 0xC66...0xC6F, 0xCE6...0xCEF, 0xD66...0xD6F, 0xE50...0xE59,
    0xED0...0xED9, 0x1040...0x1049:
    return true
  default:
    return false
  }
}

extension Lexer {
  /// Whether `token` (its first byte, and the byte after it) is the word `E` right before a
  /// quote: an `E'...'` literal that did not close before the end of the bytes lexed, so the
  /// longest match fell back to the word and a plain literal that ends at its escaped quote
  /// (`E'a\'b` is `E`, `'a\'`, `b`). Lexed with more bytes it may close, and then what followed
  /// here as tokens (a `;` among them) is inside it.
  static func isUnclosedCStylePrefix(_ token: Token, first: UInt8, next: UInt8?) -> Bool {
    guard case .word = token.kind else { return false }
    return token.end - token.start == 1 && first | 0x20 == UInt8(ascii: "e") && next == UInt8(ascii: "'")
  }

  /// For tests: where the plain-word path and the general rules tokenise `sql` differently, the
  /// first difference; nil when they agree on every token.
  public static func plainWordDisagreement(_ sql: String) -> String? {
    let bytes = Array(sql.utf8)
    return bytes.withUnsafeBufferPointer { pinned -> String? in
      let fast = tokenize(pinned: pinned)
      let general = tokenize(pinned: pinned, takesPlainWords: false)
      let common = min(fast.count, general.count)
      guard let index = (0..<common).first(where: { fast[$0] != general[$0] }) ?? (fast.count == general.count ? nil : common)
      else { return nil }
      let shown = { (tokens: [Token]) in index < tokens.count ? "\(tokens[index])" : "nothing" }
      return "token \(index) of \(sql.debugDescription): plain words give \(shown(fast)), the general rules \(shown(general))"
    }
  }
}
