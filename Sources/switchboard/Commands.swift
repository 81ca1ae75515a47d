import ConnectionEngine
import Foundation
import Logging
import TerminalKit

/// Options every command that opens a catalog shares.
struct CatalogOptions {
  static let options: [OptionSpec] = [
    .value(
      "catalog", "catalog",
      "The catalog: a file, or postgresql://[user@]host[:port]/database[?schema=NAME] (default: $SWITCHBOARD_CATALOG, else $XDG_DATA_HOME/switchboard/catalog.sqlite). Passwords come from PGPASSWORD or ~/.pgpass, never the URL."),
    .flag("demo", "Use a throw-away catalog seeded with demo connections."),
    .flag("read-only", "Refuse every write (also: read-only = true in the config file)."),
    .repeated("confirm", "confirm", "Confirm writes into a protected namespace CATALOG.DATABASE (repeatable)."),
  ]

  var catalog: String?
  var demo = false
  var readOnly = false
  var confirm: [String] = []

  init(_ arguments: ParsedArguments) {
    catalog = arguments.string("catalog")
    demo = arguments.flag("demo")
    readOnly = arguments.flag("read-only")
    confirm = arguments.strings("confirm")
  }

  /// The config file (`$XDG_CONFIG_HOME/switchboard/config.toml`); a bad one is an error.
  func loadConfig(environment: [String: String] = Environment.all) throws(CLIError) -> SwitchboardConfig {
    guard let path = SwitchboardConfig.path(environment: environment) else { return SwitchboardConfig() }
    do {
      return try SwitchboardConfig.load(path: path)
    } catch {
      throw CLIError(.environment, error.message)
    }
  }

  func openEngine() throws(CLIError) -> Engine {
    var environment = Environment.all
    if environment["USER"] == nil, let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
      environment["USER"] = String(cString: name)
    }
    let config = try loadConfig(environment: environment)
    let policy = WritePolicy(readOnly: readOnly || config.readOnly, protected: config.protected, confirmed: Set(confirm))
    if demo {
      do {
        let (engine, cleanup) = try DemoCatalog.open(user: environment["USER"])
        if let logger = FileLogHandler.engineLogger() { engine.logger = logger }
        engine.writePolicy = policy
        engine.versionRetention = config.retention ?? engine.versionRetention
        keepUntilExit(engine)
        atexit_cleanups.append(cleanup)
        return engine
      } catch {
        throw CLIError(error)
      }
    }
    if let catalog, Engine.locationHasPassword(catalog) {
      throw CLIError(
        .usage,
        "Refusing a password inside --catalog: it would stay in your shell history and the process list. Give it with PGPASSWORD or in ~/.pgpass (or a service file), and leave it out of the URL.")
    }
    let configured = environment["SWITCHBOARD_CATALOG"].flatMap { $0.isEmpty ? nil : $0 }
    guard let path = catalog ?? configured ?? Engine.defaultCatalogPath(environment: environment) else {
      throw CLIError(.environment, "No catalog: pass --catalog PATH or URL, or set SWITCHBOARD_CATALOG, XDG_DATA_HOME or HOME.")
    }
    do {
      let engine = try Engine(catalogPath: path, environment: environment)
      if let logger = FileLogHandler.engineLogger() { engine.logger = logger }
      engine.writePolicy = policy
      engine.versionRetention = config.retention ?? engine.versionRetention
      keepUntilExit(engine)
      return engine
    } catch {
      throw CLIError(error)
    }
  }

  /// The engine is closed by the exit handlers, and never let go of: letting go of it ran
  /// Foundation's notification machinery (GRDB's queue unregisters its observers), about 0.18 ms
  /// of a 7 ms one-statement `sql` run.
  private func keepUntilExit(_ engine: Engine) {
    UntilExit.keep(engine)
    atexit_cleanups.append { engine.close() }
  }
}

