/// A string literal as the option grammar sees it: decoded text, or a binary `X'..'` literal that
/// Flink parses but cannot turn into an option value.
public struct SQLString: Sendable, Hashable {
  public var text: String
  public var isBinary: Bool
  /// Byte offset of the literal in the source; not part of equality.
  public var offset: Int
  /// One past the literal's last token (a concatenation or `UESCAPE` spans several); not part of equality.
  public var end: Int
  /// Whether the literal is one plain `'...'` token, no prefix, continuation or escape clause.
  public var isSinglePlainToken = false

  public init(_ text: String, isBinary: Bool = false, offset: Int = 0, end: Int = 0) {
    self.text = text
    self.isBinary = isBinary
    self.offset = offset
    self.end = end
  }

  public static func == (a: SQLString, b: SQLString) -> Bool { a.text == b.text && a.isBinary == b.isBinary }
  public func hash(into hasher: inout Hasher) {
    hasher.combine(text)
    hasher.combine(isBinary)
  }
}

/// `'key' = 'value'` in a `WITH (...)` or `SET (...)` list, in the order written.
public struct OptionEntry: Sendable, Hashable {
  public var key: SQLString
  public var value: SQLString

  public init(key: SQLString, value: SQLString) {
    self.key = key
    self.value = value
  }

  public init(_ key: String, _ value: String) {
    self.init(key: SQLString(key), value: SQLString(value))
  }
}
