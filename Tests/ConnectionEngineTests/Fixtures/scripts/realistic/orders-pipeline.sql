-- Orders pipeline: Kafka sources with watermarks and metadata columns, MongoDB lookups through a
-- Confluent connection, enrichment with a model, results written in one statement set.
SET 'execution.runtime-mode' = 'streaming';
SET 'table.local-time-zone' = 'UTC';
SET 'pipeline.name' = 'orders; enrichment';   -- a ';' inside a literal
SET 'parallelism.default' = '4';
RESET 'table.exec.mini-batch.enabled';

CREATE CATALOG IF NOT EXISTS shop WITH ('type' = 'generic_in_memory');
USE CATALOG shop;
CREATE DATABASE IF NOT EXISTS sales COMMENT 'orders and payments';
USE sales;

CREATE CONNECTION IF NOT EXISTS mongo_orders
  COMMENT 'orders replica set'
  WITH ('type' = 'mongodb', 'endpoint' = 'mongodb://mongo.internal:27017', 'username' = 'flink', 'password' = 'changeit');

CREATE TABLE orders (
  order_id BIGINT,
  customer_id BIGINT,
  amount DECIMAL(10, 2),
  currency STRING,
  order_time TIMESTAMP(3),
  `partition` INT METADATA VIRTUAL,
  `offset` BIGINT METADATA VIRTUAL,
  kafka_ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
  proc_time AS PROCTIME(),
  WATERMARK FOR order_time AS order_time - INTERVAL '5' SECOND,
  PRIMARY KEY (order_id) NOT ENFORCED
) COMMENT 'raw orders'
WITH (
  'connector' = 'kafka',
  'topic' = 'orders',
  'properties.bootstrap.servers' = 'kafka:9092',
  'properties.group.id' = 'orders-enrichment',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

CREATE TABLE payments (
  payment_id BIGINT,
  order_id BIGINT,
  paid_at TIMESTAMP(3),
  pay_method STRING,
  WATERMARK FOR paid_at AS paid_at - INTERVAL '10' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'payments', 'properties.bootstrap.servers' = 'kafka:9092', 'format' = 'avro');

CREATE TABLE customers (
  customer_id BIGINT,
  name STRING,
  country STRING,
  PRIMARY KEY (customer_id) NOT ENFORCED
) WITH (
  'connector' = 'mongodb',
  'mongodb.connection' = 'mongo_orders',
  'database' = 'crm',
  'collection' = 'customers',
  'lookup.cache' = 'PARTIAL'
);

CREATE TABLE currency_rates (
  currency STRING,
  rate DECIMAL(10, 4),
  updated_at TIMESTAMP(3),
  WATERMARK FOR updated_at AS updated_at,
  PRIMARY KEY (currency) NOT ENFORCED
) WITH ('connector' = 'upsert-kafka', 'topic' = 'rates', 'properties.bootstrap.servers' = 'kafka:9092', 'key.format' = 'raw', 'value.format' = 'json');

CREATE TABLE enriched_orders (
  order_id BIGINT,
  customer_name STRING,
  country STRING,
  amount_eur DECIMAL(12, 2),
  order_time TIMESTAMP(3),
  PRIMARY KEY (order_id) NOT ENFORCED
) PARTITIONED BY (country)
WITH ('connector' = 'confluent-jdbc', 'confluent-jdbc.connection' = 'warehouse_jdbc', 'table-name' = 'enriched_orders');

CREATE TABLE order_totals (
  window_start TIMESTAMP(3),
  window_end TIMESTAMP(3),
  country STRING,
  total DECIMAL(14, 2),
  orders BIGINT
) WITH ('connector' = 'print');

CREATE TABLE late_orders WITH ('connector' = 'blackhole') LIKE orders (EXCLUDING ALL);

CREATE TEMPORARY VIEW paid_orders AS
SELECT o.order_id, o.customer_id, o.amount, o.currency, o.order_time, p.pay_method
FROM orders AS o
JOIN payments AS p
  ON o.order_id = p.order_id
 AND p.paid_at BETWEEN o.order_time AND o.order_time + INTERVAL '1' HOUR;

CREATE VIEW orders_in_eur AS
SELECT o.order_id, o.customer_id, o.amount * r.rate AS amount_eur, o.order_time
FROM paid_orders AS o
JOIN currency_rates FOR SYSTEM_TIME AS OF o.order_time AS r
  ON o.currency = r.currency;

CREATE TEMPORARY FUNCTION normalize_country AS 'com.example.udf.NormalizeCountry' LANGUAGE JAVA;
CREATE FUNCTION IF NOT EXISTS risk_score AS 'com.example.udf.RiskScore';

CREATE MODEL fraud_classifier
INPUT (description STRING)
OUTPUT (label STRING)
COMMENT 'flags suspicious orders'
WITH (
  'provider' = 'openai',
  'task' = 'classification',
  'openai.connection' = 'openai_prod',
  'openai.model_version' = 'gpt-4o-mini',
  'openai.system_prompt' = 'Answer FRAUD or OK; nothing else.'
);

ALTER TABLE orders SET ('scan.startup.mode' = 'latest-offset');
ALTER TABLE late_orders RENAME TO orders_late;
ALTER MODEL fraud_classifier SET ('openai.temperature' = '0');
ALTER CONNECTION mongo_orders SET ('password' = 'rotated-2026-11');

DESCRIBE orders;
DESC EXTENDED payments;
SHOW TABLES;
SHOW TABLES FROM sales LIKE 'order%';
SHOW VIEWS;
SHOW FUNCTIONS;
SHOW USER FUNCTIONS;
SHOW MODELS;
SHOW CREATE TABLE orders;
SHOW CREATE VIEW orders_in_eur;
SHOW CREATE MODEL fraud_classifier;
SHOW CONNECTIONS;
SHOW CONNECTIONS FROM sales LIKE 'mongo%';
DESCRIBE CONNECTION mongo_orders;
SHOW CREATE CONNECTION mongo_orders;
SHOW CURRENT CATALOG;
SHOW CURRENT DATABASE;

EXPLAIN PLAN FOR
SELECT country, COUNT(*) FROM enriched_orders GROUP BY country;

EXPLAIN CHANGELOG_MODE, JSON_EXECUTION_PLAN
SELECT /*+ OPTIONS('scan.startup.mode' = 'earliest-offset') */ order_id FROM orders;

SELECT order_id, amount FROM orders WHERE currency = 'EUR' LIMIT 10;

EXECUTE STATEMENT SET
BEGIN
  INSERT INTO enriched_orders
  SELECT o.order_id, c.name, normalize_country(c.country), o.amount_eur, o.order_time
  FROM orders_in_eur AS o
  JOIN customers FOR SYSTEM_TIME AS OF o.order_time AS c
    ON o.customer_id = c.customer_id;

  INSERT INTO order_totals
  SELECT window_start, window_end, country, SUM(amount_eur), COUNT(*)
  FROM TABLE(TUMBLE(TABLE enriched_orders, DESCRIPTOR(order_time), INTERVAL '1' MINUTE))
  GROUP BY window_start, window_end, country;
END;

INSERT INTO orders_late
SELECT * FROM orders WHERE order_time < CURRENT_WATERMARK(order_time);

DROP TEMPORARY VIEW IF EXISTS paid_orders;
DROP VIEW IF EXISTS orders_in_eur;
DROP TEMPORARY FUNCTION IF EXISTS normalize_country;
DROP FUNCTION IF EXISTS risk_score;
DROP MODEL IF EXISTS fraud_classifier;
DROP TABLE IF EXISTS orders_late;
DROP CONNECTION IF EXISTS mongo_orders;
