/// The state machine behind `Masker`. It reads the text one statement at a time (statements end
/// at a `;` token), parses each statement with the real parser, and then copies, masks or drops
/// each token:
///
/// - In a statement that parses, what is shown comes from its meaning: option keys (every literal
///   form, decoded as Flink decodes it), the values of keys `SecretPolicy` calls public when the
///   value is one plain literal without credentials inside (`CredentialCheck`), `LIKE`
///   patterns, names and keywords. A `COMMENT` is free text and stays hidden.
/// - In a statement that does not parse, no structure is trusted: no value is shown, and a literal
///   where a key seems to stand is shown only if it is a key name Switchboard knows.
///
/// Words and numbers inside parentheses, SQL comments, and everything after an unterminated
/// quote, identifier or comment are masked. What is masked never shapes the output.
struct MaskScanner: ~Copyable {
  private let source: UnsafeBufferPointer<UInt8>
  private var out: ByteWriter
  /// The run of source bytes to copy next (`copySource`).
  private var copyStart = 0
  private var copyEnd = 0
  private let recordOffsets: Bool
  /// Held here: a global's lazy check on every word is measurable.
  private let dialectWords = dialectWordTable
  private(set) var anchors: [(Int, Int)] = []
  /// Why the first masked piece was masked: the command line refuses any such statement.
  private(set) var firstHidden: String?

  // State of the statement being emitted.
  private var depth = 0
  private var isResetList = false
  private var previous = Token(kind: .endOfInput, start: 0, end: 0)
  private var parsed = false
  private var usedFastPath = false
  /// Byte ranges of the literals this statement shows, ascending; and the first not yet passed.
  private var shown: [Range<Int>] = []
  private var shownIndex = 0
  private var hiddenValueKey: String?
  /// The last literal before the current token (the key, when a value is hidden).
  private var lastLiteral: Token?

  /// `Masker.hidden` bare and quoted, each written as one word of bytes: the mask goes out for
  /// about every other token, and a store is cheaper than a copy call (tests compare the text).
  private enum Mask {
    case bare, quoted
    var bytes: UInt64 { UInt64(littleEndian: self == .bare ? 0x2A2A_2A2A_2A2A : 0x272A_2A2A_2A2A_2A27) }
    var count: Int { self == .bare ? 6 : 8 }
  }

  /// `source` must stay valid while the scanner runs (`Masker` pins the string's bytes).
  init(source: UnsafeBufferPointer<UInt8>, recordOffsets: Bool) {
    self.source = source
    self.recordOffsets = recordOffsets
    out = ByteWriter(capacity: source.count + source.count / 4 + 16)
  }

  mutating func run() -> String {
    scan()
    return out.string()
  }

