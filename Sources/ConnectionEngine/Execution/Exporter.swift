import Foundation
import TextSafety

/// Where `export` writes connections for, each with secrets as a placeholder the target
/// understands; never a value.
public enum ExportFormat: String, Sendable, CaseIterable {
  case sql, json
  case confluentCLI = "confluent-cli"
  case terraform
}

/// Connections written for another tool, and what that tool cannot hold as it is.
public struct Export: Sendable {
  public var text: String
  public var warnings: [String]
}

/// Turns connections (public options and secret key names: `ConnectionSummary` never holds a
/// secret value) into SQL, JSON, a Confluent CLI script or Terraform.
public enum Exporter {
  /// Confluent's REST name rule: lower-case letters, digits, `-` and `.`, at most 100.
  static func isConfluentName(_ name: String) -> Bool {
    !name.isEmpty && name.utf8.count <= 100
      && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }
  }

  /// The types Confluent's Terraform provider (`confluent_flink_connection`) takes, and the
  /// secret keys it has attributes for.
  static let terraformTypes: Set<String> = [
    "openai", "azureml", "azureopenai", "bedrock", "sagemaker", "googleai", "vertexai", "mongodb", "elastic", "pinecone", "couchbase",
  ]
  static let terraformSecrets: Set<String> = ["api-key", "aws-access-key", "aws-secret-key", "aws-session-token", "service-key", "username", "password"]
  /// The secret flags of `confluent flink connection create`.
  static let cliSecrets: Set<String> = [
    "api-key", "aws-access-key", "aws-secret-key", "aws-session-token", "service-key", "username", "password", "token",
    "token-endpoint", "client-id", "client-secret", "scope",
  ]

  public static func export(_ connections: [ConnectionSummary], as format: ExportFormat) -> Export {
    switch format {
    case .sql: return sql(connections)
    case .json: return json(connections)
    case .confluentCLI: return confluentCLI(connections)
    case .terraform: return terraform(connections)
    }
  }

  // MARK: SQL

  /// Flink SQL with every secret as `'******'`, the mask Switchboard shows everywhere; `import`
  /// reads it back as "missing", and Switchboard refuses it as a value, so it can never be
  /// stored as a secret by mistake.
  static func sql(_ connections: [ConnectionSummary]) -> Export {
    var text = "-- Exported by `switchboard export`. Secrets are '\(Masker.hidden)': fill them in before running this in Flink,\n"
    text += "-- or run `switchboard import -f FILE` and set them afterwards with ALTER CONNECTION ... SET.\n\n"
    for connection in connections {
      var (options, secretKeys) = connection.optionsAndSecretKeys
      options["type"] = connection.type
      for key in secretKeys { options[key] = Masker.hidden }
      text += "CREATE CONNECTION \(SQLPrinter.name(connection.qualifiedName))\n"
      if let comment = connection.comment, !comment.isEmpty { text += "COMMENT \(quoteLiteral(comment))\n" }
      text += "WITH (\n" + options.keys.sorted(by: javaOrder).map { "  \(quoteLiteral($0)) = \(quoteLiteral(options[$0]!))" }.joined(separator: ",\n") + "\n);\n\n"
    }
    return Export(text: text, warnings: [])
  }

  // MARK: JSON

  static func json(_ connections: [ConnectionSummary]) -> Export {
    let items: [JSONValue] = connections.map { connection in
      let (options, secretKeys) = connection.optionsAndSecretKeys
      var item: [String: JSONValue] = [
        "catalog": .string(connection.catalog), "database": .string(connection.database), "name": .string(connection.name),
        "type": .string(connection.type), "options": .sortedObject(options.mapValues { .string($0) }),
        "secrets": .array(secretKeys.sorted().map { .string($0) }), "version": .int(connection.version),
      ]
      if let comment = connection.comment { item["comment"] = .string(comment) }
      return .sortedObject(item)
    }
    return Export(text: JSONValue.array(items).pretty + "\n", warnings: [])
  }

  // MARK: Confluent CLI

  /// A shell script of `confluent flink connection create` commands; each secret is an
  /// environment variable the script requires (`${NAME:?...}`), never a value.
  static func confluentCLI(_ connections: [ConnectionSummary]) -> Export {
    var warnings: [String] = []
    var text = """
      #!/usr/bin/env bash
      # Exported by `switchboard export --format confluent-cli`. Set CONFLUENT_CLOUD, CONFLUENT_REGION and
      # every secret variable below (never on this command line), then run this script.
      set -euo pipefail
      : "${CONFLUENT_CLOUD:?set CONFLUENT_CLOUD to aws, azure or gcp}"
      : "${CONFLUENT_REGION:?set CONFLUENT_REGION to the Flink region}"


      """
    for connection in connections {
      let (options, secretKeys) = connection.optionsAndSecretKeys
      let label = "\(connection.catalog).\(connection.database).\(connection.name)"
      warnings += confluentWarnings(connection, label: label, options: options)
      var command = "confluent flink connection create \(shellQuote(connection.name)) \\\n  --cloud \"$CONFLUENT_CLOUD\" --region \"$CONFLUENT_REGION\" \\\n"
      command += "  --type \(shellQuote(connection.type))"
      if let endpoint = options["endpoint"] { command += " --endpoint \(shellQuote(endpoint))" }
      var requirements: [String] = []
      for key in secretKeys.sorted() {
        guard cliSecrets.contains(key) else {
          warnings.append("\(label): the Confluent CLI has no flag for secret '\(key)'; left out.")
          continue
        }
        let variable = environmentName(connection.name, key)
        // The message names no connection: a name inside double quotes could run as a command.
        requirements.append(": \"${\(variable):?must hold the \(key) of the connection above}\"")
        command += " \\\n  --\(key) \"$\(variable)\""
      }
      text += "# \(shellComment(label))\n" + requirements.map { $0 + "\n" }.joined() + command + "\n\n"
    }
    return Export(text: text, warnings: warnings)
  }

  // MARK: Terraform

  /// `confluent_flink_connection` resources with each secret a `sensitive` variable.
  static func terraform(_ connections: [ConnectionSummary]) -> Export {
    var warnings: [String] = []
    var text = """
      # Exported by `switchboard export --format terraform`. Secrets are sensitive variables: set them
      # with TF_VAR_... or a .tfvars file kept out of version control.

      variable "organization_id" { type = string }
      variable "environment_id" { type = string }
      variable "compute_pool_id" { type = string }
      variable "principal_id" { type = string }
      variable "flink_rest_endpoint" { type = string }
      variable "flink_api_key" {
        type      = string
        sensitive = true
      }
      variable "flink_api_secret" {
        type      = string
        sensitive = true
      }


      """
    var resourceNames: Set<String> = []
    for connection in connections {
      let (options, secretKeys) = connection.optionsAndSecretKeys
      let label = "\(connection.catalog).\(connection.database).\(connection.name)"
      warnings += confluentWarnings(connection, label: label, options: options)
      if !terraformTypes.contains(connection.type) {
        warnings.append("\(label): Terraform's confluent_flink_connection does not take type '\(connection.type)'.")
      }
      var resource = identifier(connection.name)
      while !resourceNames.insert(resource).inserted { resource += "_" }
      var body = """
        resource "confluent_flink_connection" "\(resource)" {
          organization { id = var.organization_id }
          environment { id = var.environment_id }
          compute_pool { id = var.compute_pool_id }
          principal { id = var.principal_id }
          rest_endpoint = var.flink_rest_endpoint
          credentials {
            key    = var.flink_api_key
            secret = var.flink_api_secret
          }
          display_name = \(hclString(connection.name))
          type         = \(hclString(connection.type.uppercased()))

        """
      if let endpoint = options["endpoint"] { body += "  endpoint     = \(hclString(endpoint))\n" }
      var variables = ""
      for key in secretKeys.sorted() {
        guard terraformSecrets.contains(key) else {
          warnings.append("\(label): Terraform has no attribute for secret '\(key)'; left out.")
          continue
        }
        let variable = "\(resource)_\(identifier(key))"
        variables += "variable \"\(variable)\" {\n  type      = string\n  sensitive = true\n}\n"
        body += "  \(identifier(key)) = var.\(variable)\n"
      }
      body += "  lifecycle {\n    prevent_destroy = true\n  }\n}\n\n"
      text += "# \(label.replacingOccurrences(of: "\n", with: " "))\n" + variables + body
    }
    return Export(text: text, warnings: warnings)
  }

  // MARK: Helpers

  private static func confluentWarnings(_ connection: ConnectionSummary, label: String, options: [String: String]) -> [String] {
    var warnings: [String] = []
    if !isConfluentName(connection.name) {
      warnings.append("\(label): Confluent connection names take only lower-case letters, digits, '-' and '.' (at most 100).")
    }
    if connection.type == "default" { warnings.append("\(label): Confluent needs a connection type; this connection has none.") }
    for key in options.keys.sorted() where key != "endpoint" {
      warnings.append("\(label): Confluent keeps only type, endpoint and secrets; option '\(key)' is left out.")
    }
    return warnings
  }

  /// `'text'` for a POSIX shell, `'` written as `'\''`. A character the terminal sanitiser would
  /// escape is written as its UTF-8 bytes in bash's `$'\xe2\x80\xae'` (the script runs under
  /// bash; `\u202e` there depends on the locale): written as it is, the sanitiser made it
  /// `\u{202E}`, which the shell passes on as those seven characters.
  static func shellQuote(_ text: String) -> String {
    var out = "'"
    for scalar in text.unicodeScalars {
      if scalar == "'" {
        out += "'\\''"
      } else if isUnsafe(scalar) {
        out += "'$'" + String(scalar).utf8.map { "\\x" + hex(UInt32($0), digits: 2, uppercase: false) }.joined() + "''"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out + "'"
  }

  /// A comment shows what the sanitiser would escape as `?`.
  private static func shellComment(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.map { isUnsafe($0) ? "?" : $0 }))
  }

  /// `OPENAI_PROD_API_KEY` from a connection name and a key.
  static func environmentName(_ name: String, _ key: String) -> String {
    let raw = (name + "_" + key).uppercased().unicodeScalars.map { ("A"..."Z").contains($0) || ("0"..."9").contains($0) ? String($0) : "_" }.joined()
    return raw.first.map { ("0"..."9").contains($0) } == true ? "_" + raw : raw
  }

  /// A Terraform identifier: letters, digits, `_` and `-`, not starting with a digit.
  static func identifier(_ text: String) -> String {
    let raw = text.lowercased().unicodeScalars.map { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" ? String($0) : "_" }.joined()
    return raw.isEmpty || raw.first.map({ ("0"..."9").contains($0) }) == true ? "c_" + raw : raw
  }

  /// An HCL string literal: quotes and backslashes escaped, every character the terminal
  /// sanitiser would escape written as `\u202e` (as it was, the sanitiser made it `\u{202E}`,
  /// which HCL refuses), and `${` / `%{` doubled so nothing in a value is read as a template.
  static func hclString(_ text: String) -> String {
    let scalars = Array(text.unicodeScalars)
    var out = "\""
    for (index, scalar) in scalars.enumerated() {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "$" where index + 1 < scalars.count && scalars[index + 1] == "{",
        "%" where index + 1 < scalars.count && scalars[index + 1] == "{":
        out.unicodeScalars.append(scalar)
        out.unicodeScalars.append(scalar)
      default:
        guard isUnsafe(scalar) else {
          out.unicodeScalars.append(scalar)
          continue
        }
        out += scalar.value <= 0xFFFF ? "\\u" + hex(scalar.value, digits: 4, uppercase: false) : "\\U" + hex(scalar.value, digits: 8, uppercase: false)
      }
    }
    return out + "\""
  }
}
