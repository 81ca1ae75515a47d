/// The part of TOML a config file needs: `key = value` lines with strings ("..." with escapes,
/// '...' literal), booleans, integers and arrays of strings (on one or several lines), and
/// comments. Anything else is an error with its line, never a guess.
///
/// Written here rather than taken from a package: the one maintained TOML package on this
/// platform's package list (TOMLKit) depends on a package that is not available to build.
enum TOMLReader {
  enum Value: Equatable {
    case string(String)
    case bool(Bool)
    case integer(Int)
    case strings([String])
  }

  struct Failure: Error, Equatable {
    var line: Int
    var message: String
  }

  /// Top-level keys and values, in file order, with the line of each.
  static func read(_ text: String) throws(Failure) -> [(key: String, value: Value, line: Int)] {
    var entries: [(String, Value, Int)] = []
    var seen: Set<String> = []
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }[...]
    var lineNumber = 0
    while let raw = lines.popFirst() {
      lineNumber += 1
      var scanner = Scanner(scalars: raw, line: lineNumber)
      scanner.skipSpaces()
      if scanner.atEndOrComment { continue }
      if scanner.peek == "[" { throw Failure(line: lineNumber, message: "tables ([section]) are not used in this file") }
      let key = try scanner.key()
      guard seen.insert(key).inserted else { throw Failure(line: lineNumber, message: "'\(key)' is given twice") }
      scanner.skipSpaces()
      guard scanner.take("=") else { throw Failure(line: lineNumber, message: "expected '=' after '\(key)'") }
      scanner.skipSpaces()
      let start = lineNumber
      var value: Value
      if scanner.peek == "[" {
        // An array may run over several lines.
        var strings: [String] = []
        _ = scanner.take("[")
        while true {
          scanner.skipSpaces()
          if scanner.atEndOrComment {
            guard let next = lines.popFirst() else { throw Failure(line: start, message: "the array of '\(key)' is not closed with ']'") }
            lineNumber += 1
            scanner = Scanner(scalars: next, line: lineNumber)
            continue
          }
          if scanner.take("]") { break }
          strings.append(try scanner.string())
          scanner.skipSpaces()
          if scanner.atEndOrComment { continue }
          if scanner.take(",") { continue }
          if scanner.peek == "]" { continue }
          throw Failure(line: lineNumber, message: "expected ',' or ']' in the array of '\(key)'")
        }
        value = .strings(strings)
      } else if scanner.peek == "\"" || scanner.peek == "'" {
        value = .string(try scanner.string())
      } else {
        let word = scanner.bareWord()
        switch word {
        case "true": value = .bool(true)
        case "false": value = .bool(false)
        default:
          guard let number = Int(String(word.filter { $0 != "_" })), !word.isEmpty else {
            throw Failure(line: lineNumber, message: "'\(key)' has a value that is not a string, true, false, a number or an array of strings")
          }
          value = .integer(number)
        }
      }
      scanner.skipSpaces()
      guard scanner.atEndOrComment else { throw Failure(line: lineNumber, message: "unexpected text after the value of '\(key)'") }
      entries.append((key, value, start))
    }
    return entries
  }

  private struct Scanner {
    let scalars: [Unicode.Scalar]
    let line: Int
    var index = 0

    var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }
    var atEndOrComment: Bool { peek == nil || peek == "#" || (peek == "\r" && index == scalars.count - 1) }

    mutating func skipSpaces() { while peek == " " || peek == "\t" { index += 1 } }

    mutating func take(_ scalar: Unicode.Scalar) -> Bool {
      guard peek == scalar else { return false }
      index += 1
      return true
    }

    mutating func bareWord() -> String {
      var word = ""
      while let c = peek, c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == "_" || c == "+" {
        word.unicodeScalars.append(c)
        index += 1
      }
      return word
    }

    mutating func key() throws(Failure) -> String {
      if peek == "\"" || peek == "'" { return try string() }
      let word = bareWord()
      guard !word.isEmpty else { throw Failure(line: line, message: "expected a key") }
      return word
    }

    mutating func string() throws(Failure) -> String {
      guard let quote = peek, quote == "\"" || quote == "'" else { throw Failure(line: line, message: "expected a quoted string") }
      index += 1
      var text = ""
      while let c = peek {
        index += 1
        if c == quote { return text }
        if c == "\\", quote == "\"" {
          guard let escaped = peek else { break }
          index += 1
          switch escaped {
          case "\"": text += "\""
          case "\\": text += "\\"
          case "n": text += "\n"
          case "t": text += "\t"
          default: throw Failure(line: line, message: "unknown escape '\\\(escaped)' in a string")
          }
          continue
        }
        if c.value < 0x20 && c != "\t" { throw Failure(line: line, message: "a control character in a string") }
        text.unicodeScalars.append(c)
      }
      throw Failure(line: line, message: "a string is not closed")
    }
  }
}
