// The H5 debug page: checks wx.config where it runs (before ww.register),
// traces every JS-SDK call, and exercises the classic flows. In a desktop
// browser the bridge simulator answers the JS-SDK (clearly labelled).
import "weui/dist/style/weui.min.css";
import "./style.css";
import * as ww from "@wecom/jssdk";
import { detectClient, SIMULATED_UA_SUFFIX } from "./env";
import { traceBridge, Tracer, type Bridge } from "./tracer";
import { TraceView } from "./traceview";
import { createSimulator, filePicker, shouldSimulate, type Simulator } from "./simulator";
import { renderFindings, renderSignCompare, type VerifyOutcome } from "./findings";
import { fetchCustomer, fetchCustomerGroup, fetchMedia, getAgentConfig, getConfig, pageURL, whoAmI, type SignAnswer } from "./api";
import { buildLab, isLabName, type LabCase } from "./lab";
import { ticketOf } from "./sha1";
import { jsApiListFor, parsePageParams, SIDEBAR_APIS } from "./params";
import { bi, setBi, startLang } from "./lang";
import { detailProblem, detailRows, fetchUserDetail, safeImageURL, type Session } from "./userdetail";

/** L picks the text of the page's language when it is rendered (data lines that are not re-rendered on a toggle). */
const L = (zh: string, en: string) => (document.documentElement.dataset.lang === "en" ? en : zh);

// Recorded before anything can change the URL: the landing URL (落地页).
const landingHref = location.href;
const t0 = performance.now();
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const profile = params.get("profile");
// corp= opens the page "in" a corp that installed a third-party app (suite):
// the server signs with that corp's tickets.
const corp = params.get("corp");
// apis= and vconsole= come from the desktop app's QR codes (params.ts).
const pageParams = parsePageParams(location.search);
const ua = navigator.userAgent;
const client = detectClient(ua);
const simulate = shouldSimulate(ua, location.search);
const verifyUA = simulate ? ua + SIMULATED_UA_SUFFIX : ua;
const timeoutMs = Math.min(60000, Math.max(500, Number(params.get("traceTimeout")) || 5000));

const tracer = new Tracer({ timeoutMs, userAgent: verifyUA });
const view = new TraceView(document, $("trace"));
tracer.subscribe((e) => view.update(e));

type WWKit = {
  ready(): Promise<unknown>;
  verifyConfig(i: unknown): VerifyOutcome;
  knownJsApis(p?: string): { ok: boolean; apis?: { name: string; needsAgentConfig?: boolean; platform: string }[] };
  version?: string;
};

const hang = new Set((params.get("simHang") ?? "").split(",").filter(Boolean));
let sim: Simulator | null = null;
if (simulate) {
  $("sim-banner").hidden = false;
  $("hang-cell").hidden = false;
  const box = $<HTMLInputElement>("hang");
  box.checked = hang.has("getLocation");
  box.addEventListener("change", () => (box.checked ? hang.add("getLocation") : hang.delete("getLocation")));
  sim = createSimulator({
    userAgent: ua,
    fetch: (i, init) => fetch(i, init),
    href: () => location.href,
    pickFiles: filePicker(document),
    preview: (urls, current) => showPreview(urls, current),
    scan: async () => prompt(document.documentElement.dataset.lang === "zh" ? "模拟扫码：输入二维码内容" : "simulated scan: QR content", "https://work.weixin.qq.com/"),
    hang,
    agentApis: new Set(SIDEBAR_APIS),
  });
}
// Inside the clients, also trace the raw bridge under the SDK (§3 item 4).
if (!simulate) {
  const w = window as unknown as { WeixinJSBridge?: Bridge };
  if (w.WeixinJSBridge) traceBridge(tracer, w.WeixinJSBridge);
  else document.addEventListener("WeixinJSBridgeReady", () => { if (w.WeixinJSBridge) traceBridge(tracer, w.WeixinJSBridge); }, false);
}
// Every call from the page goes through the traced object.
const sdk = tracer.wrap(sim ?? ({ ...ww } as unknown as Simulator)) as unknown as Simulator & typeof ww;

startLang(document);
if (simulate) setBi($("env"), "桌面浏览器（模拟）", "desktop browser (simulated)");
else {
  const v = ` ${client.version} · ${client.os}`;
  setBi($("env"), `${client.kind === "wecom" ? "企业微信" : client.kind === "wechat" ? "微信" : "浏览器"}${v}`, `${client.kind === "wecom" ? "WeCom" : client.kind === "wechat" ? "WeChat" : "browser"}${v}`);
}

