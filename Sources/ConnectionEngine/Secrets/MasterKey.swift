import Foundation

/// Where the master key comes from: `SWITCHBOARD_MASTER_KEY` (base64 of 32 bytes), or a key file
/// `switchboard/master.key` under `$XDG_CONFIG_HOME` (`~/.config` when unset) that only its owner
/// may read. The file is created on first use, mode 0600 in a 0700 folder.
public struct MasterKeySource: Sendable {
  public let environment: [String: String]

  public init(environment: [String: String]) {
    self.environment = environment
  }

  public var keyFilePath: String? {
    if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/switchboard/master.key" }
    if let home = environment["HOME"], !home.isEmpty { return home + "/.config/switchboard/master.key" }
    return nil
  }

  /// The key if one exists; `nil` when there is none yet (and no file was asked to be made).
  public func load(createIfMissing: Bool) throws(SecretStoreError) -> [UInt8]? {
    if let encoded = environment["SWITCHBOARD_MASTER_KEY"] {
      guard let data = Data(base64Encoded: encoded.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
        throw .badMasterKey("SWITCHBOARD_MASTER_KEY must be the base64 encoding of exactly 32 bytes.")
      }
      return Array(data)
    }
    guard let path = keyFilePath else {
      throw .badMasterKey("No master key: set SWITCHBOARD_MASTER_KEY, or XDG_CONFIG_HOME or HOME for a key file.")
    }
    var info = stat()
    if stat(path, &info) == 0 {
      try checkFolder(of: path)
      guard info.st_mode & 0o077 == 0 else {
        throw .badMasterKey("The key file \(path) can be read by other users; run `chmod 600` on it.")
      }
      guard info.st_uid == geteuid() else {
        throw .badMasterKey("The key file \(path) belongs to another user; only its owner may use it.")
      }
      guard let data = FileManager.default.contents(atPath: path), let key = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)), key.count == 32 else {
        throw .badMasterKey("The key file \(path) does not hold a base64 key of 32 bytes.")
      }
      return Array(key)
    }
    guard createIfMissing else { return nil }
    return try create(at: path)
  }

  /// The key's folder must be its owner's alone: whoever can write it can swap the key file.
  private func checkFolder(of path: String) throws(SecretStoreError) {
    let folder = (path as NSString).deletingLastPathComponent
    var info = stat()
    guard stat(folder, &info) == 0 else { return }
    guard info.st_uid == geteuid() else {
      throw .badMasterKey("The key folder \(folder) belongs to another user; it must be yours alone.")
    }
    guard info.st_mode & 0o077 == 0 else {
      throw .badMasterKey("Others can read or write the key folder \(folder); run `chmod 700` on it.")
    }
  }

  /// 32 bytes from the system's random source.
  public static func newKey() -> [UInt8] {
    var key = [UInt8](repeating: 0, count: 32)
    var generator = SystemRandomNumberGenerator()
    for i in key.indices { key[i] = UInt8.random(in: 0...255, using: &generator) }
    return key
  }

  /// Whether the key comes from the environment rather than a file.
  public var isFromEnvironment: Bool { environment["SWITCHBOARD_MASTER_KEY"] != nil }

  /// Writes `key` to a new file at `path` (mode 0600, never over an existing file), synced.
  public static func write(_ key: [UInt8], toNewFile path: String) throws(SecretStoreError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard fd >= 0 else {
      throw .badMasterKey("Cannot create the key file \(path): \(String(cString: strerror(errno)))")
    }
    let encoded = Array((Data(key).base64EncodedString() + "\n").utf8)
    let written = encoded.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
    let synced = fsync(fd)
    close(fd)
    guard written == encoded.count, synced == 0 else {
      unlink(path)
      throw .badMasterKey("Cannot write the key file \(path).")
    }
  }

  private func create(at path: String) throws(SecretStoreError) -> [UInt8] {
    let key = Self.newKey()
    let folder = (path as NSString).deletingLastPathComponent
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw .badMasterKey("Cannot create the key folder \(folder): \(error.localizedDescription)")
    }
    try checkFolder(of: path)
    do {
      try Self.write(key, toNewFile: path)
    } catch {
      // Two processes creating the key at once: the file is exclusive, the loser takes the winner's.
      if FileManager.default.fileExists(atPath: path), let existing = try load(createIfMissing: false) { return existing }
      throw error
    }
    return key
  }
}

public enum SecretStoreError: Error, Sendable, Equatable, CustomStringConvertible {
  case badMasterKey(String)
  case wrongMasterKey
  case noMasterKey
  case tampered(key: String)

  public var description: String {
    switch self {
    case .badMasterKey(let message): return message
    case .wrongMasterKey:
      return "The master key does not match this catalog: secrets cannot be read or changed. Browsing still works."
    case .noMasterKey:
      return "This catalog holds secrets but no master key is available (SWITCHBOARD_MASTER_KEY or the key file)."
    case .tampered(let key):
      return "The stored secret for '\(key)' fails its integrity check (tampered or moved)."
    }
  }
}
