import CNcursesw
import Foundation

/// Set from signal handlers; read by the event loop.
nonisolated(unsafe) private var terminationRequested: sig_atomic_t = 0
/// Whether curses is active, so crash handlers know to restore the terminal.
nonisolated(unsafe) private var cursesActive: sig_atomic_t = 0

/// What the application removes when it crashes (a throw-away catalog), called from the crash
/// signal handler after the terminal is given back: only async-signal-safe calls belong in it.
nonisolated(unsafe) public var crashCleanup: (@convention(c) () -> Void)? = nil

private let disableModes = "\u{1B}[?2004l\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1006l"

/// The real terminal through ncursesw: wide characters, colours (unless `NO_COLOR`), mouse,
/// bracketed paste, resize, and a terminal that is given back on quit, signals and crashes.
/// The only place in Switchboard that calls curses.
public final class CursesBackend: TerminalBackend {
  public enum StartError: Error, CustomStringConvertible {
    case notATerminal
    case unusableTerminal(String)

    public var description: String {
      switch self {
      case .notATerminal: return "switchboard needs a terminal (stdin and stdout must be a TTY); use `switchboard sql` in scripts."
      case .unusableTerminal(let term):
        return "The terminal type '\(term)' cannot be used (unknown, or it cannot move the cursor). Set TERM to e.g. xterm-256color, or use `switchboard sql`."
      }
    }
  }

  private var previous: Buffer?
  private let useColor: Bool
  private var isShutDown = false

  public static func start(environment: [String: String]) throws(StartError) -> CursesBackend {
    guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
    let term = environment["TERM"] ?? ""
    guard !term.isEmpty, term != "dumb" else { throw .unusableTerminal(term.isEmpty ? "(unset)" : term) }
    setlocale(LC_ALL, "")
    var status: Int32 = 0
    guard setupterm(nil, STDOUT_FILENO, &status) == OK, sb_has_cursor_addressing() == 1 else {
      throw .unusableTerminal(term)
    }
    set_escdelay(25)  // Esc reacts at once; real key sequences arrive together
    guard sb_newterm() != nil else { throw .unusableTerminal(term) }
    return CursesBackend(useColor: (environment["NO_COLOR"] ?? "").isEmpty && has_colors())
  }

  private init(useColor: Bool) {
    self.useColor = useColor
    raw()
    noecho()
    nonl()
    keypad(sb_stdscr(), true)
    curs_set(0)
    mouseinterval(0)
    mousemask(sb_button1_pressed | sb_button1_clicked | sb_button4_pressed | sb_button5_pressed, nil)
    if useColor {
      start_color()
      use_default_colors()
      let colors: [Int32] = [-1, COLOR_RED, COLOR_GREEN, COLOR_YELLOW, COLOR_BLUE, COLOR_MAGENTA, COLOR_CYAN, COLOR_WHITE]
      for (i, color) in colors.enumerated() where i > 0 { init_pair(Int16(i), Int16(color), -1) }
    }
    writeToTerminal("\u{1B}[?2004h")  // bracketed paste
    cursesActive = 1
    installSignalHandlers()
  }

  deinit { shutdown() }

  public var size: Size { Size(width: Int(sb_cols()), height: Int(sb_lines())) }

  public func present(_ buffer: Buffer) {
    let full = previous == nil || previous!.size != buffer.size
    if full { werase(sb_stdscr()) }
    for y in 0..<buffer.size.height {
      if !full, let previous, previous.row(y) == buffer.row(y) { continue }
      for x in 0..<buffer.size.width {
        let cell = buffer[x, y]
        if cell.text.isEmpty { continue }  // the right half of a wide character
        var wide = cell.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        _ = sb_put_cell(Int32(y), Int32(x), wide, attributes(cell.style), colorPair(cell.style))
      }
    }
    if let cursor = buffer.cursor {
      curs_set(1)
      wmove(sb_stdscr(), Int32(cursor.y), Int32(cursor.x))
    } else {
      curs_set(0)
    }
    wrefresh(sb_stdscr())
    previous = buffer
  }

  private func attributes(_ style: Style) -> attr_t {
    var attrs = sb_a_normal
    if style.bold { attrs |= sb_a_bold }
    if style.dim { attrs |= sb_a_dim }
    if style.reverse { attrs |= sb_a_reverse }
    if style.underline { attrs |= sb_a_underline }
    return attrs
  }

  private func colorPair(_ style: Style) -> Int16 {
    guard useColor, style.foreground != .default else { return 0 }
    return Int16(style.foreground == .gray ? 7 : Int(style.foreground.rawValue))
  }

