import { describe, expect, it } from "vitest";
import { fetchMedia, getAgentConfig, getConfig, pageURL, whoAmI } from "../src/api";
import { TraceView, renderEntry } from "../src/traceview";

const reply = (status: number, body: unknown) => new Response(typeof body === "string" ? body : JSON.stringify(body), { status });

describe("dev server client", () => {
  it("signs the URL without its fragment, encoded, with the profile", async () => {
    const seen: string[] = [];
    const f = async (u: string) => { seen.push(u); return reply(200, { appId: "ww1", timestamp: 1, nonceStr: "n", signature: "s" }); };
    await getConfig(f, pageURL("http://h/p?a=1&b=2#/x"), "mp");
    expect(seen).toEqual(["/api/jssdk/config?url=http%3A%2F%2Fh%2Fp%3Fa%3D1%26b%3D2&profile=mp"]);
  });
  it("signs for an authorised corp of a suite with profile and corp", async () => {
    const seen: string[] = [];
    const f = async (u: string) => { seen.push(u); return reply(200, { corpId: "wwc", agentId: 1000010, timestamp: 1, nonceStr: "n", signature: "s" }); };
    await getConfig(f, "http://h/p", "isv", "wwcorp A");
    await getAgentConfig(f, "http://h/p", "isv", "wwcorp A");
    expect(seen).toEqual([
      "/api/jssdk/config?url=http%3A%2F%2Fh%2Fp&profile=isv&corp=wwcorp%20A",
      "/api/jssdk/agent-config?url=http%3A%2F%2Fh%2Fp&profile=isv&corp=wwcorp%20A",
    ]);
  });
  it("turns a server error into a message", async () => {
    await expect(getConfig(async () => reply(400, { ok: false, error: "server: x is not a trusted domain" }), "http://x/")).rejects.toThrow("server: x is not a trusted domain");
    await expect(getConfig(async () => reply(502, "<html>bad gateway</html>"), "http://x/")).rejects.toThrow(/not JSON/);
  });
  it("media fetch posts the serverId", async () => {
    let body = "";
    const m = await fetchMedia(async (_u, init) => { body = String(init?.body); return reply(200, { ok: true, url: "/media/ab.png", size: 3 }); }, "MID");
    expect(JSON.parse(body)).toEqual({ serverId: "MID" });
    expect(m.url).toBe("/media/ab.png");
  });
  const who: [string, Record<string, [number, unknown]>, unknown][] = [
    ["oauth/me", { "/api/oauth/me": [200, { userId: "zhangsan" }] }, { userId: "zhangsan", openId: undefined, profile: undefined }],
    ["falls back to /api/session", { "/api/oauth/me": [404, "404 page not found"], "/api/session": [200, { ok: true, profile: "wecom", userid: "lisi" }] }, { userId: "lisi", openId: undefined, profile: "wecom" }],
    ["signed out", { "/api/oauth/me": [404, ""], "/api/session": [401, { ok: false }] }, null],
  ];
  for (const [name, routes, want] of who) {
    it(`whoAmI: ${name}`, async () => {
      const f = async (u: string) => { const [s, b] = routes[u] ?? [404, ""]; return reply(s, b); };
      expect(await whoAmI(f)).toEqual(want);
    });
  }
});

describe("trace view", () => {
  it("renders outcome, flags and causes as text and updates rows in place", () => {
    const root = document.createElement("div");
    root.innerHTML = '<div class="wk-empty">none</div>';
    const v = new TraceView(document, root);
    const e = { id: 1, api: "chooseImage", args: { count: "<b>1</b>" }, start: 0, outcome: "pending" as const, flags: [] as never[] };
    v.update(e);
    expect(root.querySelector(".wk-empty")).toBeNull();
    v.update({ ...e, outcome: "none", flags: [{ code: "NO_CALLBACK", severity: "error", en: "no callback", zh: "没有回调", causes: [{ en: "c1", zh: "原因1" }] }] } as never);
    const rows = root.querySelectorAll<HTMLElement>(".wk-call");
    expect(rows).toHaveLength(1);
    expect(rows[0].dataset.outcome).toBe("none");
    expect(rows[0].dataset.flags).toBe("NO_CALLBACK");
    expect(rows[0].querySelector("li .wk-zh")!.textContent).toBe("原因1");
    expect(rows[0].querySelector("li .wk-en")!.textContent).toBe("c1");
    expect(rows[0].querySelector("b")).toBeNull();
  });
  it("shows timing and errMsg", () => {
    const row = renderEntry(document, { id: 2, api: "uploadImage", args: {}, start: 0, end: 5, ms: 5, outcome: "fail", errMsg: "uploadImage:fail", flags: [] });
    expect(row.textContent).toContain("5 ms");
    expect(row.textContent).toContain("uploadImage:fail");
  });
});
