#!/usr/bin/env bash
# Issue 11's ingest proof: POST /usage/batches takes the batches of 20 resource-server instances each doing
# 25k requests/s (one batch per instance every 10 s, 5,000 entries: 500 users x 5 routes x 2 status classes), with
# p99 < 50 ms, on H2 and on PostgreSQL; then the same instances sending back-to-back (stress). Starts ./jot serve on
# a free loopback port with a fresh data directory (and, for PostgreSQL, a fresh schema in database `test` on
# 127.0.0.1:5432, dropped afterwards), runs bench/UsageIngest.java against it, prints its lines.
#
#   bench/usage-ingest.sh                       both databases, 60 s paced + 30 s stress each
#   DBS=h2 PACED=30 STRESS=10 bench/usage-ingest.sh
#   INSTANCES=20 RATE=25000 ENTRIES=5000 bench/usage-ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DBS=${DBS:-"h2 postgres"}
INSTANCES=${INSTANCES:-20}
RATE=${RATE:-25000}
ENTRIES=${ENTRIES:-5000}
PACED=${PACED:-60}
STRESS=${STRESS:-30}
PG_URL=${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}
PG_USER=${PG_USER:-postgres}
for v in INSTANCES RATE ENTRIES PACED STRESS; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "usage-ingest: $v must be a positive integer" >&2; exit 2; }
done
JAVA=$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1); JAVA=${JAVA:-java}
./jot --version >/dev/null   # builds jot-cli/target/jot.jar when needed
ADMIN=bench-admin
PASSWORD="correct horse battery staple"

for DB in $DBS; do
  PORT=$((20000 + RANDOM % 10000))
  DATA=$(mktemp -d)
  LOG=$DATA/server.log
  SCHEMA=""
  ENV=(JOT_ADMIN_USERNAME=$ADMIN JOT_ADMIN_PASSWORD="$PASSWORD")
  if [ "$DB" = postgres ]; then
    SCHEMA=bench_usage_$$_$RANDOM
    psql -h 127.0.0.1 -U "$PG_USER" -d test -qc "CREATE SCHEMA $SCHEMA" >/dev/null
    ENV+=(JOT_DB_URL="$PG_URL?currentSchema=$SCHEMA" JOT_DB_USER="$PG_USER")
  fi
  env "${ENV[@]}" ./jot serve --port "$PORT" --data-dir "$DATA" >"$LOG" 2>&1 &
  SERVER=$!
  cleanup() {
    kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true
    [ -n "$SCHEMA" ] && psql -h 127.0.0.1 -U "$PG_USER" -d test -qc "DROP SCHEMA $SCHEMA CASCADE" >/dev/null 2>&1 || true
    rm -rf "$DATA"
  }
  trap cleanup EXIT
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
  echo "== $DB"
  "$JAVA" bench/UsageIngest.java "http://127.0.0.1:$PORT" "$ADMIN" "$PASSWORD" "$INSTANCES" "$RATE" "$ENTRIES" \
    "$PACED" "$STRESS"
  echo "server errors in the log: $(grep -c ' ERROR ' "$LOG" || true)"
  cleanup
  trap - EXIT
done
