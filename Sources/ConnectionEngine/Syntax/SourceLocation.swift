import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 1-based line and column, counted the way Apache Flink's (JavaCC) parser counts them:
/// columns are UTF-16 code units, `\r\n` is one line break, and a tab is one column.
public struct SourceLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
  public var line: Int
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public var description: String { "\(line):\(column)" }

  /// The location of the character that starts at byte `offset` in `source`.
  ///
  /// Computed on demand (only errors need it), so lexing and parsing stay free of bookkeeping.
  public static func of(offset: Int, in source: [UInt8]) -> SourceLocation {
    var line = 1
    var column = 0
    var index = 0
    let limit = min(max(offset, 0), source.count)
    while index < limit {
      if LineIndex.isBreak(source, at: index) {
        line += 1
        column = 0
      } else {
        column += columns(of: source[index])
      }
      index += 1
    }
    return SourceLocation(line: line, column: column + 1)
  }

  /// How many columns a byte of a line adds: a character's UTF-16 code units, on its first
  /// byte (an astral character is two; a continuation byte none). JavaCC counts the CR of CRLF
  /// as a column; the LF ends the line.
  @inline(__always) static func columns(of byte: UInt8) -> Int {
    byte & 0xC0 == 0x80 ? 0 : byte >= 0xF0 ? 2 : 1
  }
}

/// Line starts of a script, so that many locations (a linter's notes on a long script) cost a
/// line's length each instead of the script's.
public struct LineIndex: Sendable {
  private let source: SourceBytes
  /// Where lines start, ascending, in parts (not one array: a long script's pieces each find
  /// their own, and copying them into one took a thirtieth of `check`). None is empty; the first
  /// starts with 0.
  private let parts: [[Int]]
  /// How many lines start before each part.
  private let linesBefore: [Int]
  /// Where the last location asked for was: the next one on the same line, further on, counts
  /// its column from there (a script on one long line had every warning count its line from the
  /// start: 30,000 warnings on a 1 MB line took 10 s).
  private let lastColumn = ColumnCursor()

  public init(_ source: [UInt8]) {
    self.init(SourceBytes(source))
  }

  public init(_ source: SourceBytes) {
    var starts = [0]
    starts.reserveCapacity(Self.startsRoom(for: source.count))
    Self.appendStarts(of: source, in: 0..<source.count, to: &starts)
    self.init(source, parts: [starts])
  }

  /// For tests: the offsets of `source` at which the index made on every core answers otherwise
  /// than the one made in one pass, among those within `around` bytes of each megabyte's edge
  /// and every `step`-th.
  public static func onEveryCoreDisagreements(_ source: [UInt8], around: Int = 4, step: Int = 997) -> [Int] {
    let bytes = SourceBytes(source)
    let (whole, parallel) = (LineIndex(bytes), LineIndex(onEveryCore: bytes))
    let edges = stride(from: 0, through: source.count, by: 1 << 20).flatMap { max(0, $0 - around)...min(source.count, $0 + around) }
    return (edges + Array(stride(from: 0, through: source.count, by: step))).filter { whole.location(of: $0) != parallel.location(of: $0) }
  }

  /// The same, its starts found a megabyte at a time on every core (a long script's `check
  /// --verbose`, or its references looked up).
  init(onEveryCore source: SourceBytes) {
    let chunk = 1 << 20
    let parts = concurrentMap(count: (source.count + chunk - 1) / chunk, scratch: { () }) { index, _ in
      let range = index * chunk..<min(source.count, (index + 1) * chunk)
      var starts: [Int] = []
      starts.reserveCapacity(Self.startsRoom(for: range.count))
      Self.appendStarts(of: source, in: range, to: &starts)
      return starts
    }
    self.init(source, parts: [[0]] + parts)
  }

  /// Room for the line starts of `bytes` bytes: a line every 16 bytes. Pages never written cost
  /// nothing, while growing by doubling copies the starts and faults in every new page (a
  /// script's lines are longer).
  static func startsRoom(for bytes: Int) -> Int { bytes / 16 + 1 }

  /// An index of `source` from its line starts in parts: 0, then those `appendStarts` finds, in
  /// order (a long script's pieces each find their own).
  init(_ source: SourceBytes, parts: [[Int]]) {
    self.init(source, parts: parts, linesBefore: 0)
  }

  /// An index of the lines of `source` that `range` touches, after `breaks` line breaks: it
  /// answers for offsets in `range` only (a long script's piece, for its parser's errors).
  init(_ source: SourceBytes, lines range: Range<Int>, after breaks: Int) {
    let start = Self.lineStart(of: range.lowerBound, in: source)
    var starts = [start]
    Self.appendStarts(of: source, in: start..<range.upperBound, to: &starts)
    self.init(source, parts: [starts], linesBefore: breaks)
  }

  private init(_ source: SourceBytes, parts: [[Int]], linesBefore base: Int) {
    self.source = source
    self.parts = parts.filter { !$0.isEmpty }
    var before = base
    linesBefore = self.parts.map { part in
      defer { before += part.count }
      return before
    }
  }

