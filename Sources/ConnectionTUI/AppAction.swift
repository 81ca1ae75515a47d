import ConnectionEngine
import TerminalKit

/// What happened: input from the terminal, or the answer to an effect.
public enum AppAction {
  case input(InputEvent)
  case connectionsLoaded(Result<[ConnectionSummary], EngineError>, catalog: String, database: String)
  case namespacesLoaded([(catalog: String, database: String)])
  case submitFinished(Result<String, EngineError>)
  case commandFinished([OutputLine])
  case historyLoaded(Result<[HistoryEntry], EngineError>)
  case connectionReloaded(Result<ConnectionSummary, EngineError>)
}

/// What the runtime must do for the reducer: talk to the engine or the terminal.
public enum AppEffect: Equatable {
  case loadConnections(catalog: String, database: String)
  case loadNamespaces
  /// Runs the statements in one transaction, the first checked against `expectedVersion`.
  case submit(statements: [String], expectedVersion: Int64?)
  case runCommand(String)
  case loadHistory
  case reloadConnection(ObjectName)
  case quit
}