struct SQLCommand: Command {
  static let spec = CommandSpec(
    name: "sql", abstract: "Run statements from -e, -f FILE or standard input.",
    options: CatalogOptions.options + [
      .value("e", "statement", "A statement to run. Statements that carry secrets must come on stdin or from -f."),
      .value("f", "file", "A script file to run."),
      .value("format", "format", "Output format: table, json or csv."),
      .value("expected-version", "expected-version", "Fail with a conflict unless the connection is still at this version."),
    ])

  var catalogOptions: CatalogOptions
  var execute: String?
  var file: String?
  var format: String
  var expectedVersion: Int64?

  init(_ arguments: ParsedArguments) throws(CLIError) {
    catalogOptions = CatalogOptions(arguments)
    execute = arguments.string("e")
    file = arguments.string("f")
    format = arguments.string("format") ?? "table"
    expectedVersion = try arguments.integer("expected-version", as: Int64.self)
  }

  func run() throws {
    guard let format = OutputFormat(rawValue: format) else {
      throw CLIError(.usage, "--format must be table, json or csv.")
    }
    if execute != nil && file != nil { throw CLIError(.usage, "Give -e or -f, not both.") }
    if let file, execute == nil { return try runFile(file, format: format) }
    var input: ScriptInput
    if let execute {
      if let reason = SecretDetector.reasonToRefuse(execute) {
        throw CLIError(
          .usage,
          "Refusing to take this statement on the command line: it may carry a secret (\(sanitizedForTerminal(reason))), which would stay in your shell history and the process list. Pass the statement on standard input or with -f FILE.")
      }
      input = ScriptInput(text: execute, location: "<command line>")
    } else {
      input = try ScriptInput.read(file: file)
    }
    let engine = try catalogOptions.openEngine()
    var failed: EngineError? = nil
    for outcome in engine.run(script: input.text, expectedVersion: expectedVersion) {
      switch outcome.result {
      case .success(let result):
        Output.write(ResultRenderer.render(result, format: format))
      case .failure(let error):
        Output.error(ErrorRenderer.render(error, script: input.text, location: input.location))
        failed = error
      }
    }
    input.text = ""
    if let failed { throw ExitCode(ExitStatus(failed).rawValue) }
  }

  /// `-f FILE`, a few megabytes at a time: first every piece is parsed (a syntax error anywhere
  /// runs nothing, as for a whole script), then each piece runs in one transaction, statement
  /// by statement; the first failure stops the script and keeps what ran before it.
  private func runFile(_ file: String, format: OutputFormat) throws {
    let engine = try catalogOptions.openEngine()
    func report(_ error: EngineError, in segment: ScriptFileSegments.Segment) -> ExitCode {
      var shown = error
      shown.location = error.location.map { ScriptFileSegments.shift($0, from: (segment.line, segment.column)) }
      // Flink's messages say the line and column too: the file's, not the piece's.
      if let inPiece = error.location, let inFile = shown.location {
        shown.message = shown.message.replacingOccurrences(
          of: "at line \(inPiece.line), column \(inPiece.column)", with: "at line \(inFile.line), column \(inFile.column)")
      }
      Output.error(ErrorRenderer.render(shown, script: segment.text, location: file))
      return ExitCode(ExitStatus(error).rawValue)
    }
    let pieces = try ScriptPipeline(path: file, preparing: true)
    defer { pieces.stop() }
    // A file of one piece needs no first pass: running it parses all of it before anything
    // runs. Otherwise a second thread cuts and parses the next piece while this one looks at
    // the last (and the first piece is prepared meanwhile).
    if !pieces.isOnePiece {
      let check = try ScriptPipeline(path: file, preparing: false)
      defer { check.stop() }
      while let piece = try check.next() {
        guard piece.parsesScript else {
          // Run it to have the engine say why (and note it, masked, in the history): it parses nothing.
          for outcome in engine.run(script: piece.segment.text) {
            if case .failure(let error) = outcome.result { throw report(error, in: piece.segment) }
          }
          return
        }
      }
    }
    var expected = expectedVersion
    while let piece = try pieces.next() {
      // One write per piece, not one per statement (a million CREATEs print a million results).
      var printed = ""
      for outcome in engine.run(piece.prepared!, expectedVersion: expected) {
        switch outcome.result {
        case .success(let result): printed += ResultRenderer.render(result, format: format)
        case .failure(let error):
          Output.write(printed)
          throw report(error, in: piece.segment)
        }
      }
      Output.write(printed)
      expected = nil
    }
  }
}

