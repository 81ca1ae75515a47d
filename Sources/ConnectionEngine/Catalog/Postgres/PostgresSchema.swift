/// The catalog's tables in a PostgreSQL schema of their own. Created in one transaction under an
/// advisory lock, so two first starts cannot race; the same columns as the SQLite file, in
/// PostgreSQL's types. Names sort by code point (`COLLATE "C"`), as in SQLite and in Flink.
enum PostgresSchema {
  /// The version this build writes; a newer one in the database is refused.
  static let version: Int64 = 3
  static let application = Array("switchboard".utf8)

  /// The channel `LISTEN` waits on: every change to connections, databases or catalogs.
  static func channel(_ schema: String) -> String { "switchboard_" + schema }

  /// What takes a catalog of version N to N + 1 (search_path set, inside the writers' lock).
  static let migrations: [Int64: String] = [
    // 2: when each secret was last set; older ones dated from their connection's creation.
    1: """
      ALTER TABLE secrets ADD COLUMN sealed_at double precision;
      UPDATE secrets s SET sealed_at = c.created_at FROM connections c WHERE c.id = s.connection_id;
      UPDATE meta SET number = 2 WHERE key = 'schema_version';
      """,
    // 3: earlier versions of connections, tombstones, and the sealed records they held.
    2: versionTables + "UPDATE meta SET number = 3 WHERE key = 'schema_version';",
  ]

  static let versionTables = """
    CREATE TABLE versions (
      connection_id bigint NOT NULL, version bigint NOT NULL,
      catalog text COLLATE "C" NOT NULL, database text COLLATE "C" NOT NULL, name text COLLATE "C" NOT NULL,
      type text NOT NULL, comment text, options text NOT NULL, secrets text NOT NULL,
      made_at double precision NOT NULL, made_by text, dropped integer NOT NULL DEFAULT 0,
      PRIMARY KEY (connection_id, version));
    CREATE INDEX versions_by_name ON versions (catalog, database, name);
    CREATE TABLE sealed_versions (
      connection_id bigint NOT NULL, key text NOT NULL, version bigint NOT NULL,
      sealed bytea NOT NULL, format integer NOT NULL, sealed_at double precision,
      PRIMARY KEY (connection_id, key, version));

    """

  /// The DDL; `schema` is a plain name (checked by `PostgresLocation`), the salt is bound later.
  static func create(in schema: String) -> String {
    """
    CREATE SCHEMA IF NOT EXISTS "\(schema)";
    SET LOCAL search_path TO "\(schema)";
    CREATE TABLE meta (key text PRIMARY KEY, number bigint, bytes bytea);
    CREATE TABLE catalogs (
      name text COLLATE "C" PRIMARY KEY, comment text, options text NOT NULL DEFAULT '{}',
      created_at double precision NOT NULL);
    CREATE TABLE databases (
      catalog text COLLATE "C" NOT NULL REFERENCES catalogs(name) ON DELETE CASCADE,
      name text COLLATE "C" NOT NULL, comment text, created_at double precision NOT NULL,
      PRIMARY KEY (catalog, name));
    CREATE TABLE connections (
      id bigint PRIMARY KEY,
      catalog text COLLATE "C" NOT NULL, database text COLLATE "C" NOT NULL, name text COLLATE "C" NOT NULL,
      type text NOT NULL, endpoint text, comment text, options text NOT NULL,
      version bigint NOT NULL, created_at double precision NOT NULL, updated_at double precision NOT NULL,
      updated_by text,
      UNIQUE (catalog, database, name),
      FOREIGN KEY (catalog, database) REFERENCES databases(catalog, name) ON DELETE CASCADE);
    CREATE TABLE secrets (
      connection_id bigint NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
      key text NOT NULL, version bigint NOT NULL, sealed bytea NOT NULL, format integer NOT NULL,
      sealed_at double precision,
      PRIMARY KEY (connection_id, key));
    CREATE TABLE history (
      id bigserial PRIMARY KEY, at double precision NOT NULL, os_user text NOT NULL,
      db_role text NOT NULL DEFAULT current_user,
      statement text NOT NULL, outcome text NOT NULL, message text);
    \(versionTables)
    INSERT INTO catalogs (name, created_at) VALUES ('default_catalog', extract(epoch FROM now()));
    INSERT INTO databases (catalog, name, created_at) VALUES ('default_catalog', 'default_database', extract(epoch FROM now()));
    INSERT INTO meta (key, number) VALUES ('schema_version', \(version)), ('options_policy', 2);
    -- Ids and versions come from sequences: never handed out twice, even by a transaction that
    -- rolls back, and without rewriting one row per statement (which a long script would pay
    -- for quadratically in PostgreSQL's row versions).
    CREATE SEQUENCE last_id;
    CREATE SEQUENCE last_version;
    INSERT INTO meta (key, bytes) VALUES ('application', 'switchboard'::bytea);
    CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('switchboard_' || TG_TABLE_SCHEMA, TG_TABLE_NAME); RETURN NULL; END $$;
    CREATE TRIGGER connections_changed AFTER INSERT OR UPDATE OR DELETE ON connections
      FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
    CREATE TRIGGER databases_changed AFTER INSERT OR UPDATE OR DELETE ON databases
      FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
    CREATE TRIGGER catalogs_changed AFTER INSERT OR UPDATE OR DELETE ON catalogs
      FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
    """
  }
}
