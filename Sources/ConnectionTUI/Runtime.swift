import Foundation
import ConnectionEngine
import TerminalKit

/// The one place that touches the terminal and the engine: reads events, runs the reducer,
/// performs effects, and presents a frame when it differs from the last one.
public final class Runtime {
  public private(set) var state: AppState
  private let engine: Engine
  private let backend: any TerminalBackend
  private var lastFrame: Buffer?

  private var onFirstFrame: (() -> Void)?
  /// Big lists load on a reader of their own on another thread; the newest load wins.
  private lazy var listingReader = engine.listingReader()
  private let loader = DispatchQueue(label: "switchboard.listing")
  private let loaded = LoadedListings()
  private var loadsStarted = 0
  /// Lists with more rows than this reload in the background (smaller ones take milliseconds).
  private let backgroundAbove: Int

  /// `onFirstFrame` runs once, right after the first frame is presented (for measurements).
  /// `scriptsFolder`: Flink scripts whose uses of each connection the detail pane shows.
  public init(
    engine: Engine, backend: any TerminalBackend, scriptsFolder: String? = nil, rotateAfterDays: Int? = nil,
    backgroundLoadAbove: Int = 5_000, onFirstFrame: (() -> Void)? = nil
  ) {
    self.engine = engine
    backgroundAbove = backgroundLoadAbove
    self.backend = backend
    self.onFirstFrame = onFirstFrame
    engine.tracksChanges = true  // for `u`
    state = AppState(size: backend.size)
    state.scriptsFolder = scriptsFolder
    state.rotateAfterDays = rotateAfterDays
    state.now = Date().timeIntervalSince1970
    state.catalog = engine.currentCatalog
    state.database = engine.currentDatabase
    if engine.isReadOnly {
      state.readOnlyReason = "read-only: this account may not change \(engine.catalogLocation)"
    } else if engine.writePolicy.readOnly {
      state.readOnlyReason = "read-only mode (--read-only or the config)"
    }
    state.protectedPatterns = engine.writePolicy.protected
  }

  /// Loads the list and draws the first frame.
  public func start() {
    // From here on, changes by others are noticed (the data version or LISTEN starts now).
    _ = engine.catalogChangedElsewhere()
    // A screenful first, drawn at once; the whole list follows (on another thread when big).
    perform([.loadFirstScreen(catalog: state.catalog, database: state.database, limit: firstScreenRows(state.size))])
    draw()
    if let folder = state.scriptsFolder {
      perform([.scanScripts(folder)])
      draw()
    }
  }

  /// Runs until the user quits or a signal arrives; always gives the terminal back.
  public func run() {
    defer { backend.shutdown() }
    start()
    let clock = ContinuousClock()
    var lastCheck = clock.now
    while !state.shouldQuit {
      let event = backend.nextEvent(timeoutMilliseconds: isLoadingInBackground ? 20 : 250)
      if let event { handle(event) }
      takeLoadedListing()
      // Others' changes show within half a second, between keys, never in the middle of one.
      if clock.now - lastCheck >= .milliseconds(500) {
        lastCheck = clock.now
        state.now = Date().timeIntervalSince1970
        switch engine.catalogChangedElsewhere() {
        case .unchanged: break
        case .changed: pollChanges()
        case .unreachable(let message):
          perform(reduce(&state, .catalogUnreachable(message)))
          draw()
        }
      }
    }
  }

  /// Reloads what someone else changed (tests call this after changing the catalog).
  public func pollChanges() {
    perform(reduce(&state, .catalogChanged))
    draw()
  }


  /// One event through reducer, effects and view (tests call this directly).
  public func handle(_ event: InputEvent) {
    if case .resumed = event { lastFrame = nil }
    if case .resize = event { lastFrame = nil }
    perform(reduce(&state, .input(event)))
    draw()
  }

  /// Whether a list is being read on the other thread.
  public var isLoadingInBackground: Bool { loaded.latest < loadsStarted }

  /// Waits for the list being read on the other thread and shows it (tests, benchmarks).
  public func finishLoading() {
    while isLoadingInBackground { loaded.wait() }
    takeLoadedListing()
  }

