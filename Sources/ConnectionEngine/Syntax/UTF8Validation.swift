/// Whether `bytes` are valid UTF-8; a long script's two halves are checked at once. The cut is at
/// the start of a character, so each half is valid exactly when its part of the whole is.
public func isValidUTF8(_ bytes: [UInt8]) -> Bool {
  func valid(_ part: Range<Int>) -> Bool {
    bytes.withUnsafeBufferPointer { whole in
      (try? UTF8Span(validating: Span(_unsafeElements: UnsafeBufferPointer(rebasing: whole[part])))) != nil
    }
  }
  guard bytes.count >= 1 << 20 else { return valid(0..<bytes.count) }
  var cut = bytes.count / 2
  while cut < bytes.count && bytes[cut] & 0xC0 == 0x80 { cut += 1 }  // not inside a character
  let (first, second) = bothAtOnce({ valid(0..<cut) }, { valid(cut..<bytes.count) })
  return first && second
}
