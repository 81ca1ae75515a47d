import ConnectionEngine
import Foundation
import TerminalKit

/// The properties the fuzz targets check, as functions that return what went wrong (or nil).
/// The libFuzzer targets (Fuzz/) trap on a problem; `swift test` replays every saved input
/// (Tests/ConnectionEngineTests/Fixtures/fuzz-regressions/) through the same functions.
public enum FuzzCheck {
  public static let targets = ["Lexer", "Masker", "RoundTrip", "SecretRecord", "Sanitizer", "CatalogFile", "Script"]

  public static func problem(target: String, _ input: [UInt8]) -> String? {
    switch target {
    case "Lexer": return lexer(input)
    case "Masker": return masker(input)
    case "RoundTrip": return roundTrip(input)
    case "SecretRecord": return secretRecord(input)
    case "Sanitizer": return sanitizer(input)
    case "CatalogFile": return catalogFile(input)
    case "Script": return script(input)
    default: return "unknown fuzz target \(target)"
    }
  }

  public static func trap(target: String, _ input: [UInt8]) {
    if let problem = problem(target: target, input) { fatalError("\(target): \(problem)") }
  }

  /// Any bytes → tokens in order, inside the input, ending with end of input; what lies between
  /// tokens is white space or comments.
  static func lexer(_ input: [UInt8]) -> String? {
    let tokens = Lexer.tokenize(input)
    guard let last = tokens.last, last.kind == .endOfInput, last.start == input.count else { return "no end token" }
    var previousEnd = 0
    for token in tokens {
      guard token.start >= previousEnd, token.end >= token.start, token.end <= input.count else {
        return "token \(token) out of order or bounds"
      }
      if case .lexicalError = token.kind {} else if token.kind != .endOfInput, token.end == token.start {
        return "empty token \(token)"
      }
      let gap = input[previousEnd..<token.start]
      if let first = gap.first, ![0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x2D, 0x2F].contains(first) {
        return "gap before \(token) starts with byte \(first)"
      }
      previousEnd = token.end
    }
    return nil
  }

  static let canaryA = AttackCorpus.core + "fz"
  static let canaryB = "Hq3WpN8cYt5VbM2jfz"

  /// The masker's fast path agrees with the parser (on the generated statement and on the raw
  /// input). A statement built from the input by the attack generator (keys and values in every literal
  /// form, missing or doubled separators, credentials in public values, damaged endings), with a
  /// canary in a secret position: the canary, and any 8 characters of it, never appear; and
  /// masking a different secret of the same shape gives the same text.
  static func masker(_ input: [UInt8]) -> String? {
    let statement = AttackCorpus.generated(from: input, secret: canaryA)
    if let disagreement = Masker.fastPathDisagreement(statement) { return disagreement }
    if let disagreement = Masker.fastPathDisagreement(String(decoding: input, as: UTF8.self)) { return disagreement }
    let masked = Masker.mask(statement)
    let bytes = Array(canaryA.utf8)
    for start in 0...(bytes.count - 8) where masked.contains(String(decoding: bytes[start..<(start + 8)], as: UTF8.self)) {
      return "canary window leaked: \(masked.debugDescription)"
    }
    let other = Masker.mask(AttackCorpus.generated(from: input, secret: canaryB))
    if other != masked { return "masking depends on the secret: \(masked.debugDescription) vs \(other.debugDescription)" }
    // A script of the statement around the raw input, masked for a terminal in pieces on every
    // core (cut after about every statement, and in halves), reads as in one pass.
    let script = Array([statement, String(decoding: input, as: UTF8.self), statement, statement].joined(separator: ";\n").utf8)
    let onePass = maskedForTerminal(script, parallelAbove: .max, pieceSize: 1)
    for pieceSize in [1, script.count / 2] where maskedForTerminal(script, parallelAbove: 0, pieceSize: pieceSize) != onePass {
      return "masked in pieces of \(pieceSize) differs from one pass: \(String(decoding: script, as: UTF8.self).debugDescription)"
    }
    return nil
  }

  private static func maskedForTerminal(_ bytes: [UInt8], parallelAbove: Int, pieceSize: Int) -> [UInt8] {
    var out: [UInt8] = []
    bytes.withUnsafeBufferPointer { Masker.maskForTerminal(utf8: $0, parallelAbove: parallelAbove, pieceSize: pieceSize) { out.append(contentsOf: $0) } }
    return out
  }

