import ConnectionEngine
import Foundation
import TerminalKit

/// Where a script comes from and how it is named in messages.
struct ScriptInput {
  var text: String
  /// `<stdin>`, `<command line>` or the file name.
  var location: String

  /// Reads `-f FILE`, or standard input. Invalid UTF-8 is refused with its position.
  static func read(file: String?) throws(CLIError) -> ScriptInput {
    let (data, location) = try readData(file: file)
    guard let text = String(validating: data, as: UTF8.self) else { throw notUTF8(data, location: location) }
    return ScriptInput(text: text, location: location)
  }

  /// The same as bytes, for a command that reads the script's bytes only (`check`): a regular
  /// file is mapped, not read (it stays mapped until the process ends), and checked without
  /// building a String of it.
  static func readBytes(file: String?) throws(CLIError) -> (bytes: SourceBytes, location: String) {
    if let file, let mapped = MappedFile(path: file) {
      UntilExit.keep(mapped)
      guard isValidUTF8(mapped.bytes.buffer) else { throw notUTF8(Data(mapped.bytes.buffer), location: file) }
      return (mapped.bytes, file)
    }
    let (data, location) = try readData(file: file)
    let bytes = [UInt8](data)
    guard isValidUTF8(bytes) else { throw notUTF8(data, location: location) }
    return (SourceBytes(bytes), location)
  }

  private static func readData(file: String?) throws(CLIError) -> (Data, location: String) {
    guard let file else { return (FileHandle.standardInput.readDataToEndOfFile(), "<stdin>") }
    guard let contents = FileManager.default.contents(atPath: file) else {
      throw CLIError(.usage, "Cannot read \(sanitizedForTerminal(file)): no such file or not readable.")
    }
    return (contents, file)
  }

  private static func notUTF8(_ data: Data, location: String) -> CLIError {
    let valid = validUTF8Prefix(data)
    let where_ = SourceLocation.of(offset: valid, in: Array(data.prefix(valid)))
    return CLIError(.statementFailed, "\(sanitizedForTerminal(location)):\(where_.line):\(where_.column): error: the input is not valid UTF-8 (byte \(valid + 1)); nothing was run.")
  }
}

/// A regular file mapped into memory, read-only: its pages are the kernel's cached ones, not
/// fresh memory each faulted in, cleared and copied into (reading a 9 MB script that way took
/// 4-7 ms, mapping it under 1 ms). Nil for anything else (empty, a pipe), which is read.
final class MappedFile: @unchecked Sendable {  // the mapping is never written
  let bytes: SourceBytes

  init?(path: String) {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else { return nil }
    let size = Int(info.st_size)
    guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, 0), mapped != MAP_FAILED else { return nil }
    Self.reportTruncation()
    bytes = SourceBytes(kept: UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: size))
  }

  deinit { munmap(UnsafeMutableRawPointer(mutating: bytes.buffer.baseAddress), bytes.count) }

  /// A mapped file cut short by another process while it is read faults (SIGBUS) on the pages
  /// it lost: say so and stop, rather than crash.
  static func reportTruncation() {
    signal(SIGBUS) { _ in
      let message: StaticString = "switchboard: the input file was cut short by another program while it was read; stopped.\n"
      _ = write(STDERR_FILENO, message.utf8Start, message.utf8CodeUnitCount)
      _exit(ExitStatus.environment.rawValue)
    }
  }
}

private func validUTF8Prefix(_ data: Data) -> Int {
  var decoder = UTF8()
  var iterator = data.makeIterator()
  var offset = 0
  while true {
    switch decoder.decode(&iterator) {
    case .scalarValue(let scalar): offset += UTF8.width(scalar)
    case .emptyInput, .error: return offset
    }
  }
}


/// All of standard input as bytes: mapped when it is a regular file (no copy), read otherwise.
enum StandardInput {
  static func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    var info = stat()
    if fstat(STDIN_FILENO, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 {
      let offset = lseek(STDIN_FILENO, 0, SEEK_CUR)
      let length = Int(info.st_size) - Int(max(0, offset))
      if offset >= 0, length > 0, let mapped = mmap(nil, Int(info.st_size), PROT_READ, MAP_PRIVATE, STDIN_FILENO, 0), mapped != MAP_FAILED {
        defer { munmap(mapped, Int(info.st_size)) }
        MappedFile.reportTruncation()
        let start = mapped.assumingMemoryBound(to: UInt8.self) + Int(offset)
        return body(UnsafeBufferPointer(start: start, count: length))
      }
    }
    let data = FileHandle.standardInput.readDataToEndOfFile()
    return data.withUnsafeBytes { body($0.bindMemory(to: UInt8.self)) }
  }
}

