#!/usr/bin/env bash
# bench/clients.sh — tokens for machine clients under wrk (see bench/README.md, "Client credentials").
#
#   bench/clients.sh                                warm-up 20 s + 20 s measured per scenario (~4 min)
#   WARMUP=5s DURATION=5s SIGN_PROBE=5 bench/clients.sh
#   JOT_JAVA_OPTS="-XX:+UseSerialGC" bench/clients.sh     extra JVM options, passed to ./jot
#
# Starts ./jot serve (RS256, ES256, then HS256) on a free 127.0.0.1 port with a fresh data directory and a first admin
# (JOT_ADMIN_USERNAME/JOT_ADMIN_PASSWORD), creates an OAuth client through POST /admin/clients and an API key
# through POST /api-keys, and runs wrk (THREADS threads, CONNECTIONS connections): POST /oauth2/token
# grant_type=client_credentials with client_secret_basic; with RS256 also POST /login with X-API-Key; HS256 (an
# HMAC, next to free) shows what the rest of the path allows. Times one signature of each algorithm on one core
# (bench/SignCost.java, the server's own JwtSigner, server idle): cores / that time is the signing limit the
# client-credentials rate is judged against; the CPU time of the server and wrk per token gives the same ratio
# independently of other load on the machine. Prints a summary,
# writes it to bench/results/, and exits non-zero if a step fails, a response has an unexpected status or wrk
# reports socket errors.
set -euo pipefail

WARMUP=${WARMUP:-20s}
DURATION=${DURATION:-20s}
SIGN_PROBE=${SIGN_PROBE:-10}         # seconds of single-core signing per algorithm
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-60}   # seconds
KEYCLOAK_LOW=${KEYCLOAK_LOW:-723}        # Keycloak 26.7's token endpoint on this load, measured here (req/s)
KEYCLOAK_HIGH=${KEYCLOAK_HIGH:-1245}

BENCH=$(cd "$(dirname "$0")" && pwd -P)
ROOT=$(dirname "$BENCH")
LUA=$BENCH/status.lua
RESULTS_DIR=${RESULTS_DIR:-$BENCH/results}

