/// The masker's fast path: recognises, on the tokens alone and without allocating, the statement
/// shapes that make up nearly every real script —
///
///     CREATE [TEMPORARY] CONNECTION [IF NOT EXISTS] name [COMMENT '…'] WITH ('k' = 'v', …)
///     ALTER CONNECTION [IF EXISTS] name SET ('k' = 'v', …)
///     ALTER CONNECTION [IF EXISTS] name RESET ('k', …)
///
/// with every key and value one plain literal — and decides what they show exactly as
/// `MaskPlan` does from the parse. Anything else, or anything it is unsure of (another literal
/// form, `IF`, a long or escaped name, a doubled quote in a key), is left to the real parser:
/// `nil`. `FastStatementTests` checks that whenever it answers, the parser accepts the statement
/// and `MaskPlan` shows the same literals.
enum FastStatement {
  /// The byte ranges of the literals the statement shows, or nil when the parser must decide.
  static func shownLiterals(_ tokens: ArraySlice<Token>, in source: UnsafeBufferPointer<UInt8>) -> [Range<Int>]? {
    var shown: [Range<Int>] = []
    let matched = Array(tokens).withUnsafeBufferPointer { shownLiterals($0, in: source, into: &shown) }
    return matched ? shown : nil
  }

  /// The same, appending to `shown` (the masker reuses one buffer); false when the parser must decide.
  static func shownLiterals(_ tokens: UnsafeBufferPointer<Token>, in source: UnsafeBufferPointer<UInt8>, into shown: inout [Range<Int>]) -> Bool {
    shown.removeAll(keepingCapacity: true)
    var reader = Reader(tokens: tokens, source: source)
    if reader.keyword("CREATE") {
      _ = reader.keyword("TEMPORARY")
      guard reader.keyword("CONNECTION"), reader.ifExists(not: true), reader.name() else { return false }
      if reader.keyword("COMMENT") {
        guard reader.plainLiteral() != nil else { return false }
      }
      guard reader.keyword("WITH"), reader.options(into: &shown, allowEmpty: false) else { return false }
    } else if reader.keyword("ALTER") {
      guard reader.keyword("CONNECTION"), reader.ifExists(not: false), reader.name() else { return false }
      if reader.keyword("SET") {
        guard reader.options(into: &shown, allowEmpty: true) else { return false }
      } else if reader.keyword("RESET") {
        guard reader.keys(into: &shown) else { return false }
      } else {
        return false
      }
    } else {
      return false
    }
    return reader.atEnd
  }

  private struct Reader {
    let tokens: UnsafeBufferPointer<Token>
    let source: UnsafeBufferPointer<UInt8>
    var index = 0

    init(tokens: UnsafeBufferPointer<Token>, source: UnsafeBufferPointer<UInt8>) {
      self.tokens = tokens
      self.source = source
    }

    var atEnd: Bool { index == tokens.endIndex || tokens[index].kind == .endOfInput }

    var current: Token? { index < tokens.endIndex ? tokens[index] : nil }

    mutating func keyword(_ word: StaticString) -> Bool {
      guard let token = current, case .word = token.kind, token.end - token.start == word.utf8CodeUnitCount else { return false }
      for i in 0..<word.utf8CodeUnitCount where source[token.start + i] & 0xDF != word.utf8Start[i] { return false }
      index += 1
      return true
    }

    mutating func symbol(_ byte: UInt8) -> Bool {
      guard let token = current, token.kind == .symbol, token.end - token.start == 1, source[token.start] == byte else { return false }
      index += 1
      return true
    }

    /// `[IF [NOT] EXISTS]`: true when it is there whole or not at all (an `IF` that does not
    /// go on as it should is left to the parser: false).
    mutating func ifExists(not: Bool) -> Bool {
      guard keyword("IF") else { return true }
      if not && !keyword("NOT") { return false }
      return keyword("EXISTS")
    }

    /// `segment ('.' segment)*`: unreserved words (not `IF`, which the parser reads ahead of) or
    /// back-quoted names, short enough that the parser's length limit cannot apply.
    mutating func name() -> Bool {
      repeat {
        guard let token = current, token.end - token.start <= Parser.maxIdentifierLength else { return false }
        switch token.kind {
        case .word(isReserved: false):
          if token.end - token.start == 2 && source[token.start] & 0xDF == 0x49 && source[token.start + 1] & 0xDF == 0x46 { return false }
        case .backQuotedIdentifier: break
        default: return false
        }
        index += 1
      } while symbol(0x2E)
      return true
    }

