import ConnectionEngine
import Foundation
import FuzzChecks
import Testing
import TextSafety

/// The masker's fast path never disagrees with the parser: wherever it answers, the statement
/// parses and the parse shows the same literals. Checked over Flink's conformance table, the
/// attack corpus, the demo, generated statements, and statements made to sit on its edges.
@Suite struct FastStatementTests {
  @Test func agreesWithTheParserEverywhereItAnswers() throws {
    var inputs = try FlinkVerdict.all().map(\.sql)
    inputs += AttackCorpus.all().map(\.sql)
    inputs.append(try String(contentsOf: FixtureFiles.directory.appendingPathComponent("../../../Resources/demo.sql"), encoding: .utf8))
    inputs += [
      "CREATE CONNECTION c WITH ()", "ALTER CONNECTION c SET ()", "ALTER CONNECTION c RESET ()",
      "CREATE CONNECTION if WITH ('region' = 'x')", "CREATE CONNECTION IF NOT EXISTS c WITH ('region' = 'x')",
      "ALTER CONNECTION IF EXISTS c SET ('region' = 'x')", "CREATE CONNECTION select WITH ('region' = 'x')",
      "CREATE CONNECTION a.b.c.d WITH ('region' = 'x')", "CREATE CONNECTION a. WITH ('region' = 'x')",
      "CREATE CONNECTION a.* WITH ('region' = 'x')", "CREATE CONNECTION `\(String(repeating: "n", count: 300))` WITH ('region' = 'x')",
      "CREATE CONNECTION c WITH ('region' = 'x' UESCAPE '!')", "CREATE CONNECTION c WITH ('reg''ion' = 'x')",
      "CREATE CONNECTION c WITH ('region' = 'it''s')", "CREATE CONNECTION c WITH ('region' = 'https://u:p@h')",
      "CREATE CONNECTION c COMMENT 'x' 'y' WITH ('region' = 'x')", "create temporary connection c comment 'x' with ('type'='openai')",
      "CREATE TEMPORARY SYSTEM CONNECTION c WITH ('region' = 'x')", "ALTER CONNECTION c SET ('region' = 'x',)",
      "ALTER CONNECTION c SET ('region' = 'x') extra", "ALTER CONNECTION c RESET ('region', 'endpoint')",
      "ALTER CONNECTION c RESET ('region' 'endpoint')", "CREATE CONNECTION `a``b`.c WITH ('endpoint' = 'https://h/é')",
      "CREATE CONNECTION IF NOT EXISTS c COMMENT 'x' WITH ('region' = 'x')", "create temporary connection if not exists c with ('type'='openai')",
      "CREATE OR REPLACE CONNECTION IF NOT EXISTS c WITH ('region' = 'x')", "CREATE CONNECTION IF NOT EXISTS WITH ('region' = 'x')",
      "CREATE CONNECTION IF EXISTS c WITH ('region' = 'x')", "CREATE CONNECTION IF NOT c WITH ('region' = 'x')",
      "CREATE CONNECTION IF NOT EXISTS if WITH ('region' = 'x')", "CREATE CONNECTION IF NOT EXISTS a.b.c.d WITH ('region' = 'x')",
      "ALTER CONNECTION IF NOT EXISTS c SET ('region' = 'x')", "ALTER CONNECTION IF EXISTS c RESET ('region')",
      "ALTER CONNECTION IF EXISTS IF SET ('region' = 'x')", "ALTER CONNECTION IF EXISTS SET ('region' = 'x')",
      "alter connection if exists `c` set ('api-key' = 'k')", "ALTER CONNECTION IF c SET ('region' = 'x')",
    ]
    var answered = 0
    for input in inputs {
      if let problem = Masker.fastPathDisagreement(input) {
        Issue.record("\(problem)")
      }
      answered += 1
    }
    #expect(answered > 1_500)
  }

  /// The parser's first-words check never turns away a statement the parser takes: over Flink's
  /// conformance table, the realistic scripts, the attack corpus and generated statements.
  @Test func theFirstWordsCheckNeverTurnsAwayWhatParses() throws {
    var inputs = try FixtureFiles.flinkInputs()
    var random = SplitMix(seed: 0xF125)
    for _ in 0..<5_000 { inputs.append(AttackCorpus.generated(from: random.bytes(Int(random.next() % 24)), secret: "Zk3Wq8Rm")) }
    let starts = [
      "create or replace temporary system", "Create Or Replace", "CREATE TEMPORARY", "cReAtE", "desc", "Describe", "describe extended",
      "use", "show", "Show Create", "show current", "drop temporary", "drop temporary system", "Drop System", "drop", "alter",
      "alter temporary", "ALTER SYSTEM",
    ]
    let objects = [
      "connection c", "catalog c", "database d", "CONNECTION IF NOT EXISTS c", "connection if exists a.b.c", "table t", "connections",
      "connections like 'x%'", "connections from db", "catalogs", "databases", "databases like 'd'", "catalog", "database", "c",
      "model m", "function f", "connection",
    ]
    for start in starts {
      for object in objects {
        inputs += ["\(start) \(object)", "\(start) \(object) WITH ('region' = 'x')", "\(start) \(object) SET ('region' = 'x')", "\(start) \(object) RESET ('region')"]
      }
    }
    #expect(inputs.count > 6_000)
    for input in inputs {
      if let problem = Parser.mayParseDisagreement(input) { Issue.record("\(problem)") }
    }
  }

