import Foundation

/// One database's connections as a list shows them, kept in columns: what a row shows and what
/// a filter searches, without options or comments (the detail of the one selected connection
/// is read on its own). A million connections take about 100 bytes each instead of a few
/// hundred objects' worth, and a filter keystroke scans one contiguous buffer.
public struct ConnectionListing: Sendable {
  public let catalog: String
  public let database: String
  /// Per row: name, type, endpoint; `ends` holds where each of the three ends.
  private var text: [UInt8] = []
  private var ends: [UInt32] = []
  /// Per row: name, type and endpoint lower-cased, each followed by a 0 byte, so a needle (which
  /// holds no 0 byte) never matches across fields or rows; `searchEnds` holds where each row ends.
  private var search: [UInt8] = []
  private var searchEnds: [UInt32] = []
  /// Per row: which bytes its search bytes hold, one bit per `ByteClass` (a row can hold a needle
  /// only if it holds all of the needle's classes). A filter's first keystroke reads these 8 bytes
  /// a row instead of the row's text; for one byte of an exact class they alone decide.
  private var byteClasses: [UInt64] = []
  private var versions: [Int64] = []
  private var updated: [Double] = []
  /// When the row's secrets last changed; NaN without secrets.
  private var secretsChanged: [Double] = []
  private var isTemporary: [Bool] = []
  /// Each distinct list of secret keys once ("api-key", "password,username", …); rows refer to one.
  private var secretKeyLists: [[String]] = [[]]
  private var secretKeyListIndex: [[String]: UInt32] = [[]: 0]
  private var secretKeyRefs: [UInt32] = []
  /// Whether a name holds a character from U+E000 up (UTF-8 lead byte 0xEE or more), where Java's
  /// UTF-16 order (Flink's) differs from the code point order the catalog sorts by.
  public private(set) var hasNamesJavaOrdersApart = false

  public init(catalog: String, database: String) {
    self.catalog = catalog
    self.database = database
  }

  public var count: Int { versions.count }
  public var isEmpty: Bool { versions.isEmpty }
  public var indices: Range<Int> { 0..<count }

  public mutating func append(_ row: ListedConnection) {
    append(
      name: row.name, type: row.type, endpoint: row.endpoint, secretKeys: row.secretKeys, isTemporary: row.isTemporary,
      version: row.version, updatedAt: row.updatedAt, secretsChangedAt: row.secretsChangedAt)
  }

  public mutating func append(
    name: String, type: String, endpoint: String?, secretKeys: [String], isTemporary: Bool, version: Int64,
    updatedAt: Double, secretsChangedAt: Double?
  ) {
    if !hasNamesJavaOrdersApart && name.utf8.contains(where: { $0 >= 0xEE }) { hasNamesJavaOrdersApart = true }
    var classes: UInt64 = 0
    for field in [name, type, endpoint ?? ""] {
      text.append(contentsOf: field.utf8)
      ends.append(UInt32(text.count))
      let lowered = lowercasedBytes(field)
      for byte in lowered { classes |= ByteClass.bit(byte) }
      search.append(contentsOf: lowered)
      search.append(0)
    }
    searchEnds.append(UInt32(search.count))
    byteClasses.append(classes)
    versions.append(version)
    updated.append(updatedAt)
    secretsChanged.append(secretsChangedAt ?? .nan)
    self.isTemporary.append(isTemporary)
    if let index = secretKeyListIndex[secretKeys] {
      secretKeyRefs.append(index)
    } else {
      secretKeyListIndex[secretKeys] = UInt32(secretKeyLists.count)
      secretKeyRefs.append(UInt32(secretKeyLists.count))
      secretKeyLists.append(secretKeys)
    }
  }

  public subscript(_ row: Int) -> ListedConnection {
    ListedConnection(
      catalog: catalog, database: database, name: field(row, 0), type: field(row, 1),
      endpoint: { let endpoint = field(row, 2); return endpoint.isEmpty ? nil : endpoint }(),
      secretKeys: secretKeyLists[Int(secretKeyRefs[row])], isTemporary: isTemporary[row], version: versions[row],
      updatedAt: updated[row], secretsChangedAt: secretsChanged[row].isNaN ? nil : secretsChanged[row])
  }

  /// The name of a row, without building the rest (keeping a selection, sorting).
  public func name(_ row: Int) -> String { field(row, 0) }
  public func type(_ row: Int) -> String { field(row, 1) }
  public func endpoint(_ row: Int) -> String { field(row, 2) }
  public func version(_ row: Int) -> Int64 { versions[row] }
  public func updatedAt(_ row: Int) -> Double { updated[row] }
  public func secretsChangedAt(_ row: Int) -> Double? { secretsChanged[row].isNaN ? nil : secretsChanged[row] }

