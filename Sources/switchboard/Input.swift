import ConnectionEngine
import Foundation
import TerminalKit

/// Where a script comes from and how it is named in messages.
struct ScriptInput {
  var text: String
  /// `<stdin>`, `<command line>` or the file name.
  var location: String

  /// Reads `-f FILE`, or standard input. Invalid UTF-8 is refused with its position.
  static func read(file: String?) throws(CLIError) -> ScriptInput {
    let data: Data
    let location: String
    if let file {
      guard let contents = FileManager.default.contents(atPath: file) else {
        throw CLIError(.usage, "Cannot read \(sanitizedForTerminal(file)): no such file or not readable.")
      }
      data = contents
      location = file
    } else {
      data = FileHandle.standardInput.readDataToEndOfFile()
      location = "<stdin>"
    }
    guard let text = String(validating: data, as: UTF8.self) else {
      let valid = validUTF8Prefix(data)
      let where_ = SourceLocation.of(offset: valid, in: Array(data.prefix(valid)))
      throw CLIError(.statementFailed, "\(sanitizedForTerminal(location)):\(where_.line):\(where_.column): error: the input is not valid UTF-8 (byte \(valid + 1)); nothing was run.")
    }
    return ScriptInput(text: text, location: location)
  }
}

private func validUTF8Prefix(_ data: Data) -> Int {
  var decoder = UTF8()
  var iterator = data.makeIterator()
  var offset = 0
  while true {
    switch decoder.decode(&iterator) {
    case .scalarValue(let scalar): offset += UTF8.width(scalar)
    case .emptyInput, .error: return offset
    }
  }
}


/// All of standard input as bytes: mapped when it is a regular file (no copy), read otherwise.
enum StandardInput {
  static func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    var info = stat()
    if fstat(STDIN_FILENO, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 {
      let offset = lseek(STDIN_FILENO, 0, SEEK_CUR)
      let length = Int(info.st_size) - Int(max(0, offset))
      if offset >= 0, length > 0, let mapped = mmap(nil, Int(info.st_size), PROT_READ, MAP_PRIVATE, STDIN_FILENO, 0), mapped != MAP_FAILED {
        defer { munmap(mapped, Int(info.st_size)) }
        let start = mapped.assumingMemoryBound(to: UInt8.self) + Int(offset)
        return body(UnsafeBufferPointer(start: start, count: length))
      }
    }
    let data = FileHandle.standardInput.readDataToEndOfFile()
    return data.withUnsafeBytes { body($0.bindMemory(to: UInt8.self)) }
  }
}