  private func loadInBackground(catalog: String, database: String) {
    loadsStarted += 1
    let (number, reader, loaded) = (loadsStarted, listingReader, loaded)
    loader.async {
      loaded.deliver(number, Result { () throws(EngineError) in try reader.listing(catalog: catalog, database: database) }, catalog, database)
    }
  }

  /// Shows the newest list the other thread read, once (an older one is dropped).
  private func takeLoadedListing() {
    guard let (result, catalog, database) = loaded.take(newest: loadsStarted) else { return }
    perform(reduce(&state, .connectionsLoaded(result.map(engine.withTemporaries), catalog: catalog, database: database)))
    draw()
  }

  private func draw() {
    let frame = render(state)
    if frame != lastFrame {
      backend.present(frame)
      lastFrame = frame
    }
    if let first = onFirstFrame {
      onFirstFrame = nil
      first()
    }
  }

  private func perform(_ effects: [AppEffect]) {
    var queue = effects
    while !queue.isEmpty {
      let effect = queue.removeFirst()
      if let action = run(effect) { queue += reduce(&state, action) }
    }
  }

  private func run(_ effect: AppEffect) -> AppAction? {
    switch effect {
    case .quit:
      return nil
    case .loadConnections(let catalog, let database):
      if isLoadingInBackground || (state.rows.count > backgroundAbove && catalog == state.catalog && database == state.database) {
        loadInBackground(catalog: catalog, database: database)
        return nil
      }
      do {
        let list = try engine.listing(catalog: catalog, database: database)
        return .connectionsLoaded(.success(list), catalog: catalog, database: database)
      } catch {
        return .connectionsLoaded(.failure(error), catalog: state.catalog, database: state.database)
      }
    case .loadFirstScreen(let catalog, let database, let limit):
      do {
        let list = try engine.listing(catalog: catalog, database: database, limit: limit)
        let isComplete = list.count < limit
        if !isComplete { loadInBackground(catalog: catalog, database: database) }
        return .connectionsLoaded(.success(list), catalog: catalog, database: database, isComplete: isComplete)
      } catch {
        return .connectionsLoaded(.failure(error), catalog: state.catalog, database: state.database)
      }
    case .loadDetail(let name):
      return .detailLoaded(name, Result { () throws(EngineError) in try engine.connection(name) })
    case .loadNamespaces:
      var namespaces: [(catalog: String, database: String)] = []
      for catalog in (try? engine.catalogNames()) ?? [] {
        for database in (try? engine.databaseNames(in: catalog)) ?? [] { namespaces.append((catalog, database)) }
      }
      return .namespacesLoaded(namespaces)
    case .bulk(let items, let namespace):
      return confirming(namespace) {
        .bulkFinished(items.map { item -> (name: String, failure: String?) in
          let failure = engine.run(script: item.statement, expectedVersion: item.version, atomically: true).lazy.compactMap { outcome -> String? in
            if case .failure(let error) = outcome.result { return error.message }
            return nil
          }.first
          return (item.name, failure)
        })
      }
    case .submitProtected(let statements, let version, let namespace):
      return confirming(namespace) { run(.submit(statements: statements, expectedVersion: version)) }
    case .runCommandProtected(let sql, let namespace):
      return confirming(namespace) { .commandFinished(commandOutput(sql)) }
    case .submit(let statements, let version):
      let outcomes = engine.run(script: statements.joined(separator: ";\n"), expectedVersion: version, atomically: true)
      if let failure = outcomes.lazy.compactMap({ outcome -> EngineError? in
        if case .failure(let error) = outcome.result { return error }
        return nil
      }).first {
        return .submitFinished(.failure(failure))
      }
      return .submitFinished(.success(outcomes.map(\.maskedText).joined(separator: "; ")))
    case .runCommand(let sql):
      return .commandFinished(commandOutput(sql))
    case .loadHistory:
      do { return .historyLoaded(.success(try engine.history(limit: 500))) } catch { return .historyLoaded(.failure(error)) }
    case .checkFormConnection(let name):
      do { return .formConnectionChecked(.success(try engine.connection(name))) } catch { return .formConnectionChecked(.failure(error)) }
    case .scanScripts(let folder):
      do { return .scriptsScanned(.success(try engine.scanScripts(in: folder))) } catch { return .scriptsScanned(.failure(error)) }
    case .loadVersions(let name):
      do {
        return .versionsLoaded(name, .success(try engine.versions(of: name)), plans: try engine.restorePlans(of: name))
      } catch {
        return .versionsLoaded(name, .failure(error), plans: [:])
      }
    case .loadMerge(let name, let version):
      return .mergeLoaded(Result { () throws(EngineError) in try engine.theirChange(to: name, since: version) })
    case .prepareUndo:
      guard let change = engine.lastChange else {
        return .undoPrepared(.failure(EngineError(.validation, "Nothing to undo: no change made in this session yet.")))
      }
      var plan: [String] = []
      if case .changed(let from) = change.kind { plan = (try? engine.restorePlan(of: change.name, version: from)) ?? [] }
      return .undoPrepared(.success((change, plan)))
    case .restore(let request, let namespace):
      return confirming(namespace) {
        .restoreFinished(Result { () throws(EngineError) -> String in
          switch request {
          case .undo: try engine.undoLastChange()
          case .version(let name, let version, let expected): try engine.restore(name, version: version, expectedVersion: expected)
          }
        })
      }
    case .reloadConnection(let name):
      do { return .connectionReloaded(.success(try engine.connection(name))) } catch { return .connectionReloaded(.failure(error)) }
    }
  }

