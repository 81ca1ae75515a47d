/// Finds credentials carried inside a value that would otherwise be public, such as an endpoint:
/// user info (`mongodb+srv://admin:pw@…`, scheme-less `user:pw@host`, Oracle's `scott/tiger@…`),
/// credential parameters in a query, fragment or path (`?api_key=…`, `#access_token=…`,
/// JDBC's `;password=…`), and bare tokens after `?` or `#`. Percent-encoded separators are decoded
/// first (twice over, for double encoding), `\` counts as `/`, and look-alike `@ ? # & ; =` forms
/// count as the real ones.
///
/// The rule is the same everywhere: the engine refuses to store such a value, and every display
/// path hides it, so a credential in a public value is never written or shown in clear.
public enum CredentialCheck {
  public enum Finding: Sendable, Equatable, CustomStringConvertible {
    case userInfo
    case parameter(String)
    case bareParameter

    public var description: String {
      switch self {
      case .userInfo: return "user info before '@'"
      // The name is not quoted: `?x-token-<secret>=1` would put the secret in the message.
      case .parameter: return "a credential parameter in its query, fragment or path"
      case .bareParameter: return "a bare value after '?' or '#'"
      }
    }
  }

  /// What credential `value` carries, or nil when it carries none.
  public static func finding(in value: String) -> Finding? {
    // Fast path: a value without any separator of interest (or its encodings) carries nothing.
    if !value.utf8.contains(where: { $0 == 0x40 || $0 == 0x3F || $0 == 0x23 || $0 == 0x3B || $0 == 0x26 || $0 == 0x25 || $0 >= 0x80 }) {
      return nil
    }
    let text = normalized(value)
    if text.contains(0x40) { return .userInfo }
    // Parameters: everything after the first `?`, `#` or `;`, split at `?`, `#`, `&` and `;`.
    guard let first = text.firstIndex(where: { $0 == 0x3F || $0 == 0x23 || $0 == 0x3B }) else { return nil }
    var start = first
    while start < text.count {
      let separator = text[start]
      var end = start + 1
      while end < text.count && !isSeparator(text[end]) { end += 1 }
      let part = text[(start + 1)..<end]
      if let equals = part.firstIndex(of: 0x3D) {
        let name = part[part.startIndex..<equals]
        if isCredentialName(name) { return .parameter(String(decoding: name, as: UTF8.self)) }
      } else if !part.isEmpty && separator != 0x3B {
        // `?token` or `#token`: a bare query or fragment may be a key (`;x` in a path is not).
        return .bareParameter
      }
      start = end
    }
    return nil
  }

  private static func isSeparator(_ byte: UInt8) -> Bool { byte == 0x3F || byte == 0x23 || byte == 0x26 || byte == 0x3B }

  /// Stems of parameter names that carry credentials, matched in the lower-cased name with
  /// `-`, `_`, `.` and spaces removed (`X-Api-Key` → `xapikey`).
  static let credentialStems: [[UInt8]] = [
    "pass", "pwd", "secret", "token", "key", "sig", "auth", "cred", "session", "jwt", "bearer", "cookie", "sas",
    "private", "cert", "otp", "code", "hash", "hmac", "nonce", "ticket", "login", "sid",
  ].map { Array($0.utf8) }

  /// Names with a credential stem that are known not to carry one (MongoDB's options).
  static let benignNames: Set<[UInt8]> = Set(["authsource", "authmechanism"].map { Array($0.utf8) })

  static func isCredentialName(_ name: ArraySlice<UInt8>) -> Bool {
    var key: [UInt8] = []
    for byte in name where byte != 0x2D && byte != 0x5F && byte != 0x2E && byte != 0x20 {
      key.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
    }
    if key == Array("pw".utf8) || key == Array("p".utf8) { return true }
    if benignNames.contains(key) { return false }
    // A name with non-ASCII letters could hide a stem behind look-alikes.
    if key.contains(where: { $0 >= 0x80 }) { return true }
    return credentialStems.contains { stem in contains(key, stem) }
  }

  /// Percent-decoded (twice), `\` as `/`, look-alike separators folded to ASCII.
  static func normalized(_ value: String) -> [UInt8] {
    var bytes = Array(foldingLookAlikes(value).utf8)
    for _ in 0..<2 where bytes.contains(0x25) { bytes = percentDecoded(bytes) }
    return bytes.map { $0 == 0x5C ? 0x2F : $0 }
  }

  private static func foldingLookAlikes(_ value: String) -> String {
    guard value.utf8.contains(where: { $0 >= 0x80 }) else { return value }
    var out = String.UnicodeScalarView()
    for scalar in value.unicodeScalars {
      switch scalar.value {
      case 0xFF20, 0xFE6B: out.append("@")
      case 0xFF1F, 0xFE56: out.append("?")
      case 0xFF03, 0xFE5F: out.append("#")
      case 0xFF06, 0xFE60: out.append("&")
      case 0xFF1B, 0xFE54: out.append(";")
      case 0xFF1D, 0xFE66: out.append("=")
      case 0xFF05, 0xFE6A: out.append("%")
      default: out.append(scalar)
      }
    }
    return String(out)
  }

  private static func percentDecoded(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = 0
    while i < bytes.count {
      if bytes[i] == 0x25, i + 2 < bytes.count, let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) {
        out.append(high << 4 | low)
        i += 3
      } else {
        out.append(bytes[i])
        i += 1
      }
    }
    return out
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: return byte - 0x30
    case 0x41...0x46: return byte - 0x41 + 10
    case 0x61...0x66: return byte - 0x61 + 10
    default: return nil
    }
  }

  private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard haystack.count >= needle.count else { return false }
    outer: for start in 0...(haystack.count - needle.count) {
      for i in 0..<needle.count where haystack[start + i] != needle[i] { continue outer }
      return true
    }
    return false
  }
}
