import ConnectionEngine

/// The terminal UI entry point (the UI itself is in ConnectionTUI).
enum TerminalApp {
  static func run(_ options: CatalogOptions) throws {
    throw CLIError(.environment, "The terminal UI is not built yet; use `switchboard sql`.")
  }
}
