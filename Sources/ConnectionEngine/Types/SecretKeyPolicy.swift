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

  private static let stemBytes = stems.map { Array($0.utf8) }

  public static func isSecret(_ key: String, type: ConnectionType? = nil) -> Bool {
    if let type, type.secretKeys.contains(key) { return true }
    if flinkSensitiveKeys.contains(key) { return true }
    // Look-alike letters (Cyrillic `а`, full-width forms, ...) could smuggle a secret past the stems.
    guard key.utf8.allSatisfy({ $0 < 0x80 }) else { return true }
    let normalized = normalizedBytes(key)
    if stemBytes.contains(where: { contains(normalized, $0) }) { return true }
    return isNearMissOfStem(normalized, key: key)
  }

  /// Lower case with `-`, `_`, `.` and white space removed: `API_Key` → `apikey`.
  private static func normalizedBytes(_ key: String) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(key.utf8.count)
    for byte in key.utf8 where byte != 0x2D && byte != 0x5F && byte != 0x2E && byte != 0x20 && byte != 0x09 {
      out.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
    }
    return out
  }

  private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard haystack.count >= needle.count else { return false }
    outer: for start in 0...(haystack.count - needle.count) {
      for i in 0..<needle.count where haystack[start + i] != needle[i] { continue outer }
      return true
    }
    return false
  }

  /// `passwrd`, `tokn`, `ap-key`: one edit from a stem of five or more letters, on the whole key
  /// or on one of its dotted/dashed segments.
  private static func isNearMissOfStem(_ whole: [UInt8], key: String) -> Bool {
    var candidates = [whole]
    for segment in key.utf8.split(whereSeparator: { $0 == 0x2D || $0 == 0x5F || $0 == 0x2E || $0 == 0x20 }) where segment.count != whole.count {
      candidates.append(segment.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 })
    }
    for candidate in candidates where candidate.count >= 4 {
      for stem in stemBytes where stem.count >= 5 && abs(stem.count - candidate.count) <= 1 {
        if editDistance(candidate, stem) <= 1 { return true }
      }
    }
    return false
  }
}