struct CheckCommand: Command {
  static let spec = CommandSpec(
    name: "check",
    abstract: "Lint a Flink SQL script without running it: LOCATION:LINE:COLUMN: error|warning: MESSAGE.",
    discussion: """
      Connection, catalog and database statements are checked as Apache Flink 2.3.0 parses them; other \
      Flink statements (SET, CREATE TABLE, INSERT, statement sets, ...) are recognised and counted on \
      standard error, not checked. Connections the script names ('<provider>.connection' = 'name', or \
      USING CONNECTION with --dialect master) are looked up in the catalog.
      """,
    options: CatalogOptions.options + [
      .value("f", "file", "The script to check (standard input when absent)."),
      .flag("strict", "Exit 1 on warnings too."),
      .flag("verbose", "Also list every statement that was not checked and every connection the script uses."),
      .value("dialect", "dialect", "Flink grammar: 2.3 (Apache Flink 2.3.0) or master (adds USING CONNECTION in CREATE TABLE)."),
    ])

  var catalogOptions: CatalogOptions
  var file: String?
  var strict: Bool
  var verbose: Bool
  var dialect: String

  init(_ arguments: ParsedArguments) throws(CLIError) {
    catalogOptions = CatalogOptions(arguments)
    file = arguments.string("f")
    strict = arguments.flag("strict")
    verbose = arguments.flag("verbose")
    dialect = arguments.string("dialect") ?? "2.3"
  }

  func run() throws {
    guard let dialect = FlinkDialect(rawValue: dialect) else { throw CLIError(.usage, "--dialect must be 2.3 or master.") }
    let (bytes, inputLocation) = try ScriptInput.readBytes(file: file)
    let report = Linter.lint(bytes, dialect: dialect, listingOthers: verbose)
    UntilExit.keep(report)
    let location = sanitizedForTerminal(inputLocation)
    var diagnostics = report.diagnostics.map { (offset: $0.offset, line: $0.location, severity: $0.severity.rawValue, message: $0.message) }
    var notes: [String] = []
    if report.namesConnections {
      switch try resolve(report) {
      case .resolved(let references):
        for resolved in references {
          let where_ = report.location(of: resolved.reference.offset)
          if resolved.exists {
            if verbose {
              diagnostics.append((resolved.reference.offset, where_, "note", "uses connection \(resolved.connection!.parts.joined(separator: "."))"))
            }
            continue
          }
          diagnostics.append((resolved.reference.offset, where_, "warning", Self.unknownMessage(resolved)))
        }
      case .skipped(let why):
        notes.append("connections named by the script were not looked up: \(why)")
      }
    }
    if verbose {
      for other in report.reading.others {
        diagnostics.append((other.range.lowerBound, report.location(of: other.range.lowerBound), "note", "\(other.kind) not checked (outside the connection dialect)"))
      }
    }
    diagnostics.sort { $0.offset < $1.offset }
    // Written 64 KB at a time: a write per line made a script of 600,000 errors spend a fifth
    // of its time in system calls.
    var out = ""
    for diagnostic in diagnostics {
      // One line per problem; the message's own newlines would break editors' parsing.
      let message = sanitizedForTerminal(diagnostic.message.utf8.contains(0x0A) ? diagnostic.message.replacingOccurrences(of: "\n", with: " ") : diagnostic.message)
      out += "\(location):\(diagnostic.line.line):\(diagnostic.line.column): \(diagnostic.severity): \(message)\n"
      if out.utf8.count >= 1 << 16 {
        Output.write(out)
        out = ""
      }
    }
    Output.write(out)
    if !report.otherKinds.isEmpty {
      notes.insert(Self.summary(report), at: 0)
    }
    for note in notes { Output.error("\(location): \(note)\n") }
    let errors = diagnostics.contains { $0.severity == "error" }
    let warnings = diagnostics.contains { $0.severity == "warning" }
    if errors || (strict && warnings) { throw ExitCode(ExitStatus.statementFailed.rawValue) }
  }

