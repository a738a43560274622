import codes from "../src/codes.gen.json";
import { initialLang } from "../src/lang";
import { englishSentence } from "../../desktop/src/english";
import { describe, expect, it } from "vitest";
import { firstDiff, levelOf, maskTicket, renderFindings, renderSignCompare, type Finding } from "../src/findings";

const f = (code: string, severity: Finding["severity"]): Finding => ({ code, severity, message: `${code} en`, messageZh: `${code} 中文`, fix: `fix ${code}` });

describe("levelOf", () => {
  const rows: [string, Parameters<typeof levelOf>[0], string][] = [
    ["ok, info only", { ok: true, findings: [f("SIGNATURE_OK", "info")] }, "green"],
    ["ok with warning", { ok: true, findings: [f("ENV_INSECURE_ORIGIN", "warning")] }, "amber"],
    ["error", { ok: false, findings: [f("URL_HAS_FRAGMENT", "error"), f("ENV_CLIENT", "info")] }, "red"],
    ["verifier error", { ok: false, error: { kind: "input", message: "x" } }, "red"],
    ["not ok without findings", { ok: false, findings: [] }, "red"],
  ];
  for (const [name, r, want] of rows) it(name, () => expect(levelOf(r)).toBe(want));
});

describe("language", () => {
  it("defaults from navigator.language unless the user chose", () => {
    expect(initialLang(null, "zh-CN")).toBe("zh");
    expect(initialLang(null, "en-US")).toBe("en");
    expect(initialLang(null, undefined)).toBe("en");
    expect(initialLang("en", "zh-CN")).toBe("en");
    expect(initialLang("zh", "en-GB")).toBe("zh");
  });

  it("every finding code has its fix in Chinese, without an English sentence", () => {
    for (const c of codes) {
      expect(c.fixZh, c.code).toBeTruthy();
      expect(englishSentence(c.fixZh), c.code).toBeNull();
    }
  });
});

describe("renderFindings", () => {
  it("lists errors first with both languages and the fix, as text (no HTML injection)", () => {
    const box = renderFindings(document, "wx.config", { ok: false, findings: [f("ENV_CLIENT", "info"), { ...f("URL_HAS_FRAGMENT", "error"), message: "<img src=x onerror=alert(1)>" }] });
    expect(box.dataset.level).toBe("red");
    const items = [...box.querySelectorAll<HTMLElement>(".wk-finding")];
    expect(items.map((i) => i.dataset.code)).toEqual(["URL_HAS_FRAGMENT", "ENV_CLIENT"]);
    expect(items[0].querySelector(".wk-finding__zh")!.textContent).toBe("URL_HAS_FRAGMENT 中文");
    // The fix comes from core/jssdk's table by code, in both languages.
    expect(items[0].querySelector(".wk-finding__fix.wk-zh")!.textContent).toBe("修复：签名前去掉 # 及其后的全部内容（jssdk.Sign 会自动处理）。");
    expect(items[0].querySelector(".wk-finding__fix.wk-en")!.textContent).toMatch(/^Fix: Cut # and everything after it/);
    expect(box.querySelector("img")).toBeNull();
    expect(items[1].querySelector(".wk-finding__fix")).toBeNull(); // info has no fix line
  });
  it("shows a verifier error as a finding", () => {
    const box = renderFindings(document, "wx.config", { ok: false, error: { kind: "not_ready", message: "wwkit: call ready first" } });
    expect(box.querySelector<HTMLElement>(".wk-finding")!.dataset.code).toBe("VERIFIER_NOT_READY");
  });
});

describe("string to sign comparison", () => {
  const T = "kgt8ON7yVITDhtdwci0qeYCzvTUHAGHA";
  it("masks the ticket", () => expect(maskTicket(`jsapi_ticket=${T}&noncestr=a`)).toBe("jsapi_ticket=kgt8ON…AGHA&noncestr=a"));
  it("keeps a short ticket", () => expect(maskTicket("jsapi_ticket=abc&noncestr=a")).toBe("jsapi_ticket=abc&noncestr=a"));
  it("firstDiff", () => {
    expect(firstDiff("abc", "abc")).toBe(-1);
    expect(firstDiff("abc", "abd")).toBe(2);
    expect(firstDiff("ab", "abc")).toBe(2);
  });
  it("marks the first difference and says where", () => {
    const a = `jsapi_ticket=${T}&noncestr=n&timestamp=1&url=http://h/a`;
    const b = `jsapi_ticket=${T}&noncestr=n&timestamp=1&url=http://h/b`;
    const box = renderSignCompare(document, a, b);
    expect(box.dataset.same).toBe("false");
    expect([...box.querySelectorAll("mark")].map((m) => m.textContent)).toEqual(["a", "b"]);
    expect(box.textContent).toContain(`character ${a.length}`);
    expect(box.textContent).not.toContain(T);
  });
  it("identical strings", () => {
    const s = `jsapi_ticket=${T}&noncestr=n&timestamp=1&url=http://h/`;
    expect(renderSignCompare(document, s, s).dataset.same).toBe("true");
  });
  it("no server string", () => {
    expect(renderSignCompare(document, "x", undefined).textContent).toContain("debug/emulator profiles only");
  });
});
