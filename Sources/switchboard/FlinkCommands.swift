import ConnectionEngine
import Foundation
import TerminalKit

struct ExportCommand: Command {
  static let spec = CommandSpec(
    name: "export",
    abstract: "Write connections for Flink SQL, JSON, the Confluent CLI or Terraform, every secret as a placeholder.",
    discussion: """
      sql: secrets as '******' (import reads them back as missing). json: secret key names only. \
      confluent-cli: a script of 'confluent flink connection create' commands reading each secret from \
      an environment variable. terraform: confluent_flink_connection resources with sensitive variables. \
      What a target cannot hold (names, types, options, secrets) is named on standard error.
      """,
    options: CatalogOptions.options + [.value("format", "format", "sql, json, confluent-cli or terraform.")],
    arguments: [ArgumentSpec(name: "names", count: .any, help: "Connections to export (all when none are named).")])

  var catalogOptions: CatalogOptions
  var names: [String]
  var format: String

  init(_ arguments: ParsedArguments) {
    catalogOptions = CatalogOptions(arguments)
    names = arguments.arguments("names")
    format = arguments.string("format") ?? "sql"
  }

  func run() throws {
    guard let format = ExportFormat(rawValue: format) else { throw CLIError(.usage, "--format must be sql, json, confluent-cli or terraform.") }
    let engine = try catalogOptions.openEngine()
    var connections: [ConnectionSummary] = []
    do {
      if names.isEmpty {
        for catalog in try engine.catalogNames() {
          for database in try engine.databaseNames(in: catalog) {
            connections += try engine.connections(catalog: catalog, database: database).filter { !$0.isTemporary }
          }
        }
      } else {
        for name in names {
          guard let object = Parser.parseName(name) else { throw CLIError(.usage, "'\(sanitizedForTerminal(name))' is not a connection name.") }
          connections.append(try engine.connection(object))
        }
      }
    } catch let error as EngineError {
      throw CLIError(error)
    }
    let export = Exporter.export(connections, as: format)
    Output.write(export.text)
    for warning in export.warnings { Output.error("switchboard: warning: \(warning)\n") }
  }
}

struct ImportCommand: Command {
  static let spec = CommandSpec(
    name: "import",
    abstract: "Create connections from a Flink SQL script of CREATE CONNECTION statements or Confluent's JSON.",
    discussion: """
      Reads -f FILE or standard input, never the command line: a script may hold secrets. JSON is the \
      output of 'confluent flink connection list -o json' or 'switchboard export --format json'; its \
      connections arrive without secrets. Secrets written '******' are left unset. Every missing secret \
      is listed. All or nothing.
      """,
    options: CatalogOptions.options + [
      .value("f", "file", "The file to import (standard input when absent)."),
      .value("format", "format", "sql or json (by default, JSON when the input starts with '[' or '{')."),
    ])

  var catalogOptions: CatalogOptions
  var file: String?
  var format: String?

  init(_ arguments: ParsedArguments) {
    catalogOptions = CatalogOptions(arguments)
    file = arguments.string("f")
    format = arguments.string("format")
  }

  func run() throws {
    var input = try ScriptInput.read(file: file)
    defer { input.text = "" }
    let isJSON: Bool
    switch format {
    case nil: isJSON = input.text.drop { $0.isWhitespace }.first.map { $0 == "[" || $0 == "{" } ?? false
    case "json": isJSON = true
    case "sql": isJSON = false
    default: throw CLIError(.usage, "--format must be sql or json.")
    }
    let engine = try catalogOptions.openEngine()
    let result: ImportResult
    do {
      result = isJSON ? try engine.importConnections(json: Array(input.text.utf8)) : try engine.importConnections(sql: input.text)
    } catch {
      Output.error(ErrorRenderer.render(error, script: isJSON ? "" : input.text, location: input.location))
      throw ExitCode(ExitStatus(error).rawValue)
    }
    Output.write("Imported \(result.items.count) connection\(result.items.count == 1 ? "" : "s").\n")
    let missing = result.items.filter { !$0.missingSecrets.isEmpty }
    if !missing.isEmpty {
      Output.write("Secrets to fill in (ALTER CONNECTION name SET ('key' = '...'), on standard input or in the terminal UI):\n")
      for item in missing { Output.write("  \(item.name): \(item.missingSecrets.joined(separator: ", "))\n") }
    }
  }
}

struct ScanCommand: Command {
  static let spec = CommandSpec(
    name: "scan", abstract: "List, for each connection, the scripts under a folder that use it.",
    options: CatalogOptions.options + [
      .value("dialect", "dialect", "Flink grammar: 2.3 or master (USING CONNECTION in CREATE TABLE)."),
      .value("format", "format", "Output format: text or json."),
    ],
    arguments: [ArgumentSpec(name: "directory", count: .one, help: "The folder of Flink SQL scripts (*.sql, searched recursively).")])

  var catalogOptions: CatalogOptions
  var directory: String
  var dialect: String
  var format: String

  init(_ arguments: ParsedArguments) {
    catalogOptions = CatalogOptions(arguments)
    directory = arguments.argument("directory") ?? ""
    dialect = arguments.string("dialect") ?? "2.3"
    format = arguments.string("format") ?? "text"
  }

