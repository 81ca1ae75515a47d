import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A socket that speaks just enough of PostgreSQL's wire protocol to play a server the tests
/// cannot start for real: one too old, one that refuses TLS to a client that requires it, one
/// that accepts and then never answers. Each listens on a fresh socket (a Unix socket in a temp
/// folder, or TCP on 127.0.0.1 with a port the kernel picks) and serves one client at a time.
final class FakePostgresServer: @unchecked Sendable {
  enum Behaviour {
    /// Completes the start-up as PostgreSQL `version` would (no authentication), then waits.
    case oldServer(version: String)
    /// Answers a client's SSLRequest with 'N' (no TLS here), as a server built without it does.
    case noTLS
    /// Accepts and never says a word.
    case silent
  }

  private let listener: Int32
  private let behaviour: Behaviour
  private let folder: URL?
  /// The `postgresql://` URL a client connects with.
  let url: String

  init(_ behaviour: Behaviour, tcp: Bool) throws {
    self.behaviour = behaviour
    if tcp {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      listener = fd
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      address.sin_port = 0  // the kernel picks a free port
      var length = socklen_t(MemoryLayout<sockaddr_in>.size)
      try withUnsafeMutablePointer(to: &address) { pointer in
        try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
          guard bind(fd, raw, length) == 0, getsockname(fd, raw, &length) == 0 else { throw FakeServerError.socket(errno) }
        }
      }
      folder = nil
      url = "postgresql://fake@127.0.0.1:\(UInt16(bigEndian: address.sin_port))/fake?sslmode=require"
    } else {
      let folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("sbfake-\(UUID().uuidString.prefix(8))")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      self.folder = folder
      let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
      listener = fd
      var address = sockaddr_un()
      address.sun_family = sa_family_t(AF_UNIX)
      let path = folder.appendingPathComponent(".s.PGSQL.5432").path
      withUnsafeMutableBytes(of: &address.sun_path) { buffer in
        for (i, byte) in path.utf8.enumerated() where i < buffer.count - 1 { buffer[i] = byte }
      }
      try withUnsafeMutablePointer(to: &address) { pointer in
        try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
          guard bind(fd, raw, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 else { throw FakeServerError.socket(errno) }
        }
      }
      url = "postgresql://fake@/fake?host=\(folder.path)"
    }
    guard listen(listener, 8) == 0 else { throw FakeServerError.socket(errno) }
    Thread.detachNewThread { [self] in serve() }
  }

  /// Stops listening (clients being answered finish on their own) and removes the socket's folder.
  func stop() {
    shutdown(listener, Int32(SHUT_RDWR))
    close(listener)
    if let folder { try? FileManager.default.removeItem(at: folder) }
  }

  private func serve() {
    while true {
      let client = accept(listener, nil, nil)
      guard client >= 0 else { return }  // the listener was closed
      Thread.detachNewThread { [self] in
        answer(client)
        close(client)
      }
    }
  }

  private func answer(_ client: Int32) {
    switch behaviour {
    case .silent:
      sleep(30)
    case .noTLS:
      // SSLRequest: length 8, code 80877103.
      if let request = read(client, 8), request.suffix(4) == [0x04, 0xD2, 0x16, 0x2F] { write(client, [UInt8(ascii: "N")]) }
      _ = read(client, 1)
    case .oldServer(let version):
      guard let header = read(client, 4) else { return }
      let length = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
      guard length > 4, read(client, length - 4) != nil else { return }
      var reply: [UInt8] = []
      func message(_ type: Character, _ body: [UInt8]) {
        let length = UInt32(body.count + 4)
        reply += [UInt8(ascii: type.unicodeScalars.first!), UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + body
      }
      message("R", [0, 0, 0, 0])  // AuthenticationOk
      message("S", Array("server_version".utf8) + [0] + Array(version.utf8) + [0])
      message("S", Array("server_encoding".utf8) + [0] + Array("UTF8".utf8) + [0])
      message("S", Array("client_encoding".utf8) + [0] + Array("UTF8".utf8) + [0])
      message("K", [0, 0, 0, 1, 0, 0, 0, 2])  // BackendKeyData
      message("Z", [UInt8(ascii: "I")])  // ReadyForQuery
      write(client, reply)
      _ = read(client, 1)  // until the client goes
    }
  }

  private func read(_ client: Int32, _ count: Int) -> [UInt8]? {
    var bytes = [UInt8](repeating: 0, count: count)
    var got = 0
    while got < count {
      let n = bytes.withUnsafeMutableBytes { Glibc.read(client, $0.baseAddress! + got, count - got) }
      if n <= 0 { return nil }
      got += n
    }
    return bytes
  }

  private func write(_ client: Int32, _ bytes: [UInt8]) {
    _ = bytes.withUnsafeBytes { Glibc.write(client, $0.baseAddress!, bytes.count) }
  }
}

enum FakeServerError: Error { case socket(Int32) }
