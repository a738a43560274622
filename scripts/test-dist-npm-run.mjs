// Serves a built Vite app (argv[2]) on loopback and loads it in headless
// Chromium; fails unless the page's verifyConfig reported
// TIMESTAMP_MILLISECONDS. Used by scripts/test-dist-npm.sh.
import { createRequire } from "node:module";
import { createServer } from "node:http";
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(fileURLToPath(import.meta.url), "..", "..");
const { chromium } = createRequire(join(repo, "frontend", "package.json"))("playwright-core");
const dist = process.argv[2];
const MIME = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };
const server = createServer((req, res) => {
  const p = normalize(new URL(req.url, "http://x").pathname).replace(/^(\.\.[/\\])+/, "");
  const f = join(dist, p === "/" ? "index.html" : p);
  if (!f.startsWith(dist) || !existsSync(f) || statSync(f).isDirectory()) { res.writeHead(404); return res.end(); }
  res.writeHead(200, { "content-type": MIME[extname(f)] ?? "application/octet-stream" });
  res.end(readFileSync(f));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
let code = 1;
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => console.error("page error:", String(e)));
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById("out")?.dataset.done === "1", null, { timeout: 30000 });
  const d = await page.evaluate(() => ({ ...document.getElementById("out").dataset }));
  console.log(`test-dist-npm: ${url}: wwkit ${d.version}, findings ${d.codes ?? "-"}${d.error ? ", error " + d.error : ""}`);
  if (d.codes?.split(",").includes("TIMESTAMP_MILLISECONDS")) code = 0;
  else console.error("test-dist-npm: FAIL: verifyConfig did not report TIMESTAMP_MILLISECONDS");
} finally {
  await browser.close();
  server.close();
}
process.exit(code);
