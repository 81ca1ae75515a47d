/// Names, option lists and string literals: the pieces every statement shares.
extension Parser {
  static let maxIdentifierLength = 256

  /// `LOOKAHEAD(2) IF EXISTS`: `IF` alone is an ordinary name.
  mutating func parseIfExists() -> Bool {
    guard isKeyword(peek(), "IF"), isKeyword(peek(1), "EXISTS") else { return false }
    advance()
    advance()
    return true
  }

  /// `LOOKAHEAD(3) IF NOT EXISTS`.
  mutating func parseIfNotExists() -> Bool {
    guard isKeyword(peek(), "IF"), isKeyword(peek(1), "NOT"), isKeyword(peek(2), "EXISTS") else { return false }
    advance()
    advance()
    advance()
    return true
  }

  /// Calcite's `CompoundIdentifier`: `segment ('.' segment)*`, each dot taken only when a segment follows.
  mutating func parseCompoundName() throws(ParseError) -> ObjectName {
    let offset = peek().start
    var parts = [try parseNameSegment()]
    while isSymbol(peek(), ".") {
      if isNameSegment(peek(1)) {
        advance()
        parts.append(try parseNameSegment())
      } else if isSymbol(peek(1), "*") {
        // `LOOKAHEAD(2) DOT STAR`: Calcite ends the name with a star, kept as an empty part.
        advance()
        advance()
        parts.append("")
        break
      } else {
        break
      }
    }
    return ObjectName(parts, offset: offset)
  }

  mutating func parseSimpleName() throws(ParseError) -> ObjectName {
    let offset = peek().start
    return ObjectName([try parseNameSegment()], offset: offset)
  }

  func isNameSegment(_ token: Token) -> Bool {
    switch token.kind {
    case .word(isReserved: false), .backQuotedIdentifier, .unicodeQuotedIdentifier: return true
    default: return false
    }
  }

  mutating func parseNameSegment() throws(ParseError) -> String {
    let token = peek()
    let name: String
    switch token.kind {
    case .word(isReserved: false):
      name = text(of: token)
      advance()
    case .backQuotedIdentifier:
      let inner = source[(token.start + 1)..<(token.end - 1)]
      name = String(decoding: inner, as: UTF8.self).replacingDoubled("`")
      advance()
    case .unicodeQuotedIdentifier:
      let inner = String(decoding: source[(token.start + 3)..<(token.end - 1)], as: UTF8.self).replacingDoubled("\"")
      advance()
      let escape = try parseOptionalUEscape() ?? "\\"
      guard let decoded = unescapeUnicode(inner, escape: escape) else {
        throw failure(.syntax, "Unicode escape sequence is malformed in an identifier.", at: token)
      }
      name = decoded
    default:
      throw unexpected(token, expecting: "an identifier")
    }
    if name.utf16.count > Self.maxIdentifierLength {
      throw failure(
        .syntax,
        "Length of identifier must be less than or equal to \(Self.maxIdentifierLength) characters",
        at: token)
    }
    return name
  }

  private mutating func parseOptionalUEscape() throws(ParseError) -> Character? {
    guard consume("UESCAPE") else { return nil }
    let token = peek()
    guard token.kind == .string(.plain) else { throw unexpected(token, expecting: "<QUOTED_STRING>") }
    advance()
    let text = plainStringValue(token)
    guard text.count == 1, let c = text.first, !c.isHexDigit, c != "+", c != "\"", !c.isWhitespace else {
      throw failure(.syntax, "UESCAPE must be a single character that is not a hex digit, '+', '\"' or white space.", at: token)
    }
    return c
  }

  /// `[COMMENT 'text']`: one plain literal, no prefix or continuation.
  mutating func parseOptionalComment() throws(ParseError) -> String? {
    guard consume("COMMENT") else { return nil }
    return try parsePlainString()
  }

  mutating func parsePlainString() throws(ParseError) -> String {
    let token = peek()
    guard token.kind == .string(.plain) else { throw unexpected(token, expecting: "<QUOTED_STRING>") }
    advance()
    return plainStringValue(token)
  }

  func plainStringValue(_ token: Token) -> String {
    Self.plainLiteralText(token.start..<token.end, in: source.buffer)
  }

