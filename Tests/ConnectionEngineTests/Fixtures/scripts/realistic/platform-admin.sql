-- Platform administration: catalogs and databases, modules and jars, connection lifecycle,
-- CTAS / RTAS, a materialized table, plan compilation and job control.
SET 'table.dml-sync' = 'false';
SET 'sql-client.execution.result-mode' = 'tableau';
SET;
RESET;

LOAD MODULE hive WITH ('hive-version' = '3.1.3');
USE MODULES hive, core;
SHOW MODULES;
SHOW FULL MODULES;
UNLOAD MODULE hive;
ADD JAR '/opt/flink/usrlib/connectors.jar';
SHOW JARS;
REMOVE JAR '/opt/flink/usrlib/connectors.jar';

CREATE CATALOG lake WITH ('type' = 'generic_in_memory', 'default-database' = 'landing');
SHOW CATALOGS;
SHOW CATALOGS LIKE 'la%';
USE CATALOG lake;
CREATE DATABASE IF NOT EXISTS landing;
CREATE DATABASE staging COMMENT 'cleaned data' WITH ('owner' = 'platform');
SHOW DATABASES;
SHOW DATABASES FROM lake LIKE 'st%';
USE lake.staging;
ALTER DATABASE staging SET ('owner' = 'data-platform');

-- connections for every team database
CREATE CONNECTION lake.landing.warehouse_jdbc COMMENT 'reporting warehouse'
  WITH ('type' = 'confluent_jdbc', 'endpoint' = 'jdbc:postgresql://warehouse:5432/reporting', 'username' = 'flink', 'password' = 'placeholder');
CREATE CONNECTION lake.staging.couchbase_sessions
  WITH ('type' = 'couchbase', 'endpoint' = 'couchbases://cb.example.com', 'username' = 'app', 'password' = 'placeholder');
CREATE TEMPORARY CONNECTION scratch WITH ('type' = 'rest', 'endpoint' = 'https://httpbin.example.com', 'token' = 'placeholder');
CREATE TEMPORARY SYSTEM CONNECTION shared_rest WITH ('type' = 'rest', 'endpoint' = 'https://api.example.com', 'token' = 'placeholder');
CREATE OR REPLACE CONNECTION couchbase_sessions
  WITH ('type' = 'couchbase', 'endpoint' = 'couchbases://cb2.example.com', 'username' = 'app', 'password' = 'placeholder');
SHOW CONNECTIONS FROM lake.landing;
SHOW CONNECTIONS IN staging;
ALTER CONNECTION lake.landing.warehouse_jdbc SET ('password' = 'placeholder-2');
ALTER CONNECTION couchbase_sessions RENAME TO sessions_cb;
DROP TEMPORARY CONNECTION IF EXISTS scratch;
DROP TEMPORARY SYSTEM CONNECTION shared_rest;

CREATE TABLE sessions (
  session_id STRING,
  user_id BIGINT,
  started_at TIMESTAMP(3),
  WATERMARK FOR started_at AS started_at - INTERVAL '30' SECOND
) WITH ('connector' = 'couchbase', 'couchbase.connection' = 'sessions_cb', 'bucket' = 'sessions');

CREATE TABLE daily_users WITH ('connector' = 'confluent-jdbc', 'confluent-jdbc.connection' = 'lake.landing.warehouse_jdbc')
AS SELECT CAST(started_at AS DATE) AS visit_day, COUNT(DISTINCT user_id) AS users FROM sessions GROUP BY CAST(started_at AS DATE);

CREATE OR REPLACE TABLE session_copy AS SELECT * FROM sessions;
CREATE TABLE IF NOT EXISTS session_keys (session_id STRING, PRIMARY KEY (session_id) NOT ENFORCED) WITH ('connector' = 'blackhole');

CREATE MATERIALIZED TABLE hourly_sessions
FRESHNESS = INTERVAL '1' HOUR
AS SELECT user_id, COUNT(*) AS sessions FROM sessions GROUP BY user_id;
ALTER MATERIALIZED TABLE hourly_sessions SUSPEND;
ALTER MATERIALIZED TABLE hourly_sessions RESUME;
SHOW MATERIALIZED TABLES;

ALTER TABLE sessions ADD (device STRING COMMENT 'mobile or web');
ALTER TABLE sessions MODIFY (device STRING NOT NULL);
ALTER TABLE sessions DROP device;
ALTER TABLE sessions RESET ('bucket');
ANALYZE TABLE session_keys COMPUTE STATISTICS;

COMPILE PLAN '/tmp/sessions-plan.json' FOR INSERT INTO session_keys SELECT session_id FROM sessions;
EXECUTE PLAN '/tmp/sessions-plan.json';
SHOW JOBS;
DESCRIBE JOB 'c2f6c6e7a1b24e0f9d1c0e7a5b3f2d10';
STOP JOB 'c2f6c6e7a1b24e0f9d1c0e7a5b3f2d10' WITH SAVEPOINT;

WITH recent AS (SELECT * FROM sessions WHERE started_at > CURRENT_TIMESTAMP - INTERVAL '1' DAY)
SELECT user_id, COUNT(*) FROM recent GROUP BY user_id;
VALUES (1, 'a'), (2, 'b');
(SELECT 1);

TRUNCATE TABLE session_keys;
DELETE FROM session_keys WHERE session_id = 'x';
UPDATE session_keys SET session_id = 'y' WHERE session_id = 'x';
CALL lake.sys.compact('landing.sessions');

DESCRIBE CATALOG lake;
DESCRIBE DATABASE staging;
DROP MATERIALIZED TABLE IF EXISTS hourly_sessions;
DROP TABLE IF EXISTS session_copy;
DROP DATABASE IF EXISTS landing CASCADE;
DROP CATALOG IF EXISTS lake;
