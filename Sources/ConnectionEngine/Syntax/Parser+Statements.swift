/// Statement dispatch and the connection statements (FLIP-529 grammar of Flink 2.3.0).
extension Parser {
  /// Flink statements that exist but are not part of Switchboard's dialect.
  private static let otherStatementStarts: [StaticString] = [
    "SELECT", "INSERT", "UPSERT", "VALUES", "WITH", "EXPLAIN", "EXECUTE", "SET", "RESET", "LOAD",
    "UNLOAD", "BEGIN", "END", "ANALYZE", "DELETE", "UPDATE", "TRUNCATE", "CALL", "ADD", "REMOVE", "COMPILE", "STOP",
  ]

  mutating func parseStatement() throws(ParseError) -> Statement {
    let first = peek()
    if consume("CREATE") { return try parseCreate(start: first) }
    if consume("ALTER") { return try parseAlter(start: first) }
    if consume("DROP") { return try parseDrop(start: first) }
    if consume("SHOW") { return try parseShow(start: first) }
    if isKeyword(first, "DESCRIBE") || isKeyword(first, "DESC") {
      advance()
      return try parseDescribe(start: first)
    }
    if consume("USE") { return try parseUse(start: first) }
    if isKeyword(first, "SET") || isKeyword(first, "RESET") {
      advance()
      try parseSetOrReset(isSet: isKeyword(first, "SET"))
      throw unsupported(first)
    }
    if Self.otherStatementStarts.contains(where: { isKeyword(first, $0) }) { throw unsupported(first) }
    if isSymbol(first, "(") {
      // A parenthesised query; a lone `(` fails at its end, as in Flink.
      advance()
      if peek().kind == .endOfInput { throw unexpected(peek(), expecting: "a query") }
      throw unsupported(first)
    }
    if case .lexicalError = first.kind { throw unexpected(first, expecting: "a statement") }
    if first.kind == .endOfInput || isSymbol(first, ";") || isSymbol(first, ")") {
      throw unexpected(first, expecting: "a statement")
    }
    // Calcite reads any other start as an expression, which is not a statement.
    throw failure(.syntax, "Non-query expression encountered in illegal context", at: first)
  }

  /// False when `parseStatement` certainly fails on a statement that starts with `tokens`: it
  /// takes only CREATE [OR REPLACE] [TEMPORARY] [SYSTEM] CONNECTION, CATALOG or DATABASE; ALTER
  /// CONNECTION; DROP [TEMPORARY] [SYSTEM] CONNECTION, CATALOG or DATABASE; SHOW CONNECTIONS,
  /// CREATE, CATALOGS, DATABASES or CURRENT; DESCRIBE (DESC) CONNECTION; and USE. Decided from the
  /// first words without building a parser or an error, for the masker, which meets every
  /// statement of a Flink script (SET, INSERT, CREATE TABLE, ALTER TABLE, SHOW TABLES, ...). A
  /// test holds it to `parseStatement`.
  static func mayParse(_ tokens: UnsafeBufferPointer<Token>, in source: UnsafeBufferPointer<UInt8>) -> Bool {
    func word(_ index: Int, _ candidates: StaticString...) -> Bool {
      guard index < tokens.count, case .word = tokens[index].kind else { return false }
      let token = tokens[index]
      return candidates.contains { keyword in
        guard token.end - token.start == keyword.utf8CodeUnitCount else { return false }
        for i in 0..<keyword.utf8CodeUnitCount where source[token.start + i] & 0xDF != keyword.utf8Start[i] { return false }
        return true
      }
    }
    if word(0, "USE") { return true }
    if word(0, "ALTER", "DESCRIBE", "DESC") { return word(1, "CONNECTION") }
    if word(0, "SHOW") { return word(1, "CONNECTIONS", "CREATE", "CATALOGS", "DATABASES", "CURRENT") }
    guard word(0, "CREATE", "DROP") else { return false }
    var index = 1
    while word(index, "OR", "REPLACE", "TEMPORARY", "SYSTEM") { index += 1 }
    return word(index, "CONNECTION", "CATALOG", "DATABASE")
  }

  func unsupported(_ token: Token) -> ParseError {
    failure(
      .unsupported,
      "\(text(of: token).uppercased()) statements are not supported by Switchboard; it runs connection, catalog and database statements.",
      at: token)
  }

  // MARK: CREATE

