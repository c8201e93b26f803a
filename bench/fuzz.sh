#!/usr/bin/env bash
# Fuzzes Jot's parsers with Jazzer, one target after another, each for its @FuzzTest maxDuration (5 minutes).
#   bench/fuzz.sh                 every target
#   bench/fuzz.sh JoseFuzzTest#compactJwsIsVerifiedOrRefusedWithAJwtException
# A finding is written as a file next to the regression inputs (src/test/resources/<package>/<Class>Inputs/
# <method>/crash-*), which ./mvnw verify then replays on every build: give it a name that says what it guards,
# fix the code, and keep the file. Targets (module: class#method):
set -euo pipefail
cd "$(dirname "$0")/.."
TARGETS=(
  "jot-jwt:JoseFuzzTest#compactJwsIsVerifiedOrRefusedWithAJwtException"
  "jot-jwt:JoseFuzzTest#jwkAndJwksJsonIsParsedOrRefusedWithAJwtException"
  "jot-jwt:JoseFuzzTest#jsonIsReadOrRefusedAndWhatIsReadWritesBackTheSame"
  "jot-jwt:JoseFuzzTest#unverifiedDecodingRefusesWithAJwtException"
  "jot-server:RequestBindingFuzzTest#anyBodyOnAPasswordOrTokenRouteIsAnsweredWithoutA5xx"
)
if [[ $# -gt 0 ]]; then
  TARGETS=()
  for t in "$@"; do
    case "$t" in JoseFuzzTest*) TARGETS+=("jot-jwt:$t") ;; *) TARGETS+=("jot-server:$t") ;; esac
  done
fi
for target in "${TARGETS[@]}"; do
  module="${target%%:*}"; test="${target#*:}"
  echo "== fuzzing $test ($module)"
  JAZZER_FUZZ=1 ./mvnw -B -q test -pl "$module" -am -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
      2>&1 | grep -E "#[0-9]+ +(DONE|INITED|pulse)|cov:|Tests run|FAIL|crash|Exception" | tail -8 || true
done
