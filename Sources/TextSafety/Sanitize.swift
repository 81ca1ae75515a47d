/// Text from data (names, endpoints, comments, paths, messages, masked SQL) made safe to put on a
/// terminal. The one sanitiser: every path that prints data uses it. C0 and C1 controls, DEL, raw
/// CR, bidi controls and other invisible format characters become visible escapes (`\e`, `\r`,
/// `\x07`, `\u{202E}`), so no byte of data can move the cursor, set the title, write the
/// clipboard (OSC 52) or reorder text. With `keepingLineBreaks`, `\n` and `\t` pass as they are
/// (multi-line SQL); CR never does. Invalid UTF-8 has already become U+FFFD when decoded.
public func sanitizedForTerminal(_ text: some StringProtocol, keepingLineBreaks: Bool = false) -> String {
  var text = String(text)
  return text.withUTF8 { sanitizedForTerminal(utf8: $0, keepingLineBreaks: keepingLineBreaks) }
}

/// The same on UTF-8 bytes: printable ASCII is copied in runs, so masked SQL streams at memory speed.
public func sanitizedForTerminal(utf8 bytes: UnsafeBufferPointer<UInt8>, keepingLineBreaks: Bool) -> String {
  // Nothing to escape (the common case): the text as it is.
  if !bytes.contains(where: { needsCare($0, keepingLineBreaks) }) { return String(decoding: bytes, as: UTF8.self) }
  return String(decoding: sanitizedBytes(bytes, keepingLineBreaks: keepingLineBreaks), as: UTF8.self)
}

/// Writes UTF-8 bytes to `write` sanitised, in chunks: untouched runs pass through without a copy.
/// Invalid UTF-8 becomes U+FFFD. For streams (`switchboard mask`).
public func writeSanitized(utf8 bytes: UnsafeBufferPointer<UInt8>, keepingLineBreaks: Bool, _ write: (UnsafeBufferPointer<UInt8>) -> Void) {
  var runStart = 0
  var i = 0
  var escaped: [UInt8] = []
  while i < bytes.count {
    // Eight printable ASCII bytes at a time: most of masked SQL.
    while i + 8 <= bytes.count && isPrintableASCII(UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self)) {
      i += 8
    }
    guard i < bytes.count else { break }
    let byte = bytes[i]
    if !needsCare(byte, keepingLineBreaks) {
      i += 1
      continue
    }
    var length = 1
    escaped.removeAll(keepingCapacity: true)
    if byte < 0x80 {
      appendEscape(of: UInt32(byte), to: &escaped)
    } else {
      let (scalar, width, valid) = decodeScalar(bytes, at: i)
      length = width
      if !valid {
        escaped.append(contentsOf: [0xEF, 0xBF, 0xBD])
      } else if isUnsafe(scalar) {
        appendEscape(of: scalar.value, to: &escaped)
      } else {
        i += length
        continue
      }
    }
    if runStart < i { write(UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
    escaped.withUnsafeBufferPointer { write($0) }
    i += length
    runStart = i
  }
  if runStart < bytes.count { write(UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count])) }
}

private func sanitizedBytes(_ bytes: UnsafeBufferPointer<UInt8>, keepingLineBreaks: Bool) -> [UInt8] {
  var out: [UInt8] = []
  out.reserveCapacity(bytes.count + bytes.count / 8 + 16)
  var i = 0
  while i < bytes.count {
    let byte = bytes[i]
    if !needsCare(byte, keepingLineBreaks) {
      out.append(byte)
      i += 1
      continue
    }
    if byte < 0x80 {
      appendEscape(of: UInt32(byte), to: &out)
      i += 1
      continue
    }
    let (scalar, length, valid) = decodeScalar(bytes, at: i)
    if !valid {
      out.append(contentsOf: [0xEF, 0xBF, 0xBD])
    } else if isUnsafe(scalar) {
      appendEscape(of: scalar.value, to: &out)
    } else {
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<(i + length)]))
    }
    i += length
  }
  return out
}

/// Whether all eight bytes of `word` are in 0x20...0x7E (no byte at or above 0x80, none below
/// 0x20, none equal to 0x7F), tested together.
@inline(__always) private func isPrintableASCII(_ word: UInt64) -> Bool {
  let high: UInt64 = 0x8080_8080_8080_8080
  let below20 = (word &- 0x2020_2020_2020_2020) & ~word & high
  let del = word ^ 0x7F7F_7F7F_7F7F_7F7F
  let equals7F = (del &- 0x0101_0101_0101_0101) & ~del & high
  return (word & high) | below20 | equals7F == 0
}

@inline(__always) private func needsCare(_ byte: UInt8, _ keepingLineBreaks: Bool) -> Bool {
  if byte >= 0x20 && byte < 0x7F { return false }
  if keepingLineBreaks && (byte == 0x0A || byte == 0x09) { return false }
  return true
}

/// C1 controls, and format characters that change how the text around them looks without showing
/// themselves: bidi embeddings, overrides, isolates and marks, line and paragraph separators.
/// ZWJ and the emoji variation selector stay: emoji need them.
public func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
  switch scalar.value {
  case 0x00..<0x20, 0x7F...0x9F: return true
  case 0x200D, 0xFE0F: return false
  case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: return true
  default: return scalar.value >= 0xA0 && scalar.properties.generalCategory == .format
  }
}

private func appendEscape(of value: UInt32, to out: inout [UInt8]) {
  let text: String
  switch value {
  case 0x0A: text = "\\n"
  case 0x0D: text = "\\r"
  case 0x09: text = "\\t"
  case 0x1B: text = "\\e"
  case 0x00..<0x20, 0x7F...0xFF: text = "\\x" + hex(value, digits: 2)
  default: text = "\\u{" + hex(value, digits: 4) + "}"
  }
  out.append(contentsOf: text.utf8)
}

/// The scalar at `start`, or an invalid run of the length Unicode's "maximal subpart" rule gives
/// (the same repair as `String(decoding:as:)`: one U+FFFD per run).
private func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (Unicode.Scalar, Int, valid: Bool) {
  var iterator = bytes[start...].makeIterator()
  var parser = Unicode.UTF8.ForwardParser()
  switch parser.parseScalar(from: &iterator) {
  case .valid(let encoded): return (Unicode.UTF8.decode(encoded), encoded.count, true)
  case .error(let length): return ("\u{FFFD}", max(1, length), false)
  case .emptyInput: return ("\u{FFFD}", 1, false)
  }
}

/// `value` in hexadecimal, zeros before it up to `digits`: the digits of every escape written
/// here, in JSON and in the exports.
public func hex(_ value: UInt32, digits: Int, uppercase: Bool = true) -> String {
  let text = String(value, radix: 16, uppercase: uppercase)
  return String(repeating: "0", count: max(0, digits - text.count)) + text
}
