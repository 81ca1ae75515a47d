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
  let word = SuggestionWord(word)
  var best: (String, Int)? = nil
  for candidate in candidates where candidate != word.text {
    if let distance = word.distanceWithinLimit(to: SuggestionWord(candidate)), distance < (best?.1 ?? Int.max) {
      best = (candidate, distance)
    }
  }
  return best?.0
}

/// A word as close names are looked for: lower-cased once, with its length and a 64-bit set of
/// the characters it holds, which turn most candidates away before any distance is measured.
struct SuggestionWord {
  let text: String
  let lowered: [Unicode.Scalar]
  let characterCount: Int
  /// Bit `scalar % 64` for each of its scalars.
  let characters: UInt64

  init(_ text: String) {
    self.text = text
    lowered = Array(text.lowercased().unicodeScalars)
    characterCount = text.count
    characters = lowered.reduce(0) { $0 | 1 << ($1.value % 64) }
  }

  /// The distance to `other` when within the limit for the two (1 for short words, 2 from 6
  /// characters); nil otherwise. A distance is at least the difference in length, and each
  /// edit changes at most two of the character bits.
  func distanceWithinLimit(to other: SuggestionWord) -> Int? {
    let gap = abs(lowered.count - other.lowered.count)
    guard gap <= 2 else { return nil }
    let limit = min(characterCount, other.characterCount) >= 6 ? 2 : 1
    guard gap <= limit, (characters ^ other.characters).nonzeroBitCount <= 2 * limit else { return nil }
    let distance = editDistance(lowered, other.lowered)
    return distance <= limit ? distance : nil
  }
}

/// A close name found for a word, and how far it is.
struct Suggestion: Equatable {
  var name: String
  var distance: Int

  /// Whether this answers better than `other`: closer, or as close and first in order.
  func isBetter(than other: Suggestion?) -> Bool {
    guard let other else { return true }
    return distance < other.distance || (distance == other.distance && name < other.name)
  }
}

/// Close names among many, asked many times while the names change: `check` asks for every
/// missing connection a script names, among the names of a database that may hold 100,000, and
/// the script's own CREATEs and DROPs change them. Each name is prepared once (`SuggestionWord`)
/// and kept by its length; only lengths within the largest distance allowed are looked at.
/// Answers as `closest(to:among:)` does over the names sorted: of several as close, the first.
struct NameSuggester {
  private var byLength: [Int: [SuggestionWord]] = [:]

  init(_ names: some Sequence<String>) {
    for name in names { insert(name) }
  }

  mutating func insert(_ name: String) {
    let word = SuggestionWord(name)
    byLength[word.lowered.count, default: []].append(word)
  }

  mutating func remove(_ name: String) {
    byLength[SuggestionWord(name).lowered.count]?.removeAll { $0.text == name }
  }

  func closest(to word: SuggestionWord) -> Suggestion? {
    var best: Suggestion? = nil
    for length in max(0, word.lowered.count - 2)...(word.lowered.count + 2) {
      for candidate in byLength[length] ?? [] where candidate.text != word.text {
        guard let distance = word.distanceWithinLimit(to: candidate) else { continue }
        let found = Suggestion(name: candidate.text, distance: distance)
        if found.isBetter(than: best) { best = found }
      }
    }
    return best
  }
}
