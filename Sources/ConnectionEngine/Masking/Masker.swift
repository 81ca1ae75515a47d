import Foundation
import TextSafety

/// Masks SQL text for display, history, logs, error carets and the terminal UI: every echo of
/// SQL goes through here. Total: any bytes give an answer, whether or not they parse.
///
/// What is shown is decided from meaning (see `MaskScanner`): in a statement that parses, option
/// keys, the values of public keys (`SecretPolicy`) that carry no credential (`CredentialCheck`),
/// names, keywords and `LIKE` patterns; in a statement that does not parse, no value at
/// all. Every other literal becomes `'******'`, every word or number inside parentheses
/// `******`, every SQL comment `-- ******`, and an unterminated quote, identifier or comment
/// masks to the end. What is masked never shapes the output, so two secrets mask alike.
public enum Masker {
  public static let hidden = "******"

  public static func mask(_ sql: String) -> String {
    withBytes(of: sql) { bytes in
      var scanner = MaskScanner(source: bytes, recordOffsets: false)
      return scanner.run()
    }
  }

  /// Masks UTF-8 bytes for a terminal (masked, then through the one sanitiser) and hands the
  /// result to `write`, in order, in one or more pieces: the same text as
  /// `sanitizedForTerminal(mask(text), keepingLineBreaks: true)`, for inputs of many megabytes (no
  /// String is built on either side). Above `parallelAbove` bytes the input is cut into pieces of
  /// about `pieceSize` bytes at statement boundaries and masked on every core, each thread
  /// taking the next piece when it is done with one (so the cores stay evenly busy to the end);
  /// a finished piece is written as soon as those before it are. When a piece does not end
  /// cleanly on its boundary (the cut fell inside a literal or comment), the rest of the input
  /// is masked from that piece's start in one pass, and the pieces after it are dropped.
  public static func maskForTerminal(
    utf8 bytes: UnsafeBufferPointer<UInt8>, parallelAbove: Int = 4 << 20, pieceSize: Int = 1 << 20, drainAbove: Int = 1 << 20,
    _ write: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    var starts = [0]
    if bytes.count > parallelAbove {
      while let last = starts.last, last + pieceSize + pieceSize / 2 < bytes.count,
        let cut = statementBoundary(near: last + pieceSize, in: bytes)
      {
        starts.append(cut)
      }
    }
    guard starts.count > 1 else { return maskWhole(bytes, drainAbove: drainAbove, write) }
    let input = PinnedBytes(bytes: bytes)  // the caller keeps them alive until we return
    let ends = Array(starts.dropFirst()) + [bytes.count]
    withoutActuallyEscaping(write) { write in
      // Whichever thread writes, it writes piece `index` (not necessarily the one it masked).
      let writePiece = { (index: Int, piece: MaskedPiece, isLast: Bool) -> Bool in
        if piece.endsCleanly || isLast {
          piece.scanner.withOutput { writeSanitized(utf8: $0, keepingLineBreaks: true, write) }
          return true
        }
        maskWhole(UnsafeBufferPointer(rebasing: input.bytes[starts[index]...]), drainAbove: drainAbove, write)
        return false
      }
      let queue = PieceQueue(count: starts.count)
      queue.work { index in
        let piece = MaskedPiece(source: UnsafeBufferPointer(rebasing: input.bytes[starts[index]..<ends[index]]))
        queue.finished(index, piece, write: writePiece)
      }
    }
  }

  /// One pass over `part`, written as it goes.
  private static func maskWhole(_ part: UnsafeBufferPointer<UInt8>, drainAbove: Int, _ write: (UnsafeBufferPointer<UInt8>) -> Void) {
    let output = { (masked: UnsafeBufferPointer<UInt8>) in writeSanitized(utf8: masked, keepingLineBreaks: true, write) }
    var scanner = MaskScanner(source: part, recordOffsets: false)
    scanner.scan(drainingAbove: drainAbove, output)
    scanner.withOutput(output)
  }

  /// The byte after the first `;` followed by a line break at or after `offset` (within 1 MB).
  static func statementBoundary(near offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var i = offset
    let limit = min(bytes.count - 1, offset + (1 << 20))
    while i < limit {
      if bytes[i] == 0x3B && bytes[i + 1] == 0x0A { return i + 1 }
      i += 1
    }
    return nil
  }

