extension String {
  /// The string with every `mark` doubled, the way SQL escapes a quote inside quotes.
  func doubling(_ mark: Character) -> String {
    guard contains(mark) else { return self }
    var result = ""
    result.reserveCapacity(utf8.count + 4)
    for character in self {
      result.append(character)
      if character == mark { result.append(mark) }
    }
    return result
  }
}

/// `'text'` with single quotes doubled: a plain SQL string literal.
public func quoteLiteral(_ text: String) -> String {
  "'" + text.doubling("'") + "'"
}
