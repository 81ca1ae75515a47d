/// A set of ASCII words looked up case-insensitively straight from source bytes, without
/// allocating. The lexer asks it about every word, so it is laid out flat: entries are grouped
/// by length and first letter, and each holds its first eight letters (upper case) as one
/// integer, so most candidates are turned away by one compare; longer words keep the rest of
/// their letters in one shared array.
struct WordTable: Sendable {
  /// Where each group's entries start in `prefixes`; group `length * 32 + (first letter & 31)`.
  private let groupStarts: [Int32]
  /// Each entry's first eight letters, upper case, little-endian, zero-padded.
  private let prefixes: [UInt64]
  /// Where each entry's letters after the eighth start in `rests`.
  private let restStarts: [Int32]
  private let rests: [UInt8]
  private let maxLength: Int

  /// Built once per process, on the path of every short command: from the words' own UTF-8
  /// (literals, stored contiguously), without a Set, a Dictionary or an array per word, which
  /// showed in a one-statement run.
  init(_ words: [String]) {
    let words = words.filter { !$0.isEmpty }
    let maxLength = words.map(\.utf8.count).max() ?? 0
    let group = { (word: String) in word.utf8.count * 32 + Int(word.utf8.first! & 31) }
    // Counting sort by group: where each group starts, then each word in its place.
    var groupStarts = [Int32](repeating: 0, count: (maxLength + 1) * 32 + 1)
    for word in words { groupStarts[group(word) + 1] += 1 }
    for i in 1..<groupStarts.count { groupStarts[i] += groupStarts[i - 1] }
    var sorted = [Int](repeating: 0, count: words.count)
    var next = groupStarts
    for (index, word) in words.enumerated() {
      sorted[Int(next[group(word)])] = index
      next[group(word)] += 1
    }
    var prefixes: [UInt64] = []
    var restStarts: [Int32] = []
    var rests: [UInt8] = []
    prefixes.reserveCapacity(sorted.count)
    restStarts.reserveCapacity(sorted.count)
    for index in sorted {
      let utf8 = words[index].utf8
      let key = utf8.withContiguousStorageIfAvailable(Self.prefix) ?? Self.prefix(Array(utf8))
      prefixes.append(key)
      restStarts.append(Int32(rests.count))
      for byte in utf8.dropFirst(8) { rests.append(Self.upper(byte)) }
    }
    self.groupStarts = groupStarts
    self.prefixes = prefixes
    self.restStarts = restStarts
    self.rests = rests
    self.maxLength = maxLength
  }

  @inline(__always) private static func upper(_ byte: UInt8) -> UInt8 {
    byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
  }

  @inline(__always) private static func prefix<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> UInt64 where Bytes.Index == Int {
    var key: UInt64 = 0
    var shift: UInt64 = 0
    var i = bytes.startIndex
    while i < bytes.endIndex && shift < 64 {
      key |= UInt64(upper(bytes[i])) << shift
      shift += 8
      i += 1
    }
    return key
  }

  @inline(__always) func contains<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> Bool where Bytes.Index == Int {
    entry(of: bytes) != nil
  }

  /// Which entry holds the word `bytes` spell (any case), 0..<`entryCount`; nil when none does.
  /// The entry's place is all a caller needs to tell the words apart: storing more in the table
  /// made the lexer, which asks about every word, 4% slower.
  @inline(__always) func entry<Bytes: RandomAccessCollection<UInt8>>(of bytes: Bytes) -> Int? where Bytes.Index == Int {
    let count = bytes.count
    guard count > 0, count <= maxLength else { return nil }
    let first = bytes[bytes.startIndex]
    guard first < 0x80 else { return nil }
    let group = count * 32 + Int(first & 31)
    let start = Int(groupStarts[group])
    let end = Int(groupStarts[group + 1])
    guard start < end else { return nil }
    let key = Self.prefix(bytes)
    for entry in start..<end where prefixes[entry] == key {
      var rest = Int(restStarts[entry])
      var i = bytes.startIndex + 8
      while i < bytes.endIndex && Self.upper(bytes[i]) == rests[rest] {
        i += 1
        rest += 1
      }
      if i >= bytes.endIndex { return entry }
    }
    return nil
  }

  var entryCount: Int { prefixes.count }
}
