import Foundation
import FuzzChecks
import Testing

/// End-to-end: the real `switchboard` in tmux, driven by keys, read from the screen.
@Suite(.enabled(if: TmuxSession.isAvailable, "tmux is not installed (.ci/run installs it)"), .serialized)
struct TerminalUITests {
  let cli: CLIRunner
  let catalog: String
  static let masterKey = Data(repeating: 0x5A, count: 32).base64EncodedString()

  init() throws {
    cli = try CLIRunner()
    cli.environment["SWITCHBOARD_MASTER_KEY"] = Self.masterKey
    catalog = cli.directory.appendingPathComponent("tui.sqlite").path
  }

  /// A catalog seeded with the demo script, so changes can be checked afterwards.
  func seededCatalog() throws {
    let seed = try cli.run(["sql", "--catalog", catalog, "-f", CLIRunner.repositoryRoot.appendingPathComponent("Resources/demo.sql").path])
    try #require(seed.status == 0, "\(seed.stderr)")
  }

  func start(_ arguments: String, width: Int = 120, height: Int = 35) throws -> TmuxSession {
    let command = "\(CLIRunner.binary.path) \(arguments); echo EXITED=$?; stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo; sleep 600"
    var environment = cli.environment
    environment["TERM"] = "screen"
    return try TmuxSession(command, width: width, height: height, environment: environment)
  }

  /// From the seeded catalog's first screen to default_catalog.ai, as a user would (c, then pick).
  func switchToAI(_ tui: TmuxSession) throws {
    try tui.waitFor("No connections in default_catalog.default_database")
    try tui.press("c")
    try tui.waitFor("Switch catalog and database")
    try tui.press("g")
    try tui.press("k", "k", "Enter")
    try tui.waitFor("default_catalog.ai")
  }

