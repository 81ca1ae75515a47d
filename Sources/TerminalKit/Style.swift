/// How a cell looks. Colours are named, not numbered: the backend maps them, and drops them
/// under `NO_COLOR`, keeping bold, reverse and underline so nothing relies on colour alone.
public struct Style: Sendable, Hashable {
  public enum Color: UInt8, Sendable, Hashable, CaseIterable {
    case `default`, red, green, yellow, blue, magenta, cyan, gray
  }

  public var foreground: Color = .default
  public var bold = false
  public var dim = false
  public var reverse = false
  public var underline = false

  public init(foreground: Color = .default, bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false) {
    self.foreground = foreground
    self.bold = bold
    self.dim = dim
    self.reverse = reverse
    self.underline = underline
  }

  public static let plain = Style()
  public static let bold = Style(bold: true)
  public static let dim = Style(dim: true)
  public static let reverse = Style(reverse: true)
  public static let title = Style(foreground: .cyan, bold: true)
  public static let error = Style(foreground: .red, bold: true)
  public static let warning = Style(foreground: .yellow)
  public static let success = Style(foreground: .green)
  public static let accent = Style(foreground: .cyan)
  public static let match = Style(foreground: .yellow, underline: true)
  public static let selected = Style(reverse: true)
}
