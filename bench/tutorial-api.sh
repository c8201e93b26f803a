#!/usr/bin/env bash
# bench/tutorial-api.sh — the tutorial API (examples/tutorial-api, jot-guard's Javalin plugin) under wrk next to
# Jot's own GET /me, and how fast a logout at Jot reaches it through the revocation feed (see bench/README.md).
#
#   bench/tutorial-api.sh                               warm-up 20 s + 20 s measured per route, then 20 logouts (~2 min)
#   WARMUP=5s DURATION=5s LOGOUTS=5 bench/tutorial-api.sh
#   JOT_JAVA_OPTS="-XX:+UseSerialGC" bench/tutorial-api.sh   extra JVM options for both processes
#
# Starts ./jot serve and ./jot example tutorial-api on free 127.0.0.1 ports with a fresh data directory; makes
# an admin (registered, then `jot admin grant-role` with the server stopped, as H2 requires) whose token reads
# the revocation feed; then, with the same user token, wrk (THREADS x CONNECTIONS) on Jot's GET /me and on the
# API's GET /private, one after the other (the other process idle), each after its own warm-up. Then LOGOUTS
# times: log in, call /private (200, and now cached), POST /logout at Jot, and poll /private until it answers
# 401; the time from the logout's answer to the first 401 is one sample (curl per poll: a few ms of resolution).
# Prints a table, writes it to bench/results/, exits non-zero if a step fails or a response was unexpected.
set -euo pipefail

WARMUP=${WARMUP:-20s}
DURATION=${DURATION:-20s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
LOGOUTS=${LOGOUTS:-20}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-120}   # seconds; the first run builds the example's jar

BENCH=$(cd "$(dirname "$0")" && pwd -P)
ROOT=$(dirname "$BENCH")
LUA=$BENCH/status.lua
RESULTS_DIR=${RESULTS_DIR:-$BENCH/results}

