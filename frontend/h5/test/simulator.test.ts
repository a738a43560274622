import { describe, expect, it } from "vitest";
import { createSimulator, shouldSimulate, type SimDeps } from "../src/simulator";

type Call = { url: string; init?: RequestInit };

/** fakeServer answers /api/sim/* like the dev server would. */
function deps(over: Partial<SimDeps> & { verify?: (body: Record<string, unknown>) => unknown } = {}) {
  const calls: Call[] = [];
  const d: SimDeps = {
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/120",
    href: () => "http://127.0.0.1:8080/?x=1#frag",
    pickFiles: async () => [new File([new Uint8Array([137, 80, 78, 71, 1, 2, 3])], "a.png", { type: "image/png" })],
    readDataURL: async (b) => `data:${b.type};base64,AAAA`,
    fetch: async (url, init) => {
      calls.push({ url, init });
      if (url === "/api/sim/jssdk/verify") {
        const body = JSON.parse(String(init?.body));
        const ans = over.verify ? over.verify(body) : { ok: true, errMsg: `${body.api}:ok` };
        return new Response(JSON.stringify(ans), { status: 200 });
      }
      if (url === "/api/sim/media/upload") return new Response(JSON.stringify({ media_id: "MEDIA1" }), { status: 200 });
      return new Response("{}", { status: 404 });
    },
    ...over,
  };
  return { d, calls };
}

const sig = async () => ({ timestamp: 1700000000, nonceStr: "n", signature: "s".repeat(40) });

describe("shouldSimulate", () => {
  const rows: [string, string, boolean][] = [
    ["Mozilla/5.0 Chrome/120", "", true],
    ["Mozilla/5.0 Chrome/120", "?sim=0", false],
    ["Mozilla/5.0 (iPhone) wxwork/4.1.0 MicroMessenger/7.0.1", "", false],
    ["Mozilla/5.0 (Linux; Android 12) MicroMessenger/8.0.40", "", false],
    ["Mozilla/5.0 wechatdevtools/1.06", "", false],
  ];
  for (const [ua, q, want] of rows) it(`${ua} ${q}`, () => expect(shouldSimulate(ua, q)).toBe(want));

  it("createSimulator refuses the real clients", () => {
    const { d } = deps({ userAgent: "Mozilla/5.0 wxwork/4.1.0" });
    expect(() => createSimulator(d)).toThrow(/refusing to run inside WeCom\/WeChat/);
  });
});