  public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
    if terminationRequested != 0 { return .terminate }
    wtimeout(sb_stdscr(), Int32(timeoutMilliseconds))
    var ch: wint_t = 0
    let result = wget_wch(sb_stdscr(), &ch)
    if terminationRequested != 0 { return .terminate }
    switch result {
    case KEY_CODE_YES: return functionKey(Int32(ch))
    case OK: return character(ch)
    default: return nil
    }
  }

  private func functionKey(_ code: Int32) -> InputEvent? {
    switch code {
    case KEY_UP: return .key(.up)
    case KEY_DOWN: return .key(.down)
    case KEY_LEFT: return .key(.left)
    case KEY_RIGHT: return .key(.right)
    case KEY_HOME: return .key(.home)
    case KEY_END: return .key(.end)
    case KEY_PPAGE: return .key(.pageUp)
    case KEY_NPAGE: return .key(.pageDown)
    case KEY_BACKSPACE: return .key(.backspace)
    case KEY_DC: return .key(.delete)
    case KEY_IC: return .key(.insert)
    case KEY_BTAB: return .key(.backTab)
    case KEY_ENTER: return .key(.enter)
    case KEY_RESIZE:
      previous = nil
      return .resize(size)
    case KEY_MOUSE:
      var event = MEVENT()
      guard getmouse(&event) == OK else { return nil }
      let x = Int(event.x)
      let y = Int(event.y)
      if event.bstate & sb_button4_pressed != 0 { return .mouse(MouseEvent(.wheelUp, x: x, y: y)) }
      if event.bstate & sb_button5_pressed != 0 { return .mouse(MouseEvent(.wheelDown, x: x, y: y)) }
      if event.bstate & (sb_button1_pressed | sb_button1_clicked) != 0 { return .mouse(MouseEvent(.click, x: x, y: y)) }
      return nil
    case (KEY_F0 + 1)...(KEY_F0 + 24): return .key(.function(Int(code - KEY_F0)))
    default: return nil
    }
  }

  private func character(_ ch: wint_t) -> InputEvent? {
    switch ch {
    case 27:
      switch EscapeDecoder.decode(next: { self.pendingCharacter() }) {
      case .escape: return .key(.escape)
      case .paste(let text): return .paste(text)
      case .ignored: return nil
      }
    case 13, 10: return .key(.enter)
    case 9: return .key(.tab)
    case 127, 8: return .key(.backspace)
    case 26:  // Ctrl-Z: give the terminal back, stop, and redraw everything on `fg`
      suspend()
      return .resumed
    case 1...31: return .key(.control(Character(Unicode.Scalar(UInt8(ch) + 0x60))))
    default:
      guard let scalar = Unicode.Scalar(UInt32(ch)) else { return nil }
      return .key(.character(Character(scalar)))
    }
  }

  /// A character already sent after ESC (a sequence arrives in one burst), or nil.
  private func pendingCharacter() -> Character? {
    wtimeout(sb_stdscr(), 15)
    var ch: wint_t = 0
    guard wget_wch(sb_stdscr(), &ch) == OK, let scalar = Unicode.Scalar(UInt32(ch)) else { return nil }
    return Character(scalar)
  }

  private func suspend() {
    writeToTerminal(disableModes)
    endwin()
    signal(SIGTSTP, SIG_DFL)
    raise(SIGTSTP)
    // Resumed by `fg`.
    writeToTerminal("\u{1B}[?2004h")
    wrefresh(sb_stdscr())
    previous = nil
  }

  public func shutdown() {
    guard !isShutDown else { return }
    isShutDown = true
    cursesActive = 0
    curs_set(1)
    endwin()
    writeToTerminal(disableModes)
  }

  /// Writes to the terminal, or to nowhere when it is gone (a closed window, a dropped SSH
  /// session): Foundation's `FileHandle.write` stopped the process there (`try!` on EIO), before
  /// the exit handlers closed the catalog and removed the demo's throw-away folder.
  private func writeToTerminal(_ text: String) {
    _ = text.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
  }

  private func installSignalHandlers() {
    // A parent may have blocked signals we rely on (resize, stop, terminate): unblock them.
    var wanted = sigset_t()
    sigemptyset(&wanted)
    for sig in [SIGWINCH, SIGTERM, SIGHUP, SIGINT, SIGTSTP, SIGCONT] { sigaddset(&wanted, sig) }
    pthread_sigmask(SIG_UNBLOCK, &wanted, nil)
    for sig in [SIGTERM, SIGHUP, SIGINT] {
      signal(sig) { _ in terminationRequested = 1 }
    }
    // On a crash, give the terminal back before dying.
    for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
      signal(sig) { sig in
        if cursesActive != 0 {
          endwin()
          _ = disableModes.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
        }
        crashCleanup?()
        signal(sig, SIG_DFL)
        raise(sig)
      }
    }
  }
}
