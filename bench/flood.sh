#!/usr/bin/env bash
# Issue 10's admission-control proof: a server in a child JVM limited to -Xmx256m, default Argon2 (19 MiB,
# t=2), 500 concurrent logins (3 rounds each), and one legitimate login sent during the flood. Expected: no
# OutOfMemoryError, no 5xx but 503 (+ Retry-After), the legitimate login 200 or 503 within --hash-deadline.
#   bench/flood.sh [CONCURRENT] [ROUNDS]      (defaults 500 3; loopback only, stops by itself)
set -euo pipefail
cd "$(dirname "$0")/.."
CONCURRENT=${1:-500}
ROUNDS=${2:-3}
PORT=$((20000 + RANDOM % 10000))
DATA=$(mktemp -d)
LOG=$DATA/server.log
JAVA=$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1); JAVA=${JAVA:-java}
./jot --version >/dev/null   # builds jot-cli/target/jot.jar when needed
JOT_JAVA_OPTS="-Xmx256m -XX:+ExitOnOutOfMemoryError" JOT_THROTTLE_ADDRESS_FREE=1000000 \
  ./jot serve --port "$PORT" --data-dir "$DATA" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
PID=$(pgrep -f "jot.jar serve --port $PORT" | head -1 || true)
"$JAVA" bench/Flood.java "http://127.0.0.1:$PORT" "$CONCURRENT" "$ROUNDS"
echo "server alive after the flood: $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health")"
[[ -n "$PID" ]] && echo "server RSS: $(( $(awk '/VmHWM/ {print $2}' /proc/$PID/status) / 1024 )) MiB peak"
echo "OutOfMemoryError in the server log: $(grep -c OutOfMemoryError "$LOG" || true)"