  /// What `scan` wrote, without building a String (`switchboard mask`).
  func withOutput<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    precondition(copyEnd == copyStart, "scan() copies its last run")
    return out.withBytes(body)
  }

  /// Whether the scanned text ends right after a `;` that ends a statement, with nothing left
  /// open (no unterminated literal, `E'...'` included, identifier or comment): then it can be masked apart from
  /// what follows it, and the two outputs put together are the output of the whole.
  private(set) var endsOnStatementBoundary = false

  /// Masks the whole source into the scanner's buffer (`withOutput`).
  mutating func scan() {
    scan(drainingAbove: .max) { _ in }
  }

  /// The same, handing what is final to `drain` whenever the buffer holds `limit` bytes or more:
  /// the output of every statement that ended with its `;`, which nothing after it can change.
  /// `drainedThrough` says where in the source that output stops; the rest stays in the buffer.
  mutating func scan(drainingAbove limit: Int, _ drain: (UnsafeBufferPointer<UInt8>) -> Void) {
    scanStatements(drainingAbove: limit, drain)
    flushCopied()
  }

  /// Where in the source the output handed to `drain` ends (just after a statement's `;`).
  private(set) var drainedThrough = 0

  private mutating func scanStatements(drainingAbove limit: Int, _ drain: (UnsafeBufferPointer<UInt8>) -> Void) {
    var lexer = Lexer(source)
    var statement = TokenBuffer()
    var copied = 0
    var lastToken: Token?
    var hasLiteral = false
    // Whether every gap inside the statement is white space (no comment: the lexer says).
    var gapsAreBlank = true
    var previousEnd = -1
    while true {
      let token = lexer.next()
      let gapHeldComment = lexer.takeSkippedComment()
      statement.append(token)
      if case .string = token.kind { hasLiteral = true }
      if previousEnd >= 0 && gapHeldComment { gapsAreBlank = false }
      previousEnd = token.end
      let ends = token.kind == .endOfInput || (token.kind == .symbol && source[token.start] == 0x3B)
      guard ends else { continue }
      let blank = gapsAreBlank
      let outcome = emit(statement: statement.tokens, hasLiteral: hasLiteral, gapsAreBlank: blank, copied: &copied)
      if outcome == .maskedToEnd { return }
      hasLiteral = false
      gapsAreBlank = true
      previousEnd = -1
      if token.kind == .endOfInput { break }
      lastToken = token
      statement.removeAll()
      if outputCount >= limit {
        flushCopied()
        out.withBytes(drain)
        out.removeAll()
        drainedThrough = copied
      }
    }
    // An `E'...'` that did not close by the end of the source: the text after it may still close
    // it, so the source does not end cleanly.
    endsOnStatementBoundary = statement.count == 1 && lastToken?.end == source.count && !lexer.leftCStyleLiteralOpen
  }

  private enum Outcome { case continued, maskedToEnd }

  // MARK: Statements

  private mutating func emit(statement tokens: UnsafeBufferPointer<Token>, hasLiteral: Bool, gapsAreBlank: Bool, copied: inout Int) -> Outcome {
    analyse(tokens, hasLiteral: hasLiteral)
    if usedFastPath && gapsAreBlank && !recordOffsets {
      emitInBulk(tokens, copied: &copied)
      return .continued
    }
    depth = 0
    isResetList = false
    previous = Token(kind: .endOfInput, start: 0, end: 0)
    for (i, token) in tokens.enumerated() {
      copyGap(from: copied, to: token.start)
      copied = token.start
      if token.kind == .endOfInput { break }
      let next = i + 1 < tokens.count ? tokens[i + 1] : Token(kind: .endOfInput, start: source.count, end: source.count)
      if recordOffsets { anchors.append((token.start, outputCount)) }
      if emit(token, next: next) == .maskedToEnd {
        copied = source.count
        return .maskedToEnd
      }
      copied = token.end
      previous = token
      if case .string = token.kind { lastLiteral = token }
    }
    return .continued
  }

  /// A statement of the fast path's shapes with nothing but white space between its tokens: every
  /// word and symbol in it is shown, so it is copied in runs, with each literal it does not show
  /// replaced by the mask. Gives the same bytes as the token-by-token path (a test compares them;
  /// `maskWithOffsets` always takes that path).
  private mutating func emitInBulk(_ tokens: UnsafeBufferPointer<Token>, copied: inout Int) {
    guard let first = tokens.first else { return }
    copyGap(from: copied, to: first.start)
    var from = first.start
    var previousToken = Token(kind: .endOfInput, start: 0, end: 0)
    var end = first.start
    for token in tokens {
      if token.kind == .endOfInput {
        copySource(from, end)
        copyGap(from: end, to: token.start)
        copied = token.start
        return
      }
      if case .string = token.kind {
        if !isShown(token) {
          copySource(from, token.start)
          append(.quoted)
          from = token.end
          if firstHidden == nil {
            let isValue = previousToken.kind == .symbol && source[previousToken.start] == 0x3D
            firstHidden = isValue ? "option " + String(decoding: source[lastLiteral!.start..<lastLiteral!.end], as: UTF8.self) : "the comment"
          }
        }
        lastLiteral = token
      }
      previousToken = token
      end = token.end
    }
    copySource(from, end)
    copied = end
  }

  /// Parses the statement (only when it holds a literal: nothing else can be shown differently)
  /// and notes which literals its meaning shows.
  private mutating func analyse(_ tokens: UnsafeBufferPointer<Token>, hasLiteral: Bool) {
    parsed = false
    usedFastPath = false
    shown.removeAll(keepingCapacity: true)
    shownIndex = 0
    hiddenValueKey = nil
    guard hasLiteral else { return }
    let bodyCount = tokens.last.map { $0.kind == .endOfInput || $0.kind == .symbol && source[$0.start] == 0x3B } == true
      ? tokens.count - 1 : tokens.count
    if FastStatement.shownLiterals(UnsafeBufferPointer(rebasing: tokens[0..<bodyCount]), in: source, into: &shown) {
      parsed = true
      usedFastPath = true
      return
    }
    shown.removeAll(keepingCapacity: true)
    guard let (statement, base) = Parser.parseOne(UnsafeBufferPointer(rebasing: tokens[0..<bodyCount]), in: source) else { return }
    parsed = true
    let plan = MaskPlan.shownLiterals(of: statement)
    hiddenValueKey = plan.hiddenValueKey
    shown = plan.ranges.map { ($0.lowerBound + base)..<($0.upperBound + base) }.sorted { $0.lowerBound < $1.lowerBound }
  }

  // MARK: Tokens

  private mutating func emit(_ token: Token, next: Token) -> Outcome {
    if parsed && depth > 0 && isShown(token) {
      copy(token)
      return .continued
    }
    switch token.kind {
    case .word(let isReserved):
      if depth == 0 && (isReserved || introducesName(previous) || isDialectWord(token)) {
        copy(token)
      } else {
        hide(.bare, because: "a word in a statement")
      }
    case .backQuotedIdentifier, .unicodeQuotedIdentifier:
      if depth > 0 { hide(.bare, because: "an identifier in a list") } else { copy(token) }
    case .string:
      emitLiteral(token, next: next)
    case .number, .other, .hintStart:
      hide(.bare, because: "a number or token")
    case .symbol:
      let byte = source[token.start]
      if byte == 0x27 || byte == 0x22 {  // an unterminated quote: the rest may be a secret
        hide(.bare, because: "an unterminated quote")
        return .maskedToEnd
      }
      if byte == 0x28 {
        if depth == 0 { isResetList = isWord(previous, "RESET") }
        depth += 1
      } else if byte == 0x29 {
        depth = max(0, depth - 1)
      }
      copy(token)
    case .lexicalError(let failure):
      let byte = source[token.start]
      if failure.atEndOfInput || byte == 0x60 || byte == 0x55 || byte == 0x75 {
        hide(.bare, because: "an unterminated identifier or comment")
        return .maskedToEnd
      }
      if depth > 0 { hide(.bare, because: "a character in a list") } else { append("?") }
    case .endOfInput:
      break
    }
    return .continued
  }

  private mutating func emitLiteral(_ token: Token, next: Token) {
    if parsed {
      // Option keys and public values were decided from the parse (above); at the top level
      // only a LIKE pattern is shown. A COMMENT is free text and stays hidden.
      if depth == 0 && (isWord(previous, "LIKE") || isWord(previous, "ILIKE")) {
        copy(token)
      } else if depth == 0 {
        hide(.quoted, because: "the comment")
      } else {
        if firstHidden == nil { firstHidden = optionReason() }
        append(.quoted)
      }
      return
    }
    if depth > 0 && looksLikeKnownKey(token, next: next) {
      copy(token)
    } else {
      hide(.quoted, because: "a statement that does not parse")
    }
  }

  /// In text that does not parse: a plain literal right after `(` or `,` and before `=` (or, in
  /// a RESET list, before `,` or `)`) whose text is a key Switchboard knows.
  private func looksLikeKnownKey(_ token: Token, next: Token) -> Bool {
    guard token.kind == .string(.plain), previous.kind == .symbol,
      source[previous.start] == 0x28 || source[previous.start] == 0x2C
    else { return false }
    let nextByte = next.kind == .symbol ? source[next.start] : 0
    let inKeyPosition = (nextByte == 0x3D && next.end - next.start == 1)
      || (isResetList && depth == 1 && (nextByte == 0x2C || nextByte == 0x29))
    guard inKeyPosition else { return false }
    let text = String(decoding: source[(token.start + 1)..<(token.end - 1)], as: UTF8.self)
    return SecretPolicy.knownKeys.contains(text)
  }

  private mutating func isShown(_ token: Token) -> Bool {
    while shownIndex < shown.count && shown[shownIndex].upperBound <= token.start { shownIndex += 1 }
    guard shownIndex < shown.count else { return false }
    return shown[shownIndex].contains(token.start)
  }

  // MARK: Gaps

  /// Copies white space and replaces each comment with a fixed mask, keeping line breaks.
  private mutating func copyGap(from start: Int, to end: Int) {
    guard start < end else { return }
    // Most gaps are a space or a line break: copy them whole.
    if end - start <= 2 && source[start] != 0x2D && source[start] != 0x2F {
      copySource(start, end)
      return
    }
    var i = start
    while i < end {
      let c = source[i]
      if (c == 0x2D || c == 0x2F) && i + 1 < end && source[i + 1] == c {
        if recordOffsets { anchors.append((i, outputCount)) }
        note("a comment")
        append(c == 0x2D ? "-- \(Masker.hidden)" : "// \(Masker.hidden)")
        while i < end && source[i] != 0x0A && source[i] != 0x0D { i += 1 }
      } else if c == 0x2F && i + 1 < end && source[i + 1] == 0x2A {
        if recordOffsets { anchors.append((i, outputCount)) }
        note("a comment")
        append("/* \(Masker.hidden) */")
        i += 2
        while i + 1 < end && !(source[i] == 0x2A && source[i + 1] == 0x2F) { i += 1 }
        i = min(end, i + 2)
      } else {
        copySource(i, i + 1)
        i += 1
      }
    }
  }

  // MARK: Helpers

  private func isDialectWord(_ token: Token) -> Bool {
    dialectWords.contains(UnsafeBufferPointer(rebasing: source[token.start..<token.end]))
  }

  /// A word right after these is a name (or part of one) and is shown.
  private func introducesName(_ token: Token) -> Bool {
    switch token.kind {
    case .symbol: return source[token.start] == 0x2E
    case .word:
      // CONNECTION, EXISTS, TO, FROM, IN, CATALOG, DATABASE, USE, EXTENDED, by length.
      switch token.end - token.start {
      case 2: return isWord(token, "TO") || isWord(token, "IN")
      case 3: return isWord(token, "USE")
      case 4: return isWord(token, "FROM")
      case 6: return isWord(token, "EXISTS")
      case 7: return isWord(token, "CATALOG")
      case 8: return isWord(token, "DATABASE") || isWord(token, "EXTENDED")
      case 10: return isWord(token, "CONNECTION")
      default: return false
      }
    default: return false
    }
  }

  private func isWord(_ token: Token, _ word: StaticString) -> Bool {
    guard case .word = token.kind, token.end - token.start == word.utf8CodeUnitCount else { return false }
    for i in 0..<word.utf8CodeUnitCount where source[token.start + i] & 0xDF != word.utf8Start[i] { return false }
    return true
  }

  /// Names the option whose value is hidden, for the command line's refusal.
  private func optionReason() -> String {
    if let key = hiddenValueKey { return "option '\(key)'" }
    if let key = lastLiteral, key.kind == .string(.plain), previous.kind == .symbol, source[previous.start] == 0x3D {
      return "option " + String(decoding: source[key.start..<key.end], as: UTF8.self)
    }
    return "a literal"
  }

  private mutating func note(_ reason: @autoclosure () -> String) {
    if firstHidden == nil { firstHidden = reason() }
  }

  private mutating func hide(_ mask: Mask, because reason: @autoclosure () -> String) {
    note(reason())
    append(mask)
  }

  private mutating func copy(_ token: Token) { copySource(token.start, token.end) }
  private mutating func append(_ text: String) {
    flushCopied()
    var text = text
    text.withUTF8 { out.append($0) }
  }
  private mutating func append(_ mask: Mask) {
    flushCopied()
    out.append(word: mask.bytes, count: mask.count)
  }

  /// Source bytes shown as they are, copied in runs: most tokens and gaps follow one another,
  /// so one copy per run rather than one per token.
  @inline(__always) private mutating func copySource(_ start: Int, _ end: Int) {
    if start != copyEnd {
      flushCopied()
      copyStart = start
    }
    copyEnd = end
  }

  private mutating func flushCopied() {
    let length = copyEnd - copyStart
    if length > 0 && length <= 8 && copyStart + 8 <= source.count {
      // Most runs between masks are a few bytes (`, `, a line break and indent): one word moved.
      out.append(word: UnsafeRawPointer(source.baseAddress! + copyStart).loadUnaligned(as: UInt64.self), count: length)
    } else if length > 0 {
      out.append(UnsafeBufferPointer(rebasing: source[copyStart..<copyEnd]))
    }
    copyStart = copyEnd
  }

  /// What has been written so far, runs not yet copied included.
  private var outputCount: Int { out.count + (copyEnd - copyStart) }
}

