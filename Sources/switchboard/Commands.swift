import ArgumentParser
import ConnectionEngine
import Foundation
import Logging

/// Options every command that opens a catalog shares.
struct CatalogOptions: ParsableArguments {
  @Option(name: .long, help: "The catalog file (default: $XDG_DATA_HOME/switchboard/catalog.sqlite).")
  var catalog: String?

  @Flag(name: .long, help: "Use a throw-away catalog seeded with demo connections.")
  var demo = false

  func openEngine() throws(CLIError) -> Engine {
    var environment = ProcessInfo.processInfo.environment
    if environment["USER"] == nil, let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
      environment["USER"] = String(cString: name)
    }
    if demo {
      do {
        let (engine, cleanup) = try DemoCatalog.open(user: environment["USER"])
        engine.logger = Logger(label: "switchboard.engine")
        atexit_cleanups.append(cleanup)
        return engine
      } catch {
        throw CLIError(error)
      }
    }
    guard let path = catalog ?? Engine.defaultCatalogPath(environment: environment) else {
      throw CLIError(.environment, "No catalog: pass --catalog PATH, or set XDG_DATA_HOME or HOME.")
    }
    do {
      let engine = try Engine(catalogPath: path, environment: environment)
      engine.logger = Logger(label: "switchboard.engine")
      return engine
    } catch {
      throw CLIError(error)
    }
  }
}

struct SQLCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sql", abstract: "Run statements from -e, -f FILE or standard input.")

  @OptionGroup var catalogOptions: CatalogOptions

  @Option(name: .short, help: "A statement to run. Statements that carry secrets must come on stdin or from -f.")
  var execute: String?

  @Option(name: .short, help: "A script file to run.")
  var file: String?

  @Option(name: .long, help: "Output format: table, json or csv.")
  var format: String = "table"

  @Option(name: .long, help: "Fail with a conflict unless the connection is still at this version.")
  var expectedVersion: Int64?

  func run() throws {
    guard let format = OutputFormat(rawValue: format) else {
      throw CLIError(.usage, "--format must be table, json or csv.")
    }
    if execute != nil && file != nil { throw CLIError(.usage, "Give -e or -f, not both.") }
    var input: ScriptInput
    if let execute {
      if let key = SecretDetector.secretKey(in: execute) {
        throw CLIError(
          .usage,
          "Refusing to take a secret on the command line (option '\(sanitizedForMessageLine(key))'): it would stay in your shell history and the process list. Pass the statement on standard input or with -f FILE.")
      }
      input = ScriptInput(text: execute, location: "<command line>")
    } else {
      input = try ScriptInput.read(file: file)
    }
    let engine = try catalogOptions.openEngine()
    var failed: EngineError? = nil
    for outcome in engine.run(script: input.text, expectedVersion: expectedVersion) {
      switch outcome.result {
      case .success(let result):
        Output.write(ResultRenderer.render(result, format: format))
      case .failure(let error):
        Output.error(ErrorRenderer.render(error, script: input.text, location: input.location))
        failed = error
      }
    }
    input.text = ""
    if let failed { throw ExitCode(failed.isEnvironmental ? ExitStatus.environment.rawValue : ExitStatus.statementFailed.rawValue) }
  }
}

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check", abstract: "Lint a script without running it: LOCATION:LINE:COLUMN: error|warning: MESSAGE.")

  @Option(name: .short, help: "The script to check (standard input when absent).")
  var file: String?

  @Flag(name: .long, help: "Exit 1 on warnings too.")
  var strict = false

  func run() throws {
    let input = try ScriptInput.read(file: file)
    let diagnostics = Linter.check(input.text)
    for diagnostic in diagnostics {
      // One line per problem; the message's own newlines would break editors' parsing.
      let message = sanitizedForMessageLine(diagnostic.message.replacingOccurrences(of: "\n", with: " "))
      Output.write("\(sanitizedForMessageLine(input.location)):\(diagnostic.location.line):\(diagnostic.location.column): \(diagnostic.severity.rawValue): \(message)\n")
    }
    let errors = diagnostics.contains { $0.severity == .error }
    if errors || (strict && !diagnostics.isEmpty) { throw ExitCode(ExitStatus.statementFailed.rawValue) }
  }
}

