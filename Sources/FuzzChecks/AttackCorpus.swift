import Foundation

/// Statements built to leak a secret, generated structurally: every literal form Flink accepts for
/// keys and values, missing, doubled and misplaced separators, secrets under every kind of key
/// name, credentials inside public values, comments, unterminated literals and damaged endings.
/// Random bytes rarely produce a missing comma; this produces thousands, deterministically.
///
/// Every attack carries a canary: `AttackCorpus.core` followed by a short tag of its own, so one
/// scan for the core finds a leak of any attack, and the tag says which.
public struct Attack: Sendable, CustomStringConvertible {
  public var category: String
  public var sql: String
  public var canary: String
  public var description: String { "[\(category)] \(sql.debugDescription)" }
}

public enum AttackCorpus {
  /// Random letters and digits: no 8-character window of it appears in anything else.
  public static let core = "Vq9XmZ2kLp7RtW4s"

  public static let categories = [
    "missing or misplaced separator", "key literal form", "value literal form", "credential in a public value",
    "key name", "comment, hint or unterminated literal", "statement kind",
  ]

  // MARK: Building blocks

  /// Keys whose values the policy seals: declared, Flink's, the names reviews found missing, and
  /// keys nobody declared (secret by default), near misses included.
  public static let secretKeys = [
    "api-key", "password", "token", "aws-secret-key", "client-secret", "service-key", "username", "secret",
    "key", "pass", "pw", "passcode", "jwt", "ssh-key", "master-key", "encryption.key", "signing-key",
    "ssl.client.key", "url", "uri", "dsn", "connection.uri", "k", "note", "x", "misc", "ap-key", "passwrd",
    "api_key", "Api-Key", "API-KEY", "db.password", "x-api-token", "Endpoint", "endpoint ", "auth-params",
  ]

  static let publicEntries = ["'type' = 'openai'", "'endpoint' = 'https://h.example/v1'", "'region' = 'eu-west-1'"]

  /// Ways to write the key `key` as a Flink string literal.
  static func keyForms(_ key: String) -> [String] {
    var forms = ["'\(key)'", "E'\(key)'", "e'\(key)'", "N'\(key)'", "_UTF8'\(key)'", "_utf16'\(key)'",
      "U&'\(unicodeEscaped(key, escape: "\\"))'", "u&'\(unicodeEscaped(key, escape: "!"))' UESCAPE '!'"]
    if key.count > 2 {
      let split = key.index(key.startIndex, offsetBy: key.count / 2)
      forms += ["'\(key[..<split])' '\(key[split...])'", "'\(key[..<split])'\n  '\(key[split...])'",
        "'\(key[..<split])' /* c */ '\(key[split...])'", "'\(key[..<split])' -- c\n '\(key[split...])'"]
    }
    return forms
  }

  /// Ways to write the secret value `value`.
  static func valueForms(_ value: String) -> [String] {
    let split = value.index(value.startIndex, offsetBy: value.count / 2)
    return ["'\(value)'", "E'\(value)'", "N'\(value)'", "_UTF8'\(value)'", "U&'\(unicodeEscaped(value, escape: "\\"))'",
      "'\(value[..<split])' '\(value[split...])'", "'\(value[..<split])'\n'\(value[split...])'", "'\(value)\\n'",
      "'\(value)'''", "E'\(value)\\''", "'\(value)' UESCAPE '!'", "X'\(hexOf(value))'"]
  }

