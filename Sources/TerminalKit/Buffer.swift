/// One screen of cells: what `render` produces and a backend shows. A wide character occupies
/// its cell and the next, which holds `""` (a continuation).
public struct Cell: Sendable, Hashable {
  public var text: String
  public var style: Style
  public init(_ text: String = " ", _ style: Style = .plain) {
    self.text = text
    self.style = style
  }
  public static let blank = Cell()
}

public struct Buffer: Sendable, Equatable {
  public let size: Size
  public private(set) var cells: [Cell]
  /// Where the terminal cursor should be (for text fields), if shown.
  public var cursor: (x: Int, y: Int)?

  public init(size: Size) {
    self.size = size
    cells = Array(repeating: .blank, count: max(0, size.width * size.height))
  }

  public static func == (a: Buffer, b: Buffer) -> Bool {
    a.size == b.size && a.cells == b.cells && a.cursor?.x == b.cursor?.x && a.cursor?.y == b.cursor?.y
  }

  public subscript(x: Int, y: Int) -> Cell {
    get { cells[y * size.width + x] }
    set { cells[y * size.width + x] = newValue }
  }

  public func row(_ y: Int) -> ArraySlice<Cell> { cells[(y * size.width)..<((y + 1) * size.width)] }

  /// Writes text from (x, y), clipped to `maxWidth` columns and the screen. Text is sanitised
  /// here, so nothing drawn can carry a control character or escape sequence to the terminal.
  /// Returns the column after the last one written.
  @discardableResult
  public mutating func write(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
    guard y >= 0, y < size.height, x < size.width else { return x }
    let limit = min(size.width, x + (maxWidth ?? size.width))
    var column = x
    for character in sanitizedForTerminal(text) {
      let width = displayWidth(of: character)
      if width == 0 { continue }
      if column + width > limit { break }
      if column >= 0 {
        put(Cell(String(character), style), x: column, y: y)
        if width == 2 { put(Cell("", style), x: column + 1, y: y) }
      }
      column += width
    }
    return column
  }

  /// Sets one cell, blanking the other half of any wide character it cuts in two.
  private mutating func put(_ cell: Cell, x: Int, y: Int) {
    let old = self[x, y]
    if old.text.isEmpty && x > 0 && !cell.text.isEmpty { self[x - 1, y].text = " " }
    if !old.text.isEmpty && x + 1 < size.width && self[x + 1, y].text.isEmpty && !(cell.text.isEmpty) {
      self[x + 1, y].text = " "
    }
    self[x, y] = cell
  }

  /// Fills a rectangle with a style (and blanks).
  public mutating func fill(_ rect: Rect, style: Style = .plain) {
    for y in max(0, rect.y)..<min(size.height, rect.maxY) {
      for x in max(0, rect.x)..<min(size.width, rect.maxX) { put(Cell(" ", style), x: x, y: y) }
    }
  }

  /// Applies a style to existing cells (selection bars, highlights).
  public mutating func restyle(_ rect: Rect, _ change: (inout Style) -> Void) {
    for y in max(0, rect.y)..<min(size.height, rect.maxY) {
      for x in max(0, rect.x)..<min(size.width, rect.maxX) { change(&self[x, y].style) }
    }
  }

  /// The screen as plain text, one line per row, trailing blanks trimmed (for snapshots).
  public var text: String {
    (0..<size.height).map { y in
      var line = ""
      for cell in row(y) { line += cell.text }
      while line.hasSuffix(" ") { line.removeLast() }
      return line
    }.joined(separator: "\n")
  }
}
