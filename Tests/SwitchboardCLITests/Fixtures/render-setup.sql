-- Connections whose rendering is kept in Tests/ConnectionEngineTests/Fixtures/scripts/realistic/rendered.sql,
-- which Apache Flink 2.3.0's parser reads (scripts.tsv): values with quotes, line breaks, unicode.
CREATE CATALOG shop;
CREATE DATABASE shop.sales;
CREATE CONNECTION shop.sales.openai_prod COMMENT 'the team''s key'
  WITH ('type' = 'openai', 'endpoint' = 'https://api.openai.com/v1', 'api-key' = 'sk-render-canary-1');
CREATE CONNECTION shop.sales.`warehouse jdbc`
  WITH ('type' = 'confluent_jdbc', 'endpoint' = 'jdbc:postgresql://warehouse:5432/reporting', 'username' = 'flink', 'password' = 'it''s -- not a comment; really');
CREATE CONNECTION shop.sales.bedrock_us
  WITH ('type' = 'bedrock', 'endpoint' = 'https://bedrock-runtime.us-east-1.amazonaws.com', 'aws-access-key' = 'AKIARENDER', 'aws-secret-key' = 'line one
line two', 'aws-session-token' = 'tök€n ✓');
CREATE CONNECTION default_catalog.default_database.mcp
  WITH ('type' = 'mcp_server', 'endpoint' = 'https://mcp.example.com', 'token' = 'U&''\0041''', 'transport-type' = 'SSE');