  /// Credential-bearing values for public keys; `{C}` stands for the canary.
  static let credentialURLs = [
    "https://admin:{C}@h.example", "mongodb+srv://admin:{C}@cluster0.example.net/db?retryWrites=true",
    "https://{C}@h.example/v1", "admin:{C}@h.example:5432/db", "{C}@h.example", "https://h.example/v1?api_key={C}",
    "https://h.example/v1?x=1&sig={C}", "https://h.example/v1#access_token={C}", "https://h.example/v1?{C}",
    "https://h.example/v1#{C}", "jdbc:sqlserver://h:1433;databaseName=d;password={C}",
    "jdbc:postgresql://h/db?user=u&password={C}", "jdbc:mysql://u:{C}@h/db", "jdbc:oracle:thin:scott/{C}@//h:1521/svc",
    "scott/{C}@h:1521/orcl", "https://admin:p/s{C}@h.example", "https://admin:p#s{C}@h.example",
    "https://admin:p?s{C}@h.example", "https://admin:p''s{C}@h.example", "https:\\\\admin:{C}@h.example",
    "https://admin%3A{C}%40h.example", "https://h.example/v1%3Fapi_key%3D{C}", "https://admin%253A{C}%2540h.example",
    "https://h.example/v1;jsessionid={C}", "https://h.example/hook?token={C}", "redis://:{C}@h:6379",
    "amqp://u:{C}@h/vhost", "https://admin:{C}\u{FF20}h.example", "https://h.example/v1\u{FF1F}key={C}",
    "https://h.example/v1?X-Amz-Signature={C}&X-Amz-Credential=a", "https://h.example/?code={C}",
    "https://h.example/v1?auth={C}", "https://h.example/v1?apiKey={C}", "https://h.example/v1?pwd={C}",
  ]

  static let publicKeys = ["endpoint", "region", "sse-endpoint", "owner", "model", "index"]

  /// Statement frames around an option list.
  static let heads = [
    "CREATE CONNECTION c WITH (", "CREATE TEMPORARY CONNECTION c WITH (", "CREATE OR REPLACE CONNECTION IF NOT EXISTS db.c WITH (",
    "ALTER CONNECTION c SET (", "ALTER CONNECTION IF EXISTS cat.db.c SET (", "CREATE CATALOG k WITH (",
    "CREATE DATABASE d WITH (", "CREATE CONNECTION c COMMENT 'note' WITH (",
  ]

  // MARK: The corpus

