import ConnectionEngine
import ConnectionTUI
import Foundation
import TerminalKit
import Testing

/// Renders screens through the pure view (the headless path) and compares them with text
/// snapshots in `Snapshots/`. Set SWITCHBOARD_RECORD_SNAPSHOTS=1 to rewrite them after a
/// deliberate change, then read the diff.
@Suite struct ScreenSnapshotTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

  func assertSnapshot(_ state: AppState, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let text = render(state).text + "\n"
    let url = Self.directory.appendingPathComponent("\(name).txt")
    if ProcessInfo.processInfo.environment["SWITCHBOARD_RECORD_SNAPSHOTS"] == "1" {
      try text.write(to: url, atomically: true, encoding: .utf8)
      return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(text == expected, "screen \(name) differs from its snapshot", sourceLocation: sourceLocation)
  }

  static let sizes = [Size(width: 80, height: 24), Size(width: 50, height: 14), Size(width: 160, height: 40)]

  @Test(arguments: sizes) func list(_ size: Size) throws {
    try assertSnapshot(Sample.state(size), "list-\(size.width)x\(size.height)")
  }

  @Test(arguments: sizes) func filteredList(_ size: Size) throws {
    var state = Sample.state(size)
    state.press(.character("/"))
    state.type("api")
    try assertSnapshot(state, "filter-\(size.width)x\(size.height)")
  }

  @Test(arguments: sizes) func editFormWithPreview(_ size: Size) throws {
    var state = Sample.state(size)
    state.press(.down, .down, .down, .enter)  // mongo_orders
    state.press(.tab)
    state.type("new-user-canary")
    state.press(.tab, .backspace)
    try assertSnapshot(state, "form-\(size.width)x\(size.height)")
  }

  @Test func confirmDialog() throws {
    var state = Sample.state()
    state.press(.down, .down, .enter, .tab)
    state.type("sk-dialog-canary")
    state.press(.control("s"))
    try assertSnapshot(state, "confirm-80x24")
  }

  @Test func helpTooSmallAndEmpty() throws {
    var help = Sample.state()
    help.press(.character("?"))
    try assertSnapshot(help, "help-80x24")
    try assertSnapshot(Sample.state(Size(width: 20, height: 6)), "too-small-20x6")
    var empty = AppState(size: Size(width: 80, height: 24))
    _ = reduce(&empty, .connectionsLoaded(.success(ConnectionListing(catalog: "default_catalog", database: "default_database")), catalog: "default_catalog", database: "default_database"))
    try assertSnapshot(empty, "empty-80x24")
  }

  /// Control characters, escape sequences and bidi overrides in data show escaped.
  @Test func hostileDataIsEscaped() {
    var state = Sample.state(Size(width: 160, height: 40))
    state.press(.character("G"))
    let frame = render(state)
    for cell in frame.cells {
      #expect(!cell.text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x202A...0x202E).contains($0.value) })
    }
    #expect(frame.text.contains("evil\\e[2Jname"))
    #expect(frame.text.contains("\\u{202E}txt"))
  }

  /// On a long list the position stands at the header's right end, a space after the titles,
  /// which are cut rather than drawn under it.
  @Test(arguments: [Size(width: 80, height: 24), Size(width: 120, height: 35), Size(width: 50, height: 14)])
  func positionDoesNotOverwriteTheHeader(_ size: Size) {
    var state = AppState(size: size)
    state.now = Sample.time
    let many = (0..<12_345).map { Sample.connection("c\($0)", type: "openai", endpoint: "https://e", secrets: ["api-key"]) }
    _ = reduce(&state, .connectionsLoaded(.success(ConnectionListing(many, catalog: "default_catalog", database: "ai")), catalog: "default_catalog", database: "ai"))
    // The list's part of the line (a detail pane may stand beside it).
    let line = render(state).text.split(separator: "\n", omittingEmptySubsequences: false)[1]
    let header = String(line.prefix { $0 != "│" }).replacing(/\ +$/, with: "")
    #expect(header.hasSuffix(" 1/12345"), "\(header)")
    // Every word before the position is a whole title, or one cut with an ellipsis.
    let titles = header.dropLast(" 1/12345".count).split(separator: " ").map(String.init)
    let words = ["NAME", "▲", "TYPE", "ENDPOINT", "SECRETS", "SET", "SECRET", "AGE", "UPDATED", "(UTC)"]
    #expect(titles.first == "NAME", "\(header)")
    for title in titles { #expect(words.contains(title) || title.hasSuffix("…"), "'\(title)' in \(header)") }
  }

  /// Wide characters take two columns and the rest of the row stays aligned.
  @Test func wideNamesAlign() {
    let frame = render(Sample.state(Size(width: 80, height: 24)))
    let lines = frame.text.split(separator: "\n").map(String.init)
    let ascii = lines.first { $0.contains("openai_prod") }!
    let cjk = lines.first { $0.contains("连接_东京") }!
    #expect(displayWidth(ascii.prefix(upTo: ascii.range(of: "openai ")!.lowerBound)) == displayWidth(cjk.prefix(upTo: cjk.range(of: "openai ")!.lowerBound)))
  }
}
