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

/// `y` copies a connection's type and public options into the create form; secrets start empty
/// and are required.
@Suite struct DuplicateTests {
  @Test func duplicateCopiesPublicOptionsAndRequiresTheSecrets() throws {
    var state = Sample.state(Size(width: 140, height: 30))
    state.press(.down, .down, .down)  // mongo_orders
    state.press(.character("y"))
    let form = try #require(state.form)
    #expect(form.isCreate)
    #expect(form.type.name == "mongodb")
    #expect(form.duplicateOf == "default_catalog.ai.mongo_orders")
    #expect(form.fields.first { $0.keyText == "endpoint" }?.value.text == "mongodb+srv://orders.demo.mongodb.net")
    for key in ["username", "password"] {
      let field = try #require(form.fields.first { $0.keyText == key })
      #expect(field.value.isEmpty && field.isSecret && field.isRequired)
    }
    #expect(form.problems[-1] == "a name is required")
    let screen = render(state).text
    #expect(screen.contains("New mongodb connection in default_catalog.ai, a copy of default_catalog.ai.mongo_orders (secrets are not copied)"))
    // A default-type connection with extra options: the options come along as added fields.
    var other = Sample.state(Size(width: 140, height: 30))
    other.press(.character("/"))
    other.type("scratch")
    other.press(.enter, .character("y"))
    let copy = try #require(other.form)
    #expect(copy.fields.map(\.keyText).sorted() == ["owner", "region"])
    other.type("scratch_copy")
    #expect(copy.problems.isEmpty || other.form?.problems.isEmpty == true)
    #expect(other.form?.statements == ["CREATE CONNECTION `default_catalog`.`ai`.`scratch_copy`\nWITH (\n  'type' = 'default',\n  'owner' = 'data-platform',\n  'region' = 'eu-west-1'\n)"])
    // Read-only: no duplicate.
    var readOnly = Sample.state()
    readOnly.readOnlyReason = "read-only"
    readOnly.press(.character("y"))
    #expect(readOnly.form == nil)
  }
}

/// Protected namespaces in the terminal UI: a banner, and every write asks for a typed name.
@Suite struct ProtectedNamespaceTests {
  static func state() -> AppState {
    var state = Sample.state(Size(width: 120, height: 30))
    state.protectedPatterns = ["default_catalog.a*"]
    return state
  }

  @Test func theHeaderNamesTheProtectedNamespace() {
    #expect(render(Self.state()).text.hasPrefix(" Switchboard   PROTECTED default_catalog.ai  8 connections"))
    var other = Self.state()
    other.protectedPatterns = ["prod.*"]
    #expect(!render(other).text.contains("PROTECTED"))
  }

  @Test func aFormSubmitAsksForTheNamespacesName() throws {
    var state = Self.state()
    state.press(.down, .down, .enter, .tab)  // claude's api-key
    state.type("sk-protected-canary")
    state.press(.control("s"))
    guard case .confirmProtected(let plan, _, let namespace, _)? = state.dialog else { Issue.record("no protected dialog"); return }
    #expect(plan == ["api-key: replaced"])
    #expect(namespace == "default_catalog.ai")
    #expect(reduce(&state, .input(.key(.character("y")))).isEmpty)  // y is just a typed letter here
    state.press(.control("u"))
    state.type("default_catalog.a")
    #expect(reduce(&state, .input(.key(.enter))).isEmpty)
    #expect(state.status?.text == "Type default_catalog.ai exactly to write into this protected namespace.")
    state.type("i")
    let screen = render(state).text
    #expect(screen.contains("Submit into protected default_catalog.ai?"))
    #expect(!screen.contains("sk-protected"))
    let effects = reduce(&state, .input(.key(.enter)))
    #expect(effects == [.submitProtected(
      statements: ["ALTER CONNECTION `default_catalog`.`ai`.`claude` SET (\n  'api-key' = 'sk-protected-canary'\n)"], expectedVersion: 3,
      namespace: "default_catalog.ai")])
  }

  @Test func dropAndStatementsAskToo() {
    var state = Self.state()
    state.press(.character("d"))
    state.type("azure_gpt")
    #expect(reduce(&state, .input(.key(.enter))) == [.submitProtected(
      statements: ["DROP CONNECTION `default_catalog`.`ai`.`azure_gpt`"], expectedVersion: 1, namespace: "default_catalog.ai")])

    var command = Self.state()
    command.press(.character(":"))
    command.type("ALTER CONNECTION claude SET ('endpoint' = 'https://x')")
    #expect(reduce(&command, .input(.key(.enter))).isEmpty)
    #expect(command.status?.text == "default_catalog.ai is protected: type its name and press ⏎ to run the statement (Esc cancels).")
    command.type("default_catalog.ai")
    #expect(reduce(&command, .input(.key(.enter))) == [.runCommandProtected("ALTER CONNECTION claude SET ('endpoint' = 'https://x')", namespace: "default_catalog.ai")])
    // Reads, and writes elsewhere, run at once.
    for sql in ["SHOW CONNECTIONS", "DROP CONNECTION other_catalog.db.c", "CREATE DATABASE default_catalog.zeta"] {
      var other = Self.state()
      other.press(.character(":"))
      other.type(sql)
      #expect(reduce(&other, .input(.key(.enter))) == [.runCommand(sql)], "\(sql)")
    }
    var escape = Self.state()
    escape.press(.character(":"))
    escape.type("DROP CONNECTION claude")
    escape.press(.enter, .escape)
    #expect(escape.status?.text == "Not run.")
  }
}

