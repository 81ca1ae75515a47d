import ConnectionEngine
import ConnectionTUI
import TerminalKit
import Testing

/// The three-way merge after a conflict, as pure state: base, theirs, mine, a choice per key.
@Suite struct MergeTests {
  static let base = Sample.connection(
    "orders", type: "rest", endpoint: "https://a.example", secrets: ["password", "username"], options: ["region": "eu"], version: 4)

  /// The form after the user changed endpoint and password (and left region alone).
  static func myForm() -> FormState {
    var form = FormState.edit(base)
    let endpoint = form.fields.firstIndex { $0.keyText == "endpoint" }!
    form.fields[endpoint].value.set("https://mine.example")
    let password = form.fields.firstIndex { $0.keyText == "password" }!
    form.fields[password].value.set("mergeCanary99")
    form.fields[password].touched = true
    return form
  }

  /// Theirs: endpoint and region changed, username replaced, password untouched.
  static func theirs(secretsChanged: Set<String>? = ["username"]) -> TheirChange {
    TheirChange(
      current: Sample.connection(
        "orders", type: "rest", endpoint: "https://theirs.example", secrets: ["password", "username"], options: ["region": "us"], version: 6),
      by: "bob", at: Sample.time, secretsChanged: secretsChanged)
  }

  @Test func rowsShowWhoChangedWhatAndMineWinsWhereIEdited() {
    let merge = MergeState(mine: Self.myForm(), theirs: Self.theirs())
    #expect(merge.rows.map(\.key) == ["endpoint", "username", "password", "region"])  // the form's order
    let byKey = Dictionary(uniqueKeysWithValues: merge.rows.map { ($0.key, $0) })
    #expect(byKey["endpoint"]!.isConflict && byKey["endpoint"]!.keepMine)
    #expect(byKey["password"]!.changedByMe && !byKey["password"]!.changedByThem && byKey["password"]!.keepMine)
    #expect(byKey["username"]!.changedByThem && !byKey["username"]!.keepMine && !byKey["username"]!.canKeepMine)
    #expect(byKey["region"]!.theirs == .text("us") && !byKey["region"]!.keepMine)
    // Without the base version kept, every secret present on both sides may have changed.
    #expect(MergeState(mine: Self.myForm(), theirs: Self.theirs(secretsChanged: nil)).rows.contains { $0.key == "password" && $0.changedByThem })
  }

  @Test func theMergedFormSitsOnTheirVersionWithTheChosenValues() {
    var merge = MergeState(mine: Self.myForm(), theirs: Self.theirs())
    var form = merge.merged
    #expect(form.purpose == .edit(name: Self.base.qualifiedName, version: 6))
    #expect(form.plan == ["endpoint: 'https://theirs.example' → 'https://mine.example'", "password: replaced"])
    // Keep theirs for the endpoint, and the base region over theirs.
    merge.selected = 0
    merge.toggleSelected()
    merge.selected = merge.rows.firstIndex { $0.key == "region" }!
    merge.toggleSelected()
    // A secret only they changed cannot go back to a value nobody here knows.
    merge.selected = merge.rows.firstIndex { $0.key == "username" }!
    merge.toggleSelected()
    #expect(merge.rows[merge.selected].keepMine == false)
    form = merge.merged
    #expect(form.plan == ["password: replaced", "region: 'us' → 'eu'"])
    #expect(!form.maskedPreview.joined().contains("mergeCanary99"))
    #expect(form.statements.joined().contains("mergeCanary99"))
  }

  @Test func theConflictDialogOpensTheMergeAndEscGoesBackToMyForm() {
    var state = Sample.state(Size(width: 120, height: 30))
    state.screen = .form(Self.myForm())
    _ = reduce(&state, .submitFinished(.failure(EngineError(.conflict, "changed by bob"))))
    #expect(state.dialog == .conflict(message: "changed by bob"))
    let effects = reduce(&state, .input(.key(.enter)))
    #expect(effects == [.loadMerge(Self.base.qualifiedName, since: 4)])
    _ = reduce(&state, .mergeLoaded(.success(Self.theirs())))
    guard case .merge = state.screen else { Issue.record("no merge screen"); return }
    let screen = render(state).text
    #expect(screen.contains("Changed by bob"))
    #expect(screen.contains("changed by you"))
    #expect(screen.contains("both changed"))
    #expect(!screen.contains("mergeCanary99"))
    _ = reduce(&state, .input(.key(.escape)))
    guard case .form(let form) = state.screen else { Issue.record("not back to the form"); return }
    #expect(form == Self.myForm())
  }
}
