/// What a statement returns: rows under named columns, or just "OK".
public struct ResultSet: Sendable, Equatable {
  public var columns: [String]
  public var rows: [[String]]

  public init(columns: [String], rows: [[String]]) {
    self.columns = columns
    self.rows = rows
  }

  /// Flink's answer to a statement without rows.
  public static let ok = ResultSet(columns: ["result"], rows: [["OK"]])
}

/// One statement of a script and how it went.
public struct StatementOutcome: Sendable {
  /// The statement as written, masked.
  public var maskedText: String
  public var result: Result<ResultSet, EngineError>
}

/// A connection as the list shows it; no secret values, only which secret keys are set.
///
/// What it shows passes the secret policy once more: a stored public option whose key the policy
/// now calls secret, or whose value carries a credential (a catalog written by an earlier version),
/// is listed among the secret keys and never shown.
public struct ConnectionSummary: Sendable, Equatable {
  public var catalog: String
  public var database: String
  public var name: String
  public var type: String
  /// The endpoint, or nil when unset or when it carries a credential.
  public var endpoint: String?
  public var comment: String?
  /// Public options, kept as the catalog's JSON and decoded when read: a list of 100,000
  /// connections needs names and types at once, options only for the one on screen.
  private var optionsJSON: String
  private var storedSecretKeys: [String]
  public var isTemporary: Bool
  public var version: Int64
  public var updatedAt: Double
  /// When its secrets last changed (the newest), or nil without secrets (or not known).
  public var secretsChangedAt: Double?

  /// Whole days since the secrets last changed, at `now`; nil without secrets.
  public func secretAgeDays(now: Double) -> Int? {
    secretsChangedAt.map { max(0, Int((now - $0) / 86_400)) }
  }

  public var qualifiedName: ObjectName { ObjectName([catalog, database, name]) }

  /// The public options that may be shown.
  public var options: [String: String] {
    get { decodeOptions(optionsJSON).filter { isShowable($0.key, $0.value) } }
    set { optionsJSON = encodeOptions(newValue) }
  }

  /// Keys whose values are secret: the sealed ones, and stored options the policy hides.
  public var secretKeys: [String] {
    get {
      let hidden = decodeOptions(optionsJSON).filter { !isShowable($0.key, $0.value) }.keys
      return hidden.isEmpty ? storedSecretKeys : Array(Set(storedSecretKeys).union(hidden)).sorted()
    }
    set { storedSecretKeys = newValue }
  }

  /// Options and secret keys from one decoding (DESCRIBE of a connection with many options).
  /// Credentials the type requires that are not set (after `import`, say): names only.
  /// `secretKeys` when the caller has them already (a list row: its options are decoded once).
  public func missingSecrets(secretKeys: [String]? = nil) -> [String] {
    guard let type = ConnectionType.named(type) else { return [] }
    return OptionValidation.missingSecrets(publicOptions: [:], secretKeys: secretKeys ?? self.secretKeys, type: type)
  }

  public var optionsAndSecretKeys: (options: [String: String], secretKeys: [String]) {
    var shown: [String: String] = [:]
    var secret = Set(storedSecretKeys)
    for (key, value) in decodeOptions(optionsJSON) {
      if isShowable(key, value) { shown[key] = value } else { secret.insert(key) }
    }
    return (shown, secret.sorted())
  }

  private func isShowable(_ key: String, _ value: String) -> Bool {
    !SecretPolicy.isSecret(key, type: ConnectionType.named(type)) && CredentialCheck.finding(in: value) == nil
  }

  init(
    catalog: String, database: String, name: String, type: String, endpoint: String?, comment: String?,
    optionsJSON: String, secretKeys: [String], isTemporary: Bool, version: Int64, updatedAt: Double
  ) {
    self.catalog = catalog
    self.database = database
    self.name = name
    self.type = type
    self.endpoint = endpoint.flatMap { CredentialCheck.finding(in: $0) == nil ? $0 : nil }
    self.comment = comment
    self.optionsJSON = optionsJSON
    self.storedSecretKeys = secretKeys
    self.isTemporary = isTemporary
    self.version = version
    self.updatedAt = updatedAt
  }

  public init(
    catalog: String, database: String, name: String, type: String, endpoint: String?, comment: String?,
    options: [String: String], secretKeys: [String], isTemporary: Bool, version: Int64, updatedAt: Double
  ) {
    self.init(
      catalog: catalog, database: database, name: name, type: type, endpoint: endpoint, comment: comment,
      optionsJSON: encodeOptions(options), secretKeys: secretKeys, isTemporary: isTemporary, version: version,
      updatedAt: updatedAt)
  }
}

/// One statement of the history: masked text, when, who, how it went.
public struct HistoryEntry: Sendable, Equatable {
  public var at: Double
  public var user: String
  public var statement: String
  public var outcome: String
  public var message: String?
}