  /// Runs `body` with `namespace` confirmed for the engine (the user typed its name), then no longer.
  private func confirming(_ namespace: String?, _ body: () -> AppAction?) -> AppAction? {
    guard let namespace else { return body() }
    engine.writePolicy.confirmed.insert(namespace)
    defer { engine.writePolicy.confirmed.remove(namespace) }
    return body()
  }

  /// Output of `:`: each statement masked, then its table or its error.
  private func commandOutput(_ sql: String) -> [OutputLine] {
    var lines: [OutputLine] = []
    for outcome in engine.run(script: sql) {
      if !outcome.maskedText.isEmpty {
        for line in outcome.maskedText.split(separator: "\n") { lines.append(OutputLine(text: "> " + line, style: .accent)) }
      }
      switch outcome.result {
      case .success(let result) where result == .ok:
        lines.append(OutputLine(text: "OK", style: .success))
      case .success(let result) where result.columns == ["result"] && result.rows.count == 1:
        for line in result.rows[0][0].split(separator: "\n") { lines.append(OutputLine(text: String(line), style: .plain)) }
      case .success(let result):
        lines += TableText.lines(columns: result.columns, rows: result.rows).map { OutputLine(text: $0, style: .plain) }
      case .failure(let error):
        var message = error.message
        if let location = error.location { message = "(\(location.line):\(location.column)) " + message }
        for line in message.split(separator: "\n") { lines.append(OutputLine(text: String(line), style: .error)) }
      }
    }
    return lines
  }
}

/// Lists read on the loader thread, handed to the main loop: only the newest counts.
private final class LoadedListings: @unchecked Sendable {
  private let condition = NSCondition()
  private var delivered = 0
  private var result: (Result<ConnectionListing, EngineError>, String, String)?

  /// The number of the newest load whose list arrived.
  var latest: Int {
    condition.lock()
    defer { condition.unlock() }
    return delivered
  }

  func deliver(_ number: Int, _ result: Result<ConnectionListing, EngineError>, _ catalog: String, _ database: String) {
    condition.lock()
    if number > delivered {
      delivered = number
      self.result = (result, catalog, database)
    }
    condition.broadcast()
    condition.unlock()
  }

  /// The list read by the newest load started, if it has arrived (once).
  func take(newest: Int) -> (Result<ConnectionListing, EngineError>, String, String)? {
    condition.lock()
    defer { condition.unlock() }
    guard delivered == newest, let result else { return nil }
    self.result = nil
    return result
  }

  func wait() {
    condition.lock()
    _ = condition.wait(until: Date().addingTimeInterval(0.05))  // a timeout is fine: the caller polls
    condition.unlock()
  }
}