  private func field(_ row: Int, _ which: Int) -> String {
    let end = Int(ends[row * 3 + which])
    let start = row * 3 + which == 0 ? 0 : Int(ends[row * 3 + which - 1])
    return text.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
  }

  /// The rows whose name, type or endpoint contains `needle` (lower-cased bytes), ascending;
  /// only among `candidates`, in their order, when given (a needle that extends the last one).
  public func rows(containing needle: [UInt8], among candidates: [Int]? = nil) -> [Int] {
    guard !needle.isEmpty else { return candidates ?? allRows() }
    guard !needle.contains(0) else { return [] }
    // Many candidates are scattered over the whole text: reading every row in order is faster
    // than jumping from one to the next (each a cache miss); what it finds picks the candidates.
    if let candidates, candidates.count > count / 8 {
      var found = [UInt64](repeating: 0, count: count / 64 + 1)
      for row in rows(containing: needle) { found[row >> 6] |= 1 << UInt64(row & 63) }
      return candidates.filter { found[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 }
    }
    // One byte: the rows' classes, read twice (count, then fill) into one array of the right
    // size; a million rows are two passes over 8 MB, cheaper than parts joined afterwards.
    if candidates == nil && needle.count == 1 { return withScan(needle) { $0.rowsOfOneByte(count: count) } }
    // Big lists are searched in as many parts as there are cores.
    let work = candidates?.count ?? count
    let parts = work >= 100_000 ? Self.searchParts : 1
    return withScan(needle) { scan in
      (candidates ?? []).withUnsafeBufferPointer { pinnedCandidates in
        let among = candidates == nil ? nil : PinnedRows(rows: pinnedCandidates)
        @Sendable func part(_ part: Int) -> [Int] {
          let range = (work * part / parts)..<(work * (part + 1) / parts)
          if let among { return scan.rows(among: UnsafeBufferPointer(rebasing: among.rows[range])) }
          return scan.rows(in: range)
        }
        guard parts > 1 else { return part(0) }
        let all = concurrentMap(count: parts, scratch: {}) { index, _ in part(index) }
        var joined: [Int] = []
        joined.reserveCapacity(all.reduce(0) { $0 + $1.count })
        for rows in all { joined.append(contentsOf: rows) }
        return joined
      }
    }
  }

  /// Cores to search a big list on, asked once: Foundation reads the cgroup's CPU quota files on
  /// every call (about half a millisecond of each filter key at a million rows).
  private static let searchParts = max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))

  /// The listing's buffers pinned for one search of `needle`.
  private func withScan<T>(_ needle: [UInt8], _ body: (ListingScan) -> T) -> T {
    search.withUnsafeBufferPointer { haystack in
      byteClasses.withUnsafeBufferPointer { classes in
        searchEnds.withUnsafeBufferPointer { ends in
          needle.withUnsafeBufferPointer { needle in body(ListingScan(haystack: haystack, classes: classes, ends: ends, needle: needle)) }
        }
      }
    }
  }

  /// 0..<count, filled in place (`Array(indices)` takes a slow generic path: milliseconds at a million).
  private func allRows() -> [Int] {
    [Int](unsafeUninitializedCapacity: count) { buffer, initialized in
      for i in 0..<count { buffer[i] = i }
      initialized = count
    }
  }
}

/// A filter's search over a listing's buffers, pinned for the length of one search.
private struct ListingScan: @unchecked Sendable {
  let haystack: UnsafeBufferPointer<UInt8>
  let classes: UnsafeBufferPointer<UInt64>
  let ends: UnsafeBufferPointer<UInt32>
  let needle: UnsafeBufferPointer<UInt8>
  /// The classes a row must hold; with one byte of an exact class they alone decide.
  let wanted: UInt64
  let classesDecide: Bool

  init(
    haystack: UnsafeBufferPointer<UInt8>, classes: UnsafeBufferPointer<UInt64>, ends: UnsafeBufferPointer<UInt32>,
    needle: UnsafeBufferPointer<UInt8>
  ) {
    (self.haystack, self.classes, self.ends, self.needle) = (haystack, classes, ends, needle)
    wanted = needle.reduce(UInt64(0)) { $0 | ByteClass.bit($1) }
    classesDecide = needle.count == 1 && ByteClass.isExact(needle[0])
  }

  /// The rows of 0..<count that hold a needle of one byte, ascending: counted first, then
  /// written into an array of that size.
  func rowsOfOneByte(count: Int) -> [Int] {
    if classesDecide { return rowsOfExactClass(count: count) }
    var total = 0
    for row in 0..<count where holds(row) { total += 1 }
    return rowNumbers(capacity: total) { buffer in
      var found = 0
      for row in 0..<count where found < total && holds(row) {
        buffer[found] = row
        found += 1
      }
      return found
    }
  }

