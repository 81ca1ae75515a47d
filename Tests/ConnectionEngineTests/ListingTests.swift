import ConnectionEngine
import Foundation
import FuzzChecks
import Testing

/// The list's columnar rows: the same rows as the summaries, and a filter that finds exactly what
/// a plain substring search finds.
@Suite struct ListingTests {
  @Test(arguments: Backend.all) func theListingShowsWhatTheSummariesShow(backend: Backend) throws {
    let catalog = try TestCatalog(masterKey: VersionTests.key, backend: backend)
    let engine = try catalog.engine()
    // Names whose Java (UTF-16) order differs from code point order, one without secrets, two
    // secrets on one, and a temporary connection shadowing a permanent one.
    for name in ["e", "a", "`\u{E000}x`", "`\u{10000}y`", "d", "b"] {
      try engine.must("CREATE CONNECTION \(name) WITH ('type' = 'openai', 'endpoint' = 'https://h/\(name.count)', 'api-key' = 'k')")
    }
    try engine.must("CREATE CONNECTION bb WITH ('type' = 'default', 'region' = 'eu')")
    try engine.must("CREATE CONNECTION m WITH ('type' = 'mongodb', 'endpoint' = 'mongodb://h', 'username' = 'u', 'password' = 'p')")
    try engine.must("CREATE TEMPORARY CONNECTION d WITH ('type' = 'default', 'endpoint' = 'https://temp')")
    let summaries = try engine.connections(catalog: "default_catalog", database: "default_database")
    let all = try engine.listing()
    #expect(all.indices.map { all[$0] } == summaries.map(ListedConnection.init))
    #expect(all.indices.map { all.name($0) } == ["a", "b", "bb", "d", "e", "m", "\u{10000}y", "\u{E000}x"])
    #expect(all[5].secretKeys == ["password", "username"])
    #expect(all[3].isTemporary && all[3].endpoint == "https://temp")
    // The reader on its own connection gives the permanent rows; the session adds its temporary one.
    let read = try engine.listingReader().listing(catalog: "default_catalog", database: "default_database")
    #expect(read[3].isTemporary == false)
    let merged = engine.withTemporaries(read)
    #expect(merged.indices.map { merged[$0] } == all.indices.map { all[$0] })
    // Without a temporary connection, Java's order still comes first.
    try engine.must("DROP TEMPORARY CONNECTION d")
    let permanent = try engine.listing()
    #expect(permanent.indices.map { permanent.name($0) }.suffix(2) == ["\u{10000}y", "\u{E000}x"])
  }

