import ConnectionEngine
import ConnectionTUI
import Foundation
import TerminalKit

/// The terminal UI on a catalog of 100,000 connections, through the headless backend (the same
/// reducer, view and runtime as the real terminal; only the final ncurses copy is left out).
enum TUIBench {
  static func run() {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-tui-bench-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let environment = ["SWITCHBOARD_MASTER_KEY": Data(repeating: 7, count: 32).base64EncodedString(), "USER": "bench"]
    // TUI_BENCH_CATALOG: an existing catalog (a postgresql:// URL from Scripts/bench-postgres.sh)
    // instead of seeding a file; TUI_BENCH_FILTER: what to type into the filter.
    let given = ProcessInfo.processInfo.environment["TUI_BENCH_CATALOG"]
    let filterText = ProcessInfo.processInfo.environment["TUI_BENCH_FILTER"] ?? "conn_9999"
    let path = given ?? folder.appendingPathComponent("catalog.sqlite").path
    var count = 100_000
    if given != nil {
      count = (try! Engine(catalogPath: path, environment: environment).listing()).count
    } else { do {
      let seed = try Engine(catalogPath: path, environment: environment)
      var script = ""
      for i in 0..<count {
        script += i % 2 == 0
          ? "CREATE CONNECTION conn_\(i) WITH ('type'='openai','endpoint'='https://api.example.com/v1/m\(i)','api-key'='bench-\(i)');\n"
          : "CREATE CONNECTION conn_\(i) WITH ('region'='eu-west-\(i % 3)','owner'='team\(i % 50)');\n"
      }
      let started = Date()
      let outcomes = seed.run(script: script)
      precondition(outcomes.allSatisfy { if case .success = $0.result { true } else { false } })
      print(String(format: "seeded %d connections in %.1f s", count, Date().timeIntervalSince(started)))
    } catch {
      fatalError("\(error)")
    } }

    // Where the first screen's time goes (a warm-up run; not the figure).
    for _ in 0..<(ProcessInfo.processInfo.environment["TUI_BENCH_WARMUPS"].flatMap { Int($0) } ?? 1) {
      let engine = try! Engine(catalogPath: path, environment: environment)
      let a = DispatchTime.now().uptimeNanoseconds
      let list = try! engine.listing()
      let b = DispatchTime.now().uptimeNanoseconds
      print(String(format: "  (listing %0.1f ms for %d rows)", Double(b - a) / 1e6, list.count))
    }

    // First full screen: open the catalog, load every connection, render, present.
    let t0 = DispatchTime.now().uptimeNanoseconds
    let engine = try! Engine(catalogPath: path, environment: environment)
    let backend = HeadlessBackend(size: Size(width: 120, height: 35))
    let runtime = Runtime(engine: engine, backend: backend, onFirstFrame: {
      let firstScreen = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
      print(String(format: "first full screen (open + first rows + render) %6.1f ms   (target <= 200)", firstScreen))
    })
    runtime.start()
    runtime.finishLoading()
    let wholeList = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
    precondition(backend.screenText.contains("\(count) connections"))
    print(String(format: "whole list loaded and indexed                   %6.1f ms", wholeList))

    func timed(_ event: InputEvent) -> Double {
      let start = DispatchTime.now().uptimeNanoseconds
      runtime.handle(event)
      return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }
    _ = timed(.key(.character("/")))
    var filterTimes: [Double] = []
    for character in filterText { filterTimes.append(timed(.key(.character(character)))) }
    for _ in 0..<4 { filterTimes.append(timed(.key(.backspace))) }
    filterTimes.sort()
    print(String(format: "filter keystroke (100k rows)  median %6.2f ms, max %6.2f ms   (target <= 16)", filterTimes[filterTimes.count / 2], filterTimes.last!))
    _ = timed(.key(.escape))
    _ = timed(.key(.escape))

    var pageTimes: [Double] = []
    for _ in 0..<200 { pageTimes.append(timed(.key(.pageDown))) }
    pageTimes.sort()
    print(String(format: "scroll a page                 median %6.2f ms, max %6.2f ms   (target <= 5)", pageTimes[pageTimes.count / 2], pageTimes.last!))
    print("frames presented: \(backend.framesPresented)")
    // A diagnosis, not the figure: this process also seeded the catalog and read it twice. The
    // target is the real process's, measured in tmux by bench.sh.
    print("resident memory of this process (it also seeded the catalog): \(residentKilobytes() / 1024) MB")
  }

  static func residentKilobytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return -1 }
    return Int(line.split(separator: " ")[1]) ?? -1
  }
}
