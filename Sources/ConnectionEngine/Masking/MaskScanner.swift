/// The state machine behind `Masker`: walks the lexer's tokens with one token of lookahead and
/// copies, masks or drops each one. Gaps between tokens (white space and comments) are scanned
/// here, since the lexer skips them.
struct MaskScanner: ~Copyable {
  private let source: UnsafeBufferPointer<UInt8>
  private var lexer: Lexer
  private var out: ByteWriter
  /// The source's bytes, pinned for the scan (see `run`).
  private var bytes: UnsafeBufferPointer<UInt8> = UnsafeBufferPointer(start: nil, count: 0)
  private let recordOffsets: Bool
  private(set) var anchors: [(Int, Int)] = []

  /// Parenthesis depth, and what the innermost list at depth 1 holds.
  private var depth = 0
  private var isResetList = false
  /// The significant token before the current one, and the word before the last `(`.
  private var previous: Token = Token(kind: .endOfInput, start: 0, end: 0)
  private var valueIsPublic = false

  private static let hidden = Array(Masker.hidden.utf8)
  private static let quotedHidden = Array("'\(Masker.hidden)'".utf8)

  /// `source` must stay valid while the scanner runs (`Masker` pins the string's bytes).
  init(source: UnsafeBufferPointer<UInt8>, recordOffsets: Bool) {
    self.source = source
    self.lexer = Lexer(source)
    self.recordOffsets = recordOffsets
    out = ByteWriter(capacity: source.count + source.count / 4 + 16)
  }

  mutating func run() -> String {
    bytes = source
    scan()
    return out.string()
  }

  private mutating func scan() {
    var copied = 0
    var current = lexer.next()
    while true {
      copyGap(from: copied, to: current.start)
      if current.kind == .endOfInput { break }
      let next = lexer.next()
      if recordOffsets { anchors.append((current.start, out.count)) }
      if emit(current, next: next) == .maskedToEnd { break }
      copied = current.end
      previous = current
      current = next
    }
  }

  private enum Outcome { case continued, maskedToEnd }

  private mutating func emit(_ token: Token, next: Token) -> Outcome {
    switch token.kind {
    case .word(let isReserved):
      if depth == 0 && (isReserved || introducesName(previous) || isDialectWord(token)) {
        copy(token)
      } else {
        append(Self.hidden)
      }
    case .backQuotedIdentifier, .unicodeQuotedIdentifier:
      if depth > 0 { append(Self.hidden) } else { copy(token) }
    case .string:
      emitLiteral(token, next: next)
    case .number, .other, .hintStart:
      append(Self.hidden)
    case .symbol:
      let byte = source[token.start]
      if byte == 0x27 || byte == 0x22 {  // an unterminated quote: the rest may be a secret
        append(Self.hidden)
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
        append(Self.hidden)
        return .maskedToEnd
      }
      append(depth > 0 ? Masker.hidden : "?")
    case .endOfInput:
      break
    }
    return .continued
  }

  private mutating func emitLiteral(_ token: Token, next: Token) {
    let afterSeparator = previous.kind == .symbol && (source[previous.start] == 0x28 || source[previous.start] == 0x2C)
    let afterEquals = previous.kind == .symbol && source[previous.start] == 0x3D && previous.end - previous.start == 1

    if depth == 0 {
      if isWord(previous, "LIKE") || isWord(previous, "ILIKE") { copy(token) } else { append(Self.quotedHidden) }
      return
    }
    if afterSeparator && token.kind == .string(.plain) {
      let nextIsEquals = next.kind == .symbol && source[next.start] == 0x3D && next.end - next.start == 1
      let endsItem = next.kind == .symbol && (source[next.start] == 0x2C || source[next.start] == 0x29)
      if nextIsEquals || (isResetList && depth == 1 && endsItem) {
        valueIsPublic = nextIsEquals && Masker.publicKeyTable.contains(source[(token.start + 1)..<(token.end - 1)])
        copy(token)
        return
      }
    }
    // Only the literal right after `=` can be shown; a continuation `'a' 'b'` is masked.
    if afterEquals && valueIsPublic && token.kind == .string(.plain) {
      let value = source[token.start..<token.end]
      // Only URLs with user info, a query or a fragment need rewriting.
      if value.contains(where: { $0 == 0x40 || $0 == 0x3F || $0 == 0x23 }) {
        append(redactedURL(value))
      } else {
        copy(token)
      }
      return
    }
    append(Self.quotedHidden)
  }

