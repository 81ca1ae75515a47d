import ConnectionEngine
import TerminalKit

/// Everything the UI shows, as a value. Only `reduce` changes it; `render` only reads it.
public struct AppState {
  /// The catalog's server stopped answering; cleared when it is back.
  public var catalogUnreachable = false
  /// Why nothing can be written (a read-only role or file): every write key is absent.
  public var readOnlyReason: String?
  public var isReadOnly: Bool { readOnlyReason != nil }
  public var size: Size
  public var catalog = "default_catalog"
  public var database = "default_database"
  /// Every `catalog.database` pair, for the namespace picker.
  public var namespaces: [(catalog: String, database: String)] = []

  public var rows = ConnectionListing(catalog: "default_catalog", database: "default_database") {
    didSet { filtered = [] }
  }
  /// Indices into `rows` after filtering and sorting.
  public var visible: [Int] = []
  /// The filter `visible` was computed with: a needle that extends it searches only `visible`.
  var visibleNeedle: [UInt8] = []
  /// The selected connection read whole (options, comment), when it has been read; and which
  /// connection was last asked for.
  public var detail: ConnectionSummary?
  var detailRequested: DetailRequest?
  public var sort = SortOrder(column: .name, ascending: true) {
    didSet { filtered = [] }
  }
  /// The rows shown for the filters typed lately, newest last: a backspace takes its answer from
  /// here instead of searching every row again. Emptied when the rows or the sort change.
  var filtered: [(needle: [UInt8], visible: [Int])] = []
  public var filter = LineEditor()
  public var isTypingFilter = false
  /// Index into `visible`, and the first visible row on screen.
  public var selected = 0
  public var top = 0
  public var isLoading = true

  public var screen: Screen = .list
  public var dialog: Dialog?
  public var showHelp = false
  public var status: Status?
  public var shouldQuit = false
  /// Rows marked with Space (`catalog.database.name`), for a bulk drop or set.
  public var marked: Set<String> = []

  /// The time, set by the runtime (render stays pure): secrets' ages are counted from it.
  public var now: Double = 0
  /// The config's `rotate-after-days`: older secrets are flagged in the list.
  public var rotateAfterDays: Int?

  /// Globs over `catalog.database` (the config's `protected`): writes there need the name typed.
  public var protectedPatterns: [String] = []

  /// The protected namespace a write to `catalog.database` lands in, or nil.
  public func protectedNamespace(catalog: String, database: String) -> String? {
    WritePolicy(protected: protectedPatterns).isProtected(catalog: catalog, database: database) ? "\(catalog).\(database)" : nil
  }

  /// The protected namespace one of `sql`'s writes lands in (names resolved against the list's,
  /// by the engine's own rule).
  public func protectedNamespace(ofStatements sql: String) -> String? {
    guard !protectedPatterns.isEmpty, let statements = try? Parser.parse(sql) else { return nil }
    let policy = WritePolicy(protected: protectedPatterns)
    return statements.lazy.compactMap { policy.unconfirmedProtectedNamespace(of: $0.statement, catalog: catalog, database: database) }.first
  }

  /// The folder `--scripts` named, and what its scripts use (`catalog.database.name` → uses).
  public var scriptsFolder: String?
  public var scriptUses: [String: [ConnectionUse]] = [:]

  /// The statements under the scripts folder that use `connection` (none without a folder).
  public func uses(of connection: ObjectName) -> [ConnectionUse] {
    scriptUses[connection.parts.joined(separator: ".")] ?? []
  }

  public init(size: Size) {
    self.size = size
  }

  public var selectedRow: ListedConnection? {
    visible.indices.contains(selected) ? rows[visible[selected]] : nil
  }

  /// The selected connection read whole, when what was read is still the row's version.
  public var selectedDetail: ConnectionSummary? {
    guard let row = selectedRow, let detail, detail.qualifiedName == row.qualifiedName, detail.version >= row.version else { return nil }
    return detail
  }

  /// Whether an open form holds edits that quitting would lose.
  public var hasUnsavedEdits: Bool {
    if case .form(let form) = screen { return form.hasChanges }
    return false
  }
}

