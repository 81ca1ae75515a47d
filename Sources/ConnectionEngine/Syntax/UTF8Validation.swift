/// Whether `bytes` are valid UTF-8. ASCII bytes are valid on their own and every byte of a
/// multi-byte character is 0x80 or above, so the text is valid exactly when each run of bytes
/// at or above 0x80 is: ASCII is passed over eight bytes at a time (scripts are nearly all
/// ASCII) and only those runs go to the standard library's validator.
///
/// A long script is checked in parts on every core, each cut before a byte that is not a
/// continuation byte (0x80...0xBF): the whole is valid exactly when every part is (in valid text
/// such a byte starts a character, and valid parts put together are valid).
public func isValidUTF8(_ bytes: [UInt8]) -> Bool {
  bytes.withUnsafeBufferPointer { isValidUTF8($0) }
}

/// The same, of bytes where they are.
public func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
  let parts = bytes.count >= 4 << 20 ? onlineCores : 1
  guard parts > 1 else { return isValidUTF8(bytes, in: 0..<bytes.count) }
  var cuts = [0]
  for part in 1..<parts {
    var cut = max(cuts.last!, bytes.count * part / parts)
    while cut < bytes.count && bytes[cut] & 0xC0 == 0x80 { cut += 1 }
    cuts.append(cut)
  }
  cuts.append(bytes.count)
  return concurrentMap(count: parts, scratch: { () }) { part, _ in isValidUTF8(bytes, in: cuts[part]..<cuts[part + 1]) }.allSatisfy { $0 }
}

private func isValidUTF8(_ whole: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> Bool {
  do {
    let count = range.upperBound
    guard let base = whole.baseAddress else { return true }
    var i = range.lowerBound
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
