import Foundation
import GRDB

/// The catalog's tables, created and changed only through these migrations (each in one transaction).
enum CatalogSchema {
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
    return migrator
  }
}