  /// The same when the byte's class alone decides, without a branch per row: a common byte
  /// (a digit) is in about half the rows at random, where a branch mispredicts every other
  /// row (9 ms at a million rows, against about 2 ms).
  private func rowsOfExactClass(count: Int) -> [Int] {
    // One byte's class is one bit: shifted down, it is the 0 or 1 to count (`? 1 : 0` compiled
    // to a branch).
    let bit = UInt64(wanted.trailingZeroBitCount)
    var total = 0
    for row in 0..<count { total &+= Int(truncatingIfNeeded: (classes[row] &>> bit) & 1) }
    // Each row is written at the next free place and kept by moving on only when it matches;
    // the place after the last match takes a row that is not kept.
    return rowNumbers(capacity: total + 1) { buffer in
      var found = 0
      for row in 0..<count {
        buffer[found] = row
        found &+= Int(truncatingIfNeeded: (classes[row] &>> bit) & 1)
      }
      return found
    }
  }

  /// An array of up to `capacity` row numbers that `fill` writes (returning how many). Half a
  /// million rows are 4 MB of fresh memory, written in huge pages: in 4 KB pages they made the
  /// first filter key on a million rows take 15-18 ms in tmux on a virtual machine whose fresh
  /// memory is dear (2 µs a page). The capacity has 2 MB to spare, so the huge pages reach the
  /// last row (only 2 MB-aligned stretches can be huge; untouched room costs nothing).
  private func rowNumbers(capacity: Int, _ fill: (UnsafeMutableBufferPointer<Int>) -> Int) -> [Int] {
    let hugeStretch = (2 << 20) / MemoryLayout<Int>.stride
    let room = capacity >= hugeStretch ? capacity + hugeStretch : capacity
    return [Int](unsafeUninitializedCapacity: room) { buffer, initialized in
      adviseHugePages(buffer.baseAddress, bytes: room * MemoryLayout<Int>.stride)
      initialized = fill(buffer)
    }
  }

  /// The rows in `range` that hold a needle of two bytes or more, ascending, from one pass over
  /// their text: at each place the needle's first two bytes stand, memcmp checks the rest; after
  /// a row that holds it, the search goes on at the next row. A needle holds no 0 byte, so it
  /// never spans the 0 that ends each field.
  func rows(in range: Range<Int>) -> [Int] {
    var found: [Int] = []
    guard !range.isEmpty else { return found }
    var row = range.lowerBound
    var i = row == 0 ? 0 : Int(ends[row - 1])
    let end = Int(ends[range.upperBound - 1])
    while let hit = pairStart(from: i, to: end) {
      while Int(ends[row]) <= hit { row += 1 }
      if matches(at: hit, before: Int(ends[row])) {
        found.append(row)
        i = Int(ends[row])
        row += 1
      } else {
        i = hit + 1
      }
    }
    return found
  }

  func rows(among candidates: UnsafeBufferPointer<Int>) -> [Int] {
    [Int](unsafeUninitializedCapacity: candidates.count) { buffer, initialized in
      var found = 0
      for row in candidates where holds(row) {
        buffer[found] = row
        found += 1
      }
      initialized = found
    }
  }

  @inline(__always) private func holds(_ row: Int) -> Bool {
    guard classes[row] & wanted == wanted else { return false }
    return classesDecide || contains(from: row == 0 ? 0 : Int(ends[row - 1]), to: Int(ends[row]))
  }

  private func contains(from start: Int, to end: Int) -> Bool {
    guard needle.count > 1 else { return containsByte(from: start, to: end) }
    var i = start
    while let hit = pairStart(from: i, to: end) {
      if matches(at: hit, before: end) { return true }
      i = hit + 1
    }
    return false
  }

  /// The first place at or after `start` where the needle's first two bytes stand with both
  /// before `end`: sixteen places a step (a SIMD compare of each byte), the last few one by one.
  private func pairStart(from start: Int, to end: Int) -> Int? {
    let base = UnsafeRawPointer(haystack.baseAddress!)
    let (firstByte, secondByte) = (needle[0], needle[1])
    let first = SIMD16<UInt8>(repeating: firstByte)
    let second = SIMD16<UInt8>(repeating: secondByte)
    var i = start
    while i + 17 <= end {
      let marks = (base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self) .== first)
        .& (base.loadUnaligned(fromByteOffset: i + 1, as: SIMD16<UInt8>.self) .== second)
      if any(marks) {
        var hit = i
        while !marks[hit - i] { hit += 1 }
        return hit
      }
      i += 16
    }
    while i + 1 < end {
      if base.load(fromByteOffset: i, as: UInt8.self) == firstByte && base.load(fromByteOffset: i + 1, as: UInt8.self) == secondByte {
        return i
      }
      i += 1
    }
    return nil
  }

  /// Whether the whole needle stands at `at` and ends before `end`.
  private func matches(at: Int, before end: Int) -> Bool {
    at + needle.count <= end && memcmp(haystack.baseAddress! + at, needle.baseAddress!, needle.count) == 0
  }

  private func containsByte(from start: Int, to end: Int) -> Bool {
    let base = haystack.baseAddress!
    let first = Int32(needle[0])
    var i = start
    let last = end - needle.count
    while i <= last {
      guard let hit = memchr(base + i, first, last - i + 1) else { return false }
      let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
      if memcmp(base + at, needle.baseAddress!, needle.count) == 0 { return true }
      i = at + 1
    }
    return false
  }
}

