import ConnectionEngine
import ConnectionTUI
import FuzzChecks
import TerminalKit
import Testing

/// Every attack of the structural corpus typed into the `:` prompt, character by character: the
/// rendered screen never shows its canary, whatever has been typed so far (a half-typed secret
/// is an unterminated literal; a finished one must still be hidden).
@Suite struct AttackCorpusScreenTests {
  @Test func thePromptNeverShowsASecretWhileTyping() {
    let scanner = LeakScanner(canaries: [AttackCorpus.core])
    var leaks: [String] = []
    var frames = 0
    for (n, attack) in AttackCorpus.all().enumerated() {
      var state = Sample.state(n % 2 == 0 ? Size(width: 80, height: 24) : Size(width: 200, height: 30))
      state.press(.character(":"))
      // Line breaks would submit: the prompt is one line, so they become spaces.
      let characters = Array(attack.sql.map { $0 == "\n" || $0 == "\r\n" || $0 == "\r" ? " " : $0 })
      for (i, character) in characters.enumerated() {
        state.type(String(character))
        // Every prefix on one attack in 20; every 9th and the end on the rest.
        guard n % 20 == 0 || i % 9 == 8 || i == characters.count - 1 else { continue }
        frames += 1
        let text = render(state).text
        if let leak = scanner.leak(in: text) {
          leaks.append("\(attack) after \(i + 1) characters leaked \(leak)")
          break
        }
      }
    }
    print("attack corpus (terminal UI prompt): \(frames) frames, \(leaks.count) leaked")
    #expect(frames > 5_000)
    #expect(leaks.isEmpty, "\(leaks.prefix(5).joined(separator: "\n"))")
  }
}