  /// The whole corpus: a fixed, seeded enumeration (the same on every run).
  public static func all() -> [Attack] {
    var attacks: [Attack] = []
    var next = 0
    func add(_ category: String, _ make: (String) -> String) {
      let canary = core + tag(next)
      next += 1
      attacks.append(Attack(category: category, sql: make(canary), canary: canary))
    }
    var random = SplitMix(seed: 0x5EC2E7)

    // Missing, doubled and misplaced separators around a secret, in every statement frame.
    let separators: [(String, String)] = [  // (before the secret entry, after it)
      ("\n  ", ""), (",\n  ", "\n  "), (" ", " "), (",, ", ""), ("; ", ""), (", ", ", , "), (",\n", ";"), (" ", ",,"),
    ]
    for head in heads {
      for (before, after) in separators {
        for key in ["api-key", "password", "token", "k", "pass"] {
          add("missing or misplaced separator") { c in
            "\(head)'type' = 'openai', 'endpoint' = 'https://h.example'\(before)'\(key)' = '\(c)'\(after)'region' = 'eu')"
          }
        }
      }
      for damage in ["'api-key' '{C}'", "'api-key' = '{C}' 'endpoint' = 'e'", "'api-key' == '{C}'", "'api-key' : '{C}'",
        "'api-key' = '{C}'", "'api-key' = {C}", "'api-key' = \"{C}\"", "'api-key' '{C}' = 'x'", "('api-key' = '{C}')",
        "'api-key' = ('{C}')", "'{C}'", "'api-key' = '{C}', ,", "'api-key' = '{C}' )) oops", "= '{C}'"]
      {
        add("missing or misplaced separator") { c in "\(head)'endpoint' = 'https://h.example', \(damage.replacingOccurrences(of: "{C}", with: c))" }
      }
    }
    // Keys in every literal form, after a run of public keys (the masker once kept trusting
    // "public" until the next plain key).
    for key in ["api-key", "password", "token", "secret", "apikey", "aws-secret-key", "client-secret", "k"] {
      for form in keyForms(key) {
        for head in heads.shuffled(using: &random).prefix(3) {
          add("key literal form") { c in
            "\(head)\(publicEntries.joined(separator: ", ")), \(form) = '\(c)')"
          }
        }
      }
    }
    // Secret values in every literal form.
    for key in ["api-key", "password", "k", "endpoint"] {
      for form in 0..<valueForms("x").count {
        add("value literal form") { c in
          // For 'endpoint' the secret continues a public value: only the first literal may show.
          "CREATE CONNECTION c WITH ('type' = 'default', '\(key)' = \(key == "endpoint" ? "'https://h' " : "")\(valueForms(c)[form]))"
        }
      }
    }
    // Credentials inside public values.
    for template in credentialURLs {
      for key in publicKeys.shuffled(using: &random).prefix(2) + ["endpoint"] {
        for head in heads.shuffled(using: &random).prefix(2) {
          add("credential in a public value") { c in
            "\(head)'type' = 'mongodb', '\(key)' = '\(template.replacingOccurrences(of: "{C}", with: c))', 'username' = 'u', 'password' = 'p')"
          }
        }
      }
    }
    // Key names: declared, Flink's, the ones reviews found missing, undeclared ones.
    for key in secretKeys {
      for head in heads.shuffled(using: &random).prefix(3) {
        add("key name") { c in "\(head)'type' = 'default', '\(key)' = '\(c)')" }
      }
    }
    // Comments, hints, unterminated literals, control characters.
    let wrappers = [
      "ALTER CONNECTION c SET ('api-key' = 'x') -- {C}", "ALTER CONNECTION c /* {C} */ SET ('k' = 'v')",
      "ALTER CONNECTION c SET ('endpoint' = 'e' /* {C}", "ALTER CONNECTION c SET ('api-key' = '{C}",
      "ALTER CONNECTION c SET ('endpoint' = '{C}", "ALTER CONNECTION `c SET ('api-key' = '{C}')",
      "ALTER CONNECTION \"c SET ('api-key' = '{C}')", "CREATE CONNECTION c COMMENT '{C}' WITH ('k' = 'v')",
      "CREATE /*+ {C} */ CONNECTION c WITH ('k' = 'v')", "{C}", "SHOW CONNECTIONS LIKE 'x' {C}",
      "ALTER CONNECTION c SET ('api-key' = '{C}') ; DROP CONNECTION c", "ALTER CONNECTION c SET ('k' = '{C}\u{0}x')",
      "ALTER CONNECTION c SET ('k\u{0}' = '{C}')", "ALTER CONNECTION c SET ('endpoint' = 'https://h\u{1B}]0;x\u{07}', 'api-key' = '{C}')",
      "ALTER CONNECTION c SET ('api-key' = '{C}' \u{202E})", "ALTER CONNECTION c SET (U&'api-key' = '{C}')",
      "ALTER CONNECTION c SET ('api-key' = U&'{C}\\0041' UESCAPE)", "ALTER CONNECTION c RESET ('api-key', '{C}' = 'x')",
      "ALTER CONNECTION c SET ('endpoint' = 'https://h.example' 'api-key' = '{C}')",
      "ALTER CONNECTION c SET ('endpoint' = 'https://h.example', 'api-key' = '{C}' , 'endpoint' = 'x'",
      "CREATE CONNECTION c WITH ('type' = 'openai'\n  'endpoint' = 'https://h.example'\n  'api-key' = '{C}'\n)",
      "CREATE CONNECTION c WITH (\n  'type' = 'openai',\n  'endpoint' = 'https://h.example'\n  'api-key' = '{C}'\n);",
      "CREATE CONNECTION c WITH (\n  'type' = 'openai',\n  'api-key' = '{C}'\n  'endpoint' = 'https://h.example'\n);",
      "ALTER CONNECTION c SET ('api-key' = '******', 'password' = '{C}')", "ALTER CONNECTION c SET ('api-key' = '{C}'\r\n)",
      // A comma missing after the type joins a credential onto it: an unknown type that carries it.
      "CREATE CONNECTION c WITH ('type' = 'openai' 'https://u:{C}@h.example', 'endpoint' = 'https://h.example')",
      "CREATE CONNECTION c WITH ('type' = 'openai'\n  'https://h.example/v1?api_key={C}')",
    ]
    for wrapper in wrappers {
      add("comment, hint or unterminated literal") { c in wrapper.replacingOccurrences(of: "{C}", with: c) }
    }
    // Several statements: a secret in one must not be shown because another parses.
    for (i, first) in ["SHOW CONNECTIONS", "USE db", "DESCRIBE CONNECTION c", "CREATE CONNECTION ok WITH ('region' = 'eu')"].enumerated() {
      for second in ["ALTER CONNECTION c SET ('api-key' = '{C}')", "ALTER CONNECTION c SET ('endpoint' = 'e'\n'api-key' = '{C}')",
        "CREATE CONNECTION x\(i) WITH (E'password' = '{C}')"]
      {
        add("statement kind") { c in "\(first);\n\(second.replacingOccurrences(of: "{C}", with: c));\nSHOW CONNECTIONS" }
      }
    }
    return attacks
  }