say() { printf 'clients: %s\n' "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }

for v in WARMUP DURATION WRK_TIMEOUT; do
  [[ ${!v} =~ ^[1-9][0-9]*[smh]?$ ]] || die "$v must look like 20s, 2m or 30 (seconds), was '${!v}'"
done
for v in THREADS CONNECTIONS STARTUP_TIMEOUT SIGN_PROBE KEYCLOAK_LOW KEYCLOAK_HIGH; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, was '${!v}'"
done
[ "$CONNECTIONS" -ge "$THREADS" ] || die "CONNECTIONS ($CONNECTIONS) must be >= THREADS ($THREADS)"

now_us() { NOW=${EPOCHREALTIME/[.,]/}; }

# ---------------------------------------------------------------------------------------------- tools
for tool in curl awk sed grep base64; do
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

say "building the jar if needed (./jot --version) ..."
"$ROOT/jot" --version >/dev/null || die "./jot --version failed (build or JDK problem, see above)"
JAR=$ROOT/jot-cli/target/jot.jar

# ---------------------------------------------------------------------------------------------- server
TMP=$(mktemp -d "${TMPDIR:-/tmp}/jot-clients.XXXXXX")
DATA=$TMP/data
PID=""
ADMIN_USER=benchadmin
ADMIN_PASSWORD=bench-admin-password-$$-$RANDOM

stop_server() {
  [ -n "$PID" ] || return 0
  if kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null || true
    local i
    for ((i = 0; i < 200; i++)); do
      kill -0 "$PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$PID" 2>/dev/null && kill -KILL "$PID" 2>/dev/null || true
  fi
  wait "$PID" 2>/dev/null || true
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

mkfifo "$TMP/tick"
exec 9<>"$TMP/tick"
pause() { read -r -t "$1" -u 9 || true; }

server_failed() {
  say "server output:"
  sed 's/^/  | /' "$TMP/server.out" "$TMP/server.err" >&2 || true
  die "$*"
}

# start_server ALG: ./jot serve on a fresh data directory, signing with ALG; waits for the first 200 from /health.
# Sets PID, PORT, BASE, JAVA_BIN.
start_server() {
  rm -rf "$DATA"
  : >"$TMP/server.out"
  JOT_SIGNING_ALG=$1 JOT_ADMIN_USERNAME=$ADMIN_USER JOT_ADMIN_PASSWORD=$ADMIN_PASSWORD \
    "$ROOT/jot" serve --bind 127.0.0.1 --port 0 --data-dir "$DATA" >"$TMP/server.out" 2>"$TMP/server.err" &
  PID=$!
  now_us
  local deadline=$((NOW + STARTUP_TIMEOUT * 1000000)) line status argv0
  PORT=""
  JAVA_BIN=""
  while :; do
    kill -0 "$PID" 2>/dev/null || server_failed "the server exited during start-up"
    if [ -z "$JAVA_BIN" ]; then
      argv0=""
      IFS= read -r -d '' argv0 <"/proc/$PID/cmdline" 2>/dev/null || true
      [[ $argv0 == */java ]] && JAVA_BIN=$argv0
    fi
    if [ -z "$PORT" ]; then
      while IFS= read -r line; do
        if [[ $line =~ ^Jot\ listening\ on\ http://127\.0\.0\.1:([0-9]+) ]]; then PORT=${BASH_REMATCH[1]}; fi
      done <"$TMP/server.out"
    fi
    if [ -n "$PORT" ] && { exec 3<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null; then
      printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
      status=""
      read -r -t 2 status <&3 || true
      exec 3>&-
      [[ $status == "HTTP/1.1 200 "* ]] && break
    fi
    now_us
    [ "$NOW" -lt "$deadline" ] || server_failed "GET /health did not answer 200 within ${STARTUP_TIMEOUT}s (port '${PORT}')"
    pause 0.05
  done
  [ -n "$JAVA_BIN" ] || JAVA_BIN=$(command -v java)
  BASE=http://127.0.0.1:$PORT
}

http() { # http METHOD PATH [curl args...] -> prints "<body>\n<status>"
  local method=$1 path=$2
  shift 2
  curl --noproxy '*' -s --max-time 30 -X "$method" -w '\n%{http_code}' "$@" "$BASE$path"
}

json_field() { # json_field NAME <<<JSON: the string member NAME
  sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p"
}

# Logs in the first admin and creates a client (scope orders:read) and an API key of the admin's. Sets
# CLIENT_ID, CLIENT_SECRET, BASIC, API_KEY.
make_credentials() {
  local out token
  out=$(http POST /login -H 'Content-Type: application/json' \
    --data "{\"username\":\"$ADMIN_USER\",\"password\":\"$ADMIN_PASSWORD\"}") || die "POST /login: curl failed"
  [ "${out##*$'\n'}" = 200 ] || die "POST /login (the first admin) answered ${out##*$'\n'}: ${out%$'\n'*}"
  token=$(json_field access_token <<<"${out%$'\n'*}")
  out=$(http POST /admin/clients -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data '{"name":"bench","scopes":["orders:read"]}') || die "POST /admin/clients: curl failed"
  [ "${out##*$'\n'}" = 201 ] || die "POST /admin/clients answered ${out##*$'\n'}: ${out%$'\n'*}"
  CLIENT_ID=$(json_field client_id <<<"${out%$'\n'*}")
  CLIENT_SECRET=$(json_field client_secret <<<"${out%$'\n'*}")
  [[ $CLIENT_SECRET =~ ^jot_[0-9A-Za-z]{38}$ ]] || die "no client_secret in: ${out%$'\n'*}"
  BASIC=$(printf '%s:%s' "$CLIENT_ID" "$CLIENT_SECRET" | base64 -w0)
  out=$(http POST /api-keys -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data '{"name":"bench"}') || die "POST /api-keys: curl failed"
  [ "${out##*$'\n'}" = 201 ] || die "POST /api-keys answered ${out##*$'\n'}: ${out%$'\n'*}"
  API_KEY=$(json_field key <<<"${out%$'\n'*}")
  out=$(http POST /oauth2/token -H "Authorization: Basic $BASIC" --data 'grant_type=client_credentials') \
    || die "POST /oauth2/token: curl failed"
  [ "${out##*$'\n'}" = 200 ] || die "client credentials answered ${out##*$'\n'}: ${out%$'\n'*}"
}

# ---------------------------------------------------------------------------------------------- wrk
FAILURES=()
ROWS=()

wait_idle() {
  local hz i prev cur
  hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
  prev=$(awk '{print $14 + $15}' "/proc/$PID/stat" 2>/dev/null) || return 0
  for ((i = 0; i < 60; i++)); do
    sleep 1
    cur=$(awk '{print $14 + $15}' "/proc/$PID/stat" 2>/dev/null) || return 0
    [ $((cur - prev)) -le $((hz / 10)) ] && return 0
    prev=$cur
  done
  say "server still busy 60 s after $1; going on"
}

# CPU time in clock ticks: of the server (CPU_SERVER) and of this script's finished children, wrk (CPU_CHILDREN).
cpu_now() {
  local stat rest fields t
  CPU_SERVER=0
  if read -r stat <"/proc/$PID/stat" 2>/dev/null; then
    rest=${stat##*) }
    read -r -a fields <<<"$rest"
    CPU_SERVER=$((fields[11] + fields[12]))
  fi
  CPU_CHILDREN=$(awk '{print $16 + $17}' /proc/$$/stat)
}

# run_wrk NAME LABEL DURATION PATH [wrk args...]; env BENCH_* go to the Lua script. Sets RPS, P50, P99, and
# for a measured run CPU_MS_PER_TOKEN (server and wrk together) and TOKENS.
run_wrk() {
  local name=$1 label=$2 d=$3 path=$4
  shift 4
  local f=$TMP/wrk-$name.txt
  say "wrk $label: $THREADS threads, $CONNECTIONS connections, $d ..."
  cpu_now
  local server0=$CPU_SERVER children0=$CPU_CHILDREN
  if ! BENCH_EXPECT=200 BENCH_METHOD=POST wrk -t "$THREADS" -c "$CONNECTIONS" -d "$d" --timeout "$WRK_TIMEOUT" \
    --latency -s "$LUA" "$@" "$BASE$path" >"$f" 2>&1; then
    cat "$f" >&2
    FAILURES+=("$label: wrk failed")
    RPS=0 P50=- P99=-
    return 0
  fi
  cpu_now
  local hz
  hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
  RPS=$(awk '/^Requests\/sec:/ {print $2}' "$f")
  P50=$(awk '$1 == "50%" {print $2}' "$f")
  P99=$(awk '$1 == "99%" {print $2}' "$f")
  local reqs bad codes sock
  reqs=$(awk '/requests in/ {print $1}' "$f")
  bad=$(awk '$1 == "LUA_UNEXPECTED" {print $2}' "$f")
  codes=$(awk '$1 == "LUA_UNEXPECTED" {$1 = ""; $2 = ""; sub(/^ +/, ""); print}' "$f")
  sock=$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$f")
  [ -n "$sock" ] || sock=0
  if [ -z "$RPS" ] || [ -z "$bad" ] || [ -z "$reqs" ]; then
    cat "$f" >&2
    FAILURES+=("$label: could not read wrk's output (kept above)")
    RPS=${RPS:-0}
    return 0
  fi
  [ "$reqs" -gt 0 ] || FAILURES+=("$label: no request completed")
  [ "$bad" = 0 ] || FAILURES+=("$label: $bad responses were not 200 ($codes)")
  TOKENS=$reqs
  CPU_MS_PER_TOKEN=$(awk -v s=$((CPU_SERVER - server0)) -v w=$((CPU_CHILDREN - children0)) -v n="$reqs" -v hz="$hz" \
    'BEGIN { if (n > 0) printf "%.4f", (s + w) * 1000 / hz / n; else print 0 }')
  if [[ $name != *-warmup ]]; then
    [ "$sock" = 0 ] || FAILURES+=("$label: $sock socket errors")
    ROWS+=("$label|$RPS|$P50|$P99|$bad|$sock|$CPU_MS_PER_TOKEN")
  fi
  say "  $RPS requests/s, p50 $P50, p99 $P99, $bad not 200, $sock socket errors"
}

scenario() { # scenario NAME LABEL PATH [wrk args...]: a warm-up run, then the measured one
  local name=$1 label=$2 path=$3
  shift 3
  run_wrk "$name-warmup" "$label (warm-up)" "$WARMUP" "$path" "$@"
  wait_idle "the warm-up"
  run_wrk "$name" "$label" "$DURATION" "$path" "$@"
  eval "RPS_$name=\$RPS P50_$name=\$P50 P99_$name=\$P99 CPU_$name=\$CPU_MS_PER_TOKEN"
  wait_idle "$label"
}

# sign_cost ALG: the time of one signature on one core, with the server idle. Sets SIGN_MS (wall) and SIGN_CPU_MS.
sign_cost() {
  local out
  say "one $1 signature on one core (bench/SignCost.java, ${SIGN_PROBE}s) ..."
  out=$("$JAVA_BIN" -cp "$JAR" "$BENCH/SignCost.java" "$1" "$SIGN_PROBE" 2>&1) || die "SignCost $1 failed: $out"
  SIGN_MS=$(printf '%s\n' "$out" | sed -n 's/^\([0-9.]*\) ms per signature.*/\1/p')
  SIGN_CPU_MS=$(printf '%s\n' "$out" | sed -n 's/.*, \([0-9.]*\) ms of CPU each.*/\1/p')
  [ -n "$SIGN_MS" ] && [ -n "$SIGN_CPU_MS" ] || die "could not read SignCost's output: $out"
  say "  $SIGN_MS ms per $1 signature ($SIGN_CPU_MS ms of CPU)"
}

# The first `serve` after a build records the launcher's start-up cache (see ./jot); it is not measured.
say "first start after the build (records the start-up cache if there is none) ..."
start_server RS256
stop_server

CC_FORM=grant_type=client_credentials
FORM_TYPE=application/x-www-form-urlencoded

# HS256 last: its signature (an HMAC) costs next to nothing, so its rate shows what the rest of the path allows.
export JOT_HMAC_SECRET
JOT_HMAC_SECRET=$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')
for ALG in RS256 ES256 HS256; do
  say "starting ./jot serve with $ALG (fresh data dir) ..."
  start_server "$ALG"
  make_credentials
  say "ready on $BASE: client $CLIENT_ID, an API key; $ALG tokens issue"
  BENCH_BODY=$CC_FORM BENCH_CONTENT_TYPE=$FORM_TYPE scenario "cc_$ALG" "client credentials, $ALG" /oauth2/token \
    -H "Authorization: Basic $BASIC"
  if [ "$ALG" = RS256 ]; then
    BENCH_BODY= scenario "key_$ALG" "POST /login X-API-Key, $ALG" /login -H "X-API-Key: $API_KEY"
  fi
  if [ "$ALG" != HS256 ]; then
    sign_cost "$ALG"
    eval "SIGN_MS_$ALG=\$SIGN_MS SIGN_CPU_MS_$ALG=\$SIGN_CPU_MS"
  fi
  kill -0 "$PID" 2>/dev/null || FAILURES+=("the $ALG server died during the load")
  stop_server
done

# ---------------------------------------------------------------------------------------------- summary
CORES=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
JAVA_VERSION=$("$JAVA_BIN" -version 2>&1 | head -n 1 || true)
mark() { if awk "BEGIN { exit !($1) }"; then printf 'met'; else printf 'MISSED'; fi; }

summary() {
  printf 'Jot client credentials, %s -- %s, %s cores, wrk %s, %s threads x %s connections, warm-up %s + %s measured\n' \
    "$(date -u '+%Y-%m-%d %H:%M:%SZ')" "$JAVA_VERSION" "$CORES" "$WRK_VERSION" "$THREADS" "$CONNECTIONS" \
    "$WARMUP" "$DURATION"
  [ -z "${JOT_JAVA_OPTS:-}" ] || printf 'JOT_JAVA_OPTS=%s\n' "$JOT_JAVA_OPTS"
  printf '\n%-34s %10s %10s %10s %12s %8s %14s\n' "scenario" "tokens/s" "p50" "p99" "unexpected" "sockerr" \
    "CPU ms/token"
  local row label rps p50 p99 bad sock cpu
  for row in "${ROWS[@]}"; do
    IFS='|' read -r label rps p50 p99 bad sock cpu <<<"$row"
    printf '%-34s %10s %10s %10s %12s %8s %14s\n' "$label" "$rps" "$p50" "$p99" "$bad" "$sock" "$cpu"
  done
  printf '(CPU ms/token: the CPU time of the server and of wrk during the measured run, per token)\n' 
  local limit_rs pct_rs limit_es pct_es aim
  limit_rs=$(awk -v m="$SIGN_MS_RS256" -v c="$CORES" 'BEGIN { printf "%.0f", c * 1000 / m }')
  pct_rs=$(awk -v r="$RPS_cc_RS256" -v l="$limit_rs" 'BEGIN { printf "%.0f", 100 * r / l }')
  limit_es=$(awk -v m="$SIGN_MS_ES256" -v c="$CORES" 'BEGIN { printf "%.0f", c * 1000 / m }')
  pct_es=$(awk -v r="$RPS_cc_ES256" -v l="$limit_es" 'BEGIN { printf "%.0f", 100 * r / l }')
  aim=$(awk -v h="$KEYCLOAK_HIGH" 'BEGIN { printf "%.0f", 1.5 * h }')
  printf '\nsigning limit: one RS256 signature takes %s ms on one core (server idle); %s cores / %s ms = %s tokens/s;\n' \
    "$SIGN_MS_RS256" "$CORES" "$SIGN_MS_RS256" "$limit_rs"
  printf '               client credentials RS256 = %s/s = %s%% of it\n' "$RPS_cc_RS256" "$pct_rs"
  printf '               one ES256 signature takes %s ms: limit %s tokens/s; client credentials ES256 = %s/s = %s%%\n' \
    "$SIGN_MS_ES256" "$limit_es" "$RPS_cc_ES256" "$pct_es"
  printf 'Keycloak 26.7 on this load: %s-%s/s; 1.5x the higher is %s/s\n' "$KEYCLOAK_LOW" "$KEYCLOAK_HIGH" "$aim"
  # On a busy machine other processes take CPU from the server, wrk and the signature probe alike, and the
  # wall-clock figures above move with them. The CPU each side used does not: the share of the server's and
  # wrk's CPU that went to signatures is what the percentage would be with the two cores to themselves.
  local share_rs share_es
  share_rs=$(awk -v s="$SIGN_CPU_MS_RS256" -v c="$CPU_cc_RS256" 'BEGIN { if (c > 0) printf "%.0f", 100 * s / c; else print 0 }')
  share_es=$(awk -v s="$SIGN_CPU_MS_ES256" -v c="$CPU_cc_ES256" -v k="$CORES" \
    'BEGIN { if (c > 0) printf "%.0f%% (%.0f tokens/s on %d idle cores)", 100 * s / c, k * 1000 / c, k; else print 0 }')
  printf 'the rest of the path: with HS256 (an HMAC: next to nothing) client credentials ran at %s/s, %s ms of CPU\n' \
    "$RPS_cc_HS256" "$CPU_cc_HS256"
  printf '          per token for the server and wrk together\n'
  printf 'CPU view: a signature costs %s ms of CPU (RS256) and %s ms (ES256); a client-credentials token cost the\n' \
    "$SIGN_CPU_MS_RS256" "$SIGN_CPU_MS_ES256"
  printf '          server and wrk %s ms (RS256) and %s ms (ES256): signing is %s%% of it for RS256, %s for ES256\n' \
    "$CPU_cc_RS256" "$CPU_cc_ES256" "$share_rs" "$share_es"

  printf '\ntargets (issue #13):\n'
  printf '  %-50s %s\n' \
    "client credentials RS256 >= 80% of the signing limit" "$(mark "$pct_rs >= 80")" \
    "client credentials ES256 >= 5000 tokens/s" "$(mark "$RPS_cc_ES256 >= 5000")" \
    "client credentials RS256 >= 1.5x Keycloak ($aim/s)" "$(mark "$RPS_cc_RS256 >= $aim")"

  if [ "${#FAILURES[@]}" -gt 0 ]; then
    printf '\nFAILED:\n'
    printf '  - %s\n' "${FAILURES[@]}"
  else
    printf '\nall steps passed: every response had the expected status, no socket errors\n'
  fi
}

mkdir -p "$RESULTS_DIR"
RESULT_FILE=$RESULTS_DIR/clients-$(date -u '+%Y%m%dT%H%M%SZ').txt
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
