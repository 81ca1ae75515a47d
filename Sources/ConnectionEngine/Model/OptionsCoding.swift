import Foundation

/// Options are stored as a JSON object with sorted keys. Listing 100,000 connections decodes
/// every row, so both directions are hand-written for that one shape; anything else (a file
/// edited by hand) falls back to Foundation's parser.
func encodeOptions(_ options: [String: String]) -> String {
  // Bytes, not scalars: a long script of CREATEs encodes one object per statement.
  var out: [UInt8] = [0x7B]
  for (i, key) in options.keys.sorted().enumerated() {
    if i > 0 { out.append(0x2C) }
    appendJSONString(key, to: &out)
    out.append(0x3A)
    appendJSONString(options[key]!, to: &out)
  }
  out.append(0x7D)
  return String(decoding: out, as: UTF8.self)
}

/// A JSON string: `"` and `\` escaped, control characters as `\u00xx`, the rest as it is.
private func appendJSONString(_ text: String, to out: inout [UInt8]) {
  out.append(0x22)
  for byte in text.utf8 {
    switch byte {
    case 0x22, 0x5C:
      out.append(0x5C)
      out.append(byte)
    case ..<0x20:
      let digit = { (n: UInt8) -> UInt8 in n < 10 ? 0x30 + n : 0x57 + n }  // lower-case hex
      out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, digit(byte >> 4), digit(byte & 0xF)])
    default:
      out.append(byte)
    }
  }
  out.append(0x22)
}

func decodeOptions(_ text: String?) -> [String: String] {
  guard let text else { return [:] }
  if let fast = decodeFlatObject(text) { return fast }
  guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String] else { return [:] }
  return object
}

/// `{"k":"v",...}` as `encodeOptions` writes it; nil for anything else.
private func decodeFlatObject(_ text: String) -> [String: String]? {
  var bytes = Array(text.utf8)[...]
  guard bytes.popFirst() == 0x7B, bytes.popLast() == 0x7D else { return nil }
  var result: [String: String] = [:]
  while !bytes.isEmpty {
    guard let key = readString(&bytes), bytes.popFirst() == 0x3A, let value = readString(&bytes) else { return nil }
    result[key] = value
    if bytes.first == 0x2C { bytes.removeFirst() } else if !bytes.isEmpty { return nil }
  }
  return result
}

private func readString(_ bytes: inout ArraySlice<UInt8>) -> String? {
  guard bytes.popFirst() == 0x22 else { return nil }
  var out: [UInt8] = []
  while let byte = bytes.popFirst() {
    switch byte {
    case 0x22: return String(decoding: out, as: UTF8.self)
    case 0x5C:
      guard let escaped = bytes.popFirst() else { return nil }
      switch escaped {
      case 0x22, 0x5C, 0x2F: out.append(escaped)
      case 0x75:
        guard bytes.count >= 4, let unit = UInt32(String(decoding: bytes.prefix(4), as: UTF8.self), radix: 16),
          let scalar = Unicode.Scalar(unit), unit < 0x20
        else { return nil }
        bytes.removeFirst(4)
        out.append(UInt8(scalar.value))
      default: return nil
      }
    default: out.append(byte)
    }
  }
  return nil
}
