import ConnectionEngine
import ConnectionTUI
import Foundation
import PostgresTestServer
import TerminalKit
import Testing

/// The runtime with a real engine and the headless backend: keys in, frames out, catalog changed.
@Suite struct RuntimeTests {
  @Test func editSubmitAndSeeTheChangeThroughTheHeadlessBackend() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-runtime-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let environment = ["SWITCHBOARD_MASTER_KEY": Data(repeating: 9, count: 32).base64EncodedString(), "USER": "runtime"]
    let engine = try Engine(catalogPath: folder.appendingPathComponent("c.sqlite").path, environment: environment)
    try engine.execute("CREATE CONNECTION billing WITH ('type'='rest','endpoint'='https://b.example','token'='t0')")
    let backend = HeadlessBackend(size: Size(width: 100, height: 30))
    let runtime = Runtime(engine: engine, backend: backend)
    runtime.start()
    #expect(backend.screenText.contains("1 connection"))
    #expect(backend.screenText.contains("secret:token"))
    let framesBefore = backend.framesPresented
    runtime.handle(.key(.character("x")))  // an unbound key changes nothing: no new frame
    #expect(backend.framesPresented == framesBefore)

    runtime.handle(.key(.enter))
    // rest fields: endpoint, then username, password, token, token-endpoint, client-id, client-secret, scope
    while case .form(let form) = runtime.state.screen, form.fields[form.focus].keyText != "token" {
      runtime.handle(.key(.tab))
    }
    for character in "runtime-canary-77" { runtime.handle(.key(.character(character))) }
    #expect(backend.screenText.contains("'token' = '******'"))
    #expect(!backend.screenText.contains("runtime-canary"))
    runtime.handle(.key(.control("s")))
    #expect(backend.screenText.contains("Submit this?"))
    runtime.handle(.key(.character("y")))
    #expect(backend.screenText.contains("Done: ALTER CONNECTION"))
    #expect(try engine.connection(ObjectName(["billing"])).version == 2)
    #expect(try engine.history().last?.statement.contains("'token' = '******'") == true)

    runtime.handle(.resize(Size(width: 30, height: 8)))
    #expect(backend.screenText.contains("Terminal too small"))
    runtime.handle(.resize(Size(width: 100, height: 30)))
    #expect(backend.screenText.contains("billing"))
    runtime.handle(.key(.character("q")))
    #expect(runtime.state.shouldQuit)
  }

  /// A list longer than its first screen: the first rows at once, the rest read on another
  /// thread while keys keep working; a change reloads it there too, and the selection stays.
  @Test(arguments: [false, true]) func aBigListLoadsBehindTheKeys(postgres: Bool) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-runtime-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let location = postgres ? try PostgresTestServer.shared.get().createDatabase() : folder.appendingPathComponent("c.sqlite").path
    let environment = ["SWITCHBOARD_MASTER_KEY": Data(repeating: 9, count: 32).base64EncodedString(), "USER": "runtime"]
    let engine = try Engine(catalogPath: location, environment: environment)
    var script = ""
    for i in 0..<300 { script += "CREATE CONNECTION c\(String(format: "%03d", i)) WITH ('type'='rest','endpoint'='https://\(i).example','token'='t');\n" }
    #expect(engine.run(script: script).allSatisfy { if case .success = $0.result { true } else { false } })
    let backend = HeadlessBackend(size: Size(width: 100, height: 12))  // a first screen of 50 rows
    let runtime = Runtime(engine: engine, backend: backend, backgroundLoadAbove: 100)
    runtime.start()
    #expect(runtime.state.rows.count == 50)
    #expect(backend.screenText.contains("50+ connections, loading…"))
    #expect(runtime.isLoadingInBackground)
    runtime.handle(.key(.down))  // keys work before the rest arrives
    #expect(runtime.state.selectedRow?.name == "c001")
    #expect(backend.screenText.contains("https://1.example"))  // its detail, read on its own
    // A filter for rows not read yet says so, then finds them when they arrive.
    for key in [Key.character("/"), .character("c"), .character("2"), .character("9")] { runtime.handle(.key(key)) }
    #expect(backend.screenText.contains("Nothing matches /c29 in the rows read so far; the rest is still loading…"))
    runtime.finishLoading()
    #expect(backend.screenText.contains("10 of 300 match /c29"))
    for key in [Key.escape, .escape] { runtime.handle(.key(key)) }
    runtime.handle(.key(.character("g")))
    runtime.handle(.key(.down))
    #expect(backend.screenText.contains("300 connections"))
    #expect(runtime.state.selectedRow?.name == "c001")
    // A change made here reloads the big list in the background; the detail is read at once.
    runtime.handle(.key(.character(":")))
    for character in "ALTER CONNECTION c001 SET ('endpoint' = 'https://changed.example')" { runtime.handle(.key(.character(character))) }
    runtime.handle(.key(.enter))
    runtime.handle(.key(.escape))
    #expect(runtime.isLoadingInBackground)
    #expect(backend.screenText.contains("https://changed.example"))
    runtime.finishLoading()
    #expect(runtime.state.rows[1].endpoint == "https://changed.example")
    #expect(runtime.state.rows.count == 300)
    // Only the newest of several loads counts.
    runtime.handle(.key(.character("r")))
    runtime.handle(.key(.character("r")))
    runtime.finishLoading()
    #expect(!runtime.isLoadingInBackground && runtime.state.rows.count == 300 && runtime.state.selectedRow?.name == "c001")
  }
}