  private mutating func parseCreate(start: Token) throws(ParseError) -> Statement {
    var orReplace = false
    if consume("OR") {
      if consume("ALTER") {
        // Only `CREATE OR ALTER MATERIALIZED TABLE` exists.
        guard isKeyword(peek(), "MATERIALIZED") else { throw unexpected(peek(), expecting: "\"MATERIALIZED\"") }
        throw unsupported(start)
      }
      try expect("REPLACE")
      orReplace = true
      if consume("OR") { throw unexpected(peek(), expecting: "\"ALTER\"") }
      if isKeyword(peek(), "MATERIALIZED") {
        throw failure(.syntax, "SQL parse failed. REPLACE MATERIALIZED TABLE is not supported.", at: peek())
      }
    }
    let isTemporary = consume("TEMPORARY")
    var isSystem = false
    if isKeyword(peek(), "SYSTEM") {
      let system = peek()
      advance()
      if !isTemporary, isKeyword(peek(), "CONNECTION") || isKeyword(peek(), "TEMPORARY") {
        throw failure(
          .syntax,
          "SQL parse failed. CREATE SYSTEM CONNECTION is not supported, system connections can only be registered as temporary connections, you can use CREATE TEMPORARY SYSTEM CONNECTION instead.",
          at: system)
      }
      if !isTemporary, isKeyword(peek(), "FUNCTION") {
        throw failure(
          .syntax,
          "SQL parse failed. CREATE SYSTEM FUNCTION is not supported, system functions can only be registered as temporary functions, you can use CREATE TEMPORARY SYSTEM FUNCTION instead.",
          at: system)
      }
      isSystem = true
    }
    let object = peek()
    if consume("CONNECTION") {
      return .createConnection(
        try parseCreateConnection(start: start, orReplace: orReplace, isTemporary: isTemporary, isSystem: isSystem))
    }
    if !isSystem {
      if consume("CATALOG") { return try parsed(.createCatalog(try parseCreateCatalog()), temporary: isTemporary, start: start) }
      if consume("DATABASE") { return try parsed(.createDatabase(try parseCreateDatabase()), temporary: isTemporary, start: start) }
    }
    if isKeyword(object, "TABLE") || isKeyword(object, "MODEL") || isKeyword(object, "FUNCTION") {
      advance()
      if !isNameSegment(peek()) { throw unexpected(peek(), expecting: "<identifier>") }
      try checkOtherDefinition(of: object, isCreate: true, from: position)
    }
    for other: StaticString in ["TABLE", "VIEW", "FUNCTION", "MODEL", "MATERIALIZED"] where isKeyword(object, other) {
      throw unsupported(object)
    }
    throw unexpected(object, expecting: "\"CONNECTION\", \"CATALOG\" or \"DATABASE\"")
  }

  private mutating func parseCreateConnection(
    start: Token, orReplace: Bool, isTemporary: Bool, isSystem: Bool
  ) throws(ParseError) -> CreateConnection {
    let ifNotExists = parseIfNotExists()
    let name = try parseCompoundName()
    let comment = try parseOptionalComment()
    try expect("WITH")
    let options = try parseProperties()
    if options.isEmpty {
      throw failure(.validation, "Connection property list can not be empty.", at: start)
    }
    return CreateConnection(
      name: name, options: options, comment: comment, isTemporary: isTemporary, isSystem: isSystem,
      ifNotExists: ifNotExists, orReplace: orReplace)
  }

  // MARK: ALTER

  private mutating func parseAlter(start: Token) throws(ParseError) -> Statement {
    if consume("TEMPORARY") {
      _ = consume("SYSTEM")
      guard isKeyword(peek(), "FUNCTION") else { throw unexpected(peek(), expecting: "\"FUNCTION\"") }
      throw unsupported(start)
    }
    if consume("SYSTEM") || consume("SESSION") {
      // Calcite's `ALTER SYSTEM|SESSION SET|RESET ...`.
      guard isKeyword(peek(), "SET") || isKeyword(peek(), "RESET") else { throw unexpected(peek(), expecting: "\"SET\" or \"RESET\"") }
      throw unsupported(start)
    }
    if isKeyword(peek(), "TABLE") || isKeyword(peek(), "MODEL") || isKeyword(peek(), "CATALOG") || isKeyword(peek(), "DATABASE") {
      let object = peek()
      advance()
      if !isNameSegment(peek()) { throw unexpected(peek(), expecting: "<identifier>") }
      try checkOtherDefinition(of: object, isCreate: false, from: position)
      throw unsupported(start)
    }
    let object = peek()
    guard consume("CONNECTION") else {
      for other: StaticString in ["TABLE", "VIEW", "FUNCTION", "MODEL", "DATABASE", "CATALOG", "TEMPORARY", "MATERIALIZED"]
      where isKeyword(object, other) {
        throw unsupported(start)
      }
      throw unexpected(object, expecting: "\"CONNECTION\"")
    }
    let ifExists = parseIfExists()
    let name = try parseCompoundName()
    if consume("SET") {
      return .alterConnection(AlterConnection(name: name, change: .set(try parseProperties()), ifExists: ifExists))
    }
    if consume("RESET") {
      return .alterConnection(AlterConnection(name: name, change: .reset(try parseKeyList()), ifExists: ifExists))
    }
    if isKeyword(peek(), "RENAME") {
      // `LOOKAHEAD(2) RENAME TO`: without TO the error points at RENAME.
      guard isKeyword(peek(1), "TO") else { throw unexpected(peek(), expecting: "\"SET\", \"RESET\" or \"RENAME TO\"") }
      advance()
      advance()
      let target = try parseCompoundName()
      return .alterConnection(AlterConnection(name: name, change: .rename(to: target), ifExists: ifExists))
    }
    throw unexpected(peek(), expecting: "\"SET\", \"RESET\" or \"RENAME\"")
  }

