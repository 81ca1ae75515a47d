import Foundation
import ConnectionEngine
import TerminalKit

/// Renders an error compiler-style: message, location, and the masked source line with a caret.
enum ErrorRenderer {
  static func render(_ error: EngineError, script: String, location: String) -> String {
    var out = "[ERROR] " + error.message.split(separator: "\n", omittingEmptySubsequences: false).map { sanitizedForTerminal($0) }.joined(separator: "\n") + "\n"
    guard let at = error.location, let offset = error.offset else { return out }
    out += " --> \(sanitizedForTerminal(location)):\(at.line):\(at.column)\n"
    let masked = Masker.maskWithOffsets(script)
    let bytes = Array(masked.text.utf8)
    let caretOffset = min(masked.maskedOffset(of: offset), bytes.count)
    var lineStart = caretOffset
    while lineStart > 0 && bytes[lineStart - 1] != 0x0A && bytes[lineStart - 1] != 0x0D { lineStart -= 1 }
    var lineEnd = caretOffset
    while lineEnd < bytes.count && bytes[lineEnd] != 0x0A && bytes[lineEnd] != 0x0D { lineEnd += 1 }
    let before = sanitizedForTerminal(String(decoding: bytes[lineStart..<caretOffset], as: UTF8.self))
    let line = sanitizedForTerminal(String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self))
    // Very long lines (a 10 MB statement) are cut around the caret.
    let indent = displayWidth(before)
    if displayWidth(line) > 200 {
      let window = String(before.suffix(60))
      let after = String(line.dropFirst(before.count).prefix(60))
      out += "  | …" + window + after + "…\n  |  " + String(repeating: " ", count: displayWidth(window)) + "^\n"
    } else {
      out += "  | " + line + "\n  | " + String(repeating: " ", count: indent) + "^\n"
    }
    return out
  }
}