/// A role with read-only grants: the UI says so in the header, shows no write key in the list,
/// the footer or the help, and no key on any screen writes anything.
@Suite struct ReadOnlyRuntimeTests {
  @Test func everyKeyOnEveryScreenWritesNothing() throws {
    let server = try PostgresTestServer.shared.get()
    let url = try server.createDatabase()
    let database = PostgresTestServer.database(in: url)
    let environment = ["SWITCHBOARD_MASTER_KEY": Data(repeating: 9, count: 32).base64EncodedString(), "USER": "runtime"]
    try Engine(catalogPath: url, environment: environment)
      .execute("CREATE CONNECTION billing WITH ('type'='rest','endpoint'='https://b.example','token'='t0')")
    // A kept version, so the versions view has one to (not) restore.
    try Engine(catalogPath: url, environment: environment).execute("ALTER CONNECTION billing SET ('endpoint'='https://c.example')")
    let reader = "ro_\(database)"
    try server.psql("CREATE ROLE \(reader) LOGIN", database: database)
    try server.psql("GRANT USAGE ON SCHEMA switchboard TO \(reader); GRANT SELECT ON ALL TABLES IN SCHEMA switchboard TO \(reader)", database: database)
    let snapshot = {
      try server.psql(
        "SELECT (SELECT string_agg(name || ':' || version || ':' || options, ',') FROM switchboard.connections), (SELECT count(*) FROM switchboard.history), (SELECT string_agg(encode(sealed, 'hex'), ',') FROM switchboard.secrets), (SELECT count(*) FROM switchboard.versions)",
        database: database)
    }
    let before = try snapshot()

    let engine = try Engine(catalogPath: server.url(database: database, user: reader), environment: environment)
    #expect(engine.isReadOnly)
    let backend = HeadlessBackend(size: Size(width: 140, height: 34))
    let runtime = Runtime(engine: engine, backend: backend)
    runtime.start()
    var screen = backend.screenText
    #expect(screen.contains("READ-ONLY"))
    #expect(screen.contains("read-only: this account may not change"))
    #expect(screen.contains("billing"))
    for writeKey in ["⏎ edit", "n new", "d drop", "u undo"] { #expect(!screen.contains(writeKey), "\(writeKey) in the footer") }
    runtime.handle(.key(.character("?")))
    screen = backend.screenText
    #expect(screen.contains("filter as you type"))
    for writeKey in ["new connection", "drop (type name)", "submit"] { #expect(!screen.contains(writeKey), "\(writeKey) in the help") }
    runtime.handle(.key(.escape))

    // Every key but the quitting ones, on every screen the list reaches (and the filter).
    var keys: [Key] = (32...126).map { .character(Character(Unicode.Scalar($0)!)) }.filter { $0 != .character("q") }
    keys += [.enter, .tab, .backTab, .escape, .backspace, .delete, .insert, .up, .down, .left, .right, .home, .end, .pageUp, .pageDown]
    keys += "abdefghijklmnoprstuvwxyz".map { .control($0) } + (1...12).map { .function($0) }
    let openers: [[Key]] = [
      [], [.character(":")], [.character("h")], [.character("c")], [.character("?")], [.character("/")], [.character("v")],
      [.character("v"), .down],
    ]
    var visited = Set<String>()
    for opener in openers {
      for key in keys {
        for press in opener { runtime.handle(.key(press)) }
        visited.insert("\(runtime.state.screen)".prefix(while: { $0 != "(" }).description)
        runtime.handle(.key(key))
        runtime.handle(.mouse(MouseEvent(.doubleClick, x: 3, y: 2)))
        switch runtime.state.screen {
        case .form, .drop, .pickType: Issue.record("\(key) after \(opener) opened a write screen")
        default: break
        }
        if case .confirmRestore? = runtime.state.dialog { Issue.record("\(key) after \(opener) offered a restore") }
        for _ in 0..<3 { runtime.handle(.key(.escape)) }
        runtime.state.dialog.map { _ in runtime.handle(.key(.character("n"))) }
        #expect(!runtime.state.shouldQuit, "\(key) after \(opener)")
      }
    }
    #expect(visited.count >= 5, "\(visited)")
    #expect(visited.contains("versions"), "\(visited)")
    // A write typed at the prompt is refused with the one message.
    runtime.handle(.key(.character(":")))
    for character in "DROP CONNECTION billing" { runtime.handle(.key(.character(character))) }
    runtime.handle(.key(.enter))
    #expect(backend.screenText.contains("read-only"))
    #expect(try snapshot() == before)
  }
}
