import ConnectionEngine
import Foundation

/// The demo catalog: `Resources/demo.sql`, compiled in so an installed binary needs no resource
/// files (a test keeps the two identical).
enum DemoCatalog {
  static let script = #"""
-- Switchboard demo catalog: a dozen connections of several types in two databases.
-- Every secret here is fake and says so.
CREATE DATABASE IF NOT EXISTS default_catalog.ai COMMENT 'model providers';
CREATE DATABASE IF NOT EXISTS default_catalog.data COMMENT 'stores and services';

CREATE CONNECTION default_catalog.ai.openai_prod COMMENT 'GPT models for the support bot' WITH (
  'type' = 'openai',
  'endpoint' = 'https://api.openai.com/v1/chat/completions',
  'api-key' = 'demo-fake-openai-key-0001'
);
CREATE CONNECTION default_catalog.ai.openai_staging WITH (
  'type' = 'openai',
  'endpoint' = 'https://api.openai.com/v1/embeddings',
  'api-key' = 'demo-fake-openai-key-0002'
);
CREATE CONNECTION default_catalog.ai.azure_gpt COMMENT 'EU region deployment' WITH (
  'type' = 'azureopenai',
  'endpoint' = 'https://contoso-eu.openai.azure.com/openai/deployments/gpt-4o/chat/completions',
  'api-key' = 'demo-fake-azure-key-0003'
);
CREATE CONNECTION default_catalog.ai.claude WITH (
  'type' = 'anthropic',
  'endpoint' = 'https://api.anthropic.com/v1/messages',
  'api-key' = 'demo-fake-anthropic-key-0004'
);
CREATE CONNECTION default_catalog.ai.bedrock_us WITH (
  'type' = 'bedrock',
  'endpoint' = 'https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku/invoke',
  'aws-access-key' = 'DEMOFAKEACCESSKEY0005',
  'aws-secret-key' = 'demo-fake-aws-secret-0005'
);
CREATE CONNECTION default_catalog.ai.vertex_gemini WITH (
  'type' = 'vertexai',
  'endpoint' = 'https://us-central1-aiplatform.googleapis.com/v1/projects/demo/locations/us-central1/publishers/google/models/gemini-1.5-pro:generateContent',
  'service-key' = 'demo-fake-service-key-0006'
);
CREATE CONNECTION default_catalog.ai.pinecone_docs WITH (
  'type' = 'pinecone',
  'endpoint' = 'https://docs-index-demo.svc.us-east1-gcp.pinecone.io/query',
  'api-key' = 'demo-fake-pinecone-key-0007'
);
CREATE CONNECTION default_catalog.data.mongo_orders COMMENT 'orders replica set' WITH (
  'type' = 'mongodb',
  'endpoint' = 'mongodb+srv://orders.demo.mongodb.net',
  'username' = 'flink_reader',
  'password' = 'demo-fake-mongo-password-0008'
);
CREATE CONNECTION default_catalog.data.couchbase_sessions WITH (
  'type' = 'couchbase',
  'endpoint' = 'couchbases://cb.demo.cloud.couchbase.com',
  'username' = 'sessions',
  'password' = 'demo-fake-couchbase-password-0009'
);
CREATE CONNECTION default_catalog.data.warehouse_jdbc WITH (
  'type' = 'confluent_jdbc',
  'endpoint' = 'jdbc:postgresql://warehouse.demo.internal:5432/analytics',
  'username' = 'flink',
  'password' = 'demo-fake-jdbc-password-0010'
);
CREATE CONNECTION default_catalog.data.search_elastic WITH (
  'type' = 'elastic',
  'endpoint' = 'https://search.demo.es.io:9243',
  'api-key' = 'demo-fake-elastic-key-0011'
);
CREATE CONNECTION default_catalog.data.billing_api COMMENT 'internal REST service, OAuth' WITH (
  'type' = 'rest',
  'endpoint' = 'https://billing.demo.internal/api',
  'token-endpoint' = 'https://auth.demo.internal/oauth2/token',
  'client-id' = 'flink-billing',
  'client-secret' = 'demo-fake-client-secret-0012',
  'scope' = 'billing.read'
);
CREATE CONNECTION default_catalog.data.tools_mcp WITH (
  'type' = 'mcp_server',
  'endpoint' = 'https://tools.demo.internal/mcp',
  'transport-type' = 'STREAMABLE_HTTP',
  'token' = 'demo-fake-bearer-token-0013'
);
CREATE CONNECTION default_catalog.data.scratch WITH (
  'region' = 'eu-west-1',
  'owner' = 'data-platform'
);
USE default_catalog.ai
"""#

  /// A fresh catalog in a temporary folder, with a master key that lives only in this process.
  static func open(user: String?) throws(EngineError) -> (Engine, cleanup: () -> Void) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-demo-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    let catalog = folder.appendingPathComponent("catalog.sqlite").path
    CrashCleanup.remove(files: [catalog, catalog + "-wal", catalog + "-shm", catalog + "-journal"], thenFolder: folder.path)
    var key = [UInt8](repeating: 0, count: 32)
    var generator = SystemRandomNumberGenerator()
    for i in key.indices { key[i] = UInt8.random(in: 0...255, using: &generator) }
    let environment = ["SWITCHBOARD_MASTER_KEY": Data(key).base64EncodedString(), "USER": user ?? "demo"]
    let engine = try Engine(catalogPath: catalog, environment: environment, user: user)
    for outcome in engine.run(script: script) {
      if case .failure(let error) = outcome.result { throw error }
    }
    return (engine, { try? FileManager.default.removeItem(at: folder) })
  }
}
