/* AI inference on Confluent Cloud for Apache Flink: connections, models that use them, and
   queries with ML_PREDICT. Secrets go in the connections; models and tables only name them. */
SET 'sql.current-catalog' = 'prod-env';
SET 'sql.current-database' = 'ai';
SET 'client.statement-name' = 'ai-models-2026-11';

CREATE CONNECTION openai_prod
  WITH ('type' = 'openai', 'endpoint' = 'https://api.openai.com/v1/chat/completions', 'api-key' = 'sk-placeholder');
CREATE CONNECTION `azure-openai-connection`
  WITH ('type' = 'azureopenai', 'endpoint' = 'https://example.openai.azure.com/openai/deployments/gpt/chat/completions', 'api-key' = 'placeholder');
CREATE CONNECTION bedrock_us
  WITH ('type' = 'bedrock', 'endpoint' = 'https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic/invoke',
        'aws-access-key' = 'AKIAEXAMPLE', 'aws-secret-key' = 'placeholder', 'aws-session-token' = 'placeholder');
CREATE CONNECTION vertex_eu
  WITH ('type' = 'vertexai', 'endpoint' = 'https://europe-west4-aiplatform.googleapis.com/v1/projects/p/locations/europe-west4/endpoints/1:predict', 'service-key' = '{}');
CREATE CONNECTION claims_mcp_server
  WITH ('type' = 'mcp_server', 'endpoint' = 'https://mcp.example.com', 'api-key' = 'placeholder', 'transport-type' = 'STREAMABLE_HTTP');
CREATE CONNECTION pinecone_docs
  WITH ('type' = 'pinecone', 'endpoint' = 'https://docs-index.svc.pinecone.io/query', 'api-key' = 'placeholder');
CREATE CONNECTION elastic_search
  WITH ('type' = 'elastic', 'endpoint' = 'https://search.example.com:9200', 'api-key' = 'placeholder');

CREATE TABLE support_tickets (
  ticket_id STRING,
  customer STRING,
  body STRING,
  created_at TIMESTAMP_LTZ(3),
  WATERMARK FOR created_at AS created_at - INTERVAL '1' SECOND
) DISTRIBUTED BY HASH(ticket_id) INTO 6 BUCKETS
WITH ('changelog.mode' = 'append', 'value.format' = 'avro-registry');

CREATE TABLE ticket_labels (
  ticket_id STRING,
  label STRING,
  confidence DOUBLE
) WITH ('changelog.mode' = 'append');

CREATE TABLE ticket_embeddings (ticket_id STRING, embedding ARRAY<FLOAT>);

CREATE MODEL sentiment
INPUT (text STRING)
OUTPUT (sentiment STRING)
COMMENT 'positive, negative or neutral'
WITH (
  'provider' = 'openai',
  'task' = 'classification',
  'openai.connection' = 'openai_prod',
  'openai.system_prompt' = 'Classify the sentiment of the text: positive, negative or neutral.'
);

CREATE MODEL summarizer
INPUT (text STRING)
OUTPUT (summary STRING)
WITH ('provider' = 'azureopenai', 'task' = 'text_generation', 'azureopenai.connection' = 'azure-openai-connection');

CREATE MODEL claude_triage
INPUT (prompt STRING)
OUTPUT (answer STRING)
WITH ('provider' = 'bedrock', 'task' = 'text_generation', 'bedrock.connection' = 'bedrock_us', 'bedrock.params.max_tokens' = '512');

CREATE MODEL embedder
INPUT (text STRING)
OUTPUT (embedding ARRAY<FLOAT>)
WITH ('provider' = 'vertexai', 'task' = 'embedding', 'vertexai.connection' = 'vertex_eu');

CREATE MODEL claims_agent
INPUT (request STRING)
OUTPUT (response STRING)
WITH ('provider' = 'openai', 'task' = 'text_generation', 'openai.connection' = 'openai_prod', 'mcp.connection' = 'claims_mcp_server');

CREATE TABLE docs_index (
  id STRING,
  embedding ARRAY<FLOAT>,
  text STRING
) WITH ('connector' = 'pinecone', 'pinecone.connection' = 'pinecone_docs', 'pinecone.embedding_column' = 'embedding');

CREATE TABLE search_logs (
  id STRING,
  message STRING
) WITH ('connector' = 'elastic', 'elastic.connection' = 'elastic_search', 'elastic.index' = 'logs-*');

CREATE TEMPORARY FUNCTION redact AS 'io.example.Redact' USING JAR '/opt/udfs/redact.jar';
CREATE FUNCTION to_label AS 'io.example.ToLabel' LANGUAGE JAVA USING JAR '/opt/udfs/labels.jar';

ALTER MODEL sentiment SET ('openai.temperature' = '0.1');
ALTER MODEL summarizer RENAME TO summarize_ticket;
ALTER CONNECTION openai_prod SET ('api-key' = 'sk-rotated');
ALTER CONNECTION bedrock_us RESET ('aws-session-token');
ALTER CONNECTION IF EXISTS pinecone_docs SET ('endpoint' = 'https://docs-index-v2.svc.pinecone.io/query');
ALTER CONNECTION elastic_search RENAME TO elastic_logs;

DESCRIBE MODEL sentiment;
SHOW MODELS;
SHOW MODELS FROM ai LIKE 'sent%';
SHOW CREATE MODEL claims_agent;
SHOW CONNECTIONS LIKE '%openai%';
SHOW CONNECTIONS NOT LIKE 'tmp_%';
DESCRIBE CONNECTION openai_prod;
DESCRIBE CONNECTION EXTENDED bedrock_us;

SELECT ticket_id, sentiment
FROM support_tickets,
LATERAL TABLE(ML_PREDICT('sentiment', body));

SELECT * FROM support_tickets, LATERAL TABLE(ML_PREDICT('summarize_ticket', body, MAP['async', 'true']));

INSERT INTO ticket_labels
SELECT ticket_id, label, 1.0 FROM support_tickets, LATERAL TABLE(ML_PREDICT('claude_triage', body)) AS t(label);

INSERT INTO ticket_embeddings
SELECT ticket_id, embedding FROM support_tickets, LATERAL TABLE(ML_PREDICT('embedder', body));

EXECUTE STATEMENT SET BEGIN
  INSERT INTO ticket_labels SELECT ticket_id, 'urgent', 0.9 FROM support_tickets WHERE body LIKE '%outage%';
  INSERT INTO ticket_labels SELECT ticket_id, 'billing', 0.8 FROM support_tickets WHERE body LIKE '%invoice%';
END;

EXPLAIN SELECT ticket_id FROM support_tickets WHERE customer = 'acme';

SHOW TABLES;
SHOW CREATE TABLE support_tickets;
DESCRIBE support_tickets;

DROP MODEL IF EXISTS claims_agent;
DROP MODEL embedder;
DROP TEMPORARY FUNCTION IF EXISTS redact;
DROP TABLE IF EXISTS ticket_embeddings;
DROP CONNECTION IF EXISTS vertex_eu;
DROP CONNECTION elastic_logs;
SHOW CONNECTIONS;
