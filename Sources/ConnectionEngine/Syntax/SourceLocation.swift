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
      let byte = source[index]
      switch byte {
      case 0x0A:
        line += 1
        column = 0
      case 0x0D where index + 1 < source.count && source[index + 1] == 0x0A:
        column += 1  // JavaCC counts the CR of CRLF as a column; the LF ends the line
      case 0x0D:
        line += 1
        column = 0
      case 0x80...0xBF:
        break  // UTF-8 continuation byte
      case 0xF0...:
        column += 2  // astral characters are two UTF-16 code units
      default:
        column += 1
      }
      index += 1
    }
    return SourceLocation(line: line, column: column + 1)
  }
}

/// Line starts of a script, so that many locations (a linter's notes on a long script) cost a
/// line's length each instead of the script's.
public struct LineIndex: Sendable {
  private let source: [UInt8]
  /// Where lines start, ascending, in parts (not one array: a long script's pieces each find
  /// their own, and copying them into one took a thirtieth of `check`). None is empty; the first
  /// starts with 0.
  private let parts: [[Int]]
  /// How many lines start before each part.
  private let linesBefore: [Int]

  public init(_ source: [UInt8]) {
    var starts = [0]
    // Room for a line every 16 bytes: pages never written cost nothing, while growing by
    // doubling copies the index and faults in every new page (a script's lines are longer).
    starts.reserveCapacity(source.count / 16 + 1)
    Self.appendStarts(of: source, in: 0..<source.count, to: &starts)
    self.init(source, parts: [starts])
  }

  /// An index of `source` from its line starts in parts: 0, then those `appendStarts` finds, in
  /// order (a long script's pieces each find their own).
  init(_ source: [UInt8], parts: [[Int]]) {
    self.source = source
    self.parts = parts.filter { !$0.isEmpty }
    var before = 0
    linesBefore = self.parts.map { part in
      defer { before += part.count }
      return before
    }
  }

  /// Appends to `starts` where each line that follows a line break in `range` of `source` starts.
  static func appendStarts(of source: [UInt8], in range: Range<Int>, to starts: inout [Int]) {
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
      for offset in range {
        let byte = bytes[offset]
        if byte == 0x0A || (byte == 0x0D && (offset + 1 == bytes.count || bytes[offset + 1] != 0x0A)) {
          starts.append(offset + 1)
        }
      }
    }
  }

  /// The same answer as `SourceLocation.of(offset:in:)`.
  public func location(of offset: Int) -> SourceLocation {
    let limit = min(max(offset, 0), source.count)
    // The last part, then the last line start in it, at or before `limit`.
    let part = Self.lastIndex(in: parts.count) { parts[$0][0] <= limit }
    let starts = parts[part]
    let index = Self.lastIndex(in: starts.count) { starts[$0] <= limit }
    let start = starts[index]
    let column = SourceLocation.of(offset: limit - start, in: Array(source[start..<min(limit + 1, source.count)])).column
    return SourceLocation(line: linesBefore[part] + index + 1, column: column)
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

/// A `LineIndex` made on first use and kept (a reference, so a parser's non-mutating error
/// paths can share it).
final class LazyLineIndex: @unchecked Sendable {  // used by one parser on one thread
  private let source: [UInt8]
  private var index: LineIndex?

  init(_ source: [UInt8]) { self.source = source }

  func location(of offset: Int) -> SourceLocation {
    if index == nil { index = LineIndex(source) }
    return index!.location(of: offset)
  }
}
