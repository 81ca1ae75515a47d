/// How many terminal columns text takes: 2 for wide (CJK, full-width, most emoji), 0 for
/// combining marks and format characters, 1 otherwise. Works per grapheme cluster, so an emoji
/// ZWJ sequence or a letter with accents counts once.
public func displayWidth(_ text: some StringProtocol) -> Int {
  var width = 0
  for character in text { width += displayWidth(of: character) }
  return width
}

public func displayWidth(of character: Character) -> Int {
  let scalars = character.unicodeScalars
  guard let first = scalars.first else { return 0 }
  if first.isASCII { return first.value < 0x20 || first.value == 0x7F ? 0 : 1 }
  // An emoji presentation selector makes a narrow symbol wide.
  if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
  if scalars.count > 1, first.properties.isEmoji, scalars.contains(where: { $0.value == 0x200D || (0x1F3FB...0x1F3FF).contains($0.value) }) {
    return 2
  }
  return scalarWidth(first)
}

func scalarWidth(_ scalar: Unicode.Scalar) -> Int {
  let v = scalar.value
  switch scalar.properties.generalCategory {
  case .nonspacingMark, .enclosingMark, .format: return 0
  default: break
  }
  if v == 0x200B { return 0 }
  if isWide(v) { return 2 }
  if scalar.properties.isEmojiPresentation { return 2 }
  return 1
}

private func isWide(_ v: UInt32) -> Bool {
  switch v {
  case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
    0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
    0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF,
    0x20000...0x2FFFD, 0x30000...0x3FFFD:
    return true
  default:
    return false
  }
}

/// Pads or cuts text to exactly `width` columns; a cut ends with `…`.
public func fit(_ text: String, width: Int, alignRight: Bool = false) -> String {
  guard width > 0 else { return "" }
  let w = displayWidth(text)
  if w <= width {
    let pad = String(repeating: " ", count: width - w)
    return alignRight ? pad + text : text + pad
  }
  var out = ""
  var used = 0
  for character in text {
    let cw = displayWidth(of: character)
    if used + cw > width - 1 { break }
    out.append(character)
    used += cw
  }
  return out + "…" + String(repeating: " ", count: max(0, width - used - 1))
}
