#!/usr/bin/env bash
# make test-dist: builds every artefact once (scripts/dist.sh as
# v0.0.0-disttest into dist/), then runs every scripts/test-dist-*.sh in turn
# (each checks one part of the release) and fails if any fails. Prints how
# long each part took.
set -uo pipefail
cd "$(dirname "$0")/.."
export DIST_TEST_VERSION=v0.0.0-disttest
t0=$(date +%s)
if ! VERSION="$DIST_TEST_VERSION" scripts/dist.sh; then
  echo "FAIL scripts/dist.sh"
  exit 1
fi
echo "ok   scripts/dist.sh ($(( $(date +%s) - t0 ))s)"
fail=0 passed=0 failed=0
for t in scripts/test-dist-*.sh; do
  [ -e "$t" ] || continue
  echo "== $t"
  start=$(date +%s)
  if bash "$t"; then
    echo "ok   $t ($(( $(date +%s) - start ))s)"; passed=$((passed+1))
  else
    echo "FAIL $t ($(( $(date +%s) - start ))s)"; fail=1; failed=$((failed+1))
  fi
done
echo "test-dist: $(( $(date +%s) - t0 ))s in all"
echo "test-dist: $passed passed, $failed failed"
exit $fail
