/// What the runtime draws on and reads from: a real terminal or a headless one for tests.
public protocol TerminalBackend: AnyObject {
  var size: Size { get }
  /// Shows the frame; only what changed since the last frame is sent.
  func present(_ buffer: Buffer)
  /// Waits up to `timeoutMilliseconds` for input; nil when none came.
  func nextEvent(timeoutMilliseconds: Int) -> InputEvent?
  /// Gives the terminal back (on quit, signal or error).
  func shutdown()
}

/// Keeps the last frame as text; events come from a script. Used by screen tests.
public final class HeadlessBackend: TerminalBackend {
  public private(set) var size: Size
  public private(set) var lastFrame: Buffer?
  public private(set) var framesPresented = 0
  public var pendingEvents: [InputEvent]

  public init(size: Size, events: [InputEvent] = []) {
    self.size = size
    pendingEvents = events
  }

  public func present(_ buffer: Buffer) {
    lastFrame = buffer
    framesPresented += 1
  }

  public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
    guard !pendingEvents.isEmpty else { return nil }
    let event = pendingEvents.removeFirst()
    if case .resize(let newSize) = event { size = newSize }
    return event
  }

  public func shutdown() {}

  public var screenText: String { lastFrame?.text ?? "" }
}
