/// Optimal string alignment distance (Damerau–Levenshtein with adjacent swaps), on Unicode scalars.
func editDistance(_ a: String, _ b: String) -> Int {
  editDistance(Array(a.unicodeScalars), Array(b.unicodeScalars))
}

func editDistance<Element: Equatable>(_ a: [Element], _ b: [Element]) -> Int {
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var previous2 = [Int](repeating: 0, count: b.count + 1)
  var previous = Array(0...b.count)
  var current = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      let cost = a[i - 1] == b[j - 1] ? 0 : 1
      current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
        current[j] = min(current[j], previous2[j - 2] + 1)
      }
    }
    (previous2, previous, current) = (previous, current, previous2)
  }
  return previous[b.count]
}

/// The closest candidate within a small distance (1 for short words, 2 from 6 characters), if any.
func closest(to word: String, among candidates: [String]) -> String? {
  var best: (String, Int)? = nil
  for candidate in candidates where candidate != word {
    let limit = min(word.count, candidate.count) >= 6 ? 2 : 1
    let distance = editDistance(word.lowercased(), candidate.lowercased())
    if distance <= limit && distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
  }
  return best?.0
}
