import Foundation

/// libpq, wrapped once. It is loaded with `dlopen` the first time a PostgreSQL catalog is
/// opened rather than linked: linking it makes every process load libpq and its two dozen
/// libraries (TLS, Kerberos, LDAP) at start, 4.4 ms measured on this project's machine, which
/// every SQLite command would pay for nothing.
struct LibPQ {
  typealias Conn = OpaquePointer
  typealias Result = OpaquePointer

  let connectStartParams: @convention(c) (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?, Int32) -> Conn?
  let connectPoll: @convention(c) (Conn?) -> Int32
  let socket: @convention(c) (Conn?) -> Int32
  let status: @convention(c) (Conn?) -> Int32
  let errorMessage: @convention(c) (Conn?) -> UnsafePointer<CChar>?
  let finish: @convention(c) (Conn?) -> Void
  let reset: @convention(c) (Conn?) -> Void
  let execParams: @convention(c) (
    Conn?, UnsafePointer<CChar>?, Int32, UnsafePointer<UInt32>?, UnsafePointer<UnsafePointer<CChar>?>?,
    UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32
  ) -> Result?
  let exec: @convention(c) (Conn?, UnsafePointer<CChar>?) -> Result?
  let resultStatus: @convention(c) (Result?) -> Int32
  let resultErrorField: @convention(c) (Result?, Int32) -> UnsafePointer<CChar>?
  let ntuples: @convention(c) (Result?) -> Int32
  let getvalue: @convention(c) (Result?, Int32, Int32) -> UnsafePointer<CChar>?
  let getlength: @convention(c) (Result?, Int32, Int32) -> Int32
  let getisnull: @convention(c) (Result?, Int32, Int32) -> Int32
  let cmdTuples: @convention(c) (Result?) -> UnsafePointer<CChar>?
  let clear: @convention(c) (Result?) -> Void
  let setNoticeProcessor: @convention(c) (
    Conn?, (@convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Void)?, UnsafeMutableRawPointer?
  ) -> OpaquePointer?
  let user: @convention(c) (Conn?) -> UnsafePointer<CChar>?
  let db: @convention(c) (Conn?) -> UnsafePointer<CChar>?
  let host: @convention(c) (Conn?) -> UnsafePointer<CChar>?
  let port: @convention(c) (Conn?) -> UnsafePointer<CChar>?
  let consumeInput: @convention(c) (Conn?) -> Int32
  let notifies: @convention(c) (Conn?) -> UnsafeMutableRawPointer?
  let freemem: @convention(c) (UnsafeMutableRawPointer?) -> Void
  let serverVersion: @convention(c) (Conn?) -> Int32

  /// `PGnotify`'s public fields.
  struct Notify {
    var relname: UnsafeMutablePointer<CChar>?
    var bePID: Int32
    var extra: UnsafeMutablePointer<CChar>?
  }

  static let connectionOK: Int32 = 0
  static let connectionBad: Int32 = 1
  /// `PostgresPollingStatusType`.
  static let pollingFailed: Int32 = 0, pollingReading: Int32 = 1, pollingWriting: Int32 = 2, pollingOK: Int32 = 3
  static let commandOK: Int32 = 1
  static let tuplesOK: Int32 = 2
  static let sqlstateField = Int32(UInt8(ascii: "C"))
  static let primaryMessageField = Int32(UInt8(ascii: "M"))

  /// The loaded library, or why it could not be loaded.
  static let shared: Swift.Result<LibPQ, EngineError> = load()

  private static func load() -> Swift.Result<LibPQ, EngineError> {
    let names = ["libpq.so.5", "libpq.so", "libpq.5.dylib", "/opt/homebrew/opt/libpq/lib/libpq.5.dylib"]
    guard let handle = names.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first else {
      return .failure(EngineError(
        .storage, "PostgreSQL catalogs need libpq, which is not installed (Debian and Ubuntu: apt install libpq5)."))
    }
    guard let library = try? LibPQ(handle) else {
      return .failure(EngineError(.storage, "The installed libpq lacks functions Switchboard needs; install libpq 12 or newer."))
    }
    return .success(library)
  }

  private struct MissingSymbol: Error {}

  private init(_ handle: UnsafeMutableRawPointer) throws(MissingSymbol) {
    func symbol<T>(_ name: String) throws(MissingSymbol) -> T {
      guard let address = dlsym(handle, name) else { throw MissingSymbol() }
      return unsafeBitCast(address, to: T.self)
    }
    connectStartParams = try symbol("PQconnectStartParams")
    connectPoll = try symbol("PQconnectPoll")
    socket = try symbol("PQsocket")
    status = try symbol("PQstatus")
    errorMessage = try symbol("PQerrorMessage")
    finish = try symbol("PQfinish")
    reset = try symbol("PQreset")
    execParams = try symbol("PQexecParams")
    exec = try symbol("PQexec")
    resultStatus = try symbol("PQresultStatus")
    resultErrorField = try symbol("PQresultErrorField")
    ntuples = try symbol("PQntuples")
    getvalue = try symbol("PQgetvalue")
    getlength = try symbol("PQgetlength")
    getisnull = try symbol("PQgetisnull")
    cmdTuples = try symbol("PQcmdTuples")
    clear = try symbol("PQclear")
    setNoticeProcessor = try symbol("PQsetNoticeProcessor")
    user = try symbol("PQuser")
    db = try symbol("PQdb")
    host = try symbol("PQhost")
    port = try symbol("PQport")
    consumeInput = try symbol("PQconsumeInput")
    notifies = try symbol("PQnotifies")
    freemem = try symbol("PQfreemem")
    serverVersion = try symbol("PQserverVersion")
  }
}
