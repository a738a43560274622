// The JS-SDK call tracer (调用追踪): wraps every function of the SDK object the
// page uses (@wecom/jssdk's ww, or the bridge simulator), and records each
// call with its arguments, timing and outcome. It flags calls made before
// config finished, APIs missing from jsApiList or needing agentConfig, and
// calls whose callbacks never arrive — the "I tap and nothing happens" case —
// with the likely causes from the troubleshooting reference (§2–3).

export type Outcome = "pending" | "success" | "fail" | "cancel" | "complete" | "none" | "threw";

export interface Flag {
  code: string;
  severity: "error" | "warning";
  en: string;
  zh: string;
  /** Likely causes, most likely first (English / Chinese). */
  causes?: { en: string; zh: string }[];
}

export interface TraceEntry {
  id: number;
  api: string;
  args: unknown;
  start: number;
  end?: number;
  ms?: number;
  outcome: Outcome;
  errMsg?: string;
  result?: unknown;
  flags: Flag[];
  /** A callback arrived after the entry was flagged as silent. */
  late?: boolean;
}

export interface ApiInfo {
  name: string;
  needsAgentConfig?: boolean;
}

export interface TracerOptions {
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
  /** How long to wait for any callback before flagging NO_CALLBACK (default 5000 ms). */
  timeoutMs?: number;
  /** The JS-API catalogue (wwkit.knownJsApis()); used for the agentConfig check. */
  apis?: ApiInfo[];
  /** Page user agent (for the "not in a client" cause). */
  userAgent?: string;
}

/** Calls that set up the SDK rather than use an API: never flagged as before-ready. */
const SETUP = new Set([
  "register", "config", "agentConfig", "ready", "error", "ensureCorpConfigReady", "ensureAgentConfigReady",
  "ensureConfigReady", "getSignURL", "checkJsApi", "isWeixinJSBridgeReady", "isWeCom", "isWeixin",
]);

/** APIs that open a system picker/camera/location, where OS permissions matter (S11). */
const DEVICE = new Set(["chooseImage", "getLocation", "scanQRCode", "startRecord", "chooseVideo", "openLocation", "chooseMedia"]);

type State = {
  configDone: boolean;
  configOk: boolean | null;
  agentDone: boolean;
  agentOk: boolean | null;
  jsApiList: Set<string> | null;
  agentJsApiList: Set<string> | null;
};

export class Tracer {
  readonly entries: TraceEntry[] = [];
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (t: unknown) => void;
  private readonly timeoutMs: number;
  private apis = new Map<string, ApiInfo>();
  private readonly ua: string;
  private listeners: ((e: TraceEntry) => void)[] = [];
  private nextID = 1;
  private lastCancel = new Map<string, number>();
  readonly state: State = { configDone: false, configOk: null, agentDone: false, agentOk: null, jsApiList: null, agentJsApiList: null };

  constructor(opts: TracerOptions = {}) {
    this.now = opts.now ?? (() => performance.now());
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.ua = opts.userAgent ?? "";
    this.setCatalogue(opts.apis ?? []);
  }

  setCatalogue(apis: ApiInfo[]): void {
    this.apis = new Map(apis.map((a) => [a.name, a]));
  }

  /** subscribe calls fn on every new or changed entry; returns the unsubscribe function. */
  subscribe(fn: (e: TraceEntry) => void): () => void {
    this.listeners.push(fn);
    return () => { this.listeners = this.listeners.filter((l) => l !== fn); };
  }

  /** noteConfig records the jsApiList passed to config or agentConfig (before its result). */
  noteJsApiList(kind: "config" | "agentConfig", list: string[] | undefined): void {
    const s = new Set(list ?? []);
    if (kind === "config") this.state.jsApiList = s;
    else this.state.agentJsApiList = s;
  }

  /** noteResult records that config or agentConfig finished, successfully or not. */
  noteResult(kind: "config" | "agentConfig", ok: boolean): void {
    if (kind === "config") { this.state.configDone = true; this.state.configOk = ok; }
    else { this.state.agentDone = true; this.state.agentOk = ok; }
  }

