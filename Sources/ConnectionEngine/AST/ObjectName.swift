/// A dotted name as written: `c`, `db.c`, `cat.db.c` (the parser takes any number of parts;
/// execution accepts one to three).
public struct ObjectName: Sendable, Hashable, CustomStringConvertible {
  public var parts: [String]
  /// Byte offset of the first part in the source; not part of equality.
  public var offset: Int

  public init(_ parts: [String], offset: Int = 0) {
    self.parts = parts
    self.offset = offset
  }

  public static func == (a: ObjectName, b: ObjectName) -> Bool { a.parts == b.parts }
  public func hash(into hasher: inout Hasher) { hasher.combine(parts) }

  /// `` `a`.`b` `` with back-ticks doubled inside: Flink's `asSerializableString`.
  public var description: String { parts.map(quoteIdentifier).joined(separator: ".") }
}

/// Back-quotes one name part, doubling back-ticks inside.
public func quoteIdentifier(_ part: String) -> String {
  "`" + part.doubling("`") + "`"
}