  /// Two types agree with no type on every key the policy knows, which the fast path relies on
  /// (it does not look up the connection's type).
  @Test func thePolicyDoesNotDependOnTheTypeForKnownKeys() {
    for type in ConnectionType.all {
      for key in SecretPolicy.knownKeys.union(["k", "note", "Endpoint"]) {
        #expect(SecretPolicy.isSecret(key, type: type) == SecretPolicy.isSecret(key), "\(type.name) \(key)")
      }
    }
  }

  @Test func generatedStatementsAgree() {
    var random = SplitMix(seed: 0xFA57)
    for _ in 0..<20_000 {
      let sql = AttackCorpus.generated(from: random.bytes(Int(random.next() % 24)), secret: "Zk3Wq8Rm")
      if let problem = Masker.fastPathDisagreement(sql) {
        Issue.record("\(problem)")
        return
      }
    }
  }
}

/// Masking pieces on every core gives the same bytes as one pass, wherever the cuts fall:
/// between statements, inside a literal, a comment or an unterminated quote.
@Suite struct ParallelMaskTests {
  func masked(_ text: String, parallelAbove: Int, pieceSize: Int = 1 << 20, drainAbove: Int = 1 << 20) -> String {
    var out: [UInt8] = []
    Array(text.utf8).withUnsafeBufferPointer { bytes in
      Masker.maskForTerminal(utf8: bytes, parallelAbove: parallelAbove, pieceSize: pieceSize, drainAbove: drainAbove) { out.append(contentsOf: $0) }
    }
    return String(decoding: out, as: UTF8.self)
  }

  @Test func piecesPutTogetherEqualOnePass() throws {
    let corpus = AttackCorpus.all().map(\.sql)
    var random = SplitMix(seed: 0x5EED)
    var scripts: [String] = []
    for _ in 0..<300 {
      let picked = (0..<Int(random.next() % 12 + 2)).map { _ in corpus[Int(random.next() % UInt64(corpus.count))] }
      scripts.append(picked.joined(separator: ";\n"))
    }
    // Cuts that land inside a literal, a block comment and a line comment, and after an
    // unterminated quote: a piece does not end cleanly, so one pass from its start decides.
    scripts += [
      "ALTER CONNECTION c SET ('api-key' = 'a;\nb');\nALTER CONNECTION c SET ('api-key' = 'x;\ny')",
      "/* a;\nb;\n */ ALTER CONNECTION c SET ('endpoint' = 'e');\nSHOW CONNECTIONS",
      "-- a;\nALTER CONNECTION c SET ('endpoint' = 'e');\n-- b;\nSHOW CONNECTIONS",
      "ALTER CONNECTION c SET ('api-key' = 'open;\nALTER CONNECTION c SET ('endpoint' = 'e');\nSHOW CONNECTIONS",
      // Statements written before the split, then one the split cuts through.
      "SHOW CONNECTIONS;\nSHOW CONNECTIONS;\nALTER CONNECTION c SET ('api-key' = 'a;\nb;\nc');\nSHOW CONNECTIONS;\nSHOW CONNECTIONS",
      "SHOW CONNECTIONS;\nSHOW CONNECTIONS;\n/* x;\ny;\n */ SHOW CONNECTIONS;\nSHOW CONNECTIONS;\nSHOW CONNECTIONS",
      "SHOW CONNECTIONS;\nSELECT 1 -- a;\nFROM t;\nALTER CONNECTION c SET ('api-key' = 's');\nSHOW CONNECTIONS",
      // An E'...' whose escaped quote a piece alone reads as the end of a plain literal: the
      // statements after it are inside the literal (found by the Masker fuzz check).
      "ALTER CONNECTION c SET ('api-key' = e'a\\';\nUSE skLiveCanary42;\nSHOW CONNECTIONS;\nx');\nSHOW CONNECTIONS",
    ]
    var parallel = 0
    for script in scripts {
      let one = sanitizedForTerminal(Masker.mask(script), keepingLineBreaks: true)
      // Cut after about every statement, and in two or three pieces.
      #expect(masked(script, parallelAbove: 16, pieceSize: 16) == one, "\(script.debugDescription)")
      #expect(masked(script, parallelAbove: 16, pieceSize: script.utf8.count / 3) == one, "\(script.debugDescription)")
      // Written as it goes, after every statement, in one pass and in pieces.
      #expect(masked(script, parallelAbove: 16, pieceSize: 16, drainAbove: 1) == one, "\(script.debugDescription)")
      #expect(masked(script, parallelAbove: 1 << 30, drainAbove: 1) == one, "\(script.debugDescription)")
      if script.utf8.count > 16 { parallel += 1 }
    }
    #expect(parallel > 250)
    #expect(!masked(scripts.last!, parallelAbove: 16, pieceSize: 16).contains("skLiveCanary42"))
    #expect(masked(scripts[0], parallelAbove: 1 << 30) == sanitizedForTerminal(Masker.mask(scripts[0]), keepingLineBreaks: true))
  }
}

