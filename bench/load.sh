#!/usr/bin/env bash
# bench/load.sh — HTTP load test of `jot serve` with wrk (see bench/README.md, "Load test").
#
#   bench/load.sh                                   warm-up 20 s + 20 s measured per scenario (~2.5 min)
#   WARMUP=5s DURATION=5s LOGIN_PROBE=5s bench/load.sh
#   ME_PATH=/health ME_FORGED_EXPECT=200 bench/load.sh    stand-in while GET /me does not exist
#   JOT_JAVA_OPTS="-XX:+UseSerialGC" bench/load.sh        extra JVM options, passed to ./jot
#
# Starts the server on a free 127.0.0.1 port with a fresh temporary data directory, registers a user, logs
# in, and runs wrk (THREADS threads, CONNECTIONS connections): GET $ME_PATH with the access token, GET
# $ME_PATH with a forged token (same header and payload, altered signature), POST /login; then POST /login
# on 1 connection, and `jot hash-cost` for the time of one hash (the Argon2 limit is cores / that time).
# Prints a summary table, writes it to bench/results/, and exits non-zero if a step fails, a response has
# an unexpected status or wrk reports socket errors.
set -euo pipefail

WARMUP=${WARMUP:-20s}
DURATION=${DURATION:-20s}
LOGIN_PROBE=${LOGIN_PROBE:-10s}      # the 1-connection login run, and jot hash-cost
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}      # wrk's default 2 s is shorter than a queued login takes at 64 connections
ME_PATH=${ME_PATH:-/me}
ME_VALID_EXPECT=${ME_VALID_EXPECT:-200}
ME_FORGED_EXPECT=${ME_FORGED_EXPECT:-401}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-60}   # seconds

BENCH=$(cd "$(dirname "$0")" && pwd -P)
ROOT=$(dirname "$BENCH")
LUA=$BENCH/status.lua
RESULTS_DIR=${RESULTS_DIR:-$BENCH/results}

