/// Text from data (names, endpoints, comments, messages) made safe to put on a terminal: C0 and
/// C1 controls, DEL, bidi controls and other invisible format characters become visible escapes
/// (`\e`, `\n`, `\u{202E}`), so no byte of data can move the cursor, set the title, write the
/// clipboard (OSC 52) or reorder text. Invalid UTF-8 has already become U+FFFD when decoded.
public func sanitizedForTerminal(_ text: some StringProtocol) -> String {
  var out = ""
  out.reserveCapacity(text.utf8.count)
  for scalar in text.unicodeScalars {
    switch scalar.value {
    case 0x0A: out += "\\n"
    case 0x0D: out += "\\r"
    case 0x09: out += "\\t"
    case 0x1B: out += "\\e"
    case 0x00..<0x20, 0x7F, 0x80...0x9F: out += "\\x" + hex(scalar.value, digits: 2)
    default:
      if isInvisibleControl(scalar) {
        out += "\\u{" + hex(scalar.value, digits: 4) + "}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
  }
  return out
}

/// Bidi embeddings, overrides and isolates, and other format characters that change how
/// surrounding text looks without showing themselves (ZWJ stays: emoji need it).
func isInvisibleControl(_ scalar: Unicode.Scalar) -> Bool {
  switch scalar.value {
  case 0x200D: return false
  case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: return true
  default: return scalar.properties.generalCategory == .format && scalar.value != 0xFE0F
  }
}

private func hex(_ value: UInt32, digits: Int) -> String {
  let text = String(value, radix: 16, uppercase: true)
  return String(repeating: "0", count: max(0, digits - text.count)) + text
}
