#!/usr/bin/env bash
# Runs every libFuzzer target for a time budget (seconds, default 60) and prints executions and
# findings per target. Crashes, leaks and timeouts are copied to
# Tests/ConnectionEngineTests/Fixtures/fuzz-regressions/<Target>/ where `swift test` replays them.
# Usage: Scripts/fuzz.sh [seconds] [target...]
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(Lexer Masker RoundTrip SecretRecord Sanitizer CatalogFile Script)

# SwiftPM's --sanitize=fuzzer drops the main alias; -Xswiftc restores ASan next to coverage
# (separate -sanitize= flags would keep only the last one).
# A failed build shows its errors (quiet otherwise). A build plan left from before a source file
# was added can miss it ("cannot find … in scope"): remove Fuzz/.build/release.yaml and build.db.
if ! build_log=$(swift build --package-path Fuzz -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address 2>&1); then
  echo "$build_log" | grep -E "error" | head -20
  exit 2
fi
bin=$(swift build --package-path Fuzz -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address --show-bin-path)

export SWIFT_BACKTRACE=enable=no  # the backtracer hides the real report under ASan
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
regressions=Tests/ConnectionEngineTests/Fixtures/fuzz-regressions
seeds=Tests/ConnectionEngineTests/Fixtures/fuzz-seeds
status=0
printf '%-14s %12s %10s %s\n' target executions findings note
for target in "${targets[@]}"; do
  mkdir -p "$work/$target/corpus" "$work/$target/artifacts"
  [ -d "$seeds" ] && cp "$seeds"/* "$work/$target/corpus/" 2>/dev/null || true
  # Whole Flink scripts seed the script reader too.
  [ "$target" = Script ] && cp Tests/ConnectionEngineTests/Fixtures/scripts/realistic/*.sql "$work/$target/corpus/"
  log="$work/$target/log"
  set +e
  "$bin/Fuzz$target" "$work/$target/corpus" -max_total_time="$budget" -timeout=10 -rss_limit_mb=2048 \
    -max_len=4096 -print_final_stats=1 -artifact_prefix="$work/$target/artifacts/" >"$log" 2>&1
  set -e
  if ! grep -q "inline 8-bit counters" "$log"; then
    echo "$target: not instrumented for coverage (see libFuzzer's log)"; status=1
  fi
  runs=$(grep -o "stat::number_of_executed_units: *[0-9]*" "$log" | grep -o "[0-9]*$" || echo 0)
  findings=$(ls "$work/$target/artifacts" | wc -l)
  note=""
  if [ "$findings" -gt 0 ]; then
    mkdir -p "$regressions/$target"
    cp "$work/$target/artifacts"/* "$regressions/$target/"
    note="saved to $regressions/$target"; status=1
    grep -m3 -E "Fatal error|ERROR: AddressSanitizer|ERROR: libFuzzer" "$log" || true
  fi
  printf '%-14s %12s %10s %s\n' "$target" "$runs" "$findings" "$note"
done
exit $status