/// The bulk path (statements of the fast shapes without comments, copied in runs) gives the same
/// bytes as the token-by-token path, which `maskWithOffsets` always takes.
@Suite struct BulkEmissionTests {
  @Test func bulkAndTokenByTokenAgree() throws {
    var inputs = try FlinkVerdict.all().map(\.sql)
    inputs += AttackCorpus.all().map(\.sql)
    inputs.append(try String(contentsOf: FixtureFiles.directory.appendingPathComponent("../../../Resources/demo.sql"), encoding: .utf8))
    var random = SplitMix(seed: 0xB01C)
    for _ in 0..<5_000 { inputs.append(AttackCorpus.generated(from: random.bytes(Int(random.next() % 24)), secret: "Zk3Wq8Rm")) }
    inputs += [
      "CREATE CONNECTION c WITH ('type' = 'openai', 'endpoint' = 'https://h', 'api-key' = 'k')  ;  ALTER CONNECTION c SET ('region' = 'x') ",
      "CREATE CONNECTION c COMMENT 'note' WITH ('region' = 'x')\n;\n\nALTER CONNECTION c RESET ('api-key')\n-- trailing",
      "CREATE CONNECTION c WITH ('region' = 'x' /* c */)", "ALTER CONNECTION c SET ('region' = 'x') -- c",
    ]
    for input in inputs {
      let bulk = Masker.mask(input)
      let tokenByToken = Masker.maskWithOffsets(input).text
      #expect(bulk == tokenByToken, "\(input.debugDescription)")
      #expect(Masker.reasonToRefuse(input) != nil || !bulk.contains(Masker.hidden), "\(input.debugDescription)")
    }
  }
}

/// The streaming sanitiser (eight bytes at a time where it can) gives what the String one gives,
/// for every byte value in every position of a word.
@Suite struct StreamingSanitiserTests {
  @Test func streamingAndStringSanitisersAgree() {
    var random = SplitMix(seed: 0x5A41)
    var inputs: [[UInt8]] = []
    for byte in 0...255 {
      for position in 0..<9 {
        var text = Array("abcdefghijklmnop".utf8)
        text.insert(UInt8(byte), at: position)
        inputs.append(text)
      }
    }
    for _ in 0..<2_000 { inputs.append(random.bytes(Int(random.next() % 40))) }
    inputs.append(Array("ok \u{202E} \u{85} é 連 🔌 \r\n\t end".utf8))
    for input in inputs {
      for keep in [true, false] {
        var streamed: [UInt8] = []
        input.withUnsafeBufferPointer { writeSanitized(utf8: $0, keepingLineBreaks: keep) { streamed.append(contentsOf: $0) } }
        let expected = sanitizedForTerminal(String(decoding: input, as: UTF8.self), keepingLineBreaks: keep)
        #expect(String(decoding: streamed, as: UTF8.self) == expected, "\(input)")
      }
    }
  }
}

/// JSON text is valid, reads back as the exact text, and has nothing the terminal sanitiser
/// would change.
@Suite struct JSONTextTests {
  @Test func printsAsJSONSerializationDidWithEmptyListsShort() {
    let value = JSONValue.array([
      .sortedObject(["name": .string("c"), "version": .int(3), "secrets": .array([]), "options": .sortedObject(["a/b": .string("x\"y")])])
    ])
    #expect(value.pretty == "[\n  {\n    \"name\" : \"c\",\n    \"options\" : {\n      \"a/b\" : \"x\\\"y\"\n    },\n    \"secrets\" : [],\n    \"version\" : 3\n  }\n]")
    #expect(value.compact == #"[{"name":"c","options":{"a/b":"x\"y"},"secrets":[],"version":3}]"#)
  }

  @Test func everyStringReadsBackAndNeedsNoSanitising() throws {
    var random = SplitMix(seed: 0x15_0E)
    var texts = (0...0x2FF).compactMap { Unicode.Scalar($0).map { "a\($0)b" } }
    texts += ["\u{202E}", "\u{2066}x\u{2069}", "\u{2028}\u{2029}", "\u{FEFF}", "\u{E0001}", "👩‍💻", "❤️", "連 é", "\\\"", ""]
    for _ in 0..<2_000 { texts.append(String(decoding: random.bytes(Int(random.next() % 24)), as: UTF8.self)) }
    for text in texts {
      let json = JSONValue.string(text).compact
      #expect(sanitizedForTerminal(json) == json, "\(text.debugDescription) → \(json)")
      let back = try JSONSerialization.jsonObject(with: Data("[\(json)]".utf8)) as? [String]
      #expect(back == [text], "\(text.debugDescription) → \(json)")
    }
  }
}
