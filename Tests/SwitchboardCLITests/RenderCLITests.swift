import Foundation
import Testing

/// `render`, the one command that writes secrets out: only into a new 0600 file or a pipe.
@Suite struct RenderCLITests {
  static let setup = CLIRunner.repositoryRoot.appendingPathComponent("Tests/SwitchboardCLITests/Fixtures/render-setup.sql").path
  static let rendered = CLIRunner.repositoryRoot.appendingPathComponent("Tests/ConnectionEngineTests/Fixtures/scripts/realistic/rendered.sql")

  static func seeded() throws -> CLIRunner {
    let cli = try CLIRunner()
    let run = try cli.run(["sql", "-f", setup])
    #expect(run.status == 0, "\(run.stderr)")
    return cli
  }

  /// What render writes is the fixture that Flink 2.3.0's own parser accepts (scripts.tsv), and
  /// it recreates the same connections, secrets included, in another catalog.
  @Test func rendersWhatFlinkAcceptsAndRecreatesTheConnections() throws {
    let cli = try Self.seeded()
    let file = cli.directory.appendingPathComponent("init.sql")
    let run = try cli.run(["render", "--all", "-o", file.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.isEmpty)
    let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    let written = try Data(contentsOf: file)
    #expect(written == (try Data(contentsOf: Self.rendered)))
    #expect(try cli.run(["check", "-f", file.path]).stdout.isEmpty)

    // Like a Flink session, the other catalog has the catalogs and databases the names point into.
    let other = try CLIRunner()
    #expect(try other.run(["sql", "-e", "CREATE CATALOG shop; CREATE DATABASE shop.sales"]).status == 0)
    let load = try other.run(["sql", "-f", file.path])
    #expect(load.status == 0, "\(load.stderr)")
    let again = try other.run(["render", "--all", "-o", "-"])
    #expect(Data(again.stdout.utf8) == written)

    let some = try cli.run(["render", "shop.sales.openai_prod", "mcp", "--temporary", "-o", "-"])
    #expect(some.status == 0, "\(some.stderr)")
    #expect(some.stdout.components(separatedBy: "CREATE TEMPORARY CONNECTION ").count == 3)
    #expect(some.stdout.contains("'sk-render-canary-1'"))
  }

  @Test func neverWritesOverAFileALinkOrADevice() throws {
    let cli = try Self.seeded()
    let file = cli.directory.appendingPathComponent("init.sql")
    try Data("keep me\n".utf8).write(to: file)
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
    let refused = try cli.run(["render", "--all", "-o", file.path])
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("exists; render never writes over a file unless --force"))
    #expect(try Data(contentsOf: file) == Data("keep me\n".utf8))

    #expect(try cli.run(["render", "--all", "--force", "-o", file.path]).status == 0)
    #expect((try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int) == 0o600)
    #expect(try Data(contentsOf: file) == (try Data(contentsOf: Self.rendered)))

    let target = cli.directory.appendingPathComponent("target.txt")
    try Data("target\n".utf8).write(to: target)
    let link = cli.directory.appendingPathComponent("link.sql")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
    #expect(try cli.run(["render", "--all", "--force", "-o", link.path]).status == 2)
    #expect(try Data(contentsOf: target) == Data("target\n".utf8))
    #expect(try cli.run(["render", "--all", "--force", "-o", "/dev/null"]).status == 2)
    // Nothing but the files made here is left in the folder (no temporary file).
    let names = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).filter { $0.hasSuffix(".tmp") }
    #expect(names.isEmpty)
  }

  @Test func refusesWithoutLeavingAFile() throws {
    let cli = try Self.seeded()
    let file = cli.directory.appendingPathComponent("out.sql")
    let unknown = try cli.run(["render", "nope", "-o", file.path])
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("'default_catalog.default_database.nope' does not exist"))
    cli.environment["SWITCHBOARD_MASTER_KEY"] = Data(repeating: 7, count: 32).base64EncodedString()
    let keyless = try cli.run(["render", "--all", "-o", file.path])
    cli.environment["SWITCHBOARD_MASTER_KEY"] = nil
    #expect(keyless.status == 3)
    #expect(keyless.stderr.contains("does not match"))
    #expect(try cli.run(["render", "mcp", "--all", "-o", file.path]).status == 2)
    #expect(try cli.run(["render", "-o", file.path]).status == 2)
    #expect(try cli.run(["render", "--all"]).status == 2)
    #expect(try cli.run(["render", "a b", "-o", file.path]).status == 2)
    #expect(!FileManager.default.fileExists(atPath: file.path))
  }

  /// Each run is in the history, masked; no file of the catalog holds a rendered secret.
  @Test func eachRunIsRecordedMasked() throws {
    let cli = try Self.seeded()
    let outside = FileManager.default.temporaryDirectory.appendingPathComponent("render-\(UUID().uuidString).sql")
    defer { try? FileManager.default.removeItem(at: outside) }
    #expect(try cli.run(["render", "--all", "-o", outside.path]).status == 0)
    #expect(try cli.run(["render", "shop.sales.openai_prod", "-o", "-"]).status == 0)
    let history = try cli.run(["history"])
    #expect(history.stdout.contains("-- render default_catalog.default_database.mcp, shop.sales.bedrock_us, shop.sales.openai_prod, shop.sales.warehouse jdbc to \(outside.path)"))
    #expect(history.stdout.contains("-- render shop.sales.openai_prod to standard output"))
    for canary in ["sk-render-canary-1", "AKIARENDER", "line two", "not a comment"] {
      #expect(!history.stdout.contains(canary))
      for (name, bytes) in cli.allFileBytes() {
        #expect(bytes.range(of: Data(canary.utf8)) == nil, "\(canary) in \(name)")
      }
    }
  }

  /// As a person runs it: `-o -` in a terminal is refused, and no secret reaches the screen.
  @Test func refusesToPrintSecretsToATerminal() throws {
    guard TmuxSession.isAvailable else { return }
    let cli = try Self.seeded()
    let session = try TmuxSession("\(CLIRunner.binary.path) render --all -o -; echo \"exit=$?\"; sleep 30", environment: cli.environment)
    let screen = try session.waitFor("the refusal") { $0.contains("exit=") }
    #expect(screen.contains("Refusing to print secrets to a terminal"))
    #expect(screen.contains("exit=2"))
    #expect(!screen.contains("canary") && !screen.contains("AKIARENDER"))
    let piped = try TmuxSession("\(CLIRunner.binary.path) render --all -o - | wc -l; sleep 30", environment: cli.environment)
    let count = try piped.waitFor("the line count") { $0.trimmingCharacters(in: .whitespacesAndNewlines).allSatisfy(\.isNumber) && !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    #expect(Int(count.trimmingCharacters(in: .whitespacesAndNewlines)) == (try String(contentsOf: Self.rendered, encoding: .utf8)).split(separator: "\n", omittingEmptySubsequences: false).count - 1)
  }
}