    /// One plain `'…'` literal standing alone (no continuation, no `UESCAPE`); its range.
    mutating func plainLiteral() -> Range<Int>? {
      guard let token = current, token.kind == .string(.plain) else { return nil }
      index += 1
      if let next = current {
        if case .string = next.kind { return nil }
        if case .word = next.kind, next.end - next.start == 7, source[next.start] & 0xDF == 0x55 { return nil }  // UESCAPE
      }
      return token.start..<token.end
    }

    /// `'(' [key '=' value (',' key '=' value)*] ')'`: keys shown; values shown when public and
    /// free of credentials.
    mutating func options(into shown: inout [Range<Int>], allowEmpty: Bool) -> Bool {
      guard symbol(0x28) else { return false }
      if symbol(0x29) { return allowEmpty }
      repeat {
        guard let key = plainLiteral(), symbol(0x3D), let value = plainLiteral() else { return false }
        shown.append(key)
        switch FastStatement.valueIsShown(key: key, value: value, in: source) {
        case true?: shown.append(value)
        case false?: break
        case nil: return false
        }
      } while symbol(0x2C)
      return symbol(0x29)
    }

    /// `'(' [key (',' key)*] ')'`: every key shown.
    mutating func keys(into shown: inout [Range<Int>]) -> Bool {
      guard symbol(0x28) else { return false }
      if symbol(0x29) { return true }
      repeat {
        guard let key = plainLiteral() else { return false }
        shown.append(key)
      } while symbol(0x2C)
      return symbol(0x29)
    }
  }

  /// Public keys as bytes, by length, for a lookup without building a String.
  private static let publicKeysByLength: [[[UInt8]]] = {
    let words = SecretPolicy.publicKeys.map { Array($0.utf8) }
    var table = [[[UInt8]]](repeating: [], count: (words.map(\.count).max() ?? 0) + 1)
    for word in words { table[word.count].append(word) }
    return table
  }()

  /// Whether the value is shown (the key is public and the value carries no credential); nil
  /// when the key holds a doubled quote and the parser should decode it.
  static func valueIsShown(key: Range<Int>, value: Range<Int>, in source: UnsafeBufferPointer<UInt8>) -> Bool? {
    let keyBody = (key.lowerBound + 1)..<(key.upperBound - 1)
    if source[keyBody].contains(0x27) { return nil }
    let count = keyBody.count
    let isPublic = count < publicKeysByLength.count && publicKeysByLength[count].contains { word in
      word.withUnsafeBufferPointer { w in
        var i = 0
        while i < count && w[i] == source[keyBody.lowerBound + i] { i += 1 }
        return i == count
      }
    }
    guard isPublic else { return false }
    let valueBody = source[(value.lowerBound + 1)..<(value.upperBound - 1)]
    // The credential check's own fast path, on bytes: nothing that could start a credential.
    if !valueBody.contains(where: { $0 == 0x40 || $0 == 0x3F || $0 == 0x23 || $0 == 0x3B || $0 == 0x26 || $0 == 0x25 || $0 >= 0x80 || $0 == 0x27 }) {
      return true
    }
    let text = String(decoding: valueBody, as: UTF8.self).replacingDoubled("'")
    return CredentialCheck.finding(in: text) == nil
  }
}

extension Masker {
  /// For tests and the fuzzer: where the fast path answers for a statement of `sql`, the parser
  /// must accept that statement and show exactly the same literals. Returns the first
  /// disagreement, or nil.
  public static func fastPathDisagreement(_ sql: String) -> String? {
    let bytes = Array(sql.utf8)
    return bytes.withUnsafeBufferPointer { source -> String? in
      var lexer = Lexer(source)
      var statement: [Token] = []
      while true {
        let token = lexer.next()
        let isEnd = token.kind == .endOfInput
        let isSemicolon = token.kind == .symbol && source[token.start] == 0x3B
        if !isEnd && !isSemicolon {
          statement.append(token)
          continue
        }
        if let fast = FastStatement.shownLiterals(statement[...], in: source), let first = statement.first, let last = statement.last {
          let text = String(decoding: bytes[first.start..<last.end], as: UTF8.self).debugDescription
          guard let (parsed, base) = statement.withUnsafeBufferPointer({ Parser.parseOne($0, in: source) }) else {
            return "the fast path accepted what the parser rejects: \(text)"
          }
          let planned = MaskPlan.shownLiterals(of: parsed).ranges.map { ($0.lowerBound + base)..<($0.upperBound + base) }
            .sorted { $0.lowerBound < $1.lowerBound }
          if planned != fast { return "the fast path shows \(fast), the parse \(planned): \(text)" }
        }
        if isEnd { return nil }
        statement.removeAll(keepingCapacity: true)
      }
    }
  }
}