  private enum Resolution {
    case resolved([ResolvedReference])
    case skipped(String)
  }

  /// Looks the references up in the catalog that was asked for; without one, in the default
  /// catalog only if it exists (checking a script creates no catalog).
  private func resolve(_ report: LintReport) throws -> Resolution {
    let environment = Environment.all
    let chosen = catalogOptions.catalog != nil || catalogOptions.demo || !(environment["SWITCHBOARD_CATALOG"] ?? "").isEmpty
    if !chosen {
      guard let path = Engine.defaultCatalogPath(environment: environment), FileManager.default.fileExists(atPath: path) else {
        return .skipped("no catalog (pass --catalog, or set SWITCHBOARD_CATALOG)")
      }
    }
    let engine = try catalogOptions.openEngine()
    do {
      return .resolved(try engine.resolveReferences(in: report.reading))
    } catch {
      throw CLIError(error)
    }
  }

  /// The unknown name itself is not repeated: a careless script may hold a credential where the
  /// name belongs, and the line and column already point at it.
  static func unknownMessage(_ resolved: ResolvedReference) -> String {
    let via = "\(resolved.reference.via) in \(resolved.reference.statement.kind)"
    guard let name = resolved.connection else {
      return "This cannot name a connection (\(via)): a connection name has 1 to 3 parts."
    }
    var message = "No connection of this name in \(name.parts[0]).\(name.parts[1]) (\(via))."
    if let suggestion = resolved.suggestion { message += " Did you mean '\(suggestion)'?" }
    return message
  }

  /// `12 connection statements checked; 48 other Flink statements not checked (21 CREATE TABLE, ...)`.
  static func summary(_ report: LintReport) -> String {
    let kinds = report.otherKinds.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
      .map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    let checked = report.checkedCount
    let others = report.otherKinds.values.reduce(0, +)
    return "\(checked) connection statement\(checked == 1 ? "" : "s") checked; \(others) other Flink statement\(others == 1 ? "" : "s") not checked (\(kinds)); --verbose lists them."
  }
}

struct MaskCommand: Command {
  static let spec = CommandSpec(name: "mask", abstract: "Read SQL on standard input and write it with every secret masked.")

  init(_ arguments: ParsedArguments) {}

  func run() throws {
    // Bytes in, bytes out: no String of the whole input is built on either side.
    var pending: [UInt8] = []
    pending.reserveCapacity(1 << 16)
    StandardInput.withBytes { input in
      Masker.maskForTerminal(utf8: input) { chunk in
        if pending.count + chunk.count > 1 << 16 { Output.writeRaw(&pending) }
        if chunk.count > 1 << 16 { Output.writeRaw(chunk) } else { pending.append(contentsOf: chunk) }
      }
    }
    Output.writeRaw(&pending)
  }
}

struct HistoryCommand: Command {
  static let spec = CommandSpec(
    name: "history", abstract: "Show the masked statement history of the catalog.",
    options: CatalogOptions.options + [
      .value("limit", "limit", "How many entries, newest last."),
      .value("format", "format", "Output format: table, json or csv."),
      .flag("purge", "Delete history entries (all, or those before --before) and scrub them from the file."),
      .value("before", "before", "With --purge: only entries before this date (YYYY-MM-DD, or an ISO 8601 time)."),
      .flag("yes", "With --purge: do not ask for confirmation on a terminal."),
    ])