  @Test func theFilterFindsWhatASubstringSearchFinds() {
    var random = SplitMix(seed: 0x715)
    let pieces = ["c", "C1", "9", "api", "Ä", "ß", "东京", "-", ".example", "x", "1"]
    func word() -> String { (0..<Int.random(in: 1...4, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined() }
    for count in [0, 1, 50, 100_003] {  // the last is searched in parts, in parallel
      var listing = ConnectionListing(catalog: "c", database: "d")
      var fields: [[[UInt8]]] = []
      for _ in 0..<count {
        let (name, type, endpoint) = (word(), word(), Bool.random(using: &random) ? word() : nil)
        listing.append(
          name: name, type: type, endpoint: endpoint, secretKeys: [], isTemporary: false, version: 1, updatedAt: 0,
          secretsChangedAt: nil)
        fields.append([name, type, endpoint ?? ""].map(lowercasedBytes))
      }
      for _ in 0..<(count > 1000 ? 6 : 40) {
        let needle = lowercasedBytes(word())
        let expected = fields.indices.filter { row in fields[row].contains { $0.firstRange(of: needle) != nil } }
        let found = listing.rows(containing: needle)
        #expect(found == expected, "count \(count), needle \(String(decoding: needle, as: UTF8.self))")
        #expect(listing.rows(containing: needle, among: Array(listing.indices)) == expected)  // in parts too
        // Candidates keep their order (another sort), many or few.
        #expect(listing.rows(containing: needle, among: listing.indices.reversed()) == expected.reversed())
        #expect(listing.rows(containing: needle, among: listing.indices.filter { $0 % 10 == 3 }.reversed()) == expected.filter { $0 % 10 == 3 }.reversed())
        // A needle that grew searches only the rows found before, with the same result.
        let longer = needle + lowercasedBytes(pieces.randomElement(using: &random)!)
        #expect(listing.rows(containing: longer, among: found) == listing.rows(containing: longer))
      }
    }
  }

  /// Every printable byte alone, and after another: a one-byte needle of an exact class is
  /// answered from the rows' byte classes only, so a class two bytes share would show here.
  @Test func everyByteFindsWhatASubstringSearchFinds() {
    var random = SplitMix(seed: 0xB17E)
    let alphabet = (0x20...0x7E).map { UInt8($0) } + Array("ÄéŁ东".utf8)
    func word() -> String {
      String(decoding: (0..<Int.random(in: 0...6, using: &random)).map { _ in alphabet.randomElement(using: &random)! }, as: UTF8.self)
    }
    var listing = ConnectionListing(catalog: "c", database: "d")
    var fields: [[[UInt8]]] = []
    for _ in 0..<3_000 {
      let (name, type, endpoint) = (word(), word(), word())
      listing.append(name: name, type: type, endpoint: endpoint, secretKeys: [], isTemporary: false, version: 1, updatedAt: 0, secretsChangedAt: nil)
      fields.append([name, type, endpoint].map(lowercasedBytes))
    }
    for byte in Set(alphabet.map { lowercasedBytes(String(decoding: [$0], as: UTF8.self)).first! }) {
      for needle in [[byte], [byte, alphabet.randomElement(using: &random)!]] {
        let expected = fields.indices.filter { row in fields[row].contains { $0.firstRange(of: needle) != nil } }
        #expect(listing.rows(containing: needle) == expected, "needle \(needle)")
        #expect(listing.rows(containing: needle, among: Array(listing.indices)) == expected, "needle \(needle)")
      }
    }
  }

  /// Results of more than 2 MB of row numbers are written into memory with room to spare (for
  /// huge pages): every row is there, in order, by both one-byte paths.
  @Test func aResultOfMegabytesHoldsEveryRow() {
    var listing = ConnectionListing(catalog: "c", database: "d")
    let count = 600_000
    for i in 0..<count {
      listing.append(
        name: "r\(i)" + (i % 5 == 0 ? "" : "~"), type: "t", endpoint: nil, secretKeys: [], isTemporary: false, version: 1, updatedAt: 0,
        secretsChangedAt: nil)
    }
    #expect(listing.rows(containing: Array("r".utf8)) == Array(0..<count))  // the class alone decides
    let tilde = listing.rows(containing: Array("~".utf8))  // the class and the text
    #expect(tilde.count == count / 5 * 4 && tilde == (0..<count).filter { $0 % 5 != 0 })
  }

  @Test func aNeedleNeverMatchesAcrossFieldsOrRows() {
    var listing = ConnectionListing(catalog: "c", database: "d")
    listing.append(name: "ab", type: "cd", endpoint: nil, secretKeys: [], isTemporary: false, version: 1, updatedAt: 0, secretsChangedAt: nil)
    listing.append(name: "ef", type: "gh", endpoint: "IJ", secretKeys: [], isTemporary: false, version: 1, updatedAt: 0, secretsChangedAt: nil)
    #expect(listing.rows(containing: Array("bc".utf8)).isEmpty)
    #expect(listing.rows(containing: Array("de".utf8)).isEmpty)
    #expect(listing.rows(containing: Array("ij".utf8)) == [1])
    #expect(listing.rows(containing: [0x68, 0]).isEmpty)
    #expect(listing[0].endpoint == nil && listing[1].endpoint == "IJ")
  }
}
