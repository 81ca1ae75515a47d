import Foundation
import Testing

/// `switchboard plan`: what a script would change, key by key; nothing changes.
@Suite struct PlanCLITests {
  @Test func plansAScriptAndChangesNothing() throws {
    let cli = try RenderCLITests.seeded()
    let before = try Data(contentsOf: URL(fileURLWithPath: cli.catalogPath))
    let historyBefore = try cli.run(["history"]).stdout
    let script = """
      ALTER CONNECTION shop.sales.openai_prod SET ('endpoint' = 'https://api.openai.com/v2', 'api-key' = 'sk-plan-canary');
      ALTER CONNECTION shop.sales.openai_prod SET ('endpoint' = 'https://api.openai.com/v2');
      CREATE CONNECTION n WITH ('type' = 'openai', 'endpoint' = 'https://x', 'api-key' = 'sk-plan-canary');
      ALTER CONNECTION n RENAME TO m;
      ALTER CONNECTION shop.sales.bedrock_us RESET ('aws-session-token');
      DROP CONNECTION shop.sales.bedrock_us;
      SHOW CONNECTIONS;
      """
    let run = try cli.run(["plan"], stdin: script)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout == """
      ALTER CONNECTION shop.sales.openai_prod SET ('endpoint' = 'https://api.openai.com/v2', 'api-key' = '******')
        api-key: replaced
        endpoint: 'https://api.openai.com/v1' → 'https://api.openai.com/v2'
      ALTER CONNECTION shop.sales.openai_prod SET ('endpoint' = 'https://api.openai.com/v2')
        no changes
      CREATE CONNECTION n WITH ('type' = 'openai', 'endpoint' = 'https://x', 'api-key' = '******')
        create connection default_catalog.default_database.n
        api-key: set
        endpoint: (unset) → 'https://x'
        type: (unset) → 'openai'
      ALTER CONNECTION n RENAME TO m
        rename default_catalog.default_database.n to m
      ALTER CONNECTION shop.sales.bedrock_us RESET ('aws-session-token')
        aws-session-token: reset
      DROP CONNECTION shop.sales.bedrock_us
        drop shop.sales.bedrock_us and its 2 stored secrets
      SHOW CONNECTIONS
        no connection changes

      """)
    #expect(try cli.run(["history"]).stdout == historyBefore)
    #expect(try cli.run(["sql", "--format", "csv", "-e", "SHOW CONNECTIONS"]).stdout == "connection name\nmcp\n")
    let renderedAfter = try cli.run(["render", "--all", "-o", "-"]).stdout
    #expect(Data(renderedAfter.utf8) == (try Data(contentsOf: RenderCLITests.rendered)))
    _ = before
    for (name, bytes) in cli.allFileBytes() { #expect(bytes.range(of: Data("sk-plan-canary".utf8)) == nil, "\(name)") }
  }

  @Test func aStatementThatWouldFailExitsOne() throws {
    let cli = try RenderCLITests.seeded()
    let failing = try cli.run(["plan"], stdin: "ALTER CONNECTION shop.sales.openai_prod SET ('endpoint' = 'https://b');\nALTER CONNECTION shop.sales.openai_prod RESET ('api-key');\nDROP CONNECTION mcp;")
    #expect(failing.status == 1)
    #expect(failing.stdout == "ALTER CONNECTION shop.sales.openai_prod SET ('endpoint' = 'https://b')\n  endpoint: 'https://api.openai.com/v1' → 'https://b'\nALTER CONNECTION shop.sales.openai_prod RESET ('api-key')\n")
    #expect(failing.stderr.contains("Missing required option 'api-key'"))
    #expect(try cli.run(["plan"], stdin: "ALTER CONNECTION nope SET ('k' = 'v')").status == 1)
    #expect(try cli.run(["plan"], stdin: "ALTER CONNECTION IF EXISTS nope SET ('k' = 'v')").stdout.contains("nothing changes"))
    #expect(try cli.run(["plan"], stdin: "ALTER CONNECTION x SET (").status == 1)
    #expect(try cli.run(["plan", "-e", "SHOW CONNECTIONS"]).status == 2)
    // A public value carrying a credential: refused when it runs, hidden in the plan.
    let credential = try cli.run(["plan"], stdin: "ALTER CONNECTION shop.sales.openai_prod SET ('endpoint' = 'https://u:pw-canary@h')")
    #expect(credential.status == 1)
    #expect(!credential.stdout.contains("pw-canary") && !credential.stderr.contains("pw-canary"))
  }
}
