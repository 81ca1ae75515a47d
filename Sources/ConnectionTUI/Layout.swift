import TerminalKit

/// Where things go for a terminal size. Shared by `render` and by the reducer (page size,
/// mouse hits), so both agree.
struct Layout {
  static let minimum = Size(width: 40, height: 10)

  let size: Size
  init(_ size: Size) { self.size = size }

  var isTooSmall: Bool { size.width < Self.minimum.width || size.height < Self.minimum.height }

  /// Wide terminals show the detail beside the list; others below it.
  var detailBeside: Bool { size.width >= 110 }
  var listWidth: Int { detailBeside ? size.width * 3 / 5 : size.width }
  var columnHeaderY: Int { 1 }
  var listTop: Int { 2 }
  var statusY: Int { size.height - 2 }
  var footerY: Int { size.height - 1 }
  var detailHeight: Int { detailBeside ? 0 : min(9, max(3, (size.height - 6) / 3)) }
  var listHeight: Int {
    detailBeside ? statusY - listTop : max(1, statusY - listTop - detailHeight - 1)
  }
  var detailRect: Rect {
    detailBeside
      ? Rect(x: listWidth + 1, y: 1, width: size.width - listWidth - 1, height: statusY - 1)
      : Rect(x: 0, y: listTop + listHeight, width: size.width, height: detailHeight + 1)
  }

  struct Columns {
    var name: Int
    var type: Int
    var endpoint: Int
    var secrets: Int
    var age: Int
    var updated: Int
  }

  /// Column widths for the list; narrow lists drop `updated`, then the secrets' age, then `secrets`.
  var columns: Columns {
    let width = listWidth - 1  // the selection marker
    var c = Columns(name: max(10, width * 28 / 100), type: 13, endpoint: 0, secrets: 16, age: 12, updated: 17)
    if width < 100 { c.updated = 0 }
    if width < 72 { c.age = 0 }
    if width < 64 { c.secrets = 0 }
    if width < 48 { c.type = 0 }
    c.endpoint = max(0, width - c.name - c.type - c.secrets - c.age - c.updated)
    return c
  }

  /// The sortable column under x in the column header.
  func column(atX x: Int) -> SortOrder.Column? {
    let c = columns
    var edge = 1 + c.name
    if x < edge { return .name }
    edge += c.type
    if x < edge { return c.type > 0 ? .type : nil }
    edge += c.endpoint
    if x < edge { return .endpoint }
    edge += c.secrets
    if x < edge { return nil }
    edge += c.age
    if x < edge { return c.age > 0 ? .secretAge : nil }
    return c.updated > 0 && x < edge + c.updated ? .updated : nil
  }
}
