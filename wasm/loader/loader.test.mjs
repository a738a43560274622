// Node test of the loader against the built module: node --test wasm/loader/
// Needs `make wasm` first (WWKIT_WASM_DIST names the folder, default wasm/dist).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = process.env.WWKIT_WASM_DIST || path.join(here, "..", "dist");

// Node's fetch does not read file: URLs; pages fetch over HTTP. Serve the
// folder through a fetch shim that answers like a server would.
globalThis.fetch = async (url) => {
  const p = fileURLToPath(url);
  try {
    const body = await readFile(p);
    return new Response(body, { status: 200, headers: { "content-type": p.endsWith(".wasm") ? "application/wasm" : "text/javascript" } });
  } catch {
    return new Response("not found", { status: 404 });
  }
};

test("the ES module loads the verifier and calls it", async () => {
  const mod = await import(pathToFileURL(path.join(dist, "wwkit.mjs")).href);
  const wwkit = mod.default;
  assert.equal(wwkit.verifyConfig({}).error.kind, "not_ready");
  await wwkit.ready();
  assert.ok(wwkit.version);
  const s = wwkit.sign({
    ticket: "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
    nonceStr: "Wm3WZYTPz0wzccnW", timestamp: 1414587457, url: "http://mp.weixin.qq.com?params=value#x",
  });
  assert.equal(s.signature, "0f9de62fce790f9a083d5c99e95740ceb90c27ed");
  const r = wwkit.verifyConfig({
    appId: "ww0123456789abcdef", timestamp: 1414587457000, nonceStr: "Wm3WZYTPz0wzccnW",
    signature: s.signature, url: "http://mp.weixin.qq.com?params=value", now: 1414587457,
  });
  assert.equal(r.ok, false);
  assert.ok(r.findings.some((f) => f.code === "TIMESTAMP_MILLISECONDS"), JSON.stringify(r.findings));
  assert.equal(mod.verifyConfig, wwkit.verifyConfig);
  assert.ok(wwkit.knownJsApis("wecom").apis.length > 20);
  // ready() is idempotent
  assert.equal(await wwkit.ready(), wwkit);
});
