import { describe, expect, it } from "vitest";
import { explainErrMsg, sanitize, Tracer } from "../src/tracer";

/** A tracer with a manual clock and timers. */
function harness(opts: { ua?: string; apis?: { name: string; needsAgentConfig?: boolean }[] } = {}) {
  let now = 0;
  const timers: { fn: () => void; at: number; done: boolean }[] = [];
  const tracer = new Tracer({
    now: () => now,
    setTimer: (fn, ms) => { const t = { fn, at: now + ms, done: false }; timers.push(t); return t; },
    clearTimer: (t) => { (t as { done: boolean }).done = true; },
    timeoutMs: 3000,
    userAgent: opts.ua ?? "Mozilla/5.0 wxwork/4.1.0 MicroMessenger/7.0.1",
    apis: opts.apis ?? [{ name: "chooseImage" }, { name: "selectExternalContact", needsAgentConfig: true }],
  });
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers) if (!t.done && t.at <= now) { t.done = true; t.fn(); }
  };
  return { tracer, advance };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe("Tracer outcomes", () => {
  const cases: { name: string; impl: (p: Record<string, (r: unknown) => void>) => unknown; outcome: string; errMsg?: string }[] = [
    { name: "callback success", impl: (p) => p.success({ errMsg: "chooseImage:ok" }), outcome: "success", errMsg: "chooseImage:ok" },
    { name: "callback fail", impl: (p) => p.fail({ errMsg: "chooseImage:permission denied" }), outcome: "fail", errMsg: "chooseImage:permission denied" },
    { name: "callback cancel", impl: (p) => p.cancel({ errMsg: "chooseImage:cancel" }), outcome: "cancel" },
    { name: "promise resolves", impl: () => Promise.resolve({ errMsg: "chooseImage:ok" }), outcome: "success" },
    { name: "promise rejects with cancel", impl: () => Promise.reject({ errMsg: "chooseImage:cancel" }), outcome: "cancel" },
    { name: "promise rejects", impl: () => Promise.reject({ errMsg: "chooseImage:fail" }), outcome: "fail" },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { tracer, advance } = harness();
      tracer.noteJsApiList("config", ["chooseImage"]);
      tracer.noteResult("config", true);
      const sdk = tracer.wrap({ chooseImage: (p: Record<string, (r: unknown) => void>) => { advance(12); return c.impl(p); } });
      const ret = sdk.chooseImage({ count: 1 } as never) as unknown;
      if (ret instanceof Promise) await ret.catch(() => {});
      await flush();
      const e = tracer.entries[0];
      expect(e.outcome).toBe(c.outcome);
      expect(e.ms).toBe(12);
      expect(e.args).toEqual({ count: 1 }); // what the page passed, not the injected callbacks
      if (c.errMsg) expect(e.errMsg).toBe(c.errMsg);
      expect(e.flags.map((f) => f.code)).not.toContain("NO_CALLBACK");
    });
  }

  it("passes results through to the page's own callbacks", () => {
    const { tracer } = harness();
    const got: unknown[] = [];
    const sdk = tracer.wrap({ chooseImage: (p: { success: (r: unknown) => void; complete: (r: unknown) => void }) => { p.success({ errMsg: "chooseImage:ok" }); p.complete({ errMsg: "chooseImage:ok" }); } });
    sdk.chooseImage({ success: (r: unknown) => got.push(["s", r]), complete: (r: unknown) => got.push(["c", r]) } as never);
    expect(got).toEqual([["s", { errMsg: "chooseImage:ok" }], ["c", { errMsg: "chooseImage:ok" }]]);
    expect(tracer.entries[0].outcome).toBe("success");
  });

  it("a thrown exception is recorded and rethrown", () => {
    const { tracer } = harness();
    const sdk = tracer.wrap({ agentConfig: () => { throw new TypeError("wx.agentConfig is not a function"); } });
    expect(() => sdk.agentConfig()).toThrow(TypeError);
    expect(tracer.entries[0].outcome).toBe("threw");
    expect(tracer.entries[0].flags.map((f) => f.code)).toContain("THREW");
  });
});

