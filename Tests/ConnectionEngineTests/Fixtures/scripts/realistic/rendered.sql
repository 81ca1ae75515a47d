-- Written by `switchboard render` for Flink's SQL client (sql-client.sh -i FILE) or a gateway
-- session. It holds secrets in clear: keep it private and delete it when the session has started.

CREATE CONNECTION `default_catalog`.`default_database`.`mcp`
WITH (
  'endpoint' = 'https://mcp.example.com',
  'token' = 'U&''\0041''',
  'transport-type' = 'SSE',
  'type' = 'mcp_server'
);

CREATE CONNECTION `shop`.`sales`.`bedrock_us`
WITH (
  'aws-access-key' = 'AKIARENDER',
  'aws-secret-key' = 'line one
line two',
  'aws-session-token' = 'tök€n ✓',
  'endpoint' = 'https://bedrock-runtime.us-east-1.amazonaws.com',
  'type' = 'bedrock'
);

CREATE CONNECTION `shop`.`sales`.`openai_prod`
COMMENT 'the team''s key'
WITH (
  'api-key' = 'sk-render-canary-1',
  'endpoint' = 'https://api.openai.com/v1',
  'type' = 'openai'
);

CREATE CONNECTION `shop`.`sales`.`warehouse jdbc`
WITH (
  'endpoint' = 'jdbc:postgresql://warehouse:5432/reporting',
  'password' = 'it''s -- not a comment; really',
  'type' = 'confluent_jdbc',
  'username' = 'flink'
);

