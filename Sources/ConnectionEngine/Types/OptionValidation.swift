/// A problem with a connection's options for its type. Messages name keys, never values (an
/// unknown type is quoted unless it carries a credential).
public struct OptionProblem: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    case unknownType(String, suggestion: String?)
    case undeclaredKey(String, suggestion: String?)
    case missingKey(String)
    case missingCredentials(groups: [[String]])
    case incompleteCredentials(missing: [String])
    case reservedKey(String)
    case invalidValue(key: String, allowed: [String])
  }

  public let kind: Kind

  public var description: String {
    switch kind {
    case .unknownType(let name, let suggestion):
      // The type is a public value, quoted as every display path shows one: not when it carries
      // a credential, which a missing comma joins on (`'openai' 'https://u:pw@h'` is one literal).
      let quoted = CredentialCheck.finding(in: name) == nil ? " '\(sanitizedForMessage(name))'" : " (not shown: it carries a credential)"
      return "Unknown connection type" + quoted
        + (suggestion.map { "; did you mean '\($0)'?" } ?? ". Known types: \(ConnectionType.names.joined(separator: ", ")).")
    case .undeclaredKey(let key, let suggestion):
      return "Unknown option '\(sanitizedForMessage(key))'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ".")
    case .missingKey(let key):
      return "Missing required option '\(key)'."
    case .missingCredentials(let groups):
      return "Missing credentials: set one of " + groups.map { $0.map { "'\($0)'" }.joined(separator: " + ") }.joined(separator: ", or ") + "."
    case .incompleteCredentials(let missing):
      return "Incomplete credentials: also set " + missing.map { "'\($0)'" }.joined(separator: ", ") + "."
    case .reservedKey(let key):
      return "Connection option '\(key)' is reserved and cannot be set by users."
    case .invalidValue(let key, let allowed):
      return "Option '\(key)' must be one of " + allowed.map { "'\($0)'" }.joined(separator: ", ") + "."
    }
  }
}

public enum OptionValidation {
  /// Flink's internal reference to a connection's secret; never settable.
  public static let reservedKey = "__flink.encrypted-secret-key__"

  /// The type a set of options names (`default` without `'type'`), or the problem with it.
  public static func type(of options: [String: String]) -> Result<ConnectionType, OptionProblem> {
    guard let name = options["type"] else { return .success(ConnectionType.named("default")!) }
    if let type = ConnectionType.named(name) { return .success(type) }
    return .failure(OptionProblem(kind: .unknownType(name, suggestion: closest(to: name.lowercased(), among: ConnectionType.names))))
  }

  /// Everything wrong with `options` (all keys, secret or not) for `type`.
  public static func problems(_ options: [String: String], for type: ConnectionType) -> [OptionProblem] {
    keyProblems(options.keys.sorted(), for: type) + valueProblems(for: type) { options[$0] }
  }

  /// The keys of `keys` that `type` does not take, and the reserved key, in the order given.
  static func keyProblems(_ keys: [String], for type: ConnectionType) -> [OptionProblem] {
    var problems: [OptionProblem] = []
    for key in keys {
      if key == reservedKey {
        problems.append(OptionProblem(kind: .reservedKey(key)))
      } else if !type.declares(key) {
        problems.append(OptionProblem(kind: .undeclaredKey(key, suggestion: closest(to: key, among: type.declaredKeys))))
      }
    }
    return problems
  }

  /// What `type`'s values lack: a required key, credentials, a transport type it knows. `value`
  /// gives a key's value (nil when the key is not given): `check` asks a statement's few options
  /// in place, without building a dictionary of them for every statement.
  static func valueProblems(for type: ConnectionType, value: (String) -> String?) -> [OptionProblem] {
    var problems: [OptionProblem] = []
    for key in type.requiredKeys where (value(key) ?? "").isEmpty {
      problems.append(OptionProblem(kind: .missingKey(key)))
    }
    if !type.authGroups.isEmpty {
      func isSet(_ key: String) -> Bool { !(value(key) ?? "").isEmpty }
      if !type.authGroups.contains(where: { $0.allSatisfy(isSet) }) {
        let started = type.authGroups.first { $0.contains(where: isSet) }
        if let started, type.authGroups.count > 1 || started.count > 1 {
          problems.append(OptionProblem(kind: .incompleteCredentials(missing: started.filter { !isSet($0) })))
        } else if type.authGroups.count == 1 {
          for key in type.authGroups[0] { problems.append(OptionProblem(kind: .missingKey(key))) }
        } else {
          problems.append(OptionProblem(kind: .missingCredentials(groups: type.authGroups)))
        }
      }
    }
    if type.declares("transport-type"), !type.acceptsAnyKey, let transport = value("transport-type"),
      !["SSE", "STREAMABLE_HTTP"].contains(transport.uppercased())
    {
      problems.append(OptionProblem(kind: .invalidValue(key: "transport-type", allowed: ["SSE", "STREAMABLE_HTTP"])))
    }
    return problems
  }
}

extension OptionValidation {
  /// The credentials `type` requires that a connection with these public options and secret keys
  /// lacks: `api-key`, or `one of api-key | username+password` (names only, never values).
  public static func missingSecrets(publicOptions: [String: String], secretKeys: [String], type: ConnectionType) -> [String] {
    var options = publicOptions
    for key in secretKeys { options[key] = "set" }
    var missing: [String] = []
    for problem in problems(options, for: type) {
      switch problem.kind {
      case .missingKey(let key) where SecretPolicy.isSecret(key, type: type): missing.append(key)
      case .incompleteCredentials(let keys): missing += keys
      case .missingCredentials(let groups): missing.append("one of " + groups.map { $0.joined(separator: "+") }.joined(separator: " | "))
      default: break
      }
    }
    return missing
  }
}
