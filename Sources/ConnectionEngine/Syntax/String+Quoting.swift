extension String {
  /// The string with every `mark` doubled, the way SQL escapes a quote inside quotes.
  func doubling(_ mark: Character) -> String {
    // Byte by byte (the mark is ASCII): per Unicode scalar, as Flink quotes, not per grapheme
    // (a quote followed by a combining mark is still a quote).
    let byte = mark.asciiValue!
    guard utf8.contains(byte) else { return self }
    var out: [UInt8] = []
    out.reserveCapacity(utf8.count + 4)
    for b in utf8 {
      out.append(b)
      if b == byte { out.append(byte) }
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// `'text'` with single quotes doubled: a plain SQL string literal.
public func quoteLiteral(_ text: String) -> String {
  "'" + text.doubling("'") + "'"
}
