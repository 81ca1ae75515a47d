import Foundation

/// One place a script uses a connection.
public struct ConnectionUse: Sendable, Equatable {
  /// The script's path, relative to the folder scanned.
  public var file: String
  public var location: SourceLocation
  /// The statement's kind: `CREATE TABLE`, `CREATE MODEL`, ...
  public var statement: String
  /// How it names the connection: `'mongodb.connection'` or `USING CONNECTION`.
  public var via: String

  public init(file: String, location: SourceLocation, statement: String, via: String) {
    self.file = file
    self.location = location
    self.statement = statement
    self.via = via
  }
}

/// What `scan` found under a folder.
public struct ScriptScan: Sendable {
  /// `catalog.database.name` → its uses, in file and line order.
  public var uses: [String: [ConnectionUse]] = [:]
  /// Uses of connections the catalog does not have (the names are not kept: they may be anything).
  public var unknown: [ConnectionUse] = []
  public var files = 0
  /// Files passed over, and why.
  public var skipped: [String] = []

  public init(uses: [String: [ConnectionUse]] = [:], unknown: [ConnectionUse] = [], files: Int = 0, skipped: [String] = []) {
    self.uses = uses
    self.unknown = unknown
    self.files = files
    self.skipped = skipped
  }
}

extension Engine {
  /// Scripts larger than this are passed over (named in `skipped`).
  public static let largestScannedScript = 32 << 20

  /// Every `.sql` file under `directory` (hidden folders and files left out, links not followed),
  /// read as `check` reads it, each connection it names resolved against this catalog.
  public func scanScripts(in directory: String, dialect: FlinkDialect = .flink23) throws(EngineError) -> ScriptScan {
    let root = URL(fileURLWithPath: directory).standardizedFileURL
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue else {
      throw EngineError(.notFound, "\(sanitizedForMessage(directory)) is not a folder.")
    }
    var result = ScriptScan()
    var names: [String: Set<String>] = [:]
    var paths: [String] = []
    let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey], options: [.skipsHiddenFiles])
    while let url = enumerator?.nextObject() as? URL {
      guard url.pathExtension.lowercased() == "sql" else { continue }
      let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
      guard values?.isRegularFile == true else { continue }
      let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count).drop { $0 == "/" })
      if (values?.fileSize ?? 0) > Self.largestScannedScript {
        result.skipped.append("\(relative): larger than \(Self.largestScannedScript >> 20) MB")
        continue
      }
      paths.append(relative)
    }
    for relative in paths.sorted() {
      guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(relative).path) else {
        result.skipped.append("\(relative): cannot be read")
        continue
      }
      guard let text = String(validating: data, as: UTF8.self) else {
        result.skipped.append("\(relative): not UTF-8")
        continue
      }
      result.files += 1
      let bytes = Array(text.utf8)
      let reading = Parser.readScript(bytes: bytes, dialect: dialect)
      guard !reading.references.isEmpty else { continue }
      let lines = LineIndex(bytes)
      for resolved in try resolveReferences(in: reading, names: &names) {
        let use = ConnectionUse(
          file: relative, location: lines.location(of: resolved.reference.offset), statement: resolved.reference.statement.kind,
          via: resolved.reference.via)
        if resolved.exists, let name = resolved.connection {
          result.uses[name.parts.joined(separator: "."), default: []].append(use)
        } else {
          result.unknown.append(use)
        }
      }
    }
    return result
  }
}
