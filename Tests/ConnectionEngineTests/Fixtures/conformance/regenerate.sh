#!/usr/bin/env bash
# Rebuilds conformance.tsv from Apache Flink 2.3.0's own parser (needs Java 17 and pip).
# Output columns: statement (base64) | accept/reject | line | column | exception class | message (base64).
# The jars are downloaded into a temporary folder and never committed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${FLINK_WORK:-$(mktemp -d)}
if [ ! -d "$work/pyflink/lib" ]; then
  pip download -q --no-deps -d "$work" apache-flink-libraries==2.3.0
  (cd "$work" && unzip -q -o apache_flink_libraries-2.3.0-*.whl 'pyflink/lib/*')
fi
cp=$(ls "$work"/pyflink/lib/*.jar | tr '\n' ':')
javac -d "$work" -cp "$cp" "$here/Oracle.java"
python3 "$here/corpus.py" > "$work/in.b64"
java -cp "$cp$work" Oracle "$work/in.b64" "$work/out.tsv" 2>/dev/null
paste "$work/in.b64" <(cut -f2- "$work/out.tsv") > "$here/conformance.tsv"
echo "$(wc -l < "$here/conformance.tsv") statements -> conformance.tsv"
