// Times the WASM verifier under Node through the ES module loader: the time
// from import to ready(), and 1000 verifyConfig calls (object argument, the
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
for (let i = 0; i < 100; i++) wwkit.verifyConfig(input); // warm-up
const n = 1000;
const run = (arg) => {
  const t = performance.now();
  let ok = 0;
  for (let i = 0; i < n; i++) ok += wwkit.verifyConfig(arg).ok ? 1 : 0;
  return [(performance.now() - t) / n, ok];
};
const [good, okGood] = run(input);
const [mismatch, okBad] = run(bad);
console.log(`node ${process.version}: import→ready ${ready.toFixed(1)} ms; verifyConfig ${(good * 1000).toFixed(1)} µs/call (good config, ok ${okGood}/${n}), ${(mismatch * 1000).toFixed(1)} µs/call (signature mismatch with forensics, ok ${okBad}/${n})`);
process.exit(0);
