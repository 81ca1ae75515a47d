#if canImport(Glibc)
import Glibc
#endif
import TerminalKit

/// Files a crash (SIGSEGV, SIGABRT, ...) removes: the demo's throw-away catalog. A crash runs no
/// exit handler, so without this every crashed `--demo` left its folder in the temporary folder.
/// Signal handlers may call `unlink` and `rmdir`, not Foundation or the allocator: the paths are
/// C strings made beforehand, and never freed.
enum CrashCleanup {
  /// The files to unlink, then the folder to remove, once `remove(files:thenFolder:)` ran.
  nonisolated(unsafe) private static var paths = UnsafeMutableBufferPointer<UnsafeMutablePointer<CChar>?>(start: nil, count: 0)

  /// On a crash, unlinks `files` and then removes `folder` (when nothing else is left in it).
  /// The terminal UI's crash handler calls the same (`TerminalKit.crashCleanup`).
  static func remove(files: [String], thenFolder folder: String) {
    let all = UnsafeMutableBufferPointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: files.count + 1)
    for (index, path) in (files + [folder]).enumerated() { all[index] = strdup(path) }
    paths = all
    crashCleanup = { CrashCleanup.run() }
    for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
      let previous = signal(sig) { sig in
        CrashCleanup.run()
        signal(sig, SIG_DFL)
        raise(sig)
      }
      // A handler already there (the terminal UI's gives the terminal back) calls `crashCleanup`.
      if let previous { signal(sig, previous) }
    }
  }

  /// Called from a signal handler.
  private static func run() {
    guard let last = paths.indices.last else { return }
    for index in paths.indices {
      guard let path = paths[index] else { continue }
      if index == last { rmdir(path) } else { unlink(path) }
    }
  }
}
