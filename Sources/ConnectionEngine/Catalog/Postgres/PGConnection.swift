import Foundation

/// Why a PostgreSQL call failed: the server's SQLSTATE and primary message, or libpq's own
/// words when there was no server answer (then `sqlstate` is nil).
struct PGFailure: Error {
  var sqlstate: String?
  var message: String
}

/// One libpq connection: statements with bound text parameters, rows read by position.
final class PGConnection {
  let pq: LibPQ
  private let conn: LibPQ.Conn
  /// Statements as written (`?` placeholders) → as PostgreSQL wants them (`$1`, `$2`, …).
  private var numbered: [String: String] = [:]

  /// `url` is handed to libpq as is: host, port, user, password files, `sslmode` and the `PG*`
  /// environment variables follow libpq's own rules. Connecting gives up after PGCONNECT_TIMEOUT
  /// or the URL's connect_timeout seconds (10 by default).
  init(url: String, environment: [String: String]) throws(PGFailure) {
    let pq: LibPQ
    switch LibPQ.shared {
    case .success(let library): pq = library
    case .failure(let error): throw PGFailure(sqlstate: nil, message: error.message)
    }
    self.pq = pq
    // The URL last, so that what it says wins over these defaults.
    let keywords = ["application_name", "client_encoding", "dbname"]
    let values = ["switchboard", "UTF8", url]
    let connection = Self.withCStrings(keywords) { keywords in
      Self.withCStrings(values) { values in pq.connectStartParams(keywords, values, 1) }
    }
    guard let connection else { throw PGFailure(sqlstate: nil, message: "out of memory") }
    // Before the server says anything: a notice (a shutdown warning while connecting, "relation
    // already exists, skipping") would otherwise go to stderr unsanitised.
    _ = pq.setNoticeProcessor(connection, { _, _ in }, nil)
    let seconds = Int(environment["PGCONNECT_TIMEOUT"] ?? "") ?? Self.queryValue("connect_timeout", in: url).flatMap { Int($0) } ?? 10
    if let failure = Self.finishConnecting(pq, connection, deadline: ContinuousClock.now + .seconds(max(2, seconds))) {
      pq.finish(connection)
      throw failure
    }
    conn = connection
  }

  /// Drives libpq's non-blocking connect to the end (it ignores connect_timeout there: the
  /// deadline is ours). Returns why it failed, or nil.
  private static func finishConnecting(_ pq: LibPQ, _ connection: LibPQ.Conn, deadline: ContinuousClock.Instant) -> PGFailure? {
    var state = pq.status(connection) == LibPQ.connectionBad ? LibPQ.pollingFailed : LibPQ.pollingWriting
    while true {
      switch state {
      case LibPQ.pollingOK:
        return nil
      case LibPQ.pollingReading, LibPQ.pollingWriting:
        let left = deadline - ContinuousClock.now
        let milliseconds = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
        guard milliseconds > 0 else { return PGFailure(sqlstate: nil, message: "timeout expired") }
        var descriptor = pollfd(fd: pq.socket(connection), events: Int16(state == LibPQ.pollingReading ? POLLIN : POLLOUT), revents: 0)
        let ready = poll(&descriptor, 1, milliseconds)
        if ready == 0 { return PGFailure(sqlstate: nil, message: "timeout expired") }
        if ready < 0 && errno != EINTR { return PGFailure(sqlstate: nil, message: "connecting failed (poll: \(errno))") }
        state = pq.connectPoll(connection)
      default:
        return PGFailure(sqlstate: nil, message: firstLine(pq.errorMessage(connection)))
      }
    }
  }

  /// A `key=value` of a URL's query, for the one setting read here.
  private static func queryValue(_ key: String, in url: String) -> String? {
    guard let query = url.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
    for pair in query.split(separator: "&") where pair.hasPrefix(key + "=") { return String(pair.dropFirst(key.count + 1)) }
    return nil
  }

  deinit { close() }

  private var isClosed = false

  func close() {
    guard !isClosed else { return }
    isClosed = true
    pq.finish(conn)
  }

  var isAlive: Bool { pq.status(conn) == LibPQ.connectionOK }

  /// Tries once to connect again after the connection was lost.
  func reconnect() -> Bool {
    pq.reset(conn)
    return isAlive
  }

  /// `postgresql://user@host:port/db`, for messages: never a password.
  var address: String {
    func field(_ value: UnsafePointer<CChar>?) -> String { value.map { String(cString: $0) } ?? "" }
    let host = field(pq.host(conn))
    let shownHost = host.hasPrefix("/") ? "" : host
    let query = host.hasPrefix("/") ? "?host=" + host : ""
    return "postgresql://\(field(pq.user(conn)))@\(shownHost):\(field(pq.port(conn)))/\(field(pq.db(conn)))\(query)"
  }

  /// The server's version as libpq reports it: 150018 for 15.18.
  var serverVersion: Int { Int(pq.serverVersion(conn)) }

