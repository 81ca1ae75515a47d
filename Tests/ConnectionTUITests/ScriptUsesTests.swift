import ConnectionEngine
import ConnectionTUI
import TerminalKit
import Testing

/// Connections that scripts use: shown in the detail pane, and dropping or renaming one asks twice.
@Suite struct ScriptUsesTests {
  static func state() -> AppState {
    var state = Sample.state(Size(width: 140, height: 30))
    state.scriptsFolder = "jobs"
    let use = { (line: Int) in ConnectionUse(file: "models.sql", location: SourceLocation(line: line, column: 80), statement: "CREATE MODEL", via: "'openai.connection'") }
    _ = reduce(&state, .scriptsScanned(.success(ScriptScan(uses: ["default_catalog.ai.openai_prod": [use(1), use(4)]], files: 1))))
    return state
  }

  @Test func theDetailPaneListsTheUses() {
    var state = Self.state()
    state.press(.character("/"))
    state.type("openai_prod")
    state.press(.enter)
    let screen = render(state).text
    #expect(screen.contains("USED BY 2 statements in 1 script"))
    #expect(screen.contains("models.sql:1  CREATE MODEL"))
    #expect(screen.contains("models.sql:4  CREATE MODEL"))
    state.press(.escape, .character("g"))  // azure_gpt: no uses
    #expect(render(state).text.contains("USED BY nothing in the scripts"))
  }

  @Test func droppingAConnectionInUseAsksTwice() {
    var state = Self.state()
    state.press(.character("/"))
    state.type("openai_prod")
    state.press(.enter, .character("d"))
    #expect(render(state).text.contains("Used by 2 statements in the scripts (see the detail pane): dropping asks twice."))
    state.type("openai_prod")
    var effects = reduce(&state, .input(.key(.enter)))
    #expect(effects.isEmpty)
    #expect(state.status?.text == "Used by 2 statements in the scripts. Press ⏎ again to drop it anyway.")
    effects = reduce(&state, .input(.key(.enter)))
    #expect(effects == [.submit(statements: ["DROP CONNECTION `default_catalog`.`ai`.`openai_prod`"], expectedVersion: 2)])

    // One not in use drops at the first Enter, as before.
    var other = Self.state()
    other.press(.character("d"))
    other.type("azure_gpt")
    #expect(!reduce(&other, .input(.key(.enter))).isEmpty)
  }

  @Test func aStatementThatDropsOrRenamesOneInUseAsksTwice() {
    for sql in ["DROP CONNECTION openai_prod", "ALTER CONNECTION ai.openai_prod RENAME TO gpt", "drop connection default_catalog.ai.openai_prod"] {
      var state = Self.state()
      state.press(.character(":"))
      state.type(sql)
      #expect(reduce(&state, .input(.key(.enter))).isEmpty, "\(sql)")
      #expect(state.status?.text == "What this drops or renames is used by 2 statements in the scripts. Press ⏎ again to run it.")
      #expect(reduce(&state, .input(.key(.enter))) == [.runCommand(sql)])
    }
    for sql in ["DROP CONNECTION azure_gpt", "ALTER CONNECTION openai_prod SET ('endpoint' = 'https://x')", "SHOW CONNECTIONS"] {
      var state = Self.state()
      state.press(.character(":"))
      state.type(sql)
      #expect(reduce(&state, .input(.key(.enter))) == [.runCommand(sql)], "\(sql)")
    }
  }
}
