import ConnectionEngine
import ConnectionTUI
import Foundation
import TerminalKit

/// Opens the terminal UI on the catalog (or the demo catalog) and runs it until the user quits.
enum TerminalApp {
  static func run(_ options: CatalogOptions, scriptsFolder: String? = nil, rotateAfterDays: Int? = nil) throws {
    if let scriptsFolder {
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: scriptsFolder, isDirectory: &isFolder), isFolder.boolValue else {
        throw CLIError(.usage, "--scripts \(scriptsFolder): not a folder.")
      }
    }
    let environment = Environment.all
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
    Runtime(engine: engine, backend: backend, scriptsFolder: scriptsFolder, rotateAfterDays: rotateAfterDays).run()
  }
}
