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

/// The closest candidate within a small distance (1 for short words, 2 from 6 characters), if
/// any; of several as close, the first.
func closest(to word: String, among candidates: [String]) -> String? {
  let lowered = Array(word.lowercased().unicodeScalars)
  var best: (String, Int)? = nil
  for candidate in candidates where candidate != word {
    if let distance = distance(from: word, lowered, to: candidate, Array(candidate.lowercased().unicodeScalars)),
      distance < (best?.1 ?? Int.max)
    {
      best = (candidate, distance)
    }
  }
  return best?.0
}

/// The distance between two words, lower-cased, when it is within the limit for them (1 for
/// short words, 2 from 6 characters); nil otherwise. A distance is at least the difference in
/// length, so most pairs are turned away without measuring.
private func distance(from word: String, _ wordLowered: [Unicode.Scalar], to candidate: String, _ candidateLowered: [Unicode.Scalar]) -> Int? {
  guard abs(wordLowered.count - candidateLowered.count) <= 2 else { return nil }
  let limit = min(word.count, candidate.count) >= 6 ? 2 : 1
  guard abs(wordLowered.count - candidateLowered.count) <= limit else { return nil }
  let distance = editDistance(wordLowered, candidateLowered)
  return distance <= limit ? distance : nil
}

/// Close names among many, asked many times while the names change: `check` asks for every
/// missing connection a script names, among the names of a database that may hold 100,000, and
/// the script's own CREATEs and DROPs change them. Each name is lower-cased once and kept by
/// its length, and only lengths within the largest distance allowed are measured. Answers as
/// `closest(to:among:)` does over the names sorted: of several as close, the first in order.
struct NameSuggester {
  private var byLength: [Int: [(name: String, lowered: [Unicode.Scalar])]] = [:]

  init(_ names: some Sequence<String>) {
    for name in names { insert(name) }
  }

  mutating func insert(_ name: String) {
    let lowered = Array(name.lowercased().unicodeScalars)
    byLength[lowered.count, default: []].append((name, lowered))
  }

  mutating func remove(_ name: String) {
    let length = name.lowercased().unicodeScalars.count
    byLength[length]?.removeAll { $0.name == name }
  }

  func closest(to word: String) -> String? {
    let lowered = Array(word.lowercased().unicodeScalars)
    var best: (name: String, distance: Int)? = nil
    for length in max(0, lowered.count - 2)...(lowered.count + 2) {
      for candidate in byLength[length] ?? [] where candidate.name != word {
        guard let distance = distance(from: word, lowered, to: candidate.name, candidate.lowered) else { continue }
        if best.map({ distance < $0.distance || (distance == $0.distance && candidate.name < $0.name) }) ?? true {
          best = (candidate.name, distance)
        }
      }
    }
    return best?.name
  }

  /// Whether `candidate` answers `word` better than `current` (closer, or as close and first in order).
  static func isBetter(_ candidate: String, than current: String?, for word: String) -> Bool {
    guard candidate != word,
      let distance = distance(from: word, Array(word.lowercased().unicodeScalars), to: candidate, Array(candidate.lowercased().unicodeScalars))
    else { return false }
    guard let current else { return true }
    let currentDistance = ConnectionEngine.distance(from: word, Array(word.lowercased().unicodeScalars), to: current, Array(current.lowercased().unicodeScalars))!
    return distance < currentDistance || (distance == currentDistance && candidate < current)
  }
}