/// What a parsed statement shows: its option keys, and the values the secret policy calls public
/// when they carry no credentials and are written as one plain literal.
enum MaskPlan {
  struct Shown {
    var ranges: [Range<Int>] = []
    /// The first key whose value is hidden (for the command line's refusal message).
    var hiddenValueKey: String?
  }

  static func shownLiterals(of statement: Statement) -> Shown {
    var shown = Shown()
    func add(_ literal: SQLString) { shown.ranges.append(literal.offset..<max(literal.end, literal.offset + 1)) }
    func addOptions(_ entries: [OptionEntry], type: ConnectionType?) {
      for entry in entries {
        add(entry.key)
        if isShownValue(entry, type: type) {
          add(entry.value)
        } else if shown.hiddenValueKey == nil {
          shown.hiddenValueKey = entry.key.text
        }
      }
    }
    switch statement {
    case .createConnection(let c):
      let typeName = c.options.last { $0.key.text == "type" }?.value.text ?? "default"
      addOptions(c.options, type: ConnectionType.named(typeName))
    case .alterConnection(let a):
      switch a.change {
      case .set(let entries): addOptions(entries, type: nil)
      case .reset(let keys): keys.forEach(add)
      case .rename: break
      }
    case .createCatalog(let c): addOptions(c.options, type: nil)
    case .createDatabase(let d): addOptions(d.options, type: nil)
    default: break
    }
    return shown
  }

  static func isShownValue(_ entry: OptionEntry, type: ConnectionType?) -> Bool {
    !entry.key.isBinary && !entry.value.isBinary && entry.value.isSinglePlainToken
      && !SecretPolicy.isSecret(entry.key.text, type: type) && CredentialCheck.finding(in: entry.value.text) == nil
  }
}

/// The tokens of the statement being read, in one buffer reused for every statement (an
/// array's append checks its uniqueness and capacity on every token).
private struct TokenBuffer: ~Copyable {
  private var base = UnsafeMutablePointer<Token>.allocate(capacity: 256)
  private var capacity = 256
  private(set) var count = 0

  deinit {
    base.deinitialize(count: count)
    base.deallocate()
  }

  var tokens: UnsafeBufferPointer<Token> { UnsafeBufferPointer(start: base, count: count) }

  @inline(__always) mutating func append(_ token: Token) {
    if count == capacity {
      let grown = UnsafeMutablePointer<Token>.allocate(capacity: capacity * 2)
      grown.moveInitialize(from: base, count: count)
      base.deallocate()
      base = grown
      capacity *= 2
    }
    (base + count).initialize(to: token)
    count += 1
  }

  mutating func removeAll() {
    base.deinitialize(count: count)
    count = 0
  }
}