const state: Record<string, unknown> = { landingHref, simulate, client };
(window as unknown as { __wwkitH5: unknown }).__wwkitH5 = { tracer, sim, state };

async function loadVerifier(): Promise<WWKit> {
  const mod = (await import(/* @vite-ignore */ new URL("wwkit/wwkit.mjs", document.baseURI).href)) as { default: WWKit };
  await mod.default.ready();
  return mod.default;
}

function setAnswer(id: string, errMsg: string, reason?: string, reasonZh?: string) {
  const e = $(id);
  e.dataset.errmsg = errMsg;
  e.textContent = errMsg;
  e.style.color = /:ok$/.test(errMsg) ? "#07c160" : "#fa5151";
  if (reason) e.title = reason;
  const why = $(`${id}-reason`);
  if (why) {
    why.hidden = !reason;
    if (reason) setBi(why, `模拟器说明：${reasonZh || reason}`, `emulator: ${reason}`);
    else why.textContent = "";
  }
}

function applyLabURL(lab: LabCase) {
  if (lab.push) history.pushState(null, "", lab.pageUrl);
  else history.replaceState(null, "", lab.pageUrl);
}

async function main() {
  let wwkit: WWKit;
  try {
    wwkit = await loadVerifier();
  } catch (e) {
    setBi($("verifier-status"), `加载失败：${String(e)}`, `failed: ${String(e)}`);
    return;
  }
  const readyMs = Math.round(performance.now() - t0);
  state.verifierReadyMs = readyMs;
  state.verifierReadySinceNavigationMs = Math.round(performance.now()); // timeOrigin is the navigation start
  setBi($("verifier-status"), `就绪 · ${readyMs} ms`, `ready · ${readyMs} ms`);
  $("version").textContent = `wwkit ${wwkit.version ?? ""} · verifier ${readyMs} ms`;

  const url = pageURL(location.href);
  let cfg: SignAnswer;
  try {
    cfg = await getConfig(fetch, url, profile, corp);
  } catch (e) {
    $("findings").append(renderFindings(document, "wx.config", { ok: false, error: { kind: "server", message: String((e as Error).message) } }));
    return;
  }
  const appId = cfg.appId ?? cfg.corpId ?? "";
  const platform = appId.startsWith("wx") ? "mp" : "wecom";
  const apis = wwkit.knownJsApis(platform);
  if (apis.ok && apis.apis) tracer.setCatalogue(apis.apis);
  const jsApiList = jsApiListFor(platform, pageParams.apis);
  const ticket = ticketOf(cfg.stringToSign);

  let agent: SignAnswer | null = null;
  if (platform === "wecom") {
    try {
      agent = await getAgentConfig(fetch, url, profile, corp);
    } catch (e) {
      console.warn("wwkit: agentConfig signature unavailable:", e);
    }
  }
  const agentTicket = ticketOf(agent?.stringToSign);

  // The config lab swaps in a broken config (and moves the page URL).
  let use = { timestamp: cfg.timestamp as number | string, nonceStr: cfg.nonceStr, signature: cfg.signature };
  let signedUrl = cfg.url ?? url;
  let serverString = cfg.stringToSign;
  const labName = params.get("lab");
  if (isLabName(labName)) {
    const lab = ticket ? buildLab(labName, { href: url, timestamp: cfg.timestamp, nonceStr: cfg.nonceStr, ticket, agentTicket }) : "lab: the server does not reveal its string to sign (use the emulator profile)";
    const note = $("lab-note");
    note.hidden = false;
    if (typeof lab === "string") {
      setBi(note, "实验：服务器没有提供待签名字符串（请使用模拟器配置）", lab);
    } else {
      applyLabURL(lab);
      use = lab.config;
      signedUrl = lab.signedUrl;
      serverString = `jsapi_ticket=${labName === "agentticket" ? agentTicket : ticket}&noncestr=${lab.config.nonceStr}&timestamp=${labName === "ms" ? cfg.timestamp : lab.config.timestamp}&url=${lab.signedUrl}`;
      setBi(note, `实验：${lab.titleZh}（预期 ${lab.expect.join(", ")}）`, `lab: ${lab.title} (expect ${lab.expect.join(", ")})`);
      state.lab = lab;
    }
  }

  // Verify BEFORE register: the findings show even when config never answers.
  const input = {
    platform, kind: "config", appId, timestamp: use.timestamp, nonceStr: use.nonceStr, signature: use.signature,
    jsApiList, beta: platform === "wecom", url: location.href, landingUrl: landingHref, signedUrl, userAgent: verifyUA, ticket, agentTicket,
  };
  const t1 = performance.now();
  const result = wwkit.verifyConfig(input);
  state.verifyMs = performance.now() - t1;
  if (params.get("bench") === "1") {
    // Warm timing of one verifyConfig (median of 51), for docs/benchmarks.md.
    const ts: number[] = [];
    for (let i = 0; i < 51; i++) { const a = performance.now(); wwkit.verifyConfig(input); ts.push(performance.now() - a); }
    state.verifyWarmMedianMs = ts.sort((x, y) => x - y)[25];
  }
  state.config = result;
  $("findings").append(renderFindings(document, "wx.config", result));
  $("sign-compare").append(renderSignCompare(document, result.stringToSign, serverString));

  if (agent) {
    const ar = wwkit.verifyConfig({
      platform, kind: "agentConfig", appId: agent.corpId, agentId: agent.agentId, timestamp: agent.timestamp, nonceStr: agent.nonceStr,
      signature: agent.signature, url: location.href, landingUrl: landingHref, signedUrl: agent.url ?? url, userAgent: verifyUA, ticket, agentTicket,
    });
    state.agentConfig = ar;
    $("findings").append(renderFindings(document, "wx.agentConfig", ar));
    $("agent-answer-cell").hidden = false;
  }

  sdk.register({
    corpId: appId,
    agentId: agent?.agentId,
    jsApiList,
    getConfigSignature: async () => use,
    getAgentConfigSignature: agent ? async () => ({ timestamp: agent!.timestamp, nonceStr: agent!.nonceStr, signature: agent!.signature }) : undefined,
    onConfigSuccess: (r: { errMsg?: string }) => setAnswer("config-answer", r.errMsg ?? "config:ok"),
    onConfigFail: (r: { errMsg?: string; simReason?: string; simReasonZh?: string; message?: string }) => setAnswer("config-answer", r.errMsg ?? r.message ?? "config:fail", r.simReason, r.simReasonZh),
    onAgentConfigSuccess: (r: { errMsg?: string }) => setAnswer("agent-answer", r.errMsg ?? "agentConfig:ok"),
    onAgentConfigFail: (r: { errMsg?: string; simReason?: string; simReasonZh?: string; message?: string }) => setAnswer("agent-answer", r.errMsg ?? r.message ?? "agentConfig:fail", r.simReason, r.simReasonZh),
  } as never);
  // @wecom/jssdk on WeCom ≥ 3.0.24 runs only agentConfig when an agentId is
  // registered and defers wx.config until an API needs it; the page checks
  // both, so it asks for the corp config now.
  if (!simulate && agent) {
    (sdk as unknown as { ensureCorpConfigReady?: () => Promise<unknown> }).ensureCorpConfigReady?.()?.catch(() => {});
  }

  whoAmI(fetch).then((who) => {
    me = who;
    if (who) $("userid").textContent = who.userId ?? who.openId ?? "?";
    // Back from a snsapi_privateinfo sign-in: show what it was for.
    if (who?.scope === "snsapi_privateinfo" && who.userTicket) void showUserDetail();
  }, () => {});
}

