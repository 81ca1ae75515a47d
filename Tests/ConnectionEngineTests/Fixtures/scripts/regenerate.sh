#!/usr/bin/env bash
# Rebuilds scripts.tsv from Apache Flink 2.3.0's own parser, reading each script whole as Flink's
# SqlStmtList (parse only: nothing is executed). Needs Java 17 and pip; the jars are downloaded
# into a temporary folder and never committed.
# Columns: script (base64) | accept/reject | line | column | statements | statement starts | message (base64).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${FLINK_WORK:-$(mktemp -d)}
if [ ! -d "$work/pyflink/lib" ]; then
  pip download -q --no-deps -d "$work" apache-flink-libraries==2.3.0
  (cd "$work" && unzip -q -o apache_flink_libraries-2.3.0-*.whl 'pyflink/lib/*')
fi
# The planner's classes (and Flink's parser) sit inside the loader jar; put them on the class path.
[ -f "$work/flink-table-planner.jar" ] || (cd "$work" && unzip -q -o pyflink/lib/flink-table-planner-loader-2.3.0.jar flink-table-planner.jar)
cp="$(ls "$work"/pyflink/lib/*.jar | grep -v planner-loader | tr '\n' ':')$work/flink-table-planner.jar"
javac -d "$work" -cp "$cp" "$here/ScriptOracle.java"
python3 "$here/corpus.py" > "$work/scripts.b64"
java -cp "$cp:$work" ScriptOracle "$work/scripts.b64" "$work/scripts.out" 2>/dev/null
paste "$work/scripts.b64" "$work/scripts.out" > "$here/scripts.tsv"
echo "$(wc -l < "$here/scripts.tsv") scripts -> scripts.tsv"
