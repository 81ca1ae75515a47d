import ConnectionEngine
import Foundation

/// Without a subcommand: the terminal UI on the catalog.
struct Switchboard: Command {
  static let spec = CommandSpec(
    name: Main.name,
    abstract: "Manage Flink SQL connections from a terminal.",
    discussion: "Without a subcommand, opens the terminal UI on the catalog.",
    options: CatalogOptions.options + [
      .value("scripts", "scripts", "A folder of Flink scripts: the detail pane lists the statements that use each connection, and dropping or renaming one in use asks twice.")
    ])

  var catalogOptions: CatalogOptions
  var scripts: String?

  init(_ arguments: ParsedArguments) throws(CLIError) {
    catalogOptions = CatalogOptions(arguments)
    scripts = arguments.string("scripts")
  }

  func run() throws {
    let config = try catalogOptions.loadConfig()
    try TerminalApp.run(catalogOptions, scriptsFolder: scripts ?? config.scripts, rotateAfterDays: config.rotateAfterDays)
  }
}

@main
enum Main {
  static let name = "switchboard"
  static let subcommands: [any Command.Type] = [
    SQLCommand.self, CheckCommand.self, MaskCommand.self, HistoryCommand.self, VerifyCommand.self, RekeyCommand.self,
    RenderCommand.self, ExportCommand.self, ImportCommand.self, ScanCommand.self, PlanCommand.self, StaleCommand.self,
    VersionsCommand.self, RestoreCommand.self, PurgeCommand.self,
  ]

  static func main() {
    // Past a file-size limit, a write should fail (and be reported) rather than kill us.
    signal(SIGXFSZ, SIG_IGN)
    atexit { for cleanup in atexit_cleanups { cleanup() } }
    do {
      guard let command = try command(for: Array(CommandLine.arguments.dropFirst())) else { exit(ExitStatus.ok.rawValue) }
      try command.run()
      exit(ExitStatus.ok.rawValue)
    } catch let error as CLIError {
      Output.error("switchboard: " + error.message + "\n")
      exit(error.status.rawValue)
    } catch let error as ExitCode {
      exit(error.rawValue)
    } catch {
      Output.error("switchboard: \(error)\n")
      exit(ExitStatus.environment.rawValue)
    }
  }

  /// The command `arguments` name, ready to run; nil when help was asked for (and printed).
  static func command(for arguments: [String]) throws(CLIError) -> (any Command)? {
    if arguments.first == "help" {
      let named = arguments.dropFirst().first
      guard let type = named.map(subcommand(named:)) ?? Switchboard.self else {
        throw Switchboard.spec.usageError("There is no subcommand named that.")
      }
      Output.write(help(for: type))
      return nil
    }
    let type = arguments.first.flatMap(subcommand(named:)) ?? Switchboard.self
    let isRoot = type.spec.name == name
    let parsed = try ParsedArguments(isRoot ? arguments : Array(arguments.dropFirst()), spec: type.spec)
    if parsed.wantsHelp {
      Output.write(help(for: type))
      return nil
    }
    return try type.init(parsed)
  }

  static func subcommand(named name: String) -> (any Command.Type)? {
    subcommands.first { $0.spec.name == name }
  }

  static func help(for type: any Command.Type) -> String {
    let spec = type.spec
    if spec.name != name { return spec.help() }
    return spec.help(subcommands: subcommands.map { $0.spec })
  }
}
