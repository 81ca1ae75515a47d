import Foundation

extension Engine {
  /// One database's connections as the list shows them (permanent and temporary), by name; with
  /// `limit`, only the first ones (a screenful, to show something at once).
  public func listing(catalog: String? = nil, database: String? = nil, limit: Int? = nil) throws(EngineError) -> ConnectionListing {
    let namespace = QualifiedName(catalog: catalog ?? currentCatalog, database: database ?? currentDatabase, name: "")
    let listing = try self.catalog.read {
      try self.catalog.requireDatabase(namespace)
      return try self.catalog.listing(catalog: namespace.catalog, database: namespace.database, limit: limit)
    }
    return withTemporaries(listing)
  }

  /// A reader of listings on its own connection to the same catalog, for another thread: the
  /// terminal UI loads a big list there while keys keep working. Its listings hold permanent
  /// connections only; `withTemporaries` adds this session's.
  public func listingReader() -> ListingReader {
    ListingReader(location: catalogPath, environment: environment)
  }

  /// `listing` with this session's temporary connections in it (they shadow permanent ones of
  /// the same name), in the order `SHOW CONNECTIONS` gives.
  public func withTemporaries(_ listing: ConnectionListing) -> ConnectionListing {
    let temporary = temporaries.filter { $0.key.catalog == listing.catalog && $0.key.database == listing.database }
    // The catalog sorts by code point; Java (and Flink) by UTF-16 unit.
    guard !temporary.isEmpty || listing.hasNamesJavaOrdersApart else { return listing }
    let shadowed = Set(temporary.keys.map(\.name))
    var rows = listing.indices.filter { !shadowed.contains(listing.name($0)) }.map { listing[$0] }
    for (name, connection) in temporary { rows.append(ListedConnection(summary(of: connection, name))) }
    rows.sort { javaOrder($0.name, $1.name) }
    var result = ConnectionListing(catalog: listing.catalog, database: listing.database)
    for row in rows { result.append(row) }
    return result
  }
}

/// Reads listings on a connection of its own (see `Engine.listingReader`). Use it from one
/// thread at a time; it opens the catalog on first use.
public final class ListingReader: @unchecked Sendable {
  private let location: String
  private let environment: [String: String]
  private var catalog: Catalog?

  init(location: String, environment: [String: String]) {
    self.location = location
    self.environment = environment
  }

  public func listing(catalog name: String, database: String) throws(EngineError) -> ConnectionListing {
    if catalog == nil { catalog = try Catalog.open(location, environment: environment) }
    let catalog = catalog!
    let namespace = QualifiedName(catalog: name, database: database, name: "")
    return try catalog.read {
      try catalog.requireDatabase(namespace)
      return try catalog.listing(catalog: name, database: database, limit: nil)
    }
  }
}
