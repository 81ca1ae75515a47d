import ConnectionEngine
import TerminalKit

/// A three-way merge after a conflict: for each key someone changed, the value the form loaded
/// (base), theirs now, and mine; the user keeps theirs or mine per key, and the result becomes a
/// form on their version, reviewed and submitted like any. Secrets appear only as who changed them.
public struct MergeState: Equatable {
  public struct Row: Equatable {
    public var key: String
    public var base: OptionValue?
    public var theirs: OptionValue?
    public var mine: OptionValue?
    public var isSecret: Bool
    /// They changed the key since the base (for a secret: its value, when the catalog still
    /// knows; assumed when it does not).
    public var changedByThem: Bool
    public var changedByMe: Bool
    public var keepMine: Bool
    /// Mine can be kept: a secret only they changed has no clear base value to go back to.
    public var canKeepMine: Bool { changedByMe || !isSecret }
    public var isConflict: Bool { changedByThem && changedByMe && theirs != mine }
  }

  /// The form as the user left it (its originals are the base).
  public var mine: FormState
  public var theirs: TheirChange
  public var loadedVersion: Int64
  public var rows: [Row]
  public var selected = 0

  public init(mine: FormState, theirs: TheirChange) {
    self.mine = mine
    self.theirs = theirs
    if case .edit(_, let version) = mine.purpose { loadedVersion = version } else { loadedVersion = 0 }
    let now = AlterBuilder.before(theirs.current)
    var rows: [Row] = []
    var seen = Set<String>()
    for field in mine.fields where !field.keyText.isEmpty {
      seen.insert(field.keyText)
      rows.append(Self.row(field.keyText, base: field.original, theirs: now[field.keyText], mine: field.desired, isSecret: field.isSecret, theirs))
    }
    for key in now.keys.sorted() where !seen.contains(key) {
      rows.append(Self.row(key, base: nil, theirs: now[key], mine: nil, isSecret: now[key] == .secretUnchanged, theirs))
    }
    self.rows = rows.filter { $0.changedByThem || $0.changedByMe }
  }

  private static func row(
    _ key: String, base: OptionValue?, theirs: OptionValue?, mine: OptionValue?, isSecret: Bool, _ change: TheirChange
  ) -> Row {
    var byThem = base != theirs
    if isSecret, base == .secretUnchanged, theirs == .secretUnchanged {
      byThem = change.secretsChanged?.contains(key) ?? true
    }
    let byMe = mine != base
    return Row(key: key, base: base, theirs: theirs, mine: mine, isSecret: isSecret, changedByThem: byThem, changedByMe: byMe, keepMine: byMe)
  }

  /// The form on their version with, for each key, the value chosen.
  public var merged: FormState {
    var form = FormState.edit(theirs.current)
    for row in rows where row.keepMine && row.changedByMe {
      guard let original = mine.fields.first(where: { $0.keyText == row.key }) else { continue }
      if let i = form.fields.firstIndex(where: { $0.keyText == row.key }) {
        form.fields[i].value = original.value
        form.fields[i].touched = original.touched || original.isSecret
      } else {
        var added = original
        added.original = nil
        added.isAdded = true
        form.fields.append(added)
      }
    }
    // A public key only they changed, where the user keeps the base: set it back.
    for row in rows where row.keepMine && !row.changedByMe && !row.isSecret {
      guard let i = form.fields.firstIndex(where: { $0.keyText == row.key }) else { continue }
      if case .text(let text)? = row.base { form.fields[i].value.set(text) } else { form.fields[i].value.set("") }
    }
    return form
  }

  public mutating func toggleSelected() {
    guard rows.indices.contains(selected), rows[selected].canKeepMine else { return }
    rows[selected].keepMine.toggle()
  }
}
