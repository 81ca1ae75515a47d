import ConnectionEngine
import ConnectionTUI
import Foundation
import TerminalKit

/// Realistic connections with fixed times, so screens compare exactly.
enum Sample {
  static let time = 1_764_072_000.0  // 2025-11-25 12:00 UTC

  static func connection(
    _ name: String, type: String, endpoint: String?, secrets: [String] = [], options: [String: String] = [:],
    comment: String? = nil, version: Int64 = 1, database: String = "ai"
  ) -> ConnectionSummary {
    var all = options
    if let endpoint { all["endpoint"] = endpoint }
    var summary = ConnectionSummary(
      catalog: "default_catalog", database: database, name: name, type: type, endpoint: endpoint, comment: comment,
      options: all, secretKeys: secrets, isTemporary: false, version: version, updatedAt: time + Double(version) * 60)
    // Secrets set 10 days before `time` times the version: 10, 20, 30 days old at `time`.
    if !secrets.isEmpty { summary.secretsChangedAt = time - Double(version) * 10 * 86_400 }
    return summary
  }

  static let connections: [ConnectionSummary] = [
    connection("azure_gpt", type: "azureopenai", endpoint: "https://contoso-eu.openai.azure.com/openai", secrets: ["api-key"], comment: "EU region"),
    connection("bedrock_us", type: "bedrock", endpoint: "https://bedrock-runtime.us-east-1.amazonaws.com", secrets: ["aws-access-key", "aws-secret-key"]),
    connection("claude", type: "anthropic", endpoint: "https://api.anthropic.com/v1/messages", secrets: ["api-key"], version: 3),
    connection("mongo_orders", type: "mongodb", endpoint: "mongodb+srv://orders.demo.mongodb.net", secrets: ["password", "username"]),
    connection("openai_prod", type: "openai", endpoint: "https://api.openai.com/v1/chat/completions", secrets: ["api-key"], comment: "support bot", version: 2),
    connection("scratch", type: "default", endpoint: nil, options: ["owner": "data-platform", "region": "eu-west-1"]),
    connection("连接_东京", type: "openai", endpoint: "https://api.openai.com/v1/embeddings", secrets: ["api-key"]),
    connection("evil\u{1B}[2Jname", type: "rest", endpoint: "https://x\u{1B}]0;pwned\u{07}.example/\u{202E}txt", secrets: ["token"]),
  ]

  /// A state with the sample list loaded, at a size.
  static func state(_ size: Size = Size(width: 80, height: 24)) -> AppState {
    var state = AppState(size: size)
    state.now = time
    let listing = ConnectionListing(connections, catalog: "default_catalog", database: "ai")
    state.serve(reduce(&state, .connectionsLoaded(.success(listing), catalog: "default_catalog", database: "ai")))
    return state
  }
}

extension AppState {
  mutating func press(_ keys: Key...) {
    for key in keys { serve(reduce(&self, .input(.key(key)))) }
  }

  mutating func type(_ text: String) {
    for character in text { serve(reduce(&self, .input(.key(.character(character))))) }
  }

  /// Answers what a runtime answers from the sample list: a connection read whole.
  mutating func serve(_ effects: [AppEffect]) {
    for case .loadDetail(let name) in effects {
      let found = Sample.connections.first { $0.qualifiedName == name }
      serve(reduce(&self, .detailLoaded(name, found.map { .success($0) } ?? .failure(EngineError(.notFound, "not in the sample")))))
    }
  }

  var form: FormState? {
    if case .form(let form) = screen { return form }
    return nil
  }
}
