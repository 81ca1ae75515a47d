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
  /// String is built on either side). Above `parallelAbove` bytes the input is split at a
  /// statement boundary near its middle and both halves are done at once. The first half is
  /// written as it goes (every `drainAbove` bytes, at statement ends); the second waits in its
  /// buffer until the first is written. When the first half does not end cleanly on that
  /// boundary (the split fell inside a literal or comment), its last statements are masked
  /// again, from the last statement end it wrote, to the end of the input in one pass.
  public static func maskForTerminal(
    utf8 bytes: UnsafeBufferPointer<UInt8>, parallelAbove: Int = 4 << 20, drainAbove: Int = 1 << 20,
    _ write: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    guard bytes.count > parallelAbove, let split = statementBoundary(near: bytes.count / 2, in: bytes) else {
      return maskWhole(bytes, drainAbove: drainAbove, write)
    }
    let input = PinnedBytes(bytes: bytes)  // the caller keeps them alive until we return
    let firstHalf = FirstHalf()
    withoutActuallyEscaping(write) { write in
      let writer = Writer(write: write)
      DispatchQueue.concurrentPerform(iterations: 2) { half in
        let output = { (masked: UnsafeBufferPointer<UInt8>) in writeSanitized(utf8: masked, keepingLineBreaks: true, writer.write) }
        if half == 0 {
          var scanner = MaskScanner(source: UnsafeBufferPointer(rebasing: input.bytes[..<split]), recordOffsets: false)
          scanner.scan(drainingAbove: drainAbove, output)
          let clean = scanner.endsOnStatementBoundary
          if clean {
            scanner.withOutput(output)
          } else {
            maskWhole(UnsafeBufferPointer(rebasing: input.bytes[scanner.drainedThrough...]), drainAbove: drainAbove, writer.write)
          }
          firstHalf.finish(clean: clean)
        } else {
          var scanner = MaskScanner(source: UnsafeBufferPointer(rebasing: input.bytes[split...]), recordOffsets: false)
          scanner.scan()
          if firstHalf.waitUntilFinished() { scanner.withOutput(output) }
        }
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

  /// The byte after the first `;` followed by a line break at or after `middle` (within 1 MB).
  static func statementBoundary(near middle: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var i = middle
    let limit = min(bytes.count - 1, middle + (1 << 20))
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

/// Whether the first half is written, and whether it ended on a statement boundary (when it
/// did not, it masked the rest of the input itself and the second half writes nothing).
private final class FirstHalf: @unchecked Sendable {  // its state is only touched under `condition`
  private let condition = NSCondition()
  private var finished = false
  private var endedCleanly = false

  func finish(clean: Bool) {
    condition.lock()
    finished = true
    endedCleanly = clean
    condition.broadcast()
    condition.unlock()
  }

  func waitUntilFinished() -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while !finished { condition.wait() }
    return endedCleanly
  }
}

/// The caller's output, used by one half at a time (`FirstHalf` orders them).
private struct Writer: @unchecked Sendable {
  let write: (UnsafeBufferPointer<UInt8>) -> Void
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
