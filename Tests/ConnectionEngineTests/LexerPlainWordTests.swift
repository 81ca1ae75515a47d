import ConnectionEngine
import Foundation
import FuzzChecks
import Testing

/// The lexer's plain-word path (ASCII words read in one pass) gives the same tokens as Calcite's
/// general rules, which it skips: over Flink's conformance table, the attack corpus, the
/// realistic scripts, and words generated next to everything that could continue them (a `$`, a
/// quote or `&` after a prefix letter, `.`/`:`/`-` runs with and without a `$`, non-ASCII).
@Suite struct LexerPlainWordTests {
  @Test func agreesWithTheGeneralRules() throws {
    var inputs = try FixtureFiles.flinkInputs()
    let pieces = [
      "a", "N", "x", "E", "u", "U", "_", "$", "9", "é", "中", "٣", "'", "''", "&", "\"", "`", ".", "..", ":", "-", "--", " ",
      "\n", "b$c", "'q'", "SELECT", "end", "exec", "Key_1", "e1", "1e5", "/*", "*/", "(", ";", "@p", "U&'x'", "_utf8'x'",
    ]
    var random = SplitMix(seed: 0x1E7E)
    for _ in 0..<30_000 {
      var text = ""
      for _ in 0..<(1 + Int(random.next() % 7)) { text += pieces[Int(random.next() % UInt64(pieces.count))] }
      inputs.append(text)
    }
    #expect(inputs.count > 30_000)
    var disagreements = 0
    for input in inputs {
      guard let problem = Lexer.plainWordDisagreement(input) else { continue }
      disagreements += 1
      if disagreements <= 5 { Issue.record("\(problem)") }
    }
    #expect(disagreements == 0)
  }
}

/// The flat keyword tables answer as a set of upper-case words would: every reserved and
/// dialect word in three cases, and near misses (one letter changed, cut short, extended).
@Suite struct WordTableTests {
  @Test func answersAsASetWould() {
    var probes: [String] = []
    for word in Keywords.reserved.union(dialectWordsForTests) {
      probes += [word, word.lowercased(), String(word.enumerated().map { $0.offset % 2 == 0 ? Character($0.element.lowercased()) : $0.element })]
      probes += [String(word.dropLast()), word + "S", word + "_", "X" + word]
      for i in word.indices { probes.append(word.replacingCharacters(in: i...i, with: word[i] == "Z" ? "A" : "Z")) }
    }
    probes += ["", "A", "a", "_", "$", "ab1", "CURRENT_TRANSFORM_GROUP_FOR_TYPF", "é", "sélect"]
    #expect(probes.count > 6_000)
    let disagreements = probes.filter(Keywords.tablesDisagree)
    #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
  }

  private var dialectWordsForTests: Set<String> { ["CONNECTION", "TEMPORARY", "RESTRICT", "CASCADE", "EXTENDED", "CATALOGS"] }
}
