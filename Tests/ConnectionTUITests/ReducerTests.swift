import ConnectionEngine
import ConnectionTUI
import TerminalKit
import Testing

@Suite struct ListReducerTests {
  @Test func movesPagesAndJumps() {
    var state = Sample.state()
    state.press(.down, .character("j"))
    #expect(state.selectedRow?.name == "claude")
    state.press(.character("G"))
    #expect(state.selected == Sample.connections.count - 1)
    state.press(.character("g"), .up)
    #expect(state.selected == 0)
    state.press(.pageDown)
    #expect(state.selected == Sample.connections.count - 1)
  }

  @Test func filtersAsYouTypeCaseInsensitiveAndEscClears() {
    var state = Sample.state()
    state.press(.character("/"))
    state.type("OPENAI")
    #expect(state.visible.map { state.rows[$0].name } == ["azure_gpt", "openai_prod", "连接_东京"])
    state.press(.enter)
    #expect(!state.isTypingFilter)
    state.press(.character("j"))  // back to list keys after Enter
    #expect(state.selected == 1)
    state.press(.escape)
    #expect(state.visible.count == Sample.connections.count)
  }

  @Test func sortCyclesColumnsAndReverses() {
    var state = Sample.state()
    state.press(.character("s"))
    #expect(state.sort.column == .type)
    #expect(state.rows[state.visible[0]].type == "anthropic")
    state.press(.character("S"))
    #expect(state.rows[state.visible[0]].type == "rest")
  }

  @Test func mouseClickSelectsAndWheelScrolls() {
    var state = Sample.state()
    state.serve(reduce(&state, .input(.mouse(MouseEvent(.click, x: 3, y: 4)))))
    #expect(state.selected == 2)
    state.serve(reduce(&state, .input(.mouse(MouseEvent(.click, x: 3, y: 4)))))
    #expect(state.form != nil)
    var scrolled = Sample.state()
    _ = reduce(&scrolled, .input(.mouse(MouseEvent(.wheelDown, x: 3, y: 4))))
    #expect(scrolled.selected == 3)
  }

  @Test func keysOpenScreensAndEffects() {
    var state = Sample.state()
    #expect(reduce(&state, .input(.key(.character("h")))) == [.loadHistory])
    #expect(reduce(&state, .input(.key(.character("c")))) == [.loadNamespaces])
    state.press(.character("n"))
    guard case .pickType = state.screen else { Issue.record("expected the type picker"); return }
    state.press(.escape, .character("d"))
    guard case .drop = state.screen else { Issue.record("expected drop"); return }
  }

  @Test func dropNeedsTheExactName() {
    var state = Sample.state()
    state.press(.character("d"))
    state.type("azure")
    #expect(reduce(&state, .input(.key(.enter))).isEmpty)
    #expect(state.status?.kind == .error)
    state.type("_gpt")
    #expect(reduce(&state, .input(.key(.enter))) == [
      .submit(statements: ["DROP CONNECTION `default_catalog`.`ai`.`azure_gpt`"], expectedVersion: 1)
    ])
  }

  @Test func emptyCatalogAndResizeClamp() {
    var state = AppState(size: Size(width: 80, height: 24))
    _ = reduce(&state, .connectionsLoaded(.success(ConnectionListing(catalog: "c", database: "d")), catalog: "c", database: "d"))
    #expect(state.selectedRow == nil)
    state.press(.enter, .character("d"))
    guard case .list = state.screen else { Issue.record("nothing to edit or drop"); return }
    var many = Sample.state(Size(width: 80, height: 12))
    many.press(.character("G"))
    _ = reduce(&many, .input(.resize(Size(width: 80, height: 10))))
    #expect(many.top <= many.selected)
  }
}

@Suite struct FormReducerTests {
  func openForm(_ name: String) -> AppState {
    var state = Sample.state()
    while state.selectedRow?.name != name { state.press(.down) }
    state.press(.enter)
    return state
  }

  @Test func secretFieldReplacesAndPreviewIsMasked() throws {
    var state = openForm("openai_prod")
    var form = try #require(state.form)
    #expect(form.fields.map(\.keyText) == ["endpoint", "api-key"])
    #expect(form.maskedPreview.isEmpty)
    state.press(.tab)
    state.type("sk-typed-canary-1")
    form = try #require(state.form)
    #expect(form.statements == ["ALTER CONNECTION `default_catalog`.`ai`.`openai_prod` SET (\n  'api-key' = 'sk-typed-canary-1'\n)"])
    #expect(form.maskedPreview == ["ALTER CONNECTION `default_catalog`.`ai`.`openai_prod` SET (\n  'api-key' = '******'\n)"])
    #expect(!render(state).text.contains("canary"))
  }

