/// The command line, declared once per command: parsing, help and usage errors all come from a
/// `CommandSpec`. (swift-argument-parser did this by reflection, which cost a short command
/// most of its start-up: every first type check scans all of the binary's conformance records.)
///
/// Accepted: `--name value`, `--name=value`, `-n value`, flags `--name`, `--` before positional
/// arguments that begin with `-`, and `-h`/`--help` anywhere before `--`. Errors never quote an
/// argument's value: a statement given in the wrong place may carry a secret.
struct CommandSpec {
  var name: String
  var abstract: String
  var discussion = ""
  var options: [OptionSpec] = []
  var arguments: [ArgumentSpec] = []

  func option(_ spelled: String) -> OptionSpec? { options.first { $0.spelled == spelled } }
}

struct OptionSpec {
  enum Kind { case flag, value, repeated }
  /// `catalog` for `--catalog`, `e` for `-e`.
  var name: String
  var kind: Kind
  var valueName: String
  var help: String

  var spelled: String { name.count == 1 ? "-" + name : "--" + name }

  static func flag(_ name: String, _ help: String) -> OptionSpec { OptionSpec(name: name, kind: .flag, valueName: "", help: help) }
  static func value(_ name: String, _ valueName: String, _ help: String) -> OptionSpec {
    OptionSpec(name: name, kind: .value, valueName: valueName, help: help)
  }
  static func repeated(_ name: String, _ valueName: String, _ help: String) -> OptionSpec {
    OptionSpec(name: name, kind: .repeated, valueName: valueName, help: help)
  }
}

struct ArgumentSpec {
  enum Count { case one, optional, any }
  var name: String
  var count: Count
  var help: String
}

/// What one command line said, checked against its spec.
struct ParsedArguments {
  let spec: CommandSpec
  /// What was given, in order: the option (or argument) each value belongs to, and the value ("" for
  /// a flag). Plain arrays, not dictionaries: a short command pays for each new generic type.
  private var optionNames: [String] = []
  private var optionValues: [String] = []
  private var argumentNames: [String] = []
  private var argumentValues: [String] = []
  /// `-h` or `--help` was given: the caller prints the help instead of running anything.
  private(set) var wantsHelp = false

  init(_ arguments: [String], spec: CommandSpec) throws(CLIError) {
    self.spec = spec
    var loose: [String] = []
    var index = 0
    var optionsEnded = false
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
        loose.append(argument)
        continue
      }
      if argument == "--" {
        optionsEnded = true
        continue
      }
      if argument == "-h" || argument == "--help" {
        wantsHelp = true
        continue
      }
      let (spelled, attached) = Self.split(argument)
      guard let option = spec.option(spelled) else {
        let nearest = spec.options.map(\.spelled).first { Self.isNearMiss(spelled, $0) }
        throw spec.usageError("Unknown option (argument \(index))" + (nearest.map { "; did you mean \($0)?" } ?? "."))
      }
      switch option.kind {
      case .flag:
        if attached != nil { throw spec.usageError("\(spelled) takes no value.") }
        optionNames.append(option.name)
        optionValues.append("")
      case .value, .repeated:
        let value: String
        if let attached {
          value = attached
        } else {
          guard index < arguments.count else { throw spec.usageError("Missing value for \(spelled) <\(option.valueName)>.") }
          value = arguments[index]
          index += 1
        }
        optionNames.append(option.name)
        optionValues.append(value)
      }
    }
    if wantsHelp { return }
    var rest = loose[...]
    for argument in spec.arguments {
      switch argument.count {
      case .one:
        guard let first = rest.popFirst() else { throw spec.usageError("Missing expected argument <\(argument.name)>.") }
        argumentNames.append(argument.name)
        argumentValues.append(first)
      case .optional:
        if let first = rest.popFirst() {
          argumentNames.append(argument.name)
          argumentValues.append(first)
        }
      case .any:
        argumentNames += Array(repeating: argument.name, count: rest.count)
        argumentValues += rest
        rest = []
      }
    }
    if !rest.isEmpty {
      let count = rest.count
      throw spec.usageError("\(count) unexpected argument\(count == 1 ? "" : "s") (not shown: it may be a statement).")
    }
  }

  /// Whether `typed` is one or two edits from `known`. The message names the known option and
  /// never quotes what was typed: `-e'ALTER …'` run together, or a secret, may be in it.
  private static func isNearMiss(_ typed: String, _ known: String) -> Bool {
    let a = Array(typed.utf8), b = Array(known.utf8)
    guard abs(a.count - b.count) <= 2 else { return false }
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      var row = [i] + Array(repeating: 0, count: b.count)
      for j in 1...max(b.count, 1) where !b.isEmpty {
        row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = row
    }
    return previous[b.count] <= 2
  }

  /// `--name=value` as (`--name`, `value`); a short option never has a value attached.
  private static func split(_ argument: String) -> (String, String?) {
    guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
    return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
  }

  func flag(_ name: String) -> Bool { optionNames.contains(declared(name, .flag)) }

  /// The option's value; given more than once, the last one counts.
  func string(_ name: String) -> String? { strings(of: declared(name, .value)).last }

  func strings(_ name: String) -> [String] { strings(of: declared(name, .repeated)) }

  private func strings(of name: String) -> [String] {
    optionNames.indices.filter { optionNames[$0] == name }.map { optionValues[$0] }
  }

  func integer<T: FixedWidthInteger>(_ name: String, as type: T.Type = Int.self) throws(CLIError) -> T? {
    guard let text = string(name) else { return nil }
    guard let value = T(text) else { throw spec.usageError("--\(name) takes a whole number.") }
    return value
  }

  func argument(_ name: String) -> String? { arguments(name).first }
  func arguments(_ name: String) -> [String] {
    let name = declaredArgument(name)
    return argumentNames.indices.filter { argumentNames[$0] == name }.map { argumentValues[$0] }
  }

  /// A command reading a name its spec does not declare is a programming error, caught by the
  /// tests that parse every command.
  private func declared(_ name: String, _ kind: OptionSpec.Kind) -> String {
    precondition(spec.options.contains { $0.name == name && $0.kind == kind }, "\(spec.name) does not declare \(kind) \(name)")
    return name
  }

  private func declaredArgument(_ name: String) -> String {
    precondition(spec.arguments.contains { $0.name == name }, "\(spec.name) does not declare argument \(name)")
    return name
  }
}

