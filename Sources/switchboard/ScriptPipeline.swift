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
    var parses: Bool
  }

  private let lock = NSCondition()
  private var ready: [Result<Piece, CLIError>] = []
  private var finished = false
  private var stopped = false
  private let capacity = 1

  /// `preparing`: whether each piece is also masked and kept parsed for `Engine.run`, or only
  /// checked to parse (the first pass over a file).
  init(path: String, preparing: Bool) throws(CLIError) {
    let segments = Handover(try ScriptFileSegments(path: path))  // opened here: a bad path fails now
    Thread.detachNewThread { [self] in
      while true {
        let next: Result<Piece, CLIError>?
        do throws(CLIError) {
          next = try segments.value.next().map { segment in
            if preparing {
              let prepared = PreparedScript(segment.text)
              return .success(Piece(segment: segment, prepared: prepared, parses: prepared.parses))
            }
            return .success(Piece(segment: segment, prepared: nil, parses: Parser.parseScript(segment.text, recover: false).errors.isEmpty))
          }
        } catch {
          next = .failure(error)
        }
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

  /// The next piece in file order, or nil after the last.
  func next() throws(CLIError) -> Piece? {
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