  /// The masked text and a way to find where an offset of the original landed in it (for carets).
  public static func maskWithOffsets(_ sql: String) -> MaskedText {
    withBytes(of: sql) { bytes in
      var scanner = MaskScanner(source: bytes, recordOffsets: true)
      let text = scanner.run()
      return MaskedText(text: text, anchors: scanner.anchors)
    }
  }

  /// Why `sql` may not be taken on a command line, or nil when masking it hides nothing (so it
  /// carries no secret the policy knows of). Same rule as the display: what would be hidden
  /// there is refused here, including anything in a statement that does not parse and comments.
  public static func reasonToRefuse(_ sql: String) -> String? {
    withBytes(of: sql) { bytes in
      var scanner = MaskScanner(source: bytes, recordOffsets: false)
      _ = scanner.run()
      return scanner.firstHidden
    }
  }

  /// The string's UTF-8 in place when it is stored contiguously (native strings are), else a copy.
  private static func withBytes<T>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
    return Array(text.utf8).withUnsafeBufferPointer(body)
  }
}

private struct PinnedBytes: @unchecked Sendable {
  let bytes: UnsafeBufferPointer<UInt8>
}

/// One piece of a long input, masked (`scan`) into its scanner's buffer.
private final class MaskedPiece {
  var scanner: MaskScanner
  let endsCleanly: Bool

  init(source: UnsafeBufferPointer<UInt8>) {
    scanner = MaskScanner(source: source, recordOffsets: false)
    scanner.scan()
    endsCleanly = scanner.endsOnStatementBoundary
  }
}

/// Hands out pieces to every core and writes the finished ones in order: whichever thread
/// finishes the next piece to write writes it, and every finished one after it, while the others
/// go on masking. Its state is only touched under `lock`.
private final class PieceQueue: @unchecked Sendable {
  private let lock = NSLock()
  private let count: Int
  private var finished: [MaskedPiece?]
  private var nextToWrite = 0
  private var isWriting = false
  /// Set when a piece did not end cleanly: its writer masked the rest, so no more are needed.
  private var isDone = false
  private var taken = 0

  init(count: Int) {
    self.count = count
    finished = Array(repeating: nil, count: count)
  }

  /// `mask` for each piece index, on as many threads as there are cores.
  func work(_ mask: (Int) -> Void) {
    withoutActuallyEscaping(mask) { mask in
      let mask = Task(run: mask)
      DispatchQueue.concurrentPerform(iterations: min(count, onlineCores)) { _ in
        while let index = take() { mask.run(index) }
      }
    }
  }

  private struct Task: @unchecked Sendable {  // outlives no call
    let run: (Int) -> Void
  }

  private func take() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard !isDone, taken < count else { return nil }
    taken += 1
    return taken - 1
  }

  /// Keeps piece `index`; when it is the next to write and no thread is writing, writes it and
  /// every finished piece after it with `write` (of each piece's index), which returns false
  /// when it wrote the rest of the input itself.
  func finished(_ index: Int, _ piece: MaskedPiece, write: (_ index: Int, MaskedPiece, _ isLast: Bool) -> Bool) {
    lock.lock()
    defer { lock.unlock() }
    finished[index] = piece
    guard !isWriting else { return }
    isWriting = true
    while !isDone, nextToWrite < count, let next = finished[nextToWrite] {
      finished[nextToWrite] = nil
      let isLast = nextToWrite == count - 1
      lock.unlock()
      let goesOn = write(nextToWrite, next, isLast)
      lock.lock()
      nextToWrite += 1
      isDone = !goesOn || isLast
    }
    isWriting = false
  }
}

public struct MaskedText: Sendable {
  public let text: String
  /// (original offset, masked offset) at the start of every token and gap, ascending.
  let anchors: [(Int, Int)]

  /// The byte offset in `text` of the token that held `originalOffset`.
  public func maskedOffset(of originalOffset: Int) -> Int {
    var low = 0
    var high = anchors.count - 1
    var best = (0, 0)
    while low <= high {
      let mid = (low + high) / 2
      if anchors[mid].0 <= originalOffset {
        best = anchors[mid]
        low = mid + 1
      } else {
        high = mid - 1
      }
    }
    return best.1
  }
}
