/// What a connection type takes: its keys, which are required, and which are secrets.
///
/// Data only, in one place (`ConnectionType.all`), so a new type is one entry. Its parts are kept
/// in one shared box: `check` copies a type for every CREATE CONNECTION it reads, and a copy of
/// seven arrays and sets was seven reference counts to change.
public struct ConnectionType: Sendable, Equatable {
  private final class Parts: Sendable {
    let name: String
    let requiredKeys: [String]
    let optionalKeys: [String]
    let authGroups: [[String]]
    let secretKeys: Set<String>
    let declaredKeys: [String]
    let acceptsAnyKey: Bool

    init(name: String, requiredKeys: [String], optionalKeys: [String], authGroups: [[String]], secretKeys: Set<String>) {
      self.name = name
      self.requiredKeys = requiredKeys
      self.optionalKeys = optionalKeys
      self.authGroups = authGroups
      self.secretKeys = secretKeys
      var keys = ["type"] + requiredKeys
      for key in authGroups.joined() + optionalKeys where !keys.contains(key) { keys.append(key) }
      declaredKeys = keys
      acceptsAnyKey = name == "default"
    }
  }

  private let parts: Parts

  public var name: String { parts.name }
  /// Keys that must always be present (besides `type`).
  public var requiredKeys: [String] { parts.requiredKeys }
  public var optionalKeys: [String] { parts.optionalKeys }
  /// Credential groups; when not empty, at least one group must be complete.
  public var authGroups: [[String]] { parts.authGroups }
  /// Keys whose values go to the secret store and are never shown again.
  public var secretKeys: Set<String> { parts.secretKeys }
  /// Every key this type declares, in form order: required, then credential groups, then optional.
  public var declaredKeys: [String] { parts.declaredKeys }

  public init(name: String, requiredKeys: [String], optionalKeys: [String], authGroups: [[String]], secretKeys: Set<String>) {
    parts = Parts(name: name, requiredKeys: requiredKeys, optionalKeys: optionalKeys, authGroups: authGroups, secretKeys: secretKeys)
  }

  public static func == (a: ConnectionType, b: ConnectionType) -> Bool {
    a.parts === b.parts
      || (a.name == b.name && a.requiredKeys == b.requiredKeys && a.optionalKeys == b.optionalKeys && a.authGroups == b.authGroups
        && a.secretKeys == b.secretKeys)
  }

  /// `default`, Flink's generic type: any key. (Decided once: `check` asks for every key.)
  public var acceptsAnyKey: Bool { parts.acceptsAnyKey }

  public func declares(_ key: String) -> Bool { acceptsAnyKey || namesKey(key) }

  /// Whether the type names `key` among its keys (for `default`, only `type`). Compared one by
  /// one: a type has at most a dozen keys, and hashing each key `check` reads cost more.
  public func namesKey(_ key: String) -> Bool { parts.declaredKeys.contains(key) }
}

extension ConnectionType {
  public static func named(_ name: String) -> ConnectionType? {
    if let exact = byName[name] { return exact }
    return byName[name.lowercased()]
  }

  private static let byName: [String: ConnectionType] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

  private static let apiKey = ["api-key"]
  private static let basic = ["username", "password"]
  private static let bearer = ["token"]
  private static let oauth = ["token-endpoint", "client-id", "client-secret", "scope"]
  private static let aws = ["aws-access-key", "aws-secret-key"]
  /// Confluent sends all of these in a connection's secret payload (`auth_data`).
  private static let confluentSecrets: Set<String> = [
    "api-key", "aws-access-key", "aws-secret-key", "aws-session-token", "service-key", "username", "password",
    "token", "token-endpoint", "client-id", "client-secret", "scope",
  ]

  private static func keyed(_ name: String, _ group: [String], optional: [String] = []) -> ConnectionType {
    ConnectionType(
      name: name, requiredKeys: ["endpoint"], optionalKeys: optional, authGroups: [group],
      secretKeys: confluentSecrets)
  }

  private static func oneOf(_ name: String, _ groups: [[String]], optional: [String] = [], authOptional: Bool = false)
    -> ConnectionType
  {
    ConnectionType(
      name: name, requiredKeys: ["endpoint"], optionalKeys: optional + (authOptional ? groups.flatMap { $0 } : []),
      authGroups: authOptional ? [] : groups, secretKeys: confluentSecrets)
  }

  /// Confluent Cloud's connection types (spec §7) and Flink's `default`.
  public static let all: [ConnectionType] = [
    ConnectionType(name: "default", requiredKeys: [], optionalKeys: [], authGroups: [], secretKeys: []),
    keyed("openai", apiKey), keyed("azureml", apiKey), keyed("azureopenai", apiKey), keyed("anthropic", apiKey),
    keyed("fireworksai", apiKey), keyed("googleai", apiKey), keyed("cosmosdb", apiKey), keyed("pinecone", apiKey),
    oneOf("elastic", [apiKey, basic]),
    keyed("bedrock", aws, optional: ["aws-session-token"]),
    keyed("sagemaker", aws, optional: ["aws-session-token"]),
    keyed("s3vectors", aws, optional: ["aws-session-token"]),
    keyed("vertexai", ["service-key"]),
    keyed("mongodb", basic), keyed("couchbase", basic), keyed("confluent_jdbc", basic),
    oneOf("rest", [basic, bearer, oauth]),
    oneOf("a2a", [apiKey, basic, bearer, oauth]),
    oneOf("mcp_server", [apiKey, bearer, oauth, basic], optional: ["sse-endpoint", "transport-type"], authOptional: true),
  ]

  public static var names: [String] { all.map(\.name) }
}
