import ConnectionEngine
import TerminalKit

/// What happened: input from the terminal, or the answer to an effect.
public enum AppAction {
  case input(InputEvent)
  /// `isComplete` is false for the first screenful of a big list; the rest follows.
  case connectionsLoaded(Result<ConnectionListing, EngineError>, catalog: String, database: String, isComplete: Bool = true)
  /// The selected connection read whole, for the detail pane, editing and duplicating.
  case detailLoaded(ObjectName, Result<ConnectionSummary, EngineError>)
  case namespacesLoaded([(catalog: String, database: String)])
  case submitFinished(Result<String, EngineError>)
  case commandFinished([OutputLine])
  case historyLoaded(Result<[HistoryEntry], EngineError>)
  case connectionReloaded(Result<ConnectionSummary, EngineError>)
  /// Someone else changed the catalog (or it is reachable again).
  case catalogChanged
  /// The catalog's server cannot be reached; the runtime keeps trying.
  case catalogUnreachable(String)
  /// The connection an open form edits, as the catalog now holds it.
  case formConnectionChecked(Result<ConnectionSummary, EngineError>)
  /// What the scripts folder's scripts use.
  case scriptsScanned(Result<ScriptScan, EngineError>)
  /// Each bulk item's outcome: nil for done, else why not.
  case bulkFinished([(name: String, failure: String?)])
  /// A connection's versions and the plan of restoring each.
  case versionsLoaded(ObjectName, Result<[ConnectionVersion], EngineError>, plans: [Int64: [String]])
  /// The session's last change and, for an edit, the plan of undoing it.
  case undoPrepared(Result<(change: SessionChange, plan: [String]), EngineError>)
  case restoreFinished(Result<String, EngineError>)
  /// What someone else made of the connection an open form edits, for a three-way merge.
  case mergeLoaded(Result<TheirChange, EngineError>)
}

extension AppAction {
  /// Whether the catalog may have changed since the list was read (by this session or another).
  var mayHaveChangedConnections: Bool {
    switch self {
    case .submitFinished, .commandFinished, .bulkFinished, .restoreFinished, .catalogChanged: true
    default: false
    }
  }
}

/// What the runtime must do for the reducer: talk to the engine or the terminal.
public enum AppEffect: Equatable {
  case loadConnections(catalog: String, database: String)
  /// The first `limit` connections by name at once; when there are more, all of them on
  /// another thread (keys keep working meanwhile).
  case loadFirstScreen(catalog: String, database: String, limit: Int)
  case loadNamespaces
  /// Reads one connection whole (the list holds only what its rows show).
  case loadDetail(ObjectName)
  /// Runs the statements in one transaction, the first checked against `expectedVersion`.
  case submit(statements: [String], expectedVersion: Int64?)
  /// The same, in a protected namespace whose name the user typed.
  case submitProtected(statements: [String], expectedVersion: Int64?, namespace: String)
  case runCommand(String)
  /// A `:` statement writing into a protected namespace whose name the user typed.
  case runCommandProtected(String, namespace: String)
  /// Runs each item on its own (a stale one fails alone), confirming `namespace` if protected.
  case bulk([BulkItem], namespace: String?)
  case loadHistory
  case reloadConnection(ObjectName)
  /// Reads the connection an open form edits, to tell the user at once when it changed.
  case checkFormConnection(ObjectName)
  /// Reads the scripts folder again (at start, and after the catalog changed).
  case scanScripts(String)
  case loadVersions(ObjectName)
  /// The connection as it is now and what changed since `version`, to merge a form into.
  case loadMerge(ObjectName, since: Int64)
  case prepareUndo
  /// Runs a restore or the undo, confirming `namespace` if protected.
  case restore(RestoreRequest, namespace: String?)
  case quit
}
