// Browser tests of the H5 debug page in real headless Chromium
// (/usr/bin/chromium, driven by playwright-core), against the built page
// and the emulator: by default straight against `wwkit serve` (page embedded in the binary); see harness.mjs for the other modes.
// Run: npm run e2e (builds the wwkit binary and the page when missing).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startHarness } from "./harness.mjs";

const front = join(dirname(fileURLToPath(import.meta.url)), "..");
const repo = join(front, "..");
const dist = join(front, "dist", "h5");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const shots = process.env.WWKIT_E2E_OUT ?? join(tmpdir(), "wwkit-h5-e2e");

let h, browser;

before(async () => {
  const bin = process.env.WWKIT_BIN ?? join(tmpdir(), "wwkit-h5-e2e-bin");
  if (!process.env.WWKIT_BIN) execFileSync("go", ["build", "-o", bin, "."], { cwd: repo, stdio: "inherit" });
  if (!existsSync(join(dist, "index.html")) || !existsSync(join(dist, "wwkit", "wwkit.wasm.gz"))) {
    execFileSync("npm", ["run", "build"], { cwd: front, stdio: "inherit" });
  }
  mkdirSync(shots, { recursive: true });
  h = await startHarness({ bin, dist, mode: process.env.WWKIT_E2E_MODE });
  console.log(`# harness mode ${h.mode} at ${h.url}`);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  h?.close();
});

/** open loads the page at a phone size and fails the test on any request
 * that leaves the harness (the page must make no external requests). */
async function open(path, locale = "en-US") {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale });
  const page = await ctx.newPage();
  const external = [];
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(h.url) && !u.startsWith("data:") && !u.startsWith("blob:")) external.push(u);
  });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(h.url + path);
  await page.waitForFunction(() => document.getElementById("config-answer")?.dataset.errmsg !== "", null, { timeout: 15000 });
  return { ctx, page, external, errors };
}

const codes = (page, which) =>
  page.$$eval(`#findings .wk-findings:nth-child(${which}) .wk-finding`, (els) => els.map((e) => e.dataset.code));

test("correct config: verifier OK and the simulator answers config:ok", async () => {
  const { ctx, page, external, errors } = await open("/?bench=1");
  assert.equal(await page.getAttribute("#config-answer", "data-errmsg"), "config:ok");
  await page.waitForFunction(() => document.getElementById("agent-answer")?.dataset.errmsg !== "");
  assert.equal(await page.getAttribute("#agent-answer", "data-errmsg"), "agentConfig:ok");
  const level = await page.getAttribute("#findings .wk-findings:nth-child(1)", "data-level");
  assert.notEqual(level, "red", "a correct config must not be red");
  const c = await codes(page, 1);
  assert.ok(c.includes("SIGNATURE_OK"), `config findings ${c}`);
  assert.ok(!c.some((x) => /^URL_|^TICKET_|^TIMESTAMP_|MISMATCH/.test(x)), `unexpected findings ${c}`);
  const ac = await codes(page, 2);
  assert.ok(ac.includes("SIGNATURE_OK"), `agentConfig findings ${ac}`);
  assert.equal(await page.getAttribute(".wk-sign", "data-same"), "true", "page and server strings to sign must be identical");
  assert.ok(await page.isVisible("#sim-banner"), "the simulated banner must be visible");
  const st = await page.evaluate(() => window.__wwkitH5.state);
  console.log(`# verifier ready ${st.verifierReadySinceNavigationMs} ms after navigation start (${st.verifierReadyMs} ms after the page script started); first verifyConfig ${st.verifyMs.toFixed(2)} ms, warm median ${st.verifyWarmMedianMs.toFixed(3)} ms`);
  await page.screenshot({ path: join(shots, "h5-390x844.png"), fullPage: false });
  // Again with a warm HTTP cache (the second visit on a phone).
  await page.reload();
  await page.waitForFunction(() => window.__wwkitH5?.state?.verifierReadySinceNavigationMs !== undefined);
  const warm = await page.evaluate(() => window.__wwkitH5.state);
  console.log(`# reload: verifier ready ${warm.verifierReadySinceNavigationMs} ms after navigation start (${warm.verifierReadyMs} ms after the page script started)`);
  assert.deepEqual(external, [], "the page made requests outside the dev server");
  assert.deepEqual(errors, []);
  await ctx.close();
});

