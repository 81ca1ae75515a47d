/// Decides which option keys are secrets. When in doubt, a key is secret.
public enum SecretKeyPolicy {
  /// Flink's `DefaultConnectionFactory` list, matched exactly.
  public static let flinkSensitiveKeys: Set<String> = [
    "password", "secret", "fs.azure.account.key", "apikey", "api-key", "auth-params", "service-key", "token",
    "basic-auth", "jaas.config", "http-headers",
  ]

  /// Stems searched for in the normalised key (lower case, `-`, `_`, `.` and spaces dropped).
  static let stems = [
    "password", "passwd", "pwd", "secret", "token", "apikey", "accesskey", "secretkey", "sessiontoken",
    "servicekey", "privatekey", "accountkey", "credential", "auth", "bearer", "jaasconfig", "httpheaders",
    "cookie", "signature", "connectionstring", "sas", "passphrase", "certificate", "pem",
  ]

  public static func isSecret(_ key: String, type: ConnectionType? = nil) -> Bool {
    if let type, type.secretKeys.contains(key) { return true }
    if flinkSensitiveKeys.contains(key) { return true }
    // Look-alike letters (Cyrillic `а`, full-width forms, ...) could smuggle a secret past the stems.
    if key.unicodeScalars.contains(where: { !$0.isASCII }) { return true }
    let normalized = normalize(key)
    if stems.contains(where: { normalized.contains($0) }) { return true }
    return isNearMissOfStem(key)
  }

  /// Lower case with `-`, `_`, `.` and white space removed: `API_Key` → `apikey`.
  static func normalize(_ key: String) -> String {
    var out = ""
    for scalar in key.unicodeScalars where !["-", "_", ".", " ", "\t"].contains(scalar) {
      out.unicodeScalars.append(contentsOf: String(scalar).lowercased().unicodeScalars)
    }
    return out
  }

  /// `passwrd`, `tokn`, `ap-key`: one edit from a stem of five or more letters, on the whole key
  /// or on one of its dotted/dashed segments.
  private static func isNearMissOfStem(_ key: String) -> Bool {
    let whole = normalize(key)
    let segments = key.lowercased().split(whereSeparator: { "-_. ".contains($0) }).map(String.init)
    for candidate in [whole] + segments where candidate.count >= 4 {
      for stem in stems where stem.count >= 5 && abs(stem.count - candidate.count) <= 1 {
        if editDistance(candidate, stem) <= 1 { return true }
      }
    }
    return false
  }
}
