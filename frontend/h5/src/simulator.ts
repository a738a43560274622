// The bridge simulator (模拟环境): outside WeCom/WeChat — a desktop browser —
// it stands in for the client behind the JS-SDK so the whole flow can be
// developed on a PC. It is a ww-shaped object (register, chooseImage, …)
// whose answers come from the emulator through the dev server:
//
//   register/config → POST /api/sim/jssdk/verify (the client's own check: a
//                     wrong signature fails with the client's error text)
//   chooseImage     → a file picker (a hidden <input type=file>)
//   getLocalImgData → the picked file as a data URL (the iOS path)
//   uploadImage     → POST /api/sim/media/upload (multipart "media") → serverId
//   getCurExternalContact / getCurExternalChat
//                   → GET /api/sim/sidebar: the chat the simulated sidebar
//                     is open on (the signed-in member's customer and group)
//
// It is not a WeixinJSBridge under @wecom/jssdk: that SDK only configures
// when the user agent says WeChat/WeCom, and faking the UA would hide the
// very environment problems the page reports. It refuses to run inside the
// real clients (simulated answers there would mask real failures).

import { inRealClient } from "./env";

export type SimResult = Record<string, unknown> & { errMsg: string };

export interface SimDeps {
  userAgent: string;
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
  /** location.href of the page (read at call time, like the client). */
  href: () => string;
  /** Opens a file picker; resolves [] when the user cancels. */
  pickFiles: (o: { count: number; sourceType: string[] }) => Promise<File[]>;
  readDataURL?: (b: Blob) => Promise<string>;
  /** Shows the images (previewImage). */
  preview?: (urls: string[], current: string) => void;
  /** Asks for the QR content (scanQRCode); null means cancel. */
  scan?: () => Promise<string | null>;
  /** APIs that never call back, to rehearse the "nothing happens" case. */
  hang?: Set<string>;
  /** APIs that need agentConfig (from the catalogue). */
  agentApis?: Set<string>;
}

export interface SimRegisterOptions {
  corpId: string;
  agentId?: string | number;
  jsApiList?: string[];
  getConfigSignature?: (url: string) => Promise<{ timestamp: number | string; nonceStr: string; signature: string }>;
  getAgentConfigSignature?: (url: string) => Promise<{ timestamp: number | string; nonceStr: string; signature: string }>;
  onConfigSuccess?: (r: SimResult) => void;
  onConfigFail?: (r: SimResult) => void;
  onAgentConfigSuccess?: (r: SimResult) => void;
  onAgentConfigFail?: (r: SimResult) => void;
}

type Params = Record<string, unknown> & {
  success?: (r: SimResult) => void;
  fail?: (r: SimResult) => void;
  cancel?: (r: SimResult) => void;
  complete?: (r: SimResult) => void;
};

/** shouldSimulate: only in a plain browser, and not when ?sim=0. */
export function shouldSimulate(userAgent: string, search = ""): boolean {
  if (inRealClient(userAgent)) return false;
  return new URLSearchParams(search).get("sim") !== "0";
}

/** The APIs the simulator answers (checkJsApi reports these as supported). */
export const SIMULATED_APIS = ["checkJsApi", "chooseImage", "getLocalImgData", "uploadImage", "previewImage", "getLocation", "scanQRCode", "openEnterpriseChat", "getCurExternalContact", "getCurExternalChat"];

export interface Simulator {
  simulated: true;
  register(o: SimRegisterOptions): void;
  checkJsApi(p: Params & { jsApiList: string[] }): Promise<SimResult>;
  chooseImage(p?: Params): Promise<SimResult>;
  getLocalImgData(p: Params & { localId: string }): Promise<SimResult>;
  uploadImage(p: Params & { localId: string }): Promise<SimResult>;
  previewImage(p: Params & { urls: string[]; current?: string }): Promise<SimResult>;
  getLocation(p?: Params): Promise<SimResult>;
  scanQRCode(p?: Params): Promise<SimResult>;
  openEnterpriseChat(p?: Params): Promise<SimResult>;
  getCurExternalContact(p?: Params): Promise<SimResult>;
  getCurExternalChat(p?: Params): Promise<SimResult>;
  /** The file behind a localId (tests and the e2e compare it with the stored copy). */
  fileOf(localId: string): File | undefined;
  /** The emulator's explanation of the last config/agentConfig failure. */
  lastReason(): string;
}

