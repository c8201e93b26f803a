#!/usr/bin/env bash
# Runs the jot-bench JMH suite and prints ops/s, ratio to raw JCA and B/op per benchmark.
#
#   bench/jmh.sh                      # everything: 61 benchmarks, ~15 min
#   bench/jmh.sh 'HS256.*verify'      # a filter regex; any other argument goes to JMH as well
#   bench/jmh.sh GuardBench           # jot-guard's request path: cached, cache miss, raw RS256 (~1 min)
#   JMH_I=10 JMH_R=2s bench/jmh.sh    # longer measurement
#
# Env: JMH_WI/JMH_W warmup iterations/time (3, 2s), JMH_I/JMH_R measurement (5, 1s), JMH_F forks (1),
#      JMH_OUT results JSON (default jot-bench/target/jmh/results-<time>.json).
# Needs only a JDK 21+ (found like the build finds it: JAVA_HOME, then `java`, then /usr/lib/jvm/*).
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=jot-bench/target/benchmarks.jar

# Major version of a java binary, e.g. 25 (1.8 -> 1), or empty when it does not run.
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 \
    | awk -F' = ' '/java.specification.version/ {split($2, v, "."); print v[1]; exit}'
}

find_java() {
  local candidates=() best="" best_major=0 c m
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  # The first acceptable of JAVA_HOME and PATH wins: the user chose it.
  for c in "${candidates[@]}"; do
    m=$(java_major "$c" || true)
    if [[ -n "$m" && "$m" -ge 21 ]]; then echo "$c"; return; fi
  done
  # Otherwise the newest installed JDK.
  for c in /usr/lib/jvm/*/bin/java /Library/Java/JavaVirtualMachines/*/Contents/Home/bin/java; do
    [[ -x "$c" ]] || continue
    m=$(java_major "$c" || true)
    if [[ -n "$m" && "$m" -ge 21 && "$m" -gt "$best_major" ]]; then best="$c"; best_major="$m"; fi
  done
  [[ -n "$best" ]] && echo "$best"
}

JAVA=$(find_java) || true
if [[ -z "${JAVA:-}" ]]; then
  echo "jmh.sh: no JDK 21+ found (set JAVA_HOME)" >&2
  exit 1
fi

# Rebuild when the jar is missing or older than any source or pom it is made from.
if [[ ! -f "$JAR" ]] || [[ -n "$(find pom.xml jot-jwt/pom.xml jot-jwt/src/main jot-guard/pom.xml jot-guard/src/main \
      jot-bench/pom.xml jot-bench/src \
      -newer "$JAR" -type f -print -quit)" ]]; then
  echo "building $JAR ..." >&2
  ./mvnw -B -q -DskipTests -pl jot-bench -am package
fi

STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${JMH_OUT:-jot-bench/target/jmh/results-$STAMP.json}
mkdir -p "$(dirname "$OUT")"

echo "JDK: $JAVA ($("$JAVA" -version 2>&1 | head -1)); $(nproc 2>/dev/null || echo '?') CPUs; started $(date '+%F %T %Z')" >&2
"$JAVA" -jar "$JAR" \
  -f "${JMH_F:-1}" -t 1 \
  -wi "${JMH_WI:-3}" -w "${JMH_W:-2s}" \
  -i "${JMH_I:-5}" -r "${JMH_R:-1s}" \
  -prof gc \
  -rf json -rff "$OUT" \
  "$@"

if [[ -s "$OUT" ]]; then
  echo
  echo "Results: $OUT (finished $(date '+%F %T %Z'))"
  "$JAVA" -cp "$JAR" dev.jot.bench.Report "$OUT" | tee "${OUT%.json}.txt"
fi