  /// The text of the plain `'...'` literal at `range` of `source`: its body, quotes undoubled.
  static func plainLiteralText(_ range: Range<Int>, in source: UnsafeBufferPointer<UInt8>) -> String {
    let body = UnsafeBufferPointer(rebasing: source[(range.lowerBound + 1)..<(range.upperBound - 1)])
    let text = String(decoding: body, as: UTF8.self)
    return body.contains(0x27) ? text.replacingDoubled("'") : text
  }

  /// `'(' [ key '=' value { ',' key '=' value } ] ')'`.
  /// Without `keepingText`, the list is only checked (no entries made): the same errors.
  mutating func parseProperties(keepingText: Bool = true) throws(ParseError) -> [OptionEntry] {
    try expectSymbol("(")
    inOptionList = true
    var entries: [OptionEntry] = []
    if !isSymbol(peek(), ")") {
      repeat {
        if keepingText {
          let key = try parseStringLiteral()
          try expectSymbol("=")
          let value = try parseStringLiteral()
          entries.append(OptionEntry(key: key, value: value))
        } else {
          try skipStringLiteral()
          try expectSymbol("=")
          try skipStringLiteral()
        }
      } while try consumeCommaInList()
    }
    try expectSymbol(")")
    inOptionList = false
    return entries
  }

  /// `'(' [ key { ',' key } ] ')'`.
  mutating func parseKeyList() throws(ParseError) -> [SQLString] {
    try expectSymbol("(")
    inOptionList = true
    var keys: [SQLString] = []
    if !isSymbol(peek(), ")") {
      repeat { keys.append(try parseStringLiteral()) } while try consumeCommaInList()
    }
    try expectSymbol(")")
    inOptionList = false
    return keys
  }

  private mutating func consumeCommaInList() throws(ParseError) -> Bool {
    if isSymbol(peek(), ",") {
      advance()
      return true
    }
    return false
  }

  /// Calcite's `StringLiteral`: a literal of any family, adjacent plain literals concatenated,
  /// `UESCAPE` after a `U&` literal.
  mutating func parseStringLiteral() throws(ParseError) -> SQLString {
    let head = peek()
    var literal = try parseStringLiteralText(head)
    literal.end = tokens[max(0, position - 1)].end
    literal.isSinglePlainToken = head.kind == .string(.plain) && literal.end == head.end
    return literal
  }

  /// `parseStringLiteral` without making the text: a plain literal (and those adjacent to it)
  /// is stepped over; any other is parsed. The same errors at the same places.
  mutating func skipStringLiteral() throws(ParseError) {
    guard peek().kind == .string(.plain) else {
      _ = try parseStringLiteral()
      return
    }
    repeat { advance() } while peek().kind == .string(.plain)
    if isKeyword(peek(), "UESCAPE") { throw uescapeWithoutUnicode() }
  }

  private func uescapeWithoutUnicode() -> ParseError {
    // Calcite reports this at the escape character's literal, not at the keyword.
    failure(.syntax, "UESCAPE cannot be specified without Unicode literal introducer.", at: peek(1))
  }

  private mutating func parseStringLiteralText(_ head: Token) throws(ParseError) -> SQLString {
    guard case .string(let prefix) = head.kind else { throw unexpected(head, expecting: "<QUOTED_STRING>") }
    advance()
    switch prefix {
    case .cStyle:
      let body = String(decoding: source[(head.start + 2)..<(head.end - 1)], as: UTF8.self)
      guard let text = unescapeCStyle(body) else {
        throw failure(.syntax, "Malformed escape in a C-style string literal.", at: head)
      }
      return SQLString(text, offset: head.start)
    case .binary:
      var hex = String(decoding: source[(head.start + 2)..<(head.end - 1)], as: UTF8.self)
      while peek().kind == .string(.plain) {
        hex += plainStringValue(peek())
        advance()
      }
      // An odd number of digits parses (Flink fails later, at execution).
      guard hex.allSatisfy(\.isHexDigit) else {
        throw failure(.syntax, "Binary literal string must contain only characters '0' - '9', 'A' - 'F'.", at: head)
      }
      return SQLString(hex.uppercased(), isBinary: true, offset: head.start)
    case .plain, .national, .charset, .unicode:
      if prefix == .charset {
        let quote = source[head.start...].firstIndex(of: 0x27) ?? head.end
        let charset = String(decoding: source[(head.start + 1)..<quote], as: UTF8.self).uppercased()
        guard Self.knownCharsets.contains(charset) else {
          throw failure(.syntax, "Unknown character set in a string literal prefix (known: _BINARY, _LATIN1, _UTF8, _UTF16, _UTF32).", at: head)
        }
      }
      var text = plainStringValue(bodyToken(head))
      while peek().kind == .string(.plain) {
        text += plainStringValue(peek())
        advance()
      }
      if prefix == .unicode {
        let escape = try parseOptionalUEscape() ?? "\\"
        guard let decoded = unescapeUnicode(text, escape: escape) else {
          throw failure(.syntax, "Unicode escape sequence is malformed in a string literal.", at: head)
        }
        text = decoded
      } else if isKeyword(peek(), "UESCAPE") {
        throw uescapeWithoutUnicode()
      }
      return SQLString(text, offset: head.start)
    }
  }