/// Which row's detail was last asked for (a new version asks again).
struct DetailRequest: Equatable {
  var name: ObjectName
  var version: Int64

  init(_ row: ListedConnection) {
    name = row.qualifiedName
    version = row.version
  }
}

public struct SortOrder: Sendable, Equatable {
  public enum Column: String, Sendable, CaseIterable { case name, type, endpoint, secretAge, updated }
  public var column: Column
  public var ascending: Bool
}

public enum Screen {
  case list
  case form(FormState)
  case pickType(TypePicker)
  case drop(DropState)
  case command(CommandState)
  case history(HistoryView)
  case namespaces(NamespacePicker)
  case bulkSet(BulkSetState)
  case versions(VersionsView)
  case merge(MergeState)
}

/// A connection's versions, newest first, and what restoring each would change.
public struct VersionsView: Equatable {
  public var name: ObjectName
  public var versions: [ConnectionVersion]
  /// Version → the plan from now to it (none for the current version or a tombstone).
  public var plans: [Int64: [String]]
  public var selected = 0

  public var current: ConnectionVersion? { versions.first { $0.isCurrent } }
  public var selectedVersion: ConnectionVersion? { versions.indices.contains(selected) ? versions[selected] : nil }
}

/// A restore the user asked for: one version from the versions view, or the session's undo.
public enum RestoreRequest: Equatable, Sendable {
  case version(name: ObjectName, version: Int64, expectedVersion: Int64?)
  case undo
}

/// Setting one key on every marked connection: the key, then its value (masked when secret).
public struct BulkSetState: Equatable {
  public var key = LineEditor()
  public var value = LineEditor()
  public var focusOnValue = false
  public var isSecret: Bool { SecretPolicy.isSecret(key.text) || key.text.isEmpty }
}

/// One statement of a bulk action, run on its own (with the version the list loaded).
public struct BulkItem: Equatable, Sendable {
  public var name: String
  /// The real statement (a secret value in clear): never drawn; `masked` is.
  public var statement: String
  public var masked: String
  public var version: Int64
}

public enum Dialog: Equatable {
  /// Submit? shows the plan and the masked statements.
  case confirmSubmit(plan: [String], masked: [String])
  /// The same in a protected namespace: its name must be typed.
  case confirmProtected(plan: [String], masked: [String], namespace: String, typed: LineEditor)
  /// A bulk action: what it does to how many, in which namespaces; a protected one is typed.
  case confirmBulk(title: String, lines: [String], items: [BulkItem], protectedNamespace: String?, typed: LineEditor)
  /// Restore a version, or undo the session's last change: what it does, and a typed name when
  /// the namespace is protected.
  case confirmRestore(title: String, lines: [String], request: RestoreRequest, protectedNamespace: String?, typed: LineEditor)
  /// Someone else changed the connection since the form loaded it.
  case conflict(message: String)
  case confirmQuit
  case confirmDiscard
}

public struct Status: Equatable {
  public enum Kind: Equatable { case info, success, error }
  public var kind: Kind
  public var text: String
}

public struct TypePicker: Equatable {
  public var names = ConnectionType.names
  public var selected = 0
}

public struct DropState: Equatable {
  public var name: String
  public var qualified: ObjectName
  public var version: Int64
  public var confirmation = LineEditor()
  /// How many statements in the scripts folder use it; dropping one in use asks twice.
  public var uses = 0
  public var usesAcknowledged = false
}

public struct CommandState {
  public var input = LineEditor()
  /// Earlier inputs (this session only, in memory), for up/down.
  public var inputHistory: [String] = []
  public var historyIndex: Int?
  /// Output lines, already masked.
  public var output: [OutputLine] = []
  public var scroll = 0
  /// A DROP or RENAME of a connection the scripts use, entered once: Enter again runs it.
  public var pendingInUse: String?
  /// A write into a protected namespace, waiting for that namespace's name to be typed.
  public var pendingProtected: (sql: String, namespace: String)?
}

public struct OutputLine: Equatable {
  public var text: String
  public var style: Style
}

public struct HistoryView {
  public var entries: [HistoryEntry]
  public var top = 0
}

public struct NamespacePicker {
  public var choices: [(catalog: String, database: String)]
  public var selected: Int
}
