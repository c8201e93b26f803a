#!/usr/bin/env bash
# Fault test (issue 10): kill -9 of the server during a registration storm. Expected: after a restart every
# user that got a 201 exists and logs in, and no user is half-written (each name the storm tried logs in or
# does not exist: never a 500). Embedded H2 by default; PostgreSQL with DB=postgres. Loopback only; ~30 s.
#   bench/fault-kill.sh [WORKERS]              (default 32)
set -euo pipefail
cd "$(dirname "$0")/.."
WORKERS=${1:-32}
PORT=$((20000 + RANDOM % 10000))
DATA=$(mktemp -d)
JAVA=$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1); JAVA=${JAVA:-java}
export JOT_THROTTLE_ADDRESS_FREE=1000000 JOT_THROTTLE_REGISTER_FREE=1000000 JOT_ARGON2_MEMORY_KIB=4096 JOT_ARGON2_ITERATIONS=1
if [[ "${DB:-h2}" == postgres ]]; then
  SCHEMA=fault_$(date +%s)
  psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE SCHEMA $SCHEMA"
  export JOT_DB_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$SCHEMA" JOT_DB_USER=postgres
fi
./jot --version >/dev/null
start() { ./jot serve --port "$PORT" --data-dir "$DATA" >>"$DATA/server.log" 2>&1 & SERVER=$!
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done; }
cleanup() { kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true
  [[ -n "${SCHEMA:-}" ]] && psql -q -h 127.0.0.1 -U postgres -d test -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE"; rm -rf "$DATA"; }
trap cleanup EXIT
start
"$JAVA" bench/Faults.java storm "http://127.0.0.1:$PORT" 15 "$WORKERS" "$DATA/ledger" > "$DATA/storm.txt" &
STORM=$!
sleep 6
PID=$(pgrep -f "jot.jar serve --port $PORT" | head -1)
echo "$(date +%T) kill -9 $PID during the storm"; kill -9 "$PID"
wait $STORM || true
tail -n 12 "$DATA/storm.txt"
echo "answers read: $(grep -c '^user .* 201' "$DATA/ledger") x 201, $(grep -c '^user' "$DATA/ledger") in all"
start
echo "-- after restart: each name the storm tried"
"$JAVA" bench/Faults.java verify "http://127.0.0.1:$PORT" "$DATA/ledger"
