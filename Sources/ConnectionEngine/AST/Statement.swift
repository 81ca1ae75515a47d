/// One parsed statement of Switchboard's dialect (Flink's connection and namespace statements).
public enum Statement: Sendable, Hashable {
  case createConnection(CreateConnection)
  case alterConnection(AlterConnection)
  case dropConnection(DropConnection)
  case showConnections(ShowConnections)
  case describeConnection(name: ObjectName, isExtended: Bool)
  case showCreateConnection(ObjectName)
  case useCatalog(ObjectName)
  case useDatabase(ObjectName)
  case showCatalogs(LikeFilter?)
  case showDatabases(scope: ObjectName?, filter: LikeFilter?)
  case showCurrentCatalog
  case showCurrentDatabase
  case createCatalog(CreateCatalog)
  case createDatabase(CreateDatabase)
  case dropCatalog(name: ObjectName, ifExists: Bool)
  case dropDatabase(name: ObjectName, ifExists: Bool, cascade: Bool)
}

public struct CreateConnection: Sendable, Hashable {
  /// `OR REPLACE` is parsed and, as in Flink, has no effect.
  public var orReplace = false
  public var isTemporary = false
  /// `TEMPORARY SYSTEM`: Flink creates an ordinary temporary connection.
  public var isSystem = false
  public var ifNotExists = false
  public var name: ObjectName
  public var comment: String?
  public var options: [OptionEntry]

  public init(
    name: ObjectName, options: [OptionEntry], comment: String? = nil, isTemporary: Bool = false,
    isSystem: Bool = false, ifNotExists: Bool = false, orReplace: Bool = false
  ) {
    self.name = name
    self.options = options
    self.comment = comment
    self.isTemporary = isTemporary
    self.isSystem = isSystem
    self.ifNotExists = ifNotExists
    self.orReplace = orReplace
  }
}

public struct AlterConnection: Sendable, Hashable {
  public enum Change: Sendable, Hashable {
    case set([OptionEntry])
    case reset([SQLString])
    case rename(to: ObjectName)
  }

  public var ifExists: Bool
  public var name: ObjectName
  public var change: Change

  public init(name: ObjectName, change: Change, ifExists: Bool = false) {
    self.name = name
    self.change = change
    self.ifExists = ifExists
  }
}

public struct DropConnection: Sendable, Hashable {
  public var isTemporary = false
  public var isSystem = false
  public var ifExists = false
  public var name: ObjectName

  public init(name: ObjectName, isTemporary: Bool = false, isSystem: Bool = false, ifExists: Bool = false) {
    self.name = name
    self.isTemporary = isTemporary
    self.isSystem = isSystem
    self.ifExists = ifExists
  }
}

/// `[NOT] LIKE 'pattern'` (SQL LIKE, case-sensitive, `\` escapes).
public struct LikeFilter: Sendable, Hashable {
  public var pattern: String
  public var isNegated: Bool
  public var isCaseInsensitive: Bool

  public init(pattern: String, isNegated: Bool = false, isCaseInsensitive: Bool = false) {
    self.pattern = pattern
    self.isNegated = isNegated
    self.isCaseInsensitive = isCaseInsensitive
  }
}

public struct ShowConnections: Sendable, Hashable {
  /// `FROM|IN [catalog.]database`.
  public var scope: ObjectName?
  public var filter: LikeFilter?

  public init(scope: ObjectName? = nil, filter: LikeFilter? = nil) {
    self.scope = scope
    self.filter = filter
  }
}

public struct CreateCatalog: Sendable, Hashable {
  public var ifNotExists = false
  public var name: ObjectName
  public var comment: String?
  public var options: [OptionEntry]

  public init(name: ObjectName, options: [OptionEntry] = [], comment: String? = nil, ifNotExists: Bool = false) {
    self.name = name
    self.options = options
    self.comment = comment
    self.ifNotExists = ifNotExists
  }
}

public struct CreateDatabase: Sendable, Hashable {
  public var ifNotExists = false
  public var name: ObjectName
  public var comment: String?
  public var options: [OptionEntry]

  public init(name: ObjectName, options: [OptionEntry] = [], comment: String? = nil, ifNotExists: Bool = false) {
    self.name = name
    self.options = options
    self.comment = comment
    self.ifNotExists = ifNotExists
  }
}