describe("Tracer flags", () => {
  it("flags a call with no callback after the timeout, with likely causes, and marks a late answer", () => {
    const { tracer, advance } = harness();
    tracer.noteJsApiList("config", ["chooseImage"]);
    tracer.noteResult("config", true);
    let answer: ((r: unknown) => void) | null = null;
    const sdk = tracer.wrap({ chooseImage: (p: { success: (r: unknown) => void }) => { answer = p.success; } });
    sdk.chooseImage({} as never);
    advance(2999);
    expect(tracer.entries[0].outcome).toBe("pending");
    advance(1);
    const e = tracer.entries[0];
    expect(e.outcome).toBe("none");
    const f = e.flags.find((x) => x.code === "NO_CALLBACK")!;
    expect(f.en).toContain("no callback within 3 s");
    expect(f.causes!.map((c) => c.en).join("\n")).toMatch(/OS denied camera/);
    answer!({ errMsg: "chooseImage:ok" });
    expect(e.outcome).toBe("success");
    expect(e.late).toBe(true);
  });

  it("outside a client the first likely cause is the missing bridge", () => {
    const { tracer, advance } = harness({ ua: "Mozilla/5.0 Chrome/120" });
    const sdk = tracer.wrap({ getLocation: () => new Promise(() => {}) });
    sdk.getLocation();
    advance(3000);
    const f = tracer.entries[0].flags.find((x) => x.code === "NO_CALLBACK")!;
    expect(f.causes![0].en).toMatch(/not inside WeCom\/WeChat/);
  });

  const flagCases: { name: string; setup: (t: Tracer) => void; api: string; want: string[]; not?: string[] }[] = [
    { name: "before ready", setup: () => {}, api: "chooseImage", want: ["BEFORE_READY"] },
    { name: "config failed", setup: (t) => { t.noteJsApiList("config", ["chooseImage"]); t.noteResult("config", false); }, api: "chooseImage", want: ["CONFIG_FAILED"], not: ["BEFORE_READY"] },
    { name: "not in jsApiList", setup: (t) => { t.noteJsApiList("config", ["uploadImage"]); t.noteResult("config", true); }, api: "chooseImage", want: ["NOT_IN_JSAPILIST"] },
    { name: "in jsApiList", setup: (t) => { t.noteJsApiList("config", ["chooseImage"]); t.noteResult("config", true); }, api: "chooseImage", want: [], not: ["NOT_IN_JSAPILIST", "BEFORE_READY"] },
    { name: "needs agentConfig", setup: (t) => { t.noteJsApiList("config", ["selectExternalContact"]); t.noteResult("config", true); }, api: "selectExternalContact", want: ["NEEDS_AGENTCONFIG"] },
    { name: "agentConfig done", setup: (t) => { t.noteJsApiList("config", []); t.noteResult("config", true); t.noteJsApiList("agentConfig", ["selectExternalContact"]); t.noteResult("agentConfig", true); }, api: "selectExternalContact", want: [], not: ["NEEDS_AGENTCONFIG"] },
    { name: "setup calls are never flagged", setup: () => {}, api: "checkJsApi", want: [], not: ["BEFORE_READY"] },
  ];
  for (const c of flagCases) {
    it(c.name, () => {
      const { tracer } = harness();
      c.setup(tracer);
      const codes = tracer.callFlags(c.api).map((f) => f.code);
      for (const w of c.want) expect(codes).toContain(w);
      for (const n of c.not ?? []) expect(codes).not.toContain(n);
      if (c.want.length === 0) expect(codes).toEqual([]);
    });
  }

  it("register records jsApiList and the config result from onConfigSuccess/onConfigFail", () => {
    const { tracer } = harness();
    let ok: ((r: unknown) => void) | null = null;
    const seen: unknown[] = [];
    const sdk = tracer.wrap({ register: (o: { onConfigFail: (r: unknown) => void }) => { ok = o.onConfigFail; } });
    sdk.register({ corpId: "ww1", jsApiList: ["chooseImage"], onConfigFail: (r: unknown) => seen.push(r) } as never);
    expect(tracer.state.jsApiList).toEqual(new Set(["chooseImage"]));
    ok!({ errMsg: "config:invalid signature" });
    expect(seen).toEqual([{ errMsg: "config:invalid signature" }]);
    expect(tracer.state.configOk).toBe(false);
    expect(tracer.entries[0].outcome).toBe("fail");
    expect(tracer.entries[0].flags.map((f) => f.code)).toContain("ERR_INVALID_SIGNATURE");
  });
});