  @Test func clearingAFieldResetsIt() throws {
    var state = openForm("scratch")
    state.press(.down, .control("u"))  // clear 'region' (the second field)
    let form = try #require(state.form)
    #expect(form.statements == ["ALTER CONNECTION `default_catalog`.`ai`.`scratch` RESET (\n  'region'\n)"])
  }

  @Test func backspaceOnASetSecretClearsIt() throws {
    var state = openForm("mongo_orders")
    state.press(.tab, .backspace)
    let form = try #require(state.form)
    #expect(form.problems[1] == "needed with the other credentials")
    state.press(.control("s"))
    #expect(state.dialog == nil)
    #expect(state.status?.text == "Fix the marked fields first.")
  }

  @Test func requiredFieldEmptyIsAnInlineError() throws {
    var state = openForm("openai_prod")
    state.press(.control("u"))
    let form = try #require(state.form)
    #expect(form.problems[0] == "required")
  }

  @Test func addedOptionWithNearMissKeySuggests() throws {
    var state = openForm("scratch")
    state.press(.control("n"))
    state.type("regoin")
    state.press(.tab)
    state.type("x")
    var form = try #require(state.form)
    #expect(form.fields.last?.keyText == "regoin")
    // The generic type takes any key: no error, a SET of the new key.
    #expect(form.problems.isEmpty)
    #expect(form.statements == ["ALTER CONNECTION `default_catalog`.`ai`.`scratch` SET (\n  'regoin' = 'x'\n)"])
    // A key that looks secret makes its value a masked field.
    state.press(.control("n"))
    state.type("db.passwd")
    form = try #require(state.form)
    #expect(form.fields.last?.isSecret == true)
  }

  @Test func unknownKeyOnATypedConnectionSuggestsTheDeclaredOne() throws {
    var state = openForm("openai_prod")
    state.press(.control("n"))
    state.type("api_key")
    state.press(.tab)
    state.type("x")
    let form = try #require(state.form)
    #expect(form.problems[form.fields.count - 1] == "unknown option; did you mean 'api-key'?")
    #expect(!render(state).text.contains("'x'"))
  }

  @Test func submitAsksThenSendsTheLoadedVersion() throws {
    var state = openForm("claude")
    state.press(.tab)
    state.type("k")
    state.press(.function(2))
    #expect(state.dialog == .confirmSubmit(plan: ["api-key: replaced"], masked: ["ALTER CONNECTION `default_catalog`.`ai`.`claude` SET (\n  'api-key' = '******'\n)"]))
    let effects = reduce(&state, .input(.key(.character("y"))))
    #expect(effects == [.submit(statements: ["ALTER CONNECTION `default_catalog`.`ai`.`claude` SET (\n  'api-key' = 'k'\n)"], expectedVersion: 3)])
  }

  /// The plan: public keys old → new, secrets set / replaced / reset, "no changes" when edits cancel.
  @Test func planListsEachChangedKeyAndNoSecretValue() throws {
    var state = openForm("openai_prod")
    #expect(state.form?.plan == ["no changes"])
    let form0 = try #require(state.form)
    let endpoint = try #require(form0.fields.firstIndex { $0.keyText == "endpoint" })
    let apiKey = try #require(form0.fields.firstIndex { $0.keyText == "api-key" })
    for _ in 0..<endpoint { state.press(.tab) }
    state.press(.control("u"))
    state.type("https://api.openai.com/v2")
    for _ in endpoint..<apiKey { state.press(.tab) }
    state.type("sk-plan-canary")
    #expect(state.form?.plan == ["api-key: replaced", "endpoint: 'https://api.openai.com/v1/chat/completions' → 'https://api.openai.com/v2'"])
    let screen = render(state).text
    #expect(screen.contains("• api-key: replaced"))
    #expect(screen.contains("• endpoint: 'https://api.openai.com/v1/chat/completions' → 'https://api.openai"))
    #expect(!screen.contains("sk-plan"))
    state.press(.function(2))
    guard case .confirmSubmit(let plan, _)? = state.dialog else { Issue.record("no dialog"); return }
    #expect(plan == state.form?.plan)
    #expect(render(state).text.contains("• api-key: replaced"))
    state.press(.escape)
    // Clearing the secret is a reset; typing the old endpoint back cancels that change.
    state.press(.control("u"))
    for _ in endpoint..<apiKey { state.press(.backTab) }
    state.press(.control("u"))
    state.type("https://api.openai.com/v1/chat/completions")
    #expect(state.form?.plan == ["api-key: reset"])
  }

  @Test func engineErrorKeepsTheFormAndEdits() throws {
    var state = openForm("claude")
    state.press(.tab)
    state.type("k")
    _ = reduce(&state, .submitFinished(.failure(EngineError(.validation, "Invalid options"))))
    let form = try #require(state.form)
    #expect(form.submitError == "Invalid options")
    #expect(form.fields[1].value.text == "k")
  }