  var catalogOptions: CatalogOptions
  var limit: Int
  var format: String
  var purge: Bool
  var before: String?
  var yes: Bool

  init(_ arguments: ParsedArguments) throws(CLIError) {
    catalogOptions = CatalogOptions(arguments)
    limit = try arguments.integer("limit") ?? 50
    format = arguments.string("format") ?? "table"
    purge = arguments.flag("purge")
    before = arguments.string("before")
    yes = arguments.flag("yes")
  }

  func run() throws {
    guard let format = OutputFormat(rawValue: format) else { throw CLIError(.usage, "--format must be table, json or csv.") }
    if before != nil && !purge { throw CLIError(.usage, "--before goes with --purge.") }
    let engine = try catalogOptions.openEngine()
    if purge { return try purgeHistory(engine) }
    let entries: [HistoryEntry]
    do { entries = try engine.history(limit: limit) } catch { throw CLIError(error) }
    let formatter = ISO8601DateFormatter()
    let rows = entries.map {
      [formatter.string(from: Date(timeIntervalSince1970: $0.at)), $0.user, $0.outcome, $0.statement.replacingOccurrences(of: "\n", with: " "), $0.message ?? ""]
    }
    Output.write(ResultRenderer.render(ResultSet(columns: ["time", "user", "outcome", "statement", "message"], rows: rows), format: format))
  }

  private func purgeHistory(_ engine: Engine) throws {
    var cutoff: Double?
    if let before {
      let formatter = ISO8601DateFormatter()
      let day = ISO8601DateFormatter()
      day.formatOptions = [.withFullDate]
      guard let date = formatter.date(from: before) ?? day.date(from: before) else {
        throw CLIError(.usage, "--before takes a date such as 2026-11-01 or 2026-11-01T12:00:00Z.")
      }
      cutoff = date.timeIntervalSince1970
    }
    do {
      let count = try engine.historyCount(before: cutoff)
      if isatty(STDIN_FILENO) == 1 && !yes {
        Output.error("Delete \(count) history entr\(count == 1 ? "y" : "ies")\(before.map { " before \($0)" } ?? "")? This cannot be undone. [y/N] ")
        guard let answer = readLine(), answer.lowercased().hasPrefix("y") else {
          Output.error("Nothing was deleted.\n")
          return
        }
      }
      let removed = try engine.purgeHistory(before: cutoff)
      Output.write("\(removed) history entr\(removed == 1 ? "y" : "ies") removed.\n")
    } catch {
      throw CLIError(error)
    }
  }
}

struct VerifyCommand: Command {
  static let spec = CommandSpec(
    name: "verify", abstract: "Check the catalog: SQLite integrity, every secret opens, no orphan secrets.",
    options: CatalogOptions.options)

  var catalogOptions: CatalogOptions

  init(_ arguments: ParsedArguments) { catalogOptions = CatalogOptions(arguments) }

  func run() throws {
    let engine = try catalogOptions.openEngine()
    let health: CatalogHealth
    do { health = try engine.verify() } catch { throw CLIError(error) }
    Output.write("integrity: \(health.integrity)\nconnections: \(health.connections)\nsecrets opened: \(health.secretsOpened)\nkept secrets opened: \(health.keptSecretsOpened)\norphan secrets: \(health.orphanSecrets)\n")
    if !health.isHealthy { throw CLIError(.environment, "The catalog is damaged (see above).") }
  }
}

