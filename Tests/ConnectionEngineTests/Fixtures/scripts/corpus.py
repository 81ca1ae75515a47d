#!/usr/bin/env python3
"""Statements and scripts near the connection dialect, for scripts.tsv (see regenerate.sh).

Each entry is one script; Flink 2.3.0's parser reads it whole (SqlStmtList) and gives a verdict,
the error's line and column, and how many statements it found."""
import itertools

S = []
def add(*xs): S.extend(xs)

W = "WITH ('connector' = 'datagen')"
CONN = "WITH ('type' = 'openai', 'endpoint' = 'https://api.example.com', 'api-key' = 'sk-fake')"

# CREATE OR ...
objects = ["TABLE t AS SELECT 1", "TABLE t (a INT) " + W, "VIEW v AS SELECT 1", "FUNCTION f AS 'com.example.F'",
           "TEMPORARY TABLE t AS SELECT 1", "TEMPORARY VIEW v AS SELECT 1", "TEMPORARY FUNCTION f AS 'x'",
           "TEMPORARY SYSTEM FUNCTION f AS 'x'", "CATALOG c WITH ('type' = 'generic_in_memory')", "DATABASE d",
           "MODEL m INPUT (x STRING) OUTPUT (y STRING) WITH ('provider' = 'openai')",
           "MATERIALIZED TABLE mt FRESHNESS = INTERVAL '1' MINUTE AS SELECT 1",
           "CONNECTION c " + CONN, "TEMPORARY CONNECTION c " + CONN, "TEMPORARY SYSTEM CONNECTION c " + CONN,
           "SYSTEM CONNECTION c " + CONN, "TABLE", "", "CONNECTION", "TEMPORARY", "SYSTEM FUNCTION f AS 'x'"]
for mod in ["OR REPLACE", "OR ALTER", "OR", "OR REPLACE OR REPLACE", "or replace", "OR\nREPLACE", "OR /* c */ REPLACE"]:
    for obj in objects:
        add(f"CREATE {mod} {obj}".strip())

# ALTER ...
for stmt in ["SYSTEM SET x = 1", "SYSTEM RESET x", "SYSTEM RESET ALL", "SESSION SET x = 1", "SYSTEM CONNECTION c SET ('k' = 'v')",
             "SYSTEM", "TEMPORARY SYSTEM FUNCTION f AS 'x'", "TEMPORARY FUNCTION f AS 'x'", "TEMPORARY CONNECTION c SET ('k' = 'v')",
             "TEMPORARY SYSTEM CONNECTION c SET ('k' = 'v')", "TEMPORARY TABLE t RENAME TO u", "FUNCTION f AS 'x'",
             "FUNCTION IF EXISTS f AS 'x'", "TABLE t SET ('k' = 'v')", "TABLE t RESET ('k')", "TABLE t RENAME TO u",
             "TABLE t ADD (c INT)", "TABLE t DROP c", "TABLE IF EXISTS t SET ('k' = 'v')", "VIEW v RENAME TO w",
             "VIEW v AS SELECT 2", "MODEL m SET ('k' = 'v')", "MODEL m RENAME TO n", "DATABASE d SET ('k' = 'v')",
             "CATALOG c SET ('k' = 'v')", "CATALOG c RESET ('k')", "MATERIALIZED TABLE mt SUSPEND", "MATERIALIZED TABLE mt RESUME",
             "MATERIALIZED TABLE mt REFRESH", "CONNECTIONS c SET ('k' = 'v')", "CONNECTION c SET ('k' = 'v')",
             "CONNECTION c RESET ('k')", "CONNECTION c RENAME TO d", "CONNECTION c", "TABLE t USING CONNECTION c",
             "CONNECTION c SET ('k' = 'v') RESET ('k')", "", "SCHEMA s SET x = 1", "USER u"]:
    add(f"ALTER {stmt}".strip())

# SHOW ...
for stmt in ["TEMPORARY CONNECTIONS", "TEMPORARY TABLES", "TEMPORARY VIEWS", "TEMPORARY FUNCTIONS", "TEMPORARY", "SYSTEM CONNECTIONS",
             "USER FUNCTIONS", "FUNCTIONS", "TABLES", "TABLES FROM db", "TABLES IN cat.db LIKE 'o%'", "TABLES NOT LIKE 'x'",
             "VIEWS", "MODELS", "MODELS FROM db", "CREATE TABLE t", "CREATE VIEW v", "CREATE MODEL m", "CREATE CATALOG c",
             "CREATE MATERIALIZED TABLE mt", "CREATE FUNCTION f", "CREATE DATABASE d", "CREATE CONNECTION c", "CREATE CONNECTIONS",
             "CREATE", "JOBS", "JARS", "MODULES", "FULL MODULES", "PARTITIONS t", "COLUMNS FROM t", "COLUMNS IN t LIKE 'a%'",
             "PROCEDURES", "MATERIALIZED TABLES", "CONNECTIONS", "CONNECTIONS FROM db", "CONNECTIONS LIKE 'a%'",
             "CONNECTIONS NOT LIKE 'a%'", "CONNECTIONS ILIKE 'a%'", "CONNECTION", "CATALOGS", "DATABASES", "CURRENT CATALOG",
             "CURRENT DATABASE", "CURRENT", "CURRENT SCHEMA", "SCHEMAS", "STATEMENTS", ""]:
    add(f"SHOW {stmt}".strip())