// englishSentence: four or more English words in a row with a function word
// (the rule of desktop/src/english.ts).
const functionWords = new Set("the a an is are not to of and or use set no in for with was does has have be it this from on at by can cannot".split(" "));
function englishSentence(text) {
  for (const m of text.matchAll(/\b[A-Za-z][A-Za-z']+(?:[ ,;:]+[A-Za-z][A-Za-z']*){3,}/g)) {
    if (m[0].toLowerCase().split(/[ ,;:]+/).some((w) => functionWords.has(w))) return m[0];
  }
  return null;
}

test("390 px: one language at a time, Chinese for a zh phone, with a toggle that is remembered", async () => {
  const { ctx, page, errors } = await open("/?lab=fragment", "zh-CN");
  await page.waitForSelector("#findings .wk-finding__fix");
  assert.equal(await page.evaluate(() => document.documentElement.dataset.lang), "zh");
  const zh = await page.evaluate(() => document.body.innerText);
  assert.equal(englishSentence(zh), null, `English shown on the Chinese page: ${englishSentence(zh)}`);
  assert.match(zh, /功能测试/);
  assert.doesNotMatch(zh, /\bflows\b|config is wrong|Fix:/, "each line once, in Chinese");
  assert.match(zh, /修复：签名前去掉 #/, "the fix of URL_HAS_FRAGMENT in Chinese");
  await page.screenshot({ path: join(shots, "h5-390-zh.png"), fullPage: false });
  await page.screenshot({ path: join(shots, "h5-390-zh-full.png"), fullPage: true });

  await page.click("#lang");
  assert.equal(await page.evaluate(() => document.documentElement.dataset.lang), "en");
  const en = await page.evaluate(() => document.body.innerText);
  assert.match(en, /\bflows\b/);
  assert.match(en, /Fix: Cut #/);
  assert.doesNotMatch(en, /功能测试|修复：/, "each line once, in English");
  await page.screenshot({ path: join(shots, "h5-390-en.png"), fullPage: false });
  await page.reload();
  await page.waitForSelector("#findings .wk-finding");
  assert.equal(await page.evaluate(() => document.documentElement.dataset.lang), "en", "the choice is remembered");
  assert.deepEqual(errors, []);
  await ctx.close();
});

const broken = [
  ["fragment", ["URL_HAS_FRAGMENT"]],
  ["ms", ["TIMESTAMP_MILLISECONDS", "TIMESTAMP_MISMATCH"]],
  ["agentticket", ["TICKET_WRONG_KIND"]],
  ["spa", ["URL_SPA_LANDING"]],
  ["amp", ["URL_HTML_ESCAPED"]],
];

for (const [lab, want] of broken) {
  test(`broken config ${lab}: ${want.join(", ")} and config:invalid signature`, async () => {
    const { ctx, page, errors } = await open(`/?lab=${lab}`);
    assert.equal(await page.getAttribute("#config-answer", "data-errmsg"), "config:invalid signature");
    assert.equal(await page.getAttribute("#findings .wk-findings:nth-child(1)", "data-level"), "red");
    const c = await codes(page, 1);
    for (const w of want) assert.ok(c.includes(w), `lab ${lab}: findings ${c} lack ${w}`);
    assert.ok(!c.includes("SIGNATURE_OK"), `lab ${lab}: a broken signature verified: ${c}`);
    // The simulator shows the emulator's explanation next to the client's text.
    assert.ok((await page.textContent("#config-answer-reason")).length > 20, "no emulator explanation shown");
    if (lab === "fragment") await page.screenshot({ path: join(shots, "h5-broken-fragment.png") });
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

// A 2x2 PNG (red, green, blue, white), the bytes the user "picks".
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==",
  "base64",
);

test("chooseImage → uploadImage → media fetch stores a file identical to the picked one", async () => {
  const { ctx, page, errors } = await open("/");
  const chooser = page.waitForEvent("filechooser");
  await page.click("[data-flow=album]");
  await (await chooser).setFiles({ name: "picked.png", mimeType: "image/png", buffer: PNG });
  await page.waitForSelector("figure.wk-stored", { timeout: 15000 });
  const url = await page.getAttribute("figure.wk-stored", "data-url");
  const stored = Buffer.from(await (await page.request.get(h.url + url)).body());
  assert.equal(createHash("sha256").update(stored).digest("hex"), createHash("sha256").update(PNG).digest("hex"));
  assert.ok(stored.equals(PNG), "the stored file differs from the picked one");
  // The local preview went through getLocalImgData (the iOS path) and the calls were sequential and traced.
  const apis = await page.$$eval(".wk-call", (els) => els.map((e) => `${e.dataset.api}:${e.dataset.outcome}`));
  for (const want of ["chooseImage:success", "getLocalImgData:success", "uploadImage:success"]) assert.ok(apis.includes(want), `trace ${apis}`);
  await page.screenshot({ path: join(shots, "h5-image-flow-full.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("a JS-SDK call that never calls back is flagged by the tracer", async () => {
  const { ctx, page, errors } = await open("/?simHang=getLocation&traceTimeout=1000");
  await page.click("[data-flow=getLocation]");
  const row = await page.waitForSelector('.wk-call[data-api=getLocation][data-outcome=none]', { timeout: 5000 });
  assert.match(await row.getAttribute("data-flags"), /NO_CALLBACK/);
  assert.match(await row.innerText(), /没有任何回调|no callback/);
  // A call that does answer is not flagged.
  await page.click("[data-flow=checkJsApi]");
  await page.waitForSelector(".wk-call[data-api=checkJsApi][data-outcome=success]");
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("inside a WeCom client the simulator is off and @wecom/jssdk drives the client's bridge (traced raw)", async () => {
  const ctx = await browser.newContext({
    viewport: { width: 390, height: 844 },
    userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh",
  });
  // A stand-in for the client's injected bridge: it answers every call ok
  // and records what the SDK sent.
  await ctx.addInitScript(() => {
    window.__bridgeCalls = [];
    window.WeixinJSBridge = {
      invoke(name, args, cb) {
        window.__bridgeCalls.push(name);
        setTimeout(() => cb({ err_msg: `${name}:ok` }), 5);
      },
      on() {},
    };
    document.addEventListener("DOMContentLoaded", () => document.dispatchEvent(new Event("WeixinJSBridgeReady")));
  });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(h.url + "/");
  await page.waitForFunction(() => document.getElementById("config-answer")?.dataset.errmsg !== "", null, { timeout: 15000 });
  // The stand-in answers with the client-side name (preVerifyJSAPI:ok); how
  // @wecom/jssdk renames it is its business, the page shows what it got.
  assert.match(await page.getAttribute("#config-answer", "data-errmsg"), /:ok$/);
  assert.equal(await page.isVisible("#sim-banner"), false, "the simulator must not run inside the client");
  const calls = await page.evaluate(() => window.__bridgeCalls);
  assert.ok(calls.length > 0, "@wecom/jssdk never invoked the bridge");
  const traced = await page.$$eval(".wk-call", (els) => els.map((e) => e.dataset.api));
  assert.ok(traced.some((a) => a.startsWith("bridge.")), `raw bridge calls not traced: ${traced}`);
  console.log(`# bridge calls: ${calls.join(", ")}`);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("in a desktop browser without the simulator, register never answers and the tracer says why", async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await page.goto(h.url + "/?sim=0&traceTimeout=1000");
  const row = await page.waitForSelector(".wk-call[data-api=register][data-outcome=none]", { timeout: 10000 });
  assert.match(await row.innerText(), /not inside WeCom\/WeChat/);
  await ctx.close();
});

test("OAuth sign-in shows the userid (through the real dev server and the emulator's authorize page)", async (t) => {
  if (h.mode === "emulator") return t.skip("needs wwkit serve (the emulator-only harness has no OAuth)");
  const { ctx, page, errors } = await open("/");
  await page.click("[data-flow=oauth]");
  await page.waitForSelector("a.u", { timeout: 10000 }); // the emulator's authorize page lists the members
  await page.click('a.u:has-text("zhangsan")');
  await page.waitForURL((u) => u.href.startsWith(h.url + "/"), { timeout: 10000 });
  await page.waitForFunction(() => document.getElementById("userid")?.textContent === "zhangsan", null, { timeout: 10000 });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("member detail: signed out and snsapi_base are explained, snsapi_privateinfo shows mobile and email (auth/getuserdetail via the dev server)", async (t) => {
  if (h.mode === "emulator") return t.skip("needs wwkit serve (the emulator-only harness has no OAuth or /api/oauth/userdetail)");
  const { ctx, page, external, errors } = await open("/");
  const box = "#userdetail-out";
  const state = () => page.getAttribute(box, "data-state");
  // Signed out: the page says what to do, in the page's language (en here).
  await page.click("[data-flow=userdetail]");
  await page.waitForFunction(() => document.getElementById("userdetail-out")?.dataset.state === "signin", null, { timeout: 10000 });
  assert.match(await page.locator(box).innerText(), /Signed out: tap “private info”/);
  // snsapi_base gives no user_ticket: the page names the scope and the fix.
  await page.click("[data-flow=oauth]");
  await page.waitForSelector("a.u", { timeout: 10000 });
  await page.click('a.u:has-text("lisi")');
  await page.waitForURL((u) => u.href.startsWith(h.url + "/"), { timeout: 10000 });
  await page.waitForFunction(() => document.getElementById("userid")?.textContent === "lisi", null, { timeout: 10000 });
  await page.click("[data-flow=userdetail]");
  await page.waitForFunction(() => /scope snsapi_base/.test(document.getElementById("userdetail-out")?.textContent ?? ""), null, { timeout: 10000 });
  assert.equal(await state(), "signin");
  // snsapi_privateinfo: back on the page, the detail shows by itself.
  await page.click("[data-flow=privateinfo]");
  await page.waitForSelector("a.u", { timeout: 10000 });
  assert.match(page.url(), /scope=snsapi_privateinfo/);
  await page.click('a.u:has-text("zhangsan")');
  await page.waitForURL((u) => u.href.startsWith(h.url + "/"), { timeout: 10000 });
  await page.waitForFunction(() => document.getElementById("userdetail-out")?.dataset.state === "ok", null, { timeout: 10000 });
  assert.equal(await page.getAttribute(box, "data-userid"), "zhangsan");
  assert.equal(await page.locator(`${box} dd[data-field=mobile]`).innerText(), "13800000001");
  assert.equal(await page.locator(`${box} dd[data-field=email]`).innerText(), "zhangsan@example.com");
  // The ticket and the token stay on the server.
  const html = await page.content();
  assert.ok(!/user_ticket=|access_token=/.test(html), "no ticket or token in the page");
  await page.screenshot({ path: join(shots, "h5-userdetail.png"), fullPage: false });
  // Chinese page: the same refusal in Chinese.
  const zh = await open("/", "zh-CN");
  await zh.page.click("[data-flow=userdetail]");
  await zh.page.waitForFunction(() => document.getElementById("userdetail-out")?.dataset.state === "signin", null, { timeout: 10000 });
  assert.match(await zh.page.locator(box).innerText(), /尚未登录/);
  await zh.ctx.close();
  assert.deepEqual(external.filter((u) => !new URL(u).pathname.endsWith("/connect/oauth2/authorize")), []);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("the sidebar panel: getCurExternalContact through the simulator, then the server's externalcontact/get", async (t) => {
  if (h.mode === "emulator") return t.skip("needs wwkit serve (the emulator-only harness has no OAuth or /api/customer)");
  const { ctx, page, external, errors } = await open("/");
  // Signed out, the server refuses: a member sees only their own customers.
  await page.click("[data-flow=sidebar]");
  await page.waitForFunction(() => /sign in/.test(document.getElementById("flow-out")?.textContent ?? ""), null, { timeout: 10000 });
  await page.click("[data-flow=oauth]");
  await page.waitForSelector("a.u", { timeout: 10000 });
  await page.click('a.u:has-text("zhaoliu")');
  await page.waitForURL((u) => u.href.startsWith(h.url + "/"), { timeout: 10000 });
  await page.waitForFunction(() => document.getElementById("userid")?.textContent === "zhaoliu", null, { timeout: 10000 });
  await page.waitForFunction(() => document.getElementById("agent-answer")?.dataset.errmsg === "agentConfig:ok", null, { timeout: 15000 });
  await page.click("[data-flow=sidebar]");
  await page.waitForSelector(".wk-call[data-api=getCurExternalContact][data-outcome=success]", { timeout: 10000 });
  await page.waitForFunction(() => /陈晓燕/.test(document.getElementById("sidebar-out")?.textContent ?? ""), null, { timeout: 10000 });
  const text = await page.locator("#sidebar-out").innerText();
  assert.match(text, /陈姐-华南采购/);
  assert.match(await page.locator("#flow-out").innerText(), /getCurExternalContact → wm/);
  await page.click("[data-flow=sidebarGroup]");
  await page.waitForFunction(() => /星河贸易采购对接群/.test(document.getElementById("sidebar-out")?.textContent ?? ""), null, { timeout: 10000 });
  // The only requests off the dev server are the emulator's authorize page (sign-in).
  assert.deepEqual(external.filter((u) => !new URL(u).pathname.endsWith("/connect/oauth2/authorize")), []);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("the other panels answer through the simulator and are traced; vConsole toggles (bundled)", async () => {
  const { ctx, page, external, errors } = await open("/");
  page.on("dialog", (d) => d.accept("https://example.com/qr-content"));
  const want = { checkJsApi: "success", getLocation: "success", scanQRCode: "success", openEnterpriseChat: "success", previewImage: "success" };
  for (const flow of Object.keys(want)) {
    await page.click(`[data-flow=${flow}]`);
    await page.waitForSelector(`.wk-call[data-api=${flow}]:not([data-outcome=pending])`, { timeout: 5000 });
    if (flow === "previewImage") {
      await page.waitForSelector("#preview img", { state: "visible", timeout: 5000 }); // previewImage shows the image
      await page.click("#preview");
    }
  }
  const got = Object.fromEntries(await page.$$eval(".wk-call", (els) => els.map((e) => [e.dataset.api, e.dataset.outcome])));
  for (const [api, outcome] of Object.entries(want)) assert.equal(got[api], outcome, `${api}: ${got[api]}`);
  assert.match(await page.textContent("#flow-out"), /previewImage/);
  await page.click("#vconsole");
  await page.waitForSelector("#__vconsole", { state: "attached", timeout: 5000 });
  await page.click("#vconsole");
  await page.waitForSelector("#__vconsole", { state: "detached", timeout: 5000 });
  assert.deepEqual(external, [], "vConsole or a panel fetched something outside the dev server");
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("the desktop QR code's apis= and vconsole=1 reach jsApiList and open vConsole", async () => {
  const { ctx, page, external, errors } = await open("/?profile=wecom&apis=getContext,shareAppMessage&vconsole=1");
  assert.equal(await page.getAttribute("#config-answer", "data-errmsg"), "config:ok");
  const list = await page.evaluate(() => [...(window.__wwkitH5.tracer.state.jsApiList ?? [])]);
  for (const api of ["chooseImage", "openEnterpriseChat", "getContext", "shareAppMessage"]) assert.ok(list.includes(api), `jsApiList ${list} lacks ${api}`);
  await page.waitForSelector("#__vconsole", { state: "attached", timeout: 5000 });
  assert.deepEqual(external, []);
  assert.deepEqual(errors, []);
  await ctx.close();
});

// The third-party flow in a real browser: the emulator's provider platform
// pushes a suite_ticket to `wwkit serve` and the test corp installs the
// suite (admin API, create_auth → the server exchanges the auth_code and
// stores the permanent code); the page opened "in" that corp gets wx.config
// and wx.agentConfig signed with the corp's tickets for the suite's
// AgentID, and the emulator's verifier (the simulated client) answers ok.
test("suite: the H5 page in an authorised corp gets config:ok and agentConfig:ok", async (t) => {
  if (h.mode !== "direct") return t.skip("needs wwkit serve itself (direct mode): the other harnesses sign for the self-built app only");
  const admin = async (path) => {
    const r = await fetch(h.emulator.url + path, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    const j = await r.json();
    assert.equal(j.ok, true, `${path}: ${JSON.stringify(j)}`);
    return j;
  };
  const ticket = await admin("/__emulator/suite/ticket");
  assert.equal(ticket.result.status, 200, `the suite_ticket push reached wwkit serve: ${JSON.stringify(ticket.result)}`);
  const install = await admin("/__emulator/suite/install");
  assert.equal(install.result.status, 200, `create_auth was handled: ${JSON.stringify(install.result)}`);
  const corp = install.corpId;
  const agentId = h.emulator.suites?.[0]?.agentId;

  const { ctx, page, external, errors } = await open(`/?profile=suite&corp=${encodeURIComponent(corp)}`);
  assert.equal(await page.getAttribute("#config-answer", "data-errmsg"), "config:ok");
  await page.waitForFunction(() => document.getElementById("agent-answer")?.dataset.errmsg !== "");
  assert.equal(await page.getAttribute("#agent-answer", "data-errmsg"), "agentConfig:ok");
  const c = await codes(page, 1);
  assert.ok(c.includes("SIGNATURE_OK"), `config findings ${c}`);
  const ac = await codes(page, 2);
  assert.ok(ac.includes("SIGNATURE_OK"), `agentConfig findings ${ac}`);
  // The agentConfig is the suite's app in that corp, not the emulator's
  // self-built app.
  assert.ok(agentId, `wwkit serve --json names the emulator's suites: ${JSON.stringify(h.emulator)}`);
  {
    const signed = await fetch(`${h.url}/api/jssdk/agent-config?profile=suite&corp=${encodeURIComponent(corp)}&url=${encodeURIComponent(h.url + "/")}`).then((r) => r.json());
    assert.equal(signed.agentId, agentId, `agent-config is signed for the suite's AgentID: ${JSON.stringify(signed)}`);
    assert.equal(signed.corpId, corp);
  }
  await page.screenshot({ path: join(shots, "h5-suite-corp.png"), fullPage: false });
  assert.deepEqual(external, [], "the page made requests outside the dev server");
  assert.deepEqual(errors, []);
  await ctx.close();

  // After cancel_auth the server names the cancellation instead of signing.
  await admin("/__emulator/suite/cancel");
  const r = await fetch(`${h.url}/api/jssdk/config?profile=suite&corp=${encodeURIComponent(corp)}&url=${encodeURIComponent(h.url + "/")}`);
  const j = await r.json();
  assert.equal(r.status, 410);
  assert.match(j.error, /cancelled the authorisation/);
});
