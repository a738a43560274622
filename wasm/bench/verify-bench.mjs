// Times the WASM verifier under Node through the ES module loader: the time
// from import to ready(), the first calls, and batches of verifyConfig calls (object argument, the
// same good config as BenchmarkVerifyJSON in wasm/api_test.go).
// Run after `make wasm`: node wasm/bench/verify-bench.mjs
// It measures and prints; it asserts nothing about speed.
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import { performance } from "node:perf_hooks";

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = process.env.WWKIT_WASM_DIST || path.join(here, "..", "dist");

globalThis.fetch = async (url) => {
  const p = fileURLToPath(url);
  const body = await readFile(p);
  return new Response(body, { status: 200, headers: { "content-type": p.endsWith(".wasm") ? "application/wasm" : "text/javascript" } });
};

const t0 = performance.now();
const mod = await import(pathToFileURL(path.join(dist, "wwkit.mjs")).href);
const wwkit = mod.default;
await wwkit.ready();
const ready = performance.now() - t0;

const input = {
  appId: "ww0123456789abcdef", timestamp: 1414587457, nonceStr: "Wm3WZYTPz0wzccnW",
  signature: "0f9de62fce790f9a083d5c99e95740ceb90c27ed", url: "http://mp.weixin.qq.com?params=value",
  ticket: "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
  now: 1414587457, jsApiList: ["chooseImage"],
};
const bad = { ...input, signature: "1f9de62fce790f9a083d5c99e95740ceb90c27ed" };
// The first call of each kind, as a page makes it (cold JIT).
const first = (arg) => { const t = performance.now(); wwkit.verifyConfig(arg); return performance.now() - t; };
const firstGood = first(input);
const firstBad = first(bad);
for (let i = 0; i < 100; i++) { wwkit.verifyConfig(input); wwkit.verifyConfig(bad); } // warm-up
// Batches of calls; the minimum and median per-call time of the batches, so a
// busy machine (other jobs) shows as spread rather than as one figure.
const batches = Number(process.env.BATCHES || 10);
const n = Number(process.env.CALLS || 100);
const run = (arg) => {
  const per = [];
  let ok = 0;
  for (let b = 0; b < batches; b++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) ok += wwkit.verifyConfig(arg).ok ? 1 : 0;
    per.push((performance.now() - t) / n);
  }
  per.sort((a, b) => a - b);
  return { min: per[0], median: per[per.length >> 1], ok };
};
const good = run(input);
const mismatch = run(bad);
const us = (ms) => (ms * 1000).toFixed(1);
console.log(`node ${process.version}: import→ready ${ready.toFixed(1)} ms; first verifyConfig ${us(firstGood)} µs (good), ${us(firstBad)} µs (mismatch)`);
console.log(`verifyConfig per call over ${batches}×${n} calls: good config min ${us(good.min)} µs, median ${us(good.median)} µs (ok ${good.ok}/${batches * n}); signature mismatch with forensics min ${us(mismatch.min)} µs, median ${us(mismatch.median)} µs (ok ${mismatch.ok})`);
process.exit(0);