# CREATE TABLE ... USING CONNECTION (Flink master only), and USING elsewhere
cols = "(id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)"
for tail in [f"USING CONNECTION c {W}", f"{W} USING CONNECTION c", "USING CONNECTION c", "USING CONNECTION `cat`.`db`.`c`",
             f"COMMENT 'x' USING CONNECTION c {W}", f"PARTITIONED BY (id) USING CONNECTION c {W}",
             f"DISTRIBUTED BY (id) INTO 4 BUCKETS USING CONNECTION c {W}", f"\n  USING CONNECTION c\n  {W}",
             f"/* USING CONNECTION c */ {W}", f"-- USING CONNECTION c\n{W}", f"{W}\n-- USING CONNECTION c",
             f"USING c {W}", f"USING CONNECTIONS (c) {W}", "USING"]:
    add(f"CREATE TABLE t {cols} {tail}")
    add(f"CREATE TEMPORARY TABLE IF NOT EXISTS cat.db.t {cols} {tail}")
add("CREATE TABLE t USING CONNECTION c " + W,
    "CREATE TABLE t AS SELECT * FROM a JOIN b USING (id)",
    "CREATE TABLE t " + W + " AS SELECT * FROM a JOIN b USING (id)",
    "CREATE MODEL m INPUT (x STRING) OUTPUT (y STRING) USING CONNECTION c WITH ('provider' = 'openai')",
    "CREATE FUNCTION f AS 'x' USING JAR '/tmp/a.jar'",
    "CREATE FUNCTION f AS 'x' USING CONNECTION c",
    "CREATE TABLE t (a INT) WITH ('connector' = 'mongodb', 'mongodb.connection' = 'c')",
    "CREATE TABLE t (a INT) WITH ('connector' = 'mongodb', 'mongodb.connection' = 'c', 'x' 'y')",
    "CREATE TABLE t (a INT) WITH ('confluent-jdbc.connection' = 'c' 'd')")

# DROP / DESCRIBE / USE
for stmt in ["DROP TABLE t", "DROP TABLE IF EXISTS cat.db.t", "DROP TEMPORARY TABLE t", "DROP TEMPORARY SYSTEM FUNCTION f",
             "DROP SYSTEM FUNCTION f", "DROP SYSTEM TABLE t", "DROP TEMPORARY SYSTEM TABLE t", "DROP MODEL m", "DROP MODEL IF EXISTS m",
             "DROP TEMPORARY MODEL m", "DROP VIEW v", "DROP TEMPORARY VIEW v", "DROP MATERIALIZED TABLE mt", "DROP CONNECTIONS c",
             "DROP CONNECTION c, d", "DROP CONNECTION c CASCADE", "DROP FUNCTION f", "DROP FUNCTION IF EXISTS f",
             "DROP TEMPORARY FUNCTION f", "DROP CATALOG c", "DROP DATABASE d CASCADE", "DROP TEMPORARY CATALOG c", "DROP",
             "DESCRIBE t", "DESC t", "DESCRIBE EXTENDED t", "DESC EXTENDED cat.db.t", "DESCRIBE CATALOG c", "DESCRIBE CATALOG EXTENDED c",
             "DESCRIBE DATABASE d", "DESCRIBE MODEL m", "DESCRIBE FUNCTION f", "DESCRIBE FUNCTION EXTENDED f", "DESCRIBE JOB 'x'",
             "DESCRIBE CONNECTION c", "DESCRIBE CONNECTION EXTENDED c", "DESCRIBE TEMPORARY CONNECTION c", "DESCRIBE",
             "DESCRIBE t x", "USE c", "USE CATALOG c", "USE cat.db", "USE MODULES core", "USE MODULES core, hive", "USE",
             "USE CATALOG", "USE CONNECTION c"]:
    add(stmt)

