/// JSON that is valid and safe on a terminal at once: every character the sanitiser would
/// escape (`isUnsafe`: controls, bidi and other format characters, line and paragraph
/// separators) is written as a JSON escape (`\u202e`), so the terminal sanitiser finds nothing to
/// change and a parser reads back the exact text. Foundation's `JSONSerialization` wrote such
/// characters as they are, and the sanitiser then turned them into escapes JSON does not have
/// (`\u{202E}`, `\x9B`): the output no longer parsed. It also took 5 s for 100,000 connections.
public indirect enum JSONValue: Sendable {
  case string(String)
  case int(Int64)
  case array([JSONValue])
  /// Members in the order given (callers sort them where the order is not meaningful).
  case object([(key: String, value: JSONValue)])

  /// An object with its members sorted by key.
  public static func sortedObject(_ members: [String: JSONValue]) -> JSONValue {
    .object(members.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) })
  }

  /// Indented by two spaces a level, `"key" : value` (as `JSONSerialization` printed it); empty
  /// arrays and objects as `[]` and `{}`.
  public var pretty: String {
    var out: [UInt8] = []
    write(to: &out, indent: 0, pretty: true)
    return String(decoding: out, as: UTF8.self)
  }

  /// On one line, without spaces.
  public var compact: String {
    var out: [UInt8] = []
    write(to: &out, indent: 0, pretty: false)
    return String(decoding: out, as: UTF8.self)
  }

  private func write(to out: inout [UInt8], indent: Int, pretty: Bool) {
    func newline(_ level: Int) {
      guard pretty else { return }
      out.append(0x0A)
      out.append(contentsOf: repeatElement(0x20, count: 2 * level))
    }
    /// `open`, each of `count` members on a line of its own (`write` writes the one at an
    /// index), `close`; `[]` or `{}` when there is none.
    func container(_ open: Character, _ close: Character, count: Int, _ write: (Int) -> Void) {
      out.append(open.asciiValue!)
      if count > 0 {
        for index in 0..<count {
          if index > 0 { out.append(UInt8(ascii: ",")) }
          newline(indent + 1)
          write(index)
        }
        newline(indent)
      }
      out.append(close.asciiValue!)
    }
    switch self {
    case .string(let text):
      appendJSONString(text, to: &out)
    case .int(let number):
      out.append(contentsOf: String(number).utf8)
    case .array(let items):
      container("[", "]", count: items.count) { items[$0].write(to: &out, indent: indent + 1, pretty: pretty) }
    case .object(let members):
      container("{", "}", count: members.count) { index in
        appendJSONString(members[index].key, to: &out)
        out.append(contentsOf: pretty ? " : ".utf8 : ":".utf8)
        members[index].value.write(to: &out, indent: indent + 1, pretty: pretty)
      }
    }
  }
}
/// `text` as a JSON string literal: `"` and `\` escaped, and every character `isUnsafe` finds
/// as `\n`, `\r`, `\t` or `\uXXXX` (UTF-16 units), so it is safe on a terminal as it is.
private func appendJSONString(_ text: String, to out: inout [UInt8]) {
  out.append(UInt8(ascii: "\""))
  var text = text
  text.withUTF8 { bytes in
    // Printable ASCII without a quote or backslash, and most other characters, go out as they are.
    if !bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 >= 0x7F }) {
      out.append(contentsOf: bytes)
      return
    }
    for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
      switch scalar {
      case "\"": out.append(contentsOf: #"\""#.utf8)
      case "\\": out.append(contentsOf: #"\\"#.utf8)
      case "\n": out.append(contentsOf: #"\n"#.utf8)
      case "\r": out.append(contentsOf: #"\r"#.utf8)
      case "\t": out.append(contentsOf: #"\t"#.utf8)
      default:
        if isUnsafe(scalar) {
          for unit in String(scalar).utf16 { out.append(contentsOf: ("\\u" + hex(UInt32(unit), digits: 4, uppercase: false)).utf8) }
        } else {
          out.append(contentsOf: String(scalar).utf8)
        }
      }
    }
  }
  out.append(UInt8(ascii: "\""))
}