  /// Whole scripts as `check` reads them. On the raw input: every statement, other statement,
  /// reference and diagnostic lies inside it, in order, judging statements from sketches finds
  /// what parsing them finds, and reading it in pieces finds the same. On a script the input builds (other
  /// Flink statements around an attack statement, separators present or missing, a canary as a
  /// connection name and in secret positions): no diagnostic holds any 8 characters of it.
  static func script(_ input: [UInt8]) -> String? {
    let raw = Linter.lint(input)
    var end = 0
    let ranges = (raw.statementRanges + raw.reading.others.map(\.range)).sorted { $0.lowerBound < $1.lowerBound }
    for range in ranges {
      guard range.lowerBound >= end, range.upperBound <= input.count else { return "statement range \(range) overlaps or leaves the input" }
      end = range.upperBound
    }
    for reference in raw.reading.references where reference.offset < 0 || reference.offset > input.count {
      return "reference outside the input at \(reference.offset)"
    }
    for diagnostic in raw.diagnostics where diagnostic.offset < 0 || diagnostic.offset > input.count {
      return "diagnostic outside the input at \(diagnostic.offset)"
    }
    // Connection statements judged from sketches, as `check` judges them: as if parsed.
    if let disagreement = Linter.sketchingDisagreement(input).disagreement { return "sketched: " + disagreement }
    // Runs `check` steps over without lexing them change nothing.
    if let disagreement = Parser.skimmingDisagreement(String(decoding: input, as: UTF8.self), sketching: true).disagreement { return disagreement }
    // Read in pieces as `check` reads a long script, cut after every `;` at once and after the
    // middle one alone: the reading is the whole one.
    let text = String(decoding: input, as: UTF8.self)
    let semicolons = text.utf8.enumerated().filter { $0.element == UInt8(ascii: ";") }.map(\.offset)
    for offsets in [semicolons, semicolons.isEmpty ? [] : [semicolons[semicolons.count / 2]]] where !offsets.isEmpty {
      if let disagreement = Parser.cutReading(text, at: offsets)?.disagreement { return "read in pieces: " + disagreement }
    }

    var bytes = input.makeIterator()
    func pick<T>(_ options: [T]) -> T { options[Int(bytes.next() ?? 0) % options.count] }
    let others = [
      "SET 'a' = '\(canaryA)'", "CREATE TABLE t (a INT) WITH ('x.connection' = '\(canaryA)', 'password' = '\(canaryA)')",
      "CREATE MODEL m INPUT (a STRING) OUTPUT (b STRING) WITH ('openai.connection' = '\(canaryA)')",
      "INSERT INTO t SELECT '\(canaryA)'", "EXECUTE STATEMENT SET BEGIN INSERT INTO t SELECT '\(canaryA)'; END",
      "SELECT /*+ OPTIONS('k' = '\(canaryA)') */ 1", "CREATE TABLE t (a INT) USING CONNECTION c WITH ('k' = '\(canaryA)')",
      "SELECT '\(canaryA)", "SELECT /*+ x; '\(canaryA)' */ 1",
      "ALTER CONNECTION c SET ('k' = 'v') '\(canaryA)'", "CREATE CONNECTION '\(canaryA)' WITH ('k' = 'v')",
    ]
    let separators = [";\n", "\n", " ", ";", ";;\n", "\n-- ;\n"]
    var script = ""
    for _ in 0..<3 {
      script += pick(others) + pick(separators)
      script += AttackCorpus.generated(from: Array(input.prefix(64)), secret: canaryA) + pick(separators)
    }
    let canary = Array(canaryA.utf8)
    if let disagreement = Linter.sketchingDisagreement(Array(script.utf8)).disagreement {
      return "sketched: \(disagreement) for \(script.debugDescription)"
    }
    for dialect in FlinkDialect.allCases {
      for diagnostic in Linter.lint(Array(script.utf8), dialect: dialect).diagnostics {
        for start in 0...(canary.count - 8) where diagnostic.message.contains(String(decoding: canary[start..<(start + 8)], as: UTF8.self)) {
          return "check echoed the canary: \(diagnostic.message.debugDescription) for \(script.debugDescription)"
        }
      }
    }
    return nil
  }

  /// Every statement that parses prints to text that parses to the same statement.
  static func roundTrip(_ input: [UInt8]) -> String? {
    for parsed in Parser.parseScript(bytes: input, recover: true).statements {
      let printed = SQLPrinter.print(parsed.statement)
      let again = Parser.parseScript(printed, recover: false)
      guard again.errors.isEmpty, again.statements.map(\.statement) == [parsed.statement] else {
        return "round trip failed: \(printed.debugDescription) from \(parsed.statement)"
      }
    }
    return nil
  }

  /// Arbitrary bytes as a sealed secret record: a typed error, never a crash or a success.
  static func secretRecord(_ input: [UInt8]) -> String? {
    let cipher = SecretCipher(masterKey: Array(repeating: 1, count: 32), salt: Array(repeating: 2, count: 32))
    do {
      _ = try cipher.open(Data(input), connectionID: 1, key: "api-key", version: 1)
      return "arbitrary bytes opened as a secret"
    } catch {
      return nil
    }
  }

  /// Sanitised text has no C0, C1, DEL, bidi or invisible format characters.
  static func sanitizer(_ input: [UInt8]) -> String? {
    let text = sanitizedForTerminal(String(decoding: input, as: UTF8.self))
    for scalar in text.unicodeScalars {
      let v = scalar.value
      if v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
        || (scalar.properties.generalCategory == .format && v != 0x200D && v != 0xFE0F)
      {
        return "U+\(String(v, radix: 16)) survived sanitising"
      }
    }
    return nil
  }

  /// Arbitrary bytes as a catalog file: a clear error or a working catalog, never a crash; a
  /// file that is not ours is left as it was.
  static func catalogFile(_ input: [UInt8]) -> String? {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-fuzz-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent("catalog.sqlite").path
    for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
    // Not a finding about the input, but the check means nothing without its file.
    guard FileManager.default.createFile(atPath: path, contents: Data(input)) else { return "could not write the catalog file to check" }
    defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
    do {
      let engine = try Engine(catalogPath: path, environment: ["SWITCHBOARD_MASTER_KEY": Data(repeating: 3, count: 32).base64EncodedString()])
      _ = engine.run(script: "SHOW CONNECTIONS; CREATE CONNECTION c WITH ('k' = 'v'); DESCRIBE CONNECTION c")
    } catch {
      let now = FileManager.default.contents(atPath: path) ?? Data()
      if !input.isEmpty && now != Data(input) { return "a file that could not be opened was changed" }
    }
    return nil
  }
}
