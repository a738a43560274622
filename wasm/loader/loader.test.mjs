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

test("the page form compares the URL the server signed with the page's", async () => {
  const { default: wwkit } = await import(pathToFileURL(path.join(dist, "wwkit.mjs")).href);
  await wwkit.ready();
  const page = "https://h5.example.com/app/?from=share&id=7";
  const s = wwkit.sign({ ticket: "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl", nonceStr: "Wm3WZYTPz0wzccnW", timestamp: 1414587457, url: page });
  // what a signing endpoint answers: its url is the URL it signed
  const answer = (url) => ({ ok: true, appId: "wx0123456789abcdef", timestamp: 1414587457, nonceStr: "Wm3WZYTPz0wzccnW", signature: s.signature, url });
  const good = wwkit.verifyConfig(answer(page), { url: page + "#/list", landingUrl: page });
  assert.ok(!good.findings.some((f) => f.code.startsWith("URL_")), JSON.stringify(good.findings));
  assert.ok(good.findings.some((f) => f.code === "SIGNATURE_UNVERIFIED"));
  const bad = wwkit.verifyConfig(answer(page.replaceAll("&", "&amp;")), { url: page, landingUrl: page });
  assert.ok(bad.findings.some((f) => f.code === "URL_HTML_ESCAPED"), JSON.stringify(bad.findings));
  const frag = wwkit.verifyConfig(answer(page + "#/list"), { url: page + "#/list", landingUrl: page });
  assert.ok(frag.findings.some((f) => f.code === "URL_HAS_FRAGMENT"), JSON.stringify(frag.findings));
  assert.equal(wwkit.verifyConfig(null, {}).error.kind, "input");
  // without a POST handler at signedBy the page still gets its own findings, and is told why
  const viaServer = await wwkit.verifyConfig(answer(page), { url: page, signedBy: pathToFileURL(path.join(dist, "no-such-endpoint")).href });
  assert.equal(viaServer.server.ok, false);
  assert.match(viaServer.server.error, /did not check the signature|failed/);
  assert.ok(viaServer.findings.some((f) => f.code === "SIGNATURE_UNVERIFIED"));
});
