import ConnectionEngine
import ConnectionTUI
import Foundation
import TerminalKit

/// Opens the terminal UI on the catalog (or the demo catalog) and runs it until the user quits.
enum TerminalApp {
  static func run(_ options: CatalogOptions) throws {
    let environment = ProcessInfo.processInfo.environment
    // Check the terminal before touching the catalog: a bad TERM must change nothing.
    let backend: CursesBackend
    do {
      backend = try CursesBackend.start(environment: environment)
    } catch {
      throw CLIError(.environment, error.description)
    }
    let engine: Engine
    do {
      engine = try options.openEngine()
    } catch {
      backend.shutdown()
      throw error
    }
    Runtime(engine: engine, backend: backend).run()
  }
}