  // MARK: Gaps

  /// Copies white space and replaces each comment with a fixed mask, keeping line breaks.
  private mutating func copyGap(from start: Int, to end: Int) {
    guard start < end else { return }
    // Most gaps are a space or a line break: copy them whole.
    if end - start <= 2 && source[start] != 0x2D && source[start] != 0x2F {
      out.append(UnsafeBufferPointer(rebasing: bytes[start..<end]))
      return
    }
    var i = start
    while i < end {
      let c = source[i]
      if (c == 0x2D || c == 0x2F) && i + 1 < end && source[i + 1] == c {
        if recordOffsets { anchors.append((i, out.count)) }
        append(c == 0x2D ? "-- \(Masker.hidden)" : "// \(Masker.hidden)")
        while i < end && source[i] != 0x0A && source[i] != 0x0D { i += 1 }
      } else if c == 0x2F && i + 1 < end && source[i + 1] == 0x2A {
        if recordOffsets { anchors.append((i, out.count)) }
        append("/* \(Masker.hidden) */")
        i += 2
        while i + 1 < end && !(source[i] == 0x2A && source[i + 1] == 0x2F) { i += 1 }
        i = min(end, i + 2)
      } else {
        out.append(c)
        i += 1
      }
    }
  }

  // MARK: Helpers

  private func isDialectWord(_ token: Token) -> Bool {
    dialectWordTable.contains(source[token.start..<token.end])
  }

  /// A word right after these is a name (or part of one) and is shown.
  private func introducesName(_ token: Token) -> Bool {
    if token.kind == .symbol { return source[token.start] == 0x2E }
    for word: StaticString in ["CONNECTION", "EXISTS", "TO", "FROM", "IN", "CATALOG", "DATABASE", "USE", "EXTENDED"]
    where isWord(token, word) {
      return true
    }
    return false
  }

  private func isWord(_ token: Token, _ word: StaticString) -> Bool {
    guard case .word = token.kind, token.end - token.start == word.utf8CodeUnitCount else { return false }
    for i in 0..<word.utf8CodeUnitCount where source[token.start + i] & 0xDF != word.utf8Start[i] { return false }
    return true
  }

  private mutating func copy(_ token: Token) { out.append(UnsafeBufferPointer(rebasing: bytes[token.start..<token.end])) }
  private mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { out.append($0) }
  }
  private mutating func append(_ constant: [UInt8]) { constant.withUnsafeBufferPointer { out.append($0) } }
}

/// A public value as written, minus the parts of a URL that carry credentials: user info
/// (`https://user:pass@host`) and the query and fragment (`?api_key=...`).
func redactedURL(_ literal: some Collection<UInt8>) -> String {
  let bytes = Array(literal)
  let hidden = Array(Masker.hidden.utf8)
  guard let schemeEnd = firstIndex(of: Array("://".utf8), in: bytes) else { return String(decoding: bytes, as: UTF8.self) }
  var result = Array(bytes[..<schemeEnd])
  var rest = bytes[schemeEnd...]
  let authorityEnd = rest.firstIndex(where: { $0 == 0x2F || $0 == 0x3F || $0 == 0x23 || $0 == 0x27 }) ?? rest.endIndex
  if let at = rest[..<authorityEnd].lastIndex(of: 0x40) {
    result += hidden + [0x40]
    rest = rest[(at + 1)...]
  }
  if let query = rest.firstIndex(where: { $0 == 0x3F || $0 == 0x23 }) {
    result += rest[..<query] + [0x3F] + hidden + [0x27]
  } else {
    result += rest
  }
  return String(decoding: result, as: UTF8.self)
}

private func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
  guard haystack.count >= needle.count else { return nil }
  for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) {
    return i + needle.count
  }
  return nil
}
