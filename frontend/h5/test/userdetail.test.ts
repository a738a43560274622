import { describe, expect, it } from "vitest";
import { whoAmI } from "../src/api";
import { detailProblem, detailRows, fetchUserDetail, safeImageURL } from "../src/userdetail";

const reply = (status: number, body: unknown) => new Response(typeof body === "string" ? body : JSON.stringify(body), { status });

describe("member detail (snsapi_privateinfo)", () => {
  it("posts JSON to /api/oauth/userdetail with the profile and keeps the fields as returned", async () => {
    let seen = "";
    let init: RequestInit | undefined;
    const a = await fetchUserDetail(async (u, i) => {
      seen = u;
      init = i;
      return reply(200, { ok: true, userid: "zhangsan", mobile: "13800000001", email: "zhangsan@example.com", avatar: "https://wework.qpic.cn/a/0", gender: "1", address: "" });
    }, "wecom");
    expect(seen).toBe("/api/oauth/userdetail?profile=wecom");
    expect(init?.method).toBe("POST");
    expect(new Headers(init?.headers).get("Content-Type")).toBe("application/json");
    expect(a).toEqual({ ok: true, detail: { userid: "zhangsan", mobile: "13800000001", email: "zhangsan@example.com", avatar: "https://wework.qpic.cn/a/0", gender: "1", address: "", bizMail: undefined, qrCode: undefined } });
    if (!a.ok) throw new Error("unreachable");
    const rows = detailRows(a.detail);
    expect(rows.find((r) => r[1] === "mobile")?.[2]).toBe("13800000001");
    expect(rows.find((r) => r[1] === "address")?.[2]).toBe("—");
    expect(rows.find((r) => r[1] === "gender")?.[2]).toMatch(/^1 \(男/);
  });

  it("a refusal is an answer with its status and errcode, not an exception", async () => {
    expect(await fetchUserDetail(async () => reply(502, { ok: false, error: "errcode 40058: invalid user_ticket", errcode: 40058 }))).toEqual({ ok: false, status: 502, error: "errcode 40058: invalid user_ticket", errcode: 40058 });
    const html = await fetchUserDetail(async () => reply(404, "<html>"));
    expect(html.ok).toBe(false);
    if (!html.ok) expect(html.error).toMatch(/not JSON/);
  });

  const refused = { ok: false as const, status: 401, error: "server: no live user_ticket" };
  const cases: [string, Parameters<typeof detailProblem>[1], RegExp, RegExp][] = [
    ["signed out", null, /尚未登录/, /Signed out.*snsapi_privateinfo/],
    ["snsapi_base sign-in", { userId: "lisi", scope: "snsapi_base" }, /snsapi_base.*user_ticket/, /scope snsapi_base.*no user_ticket/],
    ["privateinfo asked, base granted (outside the visible range)", { userId: "sunqi", scope: "snsapi_base" }, /重新授权/, /sign in again with snsapi_privateinfo/],
    ["ticket expired", { userId: "zhangsan", scope: "snsapi_privateinfo", userTicket: true }, /已失效.*30 分钟/, /expired.*30 minutes/],
  ];
  for (const [name, me, zh, en] of cases) {
    it(`explains 401 when ${name}`, () => {
      const [z, e] = detailProblem(refused, me);
      expect(z).toMatch(zh);
      expect(e).toMatch(en);
    });
  }
  it("explains an Official Account profile and a WeCom errcode", () => {
    expect(detailProblem({ ok: false, status: 400, error: "server: auth/getuserdetail is a WeCom API" }, null)[0]).toMatch(/企业微信接口/);
    const [zh, en] = detailProblem({ ok: false, status: 502, error: "invalid user_ticket", errcode: 40058 }, { userId: "zhangsan" });
    expect(zh).toMatch(/errcode 40058/);
    expect(en).toMatch(/WeCom refused auth\/getuserdetail \(errcode 40058\)/);
  });

  it("only http(s) avatars go into an img", () => {
    expect(safeImageURL("https://wework.qpic.cn/a/0")).toBe("https://wework.qpic.cn/a/0");
    expect(safeImageURL("javascript:alert(1)")).toBe("");
    expect(safeImageURL("data:image/svg+xml,<svg onload=alert(1)>")).toBe("");
    expect(safeImageURL(undefined)).toBe("");
  });

  it("whoAmI reports the granted scope and whether a user_ticket came", async () => {
    const f = async (u: string) => (u === "/api/session" ? reply(200, { ok: true, profile: "wecom", userid: "zhangsan", scope: "snsapi_privateinfo", userTicket: true }) : reply(404, ""));
    expect(await whoAmI(f)).toEqual({ userId: "zhangsan", openId: undefined, profile: "wecom", scope: "snsapi_privateinfo", userTicket: true });
  });
});