// ---- flows ----

const out = (s: string) => { $("flow-out").textContent = s; };
const stored: string[] = [];

function figure(src: string, caption: [string, string], cls: string): HTMLElement {
  const f = document.createElement("figure");
  f.className = cls;
  const img = document.createElement("img");
  img.src = src;
  img.alt = caption[1];
  const c = document.createElement("figcaption");
  setBi(c, caption[0], caption[1]);
  f.append(img, c);
  $("images").append(f);
  return f;
}

async function imageFlow(source: "camera" | "album") {
  const chosen = await sdk.chooseImage({ count: 9, sizeType: ["original", "compressed"], sourceType: [source] } as never);
  const localIds = (chosen as { localIds?: string[] }).localIds ?? [];
  out(`chooseImage → ${localIds.length} localId(s)`);
  const iosPath = simulate || client.os === "ios" || (window as { __wxjs_is_wkwebview?: boolean }).__wxjs_is_wkwebview === true;
  // Upload one at a time: concurrent uploadImage calls are dropped by the client.
  for (const localId of localIds) {
    if (iosPath) {
      const d = await sdk.getLocalImgData({ localId } as never);
      let data = String((d as { localData?: string }).localData ?? "");
      if (!data.startsWith("data:")) data = `data:image/jpeg;base64,${data}`; // Android omits the prefix
      figure(data, ["本地预览", "local preview"], "wk-local");
    } else {
      figure(localId, ["本地预览", "local preview"], "wk-local");
    }
    const up = await sdk.uploadImage({ localId, isShowProgressTips: 1 } as never);
    const serverId = String((up as { serverId?: string }).serverId ?? "");
    out(`uploadImage → serverId ${serverId}`);
    const m = await fetchMedia(fetch, serverId, profile);
    const abs = new URL(m.url, location.href).href;
    stored.push(abs);
    const f = figure(m.url, [`已存储 ${m.size ?? "?"} B`, `stored ${m.size ?? "?"} B`], "wk-stored");
    f.dataset.url = m.url;
    f.dataset.sha256 = m.sha256 ?? "";
    f.dataset.localId = localId;
    out(`/api/media/fetch → ${m.url} (${m.size ?? "?"} bytes, sha256 ${String(m.sha256 ?? "").slice(0, 12)}…)`);
  }
}

