// Times the verifier alone in headless Chromium (Debian chromium, driven by
// playwright-core from frontend/node_modules): a page with nothing but the
// loader, served over loopback the way `wwkit serve` serves it (brotli or
// gzip precompressed by make wasm, application/wasm, no-cache + ETag so a
// reload is a 304), and the same early compile as the H5 debug page's
// <head>. It prints, over RUNS cold loads (a fresh browser context: empty
// HTTP and code cache) and RUNS reloads (warm), the time from navigation
// start to `await wwkit.ready()` and the first verifyConfig call.
// Run after `make wasm` and `npm install` in frontend/:
//   node wasm/bench/ready-chromium.mjs
// It measures and prints; it asserts nothing about speed.
import { createServer } from "node:http";
import { createHash } from "node:crypto";
import { readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = process.env.WWKIT_WASM_DIST || path.join(here, "..", "dist");
const runs = Number(process.env.RUNS || 7);
const require = createRequire(path.join(here, "..", "..", "frontend", "package.json"));
const { chromium } = require("playwright-core");

// EARLY=0 leaves out the early compile (to measure what it brings).
const early = process.env.EARLY !== "0";
const page = `<!doctype html>
<html><head><meta charset="utf-8">
<link rel="modulepreload" href="/wwkit.mjs">
<link rel="modulepreload" href="/wasm_exec.js">
${early ? `<script>
  if (WebAssembly.compileStreaming) globalThis.__wwkitCompile = WebAssembly.compileStreaming(fetch("/wwkit.wasm")).catch(function () { return null; });
</script>` : ""}
<script type="module">
  import wwkit from "/wwkit.mjs";
  await wwkit.ready();
  const ready = performance.now();
  const t = performance.now();
  const r = wwkit.verifyConfig({ appId: "ww0123456789abcdef", timestamp: 1414587457, nonceStr: "Wm3WZYTPz0wzccnW",
    signature: "0f9de62fce790f9a083d5c99e95740ceb90c27ed", url: "http://mp.weixin.qq.com?params=value",
    ticket: "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg", now: 1414587457 });
  window.__bench = { ready, first: performance.now() - t, ok: r.ok };
</script></head><body>wwkit ready bench</body></html>`;

const types = { ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm", ".ts": "text/plain" };
const server = createServer((req, res) => {
  const name = new URL(req.url, "http://x").pathname;
  if (name === "/") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" });
    return res.end(page);
  }
  const file = path.join(dist, path.basename(name));
  if (!existsSync(file)) { res.writeHead(404); return res.end(); }
  let body = readFileSync(file);
  const etag = `W/"${createHash("sha256").update(body).digest("hex").slice(0, 24)}"`;
  const headers = { "content-type": types[path.extname(file)] || "application/octet-stream", "cache-control": "no-cache", etag, vary: "Accept-Encoding" };
  if (req.headers["if-none-match"] === etag) { res.writeHead(304, headers); return res.end(); }
  const enc = req.headers["accept-encoding"] || "";
  if (file.endsWith(".wasm") && /\bbr\b/.test(enc) && existsSync(file + ".br")) {
    body = readFileSync(file + ".br"); headers["content-encoding"] = "br";
  } else if (file.endsWith(".wasm") && /\bgzip\b/.test(enc) && existsSync(file + ".gz")) {
    body = readFileSync(file + ".gz"); headers["content-encoding"] = "gzip";
  }
  headers["content-length"] = body.length;
  res.writeHead(200, headers);
  res.end(body);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const measure = async (p) => {
  await p.waitForFunction(() => window.__bench, null, { timeout: 30000 });
  return p.evaluate(() => window.__bench);
};
const cold = [], warm = [];
for (let i = 0; i < runs; i++) {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await p.goto(url);
  cold.push(await measure(p));
  await p.reload();
  warm.push(await measure(p));
  await ctx.close();
}
await browser.close();
server.close();

const stat = (xs, k) => {
  const v = xs.map((x) => x[k]).sort((a, b) => a - b);
  return `min ${v[0].toFixed(1)}, median ${v[v.length >> 1].toFixed(1)}, max ${v[v.length - 1].toFixed(1)} ms`;
};
const enc = existsSync(path.join(dist, "wwkit.wasm.br")) ? "brotli" : existsSync(path.join(dist, "wwkit.wasm.gz")) ? "gzip" : "identity";
console.log(`chromium ${browser.version()} (${enc}${early ? ", early compile" : ""}), ${runs} runs: ready after navigation start, cold ${stat(cold, "ready")}; warm (reload, 304) ${stat(warm, "ready")}`);
console.log(`first verifyConfig (good config): cold ${stat(cold, "first")}; warm ${stat(warm, "first")}; all ok: ${[...cold, ...warm].every((x) => x.ok)}`);
