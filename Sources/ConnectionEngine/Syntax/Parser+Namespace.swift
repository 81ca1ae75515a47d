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
      for other: StaticString in ["TABLE", "VIEW", "MODEL", "CATALOG", "FUNCTION", "MATERIALIZED"] where isKeyword(object, other) {
        throw unsupported(start)
      }
      throw unexpected(object, expecting: "\"CONNECTION\"")
    }
    if consume("CATALOGS") { return .showCatalogs(try parseLikeFilter(allowILike: true)) }
    if consume("DATABASES") {
      var scope: ObjectName? = nil
      if consume("FROM") || consume("IN") { scope = try parseCompoundName() }
      return .showDatabases(scope: scope, filter: try parseLikeFilter(allowILike: true))
    }
    if consume("CURRENT") {
      if consume("CATALOG") { return .showCurrentCatalog }
      if consume("DATABASE") { return .showCurrentDatabase }
      throw unexpected(peek(), expecting: "\"CATALOG\" or \"DATABASE\"")
    }
    let object = peek()
    for other: StaticString in [
      "TABLES", "VIEWS", "FUNCTIONS", "USER", "MODULES", "FULL", "JARS", "JOBS", "MODELS", "PARTITIONS",
      "COLUMNS", "PROCEDURES", "MATERIALIZED",
    ] where isKeyword(object, other) {
      throw unsupported(start)
    }
    throw unexpected(object, expecting: "\"CONNECTIONS\", \"CREATE\", \"CATALOGS\", \"DATABASES\" or \"CURRENT\"")
  }

  mutating func parseUse(start: Token) throws(ParseError) -> Statement {
    if isKeyword(peek(), "CATALOG") && !(peek(1).kind == .endOfInput || isSymbol(peek(1), ";") || isSymbol(peek(1), ".")) {
      advance()
      return .useCatalog(try parseSimpleName())
    }
    if isKeyword(peek(), "MODULES") { throw unsupported(start) }
    return .useDatabase(try parseCompoundName())
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
