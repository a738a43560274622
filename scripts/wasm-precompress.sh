#!/usr/bin/env bash
# Writes FILE.gz (gzip -9) and FILE.br (brotli -q 11) next to FILE, the
# WebAssembly verifier, for the dev server to send as they are (app/server
# serveH5). Skips the work when FILE has not changed since the last run
# (brotli -q 11 takes seconds). Without brotli it warns and removes a stale
# FILE.br, and the server sends gzip.
#   scripts/wasm-precompress.sh wasm/dist/wwkit.wasm
set -euo pipefail
f=${1:?usage: scripts/wasm-precompress.sh FILE}
stamp="$f.sha256"
sum=$(sha256sum "$f" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] && [ -f "$f.gz" ]; then
  exit 0
fi
gzip -9 -n -c "$f" > "$f.gz"
if command -v brotli >/dev/null; then
  brotli -q 11 -f -o "$f.br" "$f"
else
  rm -f "$f.br"
  echo "wasm: warning: brotli is not installed (scripts/setup.sh installs it); the dev server will send the verifier gzip-compressed only" >&2
fi
echo "$sum" > "$stamp"
