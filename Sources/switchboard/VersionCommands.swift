import ConnectionEngine
import Foundation
import TextSafety

/// A connection name from the command line, or a usage error.
private func connectionName(_ text: String) throws(CLIError) -> ObjectName {
  guard let name = Parser.parseName(text) else { throw CLIError(.usage, "'\(sanitizedForTerminal(text))' is not a connection name.") }
  return name
}

struct VersionsCommand: Command {
  static let spec = CommandSpec(
    name: "versions",
    abstract: "List a connection's versions, newest first: when, who, and what changed from the one before.",
    discussion: "A dropped connection's tombstone and the versions before it are listed too, within the retention.",
    options: CatalogOptions.options,
    arguments: [ArgumentSpec(name: "name", count: .one, help: "The connection: name, db.name or catalog.db.name.")])

  var catalogOptions: CatalogOptions
  var name: String

  init(_ arguments: ParsedArguments) {
    catalogOptions = CatalogOptions(arguments)
    name = arguments.argument("name") ?? ""
  }

  func run() throws {
    let object = try connectionName(name)
    let engine = try catalogOptions.openEngine()
    let versions: [ConnectionVersion]
    do { versions = try engine.versions(of: object) } catch { throw CLIError(error) }
    let rows = versions.map { v in
      [
        "\(v.version)" + (v.isCurrent ? " (current)" : ""), Date(timeIntervalSince1970: v.madeAt).ISO8601Format(),
        v.madeBy ?? "", v.changes.joined(separator: "; "),
      ]
    }
    Output.write(ResultRenderer.render(ResultSet(columns: ["version", "when", "who", "changes"], rows: rows), format: .table))
  }
}

struct RestoreCommand: Command {
  static let spec = CommandSpec(
    name: "restore",
    abstract: "Make a new version equal to an earlier one (secrets included), or bring back a dropped connection.",
    discussion: """
      With --version N, the connection gets a new version equal to N, checked like any change \
      (--expected-version, --read-only, --confirm for a protected namespace). Without it, a dropped \
      connection comes back as it was before its DROP. The name stays what it is now.
      """,
    options: CatalogOptions.options + [
      .value("version", "version", "The version to restore (see versions)."),
      .value("expected-version", "expected-version", "Fail with a conflict unless the connection is still at this version."),
      .flag("dry-run", "Show what would change and change nothing."),
    ],
    arguments: [ArgumentSpec(name: "name", count: .one, help: "The connection: name, db.name or catalog.db.name.")])

  var catalogOptions: CatalogOptions
  var name: String
  var version: Int64?
  var expectedVersion: Int64?
  var dryRun: Bool

  init(_ arguments: ParsedArguments) throws(CLIError) {
    catalogOptions = CatalogOptions(arguments)
    name = arguments.argument("name") ?? ""
    version = try arguments.integer("version", as: Int64.self)
    expectedVersion = try arguments.integer("expected-version", as: Int64.self)
    dryRun = arguments.flag("dry-run")
  }

  func run() throws {
    let object = try connectionName(name)
    let engine = try catalogOptions.openEngine()
    do {
      let plan = try engine.restorePlan(of: object, version: version)
      if plan != ["no changes"] { Output.write(plan.map { "  " + $0 + "\n" }.joined()) }
      if dryRun { return }
      Output.write(try engine.restore(object, version: version, expectedVersion: expectedVersion) + "\n")
    } catch {
      throw CLIError(error)
    }
  }
}

struct PurgeCommand: Command {
  static let spec = CommandSpec(
    name: "purge",
    abstract: "Destroy earlier versions and tombstones for good, and scrub them from the catalog's files.",
    discussion: "Of one connection (live or dropped) or of all; --keep N keeps the newest N of each.",
    options: CatalogOptions.options + [.value("keep", "keep", "Earlier versions to keep per connection.")],
    arguments: [ArgumentSpec(name: "name", count: .optional, help: "The connection (all connections when absent).")])

  var catalogOptions: CatalogOptions
  var name: String?
  var keep: Int

  init(_ arguments: ParsedArguments) throws(CLIError) {
    catalogOptions = CatalogOptions(arguments)
    name = arguments.argument("name")
    keep = try arguments.integer("keep") ?? 0
  }

  func run() throws {
    guard keep >= 0 else { throw CLIError(.usage, "--keep must be 0 or more.") }
    let object = try name.map(connectionName)
    let engine = try catalogOptions.openEngine()
    let result: PurgeResult
    do { result = try engine.purge(object, keep: keep) } catch { throw CLIError(error) }
    Output.write(
      "\(result.versions) version\(result.versions == 1 ? "" : "s") destroyed, \(result.sealedSecrets) sealed secret\(result.sealedSecrets == 1 ? "" : "s") with them.\n")
  }
}
