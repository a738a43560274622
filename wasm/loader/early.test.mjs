// The loader takes a module the page started compiling early
// (globalThis.__wwkitCompile, as the H5 debug page's <head> does) instead of
// fetching wwkit.wasm again; a failed early compile falls back to the fetch.
// Its own file: node --test runs each file in a fresh process, and the
// loader loads the module once per page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = process.env.WWKIT_WASM_DIST || path.join(here, "..", "dist");

const fetched = [];
globalThis.fetch = async (url) => {
  const p = fileURLToPath(url);
  fetched.push(path.basename(p));
  const body = await readFile(p);
  return new Response(body, { status: 200, headers: { "content-type": p.endsWith(".wasm") ? "application/wasm" : "text/javascript" } });
};

test("an early compiled module is used and the wasm is not fetched again", async () => {
  const bytes = await readFile(path.join(dist, "wwkit.wasm"));
  globalThis.__wwkitCompile = WebAssembly.compile(bytes);
  const { default: wwkit } = await import(pathToFileURL(path.join(dist, "wwkit.mjs")).href);
  await wwkit.ready();
  assert.deepEqual(fetched.filter((f) => f.endsWith(".wasm")), []);
  const s = wwkit.sign({ ticket: "t", nonceStr: "n", timestamp: 1, url: "https://a.cn/" });
  assert.equal(s.ok, true, JSON.stringify(s));
});
