/// What kind an other Flink statement is (`CREATE TABLE`, `SHOW CREATE VIEW`, `INSERT`, ...),
/// named by its first words, modifiers (`OR REPLACE`, `TEMPORARY`, `SYSTEM`, `IF NOT EXISTS`)
/// left out. A long script has tens of thousands of other statements and a few dozen kinds:
/// making a name (and hashing it to count it) for every statement was a tenth of `check`, so
/// the words are found by their place in one table and each kind's name is made once a piece.

/// The words that say what kind a statement is (verbs, objects, modifiers), looked up without
/// making text. Any other word is named from its text.
enum KindWord: Int, CaseIterable {
  case add, alter, analyze, begin, call, catalog, catalogs, columns, compile, connection, connections, create, current
  case database, databases, delete, desc, describe, drop, execute, explain, full, function, functions, insert
  case jar, jars, job, jobs, load, materialized, model, models, module, modules, or, partitions, plan, procedures
  case remove, replace, reset, select, set, show, statement, stop, system, table, tables, temporary, truncate
  case unload, update, use, user, values, view, views, with

  /// Each case's word, upper case, in the order of the cases (a test holds them to the names):
  /// spelling them from the cases' names through reflection cost half a millisecond a run.
  static let spellings = [
    "ADD", "ALTER", "ANALYZE", "BEGIN", "CALL", "CATALOG", "CATALOGS", "COLUMNS", "COMPILE", "CONNECTION",
    "CONNECTIONS", "CREATE", "CURRENT", "DATABASE", "DATABASES", "DELETE", "DESC", "DESCRIBE", "DROP",
    "EXECUTE", "EXPLAIN", "FULL", "FUNCTION", "FUNCTIONS", "INSERT", "JAR", "JARS", "JOB", "JOBS", "LOAD",
    "MATERIALIZED", "MODEL", "MODELS", "MODULE", "MODULES", "OR", "PARTITIONS", "PLAN", "PROCEDURES",
    "REMOVE", "REPLACE", "RESET", "SELECT", "SET", "SHOW", "STATEMENT", "STOP", "SYSTEM", "TABLE", "TABLES",
    "TEMPORARY", "TRUNCATE", "UNLOAD", "UPDATE", "USE", "USER", "VALUES", "VIEW", "VIEWS", "WITH"
  ]

  /// The words' table, and which word each of its entries is.
  private static let words = WordTable(spellings)
  private static let byEntry: [KindWord?] = {
    var byEntry = [KindWord?](repeating: nil, count: words.entryCount)
    for word in allCases { byEntry[words.entry(of: Array(spellings[word.rawValue].utf8))!] = word }
    return byEntry
  }()

  /// For tests: the cases whose spelling is not their name, upper case (reflection is fine here).
  static var misspelled: [String] {
    allCases.filter { spellings[$0.rawValue] != String(describing: $0).uppercased() }.map { "\($0)" }
      + (spellings.count == allCases.count ? [] : ["\(spellings.count) spellings for \(allCases.count) words"])
  }

  /// The word `bytes` spell (any case), if it is one of these.
  static func named<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> KindWord? where Bytes.Index == Int {
    words.entry(of: bytes).flatMap { byEntry[$0] }
  }
}

/// One part of a kind's name: a word of the statement (its token index, and which `KindWord`
/// it is), or fixed text.
enum KindPart: Equatable {
  case word(Int, KindWord?)
  case text(FixedKindText)
}

enum FixedKindText: Int {
  case select, statement, materializedTable, statementSet, plan, describe, describeJob

  var text: String {
    switch self {
    case .select: "SELECT"
    case .statement: "statement"
    case .materializedTable: "MATERIALIZED TABLE"
    case .statementSet: "STATEMENT SET"
    case .plan: "PLAN"
    case .describe: "DESCRIBE"
    case .describeJob: "DESCRIBE JOB"
    }
  }
}

/// A kind's name in one to three parts, joined by spaces.
struct KindParts {
  var parts: (KindPart, KindPart?, KindPart?)

  init(_ first: KindPart, _ second: KindPart? = nil, _ third: KindPart? = nil) {
    parts = (first, second, third)
  }

  /// Ten bits a part (a `KindWord` + 1, or 512 + a fixed text's number); nil when a word is not
  /// a `KindWord` (its kind is named each time).
  var key: Int? {
    func code(_ part: KindPart?) -> Int? {
      switch part {
      case nil: 0
      case .text(let fixed): 512 + fixed.rawValue
      case .word(_, let word): word.map { $0.rawValue + 1 }
      }
    }
    guard let first = code(parts.0), let second = code(parts.1), let third = code(parts.2) else { return nil }
    return first | second << 10 | third << 20
  }
}

extension Parser {
  /// Names (and counts, when reading a script) the kind of the statement at token `start`.
  mutating func nameOtherStatementKind(at start: Int) -> String {
    let kind = otherStatementKindParts(at: start)
    guard var names = kindNames.take() else { return name(of: kind) }
    defer { kindNames = names }
    return names.name(key: kind.key) { name(of: kind) }
  }

