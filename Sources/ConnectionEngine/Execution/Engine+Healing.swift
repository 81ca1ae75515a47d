import Foundation
import GRDB

/// Catalogs written by earlier versions may hold, in clear, options today's policy seals: a key
/// that was public then and is secret now, or a public value with a credential inside (an
/// endpoint with user info). On open they are sealed into the secret store — never dropped — and
/// the old bytes are scrubbed from the file and its WAL. Without the master key nothing is
/// rewritten; every display path hides such values meanwhile, and the next open with the key
/// finishes the job.
extension Engine {
  static let healedPolicyVersion = 2
  /// Some stored values still wait to be sealed: no master key was available.
  static let waitingForKey = -2

  func sealStoredOptionsThePolicyHides() {
    guard !store.isReadOnly, !store.isDamaged else { return }
    let state = (try? read { db in try Int.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'options_policy'") }) ?? nil
    guard state != Self.healedPolicyVersion else { return }
    // Waiting for a key: look at the rows again only once one can be loaded, so a large catalog
    // opened without its key does not pay for a scan on every command.
    if state == Self.waitingForKey, ((try? keySource.load(createIfMissing: false)) ?? nil) == nil { return }
    var sealed = 0
    do {
      try write { db in
        var pending = false
        let rows = try Row.fetchAll(db, sql: "SELECT id, type, options, version FROM connections")
        for row in rows {
          var options = decodeOptions(row["options"])
          let type = ConnectionType.named(row["type"])
          let hidden = options.filter { $0.key != "type" && (SecretPolicy.isSecret($0.key, type: type) || CredentialCheck.finding(in: $0.value) != nil) }
          guard !hidden.isEmpty else { continue }
          guard let cipher = try? cipher(db, creatingKey: true) else {
            pending = true
            continue
          }
          let id: Int64 = row["id"]
          for (key, value) in hidden.sorted(by: { $0.key < $1.key }) {
            try storeSecret(db, cipher, connectionID: id, key: key, value: value, version: row["version"])
            options[key] = nil
            sealed += 1
          }
          try db.execute(sql: "UPDATE connections SET options = ?, endpoint = ? WHERE id = ?", arguments: [encodeOptions(options), options["endpoint"], id])
        }
        try db.execute(
          sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('options_policy', ?)",
          arguments: [pending ? Self.waitingForKey : Self.healedPolicyVersion])
        if sealed > 0 {
          try appendHistory(db, "-- catalog upgrade", outcome: "ok", message: "\(sealed) stored option value\(sealed == 1 ? "" : "s") that the secret policy hides (secret keys, credentials inside public values) sealed into the secret store")
        }
      }
      if sealed > 0 { try store.scrub() }
    } catch {
      // Healing is best effort: the catalog stays as it was, and display paths hide these values.
      cachedCipher = nil
    }
  }
}
