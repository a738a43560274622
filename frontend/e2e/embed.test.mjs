// The two snippets of docs/embed.md, taken literally from the markdown, run
// in headless Chromium against a real `wwkit serve` (emulator profile). A
// loopback server in front of it serves the snippet pages and the verifier
// (wasm/dist) and passes /api/jssdk/* on; for the broken case it signs the
// way a backend that HTML-escapes its URL does (& as &amp;).
// Run: npm run e2e (after make wasm; builds the wwkit binary when missing).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startServe } from "./harness.mjs";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const wasmDist = join(repo, "wasm", "dist");
const md = readFileSync(join(repo, "docs", "embed.md"), "utf8");
const blocks = [...md.matchAll(/```(js|html)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], code: m[2] }));
const moduleSnippet = blocks.find((b) => b.lang === "js" && b.code.includes("signedBy"))?.code;
const classicSnippet = blocks.find((b) => b.lang === "html" && b.code.includes("wwkit.js"))?.code;

let serve, server, base, browser;

before(async () => {
  assert.ok(moduleSnippet && classicSnippet, "docs/embed.md lost its two snippets");
  const bin = process.env.WWKIT_BIN ?? join(tmpdir(), "wwkit-embed-e2e-bin");
  if (!process.env.WWKIT_BIN) execFileSync("go", ["build", "-o", bin, "."], { cwd: repo, stdio: "inherit" });
  if (!existsSync(join(wasmDist, "wwkit.wasm"))) execFileSync("make", ["-C", repo, "wasm"], { stdio: "inherit" });
  serve = await startServe(bin);
  const upstream = serve.info.url.replace(/\/$/, "");
  server = createServer(async (req, res) => {
    const u = new URL(req.url, "http://x");
    const escaping = u.searchParams.get("backend") === "escaped" || (req.headers.referer ?? "").includes("backend=escaped");
    if (u.pathname.startsWith("/api/jssdk/")) {
      let target = upstream + req.url;
      if (req.method === "GET" && escaping) {
        const signed = u.searchParams.get("url").replaceAll("&", "&amp;");
        u.searchParams.set("url", signed);
        target = upstream + u.pathname + u.search;
      }
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const r = await fetch(target, { method: req.method, headers: { "content-type": req.headers["content-type"] ?? "application/json" }, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
      res.writeHead(r.status, { "content-type": "application/json" });
      return res.end(Buffer.from(await r.arrayBuffer()));
    }
    if (u.pathname.startsWith("/wwkit/")) {
      const f = join(wasmDist, u.pathname.slice(7).replace(/[^A-Za-z0-9_.-]/g, ""));
      if (!existsSync(f)) { res.writeHead(404); return res.end(); }
      res.writeHead(200, { "content-type": extname(f) === ".wasm" ? "application/wasm" : "text/javascript" });
      return res.end(readFileSync(f));
    }
    // A page per snippet; console.warn carries the findings.
    const body = u.pathname === "/module.html" ? `<script type="module">${moduleSnippet}</script>` : `${classicSnippet}`;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><meta charset="utf-8"><title>embed</title>${body}`);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
  serve?.proc.kill("SIGTERM");
});

/** run opens a snippet page and resolves with what the snippet warned
 * (nothing when the config is fine), waiting for the server check to answer. */
async function run(path) {
  const page = await browser.newPage();
  const warnings = [];
  const errors = [];
  page.on("console", (m) => { if (m.type() === "warning") warnings.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  const checked = page.waitForResponse((r) => r.url().includes("/api/jssdk/config") && r.request().method() === "POST", { timeout: 20000 });
  await page.goto(base + path);
  const r = await checked;
  const answer = await r.json();
  await page.waitForTimeout(300); // the snippet's console.warn runs after the answer
  await page.close();
  assert.deepEqual(errors, []);
  return { warnings, answer };
}

for (const [name, file] of [["ES module", "/module.html"], ["classic script", "/classic.html"]]) {
  test(`${name} snippet: a right config checks out on the server`, async () => {
    const { warnings, answer } = await run(file + "?from=share&id=7");
    assert.ok(answer.result.findings.some((f) => f.code === "SIGNATURE_OK"), JSON.stringify(answer));
    assert.ok(!warnings.some((w) => /SIGNATURE_(MISMATCH|UNVERIFIED)|URL_[A-Z]/.test(w)), warnings.join("\n"));
  });
  test(`${name} snippet: a backend that signed &amp; is named`, async () => {
    const { warnings, answer } = await run(file + "?backend=escaped&id=7");
    assert.ok(answer.result.findings.some((f) => f.code === "URL_HTML_ESCAPED"), JSON.stringify(answer));
    assert.ok(warnings.some((w) => w.includes("URL_HTML_ESCAPED")), warnings.join("\n"));
    assert.ok(!JSON.stringify(answer).includes("jsapi_ticket="), "the answer holds a string to sign");
  });
}