say() { printf 'load: %s\n' "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }

for v in WARMUP DURATION LOGIN_PROBE WRK_TIMEOUT; do
  [[ ${!v} =~ ^[1-9][0-9]*[smh]?$ ]] || die "$v must look like 20s, 2m or 30 (seconds), was '${!v}'"
done
for v in THREADS CONNECTIONS STARTUP_TIMEOUT ME_VALID_EXPECT ME_FORGED_EXPECT; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, was '${!v}'"
done
[[ $ME_PATH == /* ]] || die "ME_PATH must start with /, was '$ME_PATH'"
[ "$CONNECTIONS" -ge "$THREADS" ] || die "CONNECTIONS ($CONNECTIONS) must be >= THREADS ($THREADS)"

# Microseconds since the epoch into NOW. Not `$(...)`: a command substitution forks a subshell, and the start-up
# poll below calls this every few milliseconds while timing a JVM that needs both cores.
now_us() { NOW=${EPOCHREALTIME/[.,]/}; }

# ---------------------------------------------------------------------------------------------- tools
for tool in curl awk sed grep; do
  command -v "$tool" >/dev/null 2>&1 || die "needs $tool"
done

if ! command -v wrk >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "wrk is not installed and there is no apt-get: install wrk (https://github.com/wg/wrk) and rerun"
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "wrk is not installed and installing it needs root (no sudo found): apt-get install wrk"
    SUDO=(sudo)
  fi
  say "installing wrk (apt-get install -y wrk) ..."
  if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >&2; then
    say "install failed; running apt-get update and trying again ..."
    "${SUDO[@]}" apt-get update >&2 || die "apt-get update failed, cannot install wrk"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >&2 || die "could not install wrk with apt-get"
  fi
  command -v wrk >/dev/null 2>&1 || die "wrk still not on PATH after installing it"
fi
WRK_VERSION=$(wrk --version 2>&1 | head -n 1 | awk '{print $2}') || true

# ---------------------------------------------------------------------------------------------- build
# The launcher rebuilds jot-cli/target/jot.jar when it is missing or older than the sources; doing it
# here keeps the Maven build out of the start-up time measured below.
say "building the jar if needed (./jot --version) ..."
"$ROOT/jot" --version >/dev/null || die "./jot --version failed (build or JDK problem, see above)"

# ---------------------------------------------------------------------------------------------- server
TMP=$(mktemp -d "${TMPDIR:-/tmp}/jot-load.XXXXXX")
DATA=$TMP/data
PID=""

stop_server() {
  # Sets STOP_STATUS; SIGTERM first, SIGKILL only if the JVM has not exited after 20 s.
  STOP_STATUS=""
  [ -n "$PID" ] || return 0
  if kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null || true
    local i
    for ((i = 0; i < 200; i++)); do
      kill -0 "$PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$PID" 2>/dev/null; then
      say "server $PID ignored SIGTERM for 20 s; sending SIGKILL"
      kill -KILL "$PID" 2>/dev/null || true
      STOP_STATUS="killed"
    fi
  fi
  local rc=0
  wait "$PID" 2>/dev/null || rc=$?
  [ -n "$STOP_STATUS" ] || STOP_STATUS="exit $rc"
  PID=""
}

cleanup() {
  local rc=$?
  stop_server
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A sleep that does not fork (reads a FIFO nobody writes to): the start-up poll below must not steal CPU
# from the JVM it times, and on 2 cores a fork every few milliseconds would.
mkfifo "$TMP/tick"
exec 9<>"$TMP/tick"
pause() { read -r -t "$1" -u 9 || true; }

# Starts ./jot serve on a fresh data directory and waits for the first 200 from /health, without forking.
# Sets PID, PORT, T0, T_EXEC, T_READY, JAVA_BIN.
start_server() {
  rm -rf "$DATA"
  : >"$TMP/server.out"
  now_us; T0=$NOW
  # The launcher execs java, so $! becomes the JVM's PID once the launcher has found the JDK.
  # --port 0: the server picks a free port and prints it. All traffic stays on 127.0.0.1.
  "$ROOT/jot" serve --bind 127.0.0.1 --port 0 --data-dir "$DATA" --access-token-ttl 1h \
    >"$TMP/server.out" 2>"$TMP/server.err" &
  PID=$!
  now_us
  local deadline=$((NOW + STARTUP_TIMEOUT * 1000000)) argv0 line status

  # 1. the exec into java (the launcher's JDK probe and staleness check end here)
  T_EXEC=""
  while :; do
    kill -0 "$PID" 2>/dev/null || server_failed "./jot serve exited during start-up"
    argv0=""
    IFS= read -r -d '' argv0 <"/proc/$PID/cmdline" 2>/dev/null || true
    now_us
    if [[ $argv0 == */java ]]; then T_EXEC=$NOW; JAVA_BIN=$argv0; break; fi
    [ "$NOW" -lt "$deadline" ] || server_failed "no java process after ${STARTUP_TIMEOUT}s"
    pause 0.002
  done

  # 2. the port from the start-up line, then the first 200 from /health (bash's /dev/tcp: no curl per try)
  PORT=""
  while :; do
    kill -0 "$PID" 2>/dev/null || server_failed "the server exited during start-up"
    if [ -z "$PORT" ]; then
      while IFS= read -r line; do
        if [[ $line =~ ^Jot\ listening\ on\ http://127\.0\.0\.1:([0-9]+) ]]; then PORT=${BASH_REMATCH[1]}; fi
      done <"$TMP/server.out"
    fi
    # (braces: a redirection on `exec` itself would silence this script's stderr for good)
    if [ -n "$PORT" ] && { exec 3<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null; then
      printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
      status=""
      read -r -t 2 status <&3 || true
      exec 3>&-
      if [[ $status == "HTTP/1.1 200 "* ]]; then now_us; T_READY=$NOW; break; fi
    fi
    now_us
    [ "$NOW" -lt "$deadline" ] || server_failed "GET /health did not answer 200 within ${STARTUP_TIMEOUT}s (port '${PORT}')"
    pause 0.005
  done
}

server_failed() {
  say "server output:"
  sed 's/^/  | /' "$TMP/server.out" "$TMP/server.err" >&2 || true
  die "$*"
}

# The first `serve` after a build records the launcher's start-up cache (AOT/CDS, see ./jot), which makes
# it slow once; a user meets that once per build. It is timed and reported, then the measured start runs.
say "first start after the build (records the start-up cache if there is none) ..."
start_server
FIRST_MS=$(((T_READY - T0) / 1000))
stop_server
say "first start: ${FIRST_MS} ms to the first 200; stopped ($STOP_STATUS)"

say "starting ./jot serve (fresh data dir $DATA) ..."
start_server
JAVA_PID=$PID
BASE=http://127.0.0.1:$PORT
START_MS=$(((T_READY - T0) / 1000))
LAUNCHER_MS=$(((T_EXEC - T0) / 1000))
JVM_MS=$(((T_READY - T_EXEC) / 1000))
say "ready on $BASE: ${START_MS} ms from ./jot to the first 200 (launcher ${LAUNCHER_MS} ms, JVM ${JVM_MS} ms); java PID $JAVA_PID"

# ---------------------------------------------------------------------------------------------- user, tokens
USERNAME=loadbench
PASSWORD=load-bench-password-$$-$RANDOM
CREDS=$(printf '{"username":"%s","password":"%s"}' "$USERNAME" "$PASSWORD")

http() { # http METHOD PATH [curl args...] -> prints "<status>\n<body>"
  local method=$1 path=$2
  shift 2
  curl --noproxy '*' -s --max-time 30 -X "$method" -w '\n%{http_code}' "$@" "$BASE$path"
}

out=$(http POST /register -H 'Content-Type: application/json' --data "$CREDS") || die "POST /register: curl failed"
[ "${out##*$'\n'}" = 201 ] || die "POST /register answered ${out##*$'\n'}: ${out%$'\n'*}"
out=$(http POST /login -H 'Content-Type: application/json' --data "$CREDS") || die "POST /login: curl failed"
[ "${out##*$'\n'}" = 200 ] || die "POST /login answered ${out##*$'\n'}: ${out%$'\n'*}"
TOKEN=$(printf '%s' "${out%$'\n'*}" | sed -n 's/.*"access_token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
[[ $TOKEN =~ ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]] || die "no compact JWS access_token in the login response: ${out%$'\n'*}"

# Forged: same header and payload; the signature's first base64url character (its top 6 bits) becomes
# A or B. Still valid base64url of the same length; for RS256 the value stays below the modulus, so the
# server has to do the full signature check to reject it.
SIG=${TOKEN##*.}
if [ "${SIG:0:1}" = A ]; then first=B; else first=A; fi
FORGED=${TOKEN%.*}.$first${SIG:1}
[ "$FORGED" != "$TOKEN" ] || die "could not forge a token"

# Sanity checks before loading
code=$(curl --noproxy '*' -s -o /dev/null -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $TOKEN" "$BASE$ME_PATH" || true)
[ "$code" = "$ME_VALID_EXPECT" ] || die "GET $ME_PATH with the access token answered '$code', expected $ME_VALID_EXPECT"
code=$(curl --noproxy '*' -s -o /dev/null -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $FORGED" "$BASE$ME_PATH" || true)
[ "$code" = "$ME_FORGED_EXPECT" ] || die "GET $ME_PATH with the forged token answered '$code', expected $ME_FORGED_EXPECT"
say "user '$USERNAME' registered and logged in; token ${#TOKEN} chars, forged variant checked"

# ---------------------------------------------------------------------------------------------- wrk
FAILURES=()
ROWS=()

# wait_idle WHAT: until the JVM uses under 10% of a core over a second (at most 60 s). wrk stops with
# logins still queued in the server (at 64 connections, seconds of Argon2 work); they would otherwise
# slow the next measurement.
wait_idle() {
  local hz i prev cur t0
  hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
  now_us; t0=$NOW
  prev=$(awk '{print $14 + $15}' "/proc/$JAVA_PID/stat" 2>/dev/null) || return 0
  for ((i = 0; i < 60; i++)); do
    sleep 1
    cur=$(awk '{print $14 + $15}' "/proc/$JAVA_PID/stat" 2>/dev/null) || return 0
    if [ $((cur - prev)) -le $((hz / 10)) ]; then
      now_us
      say "server idle $(((NOW - t0) / 1000)) ms after $1"
      return 0
    fi
    prev=$cur
  done
  say "server still busy 60 s after $1; going on"
}

# to_ms "1.23ms" | "850.00us" | "1.20s" | "2.00m" -> milliseconds
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; else if (u != "ms") n = -1
    printf "%.2f\n", n }'
}

# run_wrk NAME LABEL EXPECT THREADS CONNECTIONS DURATION PATH [wrk args...]; env BENCH_* go to the Lua
# script. Sets RPS, P50, P99, BAD, BADCODES, SOCKERR, REQS and keeps the raw output in $TMP/wrk-NAME.txt.
run_wrk() {
  local name=$1 label=$2 expect=$3 t=$4 c=$5 d=$6 path=$7
  shift 7
  local f=$TMP/wrk-$name.txt
  say "wrk $label: $t threads, $c connections, $d ..."
  if ! BENCH_EXPECT=$expect wrk -t "$t" -c "$c" -d "$d" --timeout "$WRK_TIMEOUT" --latency -s "$LUA" "$@" \
    "$BASE$path" >"$f" 2>&1; then
    cat "$f" >&2
    FAILURES+=("$label: wrk failed")
    RPS=0 P50=- P99=- BAD=- BADCODES="" SOCKERR=- REQS=0
    return 0
  fi
  RPS=$(awk '/^Requests\/sec:/ {print $2}' "$f")
  P50=$(awk '$1 == "50%" {print $2}' "$f")
  P99=$(awk '$1 == "99%" {print $2}' "$f")
  REQS=$(awk '/requests in/ {print $1}' "$f")
  BAD=$(awk '$1 == "LUA_UNEXPECTED" {print $2}' "$f")
  BADCODES=$(awk '$1 == "LUA_UNEXPECTED" {$1 = ""; $2 = ""; sub(/^ +/, ""); print}' "$f")
  SOCKERR=$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$f")
  SOCKDETAIL=$(sed -n 's/^ *Socket errors: //p' "$f")
  [ -n "$SOCKERR" ] || SOCKERR=0
  if [ -z "$RPS" ] || [ -z "$BAD" ] || [ -z "$REQS" ]; then
    cat "$f" >&2
    FAILURES+=("$label: could not read wrk's output (kept above)")
    RPS=${RPS:-0} BAD=${BAD:--}
    return 0
  fi
  [ "$REQS" -gt 0 ] || FAILURES+=("$label: no request completed")
  [ "$BAD" = 0 ] || FAILURES+=("$label: $BAD responses were not $expect ($BADCODES)")
  [ "$SOCKERR" = 0 ] || FAILURES+=("$label: socket errors ($SOCKDETAIL)")
  say "  $RPS requests/s, p50 $P50, p99 $P99, $BAD not $expect, $SOCKERR socket errors"
}

# scenario NAME LABEL EXPECT PATH [wrk args...]: a warm-up run (reported, not judged) then the measured one.
# cpu_ticks: sets ALL_TICKS (every core's time since boot, busy or idle, from /proc/stat) and HASH_TICKS (the
# CPU time of the server's argon2-* threads). Two snapshots around a run tell what share of the machine hashed.
cpu_ticks() {
  local t comm stat rest fields
  read -r -a fields </proc/stat
  ALL_TICKS=0 # user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
  for t in "${fields[@]:1:8}"; do ALL_TICKS=$((ALL_TICKS + t)); done
  HASH_TICKS=0
  for t in /proc/"$JAVA_PID"/task/*; do
    read -r comm <"$t/comm" 2>/dev/null || continue
    [[ $comm == argon2-* ]] || continue
    read -r stat <"$t/stat" 2>/dev/null || continue
    rest=${stat##*) } # the fields after "(comm)": state is field 3, utime 14 and stime 15
    read -r -a fields <<<"$rest"
    HASH_TICKS=$((HASH_TICKS + fields[11] + fields[12]))
  done
}

scenario() {
  local name=$1 label=$2 expect=$3 path=$4
  shift 4
  run_wrk "$name-warmup" "$label (warm-up)" "$expect" "$THREADS" "$CONNECTIONS" "$WARMUP" "$path" "$@"
  # A warm-up's bad statuses already fail the run; its socket errors are only reported (JIT, connects).
  local i keep=()
  for i in "${!FAILURES[@]}"; do
    [[ ${FAILURES[$i]} == "$label (warm-up): socket errors"* ]] || keep+=("${FAILURES[$i]}")
  done
  FAILURES=(${keep[@]+"${keep[@]}"})
  wait_idle "the warm-up" # what wrk abandoned must not eat into the measured run
  cpu_ticks
  local all0=$ALL_TICKS hash0=$HASH_TICKS
  run_wrk "$name" "$label" "$expect" "$THREADS" "$CONNECTIONS" "$DURATION" "$path" "$@"
  cpu_ticks
  local share
  share=$(awk -v h=$((HASH_TICKS - hash0)) -v a=$((ALL_TICKS - all0)) 'BEGIN { printf "%.0f", (a > 0 ? 100 * h / a : 0) }')
  eval "HASH_SHARE_$name=\$share"
  ROWS+=("$label|$expect|$RPS|$P50|$P99|$BAD|$SOCKERR|$BADCODES")
  eval "RPS_$name=\$RPS P99_$name=\$P99"
}

scenario me_valid "GET $ME_PATH valid token" "$ME_VALID_EXPECT" "$ME_PATH" -H "Authorization: Bearer $TOKEN"
scenario me_forged "GET $ME_PATH forged token" "$ME_FORGED_EXPECT" "$ME_PATH" -H "Authorization: Bearer $FORGED"
BENCH_METHOD=POST BENCH_BODY=$CREDS scenario login "POST /login" 200 /login
wait_idle "the login load"
# Low concurrency after the 64-connection runs (JIT warm): time per login ~ time per Argon2 hash.
BENCH_METHOD=POST BENCH_BODY=$CREDS run_wrk login1 "POST /login, 1 connection" 200 1 1 "$LOGIN_PROBE" /login
ROWS+=("POST /login, 1 connection|200|$RPS|$P50|$P99|$BAD|$SOCKERR|$BADCODES")
RPS_login1=$RPS

# The time of one hash by itself: `jot hash-cost` in its own JVM, with the server idle (same parameters,
# same Argon2 implementation). cores / that time is the limit the login rate is judged against.
wait_idle "the 1-connection login run"
say "jot hash-cost --duration $LOGIN_PROBE ..."
HASH_OUT=$("$ROOT/jot" hash-cost --duration "$LOGIN_PROBE" 2>&1) || FAILURES+=("jot hash-cost failed: $HASH_OUT")
HASH_MS=$(printf '%s\n' "$HASH_OUT" | sed -n 's/^\([0-9.]*\) ms per hash.*/\1/p')
HASH_IMPL=$(printf '%s\n' "$HASH_OUT" | sed -n 's/^Argon2id .* with \(.*\):$/\1/p')
[ -n "$HASH_MS" ] || { FAILURES+=("could not read jot hash-cost's output: $HASH_OUT"); HASH_MS=0; }
say "  $HASH_MS ms per hash ($HASH_IMPL)"

# ---------------------------------------------------------------------------------------------- memory, stop
wait_idle "the last run"
RSS_KB=$(awk '/^VmRSS:/ {print $2}' "/proc/$JAVA_PID/status" 2>/dev/null || true)
HWM_KB=$(awk '/^VmHWM:/ {print $2}' "/proc/$JAVA_PID/status" 2>/dev/null || true)
[ -n "$RSS_KB" ] || FAILURES+=("could not read VmRSS of java PID $JAVA_PID (server gone?)")
kill -0 "$JAVA_PID" 2>/dev/null || FAILURES+=("the server died during the load")

stop_server
grep -q 'Jot stopped' "$TMP/server.out" "$TMP/server.err" 2>/dev/null && STOPPED_CLEANLY=yes || STOPPED_CLEANLY=no
case $STOP_STATUS in
  "exit 0" | "exit 143") ;; # 143 = the JVM's exit status after SIGTERM and its shutdown hooks
  *) FAILURES+=("server did not stop cleanly on SIGTERM ($STOP_STATUS)") ;;
esac
[ "$STOPPED_CLEANLY" = yes ] || FAILURES+=("server did not log 'Jot stopped' after SIGTERM")
rm -rf "$DATA"

# ---------------------------------------------------------------------------------------------- summary
CORES=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
JAVA_VERSION=$("$JAVA_BIN" -version 2>&1 | head -n 1 || true)
mark() { if awk "BEGIN { exit !($1) }"; then printf 'met'; else printf 'MISSED'; fi; }

summary() {
  local stand_in=""
  [ "$ME_PATH" = /me ] || stand_in=" -- STAND-IN: $ME_PATH measured in place of /me (expects $ME_VALID_EXPECT valid / $ME_FORGED_EXPECT forged)"
  printf 'Jot load test, %s -- %s, %s cores, wrk %s, %s threads x %s connections, warm-up %s + %s measured%s\n' \
    "$(date -u '+%Y-%m-%d %H:%M:%SZ')" "$JAVA_VERSION" "$CORES" "$WRK_VERSION" "$THREADS" "$CONNECTIONS" \
    "$WARMUP" "$DURATION" "$stand_in"
  [ -z "${JOT_JAVA_OPTS:-}" ] || printf 'JOT_JAVA_OPTS=%s\n' "$JOT_JAVA_OPTS"
  printf '\n%-32s %10s %10s %10s %12s %8s  %s\n' "scenario" "req/s" "p50" "p99" "unexpected" "sockerr" "(expected status)"
  local row label expect rps p50 p99 bad sock codes
  for row in "${ROWS[@]}"; do
    IFS='|' read -r label expect rps p50 p99 bad sock codes <<<"$row"
    printf '%-32s %10s %10s %10s %12s %8s  (%s)%s\n' "$label" "$rps" "$p50" "$p99" "$bad" "$sock" "$expect" \
      "${codes:+ got: $codes}"
  done

  local ms_login limit pct limit1 pct1 p99_ms rss_mib hwm_mib
  ms_login=$(awk -v r="$RPS_login1" 'BEGIN { if (r > 0) printf "%.1f", 1000 / r; else print "-" }')
  limit=$(awk -v m="$HASH_MS" -v c="$CORES" 'BEGIN { if (m > 0) printf "%.1f", c * 1000 / m; else print 0 }')
  pct=$(awk -v r="$RPS_login" -v l="$limit" 'BEGIN { if (l > 0) printf "%.0f", 100 * r / l; else print "0" }')
  limit1=$(awk -v r="$RPS_login1" -v c="$CORES" 'BEGIN { printf "%.1f", r * c }')
  pct1=$(awk -v r="$RPS_login" -v l="$limit1" 'BEGIN { if (l > 0) printf "%.0f", 100 * r / l; else print "0" }')
  p99_ms=$(to_ms "${P99_me_valid:--1}")
  rss_mib=$(awk -v k="${RSS_KB:-0}" 'BEGIN { printf "%.0f", k / 1024 }')
  hwm_mib=$(awk -v k="${HWM_KB:-0}" 'BEGIN { printf "%.0f", k / 1024 }')

  printf '\nstart-up: %s ms from running ./jot to the first 200 from /health, fresh data dir (launcher %s ms, JVM %s ms);\n' \
    "$START_MS" "$LAUNCHER_MS" "$JVM_MS"
  printf '          the first start after a build, which records the start-up cache: %s ms\n' "$FIRST_MS"
  printf 'Argon2 limit: one hash takes %s ms (jot hash-cost, %s, server idle); %s cores / %s ms = %s logins/s;\n' \
    "$HASH_MS" "$HASH_IMPL" "$CORES" "$HASH_MS" "$limit"
  printf '              POST /login at %s connections = %s/s = %s%% of that limit\n' "$CONNECTIONS" "$RPS_login" "$pct"
  printf '              during it the Argon2 threads had %s%% of all CPU time on the machine (wrk included)\n' \
    "$HASH_SHARE_login"
  printf '              (1 connection: %s logins/s = %s ms per login, hash and the rest; %s x that = %s/s, %s%% of it)\n' \
    "$RPS_login1" "$ms_login" "$CORES" "$limit1" "$pct1"
  printf 'memory: VmRSS %s MiB after the load (peak VmHWM %s MiB), java PID %s\n' "$rss_mib" "$hwm_mib" "$JAVA_PID"
  printf 'stop: SIGTERM -> %s, logged "Jot stopped": %s; data dir removed\n' "$STOP_STATUS" "$STOPPED_CLEANLY"

  printf '\ntargets (issue #3)%s:\n' "${stand_in:+ -- not meaningful for the stand-in rows}"
  printf '  %-44s %s\n' \
    "GET /me >= 25000 req/s, p99 < 20 ms" "$(mark "$RPS_me_valid >= 25000 && $p99_ms >= 0 && $p99_ms < 20")" \
    "forged token >= 10000 req/s" "$(mark "$RPS_me_forged >= 10000")" \
    "/login >= 80% of the Argon2 limit" "$(mark "$pct >= 80")" \
    "start to first request < 2 s" "$(mark "$START_MS < 2000")" \
    "RSS after the load < 300 MiB" "$(mark "${RSS_KB:-999999999} < 300 * 1024")"

  if [ "${#FAILURES[@]}" -gt 0 ]; then
    printf '\nFAILED:\n'
    printf '  - %s\n' "${FAILURES[@]}"
  else
    printf '\nall steps passed: every response had the expected status, no socket errors\n'
  fi
}

mkdir -p "$RESULTS_DIR"
RESULT_FILE=$RESULTS_DIR/load-$(date -u '+%Y%m%dT%H%M%SZ').txt
summary | tee "$RESULT_FILE"
{
  printf '\n---- raw wrk output ----\n'
  for f in "$TMP"/wrk-*.txt; do
    [ -f "$f" ] || continue
    printf '\n## %s\n' "$(basename "$f" .txt)"
    cat "$f"
  done
} >>"$RESULT_FILE"
say "summary and raw wrk output written to ${RESULT_FILE#"$ROOT"/}"

[ "${#FAILURES[@]}" -eq 0 ] || exit 1