  // MARK: DROP

  private mutating func parseDrop(start: Token) throws(ParseError) -> Statement {
    let isTemporary = consume("TEMPORARY")
    var isSystem = false
    if isKeyword(peek(), "SYSTEM") {
      let system = peek()
      advance()
      if !isTemporary, !isKeyword(peek(), "FUNCTION") {
        throw failure(
          .syntax,
          "SQL parse failed. DROP SYSTEM CONNECTION is not supported, system connections can only be dropped as temporary connections, you can use DROP TEMPORARY SYSTEM CONNECTION instead.",
          at: system)
      }
      if isTemporary, !isKeyword(peek(), "FUNCTION"), !isKeyword(peek(), "CONNECTION") {
        throw unexpected(peek(), expecting: "\"CONNECTION\" or \"FUNCTION\"")
      }
      isSystem = true
    }
    let object = peek()
    if consume("CONNECTION") {
      let ifExists = parseIfExists()
      let name = try parseCompoundName()
      return .dropConnection(DropConnection(name: name, isTemporary: isTemporary, isSystem: isSystem, ifExists: ifExists))
    }
    if !isSystem, isTemporary, isKeyword(peek(), "CATALOG") { throw unsupported(start) }
    if !isSystem, isTemporary, consume("DATABASE") {
      _ = parseIfExists()
      _ = try parseCompoundName()
      if !consume("CASCADE") { _ = consume("RESTRICT") }
      return try parsed(.dropDatabase(name: ObjectName([]), ifExists: false, cascade: false), temporary: true, start: start)
    }
    if !isTemporary && !isSystem {
      if consume("CATALOG") {
        let ifExists = parseIfExists()
        return .dropCatalog(name: try parseCompoundName(), ifExists: ifExists)
      }
      if consume("DATABASE") {
        let ifExists = parseIfExists()
        let name = try parseCompoundName()
        var cascade = false
        if consume("CASCADE") { cascade = true } else { _ = consume("RESTRICT") }
        return .dropDatabase(name: name, ifExists: ifExists, cascade: cascade)
      }
    }
    for other: StaticString in ["TABLE", "VIEW", "FUNCTION", "MODEL", "MATERIALIZED"] where isKeyword(object, other) {
      throw unsupported(start)
    }
    throw unexpected(object, expecting: "\"CONNECTION\", \"CATALOG\" or \"DATABASE\"")
  }

  /// Flink's parser takes `TEMPORARY` on catalog and database statements and fails when
  /// executing them; so do we, once the statement has parsed to its end.
  private mutating func parsed(_ statement: Statement, temporary: Bool, start: Token) throws(ParseError) -> Statement {
    guard temporary else { return statement }
    try expectStatementEnd()
    throw failure(.unsupported, "Temporary catalogs and databases are not supported.", at: start)
  }

  // MARK: DESCRIBE

  private mutating func parseDescribe(start: Token) throws(ParseError) -> Statement {
    if consume("CONNECTION") {
      let isExtended = consume("EXTENDED")
      return .describeConnection(name: try parseCompoundName(), isExtended: isExtended)
    }
    // DESCRIBE [EXTENDED] table, DESCRIBE CATALOG/DATABASE/...: Flink statements, not ours. Parse
    // the table form far enough that a syntax error lands where Flink reports it (quirk G9).
    if isKeyword(peek(), "CATALOG") || isKeyword(peek(), "DATABASE") || isKeyword(peek(), "FUNCTION")
      || isKeyword(peek(), "MODEL") || isKeyword(peek(), "JOB")
    {
      throw unsupported(start)
    }
    _ = consume("EXTENDED")
    _ = try parseCompoundName()
    try expectStatementEnd()
    throw unsupported(start)
  }
}
