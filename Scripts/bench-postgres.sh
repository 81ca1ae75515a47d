#!/usr/bin/env bash
# Switchboard on PostgreSQL, as a user runs it: the installed (release, static runtime) binary as a
# whole process, beside `psql`, on a throw-away server over a Unix socket (as the tests start one).
#   - one `switchboard sql -f` ALTER on a catalog of 100,000 connections vs `psql -c` running the
#     equivalent single-row UPDATE (medians, interleaved);
#   - 16 concurrent writers x 100 ALTERs each (one process per ALTER): lost updates and throughput;
#   - the terminal UI's first screen on that catalog, measured in tmux.
# Usage: Scripts/bench-postgres.sh [runs]   (default 21)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bindir/initdb" ] || { echo "needs PostgreSQL's server binaries (apt-get install postgresql)"; exit 3; }

swift build -c release --static-swift-stdlib --product switchboard >/dev/null
swift build -c release --static-swift-stdlib --product switchboard-bench >/dev/null
bin=$PWD/.build/release/switchboard

work=$(mktemp -d /tmp/sb-pg-bench.XXXXXX)
as=""; if [ "$(id -u)" -eq 0 ]; then chown postgres "$work"; as="runuser -u postgres --"; fi
$as "$bindir/initdb" -D "$work/data" -A trust -U bench -E UTF8 --no-locale >/dev/null
$as "$bindir/pg_ctl" -D "$work/data" -o "-k $work -c listen_addresses=''" -l "$work/log" -w start >/dev/null
trap '$as "$bindir/pg_ctl" -D "$work/data" -m immediate stop >/dev/null; rm -rf "$work"' EXIT
psql=(psql -X -q -h "$work" -U bench)
"${psql[@]}" -d postgres -c "CREATE DATABASE catalog"
export SWITCHBOARD_CATALOG="postgresql://bench@/catalog?host=$work" XDG_CONFIG_HOME="$work/config" USER=bench
export SWITCHBOARD_MASTER_KEY=$(head -c 32 /dev/urandom | base64)

python3 Scripts/bench-seed.py "$work/seed.sql"
start=$(date +%s%N)
"$bin" sql -f "$work/seed.sql" --format csv >/dev/null
echo "seeded 100,000 connections in $(( ($(date +%s%N) - start) / 1000000 )) ms"
"${psql[@]}" -d catalog -c "VACUUM ANALYZE"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
sb=(); pq=()
for i in $(seq 1 "$runs"); do
  echo "ALTER CONNECTION c50000 SET ('endpoint' = 'https://api.example.com/v2/r$i')" > "$work/alter.sql"
  t0=$(date +%s%N)
  "$bin" sql -f "$work/alter.sql" >/dev/null
  t1=$(date +%s%N)
  "${psql[@]}" -d catalog -c "UPDATE switchboard.connections SET options = jsonb_set(options::jsonb, '{endpoint}', to_jsonb('https://api.example.com/v2/r$i'::text))::text, endpoint = 'https://api.example.com/v2/r$i', version = version + 1, updated_at = extract(epoch FROM now()) WHERE catalog = 'default_catalog' AND database = 'default_database' AND name = 'c50001'"
  t2=$(date +%s%N)
  sb+=($(( (t1 - t0) / 1000 ))); pq+=($(( (t2 - t1) / 1000 )))
done
s=$(printf '%s\n' "${sb[@]}" | median); p=$(printf '%s\n' "${pq[@]}" | median)
echo "one ALTER on 100,000 connections, median of $runs (target <= 2x psql):"
awk -v s="$s" -v p="$p" 'BEGIN {printf "  switchboard sql -f %.1f ms | psql -c UPDATE %.1f ms | %.2fx\n", s/1000, p/1000, s/p}'

echo "16 writers x 100 ALTERs (each ALTER its own process; every writer on its own connection and on c0):"
"$bin" sql -e "SHOW CONNECTIONS LIKE 'c0'" >/dev/null
before=$("${psql[@]}" -d catalog -At -c "SELECT version FROM switchboard.connections WHERE name = 'c0'")
start=$(date +%s%N)
for w in $(seq 1 16); do
  ( ok=0; for j in $(seq 1 100); do
      if [ $((j % 2)) -eq 0 ]; then target=c0; else target="c$((w * 2))"; fi
      echo "ALTER CONNECTION $target SET ('owner' = 'w$w-$j')" | "$bin" sql >/dev/null 2>>"$work/writers.err" && ok=$((ok + 1))
    done; echo "$ok" > "$work/ok.$w" ) &
done
wait
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
ok=$(cat "$work"/ok.* | awk '{s+=$1} END {print s}')
after=$("${psql[@]}" -d catalog -At -c "SELECT version FROM switchboard.connections WHERE name = 'c0'")
echo "  acknowledged $ok of 1600 in $elapsed ms ($(awk -v n="$ok" -v t="$elapsed" 'BEGIN {printf "%.0f", n*1000/t}') ALTERs/s); c0 moved $((after - before)) versions for 800 ALTERs ($((800 - (after - before))) lost)"

echo "terminal UI in process on the same catalog (filter and paging; a diagnosis beside the tmux figure):"
TUI_BENCH_CATALOG="$SWITCHBOARD_CATALOG" TUI_BENCH_FILTER=c9999 TUI_BENCH_WARMUPS=0 .build/release/switchboard-bench tui | grep -E "filter|page|first|whole|resident" | sed 's/^/  /'

if command -v tmux >/dev/null; then
  t0=$(date +%s%N)
  tmux -f /dev/null new-session -d -x 120 -y 35 -s sbbench "env TERM=screen $bin"
  while ! tmux capture-pane -p -t sbbench | grep -q "c10000 "; do sleep 0.005; done
  t1=$(date +%s%N)
  tmux kill-session -t sbbench
  echo "terminal UI, first full screen in tmux (process start to rows on screen; target <= 200 ms): $(( (t1 - t0) / 1000000 )) ms"
fi
