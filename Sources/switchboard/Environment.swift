import Foundation

/// The process environment, read from `environ` directly: Foundation's `ProcessInfo` costs a
/// short command a noticeable part of its start (its first use builds the whole object).
enum Environment {
  static var all: [String: String] {
    var variables: [String: String] = [:]
    var entry = environ
    while let pointer = entry.pointee {
      let text = String(cString: pointer)
      if let equals = text.firstIndex(of: "=") {
        variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
      }
      entry += 1
    }
    return variables
  }

  static func value(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
}
