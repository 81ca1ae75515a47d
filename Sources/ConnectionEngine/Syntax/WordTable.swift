/// A set of ASCII words looked up case-insensitively straight from source bytes, without
/// allocating: words are bucketed by length and first letter, then compared byte by byte.
/// The lexer asks it about every word, so it must not build a String each time.
struct WordTable: Sendable {
  private let buckets: [[[UInt8]]]  // index: length * 32 + (first letter & 31)
  private let maxLength: Int

  init(_ words: some Sequence<String>) {
    let upper = words.map { Array($0.uppercased().utf8) }
    maxLength = upper.map(\.count).max() ?? 0
    var buckets = [[[UInt8]]](repeating: [], count: (maxLength + 1) * 32)
    for word in upper where !word.isEmpty { buckets[word.count * 32 + Int(word[0] & 31)].append(word) }
    self.buckets = buckets
  }

  @inline(__always) func contains<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> Bool where Bytes.Index == Int {
    let count = bytes.count
    guard count > 0, count <= maxLength else { return false }
    let first = bytes[bytes.startIndex]
    guard first < 0x80 else { return false }
    for word in buckets[count * 32 + Int(first & 31)] where Self.equalIgnoringCase(word, bytes) { return true }
    return false
  }

  @inline(__always) private static func equalIgnoringCase<Bytes: RandomAccessCollection<UInt8>>(
    _ upper: [UInt8], _ bytes: Bytes
  ) -> Bool where Bytes.Index == Int {
    var i = bytes.startIndex
    for expected in upper {
      var byte = bytes[i]
      if byte >= 0x61 && byte <= 0x7A { byte -= 0x20 }
      if byte != expected { return false }
      i += 1
    }
    return true
  }
}
