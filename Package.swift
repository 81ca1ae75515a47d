// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

/// Release builds link SQLite, ncursesw and the C++ runtime (which the Swift runtime needs)
/// statically, as they do the Swift runtime: loading the shared libraries cost every short
/// command about 1.2 ms of its start (their symbol relocations, mostly libstdc++'s ~3,000).
/// `StaticLink/` holds linker scripts named as the shared libraries (`libsqlite3.so`, ...),
/// each pointing at the library's archive; release builds search that folder first.
let staticLink = String(#filePath.dropLast("Package.swift".count)) + "StaticLink"

let package = Package(
  name: "Switchboard",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "switchboard", targets: ["switchboard"]),
    .library(name: "ConnectionEngine", targets: ["ConnectionEngine"]),
    .library(name: "TerminalKit", targets: ["TerminalKit"]),
    .library(name: "FuzzChecks", targets: ["FuzzChecks"]),
  ],
  dependencies: [
    // SQLite access with migrations, WAL and typed errors.
    .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    // AES-GCM and HKDF for the secret store.
    .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    // Masked statement log, opt-in through SWITCHBOARD_LOG.
    .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    // Property tests for the ALTER builder, printer and masker.
    .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
  ],
  targets: [
    // The one sanitiser for text that reaches a terminal; no dependencies.
    .target(name: "TextSafety", swiftSettings: strict),
    .target(
      name: "ConnectionEngine",
      dependencies: [
        "TextSafety",
        .product(name: "GRDB", package: "GRDB.swift"),
        // SQLite's C API, for the driver's hot path (binding without GRDB's generic arguments).
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    // ncursesw, wrapped once: the module map and a C shim for its macros.
    // No pkg-config: its -L for the system's library folder would come before StaticLink.
    .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),
    // Cells, buffer, keys, line editing, a curses and a headless backend; knows nothing of connections.
    .target(name: "TerminalKit", dependencies: ["CNcursesw", "TextSafety"], swiftSettings: strict),
    // The properties the fuzz targets (Fuzz/) check; swift test replays saved inputs through them.
    .target(name: "FuzzChecks", dependencies: ["ConnectionEngine", "TerminalKit"], swiftSettings: strict),
    // The terminal UI: state, actions, effects, a pure reducer and view, and the runtime loop.
    .target(name: "ConnectionTUI", dependencies: ["ConnectionEngine", "TerminalKit"], swiftSettings: strict),
    .executableTarget(
      name: "switchboard",
      dependencies: [
        "ConnectionEngine",
        "ConnectionTUI",
        "TerminalKit",
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict,
      // lld packs the binary's ~90,000 relative relocations (DT_RELR), which the loader otherwise
      // applies one by one at every start: about a millisecond of a short command.
      linkerSettings: [
        .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic"]),
        .unsafeFlags(["-L", staticLink], .when(configuration: .release)),
      ]
    ),
    .executableTarget(
      name: "switchboard-bench",
      dependencies: ["ConnectionEngine", "ConnectionTUI", "TerminalKit"],
      path: "Sources/SwitchboardBench",
      swiftSettings: strict
    ),
    // A throw-away PostgreSQL cluster for the tests (initdb, a Unix socket in a temporary folder).
    .target(name: "PostgresTestServer", path: "Tests/PostgresTestServer", swiftSettings: strict),
    .testTarget(
      name: "ConnectionEngineTests",
      dependencies: [
        "ConnectionEngine",
        "PostgresTestServer",
        "TextSafety",
        "FuzzChecks",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      exclude: ["Fixtures"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "ConnectionTUITests",
      dependencies: ["ConnectionTUI", "ConnectionEngine", "TerminalKit", "FuzzChecks", "PostgresTestServer"],
      exclude: ["Snapshots"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "SwitchboardCLITests",
      dependencies: ["switchboard", "FuzzChecks", "PostgresTestServer"],
      exclude: ["Fixtures"],
      swiftSettings: strict
    ),
  ]
)