struct RekeyCommand: Command {
  static let spec = CommandSpec(
    name: "rekey",
    abstract: "Re-seal every secret under a new master key, in one transaction.",
    discussion: """
      The new key replaces the key file (the old one is kept beside it as master.key.old until you \
      remove it). With SWITCHBOARD_MASTER_KEY, give --new-key-file: the new key is written there \
      (mode 0600) and you set SWITCHBOARD_MASTER_KEY to its contents. Everyone who shares the \
      catalog needs the new key; the old one opens nothing any more.
      """,
    options: CatalogOptions.options + [
      .value("new-key-file", "new-key-file", "Write the new key to this new file instead of replacing the key file.")
    ])

  var catalogOptions: CatalogOptions
  var newKeyFile: String?

  init(_ arguments: ParsedArguments) {
    catalogOptions = CatalogOptions(arguments)
    newKeyFile = arguments.string("new-key-file")
  }

  func run() throws {
    let engine = try catalogOptions.openEngine()
    let source = MasterKeySource(environment: Environment.all)
    let newKey = MasterKeySource.newKey()
    let written: String
    if let newKeyFile {
      written = newKeyFile
    } else if !source.isFromEnvironment, let path = source.keyFilePath {
      written = path + ".new"
    } else {
      throw CLIError(.usage, "The master key comes from SWITCHBOARD_MASTER_KEY: give --new-key-file FILE for the new one.")
    }
    // The new key is on disk before any secret depends on it.
    do { try MasterKeySource.write(newKey, toNewFile: written) } catch { throw CLIError(.environment, error.description) }
    let count: Int
    do {
      count = try engine.rekey(newMasterKey: newKey)
    } catch {
      unlink(written)
      throw CLIError(error)
    }
    if newKeyFile == nil, let path = source.keyFilePath {
      unlink(path + ".old")
      guard link(path, path + ".old") == 0, rename(written, path) == 0 else {
        throw CLIError(.environment, "\(count) secrets were re-sealed, but the key file could not be replaced: the new key is in \(written); move it to \(path).")
      }
      Output.write("\(count) secret\(count == 1 ? "" : "s") re-sealed under a new master key, now in \(path) (the old key is in \(path).old; remove it once nobody needs it).\n")
    } else {
      Output.write("\(count) secret\(count == 1 ? "" : "s") re-sealed under a new master key, written to \(written). Set SWITCHBOARD_MASTER_KEY to its contents.\n")
    }
  }
}

/// Refuses command-line statements that may carry a secret, by the masker's own rule: whatever
/// the display would hide (a secret option's value, a credential inside a public value, anything
/// in a statement that does not parse, a comment) must not sit in shell history either.
enum SecretDetector {
  static func reasonToRefuse(_ sql: String) -> String? { Masker.reasonToRefuse(sql) }
}

/// What is left to the command's end, in order: catalogs to close, throw-away folders (the demo
/// catalog) to remove.
nonisolated(unsafe) var atexit_cleanups: [() -> Void] = []

/// Every byte the command line prints goes through here, and so through the one sanitiser:
/// data can add lines and tabs, never a control sequence, a raw CR or a bidi control.
enum Output {
  static func write(_ text: String) { write(sanitizedForTerminal(text, keepingLineBreaks: true), to: STDOUT_FILENO) }
  static func error(_ text: String) { write(sanitizedForTerminal(text, keepingLineBreaks: true), to: STDERR_FILENO) }

  private static func write(_ text: String, to descriptor: Int32) {
    var text = text
    text.withUTF8 { writeRaw($0, to: descriptor) }
  }

  /// Bytes that have already passed the sanitiser, written as they are.
  static func writeRaw(_ bytes: UnsafeBufferPointer<UInt8>, to descriptor: Int32 = STDOUT_FILENO) {
    var offset = 0
    while offset < bytes.count {
      let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
      if written <= 0 { if errno == EINTR { continue } else { return } }
      offset += written
    }
  }

  static func writeRaw(_ bytes: inout [UInt8]) {
    bytes.withUnsafeBufferPointer { writeRaw($0) }
    bytes.removeAll(keepingCapacity: true)
  }
}
