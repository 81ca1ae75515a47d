/// The one rule for which option keys are secrets. Storage (what is sealed), display (what is
/// shown), the edit form (what echoes as a mask), the masker and the command line's refusal all
/// ask this function, so they cannot disagree. When in doubt, a key is secret.
public enum SecretPolicy {
  /// Keys whose values are not credentials and are worth showing. Any other key is secret unless
  /// its type declares it public. Keep this list short: every entry is a promise that no
  /// credential goes there (values are still checked for credentials inside, see `CredentialCheck`).
  public static let publicKeys: Set<String> = [
    "type", "endpoint", "region", "cloud", "transport-type", "sse-endpoint", "owner", "model", "deployment",
    "api-version", "index", "collection", "timeout",
  ]

  /// Flink's `DefaultConnectionFactory` list: secret whatever a type says.
  public static let flinkSensitiveKeys: Set<String> = [
    "password", "secret", "fs.azure.account.key", "apikey", "api-key", "auth-params", "service-key", "token",
    "basic-auth", "jaas.config", "http-headers",
  ]

  /// Whether `key`'s value is a secret: declared secret by its type, one of Flink's sensitive
  /// names, or simply not known to be public (neither on `publicKeys` nor declared public by
  /// `type`). Keys match exactly, as Flink's do: `Endpoint` is not `endpoint`.
  public static func isSecret(_ key: String, type: ConnectionType? = nil) -> Bool {
    if flinkSensitiveKeys.contains(key) { return true }
    if let type {
      if type.secretKeys.contains(key) { return true }
      if !type.acceptsAnyKey && type.namesKey(key) { return false }
    }
    return !publicKeys.contains(key)
  }

  /// Every key name Switchboard knows (declared by a type, public or sensitive): in text that does
  /// not parse, only these are shown where a key seems to stand, since anything else may be a
  /// secret that slipped into a key position.
  public static let knownKeys: Set<String> = publicKeys.union(flinkSensitiveKeys)
    .union(ConnectionType.all.flatMap(\.declaredKeys))

  /// A secret value that is only mask characters (`******` as the masker writes it, `••••••` as
  /// the form echoes it), give or take spaces, was pasted from masked output: not a credential.
  public static func isPastedMask(_ value: String) -> Bool {
    let marks = value.unicodeScalars.filter { $0 != " " && $0 != "\t" }
    return marks.count >= 3 && marks.allSatisfy { $0 == "*" || $0 == "\u{2022}" }
  }
}