const flows: Record<string, () => Promise<unknown>> = {
  checkJsApi: () => sdk.checkJsApi({ jsApiList: ["chooseImage", "uploadImage", "getLocation", "scanQRCode", "openEnterpriseChat", ...pageParams.apis] } as never),
  camera: () => imageFlow("camera"),
  album: () => imageFlow("album"),
  previewImage: () => {
    const urls = stored.length ? stored : [new URL("./wwkit-preview.svg", location.href).href];
    return sdk.previewImage({ current: urls[0], urls } as never);
  },
  getLocation: () => sdk.getLocation({ type: "gcj02" } as never),
  scanQRCode: () => sdk.scanQRCode({ needResult: 1, scanType: ["qrCode", "barCode"] } as never),
  openEnterpriseChat: () => sdk.openEnterpriseChat({ userIds: "zhangsan;lisi", groupName: "wwkit 测试群" } as never),
  // 会话侧边栏: the page learns the customer (or group) from the client,
  // then asks its server who that is.
  sidebar: async () => {
    const r = await sdk.getCurExternalContact({} as never);
    const id = String((r as { userId?: string }).userId ?? "");
    out(`getCurExternalContact → ${id}`);
    const c = await fetchCustomer(fetch, id, profile);
    showSidebar([
      `${c.customer.name}${c.customer.corpName ? ` · ${c.customer.corpName}` : ""}${c.customer.position ? ` · ${c.customer.position}` : ""}`,
      `${c.customer.type === 2 ? L("企业微信用户", "WeCom user") : L("微信用户", "WeChat user")} · external_userid ${c.customer.externalUserId}`,
      `${L("我的备注：", "remark: ")}${c.followUser.remark || "—"}${c.followUser.description ? ` · ${c.followUser.description}` : ""}`,
      `${L("添加于 ", "added ")}${new Date(c.followUser.createTime * 1000).toLocaleDateString(L("zh-CN", "en-US"))}${c.followUser.tags.length ? ` · ${L("标签 ", "tags ")}${c.followUser.tags.join(L("、", ", "))}` : ""}`,
    ], c.customer.externalUserId);
    return undefined;
  },
  sidebarGroup: async () => {
    const r = await sdk.getCurExternalChat({} as never);
    const id = String((r as { chatId?: string }).chatId ?? "");
    out(`getCurExternalChat → ${id}`);
    const g = await fetchCustomerGroup(fetch, id, profile);
    showSidebar([
      `${g.group.name} · ${L("群主 ", "owner ")}${g.group.owner}`,
      `${g.group.members.length} ${L("人：", "members: ")}${g.group.members.map((m) => (m.type === 2 ? `${m.name}${L("（客户）", " (customer)")}` : m.name)).join(L("、", ", "))}`,
      ...(g.group.notice ? [`${L("群公告：", "notice: ")}${g.group.notice}`] : []),
    ], g.group.chatId);
    return undefined;
  },
  // Back to this very page (absolute: the dev server accepts its own and trusted hosts).
  oauth: async () => { location.href = signInURL("snsapi_base"); },
  // 敏感信息授权: the member consents, WeCom gives a user_ticket to the server.
  privateinfo: async () => { location.href = signInURL("snsapi_privateinfo"); },
  userdetail: async () => { await showUserDetail(); return undefined; },
};

