import Foundation
import FuzzChecks
import Testing

/// A catalog written by the previous release, with the leaks the review found in it (secrets in
/// the history, an endpoint with user info and a `url` stored in clear), opened by this binary:
/// first without the master key (browsing works, the history is healed, nothing is dropped),
/// then with it (the stored values are sealed). Afterwards no canary is in any output, nor in
/// any byte of the catalog, its WAL or SHM.
@Suite struct UpgradeTests {
  static let canaries = ["LegacyCanary1Missingcomma", "LegacyCanary2Eform", "LegacyCanary3Userinfo", "LegacyCanary4Url"]

  @Test func aLeakyCatalogFromThePreviousReleaseIsHealedOnOpen() throws {
    let cli = try CLIRunner()
    let fixture = CLIRunner.repositoryRoot.appendingPathComponent("Tests/SwitchboardCLITests/Fixtures/legacy-v1.sqlite")
    let catalog = cli.directory.appendingPathComponent("legacy.sqlite").path
    try FileManager.default.copyItem(atPath: fixture.path, toPath: catalog)
    let scanner = LeakScanner(canaries: Self.canaries)
    // The check can fail: the fixture really holds every canary.
    let original = try Data(contentsOf: fixture)
    for canary in Self.canaries { #expect(original.range(of: Data(canary.utf8)) != nil, "\(canary) in the fixture") }

    // Without the key: browse, read the history; everything is still there, nothing shows.
    var outputs: [String] = []
    for arguments in [["history", "--format", "csv"], ["sql", "--format", "csv", "-e", "SHOW CONNECTIONS"],
      ["sql", "--format", "json", "-e", "DESCRIBE CONNECTION mongo"], ["sql", "-e", "SHOW CREATE CONNECTION scratch"]]
    {
      let run = try cli.run(arguments + ["--catalog", catalog])
      #expect(run.status == 0, "\(arguments): \(run.stderr)")
      outputs.append(run.stdout + run.stderr)
    }
    #expect(outputs[1].contains("mongo") && outputs[1].contains("openai_e") && outputs[1].contains("scratch"))
    #expect(outputs[2].contains("secret:endpoint"))
    #expect(outputs[0].contains("history re-masked"))
    // Without the key the stored values wait, noted as such, and still hold their bytes.
    #expect(try cli.run(["sql", "--catalog", catalog, "-e", "SHOW CONNECTIONS"]).status == 0)
    let waiting = FileManager.default.contents(atPath: catalog) ?? Data()
    #expect(waiting.range(of: Data("LegacyCanary3Userinfo".utf8)) != nil, "not dropped while waiting for the key")

    // With the key: the stored values are sealed, and the secrets still open.
    cli.environment["SWITCHBOARD_MASTER_KEY"] = Data(repeating: 0x77, count: 32).base64EncodedString()
    let verify = try cli.run(["verify", "--catalog", catalog])
    #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
    #expect(verify.stdout.contains("secrets opened: 5"), "\(verify.stdout)")
    for arguments in [["history", "--format", "csv"], ["sql", "--format", "csv", "-e", "DESCRIBE CONNECTION mongo"],
      ["sql", "--format", "csv", "-e", "DESCRIBE CONNECTION scratch"]]
    {
      let run = try cli.run(arguments + ["--catalog", catalog])
      #expect(run.status == 0, "\(arguments): \(run.stderr)")
      outputs.append(run.stdout + run.stderr)
    }
    #expect(outputs.last!.contains("secret:url,******"))
    #expect(outputs.last!.contains("option:region,eu"))
    for output in outputs { #expect(scanner.leak(in: output) == nil, "\(output)") }
    for suffix in ["", "-wal", "-shm"] {
      guard let bytes = FileManager.default.contents(atPath: catalog + suffix) else { continue }
      #expect(scanner.leak(in: bytes) == nil, "catalog\(suffix)")
    }
    let mode = try FileManager.default.attributesOfItem(atPath: catalog)[.posixPermissions] as! Int
    #expect(mode == 0o600)
  }
}