  /** wrap returns a copy of sdk whose functions are traced. Only own and
   * inherited enumerable function properties are wrapped; others are copied. */
  wrap<T extends object>(sdk: T): T {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(sdk)) {
      const v = (sdk as Record<string, unknown>)[key];
      out[key] = typeof v === "function" && !/^[A-Z]/.test(key) ? this.traced(key, v as (...a: unknown[]) => unknown, sdk) : v;
    }
    return out as T;
  }

  /** traced wraps one function. */
  traced(api: string, fn: (...a: unknown[]) => unknown, self?: unknown): (...a: unknown[]) => unknown {
    return (...args: unknown[]) => {
      const entry: TraceEntry = { id: this.nextID++, api, args: sanitize(args.length === 1 ? args[0] : args), start: this.now(), outcome: "pending", flags: this.callFlags(api) };
      this.entries.push(entry);
      let timer: unknown = null;
      const settle = (outcome: Outcome, res: unknown) => {
        if (entry.outcome !== "pending" && entry.outcome !== "none" && !(entry.outcome === "complete" && outcome !== "complete")) return;
        if (entry.outcome === "none") entry.late = true;
        if (timer !== null) { this.clearTimer(timer); timer = null; }
        entry.outcome = outcome;
        entry.end = this.now();
        entry.ms = Math.round((entry.end - entry.start) * 10) / 10;
        entry.result = sanitize(res);
        const msg = errMsgOf(res);
        if (msg) entry.errMsg = msg;
        if (outcome === "cancel") this.lastCancel.set(api, entry.end);
        const f = outcome === "fail" && msg ? explainErrMsg(msg) : null;
        if (f) entry.flags.push(f);
        this.emit(entry);
      };
      // Callback style: wrap success/fail/cancel/complete of the params object.
      const params = args[0];
      if (params && typeof params === "object" && !Array.isArray(params)) {
        const p = { ...(params as Record<string, unknown>) };
        const list = Array.isArray(p.jsApiList) ? (p.jsApiList as string[]) : undefined;
        if (api === "register") {
          // @wecom/jssdk: one jsApiList for config and (with agentId) agentConfig.
          this.noteJsApiList("config", list);
          if (p.agentId && p.getAgentConfigSignature) this.noteJsApiList("agentConfig", list);
          const hook = (name: string, kind: "config" | "agentConfig", ok: boolean) => {
            const orig = p[name];
            p[name] = (res: unknown) => {
              this.noteResult(kind, ok);
              if (kind === "config") settle(ok ? "success" : "fail", res);
              if (typeof orig === "function") return (orig as (r: unknown) => unknown)(res);
            };
          };
          hook("onConfigSuccess", "config", true);
          hook("onConfigFail", "config", false);
          hook("onAgentConfigSuccess", "agentConfig", true);
          hook("onAgentConfigFail", "agentConfig", false);
        }
        if (api === "config" || api === "agentConfig") this.noteJsApiList(api, list);
        for (const cb of api === "register" ? [] : (["success", "fail", "cancel", "complete"] as const)) {
          const orig = p[cb];
          if (typeof orig === "function" || cb !== "complete") {
            p[cb] = (res: unknown) => {
              if ((api === "config" || api === "agentConfig") && cb !== "complete") this.noteResult(api, cb === "success");
              settle(cb === "complete" ? "complete" : cb, res);
              if (typeof orig === "function") return (orig as (r: unknown) => unknown)(res);
            };
          }
        }
        args = [p, ...args.slice(1)];
      }
      timer = this.setTimer(() => {
        timer = null;
        if (entry.outcome !== "pending") return;
        entry.outcome = "none";
        entry.flags.push(this.silentFlag(api));
        this.emit(entry);
      }, this.timeoutMs);
      this.emit(entry);
      let ret: unknown;
      try {
        ret = fn.apply(self, args);
      } catch (e) {
        settle("threw", { errMsg: `${api}: ${String((e as Error)?.message ?? e)}` });
        entry.flags.push({
          code: "THREW", severity: "error",
          en: `${api} threw: the SDK object lacks the method or its arguments are wrong (wrong/old SDK file, page not in the client).`,
          zh: `${api} 抛出异常：SDK 没有此方法或参数错误（SDK 文件版本不对，或页面不在客户端内）。`,
        });
        this.emit(entry);
        throw e;
      }
      if (ret && typeof (ret as Promise<unknown>).then === "function") {
        (ret as Promise<unknown>).then(
          (res) => settle("success", res),
          (err) => settle(/:cancel\b/.test(errMsgOf(err) ?? "") ? "cancel" : "fail", err),
        );
      } else if (SYNC.has(api)) {
        settle("success", ret);
      }
      return ret;
    };
  }

  /** notePageError records an uncaught page error (window.onerror /
   * unhandledrejection), the only trace of "wx.X is not a function" (S7). */
  notePageError(message: string): TraceEntry {
    const e: TraceEntry = { id: this.nextID++, api: "window.onerror", args: sanitize(message), start: this.now(), outcome: "threw", errMsg: sanitize(message) as string, flags: [] };
    e.end = e.start;
    e.ms = 0;
    if (/is not a function|is not defined|Cannot read propert/i.test(message)) {
      e.flags.push({
        code: "SDK_MISSING_METHOD", severity: "error",
        en: "a JS-SDK method or object is missing: wrong or old SDK file, two SDK files overwriting wx, or the page is not in the client (agentConfig exists only in WeCom).",
        zh: "缺少 JS-SDK 方法或对象：SDK 文件错误或过旧、两个 SDK 文件互相覆盖 wx，或页面不在客户端内（agentConfig 仅企业微信有）。",
      });
    }
    this.entries.push(e);
    this.emit(e);
    return e;
  }

  private emit(e: TraceEntry): void {
    for (const l of this.listeners) l(e);
  }

  /** callFlags are the problems visible at call time. */
  callFlags(api: string): Flag[] {
    const flags: Flag[] = [];
    if (SETUP.has(api) || SYNC.has(api) || api.startsWith("bridge.")) return flags;
    const s = this.state;
    if (!s.configDone) {
      flags.push({
        code: "BEFORE_READY", severity: "warning",
        en: `${api} was called before config finished (outside ready): the call may be dropped or fail with "offline verifying".`,
        zh: `${api} 在 config 完成前调用（未放在 ready 回调里）：调用可能被丢弃，或失败并返回 offline verifying。`,
      });
    } else if (s.configOk === false) {
      flags.push({
        code: "CONFIG_FAILED", severity: "error",
        en: `config failed earlier, so ${api} fails too (permission denied / offline verifying); fix the config first.`,
        zh: `config 已失败，${api} 也会失败（permission denied / offline verifying）；请先修复 config。`,
      });
    }
    const info = this.apis.get(api);
    const inConfig = s.jsApiList?.has(api) ?? false;
    const inAgent = s.agentJsApiList?.has(api) ?? false;
    if (info?.needsAgentConfig) {
      if (!inAgent || s.agentOk !== true) {
        flags.push({
          code: "NEEDS_AGENTCONFIG", severity: "error",
          en: `${api} runs under the application identity: it needs a successful agentConfig with ${api} in agentConfig's jsApiList` +
            (s.agentOk === false ? " (agentConfig failed)." : inAgent ? " (agentConfig has not succeeded yet)." : "."),
          zh: `${api} 以应用身份运行：需要 agentConfig 成功，并把 ${api} 写进 agentConfig 的 jsApiList。`,
        });
      }
    } else if ((s.jsApiList || s.agentJsApiList) && !inConfig && !inAgent) {
      flags.push({
        code: "NOT_IN_JSAPILIST", severity: "error",
        en: `${api} is not in jsApiList: the client answers "${api}:permission denied" (or nothing if only success is handled). Add it to jsApiList.`,
        zh: `${api} 不在 jsApiList 中：客户端会返回 "${api}:permission denied"（只处理 success 时表现为没反应）。请加入 jsApiList。`,
      });
    }
    return flags;
  }

  /** silentFlag explains a call with no callback after timeoutMs. */
  silentFlag(api: string): Flag {
    const s = this.state;
    const causes: { en: string; zh: string }[] = [];
    const add = (en: string, zh: string) => causes.push({ en, zh });
    if (this.ua && !/wxwork\/|MicroMessenger/i.test(this.ua) && !/wwkit-simulated/.test(this.ua)) {
      add("the page is not inside WeCom/WeChat: without WeixinJSBridge the SDK never calls back", "页面不在企业微信/微信内：没有 WeixinJSBridge，SDK 永远不会回调");
    }
    if (!s.configDone) add("config has not finished (or never started): calls made before ready can be dropped", "config 尚未完成（或未调用）：ready 之前的调用可能被丢弃");
    if (s.configOk === false) add("config failed (see wx.error / onConfigFail) and only a success callback is handled", "config 已失败（见 wx.error / onConfigFail），而页面只处理了 success 回调");
    const info = this.apis.get(api);
    if (info?.needsAgentConfig && s.agentOk !== true) add("agentConfig is missing, failed or never called back (dynamically injected SDK on mobile)", "agentConfig 缺失、失败或从未回调（移动端动态注入 SDK）");
    if ((s.jsApiList || s.agentJsApiList) && !s.jsApiList?.has(api) && !s.agentJsApiList?.has(api)) add(`${api} is not in jsApiList and the page handles only success`, `${api} 不在 jsApiList 中，且页面只处理了 success`);
    const cancelAt = this.lastCancel.get(api);
    if (cancelAt !== undefined && /Android/i.test(this.ua)) add("on some Android devices the picker freezes after a first cancel; re-enter the page", "部分安卓机型取消一次后再次调用无响应；请重新进入页面");
    if (DEVICE.has(api)) add("the OS denied camera/photos/location to WeCom/WeChat; grant it in the system settings", "系统未授予企业微信/微信相机、相册或定位权限；请在系统设置中开启");
    add("a picker or dialog is still open, or the client is busy (user has not acted yet)", "选择器/对话框仍在等待用户操作，或客户端正忙");
    return {
      code: "NO_CALLBACK", severity: "error",
      en: `${api}: no callback within ${Math.round(this.timeoutMs / 1000)} s (the "nothing happens" case).`,
      zh: `${api}：${Math.round(this.timeoutMs / 1000)} 秒内没有任何回调（“点了没反应”）。`,
      causes,
    };
  }
}

