import ConnectionEngine
import Foundation

/// The pieces of a script file, each cut and prepared (parsed, masked) on a second thread while
/// the caller runs the piece before it: a long script keeps both cores busy. At most one
/// prepared piece waits at a time, so memory stays bounded.
final class ScriptPipeline: @unchecked Sendable {  // the state below is only touched under `lock`
  struct Piece {
    var segment: ScriptFileSegments.Segment
    /// The piece parsed and masked, ready for `Engine.run`; nil when only checked.
    var prepared: PreparedScript?
    /// Whether it parses; nil when the caller is to find out (`parsesScript`).
    var parses: Bool?

    /// Whether the piece parses, found out here when the reader thread left it to the caller.
    var parsesScript: Bool { parses ?? Self.parses(segment.text) }

    static func parses(_ script: String) -> Bool { Parser.parseScript(script, recover: false).errors.isEmpty }
  }

  /// Made only when a reader thread is (a Foundation object costs a short command its start).
  private lazy var lock = NSCondition()
  private var ready: [Result<Piece, CLIError>] = []
  private var finished = false
  private var stopped = false
  private let capacity = 1
  private let segments: Handover
  private let preparing: Bool
  /// A file smaller than a piece is read on the caller's thread: a short script starts no thread.
  let isOnePiece: Bool
  /// Pieces made so far (touched only by the thread that makes them).
  private var produced = 0

  /// `preparing`: whether each piece is also masked and kept parsed for `Engine.run`, or only
  /// checked to parse (the first pass over a file).
  init(path: String, preparing: Bool) throws(CLIError) {
    let segments = try ScriptFileSegments(path: path)  // opened here: a bad path fails now
    isOnePiece = segments.isOnePiece
    self.segments = Handover(segments)
    self.preparing = preparing
    guard !isOnePiece else { return }
    _ = lock  // made before the thread can race to make it
    Thread.detachNewThread { [self] in
      while true {
        let next = produce()
        lock.lock()
        while ready.count >= capacity && !stopped { lock.wait() }
        if stopped || next == nil {
          finished = true
          lock.broadcast()
          lock.unlock()
          return
        }
        ready.append(next!)
        let failed = if case .failure = next! { true } else { false }
        if failed { finished = true }
        lock.broadcast()
        lock.unlock()
        if failed { return }
      }
    }
  }

  /// Cuts and prepares the next piece (on the reader thread, or the caller's for one piece).
  /// Only checking, it checks every other piece and leaves the rest to the caller, who would
  /// otherwise wait: both cores parse.
  private func produce() -> Result<Piece, CLIError>? {
    do throws(CLIError) {
      return try segments.value.next().map { segment in
        if preparing {
          let prepared = PreparedScript(segment.text)
          return .success(Piece(segment: segment, prepared: prepared, parses: prepared.parses))
        }
        produced += 1
        let leftToCaller = !isOnePiece && produced % 2 == 0
        return .success(Piece(segment: segment, prepared: nil, parses: leftToCaller ? nil : Piece.parses(segment.text)))
      }
    } catch {
      return .failure(error)
    }
  }

  /// The next piece in file order, or nil after the last.
  func next() throws(CLIError) -> Piece? {
    if isOnePiece { return try produce()?.get() }
    lock.lock()
    defer { lock.unlock() }
    while ready.isEmpty && !finished { lock.wait() }
    guard !ready.isEmpty else { return nil }
    let piece = ready.removeFirst()
    lock.broadcast()
    return try piece.get()
  }

  /// Lets the reader thread end early (the caller stops at a failure); the thread holds the
  /// pipeline until then, so callers say so (`defer`).
  func stop() {
    guard !isOnePiece else { return }
    lock.lock()
    stopped = true
    ready.removeAll()
    lock.broadcast()
    lock.unlock()
  }
}

/// The file's segments, handed to the reader thread, which alone uses them from then on.
private final class Handover: @unchecked Sendable {
  var value: ScriptFileSegments
  init(_ value: ScriptFileSegments) { self.value = value }
}
