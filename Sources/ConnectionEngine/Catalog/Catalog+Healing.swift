/// Catalogs written by earlier versions may hold, in clear, options today's policy seals: a key
/// that was public then and is secret now, or a public value with a credential inside (an
/// endpoint with user info). On open they are sealed into the secret store — never dropped — and
/// the old bytes are scrubbed from the database. Without the master key nothing is rewritten;
/// every display path hides such values meanwhile, and the next open with the key finishes the
/// job.
extension Catalog {
  static let healedPolicyVersion: Int64 = 2
  /// Some stored values still wait to be sealed: no master key was available.
  static let waitingForKey: Int64 = -2

  /// Returns how many values were sealed; `note` records the upgrade in the history.
  @discardableResult
  func sealStoredOptionsThePolicyHides(note: (String) throws -> Void) -> Int {
    guard isWritable else { return 0 }
    let state = (try? read { try number("options_policy") }) ?? nil
    guard state != Self.healedPolicyVersion else { return 0 }
    // Waiting for a key: look at the rows again only once one can be loaded, so a large catalog
    // opened without its key does not pay for a scan on every command.
    if state == Self.waitingForKey, ((try? keySource.load(createIfMissing: false)) ?? nil) == nil { return 0 }
    var sealed = 0
    do {
      try write {
        var pending = false
        var rows: [(id: Int64, type: String, options: String, version: Int64, createdAt: Double)] = []
        try driver.forEachRow("SELECT id, type, options, version, created_at FROM connections", []) { row in
          rows.append((row.int(0), row.string(1), row.string(2), row.int(3), row.double(4)))
        }
        for row in rows {
          var options = decodeOptions(row.options)
          let type = ConnectionType.named(row.type)
          let hidden = options.filter {
            $0.key != "type" && (SecretPolicy.isSecret($0.key, type: type) || CredentialCheck.finding(in: $0.value) != nil)
          }
          guard !hidden.isEmpty else { continue }
          guard let cipher = try? cipher(creatingKey: true) else {
            pending = true
            continue
          }
          for (key, value) in hidden.sorted(by: { $0.key < $1.key }) {
            try storeSecret(cipher, connectionID: row.id, key: key, value: value, version: row.version, at: row.createdAt)
            options[key] = nil
            sealed += 1
          }
          try driver.execute(
            "UPDATE connections SET options = ?, endpoint = ? WHERE id = ?",
            [.text(encodeOptions(options)), SQLValue(options["endpoint"]), .int(row.id)])
        }
        try setNumber("options_policy", pending ? Self.waitingForKey : Self.healedPolicyVersion)
        if sealed > 0 {
          try note(
            "\(sealed) stored option value\(sealed == 1 ? "" : "s") that the secret policy hides (secret keys, credentials inside public values) sealed into the secret store")
        }
      }
      if sealed > 0 { try scrub() }
    } catch {
      // Healing is best effort: the catalog stays as it was, and display paths hide these values.
      cachedCipher = nil
    }
    return sealed
  }
}
