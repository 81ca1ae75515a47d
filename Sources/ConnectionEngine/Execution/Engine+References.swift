/// A connection a script names, resolved against the catalog.
public struct ResolvedReference: Sendable, Equatable {
  public var reference: ConnectionReference
  /// The connection it names, `catalog.database.name`, or nil when the name cannot be a
  /// connection's (too many parts).
  public var connection: ObjectName?
  /// Whether that connection exists (in the catalog, or created earlier in the script).
  public var exists: Bool
  /// A connection of a close name in the same database, when it does not exist.
  public var suggestion: String?
}

extension Engine {
  /// Resolves every connection reference of a script in script order, as Flink would when running
  /// it: `USE` and `USE CATALOG` move the current namespace, and connections the script creates,
  /// drops or renames before the reference count. Nothing is executed; the engine's own current
  /// namespace is left as it was.
  public func resolveReferences(in reading: ScriptReading) throws(EngineError) -> [ResolvedReference] {
    var names: [String: Set<String>] = [:]
    return try resolveReferences(in: reading, names: &names)
  }

  /// The same, with the catalog's connection names by `catalog\0database` kept in `names`, so a
  /// folder of scripts reads each database's names once.
  func resolveReferences(in reading: ScriptReading, names catalogNames: inout [String: Set<String>]) throws(EngineError) -> [ResolvedReference] {
    var catalogName = currentCatalog
    var databaseName = currentDatabase
    // This script's own CREATEs, DROPs and RENAMEs stay here; `catalogNames` holds the catalog's.
    var names: [String: Set<String>] = [:]
    func namesIn(_ catalog: String, _ database: String) throws(EngineError) -> Set<String> {
      let key = catalog + "\u{0}" + database
      if let known = names[key] ?? catalogNames[key] { return known }
      let found = Set(try self.catalog.read { try self.catalog.connectionNames(catalog: catalog, database: database) })
      catalogNames[key] = found
      return found
    }
    func qualified(_ name: ObjectName) -> QualifiedName? {
      let parts = name.parts
      switch parts.count {
      case 1: return QualifiedName(catalog: catalogName, database: databaseName, name: parts[0])
      case 2: return QualifiedName(catalog: catalogName, database: parts[0], name: parts[1])
      case 3: return QualifiedName(catalog: parts[0], database: parts[1], name: parts[2])
      default: return nil
      }
    }
    // Close names for a missing connection, by database: its names prepared once, and each
    // missing name's answer kept, and mended when the script creates or drops a connection there.
    var suggesters: [String: NameSuggester] = [:]
    var suggestions: [String: [String: (word: SuggestionWord, answer: Suggestion?)]] = [:]
    func suggestion(for name: QualifiedName, among known: Set<String>) -> String? {
      let key = name.catalog + "\u{0}" + name.database
      if let found = suggestions[key]?[name.name] { return found.answer?.name }
      if suggesters[key] == nil { suggesters[key] = NameSuggester(known) }
      let word = SuggestionWord(name.name)
      let found = suggesters[key]!.closest(to: word)
      suggestions[key, default: [:]][name.name] = (word, found)
      return found?.name
    }

    func update(_ name: QualifiedName, adding: Bool) throws(EngineError) {
      let key = name.catalog + "\u{0}" + name.database
      // Changed in place: the database's names are copied once, at the script's first change
      // there, not at each (a copy of a 100,000-name set for every CREATE of a long script).
      if names[key] == nil { names[key] = try namesIn(name.catalog, name.database) }
      guard adding != names[key]!.contains(name.name) else { return }
      if adding {
        names[key]!.insert(name.name)
        suggesters[key]?.insert(name.name)
      } else {
        names[key]!.remove(name.name)
        suggesters[key]?.remove(name.name)
      }
      // A new name may answer a missing one better; a name gone leaves those it answered to be asked again.
      guard let asked = suggestions[key] else { return }
      let changed = SuggestionWord(name.name)
      for (text, entry) in asked {
        if adding, text != name.name, let distance = entry.word.distanceWithinLimit(to: changed) {
          let found = Suggestion(name: name.name, distance: distance)
          if found.isBetter(than: entry.answer) { suggestions[key]![text]!.answer = found }
        }
        if !adding, entry.answer?.name == name.name { suggestions[key]![text] = nil }
      }
    }
    var resolved: [ResolvedReference] = []
    var changes = reading.nameChanges[...]
    for reference in reading.references.sorted(by: { $0.offset < $1.offset }) {
      while let next = changes.first, next.offset < reference.offset {
        changes = changes.dropFirst()
        switch next.change {
        case .useCatalog(let name):
          catalogName = name.parts[0]
          databaseName = (try? databaseNames(in: catalogName).first) ?? "default_database"
        case .useDatabase(let name) where (1...2).contains(name.parts.count):
          if name.parts.count == 2 { catalogName = name.parts[0] }
          databaseName = name.parts.last!
        case .created(let name):
          if let q = qualified(name) { try update(q, adding: true) }
        case .dropped(let name):
          if let q = qualified(name) { try update(q, adding: false) }
        case .renamed(let name, let target):
          if let from = qualified(name) {
            try update(from, adding: false)
            try update(QualifiedName(catalog: from.catalog, database: from.database, name: target.parts.last ?? from.name), adding: true)
          }
        default:
          break
        }
      }
      guard var name = qualified(reference.name) else {
        resolved.append(ResolvedReference(reference: reference, connection: nil, exists: false, suggestion: nil))
        continue
      }
      var known = try namesIn(name.catalog, name.database)
      var exists = known.contains(name.name)
      // An option's value may name the connection `db.name` or `catalog.db.name`.
      let dotted = reference.name.parts.count == 1 ? reference.name.parts[0].split(separator: ".", omittingEmptySubsequences: false) : []
      if !exists, (2...3).contains(dotted.count), let other = qualified(ObjectName(dotted.map(String.init))) {
        let otherKnown = try namesIn(other.catalog, other.database)
        if otherKnown.contains(other.name) {
          (name, known, exists) = (other, otherKnown, true)
        }
      }
      resolved.append(
        ResolvedReference(
          reference: reference, connection: ObjectName([name.catalog, name.database, name.name]), exists: exists,
          suggestion: exists ? nil : suggestion(for: name, among: known)))
    }
    return resolved
  }
}
