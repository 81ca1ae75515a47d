import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The real binary in a private tmux server: send keys, read the screen, as a person would.
final class TmuxSession {
  static let isAvailable: Bool = (try? spawn(["tmux", "-V"], captureOutput: false).status) == 0

  let socket = "sbtest-\(UUID().uuidString.prefix(8))"
  let name = "main"

  /// Starts `command` (a shell command line) in a new session of the given size.
  init(_ command: String, width: Int = 120, height: Int = 35, environment: [String: String]) throws {
    var arguments = ["-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", name]
    for (key, value) in environment.sorted(by: { $0.key < $1.key }) { arguments += ["-e", "\(key)=\(value)"] }
    arguments.append(command)
    // The server this starts would hold an output pipe open forever: give it none.
    try tmux(arguments, captureOutput: false)
  }

  deinit {
    _ = try? tmux(["kill-server"])  // the server may be gone already: nothing to stop
    // tmux keeps its socket file; remove ours.
    let folder = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
    unlink("\(folder)/tmux-\(getuid())/\(socket)")
  }

  @discardableResult
  func tmux(_ arguments: [String], captureOutput: Bool = true) throws -> String {
    try spawn(["tmux", "-L", socket] + arguments, captureOutput: captureOutput).output
  }

  /// Named keys (`Enter`, `C-s`, `Tab`, `Escape`, `Up`) or single characters.
  func press(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

  /// Literal text, typed.
  func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

  func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", name]) }

  /// The screen plus everything that scrolled off it.
  func screenWithScrollback() throws -> String { try tmux(["capture-pane", "-p", "-S", "-", "-E", "-", "-t", name]) }

  func resize(width: Int, height: Int) throws {
    try tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
  }

  /// Waits until the screen satisfies `condition` (polling, up to `timeout` seconds); returns it.
  @discardableResult
  func waitFor(_ description: String, timeout: Double = 15, _ condition: (String) -> Bool) throws -> String {
    let deadline = Date().addingTimeInterval(timeout)
    var last = ""
    while Date() < deadline {
      last = try screen()
      if condition(last) {
        // tmux may have shown part of a frame (a header before the rows under it, which a
        // test then reads): look again once the frame is out, and keep that screen if it
        // still holds what was waited for.
        usleep(50_000)
        let settled = try screen()
        return condition(settled) ? settled : last
      }
      usleep(20_000)
    }
    throw TmuxTimeout(description: description, screen: last)
  }

  @discardableResult
  func waitFor(_ text: String, timeout: Double = 15) throws -> String {
    try waitFor("\"\(text)\"", timeout: timeout) { $0.contains(text) }
  }
}

struct TmuxTimeout: Error, CustomStringConvertible {
  var description: String
  var screen: String
  init(description: String, screen: String) {
    self.description = "timed out waiting for \(description); screen:\n\(screen)"
    self.screen = screen
  }
}

struct SpawnError: Error {
  var code: Int32
}

/// Runs a program from PATH with posix_spawn and waits for it with waitpid. (Foundation's
/// Process never reaped tmux's client once it had forked the server: the test hung.)
func spawn(_ arguments: [String], captureOutput: Bool) throws -> (status: Int32, output: String) {
  var pipe: [Int32] = [-1, -1]
  guard Glibc.pipe(&pipe) == 0 else { throw SpawnError(code: errno) }
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
  if captureOutput {
    posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
  }
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
  posix_spawn_file_actions_addclose(&actions, pipe[0])
  posix_spawn_file_actions_addclose(&actions, pipe[1])
  var argv = arguments.map { strdup($0) } + [nil]
  defer { for pointer in argv { free(pointer) } }
  // The test runner blocks some signals in its threads; a child would inherit that mask, and
  // tmux (and the UI inside it) would never see SIGWINCH or SIGTERM.
  var attributes = posix_spawnattr_t()
  posix_spawnattr_init(&attributes)
  defer { posix_spawnattr_destroy(&attributes) }
  var empty = sigset_t()
  sigemptyset(&empty)
  posix_spawnattr_setsigmask(&attributes, &empty)
  posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
  var pid: pid_t = 0
  let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, &argv, environ)
  close(pipe[1])
  guard result == 0 else {
    close(pipe[0])
    throw SpawnError(code: result)
  }
  var output = Data()
  if captureOutput {
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = read(pipe[0], &chunk, chunk.count)
      if count <= 0 { break }
      output.append(contentsOf: chunk[0..<count])
    }
  }
  close(pipe[0])
  var status: Int32 = 0
  while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
  let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
  return (exitCode, String(decoding: output, as: UTF8.self))
}

/// Runs `arguments` (output to /dev/null) and reads its peak resident size (VmHWM) from /proc
/// every 2 ms until it exits. Not `wait4`'s `ru_maxrss`: a child spawned from this process
/// (vfork, then exec) counts this process's own peak too.
func peakResidentKilobytes(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, peakKilobytes: Int) {
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
  var argv = arguments.map { strdup($0) } + [nil]
  defer { for pointer in argv { free(pointer) } }
  var envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
  defer { for pointer in envp { free(pointer) } }
  var pid: pid_t = 0
  let result = posix_spawn(&pid, arguments[0], &actions, nil, &argv, &envp)
  guard result == 0 else { throw SpawnError(code: result) }
  var peak = 0
  var status: Int32 = 0
  while true {
    let waited = waitpid(pid, &status, WNOHANG)
    if waited == pid || (waited == -1 && errno != EINTR) { break }
    if let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
      let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    {
      peak = max(peak, kilobytes)
    }
    usleep(2_000)
  }
  let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
  return (exitCode, peak)
}
