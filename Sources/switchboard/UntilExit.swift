/// What a short command lets go of only when its process ends: freeing a long script's reading
/// (100,000 statements, one allocation at a time) took about 3 ms of `check`'s 80, for memory
/// that exit returns at once.
enum UntilExit {
  /// Touched by the main thread only.
  nonisolated(unsafe) private static var kept: [Any] = []

  static func keep(_ value: Any) { kept.append(value) }
}
