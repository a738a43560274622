#!/usr/bin/env bash
# make test-dist: runs every scripts/test-dist-*.sh in turn (each checks one
# part of the release artefacts) and fails if any fails.
set -uo pipefail
cd "$(dirname "$0")/.."
fail=0
for t in scripts/test-dist-*.sh; do
  [ -e "$t" ] || continue
  echo "== $t"
  start=$(date +%s)
  if bash "$t"; then echo "ok   $t ($(( $(date +%s) - start ))s)"; else echo "FAIL $t"; fail=1; fi
done
exit $fail
