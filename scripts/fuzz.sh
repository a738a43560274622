#!/usr/bin/env bash
# Runs every Go fuzz target of the module (core/, app/, wasm/, internal/) for a
# fixed budget each: scripts/fuzz.sh 20s (make fuzz FUZZTIME=20s; CI runs 4s).
#
# A failing input is written to the package's testdata/fuzz/FuzzX/ by Go; it
# fails the run and, once committed with the fix, replays in every `go test`.
#
# -fuzzminimizetime is 10x (FUZZMINIMIZETIME overrides it): with Go's default
# of 60 s per input, a target whose early inputs all widen coverage spends a
# short budget minimising them instead of fuzzing (figures in
# docs/benchmarks.md#fuzzing). A failing input is then minimised less, but
# still written and reported. Each target's executions are printed at the end.
#
# Go 1.26's fuzz coordinator can end a duration-bounded run with a bare
# "context deadline exceeded" and no failing input (golang/go#75804, fixed in
# Go 1.27), mostly on a loaded machine with a short budget. Such a run is
# retried once; if it flakes again it is reported as a flake but does not fail,
# because no input failed. Anything else that exits non-zero fails.
set -uo pipefail
cd "$(dirname "$0")/.."
budget="${1:-20s}"
minimize="${FUZZMINIMIZETIME:-10x}"
go_bin="${GO:-go}"
# Targets are found in the source (no test binary is built for packages
# without one): "pkgdir FuzzName" pairs.
mapfile -t targets < <(grep -rl --include='*_test.go' '^func Fuzz' core app wasm internal 2>/dev/null |
  while read -r f; do
    d=$(dirname "$f")
    sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$f" | sed "s|^|./$d |"
  done | sort -u)
[ "${#targets[@]}" -gt 0 ] || { echo "fuzz: no fuzz targets found" >&2; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed=0 flaked=0 passed=0
summary=()
start=$(date +%s)
for t in "${targets[@]}"; do
  pkg=${t% *} name=${t#* }
  for attempt in 1 2; do
    note=""
    [ "$attempt" = 2 ] && note=" (retry after a bare deadline flake)"
    echo "fuzz: $pkg $name for $budget$note"
    "$go_bin" test -run '^$' -fuzz "^${name}\$" -fuzztime "$budget" -fuzzminimizetime "$minimize" "$pkg" >"$log" 2>&1
    rc=$?
    tail -n 3 "$log"
    if [ "$rc" = 0 ]; then
      passed=$((passed + 1))
      # The coordinator's last progress line: "fuzz: elapsed: 4s, execs: N (…/sec), …".
      execs=$(grep -o 'execs: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
      summary+=("$(printf '%-28s %-22s %10s' "$pkg" "$name" "${execs:-?}")")
      break
    fi
    # A bare flake: the deadline message and the runner's own lines,
    # nothing else (no failing input, no panic, no test output).
    if grep -q 'context deadline exceeded' "$log" &&
      ! grep -qE 'Failing input written|panic:|fuzzing process hung' "$log" &&
      ! grep -vE '^[[:space:]]*(context deadline exceeded|fuzz: |FAIL|--- FAIL: Fuzz|exit status|ok |PASS|warning: )|^[[:space:]]*$' "$log" | grep -q .; then
      if [ "$attempt" = 2 ]; then
        echo "fuzz: $pkg $name: flaked twice with a bare 'context deadline exceeded' and no failing input (golang/go#75804); not a finding"
        flaked=$((flaked + 1))
      fi
      continue
    fi
    cat "$log"
    if grep -q 'Failing input written' "$log"; then
      echo "fuzz: $pkg $name FAILED; the failing input is in $pkg/testdata/fuzz/$name/ — fix the bug and commit it as a regression seed" >&2
    else
      echo "fuzz: $pkg $name FAILED without a failing input (build error or test failure above)" >&2
    fi
    failed=$((failed + 1))
    break
  done
done
echo "fuzz: executions per target ($budget each, -fuzzminimizetime $minimize):"
printf '  %s\n' "${summary[@]}"
echo "fuzz: ${#targets[@]} targets, $budget each: $passed passed, $failed failed, $flaked flaked (in $(($(date +%s) - start)) s)"
[ "$failed" = 0 ] || exit 1
# Every target flaking means nothing was fuzzed: that is a broken run.
[ "$passed" -gt 0 ] || { echo "fuzz: no target ran to completion" >&2; exit 1; }
