import { describe, expect, it } from "vitest";
import { buildLab, isLabName, LAB_NAMES, type LabCase } from "../src/lab";
import { rawSign, sha1Hex, ticketOf } from "../src/sha1";
import { detectClient } from "../src/env";

describe("sha1Hex", () => {
  const vectors: [string, string][] = [
    ["", "da39a3ee5e6b4b0d3255bfef95601890afd80709"],
    ["abc", "a9993e364706816aba3e25717850c26c9cd0d89d"],
    ["abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"],
    ["a".repeat(1000), "291e9a6c66994949b57ba5e650361e98fc36b1ba"],
    ["签名", "8ba46c43fe4eae8041bb89fe6dbf9b8e895b1f73"],
  ];
  for (const [input, want] of vectors) it(`${input.slice(0, 20)}…`, () => expect(sha1Hex(input)).toBe(want));

  it("rawSign is the documented JS-SDK example", () => {
    // Example of the WeChat JS-SDK doc (附录1).
    expect(rawSign("sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg", "Wm3WZYTPz0wzccnW", 1414587457, "http://mp.weixin.qq.com?params=value"))
      .toBe("0f9de62fce790f9a083d5c99e95740ceb90c27ed");
  });
  it("ticketOf", () => {
    expect(ticketOf("jsapi_ticket=T1&noncestr=n&timestamp=1&url=u")).toBe("T1");
    expect(ticketOf(undefined)).toBeUndefined();
    expect(ticketOf("noncestr=n")).toBeUndefined();
  });
});

describe("config lab", () => {
  const ctx = { href: "http://127.0.0.1:8080/?lab=x", timestamp: 1700000000, nonceStr: "n1", ticket: "T", agentTicket: "AT" };
  const get = (n: (typeof LAB_NAMES)[number]) => buildLab(n, ctx) as LabCase;

  it("names", () => {
    expect(isLabName("spa")).toBe(true);
    expect(isLabName("nope")).toBe(false);
    expect(isLabName(null)).toBe(false);
  });
  it("fragment: the URL with #fragment is signed and the page carries it", () => {
    const c = get("fragment");
    expect(c.pageUrl).toBe("http://127.0.0.1:8080/?lab=x#/wwkit-lab");
    expect(c.config.signature).toBe(rawSign("T", "n1", 1700000000, c.pageUrl));
  });
  it("ms: seconds signed, milliseconds passed", () => {
    const c = get("ms");
    expect(c.config.timestamp).toBe(1700000000000);
    expect(c.config.signature).toBe(rawSign("T", "n1", 1700000000, ctx.href));
  });
  it("agentticket: signed with the agent ticket", () => {
    expect(get("agentticket").config.signature).toBe(rawSign("AT", "n1", 1700000000, ctx.href));
    expect(buildLab("agentticket", { ...ctx, agentTicket: undefined })).toMatch(/agent_config ticket is unknown/);
  });
  it("spa: navigates with pushState and signs the landing URL", () => {
    const c = get("spa");
    expect(c.push).toBe(true);
    expect(c.pageUrl).toBe("http://127.0.0.1:8080/?lab=x&route=detail");
    expect(c.signedUrl).toBe(ctx.href);
  });
  it("amp: signs the HTML-escaped URL", () => {
    const c = get("amp");
    expect(c.pageUrl).toBe("http://127.0.0.1:8080/?lab=x&a=1&b=2");
    expect(c.signedUrl).toBe("http://127.0.0.1:8080/?lab=x&amp;a=1&amp;b=2");
    expect(c.config.signature).toBe(rawSign("T", "n1", 1700000000, c.signedUrl));
  });
});

describe("detectClient", () => {
  const rows: [string, string, string, string][] = [
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 wxwork/4.1.22 MicroMessenger/7.0.1", "wecom", "4.1.22", "ios"],
    ["Mozilla/5.0 (Linux; Android 13) MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64", "wechat", "8.0.47.2560", "android"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120", "browser", "", "windows"],
  ];
  for (const [ua, kind, version, os] of rows) it(kind + " " + os, () => expect(detectClient(ua)).toMatchObject({ kind, version, os }));
});