  /// Whether the byte at `offset` ends a line: LF, or CR not followed by LF (whose LF ends it).
  @inline(__always) static func isBreak<Bytes: RandomAccessCollection<UInt8>>(_ source: Bytes, at offset: Int) -> Bool where Bytes.Index == Int {
    source[offset] == 0x0A || (source[offset] == 0x0D && (offset + 1 == source.count || source[offset + 1] != 0x0A))
  }

  /// How many line breaks `range` of `source` holds.
  static func breaks(in source: SourceBytes, _ range: Range<Int>) -> Int {
    source.withUnsafeBufferPointer { bytes in
      guard let base = bytes.baseAddress, !range.isEmpty else { return 0 }
      // Without a CR (almost every script), a count of LFs, 32 bytes at a time.
      guard memchr(base + range.lowerBound, 0x0D, range.count) != nil else {
        var (count, offset) = (0, range.lowerBound)
        let lineFeed = SIMD32<UInt8>(repeating: 0x0A)
        while offset + 32 <= range.upperBound {
          // Up to 255 blocks' counts in bytes before they are added up (a byte holds 255).
          var counts = SIMD32<UInt8>()
          let blocks = min(255, (range.upperBound - offset) / 32)
          for _ in 0..<blocks {
            let block = UnsafeRawPointer(base + offset).loadUnaligned(as: SIMD32<UInt8>.self)
            // A lane of the mask is all ones (-1) where the bytes are equal: subtracting it counts
            // them. (`replacing(with:where:)` compiled to a loop per lane: 400 times as long.)
            counts &-= unsafeBitCast(block .== lineFeed, to: SIMD32<UInt8>.self)
            offset += 32
          }
          count += Int(SIMD32<UInt16>(truncatingIfNeeded: counts).wrappedSum())
        }
        while offset < range.upperBound {
          if base[offset] == 0x0A { count += 1 }
          offset += 1
        }
        return count
      }
      var count = 0
      for offset in range where isBreak(source, at: offset) { count += 1 }
      return count
    }
  }

  /// Appends to `starts` where each line that follows a line break in `range` of `source` starts.
  static func appendStarts(of source: SourceBytes, in range: Range<Int>, to starts: inout [Int]) {
    source.withUnsafeBufferPointer { bytes in
      guard let base = bytes.baseAddress, !range.isEmpty else { return }
      // Without a CR (almost every script), line starts are found a word at a time by memchr.
      if memchr(base + range.lowerBound, 0x0D, range.count) == nil {
        var from = range.lowerBound
        while from < range.upperBound, let found = memchr(base + from, 0x0A, range.upperBound - from) {
          from = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
          starts.append(from)
        }
        return
      }
      for offset in range where isBreak(source, at: offset) { starts.append(offset + 1) }
    }
  }

  /// Where each of `offsets` (in any order) is in `piece` of `source`: the line as counted from
  /// the piece (how many line starts are inside it at or before the offset), and the column (on
  /// the piece's first line, counted from the piece's start). Found by the thread that read the
  /// piece, in one sweep over it (line breaks counted 32 bytes at a time from one offset to the
  /// next, columns counted on along a line), with no index of its lines: looking each warning up
  /// in the whole script's index afterwards took `check` 1.5 µs a warning, and the index 2 MB of
  /// fresh memory. `afterLines(_:startColumn:)` adds the lines and columns before the piece.
  static func placesInPiece(of offsets: [Int], piece: Range<Int>, in source: SourceBytes) -> [PlaceInPiece] {
    var places = [PlaceInPiece](repeating: PlaceInPiece(startsBefore: 0, column: 1), count: offsets.count)
    var counted = piece.lowerBound
    var startsBefore = 0
    var known = (offset: piece.lowerBound, column: 1)
    for index in offsets.indices.sorted(by: { offsets[$0] < offsets[$1] }) {
      let offset = offsets[index]
      let found = breaks(in: source, counted..<offset)
      if found > 0 {
        startsBefore += found
        known = (lineStart(of: offset, in: source), 1)
      }
      counted = offset
      known = (offset, known.column + columns(in: source, known.offset..<offset))
      places[index] = PlaceInPiece(startsBefore: startsBefore, column: known.column)
    }
    return places
  }

  struct PlaceInPiece: Equatable {
    var startsBefore: Int
    var column: Int

    /// The location, when `lines` lines begin at or before the piece's start (1 for the first)
    /// and the piece starts at column `startColumn` of its line (1 unless a line holds a cut).
    func afterLines(_ lines: Int, startColumn: Int) -> SourceLocation {
      SourceLocation(line: lines + startsBefore, column: startsBefore == 0 ? startColumn - 1 + column : column)
    }
  }

  /// How many columns the last line of `range` of `source` spans up to the range's end (from the
  /// range's start when it holds no line break), and whether it holds one: what the next piece of
  /// a script, when its cut fell inside a line, needs to count its columns.
  static func trailingColumns(in source: SourceBytes, _ range: Range<Int>) -> (columns: Int, afterBreak: Bool) {
    let start = lineStart(of: range.upperBound, notBefore: range.lowerBound, in: source)
    return (columns(in: source, start..<range.upperBound), start > range.lowerBound)
  }

