import ConnectionEngine
import Foundation
import Testing

/// A missing connection a script names gets the close name Flink users would have meant, the
/// same however often it is asked and however the script's CREATEs and DROPs change the names
/// in between: checked against a brute-force search over the names present at each reference.
@Suite struct ReferenceSuggestionTests {
  /// Optimal string alignment distance, written here again as the oracle.
  static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in stride(from: 1, through: a.count, by: 1) {
      for j in stride(from: 1, through: b.count, by: 1) {
        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
      }
    }
    return d[a.count][b.count]
  }

  /// The first name in sorted order at the smallest distance within 1 (2 from 6 characters).
  static func expected(for word: String, among names: Set<String>) -> String? {
    var best: (String, Int)?
    for name in names.sorted() where name != word {
      let limit = min(word.count, name.count) >= 6 ? 2 : 1
      let d = distance(Array(word.lowercased().unicodeScalars), Array(name.lowercased().unicodeScalars))
      if d <= limit && d < (best?.1 ?? Int.max) { best = (name, d) }
    }
    return best?.0
  }

  @Test func suggestionsFollowTheNamesTheScriptChanges() throws {
    let catalog = try TestCatalog(masterKey: Array(repeating: 7, count: 32))
    let engine = try catalog.engine()
    var present: Set<String> = []
    var stems = ["orders", "order", "ordres", "users", "user_db", "mongo_orders", "mongo_order", "kafka", "Kafka", "caf\u{E9}", "cafe\u{301}", "\u{130}x", "ix"]
    stems += (0..<60).map { "svc_\($0)" }
    let created = stems.map { "`\($0)`" }.map { "CREATE CONNECTION \($0) WITH ('type' = 'default')" }
    for outcome in engine.run(script: created.joined(separator: ";\n")) { #expect((try? outcome.result.get()) != nil, "\(outcome.maskedText)") }
    present = Set(stems)

    // References to missing names near the stems, with the script's own CREATEs and DROPs between them.
    let missing = ["usxr_dq", "ordrs", "orderz", "usrs", "user_dbb", "mongo_ordr", "kafak", "\u{212A}afka", "cafe", "i\u{307}x", "svc_7x", "svc_11", "svc_", "zzzz"]
    var script: [String] = []
    var expectations: [(word: String, exists: Bool, suggestion: String?)] = []
    for round in 0..<4 {
      for word in missing {
        script.append("CREATE TABLE t (a INT) WITH ('x.connection' = '\(word)')")
        // Names are compared as Swift compares text: the Kelvin sign's `Kafka` is `Kafka`.
        expectations.append((word, present.contains(word), present.contains(word) ? nil : Self.expected(for: word, among: present)))
      }
      // Each round adds names closer to some missing ones and drops names others were answered with.
      let adding = ["ordr", "ordars", "zzz\(round)", "kafk\(round)", "svc_7\(round)", "usr\(round)"]
      let dropping = [["orders", "kafka"], ["svc_7", "users"], ["ordres", "Kafka"], ["mongo_orders", "cafe\u{301}"]][round]
      for name in adding where !present.contains(name) {
        script.append("CREATE CONNECTION `\(name)` WITH ('type' = 'default')")
        present.insert(name)
      }
      for name in dropping where present.contains(name) {
        script.append("DROP CONNECTION `\(name)`")
        present.remove(name)
      }
    }
    let reading = Parser.readScript(bytes: Array(script.joined(separator: ";\n").utf8))
    let resolved = try engine.resolveReferences(in: reading)
    #expect(resolved.count == expectations.count)
    #expect(resolved.filter { $0.suggestion != nil }.count > 20)
    #expect(resolved.contains { !$0.exists && $0.suggestion == nil })
    for (found, wanted) in zip(resolved, expectations) {
      #expect(found.exists == wanted.exists, "\(wanted.word)")
      #expect(found.suggestion == wanted.suggestion, "\(wanted.word)")
    }
  }
}