/** Synchronous helpers of @wecom/jssdk that return a value, not a result. */
const SYNC = new Set(["isWeCom", "isWeixin", "isWeixinJSBridgeReady", "getSignURL"]);

export function errMsgOf(res: unknown): string | undefined {
  if (res && typeof res === "object") {
    const r = res as Record<string, unknown>;
    const m = r.errMsg ?? r.err_msg ?? r.message;
    if (typeof m === "string") return m;
  }
  if (typeof res === "string") return res;
  return undefined;
}

/** explainErrMsg turns a known errMsg into a flag (troubleshooting reference §1). */
export function explainErrMsg(msg: string): Flag | null {
  const m = msg.toLowerCase();
  const rows: [RegExp, string, string, string][] = [
    [/invalid signature/, "ERR_INVALID_SIGNATURE", "the signature does not match this page URL, nonceStr, timestamp and ticket; see the config findings above", "签名与本页 URL、nonceStr、timestamp、ticket 不匹配；见上方 config 诊断"],
    [/offline verif/, "ERR_OFFLINE_VERIFYING", "config had not succeeded when the API ran, or the API is missing from jsApiList; call inside ready and fix config first", "调用时 config 尚未成功，或 API 不在 jsApiList；请在 ready 中调用并先修复 config"],
    [/permission denied|no permission/, "ERR_PERMISSION_DENIED", "the API is not in jsApiList, config/agentConfig did not succeed, or the app/account lacks this permission", "API 不在 jsApiList、config/agentConfig 未成功，或应用/公众号没有该权限"],
    [/function not exist/, "ERR_FUNCTION_NOT_EXIST", "the client does not implement this API (too old, or the other platform's API)", "客户端不支持此 API（版本过旧，或是另一平台的 API）"],
    [/not match any reliable domain|invalid url domain/, "ERR_DOMAIN", "the page's domain is not a trusted domain (可信域名 / JS接口安全域名) of the app", "页面域名不是应用的可信域名 / JS接口安全域名"],
    [/ticket no available/, "ERR_TICKET_KIND", "agentConfig was signed with the corp ticket; use the app ticket (ticket/get?type=agent_config)", "agentConfig 用了企业 ticket 签名；请用应用 ticket（ticket/get?type=agent_config）"],
    [/invalid corpid|invalid appid/, "ERR_APPID", "corpId/appId is not the corp or account the user is in", "corpId/appId 与当前用户所在企业/公众号不一致"],
    [/without context/, "ERR_CONTEXT", "the API needs a specific entry (chat toolbar, profile page); check getContext first", "该 API 需要特定入口（聊天工具栏、个人资料页）；请先调用 getContext"],
  ];
  for (const [re, code, en, zh] of rows) {
    if (re.test(m)) return { code, severity: "error", en: `${msg}: ${en}`, zh: `${msg}：${zh}` };
  }
  return null;
}

