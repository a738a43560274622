#!/usr/bin/env bash
# Packs the WASM verifier as the npm package @wwkit/verify: assembles
# wasm/dist/npm/ from wasm/npm/ (package.json, entry, README) and
# wasm/dist/ (the module, its .gz/.br, the loader builds, the types, Go's
# wasm_exec.js), then `npm pack`s it into wasm/dist/. Run after make wasm.
#   scripts/npm-pack.sh            prints the tarball's path
set -euo pipefail
cd "$(dirname "$0")/.."
d=wasm/dist
for f in wwkit.wasm wwkit.wasm.gz wasm_exec.js wwkit.js wwkit.mjs wwkit.d.ts; do
  [ -f "$d/$f" ] || { echo "npm-pack: $d/$f is missing; run make wasm first" >&2; exit 1; }
done
rm -rf "$d/npm" && mkdir -p "$d/npm"
cp wasm/npm/package.json wasm/npm/index.mjs wasm/npm/README.md "$d/npm/"
cp "$d"/wwkit.wasm "$d"/wwkit.wasm.gz "$d"/wasm_exec.js "$d"/wwkit.js "$d"/wwkit.mjs "$d"/wwkit.d.ts "$d/npm/"
[ -f "$d/wwkit.wasm.br" ] && cp "$d/wwkit.wasm.br" "$d/npm/"
[ -f LICENSE ] && cp LICENSE "$d/npm/"
tgz=$(cd "$d/npm" && npm pack --silent --pack-destination .. | tail -1)
echo "$d/$tgz"
