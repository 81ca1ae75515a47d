import Foundation

/// Where `render` may put secrets: a file it creates with mode 0600 (never one that exists,
/// unless `--force` and it is a regular file, which is then replaced whole), or standard output
/// when that is a pipe or a file, never a terminal.
enum SecretOutput {
  /// Checks the destination before any secret is opened, so a refusal costs nothing.
  static func check(_ path: String, force: Bool) throws(CLIError) {
    if path == "-" {
      if isatty(STDOUT_FILENO) == 1 {
        throw CLIError(
          .usage,
          "Refusing to print secrets to a terminal: they would stay on the screen and in its scrollback. Write them to a file (-o FILE, created 0600) or pipe them (-o - | ...).")
      }
      return
    }
    var status = stat()
    guard lstat(path, &status) == 0 else {
      if errno == ENOENT { return }
      throw CLIError(.environment, "Cannot use \(path): \(String(cString: strerror(errno))).")
    }
    guard force else {
      throw CLIError(.usage, "\(path) exists; render never writes over a file unless --force is given.")
    }
    guard status.st_mode & S_IFMT == S_IFREG else {
      throw CLIError(.usage, "\(path) is not a regular file (a link, a device or a folder); render writes only regular files.")
    }
  }

  /// Writes `bytes` to `path` (created 0600; replaced through a new 0600 file and a rename when
  /// `force` lets it replace one), or to standard output for `-`.
  static func write(_ bytes: [UInt8], to path: String, force: Bool) throws(CLIError) {
    if path == "-" {
      guard writeAll(STDOUT_FILENO, bytes) else { throw CLIError(.environment, "Cannot write to standard output: \(String(cString: strerror(errno))).") }
      return
    }
    let exists = FileManager.default.fileExists(atPath: path)
    let target = exists && force ? temporaryPath(beside: path) : path
    let fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      if errno == EEXIST { throw CLIError(.usage, "\(path) exists; render never writes over a file unless --force is given.") }
      throw CLIError(.environment, "Cannot create \(path): \(String(cString: strerror(errno))).")
    }
    let written = fchmod(fd, 0o600) == 0 && writeAll(fd, bytes) && fsync(fd) == 0
    let failure = errno
    close(fd)
    guard written else {
      unlink(target)
      throw CLIError(.environment, "Cannot write \(path): \(String(cString: strerror(failure))); nothing was left behind.")
    }
    if target != path, rename(target, path) != 0 {
      let failure = errno
      unlink(target)
      throw CLIError(.environment, "Cannot replace \(path): \(String(cString: strerror(failure))).")
    }
  }

  private static func temporaryPath(beside path: String) -> String {
    let url = URL(fileURLWithPath: path)
    return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp").path
  }

  private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return false }
        offset += n
      }
      return true
    }
  }
}