/// The list's SECRET AGE column: days since the secrets changed, flagged past rotate-after-days,
/// sortable oldest first.
@Suite struct SecretAgeColumnTests {
  @Test func ageColumnFlagsAndSorts() {
    var state = Sample.state(Size(width: 160, height: 20))
    state.rotateAfterDays = 25
    let screen = render(state).text
    #expect(screen.contains("SECRET AGE"))
    let lines = screen.split(separator: "\n")
    #expect(lines.contains { $0.contains("claude") && $0.contains("30d rotate") })
    #expect(lines.contains { $0.contains("openai_prod") && $0.contains("20d") && !$0.contains("rotate") })
    #expect(lines.contains { $0.contains("scratch") && $0.contains("—") })
    state.press(.character("s"), .character("s"), .character("s"))  // type, endpoint, secret age
    #expect(state.sort.column == .secretAge)
    #expect(state.rows[state.visible[0]].name == "claude")  // the oldest first
    #expect(state.selectedRow?.name == "azure_gpt")  // the selection stays on its connection
    #expect(state.rows[state.visible.last!].name == "scratch")  // no secrets last
  }
}

/// Bulk: Space marks; drop the marked, or set one key on all of them; one confirmation naming the
/// count and the namespaces; results per item.
@Suite struct BulkTests {
  @Test func setOneKeyOnTheMarkedThenReportPerItem() throws {
    var state = Sample.state(Size(width: 140, height: 30))
    state.press(.character(" "), .character(" "), .down, .character(" "))  // azure_gpt, bedrock_us, mongo_orders
    #expect(state.marked == ["default_catalog.ai.azure_gpt", "default_catalog.ai.bedrock_us", "default_catalog.ai.mongo_orders"])
    #expect(render(state).text.contains("8 connections, 3 marked"))
    state.press(.character("b"))
    state.type("api-key")
    state.press(.tab)
    state.type("sk-bulk-canary")
    var screen = render(state).text
    #expect(!screen.contains("sk-bulk"))
    state.press(.enter)
    guard case .confirmBulk(let title, let lines, let items, nil, _)? = state.dialog else { Issue.record("no dialog"); return }
    #expect(title == "Set 'api-key' on 3 connections?")
    #expect(lines.contains("In default_catalog.ai:"))
    #expect(items.map(\.name) == ["azure_gpt", "bedrock_us", "mongo_orders"])
    #expect(items[0].statement.contains("'sk-bulk-canary'") && !items[0].masked.contains("sk-bulk"))
    screen = render(state).text
    #expect(screen.contains("Set 'api-key' on 3 connections?") && !screen.contains("sk-bulk"))
    let effects = reduce(&state, .input(.key(.character("y"))))
    #expect(effects == [.bulk(items, namespace: nil)])
    _ = reduce(&state, .bulkFinished([("azure_gpt", nil), ("bedrock_us", "Unknown option 'api-key'."), ("mongo_orders", nil)]))
    #expect(state.status?.text == "2 changed, 1 failed: bedrock_us — Unknown option 'api-key'.")
    #expect(state.marked.isEmpty)
  }

  @Test func dropTheMarkedAndProtectedNeedsTheName() {
    var state = Sample.state(Size(width: 140, height: 30))
    state.protectedPatterns = ["default_catalog.ai"]
    state.press(.character(" "), .character(" "))
    state.press(.character("d"))
    guard case .confirmBulk(let title, _, let items, let namespace, _)? = state.dialog else { Issue.record("no dialog"); return }
    #expect(title == "Drop 2 connections?")
    #expect(namespace == "default_catalog.ai")
    #expect(reduce(&state, .input(.key(.character("y")))).isEmpty)  // typed, not a yes
    state.press(.control("u"))
    state.type("default_catalog.ai")
    #expect(reduce(&state, .input(.key(.enter))) == [.bulk(items, namespace: "default_catalog.ai")])
    // Esc unmarks; read-only marks nothing.
    var other = Sample.state()
    other.press(.character(" "), .escape)
    #expect(other.marked.isEmpty)
    other.readOnlyReason = "read-only"
    other.press(.character(" "))
    #expect(other.marked.isEmpty)
  }
}
