import Foundation

/// A `postgresql://` catalog location: the URL libpq gets, and the schema Switchboard uses.
struct PostgresLocation {
  /// The URL without Switchboard's own `schema` parameter (libpq refuses parameters it does not know).
  var url: String
  /// The PostgreSQL schema that holds the catalog's tables: `switchboard` unless `?schema=` says.
  var schema: String

  static func isURL(_ location: String) -> Bool {
    let lower = location.prefix(14).lowercased()
    return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
  }

  init(_ location: String) throws(EngineError) {
    schema = "switchboard"
    guard let question = location.firstIndex(of: "?") else {
      url = location
      return
    }
    var kept: [Substring] = []
    for parameter in location[location.index(after: question)...].split(separator: "&") {
      if parameter.hasPrefix("schema=") {
        schema = String(parameter.dropFirst("schema=".count))
      } else {
        kept.append(parameter)
      }
    }
    url = String(location[..<question]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    // The schema name is written into DDL (identifiers cannot be bound): only plain names.
    guard Self.isPlainName(schema) else {
      throw EngineError(.storage, "The schema name '\(sanitizedForMessage(schema))' is not a plain name (lower-case letters, digits and _, at most 63).")
    }
  }

  /// A password in the URL: it would sit in the shell history and the process list.
  static func hasPassword(_ location: String) -> Bool {
    guard let scheme = location.range(of: "://") else { return false }
    let rest = location[scheme.upperBound...]
    let authority = rest.prefix { $0 != "/" && $0 != "?" }
    if let at = authority.lastIndex(of: "@"), authority[..<at].contains(":") { return true }
    if let question = rest.firstIndex(of: "?") {
      return rest[rest.index(after: question)...].split(separator: "&").contains { $0.lowercased().hasPrefix("password=") }
    }
    return false
  }

  /// The location for messages before a connection exists: no password, no query.
  static func shown(_ location: String) -> String {
    guard let scheme = location.range(of: "://") else { return sanitizedForMessage(location) }
    var rest = location[scheme.upperBound...].prefix { $0 != "?" }
    let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
    if let at = rest[..<authorityEnd].lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
      rest = rest[..<colon] + rest[at...]
    }
    return sanitizedForMessage(String(location[..<scheme.upperBound]) + rest)
  }

  static func isPlainName(_ name: String) -> Bool {
    !name.isEmpty && name.utf8.count <= 63 && name.utf8.first.map { !(0x30...0x39).contains($0) } == true
      && name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
  }
}