  /// Runs one or more statements without parameters (transaction control, DDL).
  func run(_ sql: String) throws(PGFailure) {
    let result = pq.exec(conn, sql)
    defer { pq.clear(result) }
    try check(result)
  }

  /// Runs one statement with `?` placeholders bound to `arguments`; returns the result, which
  /// the caller reads with `rows` and then releases with `release`.
  func query(_ sql: String, _ arguments: [SQLValue]) throws(PGFailure) -> LibPQ.Result? {
    let text = numberedPlaceholders(sql)
    let parameters: [String?] = arguments.map { value in
      switch value {
      case .null: nil
      case .int(let number): String(number)
      case .double(let number): "\(number)"
      case .text(let text): text
      case .bytes(let bytes): Self.hex(bytes)
      }
    }
    let cStrings: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.flatMap { strdup($0) } }
    defer { for pointer in cStrings { free(pointer) } }
    let result = cStrings.map { $0.map { UnsafePointer($0) } }.withUnsafeBufferPointer { values in
      pq.execParams(conn, text, Int32(values.count), nil, values.baseAddress, nil, nil, 0)
    }
    do throws(PGFailure) {
      try check(result)
    } catch {
      pq.clear(result)
      throw error
    }
    return result
  }

  func release(_ result: LibPQ.Result?) { pq.clear(result) }

  func changedRows(_ result: LibPQ.Result?) -> Int {
    guard let text = pq.cmdTuples(result) else { return 0 }
    return Int(String(cString: text)) ?? 0
  }

  /// Notifications received since the last call (after reading what the socket holds).
  /// Nil when the connection is gone.
  func takeNotifications() -> [String]? {
    guard pq.consumeInput(conn) == 1 else { return nil }
    var channels: [String] = []
    while let notify = pq.notifies(conn) {
      if let name = notify.assumingMemoryBound(to: LibPQ.Notify.self).pointee.relname { channels.append(String(cString: name)) }
      pq.freemem(notify)
    }
    return channels
  }

  /// `bytea` input in hex form.
  private static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = [0x5C, 0x78]
    text.reserveCapacity(2 + bytes.count * 2)
    for byte in bytes {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 15)])
    }
    return String(decoding: text, as: UTF8.self)
  }

  private func check(_ result: LibPQ.Result?) throws(PGFailure) {
    let status = pq.resultStatus(result)
    guard status != LibPQ.commandOK && status != LibPQ.tuplesOK else { return }
    guard let result, let state = pq.resultErrorField(result, LibPQ.sqlstateField) else {
      throw PGFailure(sqlstate: nil, message: Self.firstLine(pq.errorMessage(conn)))
    }
    let message = pq.resultErrorField(result, LibPQ.primaryMessageField).map { String(cString: $0) } ?? "error"
    throw PGFailure(sqlstate: String(cString: state), message: message)
  }

  private func numberedPlaceholders(_ sql: String) -> String {
    if let text = numbered[sql] { return text }
    var text = ""
    var count = 0
    for character in sql {
      if character == "?" {
        count += 1
        text += "$\(count)"
      } else {
        text.append(character)
      }
    }
    numbered[sql] = text
    return text
  }

  private static func firstLine(_ message: UnsafePointer<CChar>?) -> String {
    let text = message.map { String(cString: $0) } ?? "unknown error"
    let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
    return lines.first { !$0.isEmpty } ?? "unknown error"
  }

  private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return pointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { body($0.baseAddress!) }
  }
}

/// One row of a libpq result in text format.
struct PGRow: SQLRow {
  let pq: LibPQ
  let result: LibPQ.Result?
  let row: Int32

  func isNull(_ column: Int) -> Bool { pq.getisnull(result, row, Int32(column)) == 1 }

  func int(_ column: Int) -> Int64 {
    guard let value = pq.getvalue(result, row, Int32(column)) else { return 0 }
    return strtoll(value, nil, 10)
  }

  func double(_ column: Int) -> Double {
    guard let value = pq.getvalue(result, row, Int32(column)) else { return 0 }
    return strtod(value, nil)
  }

  func text(_ column: Int) -> String? {
    if isNull(column) { return nil }
    return pq.getvalue(result, row, Int32(column)).map { String(cString: $0) }
  }

  /// `bytea` in PostgreSQL's hex output: `\x` and two hex digits a byte.
  func bytes(_ column: Int) -> [UInt8]? {
    if isNull(column) { return nil }
    guard let value = pq.getvalue(result, row, Int32(column)) else { return nil }
    let length = Int(pq.getlength(result, row, Int32(column)))
    let text = UnsafeBufferPointer(start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), count: length)
    guard length >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x") else { return nil }
    func nibble(_ byte: UInt8) -> UInt8 { byte <= 0x39 ? byte - 0x30 : (byte | 0x20) - 0x57 }
    return stride(from: 2, to: length - 1, by: 2).map { nibble(text[$0]) << 4 | nibble(text[$0 + 1]) }
  }
}
