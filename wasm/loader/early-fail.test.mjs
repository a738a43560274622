// A failed early compile (globalThis.__wwkitCompile rejected, e.g. the page
// was served with the wrong MIME type) falls back to fetching wwkit.wasm.
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

test("a rejected early compile falls back to fetching the module", async () => {
  globalThis.__wwkitCompile = Promise.reject(new TypeError("Incorrect response MIME type"));
  globalThis.__wwkitCompile.catch(() => {}); // the page's own .catch, as in index.html
  const { default: wwkit } = await import(pathToFileURL(path.join(dist, "wwkit.mjs")).href);
  await wwkit.ready();
  assert.deepEqual(fetched.filter((f) => f.endsWith(".wasm")), ["wwkit.wasm"]);
  assert.equal(wwkit.knownJsApis("mp").ok, true);
});