struct MaskCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mask", abstract: "Read SQL on standard input and write it with every secret masked.")

  func run() throws {
    let data = FileHandle.standardInput.readDataToEndOfFile()
    let masked = Masker.mask(String(decoding: data, as: UTF8.self))
    Output.write(sanitizedKeepingLines(masked))
  }
}

struct HistoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history", abstract: "Show the masked statement history of the catalog.")

  @OptionGroup var catalogOptions: CatalogOptions

  @Option(name: .long, help: "How many entries, newest last.")
  var limit: Int = 50

  @Option(name: .long, help: "Output format: table, json or csv.")
  var format: String = "table"

  func run() throws {
    guard let format = OutputFormat(rawValue: format) else { throw CLIError(.usage, "--format must be table, json or csv.") }
    let engine = try catalogOptions.openEngine()
    let entries: [HistoryEntry]
    do { entries = try engine.history(limit: limit) } catch { throw CLIError(error) }
    let formatter = ISO8601DateFormatter()
    let rows = entries.map {
      [formatter.string(from: Date(timeIntervalSince1970: $0.at)), $0.user, $0.outcome, $0.statement.replacingOccurrences(of: "\n", with: " "), $0.message ?? ""]
    }
    Output.write(ResultRenderer.render(ResultSet(columns: ["time", "user", "outcome", "statement", "message"], rows: rows), format: format))
  }
}

struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify", abstract: "Check the catalog: SQLite integrity, every secret opens, no orphan secrets.")

  @OptionGroup var catalogOptions: CatalogOptions

  func run() throws {
    let engine = try catalogOptions.openEngine()
    let health: CatalogHealth
    do { health = try engine.verify() } catch { throw CLIError(error) }
    Output.write("integrity: \(health.integrity)\nconnections: \(health.connections)\nsecrets opened: \(health.secretsOpened)\norphan secrets: \(health.orphanSecrets)\n")
    if !health.isHealthy { throw CLIError(.environment, "The catalog is damaged (see above).") }
  }
}

/// Finds secrets in a command-line statement so it can be refused before it runs.
enum SecretDetector {
  /// The first option key that would carry a secret, or nil. A statement that does not parse
  /// counts as carrying one if the masker hides any value in it.
  static func secretKey(in sql: String) -> String? {
    let knownSecrets = Set(ConnectionType.all.flatMap(\.secretKeys))
    let isSecret = { (key: String, type: ConnectionType?) in
      SecretKeyPolicy.isSecret(key, type: type) || knownSecrets.contains(key)
    }
    guard let statements = try? Parser.parse(sql) else {
      return Masker.mask(sql).contains("'\(Masker.hidden)'") ? "(a value in a statement that does not parse)" : nil
    }
    for parsed in statements {
      switch parsed.statement {
      case .createConnection(let c):
        let type = c.options.last { $0.key.text == "type" }.flatMap { ConnectionType.named($0.value.text) }
        if let entry = c.options.first(where: { isSecret($0.key.text, type) }) { return entry.key.text }
      case .alterConnection(let a):
        if case .set(let entries) = a.change, let entry = entries.first(where: { isSecret($0.key.text, nil) }) {
          return entry.key.text
        }
      case .createCatalog(let c):
        if let entry = c.options.first(where: { isSecret($0.key.text, nil) }) { return entry.key.text }
      default:
        break
      }
    }
    return nil
  }
}

/// Masked SQL for a terminal: control characters escaped, line breaks and tabs kept.
func sanitizedKeepingLines(_ text: String) -> String {
  var out = ""
  for scalar in text.unicodeScalars {
    if scalar == "\n" || scalar == "\t" || scalar == "\r" {
      out.unicodeScalars.append(scalar)
    } else if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || (scalar.properties.generalCategory == .format && scalar.value != 0x200D) {
      out += "\\u{\(String(scalar.value, radix: 16))}"
    } else {
      out.unicodeScalars.append(scalar)
    }
  }
  return out
}

/// Throw-away folders (the demo catalog) removed when the command ends.
nonisolated(unsafe) var atexit_cleanups: [() -> Void] = []

enum Output {
  static func write(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
  static func error(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}
