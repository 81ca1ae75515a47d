import ConnectionEngine
import Foundation

// In-process throughput of the parser and the masker (release build):
//   swift run -c release switchboard-bench
// Whole-process figures (ALTER vs sqlite3, memory) come from Scripts/bench.sh.

let only = CommandLine.arguments.dropFirst().first  // parse | mask | check | tui | filter, or all but tui and filter

if only == "tui" {
  TUIBench.run()
  exit(0)
}

// The list filter on the million rows of Scripts/bench.sh, key by key as the UI asks (each
// longer needle among the rows of the one before): where a keystroke's time goes.
if only == "filter" {
  var listing = ConnectionListing(catalog: "default_catalog", database: "default_database")
  for i in 0..<1_000_000 {
    listing.append(
      name: "m\(i)", type: "default", endpoint: "https://svc\(i).example.com/v1", secretKeys: [], isTemporary: false, version: Int64(i),
      updatedAt: 0, secretsChangedAt: nil)
  }
  var shown: [Int]? = nil
  for needle in ["9", "99", "999", "9999", "99998"] {
    var times: [Double] = []
    var found: [Int] = []
    for _ in 0..<7 {
      let start = DispatchTime.now().uptimeNanoseconds
      found = listing.rows(containing: Array(needle.utf8), among: shown)
      times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    print(String(format: "filter %-6@ among %7d rows: %7d found, first %6.2f ms, best of 7 %6.2f ms", needle, shown?.count ?? 1_000_000, found.count, times[0], times.min()!))
    shown = found
  }
  exit(0)
}

func measure(_ label: String, unit: String, amount: Double, repeats: Int = 5, _ body: () -> Void) {
  if let only, !label.hasPrefix(only) { return }
  var best = Double.infinity
  for _ in 0..<repeats {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
  }
  let padded = label.padding(toLength: 34, withPad: " ", startingAt: 0)
  print("\(padded) \(String(format: "%12.0f", amount / best)) \(unit)/s   (best of \(repeats), \(String(format: "%.3f", best)) s)")
}

// 1. Parse simple ALTER statements, one call each.
let alters = (0..<200_000).map { i in
  i % 2 == 0
    ? "ALTER CONNECTION conn_\(i) SET ('api-key' = 'sk-\(i)-abcdefghijklmnop')"
    : "ALTER CONNECTION cat.db.conn_\(i) RESET ('token')"
}
var parsed = 0
measure("parse simple ALTER statements", unit: "stmt", amount: Double(alters.count)) {
  parsed = 0
  for sql in alters where (try? Parser.parse(sql)) != nil { parsed += 1 }
}
precondition(only != nil || parsed == alters.count)

// 2. Mask a realistic script: CREATE/ALTER with secrets, comments, names.
var script = ""
for i in 0..<60_000 {
  script += """
    -- rotate key \(i)
    CREATE CONNECTION `db`.`openai_\(i)` COMMENT 'team \(i)' WITH (
      'type' = 'openai', 'endpoint' = 'https://api.openai.com/v1/x\(i)', 'api-key' = 'sk-live-\(i)-0123456789abcdef'
    );
    ALTER CONNECTION openai_\(i) SET ('api-key' = 'sk-\(i)-rotated', 'region' = 'eu-west-1');

    """
}
let megabytes = Double(script.utf8.count) / 1_000_000
var maskedBytes = 0
measure(String(format: "mask %.0f MB of SQL", megabytes), unit: "MB", amount: megabytes) {
  maskedBytes = Masker.mask(script).utf8.count
}
precondition(only != nil || maskedBytes > 0)

// 3. Lint the same script (parse with recovery plus type checks).
measure(String(format: "check %.0f MB of SQL", megabytes), unit: "MB", amount: megabytes, repeats: 3) {
  _ = Linter.check(script)
}
