#!/usr/bin/env bash
# Runs every Go fuzz target of the module (core/, app/, wasm/) for a fixed
# budget each ($1, e.g. 20s; very short budgets can end in a spurious
# "context deadline exceeded" from the fuzz coordinator).
# New crashers land in the package's testdata/fuzz and become regression tests.
set -euo pipefail
cd "$(dirname "$0")/.."
budget="${1:-20s}"
found=0
for pkg in $(go list ./core/... ./app/... ./wasm/...); do
  for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
    found=1
    echo "fuzz: $pkg $target for $budget"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$budget" "$pkg"
  done
done
[ "$found" = 1 ] || { echo "fuzz: no fuzz targets found" >&2; exit 1; }
