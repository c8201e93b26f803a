#!/usr/bin/env bash
# Fault test (issue 10): PostgreSQL stopped for 10 s under load. Expected: 503 + Retry-After while it is down,
# full service after, no lost user or session (every user that got 201 logs in; every session's latest refresh
# token refreshes). Uses the machine's PostgreSQL (127.0.0.1:5432, trust auth, database test) in a fresh
# schema, and ALWAYS starts PostgreSQL again. Loopback only; about 45 s.
#   bench/fault-postgres.sh [WORKERS]          (default 16)
set -euo pipefail
cd "$(dirname "$0")/.."
WORKERS=${1:-16}
CLUSTER=$(ls /etc/postgresql | head -1)
PG() { pg_ctlcluster --skip-systemctl-redirect "$CLUSTER" main "$1"; }
SCHEMA=fault_$(date +%s)
PORT=$((20000 + RANDOM % 10000))
DATA=$(mktemp -d)
JAVA=$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1); JAVA=${JAVA:-java}
psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE SCHEMA $SCHEMA"
./jot --version >/dev/null
JOT_DB_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$SCHEMA" JOT_DB_USER=postgres \
  JOT_THROTTLE_ADDRESS_FREE=1000000 JOT_THROTTLE_REGISTER_FREE=1000000 JOT_ARGON2_MEMORY_KIB=4096 JOT_ARGON2_ITERATIONS=1 \
  ./jot serve --port "$PORT" --data-dir "$DATA" >"$DATA/server.log" 2>&1 &
SERVER=$!
cleanup() {
  PG start 2>/dev/null || true
  kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" || true
  rm -rf "$DATA"
}
trap cleanup EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
"$JAVA" bench/Faults.java load "http://127.0.0.1:$PORT" 40 "$WORKERS" "$DATA/ledger" > "$DATA/load.txt" &
LOAD=$!
sleep 10; echo "$(date +%T) stopping PostgreSQL"; PG stop
sleep 10; echo "$(date +%T) starting PostgreSQL"; PG start
wait $LOAD
cat "$DATA/load.txt"
echo "-- after the outage: every user that got a 201, and every session"
"$JAVA" bench/Faults.java verify "http://127.0.0.1:$PORT" "$DATA/ledger"
echo "500s in the server log: $(grep -c ' 500 \|Unhandled error' "$DATA/server.log" || true)"