  /// Where the line that holds `offset` starts (no earlier than `floor`).
  static func lineStart(of offset: Int, notBefore floor: Int = 0, in source: SourceBytes) -> Int {
    var start = offset
    while start > floor && !isBreak(source, at: start - 1) { start -= 1 }
    return start
  }

  /// The same answer as `SourceLocation.of(offset:in:)`.
  public func location(of offset: Int) -> SourceLocation {
    let limit = min(max(offset, 0), source.count)
    // The last part, then the last line start in it, at or before `limit`.
    let part = Self.lastIndex(in: parts.count) { parts[$0][0] <= limit }
    let starts = parts[part]
    let index = Self.lastIndex(in: starts.count) { starts[$0] <= limit }
    let column = lastColumn.column(of: limit, onLineFrom: starts[index], in: source)
    return SourceLocation(line: linesBefore[part] + index + 1, column: column)
  }

  /// How many columns `range` of `source`, inside one line, spans: UTF-16 code units, as
  /// `SourceLocation.of` counts them (a line's only CR is the one before its LF, one column).
  static func columns(in source: SourceBytes, _ range: Range<Int>) -> Int {
    source.withUnsafeBufferPointer { bytes in
      var columns = 0
      for offset in range { columns += SourceLocation.columns(of: bytes[offset]) }
      return columns
    }
  }

  /// The last of `0..<count` where `isAtOrBefore` holds (it holds for 0, and for a prefix).
  private static func lastIndex(in count: Int, where isAtOrBefore: (Int) -> Bool) -> Int {
    var low = 0
    var high = count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if isAtOrBefore(middle) { low = middle } else { high = middle - 1 }
    }
    return low
  }
}

/// The last column a `LineIndex` found, kept for the next (a lock, as the index is shared).
final class ColumnCursor: Sendable {
  private let last = Mutex<(lineStart: Int, offset: Int, column: Int)>((-1, 0, 1))

  /// The column of `offset` on the line of `source` that starts at `lineStart`.
  func column(of offset: Int, onLineFrom lineStart: Int, in source: SourceBytes) -> Int {
    last.withLock { last in
      let resumes = last.lineStart == lineStart && last.offset <= offset
      let (from, column) = resumes ? (last.offset, last.column) : (lineStart, 1)
      last = (lineStart, offset, column + LineIndex.columns(in: source, from..<offset))
      return last.column
    }
  }
}

/// How many line breaks come before each 64 KB block of a script: counted once, on first use,
/// by whichever thread asks first. The parsers of a long script's pieces share it: each then
/// indexes only its own piece's lines when it meets an error (each indexed the whole script,
/// and a script with an error every 16 KB took twice as long to check).
final class LineCounts: Sendable {
  private static let blockSize = 64 << 10
  private let source: SourceBytes
  private let before: Mutex<[Int]?> = Mutex(nil)

  init(_ source: SourceBytes) { self.source = source }

  /// How many line breaks `source` holds before `offset`.
  func breaks(before offset: Int) -> Int {
    let source = source
    let blocks = before.withLock { blocks in
      if blocks == nil {
        var counts = [0]
        counts.reserveCapacity(source.count / Self.blockSize + 2)
        for start in stride(from: 0, to: source.count, by: Self.blockSize) {
          counts.append(counts.last! + LineIndex.breaks(in: source, start..<min(start + Self.blockSize, source.count)))
        }
        blocks = counts
      }
      return blocks!
    }
    let offset = min(max(offset, 0), source.count)
    let block = offset / Self.blockSize
    return blocks[block] + LineIndex.breaks(in: source, block * Self.blockSize..<offset)
  }
}

/// A `LineIndex` made on first use and kept (a reference, so a parser's non-mutating error
/// paths can share it). A piece's parser indexes its piece's lines, after the line breaks
/// `counts` finds before it, and the whole script only for an offset outside it.
final class LazyLineIndex: @unchecked Sendable {  // used by one parser on one thread
  private let source: SourceBytes
  private let piece: (range: Range<Int>, counts: LineCounts)?
  private var pieceIndex: LineIndex?
  private var index: LineIndex?

  init(_ source: SourceBytes, piece: (range: Range<Int>, counts: LineCounts)? = nil) {
    self.source = source
    self.piece = piece
  }

  func location(of offset: Int) -> SourceLocation {
    if let piece, piece.range.contains(offset) {
      if pieceIndex == nil { pieceIndex = LineIndex(source, lines: piece.range, after: piece.counts.breaks(before: piece.range.lowerBound)) }
      return pieceIndex!.location(of: offset)
    }
    if index == nil { index = LineIndex(source) }
    return index!.location(of: offset)
  }
}

/// A script's line index, made the first time it is asked for.
final class LinesOnUse: Sendable {
  private let source: SourceBytes
  private let made = Mutex<LineIndex?>(nil)

  init(_ source: SourceBytes) { self.source = source }

  var index: LineIndex {
    made.withLock { made in
      if made == nil { made = LineIndex(onEveryCore: source) }
      return made!
    }
  }
}