describe("simulated config", () => {
  it("posts the page's config to /api/sim/jssdk/verify and reports the client's answer", async () => {
    const { d, calls } = deps();
    const sim = createSimulator(d);
    const got = await new Promise<unknown>((resolve) => sim.register({ corpId: "ww1", agentId: 1000002, jsApiList: ["chooseImage"], getConfigSignature: sig, getAgentConfigSignature: sig, onConfigSuccess: () => {}, onAgentConfigSuccess: resolve }));
    expect(got).toEqual({ errMsg: "agentConfig:ok" });
    const bodies = calls.filter((c) => c.url === "/api/sim/jssdk/verify").map((c) => JSON.parse(String(c.init?.body)));
    expect(bodies[0]).toEqual({ api: "config", url: "http://127.0.0.1:8080/?x=1#frag", appId: "ww1", timestamp: 1700000000, nonceStr: "n", signature: "s".repeat(40), jsApiList: ["chooseImage"] });
    expect(bodies[1]).toMatchObject({ api: "agentConfig", corpid: "ww1", agentid: 1000002 });
  });

  it("a wrong signature fails with the emulator's text, and later calls fail like the client", async () => {
    const { d } = deps({ verify: () => ({ ok: false, errMsg: "config:invalid signature", reason: "the URL was signed with its #fragment", reasonZh: "签名的 URL 带了 #" }) });
    const sim = createSimulator(d);
    const fail = await new Promise<Record<string, unknown>>((resolve) => sim.register({ corpId: "ww1", jsApiList: ["chooseImage"], getConfigSignature: sig, onConfigFail: resolve as never }));
    expect(fail).toEqual({ errMsg: "config:invalid signature", simReason: "the URL was signed with its #fragment", simReasonZh: "签名的 URL 带了 #" });
    expect(sim.lastReason()).toMatch(/#fragment/);
    await expect(sim.chooseImage({})).rejects.toEqual({ errMsg: "chooseImage:fail, the permission value is offline verifying" });
  });

  it("an API missing from jsApiList is denied", async () => {
    const { d } = deps();
    const sim = createSimulator(d);
    sim.register({ corpId: "ww1", jsApiList: ["uploadImage"], getConfigSignature: sig });
    const fails: unknown[] = [];
    await expect(sim.getLocation({ fail: (r) => fails.push(r) })).rejects.toEqual({ errMsg: "getLocation:permission denied" });
    expect(fails).toEqual([{ errMsg: "getLocation:permission denied" }]);
  });

  it("without register every call fails offline verifying", async () => {
    const { d } = deps();
    await expect(createSimulator(d).getLocation()).rejects.toMatchObject({ errMsg: expect.stringContaining("offline verifying") });
  });
});

describe("simulated image flow", () => {
  it("chooseImage → getLocalImgData → uploadImage posts the picked file as multipart media", async () => {
    const { d, calls } = deps();
    const sim = createSimulator(d);
    sim.register({ corpId: "ww1", jsApiList: ["chooseImage", "getLocalImgData", "uploadImage"], getConfigSignature: sig });
    const chosen = await sim.chooseImage({ count: 1, sourceType: ["camera"] });
    const localId = (chosen.localIds as string[])[0];
    expect(localId).toMatch(/^wxLocalResource:\/\//);
    expect(chosen.sourceType).toBe("camera");
    expect((await sim.getLocalImgData({ localId })).localData).toBe("data:image/png;base64,AAAA");
    const up = await sim.uploadImage({ localId });
    expect(up).toEqual({ errMsg: "uploadImage:ok", serverId: "MEDIA1" });
    const form = calls.find((c) => c.url === "/api/sim/media/upload")!.init!.body as FormData;
    const f = form.get("media") as File;
    expect(f.name).toBe("a.png");
    expect(new Uint8Array(await f.arrayBuffer())).toEqual(new Uint8Array([137, 80, 78, 71, 1, 2, 3]));
  });

  it("closing the picker is a cancel, not a fail", async () => {
    const { d } = deps({ pickFiles: async () => [] });
    const sim = createSimulator(d);
    sim.register({ corpId: "ww1", jsApiList: ["chooseImage"], getConfigSignature: sig });
    const cancels: unknown[] = [];
    await expect(sim.chooseImage({ cancel: (r) => cancels.push(r) })).rejects.toEqual({ errMsg: "chooseImage:cancel" });
    expect(cancels).toHaveLength(1);
  });

  it("an unknown localId fails", async () => {
    const { d } = deps();
    const sim = createSimulator(d);
    sim.register({ corpId: "ww1", jsApiList: ["uploadImage"], getConfigSignature: sig });
    await expect(sim.uploadImage({ localId: "wxLocalResource://nope" })).rejects.toEqual({ errMsg: "uploadImage:fail invalid localId" });
  });

  it("a hung API never settles (the 'nothing happens' rehearsal)", async () => {
    const { d } = deps({ hang: new Set(["getLocation"]) });
    const sim = createSimulator(d);
    sim.register({ corpId: "ww1", jsApiList: ["getLocation"], getConfigSignature: sig });
    const r = await Promise.race([sim.getLocation().then(() => "settled", () => "settled"), new Promise((res) => setTimeout(() => res("pending"), 30))]);
    expect(r).toBe("pending");
  });
});

describe("sidebar (会话侧边栏)", () => {
  const sidebarDeps = (answer: Response, agentOK = true) => deps({
    agentApis: new Set(["getCurExternalContact", "getCurExternalChat"]),
    verify: (body) => ({ ok: true, errMsg: body.api === "agentConfig" && !agentOK ? "agentConfig:fail" : `${body.api}:ok` }),
    fetch: async (url, init) => {
      if (url === "/api/sim/sidebar") return answer.clone();
      const body = JSON.parse(String(init?.body ?? "{}"));
      return new Response(JSON.stringify({ ok: true, errMsg: `${body.api}:${body.api === "agentConfig" && !agentOK ? "fail" : "ok"}` }), { status: 200 });
    },
  });
  const registered = async (d: SimDeps) => {
    const sim = createSimulator(d);
    await new Promise<unknown>((resolve) => sim.register({ corpId: "ww1", agentId: 1000002, jsApiList: ["getCurExternalContact", "getCurExternalChat"], getConfigSignature: sig, getAgentConfigSignature: sig, onAgentConfigSuccess: resolve, onAgentConfigFail: resolve }));
    return sim;
  };

  it("getCurExternalContact and getCurExternalChat answer the dev server's sidebar context", async () => {
    const { d } = sidebarDeps(new Response(JSON.stringify({ ok: true, externalUserId: "wmCHEN0001", chatId: "wrGROUP0001" }), { status: 200 }));
    const sim = await registered(d);
    await expect(sim.getCurExternalContact()).resolves.toEqual({ errMsg: "getCurExternalContact:ok", userId: "wmCHEN0001" });
    await expect(sim.getCurExternalChat()).resolves.toEqual({ errMsg: "getCurExternalChat:ok", chatId: "wrGROUP0001" });
  });

  it("they need agentConfig, like the client", async () => {
    const { d } = sidebarDeps(new Response(JSON.stringify({ ok: true, externalUserId: "wmCHEN0001" }), { status: 200 }), false);
    const sim = await registered(d);
    await expect(sim.getCurExternalContact()).rejects.toEqual({ errMsg: "getCurExternalContact:fail no permission" });
  });

  it("without a customer in the context they fail", async () => {
    const { d } = sidebarDeps(new Response(JSON.stringify({ ok: false, error: "server: the simulator endpoints exist only for emulated profiles" }), { status: 404 }));
    const sim = await registered(d);
    await expect(sim.getCurExternalContact()).rejects.toMatchObject({ errMsg: expect.stringMatching(/^getCurExternalContact:fail server: the simulator endpoints/) });
  });
});