/** sanitize keeps arguments and results loggable: functions become "[function]",
 * long strings (data URLs) are shortened, depth is bounded. */
export function sanitize(v: unknown, depth = 0): unknown {
  if (typeof v === "function") return "[function]";
  if (typeof v === "string") return v.length > 200 ? `${v.slice(0, 120)}…(${v.length} chars)` : v;
  if (v === null || typeof v !== "object") return v;
  if (depth > 4) return "[…]";
  if (Array.isArray(v)) return v.slice(0, 50).map((x) => sanitize(x, depth + 1));
  if (typeof Blob !== "undefined" && v instanceof Blob) return `[${v.type || "blob"} ${v.size} bytes]`;
  if (v instanceof Error) return { message: v.message, ...(sanitize({ ...(v as object) }, depth + 1) as object) };
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = sanitize(x, depth + 1);
  return out;
}

export interface Bridge {
  invoke(name: string, args?: unknown, cb?: (res: Record<string, unknown>) => void): unknown;
}

/** traceBridge wraps WeixinJSBridge.invoke (inside the real clients) so the
 * raw client answers (err_msg before the SDK rewrites it, e.g.
 * "fail_no permission to execute") and the client-side names (imagePreview,
 * geoLocation, preVerifyJSAPI) are traced as "bridge.NAME". Idempotent. */
export function traceBridge(tracer: Tracer, bridge: Bridge): void {
  const b = bridge as Bridge & { __wwkitTraced?: boolean };
  if (b.__wwkitTraced || typeof b.invoke !== "function") return;
  const orig = b.invoke;
  b.__wwkitTraced = true;
  b.invoke = function (name: string, args?: unknown, cb?: (res: Record<string, unknown>) => void) {
    let ret: unknown;
    const run = (p: { success: (r: unknown) => void; fail: (r: unknown) => void; cancel: (r: unknown) => void }) => {
      ret = orig.call(bridge, name, args, (res: Record<string, unknown>) => {
        const msg = String(res?.err_msg ?? res?.errMsg ?? "");
        const kw = msg.slice(msg.indexOf(":") + 1);
        if (/^(ok|confirm)/.test(kw)) p.success(res);
        else if (/^cancel/.test(kw)) p.cancel(res);
        else p.fail(res);
        cb?.(res);
      });
    };
    const params = args && typeof args === "object" && !Array.isArray(args) ? { ...(args as object) } : { args };
    tracer.traced(`bridge.${name}`, run as (...a: unknown[]) => unknown)(params);
    return ret;
  };
}