# Statements outside the dialect, each alone
others = ["SET", "SET 'table.local-time-zone' = 'UTC'", "SET 'k' = 'v'", "RESET", "RESET 'k'", "RESET k",
          "SELECT 1", "SELECT * FROM t /*+ OPTIONS('k' = 'v') */", "SELECT 'a;b' AS x", "(SELECT 1)", "VALUES (1), (2)",
          "WITH c AS (SELECT 1 AS x) SELECT x FROM c", "INSERT INTO t SELECT * FROM s", "INSERT INTO t VALUES (1, 'a')",
          "INSERT OVERWRITE t SELECT * FROM s", "INSERT INTO t PARTITION (p = 1) SELECT 1",
          "EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b SELECT 2; END",
          "EXECUTE STATEMENT SET\nBEGIN\n  INSERT INTO a SELECT 1;\n  INSERT INTO b SELECT ';';\nEND",
          "EXPLAIN SELECT 1", "EXPLAIN PLAN FOR SELECT 1", "EXPLAIN CHANGELOG_MODE, ESTIMATED_COST SELECT 1",
          "EXPLAIN STATEMENT SET BEGIN INSERT INTO a SELECT 1; END", "EXPLAIN INSERT INTO t SELECT 1",
          "EXECUTE INSERT INTO t SELECT 1", "EXECUTE SELECT 1", "BEGIN STATEMENT SET", "END",
          "COMPILE PLAN '/tmp/p.json' FOR INSERT INTO t SELECT 1", "COMPILE PLAN '/tmp/p.json' IF NOT EXISTS FOR INSERT INTO t SELECT 1",
          "EXECUTE PLAN '/tmp/p.json'", "STOP JOB 'abc'", "STOP JOB 'abc' WITH SAVEPOINT", "LOAD MODULE hive WITH ('k' = 'v')",
          "UNLOAD MODULE hive", "ADD JAR '/tmp/a.jar'", "REMOVE JAR '/tmp/a.jar'", "ANALYZE TABLE t COMPUTE STATISTICS",
          "CALL cat.sys.proc(1)", "TRUNCATE TABLE t", "DELETE FROM t WHERE a = 1", "UPDATE t SET a = 1",
          "CREATE TABLE t (a INT) " + W, "CREATE TEMPORARY VIEW v AS SELECT 1", "CREATE FUNCTION f AS 'com.example.F' LANGUAGE JAVA",
          "CREATE MODEL m INPUT (x STRING) OUTPUT (y STRING) WITH ('provider' = 'openai', 'openai.connection' = 'c')",
          "CREATE TABLE t LIKE s", "CREATE TABLE t " + W + " LIKE s (EXCLUDING ALL)",
          "CREATE CATALOG c WITH ('type' = 'generic_in_memory')", "CREATE DATABASE IF NOT EXISTS d COMMENT 'x'"]
add(*others)

# Scripts: pairs of statements, with separators that Flink treats specially
pieces = ["SET 'k' = 'v'", "CREATE CONNECTION c " + CONN, "CREATE TABLE t (a INT) " + W, "INSERT INTO t SELECT 1",
          "EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b SELECT 2; END", "ALTER CONNECTION c SET ('k' = 'v')",
          "SELECT ';' -- ;\n", "DROP CONNECTION c", "SHOW TABLES", "USE CATALOG c"]
for a, b in itertools.permutations(pieces, 2):
    add(f"{a};\n{b};")
for a, b in [(0, 1), (2, 1), (3, 5), (4, 7), (1, 2), (8, 1), (0, 5), (2, 7)]:
    add(f"{pieces[a]}\n{pieces[b]}")          # missing ';' between two statements
    add(f"{pieces[a]};;\n{pieces[b]};;")      # empty statements
add("SET 'k' = 'v';\n/* a comment; with ; */\nCREATE CONNECTION c " + CONN + ";",
    "CREATE TABLE t (a INT) WITH ('connector' = 'x', 'path' = 'a;b');\nCREATE CONNECTION c WITH ('k' = 'v');",
    "SELECT 1;\n-- CREATE CONNECTION c WITH ('k' = 'v');\nSHOW TABLES;",
    "CREATE TABLE t (a INT) " + W + "\nCREATE CONNECTION c WITH ('k' = 'v')",
    "INSERT INTO t SELECT 1\nALTER CONNECTION c SET ('api-key' = 'x')",
    "SET 'a' = 'b'\nDROP CONNECTION c",
    "SELECT /*+ hint; */ 1;\nSHOW CONNECTIONS;",
    "SELECT 1; /* unterminated",
    "SELECT `unterminated;\nSHOW CONNECTIONS;",
    "SELECT 'unterminated;\nSHOW CONNECTIONS;",
    "SELECT 1 ! 2;", "SELECT #;", "SET 'a' = 'b';\nSELECT ~;",
    "CREATE TABLE t (a INT) WITH ('x' = 'y')\nALTER CONNECTION z SET ('api-key' 'v');",
    "CREATE MODEL m INPUT (a STRING) OUTPUT (b STRING) WITH ('openai.connection' = 'c')\nCREATE CONNECTION c WITH ('k' 'v');",
    "ALTER TABLE t SET ('k' = 'v')\nDROP CONNECTION c;")

# Realistic scripts, whole (realistic/*.sql), last.
import base64, glob, os, sys
here = os.path.dirname(os.path.abspath(__file__))
for path in sorted(glob.glob(os.path.join(here, "realistic", "*.sql"))):
    S.append(open(path, encoding="utf-8").read())

for s in S:
    print(base64.b64encode(s.encode()).decode())
