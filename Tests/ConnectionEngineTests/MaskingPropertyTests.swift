import ConnectionEngine
import PropertyBased
import Testing

/// Properties of the masker and the printer over generated statements (swift-property-based).
@Suite struct MaskingPropertyTests {
  static let keys = ["api-key", "password", "token", "ap-key", "passwrd", "api_key", "Api-Key", "db.password", "k", "note", "x-y.z", "ünï"]
  static let noise = [" ", ",", "=", "'", "''", "\n", "--", "/*", "*/", "(", ")", "`", "\"", "é", "連", "X'", "N'", "E'\\", "1", "a"]
  static let secretChars = Array("abcdefXYZ0123456789-_+/")
  static let secret = Gen.element(of: secretChars).array(of: 12...24).map { String($0.compactMap { $0 }) }
  static let damage = Gen.element(of: noise).array(of: 0...6).map { $0.compactMap { $0 }.joined() }
  static let key = Gen.element(of: keys).map { $0 ?? "k" }

  static func statement(key: String, secret: String, damage: String) -> String {
    "ALTER CONNECTION cat.db.c SET ('type' = 'openai', '\(key)' = '\(secret)'\(damage)"
  }

  /// A secret in a value slot never shows, whatever follows it.
  @Test func secretsInValueSlotsNeverShow() async {
    await propertyCheck(count: 400, input: Self.key, Self.secret, Self.damage) { key, secret, damage in
      let masked = Masker.mask(Self.statement(key: key, secret: secret, damage: damage))
      let bytes = Array(secret.utf8)
      for start in 0...(bytes.count - 8) {
        #expect(!masked.contains(String(decoding: bytes[start..<(start + 8)], as: UTF8.self)), "\(masked)")
      }
    }
  }

  /// The masked text does not depend on the secret: two different secrets mask alike.
  @Test func maskingIsIndependentOfTheSecret() async {
    await propertyCheck(count: 400, input: Self.key, Self.secret, Self.secret, Self.damage) { key, a, b, damage in
      #expect(Masker.mask(Self.statement(key: key, secret: a, damage: damage)) == Masker.mask(Self.statement(key: key, secret: b, damage: damage)))
    }
  }

  static let namePart = Gen.element(of: ["c", "db", "my conn", "a`b", "é", "連接", "🔌", "x.y", "if", "select"]).map { $0 ?? "c" }
  static let text = Gen.element(of: ["", "v", "it's", "a''b", "line\nbreak", "tab\t", "ü", "🔌", "--", "/*x*/", "\\"]).map { $0 ?? "" }

  /// parse → print → parse gives the same statement, for generated statements of every kind.
  @Test func printerRoundTrip() async {
    await propertyCheck(count: 400, input: Self.namePart.array(of: 1...3), Self.text, Self.text, Gen.int(in: 0...4)) { parts, key, value, kind in
      let name = ObjectName(parts)
      let statement: Statement
      switch kind {
      case 0: statement = .createConnection(CreateConnection(name: name, options: [OptionEntry(key, value)], comment: value.isEmpty ? nil : value))
      case 1: statement = .alterConnection(AlterConnection(name: name, change: .set([OptionEntry(key, value)])))
      case 2: statement = .alterConnection(AlterConnection(name: name, change: .reset([SQLString(key)]), ifExists: true))
      case 3: statement = .dropConnection(DropConnection(name: name, isTemporary: true, ifExists: true))
      default: statement = .showConnections(ShowConnections(scope: ObjectName(Array(parts.prefix(2))), filter: LikeFilter(pattern: value, isNegated: true)))
      }
      let printed = SQLPrinter.print(statement)
      #expect((try? Parser.parse(printed).map(\.statement)) == [statement], "\(printed)")
    }
  }
}
