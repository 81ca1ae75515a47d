import Foundation
import PostgresTestServer
import Testing

/// A team, live: what another process creates, renames, alters or drops shows in a running
/// terminal UI without a key press, on a file (SQLite's data version) and on a server
/// (PostgreSQL's notifications). The selection stays on its connection; an open form whose
/// connection changed says so before the user submits.
@Suite(.enabled(if: TmuxSession.isAvailable, "tmux is not installed (.ci/run installs it)"), .serialized)
struct LiveTerminalUITests {
  /// The real binary on `catalog` in tmux, wide enough for the detail pane's title, showing b_conn.
  static func openUI(on catalog: String, _ cli: CLIRunner) throws -> TmuxSession {
    var environment = cli.environment
    environment["TERM"] = "screen"
    let tui = try TmuxSession("\(CLIRunner.binary.path) --catalog '\(catalog)'; echo EXITED=$?; sleep 600", width: 160, environment: environment)
    try tui.waitFor("DESCRIBE default_catalog.default_database.b_conn")
    return tui
  }

  @Test(arguments: [false, true]) func othersChangesShowWithoutAKey(onServer: Bool) throws {
    let cli = try CLIRunner()
    cli.environment["SWITCHBOARD_MASTER_KEY"] = TerminalUITests.masterKey
    let catalog = onServer ? try PostgresTestServer.shared.get().createDatabase() : cli.directory.appendingPathComponent("live.sqlite").path
    func other(_ sql: String) throws {
      let run = try cli.run(["sql", "--catalog", catalog], stdin: sql)
      try #require(run.status == 0, "\(sql): \(run.stderr)")
    }
    try other("CREATE CONNECTION b_conn WITH ('type' = 'default', 'region' = 'eu')")
    let tui = try Self.openUI(on: catalog, cli)

    // Created by someone else, sorted above the selection: listed, and the selection stays.
    try other("CREATE CONNECTION a_conn WITH ('type' = 'default', 'region' = 'us')")
    var screen = try tui.waitFor("a_conn listed", timeout: 3) { $0.contains("a_conn") }
    #expect(screen.contains("DESCRIBE default_catalog.default_database.b_conn"))
    try other("ALTER CONNECTION a_conn RENAME TO a2_conn")
    screen = try tui.waitFor("a2_conn listed", timeout: 3) { $0.contains("a2_conn") && !$0.contains("a_conn ") }

    // An open form learns at once that its connection changed.
    try tui.press("Enter")
    try tui.waitFor("Edit default_catalog.default_database.b_conn")
    try other("ALTER CONNECTION b_conn SET ('region' = 'ap')")
    screen = try tui.waitFor("the form is told", timeout: 3) { $0.contains("b_conn was changed by someone else") }
    #expect(screen.contains("Edit default_catalog.default_database.b_conn"))
    try tui.press("Escape")
    try tui.waitFor("back to the list", timeout: 5) { !$0.contains("Edit default_catalog") }
    try other("DROP CONNECTION a2_conn")
    try tui.waitFor("a2_conn gone", timeout: 3) { !$0.contains("a2_conn") }
    try tui.press("q")
    try tui.waitFor("EXITED=0")
  }
}

extension LiveTerminalUITests {
  /// The server stops while a form is open: the UI says the catalog is unreachable and keeps the
  /// form and its edits; a submit meanwhile fails and changes nothing; once the server is back the
  /// UI says so, and the same submit, asked for again, lands.
  @Test func theServerStopsMidSessionAndComesBack() throws {
    let server = try PostgresTestServer.dedicated()
    let cli = try CLIRunner()
    cli.environment["SWITCHBOARD_MASTER_KEY"] = TerminalUITests.masterKey
    let catalog = try server.createDatabase()
    let seed = try cli.run(["sql", "--catalog", catalog], stdin: "CREATE CONNECTION b_conn WITH ('type' = 'default', 'region' = 'eu')")
    try #require(seed.status == 0, "\(seed.stderr)")
    let tui = try Self.openUI(on: catalog, cli)
    try tui.press("Enter")
    try tui.waitFor("Edit default_catalog.default_database.b_conn")
    try tui.press("Tab")
    try tui.press("BSpace", "BSpace")
    try tui.type("ap")
    try tui.waitFor("'region' = 'ap'")

    server.stop()
    var screen = try tui.waitFor("unreachable", timeout: 5)
    #expect(screen.contains("Your edits are kept"))
    try tui.press("C-s")
    try tui.waitFor("Submit this?")
    try tui.press("y")
    screen = try tui.waitFor("the submit fails", timeout: 15) { !$0.contains("Submit this?") && $0.contains("Edit default_catalog") }
    #expect(!screen.contains("Done:"))
    #expect(screen.contains("'region' = 'ap'"))

    try server.start()
    try tui.waitFor("reachable again", timeout: 5)
    #expect(try tui.screen().contains("'region' = 'ap'"))
    try tui.press("C-s")
    try tui.waitFor("Submit this?")
    try tui.press("y")
    try tui.waitFor("Done: ALTER CONNECTION", timeout: 10)
    let after = try cli.run(["sql", "--catalog", catalog, "--format", "csv"], stdin: "DESCRIBE CONNECTION EXTENDED b_conn")
    #expect(after.stdout.contains("option:region,ap"))
    #expect(after.stdout.contains("version,2"))
    try tui.press("q")
    try tui.waitFor("EXITED=0")
  }
}
