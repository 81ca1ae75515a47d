import ConnectionEngine
import Foundation
import PropertyBased
import Testing

@Suite struct AlterBuilderTests {
  let name = ObjectName(["cat", "db", "my`conn"])

  @Test func noChangeGivesNothing() {
    let before: [String: OptionValue] = ["endpoint": .text("https://a"), "api-key": .secretUnchanged]
    #expect(AlterBuilder.statements(for: name, before: before, after: before).isEmpty)
  }

  @Test func setsChangedAndResetsRemovedKeysQuoted() {
    let before: [String: OptionValue] = [
      "endpoint": .text("https://a"), "api-key": .secretUnchanged, "region": .text("eu"), "it's": .text("x"),
    ]
    let after: [String: OptionValue] = [
      "endpoint": .text("https://b/it's"), "api-key": .text("new-key"), "it's": .text("x"), "ünï": .text(""),
    ]
    #expect(AlterBuilder.statements(for: name, before: before, after: after) == [
      """
      ALTER CONNECTION `cat`.`db`.`my``conn` SET (
        'api-key' = 'new-key',
        'endpoint' = 'https://b/it''s',
        'ünï' = ''
      )
      """,
      "ALTER CONNECTION `cat`.`db`.`my``conn` RESET (\n  'region'\n)",
    ])
  }

  @Test func maskedPreviewHidesTheNewSecret() {
    let statements = AlterBuilder.statements(
      for: ObjectName(["c"]), before: ["api-key": .secretUnchanged], after: ["api-key": .text("sk-preview-canary")])
    #expect(Masker.mask(statements[0]) == "ALTER CONNECTION `c` SET (\n  'api-key' = '******'\n)")
  }

  static let pieces = ["a", "B", "'", "''", "`", "\"", "\\", "é", "連", "🔌", " ", "-", ".", "%", "_", "\n", "\t", "password", "key"]
  static let text = Gen.element(of: pieces).array(of: 0...5).map { $0.compactMap { $0 }.joined() }
  static let options = Gen.element(of: pieces).array(of: 1...4).map { $0.compactMap { $0 }.joined() }.array(of: 0...5)

  /// Applying the built statements to the old connection gives exactly the edited one.
  @Test func applyingTheStatementsGivesTheEditedConnection() async throws {
    let catalog = try TestCatalog(masterKey: [UInt8](repeating: 3, count: 32))
    let engine = try catalog.engine()
    try engine.must("CREATE CATALOG cat; CREATE DATABASE cat.db")
    await propertyCheck(count: 150, input: Self.options, Self.options, Self.text, Self.text) { beforeKeys, afterKeys, value, part in
      let name = ObjectName(["cat", "db", "c\(UUID().uuidString.prefix(8))" + part])
      var before = ["anchor": "1"]
      for (i, key) in beforeKeys.enumerated() { before[key] = value + String(i) }
      var after = ["anchor": "1"]
      for (i, key) in afterKeys.enumerated() { after[key] = i % 2 == 0 ? value : before[key] ?? "" }
      let create = SQLPrinter.print(.createConnection(CreateConnection(name: name, options: before.sorted { $0.key < $1.key }.map { OptionEntry($0.key, $0.value) })))
      guard (try? engine.must(create)) != nil else {
        Issue.record("could not create \(create)")
        return
      }
      let loaded = try! engine.connection(name)
      let statements = AlterBuilder.statements(for: name, before: AlterBuilder.before(loaded), after: after.mapValues { .text($0) })
      for statement in statements {
        #expect((try? engine.must(statement)) != nil, "\(statement)")
      }
      let edited = try! engine.connection(name)
      #expect(edited.options.merging(Dictionary(uniqueKeysWithValues: edited.secretKeys.map { ($0, "") })) { a, _ in a }.keys.sorted() == after.keys.sorted())
      for (key, value) in after where !edited.secretKeys.contains(key) {
        #expect(edited.options[key] == value)
      }
    }
  }
}