extension CommandSpec {
  var usage: String {
    var parts = [name == Main.name ? name : "\(Main.name) \(name)"]
    for option in options {
      let shape = option.kind == .flag ? option.spelled : "\(option.spelled) <\(option.valueName)>"
      parts.append(option.kind == .repeated ? "[\(shape) ...]" : "[\(shape)]")
    }
    for argument in arguments {
      switch argument.count {
      case .one: parts.append("<\(argument.name)>")
      case .optional: parts.append("[<\(argument.name)>]")
      case .any: parts.append("[<\(argument.name)> ...]")
      }
    }
    return parts.joined(separator: " ")
  }

  func usageError(_ problem: String) -> CLIError {
    let help = name == Main.name ? "\(Main.name) --help" : "\(Main.name) \(name) --help"
    return CLIError(.usage, "\(problem)\nUsage: \(usage)\n  See '\(help)' for more information.")
  }

  func help(subcommands: [CommandSpec] = []) -> String {
    var text = "OVERVIEW: \(abstract)\n\n"
    if !discussion.isEmpty { text += wrapped(discussion, indent: 0) + "\n\n" }
    text += "USAGE: \(usage)\n\n"
    if !arguments.isEmpty {
      text += "ARGUMENTS:\n"
      for argument in arguments { text += entry("<\(argument.name)>", argument.help) }
      text += "\n"
    }
    text += "OPTIONS:\n"
    for option in options {
      text += entry(option.kind == .flag ? option.spelled : "\(option.spelled) <\(option.valueName)>", option.help)
    }
    text += entry("-h, --help", "Show help information.")
    if !subcommands.isEmpty {
      text += "\nSUBCOMMANDS:\n"
      for command in subcommands { text += entry(command.name, command.abstract) }
      text += "\n  See '\(Main.name) help <subcommand>' for detailed help.\n"
    }
    return text
  }

  private func entry(_ label: String, _ help: String) -> String {
    let column = 26
    let first = "  " + label
    if first.count < column - 1 {
      return first + String(repeating: " ", count: column - first.count) + wrapped(help, indent: column).dropFirst(column) + "\n"
    }
    return first + "\n" + wrapped(help, indent: column) + "\n"
  }

  /// `text` in lines of at most 100 columns, each indented by `indent` spaces.
  private func wrapped(_ text: String, indent: Int) -> String {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      if !line.isEmpty && indent + line.count + 1 + word.count > 100 {
        lines.append(line)
        line = ""
      }
      line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    let pad = String(repeating: " ", count: indent)
    return lines.map { pad + $0 }.joined(separator: "\n")
  }
}

/// A command of the command line: what it takes, and how it runs.
protocol Command: Sendable {
  static var spec: CommandSpec { get }
  init(_ arguments: ParsedArguments) throws(CLIError)
  func run() throws
}

/// Ends the process with this status after the command has said what it had to.
struct ExitCode: Error {
  var rawValue: Int32
  init(_ rawValue: Int32) { self.rawValue = rawValue }
}
