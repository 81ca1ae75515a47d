// swift-tools-version:6.1
// libFuzzer targets for Switchboard. A package of its own, so the main package keeps no unsafe
// flags. Build and run with Scripts/fuzz.sh (it passes the sanitizer flags that work on Linux).
import PackageDescription

let fuzzTargets = ["FuzzLexer", "FuzzMasker", "FuzzRoundTrip", "FuzzSecretRecord", "FuzzSanitizer", "FuzzCatalogFile", "FuzzScript"]

let package = Package(
  name: "SwitchboardFuzz",
  dependencies: [.package(name: "Switchboard", path: "..")],
  targets: fuzzTargets.map { name in
    .executableTarget(
      name: name, dependencies: [.product(name: "FuzzChecks", package: "Switchboard")], path: "Sources/\(name)",
      swiftSettings: [.unsafeFlags(["-parse-as-library"])])
  }
)
