/// The masker's fast path: for a statement of one of the common shapes
/// (`ConnectionStatementShape`), decides what it shows exactly as `MaskPlan` does from the
/// parse, without allocating. Anything else, or anything it is unsure of (a doubled quote in a
/// key), is left to the real parser: `nil`. `FastStatementTests` checks that whenever it answers,
/// the parser accepts the statement and `MaskPlan` shows the same literals.
enum FastStatement {
  /// The byte ranges of the literals the statement shows, or nil when the parser must decide.
  static func shownLiterals(_ tokens: ArraySlice<Token>, in source: UnsafeBufferPointer<UInt8>) -> [Range<Int>]? {
    var shown: [Range<Int>] = []
    let matched = Array(tokens).withUnsafeBufferPointer { shownLiterals($0, in: source, into: &shown) }
    return matched ? shown : nil
  }

  /// The same, into `shown` (the masker reuses one buffer); false when the parser must decide.
  /// `tokens` are one statement's, without its `;`.
  static func shownLiterals(_ tokens: UnsafeBufferPointer<Token>, in source: UnsafeBufferPointer<UInt8>, into shown: inout [Range<Int>]) -> Bool {
    shown.removeAll(keepingCapacity: true)
    guard let shape = ConnectionStatementShape.read(tokens, in: source, literals: &shown),
      shape.end == tokens.count || tokens[shape.end].kind == .endOfInput
    else { return false }
    // RESET names keys only: every one is shown.
    guard shape.change != .reset else { return true }
    // Keys are shown; values when public and free of credentials.
    var kept = 0
    for pair in stride(from: 0, to: shown.count, by: 2) {
      let (key, value) = (shown[pair], shown[pair + 1])
      shown[kept] = key
      kept += 1
      switch valueIsShown(key: key, value: value, in: source) {
      case true?:
        shown[kept] = value
        kept += 1
      case false?: break
      case nil: return false
      }
    }
    shown.removeLast(shown.count - kept)
    return true
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