private struct PinnedRows: @unchecked Sendable {
  let rows: UnsafeBufferPointer<Int>
}

/// One row of a `ConnectionListing`: what the list shows. No options and no comment: opening,
/// duplicating or describing a connection reads it whole (`Engine.connection`).
public struct ListedConnection: Sendable, Equatable {
  public var catalog: String
  public var database: String
  public var name: String
  public var type: String
  /// The endpoint, or nil when unset or when it carries a credential.
  public var endpoint: String?
  /// Keys whose values are secret: the sealed ones, and stored options the policy hides.
  public var secretKeys: [String]
  public var isTemporary: Bool
  public var version: Int64
  public var updatedAt: Double
  public var secretsChangedAt: Double?

  public init(_ summary: ConnectionSummary) {
    self.init(
      catalog: summary.catalog, database: summary.database, name: summary.name, type: summary.type,
      endpoint: summary.endpoint, secretKeys: summary.secretKeys, isTemporary: summary.isTemporary,
      version: summary.version, updatedAt: summary.updatedAt, secretsChangedAt: summary.secretsChangedAt)
  }

  public init(
    catalog: String, database: String, name: String, type: String, endpoint: String?, secretKeys: [String],
    isTemporary: Bool, version: Int64, updatedAt: Double, secretsChangedAt: Double?
  ) {
    self.catalog = catalog
    self.database = database
    self.name = name
    self.type = type
    self.endpoint = endpoint
    self.secretKeys = secretKeys
    self.isTemporary = isTemporary
    self.version = version
    self.updatedAt = updatedAt
    self.secretsChangedAt = secretsChangedAt
  }

  public var qualifiedName: ObjectName { ObjectName([catalog, database, name]) }

  /// Whole days since the secrets last changed, at `now`; nil without secrets.
  public func secretAgeDays(now: Double) -> Int? {
    secretsChangedAt.map { max(0, Int((now - $0) / 86_400)) }
  }

  /// Credentials the type requires that are not set (after `import`, say): names only.
  public var missingSecrets: [String] {
    guard let type = ConnectionType.named(type) else { return [] }
    return OptionValidation.missingSecrets(publicOptions: [:], secretKeys: secretKeys, type: type)
  }
}

extension ConnectionListing {
  public init(_ summaries: [ConnectionSummary], catalog: String, database: String) {
    self.init(catalog: catalog, database: database)
    for summary in summaries { append(ListedConnection(summary)) }
  }
}

/// Which bits of a row's 64-bit class set a byte sets: each lower-case letter, digit and the
/// punctuation of names and URLs its own bit (exact), every other byte one of 22 shared bits.
enum ByteClass {
  static let table: [UInt8] = (0...255).map { byte -> UInt8 in
    switch UInt8(byte) {
    case 0x61...0x7A: UInt8(byte - 0x61)  // a-z: 0-25
    case 0x30...0x39: UInt8(byte - 0x30 + 26)  // 0-9: 26-35
    case 0x2E: 36  // .
    case 0x2D: 37  // -
    case 0x5F: 38  // _
    case 0x2F: 39  // /
    case 0x3A: 40  // :
    case 0x20: 41  // space
    default: UInt8(42 + byte % 22)
    }
  }

  @inline(__always) static func bit(_ byte: UInt8) -> UInt64 { 1 << UInt64(table[Int(byte)]) }
  static func isExact(_ byte: UInt8) -> Bool { table[Int(byte)] < 42 }
}

/// Lower-cased UTF-8, with an ASCII fast path (building the index of a big list runs this
/// three times per row); the filter lower-cases its needle the same way.
public func lowercasedBytes(_ text: String) -> [UInt8] {
  var bytes = Array(text.utf8)
  for i in bytes.indices {
    let byte = bytes[i]
    if byte >= 0x80 { return Array(text.lowercased().utf8) }
    if byte >= 0x41 && byte <= 0x5A { bytes[i] = byte + 0x20 }
  }
  return bytes
}
