#!/usr/bin/env bash
# Installs the @wwkit/verify tarball (scripts/npm-pack.sh) into a fresh
# Vite + TypeScript app in a temp dir (vite@7 and typescript from the
# registry), proves the types with tsc --noEmit, builds it with vite build,
# serves the build on loopback and runs it in headless Chromium, where
# verifyConfig must report a millisecond timestamp as TIMESTAMP_MILLISECONDS.
# Part of make test-dist. Needs make wasm and frontend's npm install
# (playwright-core drives /usr/bin/chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
[ -f wasm/dist/wwkit.wasm ] || make wasm
tgz=$repo/$(scripts/npm-pack.sh)
[ -d frontend/node_modules/playwright-core ] || (cd frontend && npm install --no-audit --no-fund --loglevel=error)
app=$(mktemp -d "${TMPDIR:-/tmp}/wwkit-npm-app-XXXXXX")
trap 'rm -rf "$app"' EXIT
cd "$app"
cat > package.json <<'JSON'
{ "name": "wwkit-npm-check", "private": true, "type": "module" }
JSON
npm install --no-audit --no-fund --loglevel=error "$tgz" vite@7 typescript
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "ESNext", "moduleResolution": "bundler", "strict": true, "noEmit": true, "lib": ["ES2022", "DOM"], "skipLibCheck": false }, "include": ["src"] }
JSON
mkdir src
cat > index.html <<'HTML'
<!doctype html><meta charset="utf-8"><title>wwkit npm check</title><pre id="out"></pre><script type="module" src="/src/main.ts"></script>
HTML
cat > src/main.ts <<'TS'
import wwkit, { type Finding, type VerifyResult } from "@wwkit/verify";

const out = document.getElementById("out")!;
try {
  await wwkit.ready();
  // A broken config: the backend passed Date.now() (milliseconds).
  const r = wwkit.verifyConfig({ appId: "ww0123456789abcdef", timestamp: Date.now(), nonceStr: "Wm3WZYTPz0wzccnW",
    signature: "0f9de62fce790f9a083d5c99e95740ceb90c27ed", url: location.href });
  if ("error" in r) throw new Error(r.error.message);
  const res: VerifyResult = r;
  out.dataset.codes = res.findings.map((f: Finding) => f.code).join(",");
  out.dataset.version = wwkit.version ?? "";
} catch (e) {
  out.dataset.error = String(e);
}
out.dataset.done = "1";
TS
npx tsc --noEmit -p .
npx vite build --logLevel warn
ls dist/assets
node "$repo/scripts/test-dist-npm-run.mjs" "$app/dist"
