import ConnectionEngine
import ConnectionTUI
import Foundation
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
}
