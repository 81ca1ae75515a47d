import ConnectionEngine

/// Exit codes (DESIGN.md): 0 ok, 1 a statement failed, 2 usage, 3 environment.
enum ExitStatus: Int32 {
  case ok = 0, statementFailed = 1, usage = 2, environment = 3

  /// A protected namespace without its --confirm is a usage error; read-only mode and the
  /// catalog, key or server are the environment; anything else is the statement.
  init(_ error: EngineError) {
    if error.code == .protected { self = .usage } else { self = error.isEnvironmental ? .environment : .statementFailed }
  }
}

/// An error the command line reports itself and exits with.
struct CLIError: Error {
  var status: ExitStatus
  var message: String

  init(_ status: ExitStatus, _ message: String) {
    self.status = status
    self.message = message
  }

  init(_ error: EngineError) {
    self.init(ExitStatus(error), error.message)
  }
}
