import Foundation

/// `$XDG_CONFIG_HOME/switchboard/config.toml`: what the user set once for every command.
public struct SwitchboardConfig: Sendable, Equatable {
  /// Globs over `catalog.database` (`*` any run, `?` one character): writes there ask first.
  public var protected: [String] = []
  /// Every write refused, every write key hidden.
  public var readOnly = false
  /// Connections whose secrets are older are flagged.
  public var rotateAfterDays: Int?
  /// A folder of Flink scripts for the terminal UI's "used by".
  public var scripts: String?
  /// How many earlier versions each connection keeps (tombstones of dropped ones included).
  public var retention: Int?

  public init() {}

  static let keys = ["protected", "read-only", "rotate-after-days", "scripts", "retention"]

  /// The file's path for an environment (nil without XDG_CONFIG_HOME or HOME).
  public static func path(environment: [String: String]) -> String? {
    if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/switchboard/config.toml" }
    if let home = environment["HOME"], !home.isEmpty { return home + "/.config/switchboard/config.toml" }
    return nil
  }

  /// Reads the file at `path`; no file is the empty config. A bad file is an error naming the
  /// line and the key.
  public static func load(path: String) throws(EngineError) -> SwitchboardConfig {
    // (stat, not FileManager: its first use costs every short command a little.)
    var info = stat()
    guard stat(path, &info) == 0 else { return SwitchboardConfig() }
    guard let data = FileManager.default.contents(atPath: path), let text = String(validating: data, as: UTF8.self) else {
      throw EngineError(.storage, "The config file \(path) cannot be read as UTF-8 text.")
    }
    return try parse(text, path: path)
  }

  public static func parse(_ text: String, path: String = "config.toml") throws(EngineError) -> SwitchboardConfig {
    func failure(_ line: Int, _ message: String) -> EngineError {
      EngineError(.storage, "\(path):\(line): \(message)")
    }
    var config = SwitchboardConfig()
    let entries: [(key: String, value: TOMLReader.Value, line: Int)]
    do {
      entries = try TOMLReader.read(text)
    } catch {
      throw failure(error.line, error.message)
    }
    for (key, value, line) in entries {
      switch (key, value) {
      case ("protected", .strings(let globs)):
        for glob in globs where !NamespaceGlob.isValid(glob) {
          throw failure(line, "'\(glob)' in protected is not a catalog.database pattern (two parts; * and ? allowed)")
        }
        config.protected = globs
      case ("read-only", .bool(let flag)): config.readOnly = flag
      case ("rotate-after-days", .integer(let days)) where days > 0: config.rotateAfterDays = days
      case ("scripts", .string(let folder)) where !folder.isEmpty: config.scripts = folder
      case ("retention", .integer(let count)) where (1...10_000).contains(count): config.retention = count
      case ("protected", _): throw failure(line, "protected takes an array of strings, e.g. [\"prod_*.*\"]")
      case ("read-only", _): throw failure(line, "read-only takes true or false")
      case ("rotate-after-days", _): throw failure(line, "rotate-after-days takes a whole number of days above 0")
      case ("scripts", _): throw failure(line, "scripts takes a folder as a string")
      case ("retention", _): throw failure(line, "retention takes a whole number of versions from 1 to 10000")
      default:
        let suggestion = closest(to: key, among: keys).map { "; did you mean '\($0)'?" } ?? " (known: \(keys.joined(separator: ", ")))"
        throw failure(line, "unknown key '\(key)'\(suggestion)")
      }
    }
    return config
  }
}

/// A glob over `catalog.database`: `*` matches any run of characters, `?` one; no escapes.
public enum NamespaceGlob {
  static func isValid(_ glob: String) -> Bool {
    let parts = glob.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 2 && !parts.contains { $0.isEmpty }
  }

  public static func matches(_ glob: String, catalog: String, database: String) -> Bool {
    let parts = glob.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2 else { return false }
    return match(Array(parts[0]), Array(catalog)) && match(Array(parts[1]), Array(database))
  }

  /// Whether the glob's catalog part matches `catalog` (whatever its database part).
  public static func matchesCatalog(_ glob: String, catalog: String) -> Bool {
    guard let part = glob.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first else { return false }
    return match(Array(part), Array(catalog))
  }

  private static func match(_ pattern: [Character], _ text: [Character]) -> Bool {
    var p = 0, t = 0, star = -1, mark = 0
    while t < text.count {
      if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
        p += 1; t += 1
      } else if p < pattern.count, pattern[p] == "*" {
        star = p; mark = t; p += 1
      } else if star >= 0 {
        p = star + 1; mark += 1; t = mark
      } else {
        return false
      }
    }
    while p < pattern.count, pattern[p] == "*" { p += 1 }
    return p == pattern.count
  }
}
