import Foundation

/// Looks for a secret in every form it could leak in: raw, base64, hex (both cases),
/// percent-encoded, JSON-escaped, and any 8-byte window of it. One scanner for all leak tests.
public struct LeakScanner: Sendable {
  public let canaries: [String]
  private let forms: [(canary: String, form: String, bytes: Data)]

  public init(canaries: [String]) {
    self.canaries = canaries
    var forms: [(String, String, Data)] = []
    for canary in canaries {
      let raw = Data(canary.utf8)
      let hex = raw.map { String(format: "%02x", $0) }.joined()
      forms.append((canary, "raw", raw))
      forms.append((canary, "base64", Data(raw.base64EncodedString().utf8)))
      forms.append((canary, "hex", Data(hex.utf8)))
      forms.append((canary, "HEX", Data(hex.uppercased().utf8)))
      if let percent = canary.addingPercentEncoding(withAllowedCharacters: .alphanumerics), percent != canary {
        forms.append((canary, "percent", Data(percent.utf8)))
      }
      if let json = try? JSONEncoder().encode(canary) { forms.append((canary, "json", json.dropFirst().dropLast())) }
      let bytes = Array(raw)
      if bytes.count > 8 {
        for start in 0...(bytes.count - 8) { forms.append((canary, "window \(start)", Data(bytes[start..<(start + 8)]))) }
      }
    }
    self.forms = forms
  }

  /// The first leak found, described, or nil.
  public func leak(in data: Data) -> String? {
    for (canary, form, bytes) in forms where data.range(of: bytes) != nil { return "\(canary) (\(form))" }
    return nil
  }

  public func leak(in text: String) -> String? { leak(in: Data(text.utf8)) }
}