  func name(of kind: KindParts) -> String {
    var name = text(of: kind.parts.0)
    if let second = kind.parts.1 { name += " " + text(of: second) }
    if let third = kind.parts.2 { name += " " + text(of: third) }
    return name
  }

  private func text(of part: KindPart) -> String {
    switch part {
    case .word(let index, _): upperText(of: tokens[index])
    case .text(let fixed): fixed.text
    }
  }

  /// The parts that name the kind of the statement at token `start`.
  func otherStatementKindParts(at start: Int) -> KindParts {
    let first = tokens[start]
    if isSymbol(first, "(") { return KindParts(.text(.select)) }
    guard case .word = first.kind else { return KindParts(.text(.statement)) }
    let verbWord = kindWord(start)
    let verb = KindPart.word(start, verbWord)
    var index = start + 1
    func isWord(_ i: Int) -> Bool {
      guard i < tokens.count, case .word = tokens[i].kind else { return false }
      return true
    }
    func word(_ i: Int) -> KindPart { .word(i, kindWord(i)) }

    switch verbWord {
    case .create, .alter, .drop:
      while let modifier = kindWord(index), [.or, .replace, .temporary, .system].contains(modifier) || (verbWord == .create && modifier == .alter) {
        index += 1
      }
      guard isWord(index) else { return KindParts(verb) }
      let object = kindWord(index)
      if object == .materialized, kindWord(index + 1) == .table { return KindParts(verb, .text(.materializedTable)) }
      return KindParts(verb, .word(index, object))
    case .show:
      guard isWord(index) else { return KindParts(verb) }
      let object = kindWord(index)
      if let object, [.create, .user, .full, .current, .materialized].contains(object), isWord(index + 1) {
        return KindParts(verb, .word(index, object), word(index + 1))
      }
      return KindParts(verb, .word(index, object))
    case .execute, .explain, .begin:
      if kindWord(index) == .statement, kindWord(index + 1) == .set { return KindParts(verb, .text(.statementSet)) }
      if verbWord == .execute, kindWord(index) == .plan { return KindParts(verb, .text(.plan)) }
      return KindParts(verb)
    case .desc, .describe:
      return KindParts(.text(kindWord(index) == .job ? .describeJob : .describe))
    case .add, .remove, .load, .unload, .compile, .stop, .analyze, .truncate, .use:
      guard isWord(index) else { return KindParts(verb) }
      return KindParts(verb, word(index))
    default:
      return KindParts(verb)
    }
  }

  /// Which `KindWord` token `i` is, by the text of its upper case (a non-ASCII word may become
  /// an ASCII one: `ſhow` is `SHOW`); nil when it is another word or not a word.
  private func kindWord(_ i: Int) -> KindWord? {
    guard i < tokens.count, case .word = tokens[i].kind else { return nil }
    let token = tokens[i]
    return source.withUnsafeBufferPointer { source in
      let bytes = UnsafeBufferPointer(rebasing: source[token.start..<token.end])
      guard bytes.contains(where: { $0 >= 0x80 }) else { return KindWord.named(bytes) }
      return KindWord.named(Array(upperText(of: token).utf8))
    }
  }
}

/// The kinds of a piece's other statements, each name made once, and how many of each: a kind
/// is found again by its key (`KindParts.key`), in a table of open addressing.
struct KindNames {
  private static let slots = 256
  /// Each slot's key (0 when free), name and count.
  private var keys = [Int](repeating: 0, count: slots)
  private var names = [String](repeating: "", count: slots)
  private var counts = [Int](repeating: 0, count: slots)
  private var used = 0
  /// Kinds without a key, or beyond the table's room.
  private var others: [String: Int] = [:]

  /// The name of the kind `key` stands for (nil: a kind named each time), made by `make` the
  /// first time; counted.
  mutating func name(key: Int?, make: () -> String) -> String {
    guard let key else { return countedOther(make()) }
    var slot = Int(truncatingIfNeeded: (UInt(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> 56)
    while keys[slot] != 0 {
      if keys[slot] == key {
        counts[slot] += 1
        return names[slot]
      }
      slot = (slot + 1) & (Self.slots - 1)
    }
    // Three quarters full at most, so a search ends soon.
    guard used < Self.slots * 3 / 4 else { return countedOther(make()) }
    used += 1
    keys[slot] = key
    names[slot] = make()
    counts[slot] = 1
    return names[slot]
  }

  private mutating func countedOther(_ name: String) -> String {
    others[name, default: 0] += 1
    return name
  }

  /// How many statements of each kind were named.
  var kindCounts: [String: Int] {
    var result = others
    for slot in 0..<Self.slots where keys[slot] != 0 { result[names[slot], default: 0] += counts[slot] }
    return result
  }
}

extension Parser {
  /// For tests: the words that name statement kinds whose spelling is not their name.
  public static var misspelledKindWords: [String] { KindWord.misspelled }
}
