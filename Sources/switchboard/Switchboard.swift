import ArgumentParser
import ConnectionEngine
import Foundation

struct Switchboard: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "switchboard",
    abstract: "Manage Flink SQL connections from a terminal.",
    discussion: "Without a subcommand, opens the terminal UI on the catalog.",
    subcommands: [SQLCommand.self, CheckCommand.self, MaskCommand.self, HistoryCommand.self, VerifyCommand.self, RekeyCommand.self, RenderCommand.self, ExportCommand.self, ImportCommand.self, ScanCommand.self, PlanCommand.self, StaleCommand.self, VersionsCommand.self, RestoreCommand.self, PurgeCommand.self])

  @OptionGroup var catalogOptions: CatalogOptions

  @Option(name: .long, help: "A folder of Flink scripts: the detail pane lists the statements that use each connection, and dropping or renaming one in use asks twice.")
  var scripts: String?

  func run() throws {
    let config = try catalogOptions.loadConfig()
    try TerminalApp.run(catalogOptions, scriptsFolder: scripts ?? config.scripts, rotateAfterDays: config.rotateAfterDays)
  }
}

@main
enum Main {
  static func main() {
    // Past a file-size limit, a write should fail (and be reported) rather than kill us.
    signal(SIGXFSZ, SIG_IGN)
    FileLogHandler.bootstrap()
    atexit { for cleanup in atexit_cleanups { cleanup() } }
    do {
      var command = try Switchboard.parseAsRoot()
      try command.run()
      exit(ExitStatus.ok.rawValue)
    } catch let error as CLIError {
      Output.error("switchboard: " + error.message + "\n")
      exit(error.status.rawValue)
    } catch let error as ExitCode {
      exit(error.rawValue)
    } catch {
      let code = Switchboard.exitCode(for: error)
      let message = Switchboard.fullMessage(for: error)
      if code == .success {
        Output.write(message + "\n")
        exit(0)
      }
      Output.error(message + "\n")
      // ArgumentParser's usage errors (64) are our 2.
      exit(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
    }
  }
}
