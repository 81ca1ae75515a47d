/// Names as written, resolved against the session's current catalog and database.
extension Engine {
  /// 1 part → current catalog and database; 2 → current catalog; 3 → as written.
  func resolve(_ name: ObjectName) throws(EngineError) -> QualifiedName {
    let parts = name.parts
    guard (1...3).contains(parts.count) else {
      throw EngineError(.validation, "Object identifier must consist of 1 to 3 parts (got \(parts.count)).")
    }
    if parts.contains(where: Self.isBlank) {
      throw EngineError(.validation, "Name parts cannot be empty or blank.")
    }
    switch parts.count {
    case 1: return QualifiedName(catalog: currentCatalog, database: currentDatabase, name: parts[0])
    case 2: return QualifiedName(catalog: currentCatalog, database: parts[0], name: parts[1])
    default: return QualifiedName(catalog: parts[0], database: parts[1], name: parts[2])
    }
  }

  /// Empty or only white space (Unicode's): a part that starts with a visible ASCII byte is not.
  private static func isBlank(_ part: String) -> Bool {
    if let first = part.utf8.first, first > 0x20 && first < 0x7F { return false }
    return part.allSatisfy(\.isWhitespace)
  }
}

/// Java's `String.compareTo` order (UTF-16 code units), which Flink sorts names by.
func javaOrder(_ a: String, _ b: String) -> Bool {
  a.utf16.lexicographicallyPrecedes(b.utf16)
}