function signInURL(scope: string): string {
  return `/api/oauth/start?scope=${scope}&redirect=${encodeURIComponent(pageURL(location.href))}${profile ? `&profile=${encodeURIComponent(profile)}` : ""}`;
}

/** me is the OAuth session (null: signed out), set once whoAmI answers. */
let me: Session | null = null;

/** showUserDetail reads the signed-in member's private fields through the
 * dev server (auth/getuserdetail with the user_ticket it kept) and shows
 * them, or says in both languages why it cannot. */
async function showUserDetail() {
  const box = $("userdetail-out");
  box.hidden = false;
  let a;
  try {
    a = await fetchUserDetail(fetch, profile);
  } catch (e) {
    a = { ok: false as const, status: 0, error: String(e) };
  }
  if (!a.ok) {
    const [zh, en] = detailProblem(a, me);
    const p = document.createElement("p");
    p.className = "wk-detail-problem";
    p.append(bi(document, zh, en));
    box.replaceChildren(p);
    box.dataset.state = a.status === 401 ? "signin" : "error";
    return;
  }
  const dl = document.createElement("dl");
  dl.className = "wk-detail";
  for (const [zh, en, v] of detailRows(a.detail)) {
    const dt = document.createElement("dt");
    setBi(dt, zh, en);
    const dd = document.createElement("dd");
    dd.textContent = v;
    dd.dataset.field = en;
    dl.append(dt, dd);
  }
  const img = safeImageURL(a.detail.avatar);
  const nodes: Node[] = [];
  if (img) {
    const i = document.createElement("img");
    i.className = "wk-avatar";
    i.src = img;
    i.alt = "avatar";
    i.referrerPolicy = "no-referrer";
    nodes.push(i);
  }
  box.replaceChildren(...nodes, dl);
  box.dataset.state = "ok";
  box.dataset.userid = a.detail.userid;
}

document.querySelectorAll<HTMLButtonElement>("[data-flow]").forEach((b) => {
  b.addEventListener("click", () => {
    const name = b.dataset.flow!;
    flows[name]().then(
      (r) => { if (r !== undefined) out(`${name}: ${JSON.stringify(r)}`); },
      (e) => out(`${name}: ${(e as { errMsg?: string })?.errMsg ?? String(e)}`),
    );
  });
});

function showSidebar(lines: string[], id: string) {
  const box = $("sidebar-out");
  box.replaceChildren(...lines.map((l) => { const p = document.createElement("p"); p.textContent = l; return p; }));
  box.dataset.id = id;
  box.hidden = false;
}

function showPreview(urls: string[], current: string) {
  const p = $("preview");
  p.replaceChildren();
  const img = document.createElement("img");
  img.src = current || urls[0];
  p.append(img);
  p.hidden = false;
  p.onclick = () => { p.hidden = true; };
}

// vConsole (bundled, loaded on demand; remembered across reloads).
let vc: { destroy(): void } | null = null;
async function toggleVConsole(on: boolean) {
  if (on && !vc) {
    const { default: VConsole } = await import("vconsole");
    vc = new VConsole();
  } else if (!on && vc) {
    vc.destroy();
    vc = null;
  }
  try { localStorage.setItem("wwkit.vconsole", on ? "1" : ""); } catch { /* private mode */ }
}
$("vconsole").addEventListener("click", () => toggleVConsole(!vc));
if (pageParams.vconsole !== null) toggleVConsole(pageParams.vconsole);
else try { if (localStorage.getItem("wwkit.vconsole") === "1") toggleVConsole(true); } catch { /* private mode */ }

if (pageParams.rejected.length) tracer.notePageError(`apis= in the page URL: ${pageParams.rejected.join(", ")} ${pageParams.rejected.length > 1 ? "are not JS-API names" : "is not a JS-API name"}, left out of jsApiList`);
window.addEventListener("error", (e) => tracer.notePageError(e.message));
window.addEventListener("unhandledrejection", (e) => {
  const r = e.reason as { errMsg?: string; message?: string } | undefined;
  // SDK promise rejections are already traced with their call; keep real exceptions.
  if (r && typeof r === "object" && "errMsg" in r) return;
  tracer.notePageError(String(r?.message ?? r));
});
main().catch((e) => { setBi($("verifier-status"), `出错：${String(e)}`, `error: ${String(e)}`); });
