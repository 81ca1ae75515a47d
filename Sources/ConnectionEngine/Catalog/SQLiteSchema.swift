import Foundation
import GRDB

/// The catalog's tables in an SQLite file, created and changed only through these migrations
/// (each in one transaction).
enum SQLiteSchema {
  /// `PRAGMA application_id` of a Switchboard catalog ("SWBD"): tells our files from other programs'.
  static let applicationID: Int32 = 0x5357_4244

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(sql: "PRAGMA application_id = \(applicationID)")
      try db.execute(
        sql: """
          CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
          CREATE TABLE catalogs (
            name TEXT PRIMARY KEY, comment TEXT, options TEXT NOT NULL DEFAULT '{}', created_at REAL NOT NULL);
          CREATE TABLE databases (
            catalog TEXT NOT NULL REFERENCES catalogs(name) ON DELETE CASCADE,
            name TEXT NOT NULL, comment TEXT, created_at REAL NOT NULL,
            PRIMARY KEY (catalog, name));
          CREATE TABLE connections (
            id INTEGER PRIMARY KEY,
            catalog TEXT NOT NULL, database TEXT NOT NULL, name TEXT NOT NULL,
            type TEXT NOT NULL, endpoint TEXT, comment TEXT,
            options TEXT NOT NULL,
            version INTEGER NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL,
            UNIQUE (catalog, database, name),
            FOREIGN KEY (catalog, database) REFERENCES databases(catalog, name) ON DELETE CASCADE);
          CREATE TABLE secrets (
            connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
            key TEXT NOT NULL, version INTEGER NOT NULL, sealed BLOB NOT NULL,
            PRIMARY KEY (connection_id, key));
          CREATE TABLE history (
            id INTEGER PRIMARY KEY, at REAL NOT NULL, user TEXT NOT NULL,
            statement TEXT NOT NULL, outcome TEXT NOT NULL, message TEXT);
          """)
      let now = Date().timeIntervalSince1970
      try db.execute(sql: "INSERT INTO catalogs (name, created_at) VALUES ('default_catalog', ?)", arguments: [now])
      try db.execute(
        sql: "INSERT INTO databases (catalog, name, created_at) VALUES ('default_catalog', 'default_database', ?)",
        arguments: [now])
      var salt = [UInt8](repeating: 0, count: 32)
      var generator = SystemRandomNumberGenerator()
      for i in salt.indices { salt[i] = UInt8.random(in: 0...255, using: &generator) }
      try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('salt', ?)", arguments: [Data(salt)])
    }
    // v2: identities that never repeat, padded secret records, and a history cleaned of what
    // earlier maskers let through.
    migrator.registerMigration("v2") { db in
      // Ids are handed out from a high-water mark (SQLite reuses the highest rowid after a
      // DROP), and a new connection's first version is above every version issued so far: a
      // stale form or `--expected-version` never matches a re-created connection, and an old
      // sealed record (bound to id, version and key) never opens for another one.
      let lastID = try Int64.fetchOne(db, sql: "SELECT max(id) FROM connections") ?? 0
      let lastVersion = max(
        try Int64.fetchOne(db, sql: "SELECT max(version) FROM connections") ?? 0,
        try Int64.fetchOne(db, sql: "SELECT max(version) FROM secrets") ?? 0)
      try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('last_id', ?), ('last_version', ?)", arguments: [lastID, lastVersion])
      // Records written from now on are padded (format 2); older ones still open as format 1.
      try db.execute(sql: "ALTER TABLE secrets ADD COLUMN format INTEGER NOT NULL DEFAULT 1")
      try HistoryHealing.remask(db)
    }
    // v3: who made a connection's current version, for conflict messages.
    migrator.registerMigration("v3") { db in
      try db.execute(sql: "ALTER TABLE connections ADD COLUMN updated_by TEXT")
    }
    // v4: when each secret was last set (its age, for rotation). Secrets stored before this are
    // dated from their connection's creation: the oldest they can be, so none is thought fresh.
    migrator.registerMigration("v4") { db in
      try db.execute(sql: "ALTER TABLE secrets ADD COLUMN sealed_at REAL")
      try db.execute(sql: "UPDATE secrets SET sealed_at = (SELECT created_at FROM connections WHERE id = secrets.connection_id)")
    }
    // v5: earlier versions of connections and tombstones of dropped ones, with the sealed
    // records they held (kept as written: bound to connection, key and version).
    migrator.registerMigration("v5") { db in
      try db.execute(sql: SQLiteSchema.versionTables)
    }
    return migrator
  }

  static let versionTables = """
    CREATE TABLE versions (
      connection_id INTEGER NOT NULL, version INTEGER NOT NULL,
      catalog TEXT NOT NULL, database TEXT NOT NULL, name TEXT NOT NULL,
      type TEXT NOT NULL, comment TEXT, options TEXT NOT NULL, secrets TEXT NOT NULL,
      made_at REAL NOT NULL, made_by TEXT, dropped INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (connection_id, version));
    CREATE INDEX versions_by_name ON versions (catalog, database, name);
    CREATE TABLE sealed_versions (
      connection_id INTEGER NOT NULL, key TEXT NOT NULL, version INTEGER NOT NULL,
      sealed BLOB NOT NULL, format INTEGER NOT NULL, sealed_at REAL,
      PRIMARY KEY (connection_id, key, version));
    """
}

/// Catalogs written by earlier versions may hold secrets in their history, let through by an
/// older masker. Re-masking masked text with today's masker hides them (a mask stays a mask).
enum HistoryHealing {
  static let note = "history re-masked by Switchboard's fail-closed masker (catalog format v2)"

  static func remask(_ db: Database) throws {
    let rows = try Row.fetchAll(db, sql: "SELECT id, statement FROM history")
    guard !rows.isEmpty else { return }
    var changed = 0
    for row in rows {
      let statement: String = row["statement"]
      let masked = Masker.mask(statement)
      if masked != statement {
        try db.execute(sql: "UPDATE history SET statement = ? WHERE id = ?", arguments: [masked, row["id"] as Int64])
        changed += 1
      }
    }
    try db.execute(
      sql: "INSERT INTO history (at, user, statement, outcome, message) VALUES (?, 'switchboard', '-- upgrade', 'ok', ?)",
      arguments: [Date().timeIntervalSince1970, note + " (\(changed) of \(rows.count) entries changed)"])
  }
}