  func run() throws {
    guard let dialect = FlinkDialect(rawValue: dialect) else { throw CLIError(.usage, "--dialect must be 2.3 or master.") }
    guard format == "text" || format == "json" else { throw CLIError(.usage, "--format must be text or json.") }
    let engine = try catalogOptions.openEngine()
    let scan: ScriptScan
    do {
      scan = try engine.scanScripts(in: directory, dialect: dialect)
    } catch {
      throw CLIError(error)
    }
    for skipped in scan.skipped { Output.error("switchboard: passed over \(skipped)\n") }
    if format == "json" {
      func uses(_ list: [ConnectionUse]) -> JSONValue {
        .array(list.map {
          .sortedObject([
            "file": .string($0.file), "line": .int(Int64($0.location.line)), "column": .int(Int64($0.location.column)),
            "statement": .string($0.statement), "via": .string($0.via),
          ])
        })
      }
      let object = JSONValue.sortedObject([
        "connections": .array(scan.uses.keys.sorted().map { .sortedObject(["connection": .string($0), "uses": uses(scan.uses[$0]!)]) }),
        "unknown": uses(scan.unknown), "files": .int(Int64(scan.files)),
      ])
      Output.write(object.pretty + "\n")
      return
    }
    func line(_ use: ConnectionUse) -> String {
      "  \(use.file):\(use.location.line):\(use.location.column)  \(use.statement) (\(use.via))\n"
    }
    for name in scan.uses.keys.sorted() {
      let list = scan.uses[name]!
      Output.write("\(name)  \(list.count) use\(list.count == 1 ? "" : "s")\n" + list.map(line).joined())
    }
    if !scan.unknown.isEmpty {
      Output.write("not in the catalog  \(scan.unknown.count) use\(scan.unknown.count == 1 ? "" : "s")\n" + scan.unknown.map(line).joined())
    }
    let total = scan.uses.values.reduce(0) { $0 + $1.count }
    Output.error("\(scan.files) script\(scan.files == 1 ? "" : "s"); \(total) use\(total == 1 ? "" : "s") of \(scan.uses.count) connection\(scan.uses.count == 1 ? "" : "s"); \(scan.unknown.count) use\(scan.unknown.count == 1 ? "" : "s") of connections not in the catalog.\n")
  }
}

struct PlanCommand: Command {
  static let spec = CommandSpec(
    name: "plan",
    abstract: "Show what a script would change, key by key, and change nothing.",
    discussion: """
      Public keys as old → new; secrets only as set, replaced or reset. Exit 0, or 1 when a statement \
      would fail (with its error). Reads -f FILE or standard input.
      """,
    options: CatalogOptions.options + [.value("f", "file", "The script to plan (standard input when absent).")])

  var catalogOptions: CatalogOptions
  var file: String?

  init(_ arguments: ParsedArguments) {
    catalogOptions = CatalogOptions(arguments)
    file = arguments.string("f")
  }

  func run() throws {
    var input = try ScriptInput.read(file: file)
    defer { input.text = "" }
    let engine = try catalogOptions.openEngine()
    var failed: EngineError? = nil
    for planned in engine.plan(script: input.text) {
      switch planned.result {
      case .success(let lines):
        Output.write(planned.maskedText + "\n" + lines.map { "  " + $0 + "\n" }.joined())
      case .failure(let error):
        if !planned.maskedText.isEmpty { Output.write(planned.maskedText + "\n") }
        Output.error(ErrorRenderer.render(error, script: input.text, location: input.location))
        failed = error
      }
    }
    if let failed { throw ExitCode(ExitStatus(failed).rawValue) }
  }
}

struct StaleCommand: Command {
  static let spec = CommandSpec(
    name: "stale",
    abstract: "List connections whose secrets are older than N days; exit 1 when there are any (for a CI job).",
    options: CatalogOptions.options + [
      .value("days", "days", "Older than this many days (default: rotate-after-days in the config, else 90).")
    ])

  var catalogOptions: CatalogOptions
  var days: Int?

  init(_ arguments: ParsedArguments) throws(CLIError) {
    catalogOptions = CatalogOptions(arguments)
    days = try arguments.integer("days")
  }

  func run() throws {
    let limit = try days ?? catalogOptions.loadConfig().rotateAfterDays ?? 90
    guard limit > 0 else { throw CLIError(.usage, "--days must be above 0.") }
    let engine = try catalogOptions.openEngine()
    let now = Date().timeIntervalSince1970
    var rows: [[String]] = []
    do {
      for catalog in try engine.catalogNames() {
        for database in try engine.databaseNames(in: catalog) {
          for connection in try engine.connections(catalog: catalog, database: database) where !connection.isTemporary {
            guard let age = connection.secretAgeDays(now: now), age > limit, let changed = connection.secretsChangedAt else { continue }
            rows.append([
              "\(catalog).\(database).\(connection.name)", connection.secretKeys.joined(separator: ","),
              String(Date(timeIntervalSince1970: changed).ISO8601Format().prefix(10)), "\(age)",
            ])
          }
        }
      }
    } catch {
      throw CLIError(error)
    }
    guard !rows.isEmpty else {
      Output.write("No connection has secrets older than \(limit) days.\n")
      return
    }
    rows.sort { Int($0[3])! > Int($1[3])! }
    Output.write(ResultRenderer.render(ResultSet(columns: ["connection", "secrets", "last changed", "age (days)"], rows: rows), format: .table))
    Output.error("\(rows.count) connection\(rows.count == 1 ? "" : "s") with secrets older than \(limit) days: rotate them.\n")
    throw ExitCode(ExitStatus.statementFailed.rawValue)
  }
}
