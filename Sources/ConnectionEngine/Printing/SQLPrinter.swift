import TextSafety

/// Renders a statement in Flink's canonical layout (its `unparse`): keywords upper case, every
/// name part back-quoted, options one per line. Parsing the output gives the same statement.
public enum SQLPrinter {
  public static func print(_ statement: Statement) -> String {
    switch statement {
    case .createConnection(let c):
      var head = "CREATE "
      if c.orReplace { head += "OR REPLACE " }
      if c.isTemporary { head += c.isSystem ? "TEMPORARY SYSTEM " : "TEMPORARY " }
      head += "CONNECTION " + (c.ifNotExists ? "IF NOT EXISTS " : "") + name(c.name)
      return head + commentLine(c.comment) + "\nWITH " + optionBlock(c.options)
    case .alterConnection(let a):
      let head = "ALTER CONNECTION " + (a.ifExists ? "IF EXISTS " : "") + name(a.name)
      switch a.change {
      case .set(let options): return head + " SET " + optionBlock(options)
      case .reset(let keys): return head + " RESET " + block(keys.map(literal))
      case .rename(let target): return head + " RENAME TO " + name(target)
      }
    case .dropConnection(let d):
      var text = "DROP "
      if d.isTemporary { text += d.isSystem ? "TEMPORARY SYSTEM " : "TEMPORARY " }
      return text + "CONNECTION " + (d.ifExists ? "IF EXISTS " : "") + name(d.name)
    case .showConnections(let s):
      return "SHOW CONNECTIONS" + (s.scope.map { " FROM " + name($0) } ?? "") + filter(s.filter)
    case .describeConnection(let n, let extended):
      return "DESCRIBE CONNECTION " + (extended ? "EXTENDED " : "") + name(n)
    case .showCreateConnection(let n):
      return "SHOW CREATE CONNECTION " + name(n)
    case .useCatalog(let n): return "USE CATALOG " + name(n)
    case .useDatabase(let n): return "USE " + name(n)
    case .showCatalogs(let f): return "SHOW CATALOGS" + filter(f)
    case .showDatabases(let scope, let f):
      return "SHOW DATABASES" + (scope.map { " FROM " + name($0) } ?? "") + filter(f)
    case .showCurrentCatalog: return "SHOW CURRENT CATALOG"
    case .showCurrentDatabase: return "SHOW CURRENT DATABASE"
    case .createCatalog(let c):
      return "CREATE CATALOG " + (c.ifNotExists ? "IF NOT EXISTS " : "") + name(c.name) + commentLine(c.comment)
        + (c.options.isEmpty ? "" : "\nWITH " + optionBlock(c.options))
    case .createDatabase(let d):
      return "CREATE DATABASE " + (d.ifNotExists ? "IF NOT EXISTS " : "") + name(d.name) + commentLine(d.comment)
        + (d.options.isEmpty ? "" : "\nWITH " + optionBlock(d.options))
    case .dropCatalog(let n, let ifExists):
      return "DROP CATALOG " + (ifExists ? "IF EXISTS " : "") + name(n)
    case .dropDatabase(let n, let ifExists, let cascade):
      return "DROP DATABASE " + (ifExists ? "IF EXISTS " : "") + name(n) + (cascade ? " CASCADE" : "")
    }
  }

  /// `` `cat`.`db`.`c` ``; a part with a line break (possible only through `U&"..."`) is written
  /// as a Unicode identifier, since a back-quoted one cannot span lines.
  public static func name(_ name: ObjectName) -> String {
    name.parts.map { part in
      if part.isEmpty { return "*" }
      if part.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) { return unicodeIdentifier(part) }
      return quoteIdentifier(part)
    }.joined(separator: ".")
  }

  /// `'text'` with quotes doubled, or `X'..'` for a binary literal.
  public static func literal(_ string: SQLString) -> String {
    string.isBinary ? "X'\(string.text)'" : quoteLiteral(string.text)
  }

  static func optionBlock(_ options: [OptionEntry]) -> String {
    block(options.map { literal($0.key) + " = " + literal($0.value) })
  }

  private static func block(_ lines: [String]) -> String {
    lines.isEmpty ? "()" : "(\n" + lines.map { "  " + $0 }.joined(separator: ",\n") + "\n)"
  }

  private static func commentLine(_ comment: String?) -> String {
    comment.map { "\nCOMMENT " + quoteLiteral($0) } ?? ""
  }

  private static func filter(_ filter: LikeFilter?) -> String {
    guard let filter else { return "" }
    return (filter.isNegated ? " NOT" : "") + (filter.isCaseInsensitive ? " ILIKE " : " LIKE ") + quoteLiteral(filter.pattern)
  }

  private static func unicodeIdentifier(_ part: String) -> String {
    var out = "U&\""
    for scalar in part.unicodeScalars {
      switch scalar.value {
      case 0x22: out += "\"\""
      case 0x5C: out += "\\\\"
      case 0x20..<0x7F: out.unicodeScalars.append(scalar)
      default:
        out += "\\+" + hex(scalar.value, digits: 6, uppercase: false)
      }
    }
    return out + "\""
  }
}
