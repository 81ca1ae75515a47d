/// A key as the UI understands it, whatever the terminal sent.
public enum Key: Sendable, Hashable {
  case character(Character)
  /// Ctrl with a letter: `.control("a")` for Ctrl-A.
  case control(Character)
  case enter, tab, backTab, escape, backspace, delete, insert
  case up, down, left, right, home, end, pageUp, pageDown
  case function(Int)
}

public struct MouseEvent: Sendable, Equatable {
  public enum Kind: Sendable, Equatable { case click, doubleClick, wheelUp, wheelDown }
  public var kind: Kind
  public var x: Int
  public var y: Int
  public init(_ kind: Kind, x: Int, y: Int) {
    self.kind = kind
    self.x = x
    self.y = y
  }
}

public enum InputEvent: Sendable, Equatable {
  case key(Key)
  case mouse(MouseEvent)
  /// Bracketed paste: the text pasted, delivered at once.
  case paste(String)
  case resize(Size)
  /// SIGTERM, SIGHUP or SIGINT arrived.
  case terminate
  /// Ctrl-Z handled by the backend; the screen must be drawn again in full.
  case resumed
}
