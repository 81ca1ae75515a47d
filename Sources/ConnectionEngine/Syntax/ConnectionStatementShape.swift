/// The shapes that make up nearly every connection statement of a real script, recognised on
/// the tokens alone and without allocating —
///
///     CREATE [TEMPORARY] CONNECTION [IF NOT EXISTS] name [COMMENT '…'] WITH ('k' = 'v', …)
///     ALTER CONNECTION [IF EXISTS] name SET ('k' = 'v', …)
///     ALTER CONNECTION [IF EXISTS] name RESET ('k', …)
///
/// with every key and value one plain literal and the name short unreserved words or back-quoted
/// names. Anything else, or anything it is unsure of (another literal form, an `IF` that is a
/// name), is left to the parser: nil. Where it answers, the parser accepts the statement and reads
/// the same name and literals (`FastStatementTests`, `StatementSketchTests` and the fuzz checks
/// hold it to that). The masker decides what a statement shows from it; `check` lints it without
/// making a syntax tree.
struct ConnectionStatementShape {
  enum Change { case create, set, reset }

  var change: Change
  /// The name's tokens: indices into the tokens read.
  var name: Range<Int>
  /// One past the statement's last token (its `;`, the end of input, or the end of the tokens).
  var end: Int

  /// Reads `tokens` from the first up to a `;`, the end of input or the end of the buffer,
  /// appending the byte range of every key and value literal (key, value, key, value, …; keys
  /// alone for RESET) to `literals`. Nil, with `literals` as they were, when the parser must decide.
  static func read(_ tokens: UnsafeBufferPointer<Token>, in source: UnsafeBufferPointer<UInt8>, literals: inout [Range<Int>]) -> Self? {
    let kept = literals.count
    guard let shape = read(tokens, source, &literals) else {
      literals.removeLast(literals.count - kept)
      return nil
    }
    return shape
  }

  private static func read(_ tokens: UnsafeBufferPointer<Token>, _ source: UnsafeBufferPointer<UInt8>, _ literals: inout [Range<Int>]) -> Self? {
    var reader = Reader(tokens: tokens, source: source)
    if reader.keyword("CREATE") {
      _ = reader.keyword("TEMPORARY")
      guard reader.keyword("CONNECTION"), reader.ifExists(not: true) else { return nil }
      let nameStart = reader.index
      guard reader.name() else { return nil }
      let nameEnd = reader.index
      if reader.keyword("COMMENT") {
        guard reader.plainLiteral() != nil else { return nil }
      }
      guard reader.keyword("WITH"), reader.options(into: &literals, allowEmpty: false) else { return nil }
      return reader.atEnd ? Self(change: .create, name: nameStart..<nameEnd, end: reader.index) : nil
    }
    guard reader.keyword("ALTER"), reader.keyword("CONNECTION"), reader.ifExists(not: false) else { return nil }
    let nameStart = reader.index
    guard reader.name() else { return nil }
    let nameEnd = reader.index
    let change: Change
    if reader.keyword("SET") {
      guard reader.options(into: &literals, allowEmpty: true) else { return nil }
      change = .set
    } else if reader.keyword("RESET") {
      guard reader.keys(into: &literals) else { return nil }
      change = .reset
    } else {
      return nil
    }
    return reader.atEnd ? Self(change: change, name: nameStart..<nameEnd, end: reader.index) : nil
  }

  private struct Reader {
    let tokens: UnsafeBufferPointer<Token>
    let source: UnsafeBufferPointer<UInt8>
    var index = 0

    init(tokens: UnsafeBufferPointer<Token>, source: UnsafeBufferPointer<UInt8>) {
      self.tokens = tokens
      self.source = source
    }

    /// At the end of the tokens, of input, or at a `;`.
    var atEnd: Bool {
      guard let token = current else { return true }
      return token.kind == .endOfInput || (token.kind == .symbol && source[token.start] == 0x3B)
    }

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

    /// `'(' [key '=' value (',' key '=' value)*] ')'`.
    mutating func options(into literals: inout [Range<Int>], allowEmpty: Bool) -> Bool {
      guard symbol(0x28) else { return false }
      if symbol(0x29) { return allowEmpty }
      repeat {
        guard let key = plainLiteral(), symbol(0x3D), let value = plainLiteral() else { return false }
        literals.append(key)
        literals.append(value)
      } while symbol(0x2C)
      return symbol(0x29)
    }

    /// `'(' [key (',' key)*] ')'`.
    mutating func keys(into literals: inout [Range<Int>]) -> Bool {
      guard symbol(0x28) else { return false }
      if symbol(0x29) { return true }
      repeat {
        guard let key = plainLiteral() else { return false }
        literals.append(key)
      } while symbol(0x2C)
      return symbol(0x29)
    }
  }
}

/// A connection statement of a common shape, read for `check` without a syntax tree: its name
/// (parsed as the parser parses it), its bytes, and where its key and value literals are. The
/// linter judges it as it judges the statement the parser would make (`Linter.warnings`).
struct StatementSketch: Sendable, Equatable {
  var change: ConnectionStatementShape.Change
  var name: ObjectName
  /// Byte range in the script, without the trailing `;`.
  var range: Range<Int>
  /// Its literals' byte ranges: indices into the reading's `sketchLiterals`.
  var literals: Range<Int>
}

extension Parser {
  /// Reads the statement at `position` as a sketch when it has one of the common shapes, and
  /// leaves `position` on its `;` or the end of input; false (nothing read) when the parser must.
  mutating func readSketch(into reading: inout ScriptReading) -> Bool {
    let start = position
    let first = tokens[start]
    guard isKeyword(first, "CREATE") || isKeyword(first, "ALTER") else { return false }
    let literalsBefore = reading.sketchLiterals.count
    let shape = tokens.withUnsafeBufferPointer { all in
      source.withUnsafeBufferPointer { bytes in
        ConnectionStatementShape.read(UnsafeBufferPointer(rebasing: all[start...]), in: bytes, literals: &reading.sketchLiterals)
      }
    }
    guard let shape else { return false }
    position = start + shape.name.lowerBound
    // The shape holds short unreserved words and back-quoted names only: this cannot fail.
    guard let name = try? parseCompoundName(), position == start + shape.name.upperBound else {
      reading.sketchLiterals.removeLast(reading.sketchLiterals.count - literalsBefore)
      position = start
      return false
    }
    position = start + shape.end
    let sketch = StatementSketch(
      change: shape.change, name: name, range: first.start..<tokens[position - 1].end, literals: literalsBefore..<reading.sketchLiterals.count)
    if let change = NameChange(sketch) { reading.nameChanges.append(change) }
    reading.sketches.append(sketch)
    return true
  }
}