  @Test func conflictOffersReloadKeepingEdits() throws {
    var state = openForm("claude")
    state.press(.tab)
    state.type("mine")
    _ = reduce(&state, .submitFinished(.failure(EngineError(.conflict, "changed by someone else"))))
    #expect(state.dialog == .conflict(message: "changed by someone else"))
    let effects = reduce(&state, .input(.key(.character("r"))))
    #expect(effects == [.reloadConnection(ObjectName(["default_catalog", "ai", "claude"]))])
    let newer = Sample.connection("claude", type: "anthropic", endpoint: "https://api.anthropic.com/v2", secrets: ["api-key"], version: 4)
    _ = reduce(&state, .connectionReloaded(.success(newer)))
    let form = try #require(state.form)
    #expect(form.purpose == .edit(name: newer.qualifiedName, version: 4))
    #expect(form.fields[0].value.text == "https://api.anthropic.com/v2")
    #expect(form.fields[1].value.text == "mine")
  }

  @Test func quittingWithEditsAsks() throws {
    var state = openForm("claude")
    state.type("x")
    state.press(.control("c"))
    #expect(state.dialog == .confirmQuit)
    #expect(!state.shouldQuit)
    state.press(.control("c"))
    #expect(state.shouldQuit)
  }

  @Test func createFormBuildsCreate() throws {
    var state = Sample.state()
    state.press(.character("n"))
    while case .pickType(let picker) = state.screen, picker.names[picker.selected] != "openai" { state.press(.down) }
    state.press(.enter)
    state.type("new_conn")
    state.press(.tab)
    state.type("https://api.openai.com/v1")
    state.press(.tab)
    state.type("sk-create-canary")
    let form = try #require(state.form)
    #expect(form.problems.isEmpty)
    #expect(form.maskedPreview == ["CREATE CONNECTION `default_catalog`.`ai`.`new_conn`\nWITH (\n  'type' = 'openai',\n  'endpoint' = 'https://api.openai.com/v1',\n  'api-key' = '******'\n)"])
  }

  @Test func pasteGoesIntoTheFocusedFieldWithoutLineBreaks() throws {
    var state = openForm("openai_prod")
    state.press(.control("u"))
    _ = reduce(&state, .input(.paste("https://a.example\n/v2")))
    #expect(state.form?.fields[0].value.text == "https://a.example/v2")
  }
}

@Suite struct CommandReducerTests {
  @Test func inputHistoryAndMaskedDisplay() throws {
    var state = Sample.state()
    state.press(.character(":"))
    state.type("ALTER CONNECTION c SET ('api-key' = 'sk-cmd-canary')")
    #expect(!render(state).text.contains("canary"))
    #expect(reduce(&state, .input(.key(.enter))) == [.runCommand("ALTER CONNECTION c SET ('api-key' = 'sk-cmd-canary')")])
    state.type("SHOW CONNECTIONS")
    state.press(.enter, .up)
    guard case .command(let command) = state.screen else { Issue.record("expected the command screen"); return }
    #expect(command.input.text == "SHOW CONNECTIONS")
  }
}

@Suite struct FormSecrecyTests {
  /// A value typed while its field was secret stays masked when the key is edited afterwards,
  /// even into a public key: shortening `api-key` must not reveal what was typed.
  @Test func aTypedSecretStaysMaskedWhateverItsKeyBecomes() {
    let canary = "FormCanary7Qx2Lm9"
    var state = Sample.state(Size(width: 100, height: 30))
    var form = FormState.create(type: ConnectionType.named("default")!, catalog: "default_catalog", database: "ai")
    form.addOption()
    for character in "api-key" { _ = form.edit(.character(character)) }
    form.moveFocus(by: 1)
    for character in canary { _ = form.edit(.character(character)) }
    form.moveFocus(by: -1)
    for _ in 0..<7 { _ = form.edit(.backspace) }
    for key in ["api", "region", "endpoint", ""] {
      for character in key { _ = form.edit(.character(character)) }
      #expect(form.fields.last?.isSecret == true, "key '\(key)'")
      state.screen = .form(form)
      let text = render(state).text
      #expect(!text.contains(canary) && !text.contains("FormCana"), "key '\(key)'")
      #expect(!form.maskedPreview.joined().contains(canary), "preview, key '\(key)'")
      if key == "region" { #expect(form.problems[form.fields.count - 1]?.contains("stored in clear") == true) }
      for _ in key { _ = form.edit(.backspace) }
    }
    // A fresh added option with a public key is not secret: the rule is about what was typed.
    var other = FormState.create(type: ConnectionType.named("default")!, catalog: "default_catalog", database: "ai")
    other.addOption()
    for character in "region" { _ = other.edit(.character(character)) }
    #expect(other.fields.last?.isSecret == false)
  }
}
