/// Whether `bytes` are valid UTF-8. ASCII bytes are valid on their own and every byte of a
/// multi-byte character is 0x80 or above, so the text is valid exactly when each run of bytes
/// at or above 0x80 is: ASCII is passed over eight bytes at a time (scripts are nearly all
/// ASCII) and only those runs go to the standard library's validator.
public func isValidUTF8(_ bytes: [UInt8]) -> Bool {
  bytes.withUnsafeBufferPointer { whole in
    let count = whole.count
    guard let base = whole.baseAddress else { return true }
    var i = 0
    while i < count {
      while i + 8 <= count && UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
      while i < count && base[i] < 0x80 { i += 1 }
      guard i < count else { break }
      var end = i + 1
      while end < count && base[end] >= 0x80 { end += 1 }
      let run = UnsafeBufferPointer(start: base + i, count: end - i)
      guard (try? UTF8Span(validating: Span(_unsafeElements: run))) != nil else { return false }
      i = end
    }
    return true
  }
}