say() { printf 'tutorial-api: %s\n' "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }

for v in WARMUP DURATION; do
  [[ ${!v} =~ ^[1-9][0-9]*[smh]?$ ]] || die "$v must look like 20s, 2m or 30 (seconds), was '${!v}'"
done
for v in THREADS CONNECTIONS LOGOUTS STARTUP_TIMEOUT; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, was '${!v}'"
done

for tool in curl awk sed grep sort; do
  command -v "$tool" >/dev/null 2>&1 || die "needs $tool"
done
if ! command -v wrk >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "wrk is not installed and there is no apt-get: install wrk and rerun"
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "installing wrk needs root (no sudo found): apt-get install wrk"
    SUDO=(sudo)
  fi
  say "installing wrk (apt-get install -y wrk) ..."
  if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >&2; then
    "${SUDO[@]}" apt-get update >&2 || die "apt-get update failed, cannot install wrk"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >&2 || die "could not install wrk"
  fi
fi
WRK_VERSION=$(wrk --version 2>&1 | head -n 1 | awk '{print $2}') || true

TMP=$(mktemp -d "${TMPDIR:-/tmp}/jot-tutorial.XXXXXX")
DATA=$TMP/data
JOT_PID=""
API_PID=""

stop() { # stop PID: SIGTERM, then SIGKILL after 20 s
  local pid=$1 i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 200; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  stop "$API_PID"
  stop "$JOT_PID"
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  local p
  for p in $(shuf -i 20000-60000 -n 50); do
    if ! { exec 3<>"/dev/tcp/127.0.0.1/$p"; } 2>/dev/null; then
      printf '%s\n' "$p"
      return 0
    fi
    exec 3>&-
  done
  die "no free port found"
}

# wait_for URL NAME PID: until URL answers (any status), at most STARTUP_TIMEOUT seconds
wait_for() {
  local i
  for ((i = 0; i < STARTUP_TIMEOUT * 10; i++)); do
    kill -0 "$3" 2>/dev/null || { cat "$TMP/$2.out" >&2; die "$2 exited during start-up"; }
    if curl --noproxy '*' -s -o /dev/null --max-time 1 "$1"; then return 0; fi
    sleep 0.1
  done
  die "$2 did not answer within ${STARTUP_TIMEOUT}s"
}

JOT_PORT=$(free_port)
JOT=http://127.0.0.1:$JOT_PORT
ISSUER=http://localhost:$JOT_PORT

start_jot() {
  "$ROOT/jot" serve --bind 127.0.0.1 --port "$JOT_PORT" --data-dir "$DATA" --access-token-ttl 1h \
    >>"$TMP/jot.out" 2>&1 &
  JOT_PID=$!
  wait_for "$JOT/health" jot "$JOT_PID"
}

say "building if needed and starting jot serve on port $JOT_PORT ..."
"$ROOT/jot" --version >/dev/null || die "./jot --version failed"
start_jot

PASSWORD="correct horse battery staple"
json() { printf '{"username":"%s","password":"%s"}' "$1" "$PASSWORD"; }
post() { curl --noproxy '*' -s --max-time 30 -H 'Content-Type: application/json' "$@"; }
token_of() { sed -n 's/.*"access_token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p'; }

for u in ada root; do
  code=$(post -o /dev/null -w '%{http_code}' -d "$(json $u)" "$JOT/register")
  [ "$code" = 201 ] || die "POST /register $u answered $code"
done
say "granting root the admin role (server stopped: H2 is single-process) ..."
stop "$JOT_PID"; JOT_PID=""
"$ROOT/jot" admin grant-role root admin --data-dir "$DATA" >&2 || die "jot admin grant-role failed"
start_jot

ADMIN_TOKEN=$(post -d "$(json root)" "$JOT/login" | token_of)
USER_TOKEN=$(post -d "$(json ada)" "$JOT/login" | token_of)
[ -n "$ADMIN_TOKEN" ] && [ -n "$USER_TOKEN" ] || die "login failed"

API_PORT=$(free_port)
API=http://127.0.0.1:$API_PORT
say "starting ./jot example tutorial-api on port $API_PORT (feed read with the admin's token) ..."
JOT_ISSUER=$ISSUER JOT_REVOCATIONS_TOKEN=$ADMIN_TOKEN API_PORT=$API_PORT "$ROOT/jot" example tutorial-api \
  >"$TMP/api.out" 2>&1 &
API_PID=$!
wait_for "$API/public" api "$API_PID"

code=$(curl --noproxy '*' -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $USER_TOKEN" "$API/private")
[ "$code" = 200 ] || die "GET /private with the user's token answered $code"
code=$(curl --noproxy '*' -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $USER_TOKEN" "$JOT/me")
[ "$code" = 200 ] || die "GET /me with the user's token answered $code"

FAILURES=()
ROWS=()
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u != "ms") n = -1; printf "%.2f\n", n }'
}
run_wrk() { # NAME URL DURATION: sets RPS P50 P99 BAD
  local f=$TMP/wrk-$1.txt
  say "wrk $1: $THREADS threads, $CONNECTIONS connections, $3 ..."
  BENCH_EXPECT=200 wrk -t "$THREADS" -c "$CONNECTIONS" -d "$3" --latency -s "$LUA" \
    -H "Authorization: Bearer $USER_TOKEN" "$2" >"$f" 2>&1 || { cat "$f" >&2; die "wrk failed"; }
  RPS=$(awk '/^Requests\/sec:/ {print $2}' "$f")
  P50=$(awk '$1 == "50%" {print $2}' "$f")
  P99=$(awk '$1 == "99%" {print $2}' "$f")
  BAD=$(awk '$1 == "LUA_UNEXPECTED" {print $2}' "$f")
  local sock
  sock=$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$f")
  [ "${BAD:-x}" = 0 ] || FAILURES+=("$1: ${BAD:-?} responses were not 200")
  [ "${sock:-0}" = 0 ] || FAILURES+=("$1: socket errors")
  say "  $RPS requests/s, p50 $P50, p99 $P99"
}
scenario() { # NAME URL
  run_wrk "$1-warmup" "$2" "$WARMUP"
  sleep 2
  run_wrk "$1" "$2" "$DURATION"
  ROWS+=("$1|$RPS|$P50|$P99|$BAD")
  eval "RPS_$1=\$RPS P99_$1=\$P99"
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
scenario me "$JOT/me"
scenario private "$API/private"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- revocation latency
SAMPLES=()
for ((i = 1; i <= LOGOUTS; i++)); do
  login=$(post -d "$(json ada)" "$JOT/login")
  t=$(printf '%s' "$login" | token_of)
  code=$(curl --noproxy '*' -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $t" "$API/private")
  [ "$code" = 200 ] || die "logout $i: /private answered $code before the logout"
  code=$(post -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $t" -d '{}' "$JOT/logout")
  [ "$code" = 204 ] || die "logout $i: POST /logout answered $code"
  t0=${EPOCHREALTIME/[.,]/}
  while :; do
    code=$(curl --noproxy '*' -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $t" "$API/private")
    t1=${EPOCHREALTIME/[.,]/}
    [ "$code" = 401 ] && break
    [ "$code" = 200 ] || die "logout $i: /private answered $code"
    [ $((t1 - t0)) -lt 30000000 ] || die "logout $i: still accepted 30 s after the logout"
  done
  SAMPLES+=("$(((t1 - t0) / 1000))")
done
read -r MEDIAN MAX < <(printf '%s\n' "${SAMPLES[@]}" | sort -n | awk '{ a[NR] = $1 } END {
  m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; print m, a[NR] }')

# ---- summary
JAVA_VERSION=$(awk -F'"' '/^JAVA_VERSION=/ {print $2}' "$(dirname "$(dirname "$(readlink -f "/proc/$JOT_PID/exe")")")/release" 2>/dev/null || true)
CORES=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
mark() { if awk "BEGIN { exit !($1) }"; then printf 'met'; else printf 'MISSED'; fi; }
summary() {
  printf 'Tutorial API vs Jot /me, %s -- JDK %s, %s cores, wrk %s, %s threads x %s connections, warm-up %s + %s\n' \
    "$(date -u '+%Y-%m-%d %H:%M:%SZ')" "$JAVA_VERSION" "$CORES" "$WRK_VERSION" "$THREADS" "$CONNECTIONS" "$WARMUP" "$DURATION"
  [ -z "${JOT_JAVA_OPTS:-}" ] || printf 'JOT_JAVA_OPTS=%s\n' "$JOT_JAVA_OPTS"
  printf 'load average before the wrk runs %s, after %s (other processes on the machine skew both routes alike)\n' \
    "$LOAD_BEFORE" "$LOAD_AFTER"
  printf '\n%-28s %10s %10s %10s %12s\n' "route (valid user token)" "req/s" "p50" "p99" "unexpected"
  local row name rps p50 p99 bad
  for row in "${ROWS[@]}"; do
    IFS='|' read -r name rps p50 p99 bad <<<"$row"
    printf '%-28s %10s %10s %10s %12s\n' "$([ "$name" = me ] && echo "Jot GET /me" || echo "tutorial GET /private")" \
      "$rps" "$p50" "$p99" "$bad"
  done
  local ratio p99ms
  ratio=$(awk -v a="$RPS_private" -v b="$RPS_me" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  p99ms=$(to_ms "$P99_private")
  printf '\n/private / /me = %s\n' "$ratio"
  printf 'revocation: %s logouts, from the logout answer to the first 401 at the tutorial API: median %s ms, max %s ms\n' \
    "$LOGOUTS" "$MEDIAN" "$MAX"
  printf '            samples (ms): %s\n' "${SAMPLES[*]}"
  printf '\ntargets (issue 14):\n'
  printf '  %-44s %s\n' \
    "GET /private >= 0.9 x GET /me" "$(mark "$ratio >= 0.9")" \
    "GET /private p99 < 10 ms" "$(mark "$p99ms >= 0 && $p99ms < 10")" \
    "revocation max < 1 s" "$(mark "$MAX < 1000")"
  if [ "${#FAILURES[@]}" -gt 0 ]; then
    printf '\nFAILED:\n'
    printf '  - %s\n' "${FAILURES[@]}"
  else
    printf '\nall steps passed: every response had the expected status\n'
  fi
}
mkdir -p "$RESULTS_DIR"
RESULT_FILE=$RESULTS_DIR/tutorial-api-$(date -u '+%Y%m%dT%H%M%SZ').txt
summary | tee "$RESULT_FILE"
for f in "$TMP"/wrk-*.txt; do printf '\n## %s\n' "$(basename "$f" .txt)"; cat "$f"; done >>"$RESULT_FILE"
say "written to ${RESULT_FILE#"$ROOT"/}"
[ "${#FAILURES[@]}" -eq 0 ] || exit 1