/// A script file read a few megabytes at a time, each piece ending where a statement ends, so a
/// script of a million statements runs in bounded memory (`ScriptSegments` says where to cut).
struct ScriptFileSegments {
  /// One piece, and where it starts in the file (1-based line and column) for error locations.
  struct Segment {
    var text: String
    var line: Int
    var column: Int
  }

  /// The piece size; SWITCHBOARD_SEGMENT_BYTES sets it (tests use small pieces to cut often).
  /// Up to three pieces are held at once (one running, one ready, one being prepared), each with
  /// its statements, masked texts and checked options: 2 MB keeps a million CREATEs in about
  /// 170 MB, as fast as 4 MB pieces (which took 210 MB).
  static var pieceBytes: Int {
    Environment.value("SWITCHBOARD_SEGMENT_BYTES").flatMap { Int($0) }.map { max(1, $0) } ?? 2 << 20
  }

  /// The longest statement `sql -f` reads (a connection statement is a few kilobytes): past it,
  /// the file is refused before anything runs. The wrong file (a large JSON document, one
  /// "statement" with no `;`) was read whole and parsed, masked and recorded as one: 200 MB
  /// took minutes and gigabytes.
  static let statementBytesLimit = 16 << 20

  let path: String
  private let handle: FileHandle
  private let size: Int
  private var carry: [UInt8] = []
  /// Where in `carry` the search for a boundary goes on (`ScriptSegments.lastBoundary`).
  private var scanFrom = 0
  private var atEnd = false
  private var line = 1, column = 1, offset = 0

  init(path: String) throws(CLIError) {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw CLIError(.usage, "Cannot read \(sanitizedForTerminal(path)): no such file or not readable.")
    }
    self.path = path
    self.handle = handle
    // A small file is read in one buffer of its size, not a whole piece (a short command pays for
    // every page it touches); a pipe or a growing file reads full pieces.
    var info = stat()
    let fileBytes = stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0
    size = fileBytes > 0 ? min(Self.pieceBytes, fileBytes + 1) : Self.pieceBytes
    isOnePiece = fileBytes > 0 && fileBytes < Self.pieceBytes
  }

  /// Whether the whole file is read as one piece (a regular file smaller than a piece).
  let isOnePiece: Bool

  mutating func next() throws(CLIError) -> Segment? {
    while true {
      if !atEnd {
        let data: Data
        do { data = try handle.read(upToCount: size) ?? Data() } catch {
          throw CLIError(.usage, "Cannot read \(sanitizedForTerminal(path)): \(error.localizedDescription)")
        }
        if data.isEmpty { atEnd = true } else { carry.append(contentsOf: data) }
      }
      let cut: Int
      if atEnd {
        guard !carry.isEmpty || offset == 0 else { return nil }
        cut = carry.count
      } else {
        guard carry.count >= size else { continue }
        let found = ScriptSegments.lastBoundary(in: carry, from: scanFrom)
        guard let boundary = found.boundary else {
          scanFrom = found.resumeAt
          if carry.count > Self.statementBytesLimit {
            throw CLIError(
              .statementFailed,
              "\(sanitizedForTerminal(path)):\(line):\(column): error: no statement ends within \(Self.statementBytesLimit >> 20) MB of here; sql -f reads statements of up to \(Self.statementBytesLimit >> 20) MB (is this a Flink script?). Nothing was run.")
          }
          continue
        }
        cut = boundary
      }
      let piece = Array(carry[..<cut])
      carry.removeFirst(cut)
      scanFrom = 0
      let start = (line: line, column: column)
      let end = SourceLocation.of(offset: piece.count, in: piece)
      if end.line == 1 { column += end.column - 1 } else { (line, column) = (line + end.line - 1, end.column) }
      guard let text = String(validating: piece, as: UTF8.self) else {
        let valid = validUTF8Prefix(Data(piece))
        let at = Self.shift(SourceLocation.of(offset: valid, in: Array(piece.prefix(valid))), from: start)
        throw CLIError(.statementFailed, "\(sanitizedForTerminal(path)):\(at.line):\(at.column): error: the input is not valid UTF-8 (byte \(offset + valid + 1)); nothing was run.")
      }
      let first = offset == 0
      offset += cut
      // What follows the last statement (spaces, comments) is no statement of its own.
      if !first && ScriptSegments.isBlank(piece) { continue }
      return Segment(text: text, line: start.line, column: start.column)
    }
  }

  /// A location inside a piece, as a location in the file.
  static func shift(_ location: SourceLocation, from start: (line: Int, column: Int)) -> SourceLocation {
    location.line == 1
      ? SourceLocation(line: start.line, column: start.column + location.column - 1)
      : SourceLocation(line: start.line + location.line - 1, column: location.column)
  }
}
