/// SHOW, USE, and the catalog and database statements.
extension Parser {
  mutating func parseShow(start: Token) throws(ParseError) -> Statement {
    if consume("CONNECTIONS") {
      var scope: ObjectName? = nil
      if consume("FROM") || consume("IN") { scope = try parseCompoundName() }
      return .showConnections(ShowConnections(scope: scope, filter: try parseLikeFilter(allowILike: false)))
    }
    if consume("CREATE") {
      if consume("CONNECTION") { return .showCreateConnection(try parseCompoundName()) }
      let object = peek()
      for other: StaticString in ["TABLE", "VIEW", "MODEL", "CATALOG", "MATERIALIZED"] where isKeyword(object, other) {
        throw unsupported(start)
      }
      throw unexpected(object, expecting: "\"CONNECTION\"")
    }
    if consume("CATALOGS") { return .showCatalogs(try parseLikeFilter(allowILike: true)) }
    if consume("DATABASES") {
      var scope: ObjectName? = nil
      if consume("FROM") || consume("IN") {
        let catalog = try parseCompoundName()
        guard catalog.parts.count == 1 else {
          throw ParseError(
            kind: .validation,
            message: "Show databases from/in identifier [ \(catalog.parts.joined(separator: ".")) ] format error, catalog must be a single part identifier.",
            offset: catalog.offset, location: lines.location(of: catalog.offset))
        }
        scope = catalog
      }
      return .showDatabases(scope: scope, filter: try parseLikeFilter(allowILike: true))
    }
    if consume("CURRENT") {
      if consume("CATALOG") { return .showCurrentCatalog }
      if consume("DATABASE") { return .showCurrentDatabase }
      throw unexpected(peek(), expecting: "\"CATALOG\" or \"DATABASE\"")
    }
    let object = peek()
    if object.kind == .endOfInput || isKeyword(object, "CONNECTION") || isSymbol(object, ";") {
      throw incorrectSyntaxNear(start)
    }
    for other: StaticString in [
      "TABLES", "VIEWS", "FUNCTIONS", "USER", "MODULES", "FULL", "JARS", "JOBS", "MODELS", "PARTITIONS",
      "COLUMNS", "PROCEDURES", "MATERIALIZED",
    ] where isKeyword(object, other) {
      throw unsupported(start)
    }
    // Any other word after SHOW: Calcite gives up on SHOW itself.
    if case .word = object.kind { throw incorrectSyntaxNear(start) }
    throw unexpected(object, expecting: "\"CONNECTIONS\", \"CREATE\", \"CATALOGS\", \"DATABASES\" or \"CURRENT\"")
  }

  mutating func parseUse(start: Token) throws(ParseError) -> Statement {
    if isKeyword(peek(), "CATALOG") && !isSymbol(peek(1), ".") {
      advance()
      return .useCatalog(try parseSimpleName())
    }
    if isKeyword(peek(), "MODULES") { throw unsupported(start) }
    if !isNameSegment(peek()) { throw incorrectSyntaxNear(start) }
    return .useDatabase(try parseCompoundName())
  }

  /// Calcite's message when a statement keyword is followed by nothing it can use.
  func incorrectSyntaxNear(_ keyword: Token) -> ParseError {
    let at = location(of: keyword)
    return failure(
      .syntax,
      "Incorrect syntax near the keyword '\(text(of: keyword).uppercased())' at line \(at.line), column \(at.column).",
      at: keyword)
  }

  mutating func parseCreateCatalog() throws(ParseError) -> CreateCatalog {
    let ifNotExists = parseIfNotExists()
    let name = try parseSimpleName()
    let comment = try parseOptionalComment()
    var options: [OptionEntry] = []
    if consume("WITH") { options = try parseProperties() }
    return CreateCatalog(name: name, options: options, comment: comment, ifNotExists: ifNotExists)
  }

  mutating func parseCreateDatabase() throws(ParseError) -> CreateDatabase {
    let ifNotExists = parseIfNotExists()
    let name = try parseCompoundName()
    let comment = try parseOptionalComment()
    var options: [OptionEntry] = []
    if consume("WITH") { options = try parseProperties() }
    return CreateDatabase(name: name, options: options, comment: comment, ifNotExists: ifNotExists)
  }

  /// `[ [NOT] LIKE 'pattern' ]` (and `ILIKE` where Flink allows it).
  mutating func parseLikeFilter(allowILike: Bool) throws(ParseError) -> LikeFilter? {
    let isNegated = consume("NOT")
    var caseInsensitive = false
    if allowILike && consume("ILIKE") {
      caseInsensitive = true
    } else if !consume("LIKE") {
      if isNegated { throw unexpected(peek(), expecting: allowILike ? "\"LIKE\" or \"ILIKE\"" : "\"LIKE\"") }
      return nil
    }
    let pattern = try parsePlainString()
    return LikeFilter(pattern: pattern, isNegated: isNegated, isCaseInsensitive: caseInsensitive)
  }
}