  /// One statement generated from fuzzer bytes with the same building blocks, and the canary in
  /// a secret position; `secret` replaces the canary (to check two secrets mask alike).
  public static func generated(from input: [UInt8], secret: String) -> String {
    var bytes = input.makeIterator()
    func pick<T>(_ options: [T]) -> T { options[Int(bytes.next() ?? 0) % options.count] }
    // Sometimes after another statement, so offsets inside the script are not those of a statement.
    let head = pick(["", "", "SHOW CONNECTIONS;\n", "USE db; "]) + pick(heads)
    var entries: [String] = []
    for _ in 0..<(1 + Int(bytes.next() ?? 0) % 3) { entries.append(pick(publicEntries)) }
    let key = pick(secretKeys)
    let secretEntry: String
    switch (bytes.next() ?? 0) % 3 {
    case 0: secretEntry = "\(pick(keyForms(key))) = \(pick(valueForms(secret)))"
    case 1: secretEntry = "'\(pick(publicKeys))' = '\(pick(credentialURLs).replacingOccurrences(of: "{C}", with: secret))'"
    default: secretEntry = "'\(key)' = '\(secret)'"
    }
    entries.insert(secretEntry, at: Int(bytes.next() ?? 0) % (entries.count + 1))
    let separators = [", ", ",\n  ", "\n  ", " ", ",, ", "; ", " , , ", ""]
    var sql = head
    for (i, entry) in entries.enumerated() {
      if i > 0 { sql += pick(separators) }
      sql += entry
    }
    sql += pick([")", "", "))", ") oops", ");", ") -- end", ")\n;\nSHOW CONNECTIONS", " = 'x')"])
    // The rest of the input, with quotes and comment marks removed, as trailing noise.
    var tail: [UInt8] = []
    while let byte = bytes.next() { tail.append([0x27, 0x22, 0x60, 0x2D, 0x2F].contains(byte) ? 0x20 : byte) }
    return sql + String(decoding: tail, as: UTF8.self)
  }

  // MARK: Helpers

  static func tag(_ n: Int) -> String {
    let digits = Array("abcdefghijkmnopqrstuvwxyz")
    var n = n
    var out = ""
    repeat {
      out.append(digits[n % digits.count])
      n /= digits.count
    } while n > 0
    return out
  }

  static func unicodeEscaped(_ text: String, escape: Character) -> String {
    text.unicodeScalars.enumerated().map { i, scalar in
      i % 2 == 0 ? "\(escape)" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
        : String(scalar)
    }.joined()
  }

  static func hexOf(_ text: String) -> String { text.utf8.map { String(format: "%02X", $0) }.joined() }
}

/// A small seeded generator: the corpus, and every generated test input, is the same on every run.
public struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  public init(seed: UInt64) { state = seed }

  /// `count` bytes, for the fuzz-shaped generators.
  public mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
