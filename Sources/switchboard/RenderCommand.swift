import ConnectionEngine
import Foundation
import TerminalKit

struct RenderCommand: Command {
  static let spec = CommandSpec(
    name: "render",
    abstract: "Write Flink SQL that recreates connections with their real secrets, for Flink's SQL client (-i FILE).",
    discussion: """
      The one command that writes secrets out. It writes only to a file it creates with mode 0600 \
      (or replaces with --force), or to standard output when that is a pipe or a file, never to a \
      terminal. Each run is recorded, masked, in the history.
      """,
    options: CatalogOptions.options + [
      .flag("all", "Render every connection of the catalog."),
      .flag("temporary", "Write CREATE TEMPORARY CONNECTION (for a session that should not keep them)."),
      .value("o", "file", "The file to create (mode 0600), or - for standard output when it is not a terminal."),
      .flag("force", "Replace the output file if it exists (a regular file only)."),
    ],
    arguments: [ArgumentSpec(name: "names", count: .any, help: "Connections to render: name, database.name or catalog.database.name.")])

  var catalogOptions: CatalogOptions
  var names: [String]
  var all: Bool
  var temporary: Bool
  var output: String
  var force: Bool

  init(_ arguments: ParsedArguments) throws(CLIError) {
    catalogOptions = CatalogOptions(arguments)
    names = arguments.arguments("names")
    all = arguments.flag("all")
    temporary = arguments.flag("temporary")
    guard let output = arguments.string("o") else { throw Self.spec.usageError("Missing expected option -o <file>.") }
    self.output = output
    force = arguments.flag("force")
  }

  func run() throws {
    if all != names.isEmpty { throw CLIError(.usage, all ? "Give names or --all, not both." : "Name the connections to render, or pass --all.") }
    var parsed: [ObjectName] = []
    for name in names {
      guard let object = Parser.parseName(name) else { throw CLIError(.usage, "'\(sanitizedForTerminal(name))' is not a connection name.") }
      parsed.append(object)
    }
    try SecretOutput.check(output, force: force)
    let engine = try catalogOptions.openEngine()
    var script: [UInt8]
    do {
      script = try engine.renderForFlink(parsed, all: all, temporary: temporary, destination: output == "-" ? "standard output" : output)
    } catch {
      throw CLIError(error)
    }
    defer { _ = script.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) } }
    try SecretOutput.write(script, to: output, force: force)
  }
}
