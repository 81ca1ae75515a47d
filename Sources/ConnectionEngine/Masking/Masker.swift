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

  /// Masks UTF-8 bytes and hands the masked bytes to `body`: the same masking as `mask(_:)`,
  /// for streams of many megabytes (no String is built on either side).
  public static func mask<T>(utf8 bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    var scanner = MaskScanner(source: bytes, recordOffsets: false)
    return scanner.run(body)
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