  /// Calcite maps only these charset names to Java charsets; any other prefix is an error.
  static let knownCharsets: Set<String> = ["BINARY", "LATIN1", "UTF8", "UTF16", "UTF-16", "UTF32", "UTF-32"]

  /// The quoted part of a prefixed literal, as a token of its own.
  private func bodyToken(_ token: Token) -> Token {
    guard let quote = source[token.start..<token.end].firstIndex(of: 0x27) else { return token }
    return Token(kind: .string(.plain), start: quote, end: token.end)
  }
}

extension String {
  /// The string with every doubled `mark` collapsed to one, byte by byte (per Unicode scalar, as
  /// Flink reads it; a quote followed by a combining mark is still a quote).
  func replacingDoubled(_ mark: Character) -> String {
    let byte = mark.asciiValue!
    guard utf8.contains(byte) else { return self }
    var out: [UInt8] = []
    out.reserveCapacity(utf8.count)
    var pendingMark = false
    for b in utf8 {
      if b == byte {
        if pendingMark {
          pendingMark = false
          continue
        }
        pendingMark = true
      } else {
        pendingMark = false
      }
      out.append(b)
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// SQL `U&` escapes: `<esc>XXXX`, `<esc>+XXXXXX`, and a doubled escape for the escape itself.
func unescapeUnicode(_ text: String, escape: Character) -> String? {
  guard text.contains(escape) else { return text }
  var result = ""
  var characters = Array(text)[...]
  while let c = characters.popFirst() {
    guard c == escape else {
      result.append(c)
      continue
    }
    if characters.first == escape {
      characters.removeFirst()
      result.append(escape)
      continue
    }
    var digits = 4
    if characters.first == "+" {
      characters.removeFirst()
      digits = 6
    }
    guard characters.count >= digits else { return nil }
    let hex = String(characters.prefix(digits))
    characters.removeFirst(digits)
    guard hex.allSatisfy(\.isHexDigit), let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else {
      return nil
    }
    result.unicodeScalars.append(scalar)
  }
  return result
}

/// C-style escapes of `E'...'`: `\n \t \r \b \f \\ \' \"`, octal, `\xHH`, `\uXXXX`, `\UXXXXXXXX`, `''`.
func unescapeCStyle(_ text: String) -> String? {
  var result = ""
  var characters = Array(text)[...]
  func take(_ maxCount: Int, radix: Int) -> UInt32? {
    var digits = ""
    while digits.count < maxCount, let c = characters.first, c.isHexDigit, Int(String(c), radix: radix) != nil {
      digits.append(c)
      characters.removeFirst()
    }
    return digits.isEmpty ? nil : UInt32(digits, radix: radix)
  }
  while let c = characters.popFirst() {
    if c == "'" {
      if characters.first == "'" { characters.removeFirst() }
      result.append("'")
      continue
    }
    guard c == "\\", let e = characters.popFirst() else {
      result.append(c)
      continue
    }
    switch e {
    case "n": result.append("\n")
    case "t": result.append("\t")
    case "r": result.append("\r")
    case "b": result.append("\u{8}")
    case "f": result.append("\u{C}")
    case "0"..."7":
      characters.insert(e, at: characters.startIndex)
      guard let v = take(3, radix: 8), let s = Unicode.Scalar(v) else { return nil }
      result.unicodeScalars.append(s)
    case "x":
      guard let v = take(2, radix: 16), let s = Unicode.Scalar(v) else { return nil }
      result.unicodeScalars.append(s)
    case "u", "U":
      let count = e == "u" ? 4 : 8
      guard characters.count >= count else { return nil }
      let hex = String(characters.prefix(count))
      characters.removeFirst(count)
      guard hex.allSatisfy(\.isHexDigit), let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) else { return nil }
      result.unicodeScalars.append(s)
    default:
      result.append(e)
    }
  }
  return result
}
