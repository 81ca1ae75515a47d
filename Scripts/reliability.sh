#!/usr/bin/env bash
# Produces the figures of the README's "Reliability and security" table: fuzzing per target,
# the kill -9 loop, concurrent writers, bad inputs and canary scans (the tests that carry them).
# Usage: Scripts/reliability.sh [fuzz seconds per target, default 60]
set -uo pipefail
cd "$(dirname "$0")/.."
budget=${1:-60}
echo "== fuzzing, ${budget}s per target"
Scripts/fuzz.sh "$budget"
fuzz=$?
echo "== faults, bad inputs, canaries"
swift test --filter "FaultTests|CanaryTests|noCanaryInAnyOutputOrFile|BadEnvironmentTests|CLIRobustnessTests|TerminalUITests|FuzzRegressionTests|MaskerTests" 2>&1 \
  | grep -E "kill -9 loop|Test run|✘" 
tests=${PIPESTATUS[0]}
exit $(( fuzz || tests ))
