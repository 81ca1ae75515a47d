/// An option list as the linter reads it: the entries of a parsed statement, or the literals of
/// a sketched one (`StatementSketch`), whose text is made only when a rule asks for it. The
/// rules (`Linter.Warnings`) are written once, over this.
protocol LintedOptions {
  var count: Int { get }
  func key(_ index: Int) -> String
  func keyOffset(_ index: Int) -> Int
  func value(_ index: Int) -> String
  func valueOffset(_ index: Int) -> Int
  func isBinary(_ index: Int) -> Bool
  /// Whether the keys at `a` and `b` are equal as text (Swift's equality: canonical equivalence).
  func keysEqual(_ a: Int, _ b: Int) -> Bool
  /// The last entry whose key is `key` (as text).
  func lastIndex(ofKey key: String) -> Int?
}

struct ParsedOptions: LintedOptions {
  let entries: [OptionEntry]

  var count: Int { entries.count }
  func key(_ index: Int) -> String { entries[index].key.text }
  func keyOffset(_ index: Int) -> Int { entries[index].key.offset }
  func value(_ index: Int) -> String { entries[index].value.text }
  func valueOffset(_ index: Int) -> Int { entries[index].value.offset }
  func isBinary(_ index: Int) -> Bool { entries[index].key.isBinary || entries[index].value.isBinary }
  func keysEqual(_ a: Int, _ b: Int) -> Bool { entries[a].key.text == entries[b].key.text }
  func lastIndex(ofKey key: String) -> Int? { entries.lastIndex { $0.key.text == key } }
}

/// A sketch's plain literals (key, value, key, value, …), read from the script's bytes. When
/// every key is ASCII without a doubled quote (nearly always), keys are compared as bytes: for
/// them, equal bytes and equal text are the same (not so for other keys: `K`, the Kelvin sign,
/// is canonically `K`).
///
/// It points into memory its maker keeps alive and unmoved while it is used (the linter makes
/// one per statement inside `withUnsafeBufferPointer`): holding the arrays themselves cost a
/// dozen reference counts a statement, a tenth of `check`'s time on a script of CREATEs.
struct SketchedOptions: LintedOptions {
  let literals: UnsafeBufferPointer<Range<Int>>
  let source: UnsafeBufferPointer<UInt8>
  private let keysAreASCII: Bool

  init(literals: UnsafeBufferPointer<Range<Int>>, source: UnsafeBufferPointer<UInt8>) {
    self.literals = literals
    self.source = source
    keysAreASCII = stride(from: 0, to: literals.count, by: 2).allSatisfy { Self.isASCIIWithoutQuote(source, Self.body(of: literals[$0])) }
  }

  var count: Int { literals.count / 2 }
  private func keyLiteral(_ index: Int) -> Range<Int> { literals[2 * index] }
  private func valueLiteral(_ index: Int) -> Range<Int> { literals[2 * index + 1] }
  private static func body(of literal: Range<Int>) -> Range<Int> { (literal.lowerBound + 1)..<(literal.upperBound - 1) }

  func key(_ index: Int) -> String { Parser.plainLiteralText(keyLiteral(index), in: source) }
  func keyOffset(_ index: Int) -> Int { keyLiteral(index).lowerBound }
  func value(_ index: Int) -> String { Parser.plainLiteralText(valueLiteral(index), in: source) }
  func valueOffset(_ index: Int) -> Int { valueLiteral(index).lowerBound }
  func isBinary(_ index: Int) -> Bool { false }

  func keysEqual(_ a: Int, _ b: Int) -> Bool {
    guard keysAreASCII else { return key(a) == key(b) }
    return Self.equal(source, Self.body(of: keyLiteral(a)), UnsafeBufferPointer(rebasing: source[Self.body(of: keyLiteral(b))]))
  }

  func lastIndex(ofKey key: String) -> Int? {
    var wanted = key
    return wanted.withUTF8 { wanted -> Int? in
      let asBytes = keysAreASCII && Self.isASCIIWithoutQuote(wanted, 0..<wanted.count)
      for index in stride(from: count - 1, through: 0, by: -1) {
        if asBytes ? Self.equal(source, Self.body(of: keyLiteral(index)), wanted) : self.key(index) == key { return index }
      }
      return nil
    }
  }

  private static func isASCIIWithoutQuote(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
    for offset in range where bytes[offset] >= 0x80 || bytes[offset] == 0x27 { return false }
    return true
  }

  private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
    guard range.count == other.count else { return false }
    for i in 0..<other.count where bytes[range.lowerBound + i] != other[i] { return false }
    return true
  }
}