describe("explainErrMsg", () => {
  const rows: [string, string | null][] = [
    ["config:invalid signature", "ERR_INVALID_SIGNATURE"],
    ["chooseImage:fail, the permission value is offline verifying", "ERR_OFFLINE_VERIFYING"],
    ["getLocation:permission denied", "ERR_PERMISSION_DENIED"],
    ["agentConfig:fail_ticket no available more info at https://open.work.weixin.qq.com/devtool/query?e=42012", "ERR_TICKET_KIND"],
    ["config:not match any reliable domain. more info at …e=80001", "ERR_DOMAIN"],
    ["agentConfig:function not exist", "ERR_FUNCTION_NOT_EXIST"],
    ["getCurExternalContact:fail without context of external contact", "ERR_CONTEXT"],
    ["chooseImage:ok", null],
  ];
  for (const [msg, code] of rows) {
    it(msg, () => expect(explainErrMsg(msg)?.code ?? null).toBe(code));
  }
});

describe("sanitize", () => {
  it("shortens data URLs and replaces functions", () => {
    const long = "data:image/png;base64," + "A".repeat(5000);
    expect(sanitize({ a: () => 1, d: long, n: [1, 2] })).toEqual({ a: "[function]", d: expect.stringMatching(/…\(5022 chars\)$/), n: [1, 2] });
  });
  it("bounds depth of cyclic-looking objects", () => {
    const o: Record<string, unknown> = {};
    let cur = o;
    for (let i = 0; i < 10; i++) { cur.x = {}; cur = cur.x as Record<string, unknown>; }
    expect(JSON.stringify(sanitize(o))).toContain("[…]");
  });
});

describe("traceBridge", () => {
  it("records raw err_msg and client names, passes answers through, wraps once", async () => {
    const { tracer } = harness();
    const { traceBridge } = await import("../src/tracer");
    const got: unknown[] = [];
    const bridge = {
      invoke(name: string, _args: unknown, cb: (r: Record<string, unknown>) => void) {
        cb({ err_msg: name === "imagePreview" ? "imagePreview:ok" : `${name}:fail_no permission to execute` });
      },
    };
    traceBridge(tracer, bridge);
    traceBridge(tracer, bridge);
    bridge.invoke("imagePreview", { urls: ["u"] }, (r) => got.push(r));
    bridge.invoke("getBrandWCPayRequest", {}, (r) => got.push(r));
    expect(got).toEqual([{ err_msg: "imagePreview:ok" }, { err_msg: "getBrandWCPayRequest:fail_no permission to execute" }]);
    expect(tracer.entries.map((e) => [e.api, e.outcome, e.errMsg])).toEqual([
      ["bridge.imagePreview", "success", "imagePreview:ok"],
      ["bridge.getBrandWCPayRequest", "fail", "getBrandWCPayRequest:fail_no permission to execute"],
    ]);
    expect(tracer.entries[0].flags).toEqual([]);
    expect(tracer.entries[1].flags.map((f) => f.code)).toEqual(["ERR_PERMISSION_DENIED"]);
  });
});

describe("notePageError", () => {
  const rows: [string, string[]][] = [
    ["TypeError: wx.agentConfig is not a function", ["SDK_MISSING_METHOD"]],
    ["ReferenceError: wx is not defined", ["SDK_MISSING_METHOD"]],
    ["Script error.", []],
  ];
  for (const [msg, codes] of rows) {
    it(msg, () => {
      const { tracer } = harness();
      const seen: string[] = [];
      tracer.subscribe((e) => seen.push(e.api));
      const e = tracer.notePageError(msg);
      expect(e.outcome).toBe("threw");
      expect(e.flags.map((f) => f.code)).toEqual(codes);
      expect(seen).toEqual(["window.onerror"]);
    });
  }
});