export function createSimulator(deps: SimDeps): Simulator {
  if (inRealClient(deps.userAgent)) {
    throw new Error("simulator: refusing to run inside WeCom/WeChat; the real client answers the JS-SDK there");
  }
  const readDataURL = deps.readDataURL ?? blobToDataURL;
  const files = new Map<string, File>();
  let seq = 0;
  let reason = "";
  let jsApiList = new Set<string>();
  let agentList = new Set<string>();
  let configState: Promise<{ config: boolean; agent: boolean }> | null = null;

  async function verify(api: "config" | "agentConfig", o: SimRegisterOptions, sig: { timestamp: number | string; nonceStr: string; signature: string }): Promise<SimResult> {
    const body = api === "config"
      ? { api, url: deps.href(), appId: o.corpId, timestamp: sig.timestamp, nonceStr: sig.nonceStr, signature: sig.signature, jsApiList: o.jsApiList ?? [] }
      : { api, url: deps.href(), corpid: o.corpId, agentid: o.agentId, timestamp: sig.timestamp, nonceStr: sig.nonceStr, signature: sig.signature, jsApiList: o.jsApiList ?? [] };
    try {
      const r = await deps.fetch("/api/sim/jssdk/verify", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      const j = (await r.json()) as { errMsg?: string; reason?: string; reasonZh?: string };
      reason = j.reason ?? "";
      return { errMsg: typeof j.errMsg === "string" ? j.errMsg : `${api}:fail`, ...(j.reason ? { simReason: j.reason, simReasonZh: j.reasonZh || j.reason } : {}) };
    } catch (e) {
      reason = `the dev server's /api/sim/jssdk/verify did not answer: ${String(e)}`;
      return { errMsg: `${api}:fail`, simReason: reason, simReasonZh: `开发服务器的 /api/sim/jssdk/verify 没有应答：${String(e)}` };
    }
  }

  // answer settles a call the way @wecom/jssdk does: the promise resolves on
  // ok, rejects otherwise; success/fail/cancel and complete are called too.
  function answer(api: string, p: Params | undefined, run: () => Promise<SimResult>): Promise<SimResult> {
    if (deps.hang?.has(api)) return new Promise<SimResult>(() => {});
    return (async () => {
      const gate = await gateCall(api);
      const res = gate ?? (await run().catch((e) => ({ errMsg: `${api}:fail ${String(e?.message ?? e)}` })));
      const kw = res.errMsg.slice(res.errMsg.indexOf(":") + 1);
      const ok = kw === "ok" || kw.startsWith("ok");
      const cancel = kw.startsWith("cancel");
      if (ok) p?.success?.(res);
      else if (cancel) p?.cancel?.(res);
      else p?.fail?.(res);
      p?.complete?.(res);
      if (!ok) throw res;
      return res;
    })();
  }

  async function gateCall(api: string): Promise<SimResult | null> {
    if (api === "checkJsApi") return null;
    if (!configState) return { errMsg: `${api}:fail, the permission value is offline verifying` };
    const st = await configState;
    if (!st.config) return { errMsg: `${api}:fail, the permission value is offline verifying` };
    if (deps.agentApis?.has(api)) {
      if (!st.agent || !agentList.has(api)) return { errMsg: `${api}:fail no permission` };
      return null;
    }
    if (!jsApiList.has(api)) return { errMsg: `${api}:permission denied` };
    return null;
  }

  // sidebar asks the dev server which chat the simulated sidebar is open on.
  async function sidebar(): Promise<{ externalUserId?: string; chatId?: string; error?: string }> {
    const r = await deps.fetch("/api/sim/sidebar", { credentials: "same-origin" });
    const j = (await r.json().catch(() => ({}))) as { externalUserId?: string; chatId?: string; error?: string };
    return r.ok ? j : { error: j.error ?? `HTTP ${r.status}` };
  }

  const sim: Simulator = {
    simulated: true,
    register(o) {
      jsApiList = new Set(o.jsApiList ?? []);
      agentList = o.agentId ? new Set(o.jsApiList ?? []) : new Set();
      configState = (async () => {
        let config = false;
        if (o.getConfigSignature) {
          const url = deps.href().split("#")[0];
          let res: SimResult;
          try {
            res = await verify("config", o, await o.getConfigSignature(url));
          } catch (e) {
            res = { errMsg: `config:fail ${String((e as Error)?.message ?? e)}` };
          }
          config = res.errMsg === "config:ok";
          (config ? o.onConfigSuccess : o.onConfigFail)?.(res);
        }
        let agent = false;
        if (o.agentId && o.getAgentConfigSignature) {
          const url = deps.href().split("#")[0];
          let res: SimResult;
          try {
            res = await verify("agentConfig", o, await o.getAgentConfigSignature(url));
          } catch (e) {
            res = { errMsg: `agentConfig:fail ${String((e as Error)?.message ?? e)}` };
          }
          agent = res.errMsg === "agentConfig:ok";
          (agent ? o.onAgentConfigSuccess : o.onAgentConfigFail)?.(res);
        }
        return { config, agent };
      })();
    },
    checkJsApi(p) {
      return answer("checkJsApi", p, async () => {
        const checkResult: Record<string, boolean> = {};
        for (const n of p.jsApiList ?? []) checkResult[n] = SIMULATED_APIS.includes(n);
        return { errMsg: "checkJsApi:ok", checkResult };
      });
    },
    chooseImage(p) {
      return answer("chooseImage", p, async () => {
        const count = Math.max(1, Math.min(9, Number(p?.count ?? 9) || 9));
        const sourceType = Array.isArray(p?.sourceType) ? (p!.sourceType as string[]) : ["album", "camera"];
        const picked = (await deps.pickFiles({ count, sourceType })).slice(0, count);
        if (picked.length === 0) return { errMsg: "chooseImage:cancel" };
        const localIds = picked.map((f) => {
          const id = `wxLocalResource://wwkit-sim/${++seq}`;
          files.set(id, f);
          return id;
        });
        return { errMsg: "chooseImage:ok", localIds, sourceType: sourceType.length === 1 ? sourceType[0] : "album" };
      });
    },
    getLocalImgData(p) {
      return answer("getLocalImgData", p, async () => {
        const f = files.get(String(p?.localId));
        if (!f) return { errMsg: "getLocalImgData:fail invalid localId" };
        return { errMsg: "getLocalImgData:ok", localData: await readDataURL(f) };
      });
    },
    uploadImage(p) {
      return answer("uploadImage", p, async () => {
        const f = files.get(String(p?.localId));
        if (!f) return { errMsg: "uploadImage:fail invalid localId" };
        const form = new FormData();
        form.append("media", f, f.name || "image.jpg");
        const r = await deps.fetch("/api/sim/media/upload", { method: "POST", body: form });
        const j = (await r.json().catch(() => ({}))) as { media_id?: string; errmsg?: string; error?: string };
        if (!r.ok || !j.media_id) return { errMsg: `uploadImage:fail ${j.errmsg ?? j.error ?? `HTTP ${r.status}`}` };
        return { errMsg: "uploadImage:ok", serverId: j.media_id };
      });
    },
    previewImage(p) {
      return answer("previewImage", p, async () => {
        const urls = Array.isArray(p?.urls) ? (p.urls as string[]) : [];
        if (urls.length === 0) return { errMsg: "previewImage:fail urls is empty" };
        deps.preview?.(urls, String(p.current ?? urls[0]));
        return { errMsg: "previewImage:ok" };
      });
    },
    getLocation(p) {
      return answer("getLocation", p, async () => ({
        // A fixed point (Tencent Binhai Mansion, Shenzhen), gcj02 like the client's default type wgs84 is close enough for a simulation.
        errMsg: "getLocation:ok", latitude: 22.5226, longitude: 113.9353, speed: 0, accuracy: 30, simulated: true,
      }));
    },
    scanQRCode(p) {
      return answer("scanQRCode", p, async () => {
        const text = deps.scan ? await deps.scan() : "https://work.weixin.qq.com/wwkit-simulated";
        if (text === null) return { errMsg: "scanQRCode:cancel" };
        return p?.needResult === 1 || p?.needResult === undefined ? { errMsg: "scanQRCode:ok", resultStr: text } : { errMsg: "scanQRCode:ok" };
      });
    },
    openEnterpriseChat(p) {
      return answer("openEnterpriseChat", p, async () => {
        const users = String(p?.userIds ?? "") + String(p?.externalUserIds ?? "");
        if (!users) return { errMsg: "openEnterpriseChat:fail userIds and externalUserIds are both empty" };
        return { errMsg: "openEnterpriseChat:ok", chatId: "wwkit-sim-chat" };
      });
    },
    getCurExternalContact(p) {
      return answer("getCurExternalContact", p, async () => {
        const ctx = await sidebar();
        // Outside a chat with a customer the client answers fail; so does the simulator.
        if (!ctx.externalUserId) return { errMsg: `getCurExternalContact:fail ${ctx.error ?? "no customer in this context"}` };
        return { errMsg: "getCurExternalContact:ok", userId: ctx.externalUserId };
      });
    },
    getCurExternalChat(p) {
      return answer("getCurExternalChat", p, async () => {
        const ctx = await sidebar();
        if (!ctx.chatId) return { errMsg: `getCurExternalChat:fail ${ctx.error ?? "no customer group in this context"}` };
        return { errMsg: "getCurExternalChat:ok", chatId: ctx.chatId };
      });
    },
    fileOf: (id) => files.get(id),
    lastReason: () => reason,
  };
  return sim;
}

export function blobToDataURL(b: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error ?? new Error("simulator: reading the file failed"));
    r.readAsDataURL(b);
  });
}

/** filePicker builds pickFiles over a hidden <input type=file> in doc. When the
 * user closes the dialog without a file, "cancel" fires (Chromium ≥ 113). */
export function filePicker(doc: Document): SimDeps["pickFiles"] {
  return ({ count, sourceType }) => new Promise<File[]>((resolve) => {
    const input = doc.createElement("input");
    input.type = "file";
    input.accept = "image/*";
    input.multiple = count > 1;
    if (sourceType.length === 1 && sourceType[0] === "camera") input.setAttribute("capture", "environment");
    input.style.display = "none";
    input.dataset.wwkitSim = "chooseImage";
    const done = (files: File[]) => { input.remove(); resolve(files); };
    input.addEventListener("change", () => done(Array.from(input.files ?? [])));
    input.addEventListener("cancel", () => done([]));
    doc.body.appendChild(input);
    input.click();
  });
}