  /// A terminal that goes away (a closed window, a dropped SSH session) ends the UI as `q`
  /// does: no crash on writing to the gone terminal, the catalog closed (no `-wal` left).
  @Test func aClosedTerminalEndsTheUIWithoutACrash() throws {
    try seededCatalog()
    let errors = cli.directory.appendingPathComponent("stderr.txt").path
    var environment = cli.environment
    environment["TERM"] = "screen"
    let tui = try TmuxSession("\(CLIRunner.binary.path) --catalog '\(catalog)' 2>'\(errors)'", environment: environment)
    try tui.waitFor("No connections in default_catalog.default_database")
    let folder = URL(fileURLWithPath: catalog).deletingLastPathComponent().path
    func catalogFiles() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("tui.sqlite") }.sorted() }
    #expect(try catalogFiles().contains("tui.sqlite-wal"))
    try tui.tmux(["kill-server"])  // the terminal hangs up
    let deadline = Date().addingTimeInterval(10)
    while try catalogFiles() != ["tui.sqlite"] && Date() < deadline { usleep(50_000) }
    #expect(try catalogFiles() == ["tui.sqlite"])
    let stderr = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
    #expect(!stderr.contains("Fatal error"), "\(stderr.prefix(300))")
  }

  @Test func browseAndFilterTheDemo() throws {
    let tui = try start("--demo")
    try tui.waitFor("7 connections")
    var screen = try tui.screen()
    #expect(screen.contains("default_catalog.ai"))
    #expect(screen.contains("DESCRIBE default_catalog.ai.azure_gpt"))
    #expect(screen.contains("secret:api-key  ******"))
    try tui.press("/")
    try tui.type("OPEN")
    screen = try tui.waitFor("match /OPEN")
    #expect(screen.contains("openai_prod"))
    #expect(!screen.contains("claude"))
    try tui.press("Escape")
    try tui.waitFor("7 connections")
    try tui.press("j", "j", "j")
    screen = try tui.waitFor("DESCRIBE default_catalog.ai.openai_prod")
    try tui.press("q")
    screen = try tui.waitFor("the exit and stty line") { $0.contains("EXITED=0") && $0.contains("canon ") }
    #expect(screen.contains("icanon") && !screen.contains("-icanon"))
    #expect(screen.contains("echo") && !screen.contains("-echo"))
    // The demo's stored secrets never reached the screen, nor the scrollback after exit.
    #expect(!(try tui.screenWithScrollback()).contains("demo-fake"))
  }

  @Test func editAnApiKeyAndAUsernameThenCheckTheCatalog() throws {
    try seededCatalog()
    let canaries = ["tuiApiKeyCanary8842", "tuiUserCanary5521", "tuiPassCanary7730"]
    let tui = try start("--catalog \(catalog)")
    try switchToAI(tui)
    try tui.waitFor("default_catalog.ai  7 connections")
    try tui.press("/")
    try tui.type("openai_prod")
    try tui.press("Enter", "Enter")
    try tui.waitFor("Edit default_catalog.ai.openai_prod")
    try tui.press("Tab")
    try tui.type(canaries[0])
    var screen = try tui.waitFor("'api-key' = '******'")
    #expect(screen.contains("ALTER CONNECTION `default_catalog`.`ai`.`openai_prod` SET ("))
    #expect(screen.contains("• api-key: replaced"))
    try tui.press("C-s")
    // The dialog's frame can be captured half drawn under load: wait for its plan line itself.
    _ = try tui.waitFor("the plan in the submit dialog") { screen in
      screen.contains("Submit this?") && screen.split(separator: "\n").contains { $0.contains("│ • api-key: replaced") }
    }
    try tui.press("y")
    try tui.waitFor("Done: ALTER CONNECTION")

    // The username and password of the MongoDB connection in the other database.
    try tui.press("c")
    try tui.waitFor("Switch catalog and database")
    try tui.press("g", "j", "Enter")
    try tui.waitFor("default_catalog.data")
    try tui.press("/")
    try tui.type("mongo")
    try tui.press("Enter", "Enter")
    try tui.waitFor("Edit default_catalog.data.mongo_orders")
    try tui.press("Tab")
    try tui.type(canaries[1])
    try tui.press("Tab")
    try tui.type(canaries[2])
    screen = try tui.waitFor("'password' = '******'")
    #expect(screen.contains("'username' = '******'"))
    // The typed secrets are in the process's memory only: not in its command line or environment.
    let pid = try tui.tmux(["display-message", "-p", "-t", tui.name, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    let child = try spawn(["pgrep", "-P", pid, "-x", "switchboard"], captureOutput: true).output.trimmingCharacters(in: .whitespacesAndNewlines)
    try #require(!child.isEmpty)
    for file in ["cmdline", "environ"] {
      let bytes = FileManager.default.contents(atPath: "/proc/\(child)/\(file)") ?? Data()
      #expect(!bytes.isEmpty)
      #expect(LeakScanner(canaries: canaries).leak(in: bytes) == nil, "in /proc/pid/\(file)")
    }
    try tui.press("F2")
    try tui.waitFor("Submit this?")
    try tui.press("Enter")
    try tui.waitFor("Done: ALTER CONNECTION")
    try tui.press("q")
    try tui.waitFor("EXITED=0")

    let scanner = LeakScanner(canaries: canaries)
    #expect(scanner.leak(in: try tui.screenWithScrollback()) == nil)

    // The demo creates openai_prod first and mongo_orders eighth: versions 1 and 8, one change each.
    let describe = try cli.run(["sql", "--catalog", catalog, "--format", "csv", "-e", "DESCRIBE CONNECTION EXTENDED default_catalog.data.mongo_orders"])
    #expect(describe.stdout.contains("version,9"))
    let openai = try cli.run(["sql", "--catalog", catalog, "--format", "csv", "-e", "DESCRIBE CONNECTION EXTENDED default_catalog.ai.openai_prod"])
    #expect(openai.stdout.contains("version,2"))
    let history = try cli.run(["history", "--catalog", catalog, "--format", "csv"])
    #expect(history.stdout.contains("ALTER CONNECTION `default_catalog`.`data`.`mongo_orders` SET (   'password' = '******',   'username' = '******' )"))
    #expect(scanner.leak(in: history.stdout) == nil)
    for (file, bytes) in cli.allFileBytes() { #expect(scanner.leak(in: bytes) == nil, "in \(file)") }
  }

  @Test func invalidEditShowsItsErrorAndKeepsTheForm() throws {
    let tui = try start("--demo")
    try tui.waitFor("7 connections")
    try tui.press("/")
    try tui.type("api.anthropic")  // 'claude' alone also matches the Bedrock endpoint
    try tui.press("Enter", "Enter")
    try tui.waitFor("Edit default_catalog.ai.claude")
    try tui.press("C-u")
    try tui.waitFor("! required")
    try tui.press("C-s")
    let screen = try tui.waitFor("Fix the marked fields first.")
    #expect(screen.contains("Edit default_catalog.ai.claude"))
    #expect(screen.contains("(cleared: RESET on submit)"))
    try tui.press("C-r")
    try tui.waitFor("https://api.anthropic.com/v1/messages")
    try tui.press("Escape")
    try tui.waitFor("the list") { $0.contains("NAME ▲") }
    try tui.press("q")
    try tui.waitFor("EXITED=0")
  }

  /// Attacks from the corpus, one or more per category (the two headline ones among them), typed
  /// into the `:` prompt of the real binary and run; then the history screen. The canaries are
  /// absent from every screen and from the whole scrollback.
  @Test func attacksTypedIntoThePromptNeverShow() throws {
    try seededCatalog()
    let attacks = AttackCorpus.all()
    var chosen: [Attack] = []
    for category in AttackCorpus.categories {
      chosen += attacks.filter { $0.category == category && !$0.sql.contains("\u{0}") }.prefix(2)
    }
    chosen += attacks.filter { $0.sql.contains("'https://h.example'\n  'api-key'") || $0.sql.contains("E'api-key'") }.prefix(2)
    let tui = try start("--catalog \(catalog)", width: 100, height: 30)
    try tui.waitFor("No connections")
    try tui.press(":")
    for attack in chosen {
      for line in attack.sql.split(separator: "\n") {
        try tui.type(String(line) + " ")
      }
      try tui.press("Enter")
      usleep(150_000)
      #expect(LeakScanner(canaries: [AttackCorpus.core]).leak(in: try tui.screen()) == nil, "\(attack)")
    }
    try tui.press("Escape")
    try tui.waitFor("the list") { !$0.contains("Run statements") }
    try tui.press("h")
    try tui.waitFor("History")
    #expect(LeakScanner(canaries: [AttackCorpus.core]).leak(in: try tui.screen()) == nil)
    try tui.press("Escape")
    try tui.waitFor("the list") { !$0.contains("History") }
    try tui.press("q")
    try tui.waitFor("EXITED=0")
    #expect(LeakScanner(canaries: [AttackCorpus.core]).leak(in: try tui.screenWithScrollback()) == nil)
    let history = try cli.run(["history", "--catalog", catalog, "--format", "csv", "--limit", "1000"])
    #expect(history.stdout.split(separator: "\n").count > chosen.count)
    #expect(LeakScanner(canaries: [AttackCorpus.core]).leak(in: history.stdout) == nil)
  }

  /// An added option typed as a secret, whose key is then edited into a public one: the field,
  /// the preview and the scrollback never show it, and it cannot be submitted in clear.
  @Test func aSecretTypedUnderAnAddedKeyStaysHiddenWhenTheKeyChanges() throws {
    let canary = "AddedKeyCanary4Tq8"
    let tui = try start("--demo")
    try tui.waitFor("7 connections")
    try tui.press("j", "Enter")
    try tui.waitFor("Edit default_catalog.ai.bedrock_us")
    try tui.press("C-n")
    try tui.type("api-key")
    try tui.press("Tab")
    try tui.type(canary)
    try tui.press("BTab")
    for _ in 0..<7 { try tui.press("BSpace") }
    try tui.type("region")
    var screen = try tui.waitFor("'region' = '******'")
    #expect(screen.contains("typed as a secret"))
    try tui.press("F2")
    screen = try tui.waitFor("Fix the marked fields first.")
    try tui.resize(width: 50, height: 14)
    try tui.waitFor("the small layout") { $0.contains("'region' = '******'") }
    try tui.press("Escape")
    try tui.waitFor("Discard edits?")
    try tui.press("y")
    try tui.waitFor("7 connections")
    try tui.press("q")
    try tui.waitFor("EXITED=0")
    #expect(LeakScanner(canaries: [canary]).leak(in: try tui.screenWithScrollback()) == nil)
  }

  @Test func createThenDrop() throws {
    let tui = try start("--demo")
    try tui.waitFor("7 connections")
    try tui.press("n")
    try tui.waitFor("pick a type")
    try tui.press("j")  // openai is the second type
    try tui.press("Enter")
    try tui.waitFor("New openai connection in default_catalog.ai")
    try tui.type("made_in_tui")
    try tui.press("Tab")
    try tui.type("https://api.openai.com/v1")
    try tui.press("Tab")
    try tui.type("tuiCreateCanary3141")
    var screen = try tui.waitFor("'api-key' = '******'")
    #expect(screen.contains("CREATE CONNECTION `default_catalog`.`ai`.`made_in_tui`"))
    try tui.press("C-s")
    try tui.waitFor("Submit this?")
    try tui.press("y")
    try tui.waitFor("8 connections")
    try tui.press("/")
    try tui.type("made_in")
    try tui.press("Enter", "d")
    try tui.waitFor("Type its name to confirm")
    try tui.type("made_in_tu")
    try tui.press("Enter")
    try tui.waitFor("Type the connection's name exactly")
    try tui.type("i")
    try tui.press("Enter")
    try tui.waitFor("Done: DROP CONNECTION")
    try tui.waitFor("0 of 7 match /made_in")
    try tui.press("Escape")
    screen = try tui.waitFor("7 connections")
    try tui.press("q")
    try tui.waitFor("EXITED=0")
    #expect(LeakScanner(canaries: ["tuiCreateCanary3141"]).leak(in: try tui.screenWithScrollback()) == nil)
  }

  /// `--scripts DIR`: the detail pane lists the statements that use a connection, and a drop of
  /// one in use asks twice (at 80 and 160 columns).
  @Test func scriptsShowWhereAConnectionIsUsed() throws {
    let folder = cli.directory.appendingPathComponent("jobs")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try """
      CREATE TABLE orders (id BIGINT) WITH ('connector' = 'mongodb', 'mongodb.connection' = 'data.mongo_orders');
      CREATE MODEL m INPUT (x STRING) OUTPUT (y STRING) WITH ('provider' = 'openai', 'openai.connection' = 'ai.openai_prod');
      """.write(to: folder.appendingPathComponent("pipeline.sql"), atomically: true, encoding: .utf8)
    for width in [80, 160] {
      let tui = try start("--demo --scripts \(folder.path)", width: width, height: 35)
      try tui.waitFor("7 connections")
      try tui.press("/")
      try tui.type("openai_prod")
      try tui.press("Enter")
      var screen = try tui.waitFor("the uses") { $0.contains("USED BY 1 statement in 1 script") }
      #expect(screen.contains("pipeline.sql:2  CREATE MODEL"))
      try tui.press("d")
      try tui.waitFor("Type its name to confirm")
      try tui.type("openai_prod")
      try tui.press("Enter")
      screen = try tui.waitFor("Press ⏎ again to drop it anyway")
      #expect(screen.contains("Drop default_catalog.ai.openai_prod"))
      try tui.press("Enter")
      try tui.waitFor("Done: DROP CONNECTION")
      try tui.press("q")
      try tui.waitFor("EXITED=0")
    }
    let bad = try start("--demo --scripts \(folder.appendingPathComponent("nope").path)")
    try bad.waitFor("EXITED=2")
  }

  /// A list longer than a reload at once (6,000 connections): the first screen first, the rest
  /// read on another thread; filter, edit and submit; the list reloads behind the keys with the
  /// change in it, and no secret reaches the screen.
  @Test func aBigListFiltersEditsAndReloads() throws {
    var script = ""
    for i in 0..<6_000 {
      script += "CREATE CONNECTION c\(i) WITH ('type' = 'openai', 'endpoint' = 'https://m\(i).example/v1', 'api-key' = 'bigCanary\(i)');\n"
    }
    let file = cli.directory.appendingPathComponent("big.sql")
    try script.write(to: file, atomically: true, encoding: .utf8)
    let seed = try cli.run(["sql", "--catalog", catalog, "-f", file.path, "--format", "csv"])
    try #require(seed.status == 0, "\(seed.stderr)")
    let tui = try start("--catalog \(catalog)", width: 100, height: 20)
    try tui.waitFor("6000 connections")
    try tui.press("/")
    try tui.type("m5999.")
    // Each wait names the whole state it expects: a screen caught mid-redraw can hold a header
    // before the rows under it. " 1 of": "1111 of 6000 match /m5" also holds "1 of 6000".
    try tui.waitFor("the one match") { $0.contains(" 1 of 6000 match /m5999.") && $0.contains("c5999") }
    try tui.press("Enter")
    try tui.waitFor("its description") { $0.contains("DESCRIBE default_catalog.default_database.c5999") && $0.contains("secret:api-key") }
    try tui.press("e")
    try tui.waitFor("Edit default_catalog.default_database.c5999")
    for _ in 0..<40 { try tui.press("BSpace") }
    try tui.type("https://moved.example/v2")
    try tui.press("C-s")
    try tui.waitFor("Submit this?")
    try tui.press("y")
    try tui.waitFor("Done: ALTER CONNECTION")
    try tui.press("Escape")  // the filter off: the reloaded list, the change in it
    try tui.waitFor("the reloaded row, selected") {
      $0.contains("6000 connections") && $0.contains("https://moved.example/v2") && $0.contains("▶c5999")
    }
    try tui.press("q")
    try tui.waitFor("EXITED=0")
    let described = try cli.run(["sql", "--catalog", catalog, "-e", "DESCRIBE CONNECTION c5999"])
    #expect(described.stdout.contains("https://moved.example/v2"))
    #expect(!(try tui.screenWithScrollback()).contains("bigCanary"))
  }

  /// `y` duplicates: type and public options copied, the secret typed anew, then in the catalog.
  @Test func duplicateAConnection() throws {
    try seededCatalog()
    let tui = try start("--catalog \(catalog)", width: 140, height: 30)
    try switchToAI(tui)
    try tui.waitFor("default_catalog.ai  7 connections")
    try tui.press("/")
    try tui.type("openai_prod")
    try tui.press("Enter", "y")
    var screen = try tui.waitFor("a copy of default_catalog.ai.openai_prod (secrets are not copied)")
    #expect(screen.contains("https://api.openai.com/v1/chat/completions"))
    try tui.type("openai_copy")
    try tui.press("C-s")
    try tui.waitFor("Fix the marked fields first.")
    try tui.press("Tab", "Tab")
    try tui.type("dupCanary2718")
    screen = try tui.waitFor("• api-key: set")
    try tui.press("C-s")
    try tui.waitFor("Submit this?")
    try tui.press("y")
    try tui.waitFor("Done: CREATE CONNECTION")
    try tui.press("q")
    try tui.waitFor("EXITED=0")
    let described = try cli.run(["sql", "--catalog", catalog, "-e", "DESCRIBE CONNECTION ai.openai_copy"])
    #expect(described.stdout.contains("https://api.openai.com/v1/chat/completions"))
    #expect(described.stdout.contains("secret:api-key"))
    #expect(!(try tui.screenWithScrollback()).contains("dupCanary"))
  }

  /// The versions view from the list, restoring an earlier version (asking first), `u` undoing
  /// that restore, and the view at a small size; no secret on screen.
  @Test func versionsRestoreAndUndo() throws {
    try seededCatalog()
    let canary = "verCanary6183"
    #expect(try cli.run(["sql", "--catalog", catalog], stdin: "ALTER CONNECTION ai.openai_prod SET ('api-key' = '\(canary)', 'endpoint' = 'https://eu.example/v1')").status == 0)
    let tui = try start("--catalog \(catalog)", width: 120, height: 35)
    try switchToAI(tui)
    try tui.press("/")
    try tui.type("openai_prod")
    try tui.press("Enter", "v")
    var screen = try tui.waitFor("Versions of default_catalog.ai.openai_prod, newest first")
    #expect(screen.contains("api-key: replaced; endpoint: 'https://api.openai.com/v1/chat/completions' → "))
    #expect(screen.contains("Restoring version"))
    try tui.press("Enter")
    screen = try tui.waitFor("gets a new version equal to")
    #expect(screen.contains("endpoint: 'https://eu.example/v1' → 'https://api.openai.com/v1/chat/completions'"))
    try tui.press("y")
    try tui.waitFor("Restored default_catalog.ai.openai_prod to version")
    #expect(try cli.run(["sql", "--catalog", catalog, "-e", "DESCRIBE CONNECTION ai.openai_prod"]).stdout.contains("https://api.openai.com/v1/chat/completions"))
    // u: the restore is the session's last change; undoing it asks first, then goes back.
    try tui.press("u")
    screen = try tui.waitFor("Undo your last change?")
    #expect(screen.contains("as before your last change"))
    try tui.press("Escape")
    try tui.press("u")
    try tui.waitFor("Undo your last change?")
    try tui.press("y")
    try tui.waitFor("Undone: default_catalog.ai.openai_prod is as it was at version")
    #expect(try cli.run(["sql", "--catalog", catalog, "-e", "DESCRIBE CONNECTION ai.openai_prod"]).stdout.contains("https://eu.example/v1"))
    // Small: the view still fits and says what it is.
    try tui.resize(width: 60, height: 16)
    try tui.press("v")
    screen = try tui.waitFor("Versions of")
    #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 60 })
    try tui.press("Escape")
    _ = try tui.waitFor("the list") { !$0.contains("Versions of") }
    try tui.press("q")
    try tui.waitFor("EXITED=0")
    #expect(!(try tui.screenWithScrollback()).contains(canary))
    let history = try cli.run(["history", "--catalog", catalog])
    #expect(history.stdout.contains("-- restore default_catalog.ai.openai_prod to version"))
  }

  /// Someone else changes the connection an open form edits: the submit is a conflict, ⏎ shows
  /// base / theirs / mine, the user keeps theirs for one key and mine for another, and the merged
  /// form submits against their version. No secret on screen.
  @Test func threeWayConflict() throws {
    try seededCatalog()
    let tui = try start("--catalog \(catalog)", width: 130, height: 32)
    try switchToAI(tui)
    try tui.press("/")
    try tui.type("openai_prod")
    try tui.press("Enter", "Enter")
    try tui.waitFor("Edit default_catalog.ai.openai_prod")
    try tui.press("C-u")
    try tui.type("https://mine.example/v1")
    try tui.press("Tab")
    try tui.type("mineCanary5521")
    try tui.waitFor("• api-key: replaced")
    // Someone else, meanwhile: a new endpoint and a new api-key.
    let theirs = try cli.run(
      ["sql", "--catalog", catalog], stdin: "ALTER CONNECTION ai.openai_prod SET ('endpoint' = 'https://theirs.example/v1', 'api-key' = 'theirCanary7730')")
    try #require(theirs.status == 0, "\(theirs.stderr)")
    try tui.press("C-s")
    try tui.waitFor("Submit this?")
    try tui.press("y")
    try tui.waitFor("Changed by someone else")
    try tui.press("Enter")
    var screen = try tui.waitFor("For each key, keep theirs or mine")
    #expect(screen.contains("'https://theirs.example/v1'"))
    #expect(screen.contains("'https://mine.example/v1'"))
    #expect(screen.contains("changed by them"))
    #expect(screen.contains("changed by you"))
    #expect(screen.contains("both changed"))
    // Keep their endpoint (the first row), my api-key.
    try tui.press("Space")
    screen = try tui.waitFor("theirs both changed")
    try tui.press("Enter")
    screen = try tui.waitFor("Merged onto version")
    #expect(screen.contains("• api-key: replaced"))
    #expect(!screen.contains("• endpoint"))
    try tui.press("C-s")
    try tui.waitFor("Submit this?")
    try tui.press("y")
    try tui.waitFor("Done: ALTER CONNECTION")
    let described = try cli.run(["sql", "--catalog", catalog, "-e", "DESCRIBE CONNECTION ai.openai_prod"]).stdout
    #expect(described.contains("https://theirs.example/v1"))
    let versions = try cli.run(["versions", "--catalog", catalog, "ai.openai_prod"]).stdout
    #expect(versions.contains("api-key: replaced"))
    try tui.press("q")
    try tui.waitFor("EXITED=0")
    let scrollback = try tui.screenWithScrollback()
    #expect(!scrollback.contains("mineCanary") && !scrollback.contains("theirCanary"))
  }

  /// A protected namespace from the config: the banner, and a submit that needs its name typed;
  /// then --read-only: no write key works and ':' refuses writes.
  @Test func protectedAndReadOnly() throws {
    try seededCatalog()
    try SafeChangesCLITests.writeConfig(cli, "protected = [\"default_catalog.ai\"]\n")
    let tui = try start("--catalog \(catalog)", width: 120, height: 35)
    try switchToAI(tui)
    var screen = try tui.waitFor("PROTECTED default_catalog.ai")
    try tui.press("/")
    try tui.type("openai_prod")
    try tui.press("Enter", "Enter")
    try tui.waitFor("Edit default_catalog.ai.openai_prod")
    try tui.press("Tab")
    try tui.type("protCanary4242")
    try tui.press("C-s")
    try tui.waitFor("Submit into protected default_catalog.ai?")
    try tui.press("y", "Enter")
    try tui.waitFor("Type default_catalog.ai exactly")
    try tui.press("C-u")
    try tui.type("default_catalog.ai")
    try tui.press("Enter")
    try tui.waitFor("Done: ALTER CONNECTION")
    try tui.press("q")
    try tui.waitFor("EXITED=0")
    #expect(!(try tui.screenWithScrollback()).contains("protCanary"))

    let readOnly = try start("--catalog \(catalog) --read-only", width: 120, height: 35)
    screen = try readOnly.waitFor("READ-ONLY")
    #expect(screen.contains("read-only mode (--read-only or the config)"))
    #expect(!screen.contains("d drop") && !screen.contains("n new"))
    try readOnly.press(":")
    try readOnly.type("CREATE DATABASE default_catalog.zz")
    try readOnly.press("Enter")
    try readOnly.waitFor("Read-only mode (--read-only, or read-only = true in the config): nothing was changed.")
    try readOnly.press("Escape")
    try readOnly.waitFor("the list") { $0.contains("q quit") }
    try readOnly.press("q")
    try readOnly.waitFor("EXITED=0")
    #expect(try cli.run(["sql", "--catalog", catalog, "-e", "SHOW DATABASES"]).stdout.contains("zz") == false)
  }

  /// Bulk with a partial failure: a new api-key on three marked connections, one of a type that
  /// has no api-key; per-item results; the others changed in the catalog.
  @Test func bulkSetWithAPartialFailure() throws {
    try seededCatalog()
    let tui = try start("--catalog \(catalog)", width: 140, height: 35)
    try switchToAI(tui)
    try tui.waitFor("default_catalog.ai  7 connections")
    try tui.press("Space", "Space", "Space")  // azure_gpt, bedrock_us, claude
    try tui.waitFor("3 marked")
    try tui.press("b")
    try tui.waitFor("Set one key on 3 marked connections")
    try tui.type("api-key")
    try tui.press("Tab")
    try tui.type("bulkCanary9191")
    try tui.press("Enter")
    var screen = try tui.waitFor("Set 'api-key' on 3 connections?")
    #expect(screen.contains("In default_catalog.ai:"))
    try tui.press("y")
    screen = try tui.waitFor("2 changed, 1 failed: bedrock_us")
    try tui.press("q")
    try tui.waitFor("EXITED=0")
    #expect(!(try tui.screenWithScrollback()).contains("bulkCanary"))
    let history = try cli.run(["history", "--catalog", catalog, "--format", "csv"])
    let bulkLines = history.stdout.split(separator: "\n").filter { $0.contains("'api-key' = '******'") && $0.contains("SET") }
    #expect(bulkLines.filter { $0.contains(",ok,") }.count == 2, "\(history.stdout)")
    #expect(bulkLines.filter { $0.contains(",error,") && $0.contains("bedrock_us") }.count == 1, "\(history.stdout)")
    #expect(!history.stdout.contains("bulkCanary"))
  }

  @Test func resizeMidFormKeepsTheEdits() throws {
    let tui = try start("--demo")
    try tui.waitFor("7 connections")
    try tui.press("Enter")
    try tui.waitFor("Edit default_catalog.ai.azure_gpt")
    try tui.press("C-e")
    try tui.type("/v2")
    try tui.resize(width: 60, height: 20)
    try tui.waitFor("a 60-column form") { $0.split(separator: "\n").first.map { $0.count <= 60 } ?? false && $0.contains("Edit default_catalog") }
    try tui.resize(width: 20, height: 6)
    try tui.waitFor("Terminal too small")
    try tui.resize(width: 140, height: 40)
    let screen = try tui.waitFor("chat/completions/v2")
    #expect(screen.contains("●"))
    #expect(screen.contains("'endpoint' = 'https://contoso-eu.openai.azure.com/openai/deployments/gpt-4o/chat/completions/v2'"))
    try tui.press("C-c")
    try tui.waitFor("Quit?")
    try tui.press("y")
    try tui.waitFor("EXITED=0")
  }

  @Test func signalsRestoreTheTerminal() throws {
    for (keys, expected) in [(["C-c"], "EXITED=0")] {
      let tui = try start("--demo")
      try tui.waitFor("7 connections")
      try tui.press(keys[0])
      let screen = try tui.waitFor("the exit and stty line") { $0.contains(expected) && $0.contains("canon ") }
      #expect(screen.contains("icanon") && !screen.contains("-icanon"))
    }
    // SIGTERM and SIGHUP from outside, while a secret is being typed.
    for signal in ["TERM", "HUP"] {
      let tui = try start("--demo")
      try tui.waitFor("7 connections")
      try tui.press("Enter")
      try tui.waitFor("Edit default_catalog.ai.azure_gpt")
      try tui.press("Tab")
      try tui.type("sigCanary\(signal)Xq81")
      try tui.waitFor("'api-key' = '******'")
      let pid = try tui.tmux(["display-message", "-p", "-t", tui.name, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
      #expect(try spawn(["pkill", "-\(signal)", "-P", pid, "-x", "switchboard"], captureOutput: false).status == 0, "SIG\(signal) sent")
      let screen = try tui.waitFor("the exit and stty line") { $0.contains("EXITED=") && $0.contains("canon ") }
      #expect(screen.contains("icanon") && !screen.contains("-icanon"), "after SIG\(signal)")
      #expect(screen.contains("EXITED=0"), "after SIG\(signal)")
      #expect(LeakScanner(canaries: ["sigCanary\(signal)Xq81"]).leak(in: try tui.screenWithScrollback()) == nil)
    }
    // A crash (SIGSEGV, SIGABRT): the handler gives the terminal back and removes the demo's
    // throw-away catalog (no exit handler runs), then the process dies of it.
    let temporary = cli.directory.appendingPathComponent("tmp")
    try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
    cli.environment["TMPDIR"] = temporary.path
    defer { cli.environment["TMPDIR"] = nil }
    for (signal, code) in [("SEGV", 139), ("ABRT", 134)] {
      let tui = try start("--demo")
      try tui.waitFor("7 connections")
      let demoFolders = try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter { $0.hasPrefix("switchboard-demo-") }
      #expect(demoFolders.count == 1, "the demo's folder is in TMPDIR")
      try tui.press("Enter")
      try tui.waitFor("Edit default_catalog.ai.azure_gpt")
      try tui.press("Tab")
      try tui.type("crashCanary\(signal)Vb27")
      try tui.waitFor("'api-key' = '******'")
      let pid = try tui.tmux(["display-message", "-p", "-t", tui.name, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
      #expect(try spawn(["pkill", "-\(signal)", "-P", pid, "-x", "switchboard"], captureOutput: false).status == 0, "SIG\(signal) sent")
      let screen = try tui.waitFor("the exit and stty line") { $0.contains("EXITED=") && $0.contains("canon ") }
      #expect(screen.contains("EXITED=\(code)"), "after SIG\(signal)")
      #expect(screen.contains("icanon") && !screen.contains("-icanon"), "after SIG\(signal)")
      #expect(screen.contains("echo") && !screen.contains("-echo"), "after SIG\(signal)")
      #expect(LeakScanner(canaries: ["crashCanary\(signal)Vb27"]).leak(in: try tui.screenWithScrollback()) == nil)
      #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty, "after SIG\(signal), the demo's folder is gone")
    }
  }

  @Test func unusableTerminalExitsWithCodeThree() throws {
    for term in ["dumb", "no-such-terminal-xyz"] {
      var environment = cli.environment
      environment["TERM"] = term
      // tmux sets TERM for its panes: override it on the command itself.
      let command = "TERM=\(term) \(CLIRunner.binary.path) --demo; echo EXITED=$?; sleep 600"
      let session = try TmuxSession(command, environment: environment)
      let screen = try session.waitFor("EXITED=")
      #expect(screen.contains("EXITED=3"), "TERM=\(term)")
      #expect(screen.contains("cannot be used"), "TERM=\(term)")
    }
  }

  @Test func terminalRepliesNeverLandInAField() throws {
    let tui = try start("--demo")
    try tui.waitFor("7 connections")
    try tui.press("Enter")
    try tui.waitFor("Edit default_catalog.ai.azure_gpt")
    try tui.press("Tab")
    // A cursor position report and an OSC colour reply, as a terminal would send them.
    try tui.type("\u{1B}[12;40R\u{1B}]11;rgb:0000/0000/0000\u{07}")
    try tui.type("x")
    let screen = try tui.waitFor("'api-key' = '******'")
    #expect(!screen.contains("12;40R"))
    #expect(!screen.contains("rgb:"))
    try tui.press("C-r")
    try tui.waitFor("•••••• set")
    // Separate presses: Esc followed at once by a key reads as Alt+key, as in any terminal.
    try tui.press("Escape")
    try tui.waitFor("7 connections") { $0.contains("NAME ▲") }
    try tui.press("q")
    try tui.waitFor("EXITED=0")
  }

  @Test func ctrlZSuspendsAndFgRedraws() throws {
    var environment = cli.environment
    environment["TERM"] = "screen"
    let shell = try TmuxSession("bash --norc --noprofile -i", environment: environment)
    try shell.waitFor("bash-")
    try shell.type("\(CLIRunner.binary.path) --demo")
    try shell.press("Enter")
    try shell.waitFor("7 connections")
    try shell.press("C-z")
    try shell.waitFor("Stopped")
    try shell.type("fg")
    try shell.press("Enter")
    let screen = try shell.waitFor("a full redraw") { $0.contains("7 connections") && $0.contains("q quit") && !$0.contains("Stopped") }
    #expect(screen.contains("DESCRIBE default_catalog.ai.azure_gpt"))
    try shell.press("q")
    try shell.waitFor("the shell prompt back") { !$0.contains("q quit") && $0.contains("bash-") }
  }

  @Test func noColorMeansNoColors() throws {
    func colourCodes(_ extra: [String: String]) throws -> Int {
      var environment = cli.environment
      environment["TERM"] = "screen"
      environment["NO_COLOR"] = ""  // the runner's own NO_COLOR would reach the pane through tmux
      environment.merge(extra) { $1 }
      let session = try TmuxSession("\(CLIRunner.binary.path) --demo", environment: environment)
      try session.waitFor("7 connections")
      let styled = try session.tmux(["capture-pane", "-p", "-e", "-t", session.name])
      // SGR foreground colours 31-37 (alone or after other attributes); 39 is "default".
      let pattern = try NSRegularExpression(pattern: "\u{1B}\\[([0-9;]*;)?3[1-7]m")
      let count = pattern.numberOfMatches(in: styled, range: NSRange(styled.startIndex..., in: styled))
      return count
    }
    #expect(try colourCodes([:]) > 0)
    #expect(try colourCodes(["NO_COLOR": "1"]) == 0)
  }

  @Test func bracketedPasteLandsInTheFieldWithoutLineBreaks() throws {
    let tui = try start("--demo")
    try tui.waitFor("7 connections")
    try tui.press("Enter")
    try tui.waitFor("Edit default_catalog.ai.azure_gpt")
    try tui.press("C-u")
    try tui.tmux(["set-buffer", "https://pasted.example.com\n/v9"])
    try tui.tmux(["paste-buffer", "-p", "-t", tui.name])
    let screen = try tui.waitFor("'endpoint' = 'https://pasted.example.com/v9'")
    #expect(screen.contains("[https://pasted.example.com/v9"))
    try tui.press("Escape")
    try tui.waitFor("Discard edits?")
    try tui.press("y")
    try tui.waitFor("7 connections")
    try tui.press("q")
    try tui.waitFor("EXITED=0")
  }

  @Test func hostileDataIsShownEscapedAndChangesNothing() throws {
    let script = """
      CREATE CONNECTION `title\u{1B}]0;pwned\u{07}x` COMMENT 'clip \u{1B}]52;c;Y2FuYXJ5\u{07} \u{202E}evil' WITH ('region' = 'v\u{1B}[2J');
      """
    let run = try cli.run(["sql", "--catalog", catalog], stdin: script)
    try #require(run.status == 0, "\(run.stderr)")
    let tui = try start("--catalog \(catalog)", width: 220, height: 30)
    let screen = try tui.waitFor("1 connection")
    #expect(screen.contains("title\\e]0;pwned\\x07x"))
    #expect(screen.contains("clip \\e]52;c;Y2FuYXJ5\\x07 \\u{202E}evil"))
    #expect(screen.contains("v\\e[2J"))
    let title = try tui.tmux(["display-message", "-p", "-t", tui.name, "#{pane_title}"])
    #expect(!title.contains("pwned"))
    // OSC 52 would have set the clipboard, which tmux keeps as a paste buffer.
    try tui.tmux(["set-option", "-g", "set-clipboard", "on"])
    try tui.press("j")
    #expect(try tui.tmux(["list-buffers"]).isEmpty)
    try tui.press("q")
    try tui.waitFor("EXITED=0")
  }
}
