import Foundation
import Logging

/// Appends log lines to the file named by `SWITCHBOARD_LOG`. The engine only ever logs masked
/// statements and messages that hold no secret values.
struct FileLogHandler: LogHandler {
  private let handle: FileHandle
  var logLevel: Logger.Level = .info
  var metadata: Logger.Metadata = [:]

  init?(path: String) {
    if !FileManager.default.fileExists(atPath: path) {
      _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])  // else the open below fails
    }
    guard let handle = FileHandle(forWritingAtPath: path) else { return nil }
    handle.seekToEndOfFile()
    self.handle = handle
  }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    let line = "\(ISO8601DateFormatter().string(from: Date())) \(event.level) \(event.message)\n"
    handle.write(Data(line.utf8))
  }

  /// Sends logs to `SWITCHBOARD_LOG` when set; otherwise nowhere (the CLI's output is its result).
  static func bootstrap() {
    let path = getenv("SWITCHBOARD_LOG").map { String(cString: $0) }
    LoggingSystem.bootstrap { _ in
      if let path, let handler = FileLogHandler(path: path) { return handler }
      return SwiftLogNoOpLogHandler()
    }
  }
}
