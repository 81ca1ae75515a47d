#!/usr/bin/env bash
# Switchboard benchmarks (release build). Prints the figures the issues ask for:
#   - parse and mask throughput (in process, switchboard-bench);
#   - one `switchboard sql -f` ALTER on a 100,000-connection catalog, as a whole process, against
#     `sqlite3` running the equivalent single-row UPDATE on a copy of the same database;
#   - resident memory of opening that catalog.
# Usage: Scripts/bench.sh [runs]   (default 30 runs per process measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
command -v sqlite3 >/dev/null || { echo "bench.sh needs sqlite3 (apt-get install sqlite3)"; exit 3; }

echo "== build (release, static Swift runtime: start-up is the cost of a short-lived CLI)"
swift build -c release --static-swift-stdlib --product switchboard >/dev/null
swift build -c release --static-swift-stdlib --product switchboard-bench >/dev/null
bin=.build/release/switchboard

echo "== in process"
.build/release/switchboard-bench

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" USER=bench
export SWITCHBOARD_MASTER_KEY=$(head -c 32 /dev/urandom | base64)
catalog="$work/catalog.sqlite"

echo "== a catalog of 100,000 connections"
python3 Scripts/bench-seed.py "$work/seed.sql"
start=$(date +%s%N)
"$bin" sql --catalog "$catalog" -f "$work/seed.sql" --format csv >/dev/null
echo "seeded in $(( ($(date +%s%N) - start) / 1000000 )) ms; catalog $(du -h "$catalog" | cut -f1)"
sqlite3 "$catalog" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
cp "$catalog" "$work/plain.sqlite"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
sb_times=()
sq_times=()
for i in $(seq 1 "$runs"); do
  echo "ALTER CONNECTION c50000 SET ('endpoint' = 'https://api.example.com/v2/r$i')" > "$work/alter.sql"
  t0=$(date +%s%N)
  "$bin" sql --catalog "$catalog" -f "$work/alter.sql" >/dev/null
  t1=$(date +%s%N)
  sqlite3 "$work/plain.sqlite" "PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; UPDATE connections SET options = json_set(options, '$.endpoint', 'https://api.example.com/v2/r$i'), endpoint = 'https://api.example.com/v2/r$i', version = version + 1, updated_at = (julianday('now') - 2440587.5) * 86400.0 WHERE catalog = 'default_catalog' AND database = 'default_database' AND name = 'c50000';" >/dev/null
  t2=$(date +%s%N)
  sb_times+=($(( (t1 - t0) / 1000 )))
  sq_times+=($(( (t2 - t1) / 1000 )))
done
sb=$(printf '%s\n' "${sb_times[@]}" | median)
sq=$(printf '%s\n' "${sq_times[@]}" | median)
echo "== one ALTER as a whole process on 100,000 connections (median of $runs, interleaved)"
echo "switchboard sql -f : $(awk -v t="$sb" 'BEGIN {printf "%.2f", t/1000}') ms"
echo "sqlite3 UPDATE     : $(awk -v t="$sq" 'BEGIN {printf "%.2f", t/1000}') ms"
echo "ratio              : $(awk -v a="$sb" -v b="$sq" 'BEGIN {printf "%.2f", a/b}') x   (target <= 3)"

secret_times=()
for i in $(seq 1 9); do
  echo "ALTER CONNECTION c50001 SET ('api-key' = 'bench-rotated-$i')" > "$work/rotate.sql"
  t0=$(date +%s%N); "$bin" sql --catalog "$catalog" -f "$work/rotate.sql" >/dev/null; t1=$(date +%s%N)
  secret_times+=($(( (t1 - t0) / 1000 )))
done
echo "secret rotation    : $(printf '%s\n' "${secret_times[@]}" | median | awk '{printf "%.2f", $1/1000}') ms (median of 9; key derivation + AES-GCM)"

echo "== resident memory on the 100,000-connection catalog"
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
echo "open + SHOW CURRENT CATALOG : $(rss "$bin" sql --catalog "$catalog" -e "SHOW CURRENT CATALOG") KB (target <= 51200)"
echo "open + one ALTER            : $(rss "$bin" sql --catalog "$catalog" -f "$work/alter.sql") KB"
echo "SHOW CONNECTIONS (100k rows): $(rss "$bin" sql --catalog "$catalog" --format csv -e "SHOW CONNECTIONS") KB"

echo "== terminal UI on the 100,000-connection catalog"
.build/release/switchboard-bench tui
if command -v tmux >/dev/null; then
  # The real binary in a real (tmux) terminal: time to the first screen with rows, and memory.
  sock="sb-bench-$$"
  start=$(date +%s%N)
  tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 35 \
    "SWITCHBOARD_MASTER_KEY=$SWITCHBOARD_MASTER_KEY XDG_CONFIG_HOME=$XDG_CONFIG_HOME $bin --catalog $catalog"
  until tmux -L "$sock" capture-pane -p | grep -q "c1000 "; do sleep 0.005; done
  shown=$(( ($(date +%s%N) - start) / 1000000 ))
  until tmux -L "$sock" capture-pane -p | grep -q "100000 connections"; do sleep 0.005; done
  whole=$(( ($(date +%s%N) - start) / 1000000 ))
  pid=$(pgrep -n -x switchboard)
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
  tmux -L "$sock" send-keys q
  sleep 0.2; tmux -L "$sock" kill-server 2>/dev/null || true
  echo "real process in tmux: first rows on screen ${shown} ms (incl. tmux start and polling), whole list ${whole} ms, resident ${rss} MB (target <= 100)"
fi
