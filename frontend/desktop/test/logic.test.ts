import { describe, expect, it } from "vitest";
import type { EntryDTO } from "../src/api";
import {
  addEntries, countdown, waitingForAccessToken, emptyQuery, errcodeLine, facet, gapAbove, filterEntries, formatDuration, pages, shortcut, shortcutList, soonMs, splitList,
} from "../src/logic";

const key = (k: string, mod: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({
  key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mod,
});

function entry(id: number, over: Partial<EntryDTO> = {}): EntryDTO {
  return {
    id, profile: "wecom", platform: "wecom", receivedAt: "2026-11-24T10:00:00.000Z", msgType: "text", from: `user${id % 3}`,
    summary: `hello ${id}`, hasReply: false, deliveries: 1, ...over,
  };
}

describe("formatDuration", () => {
  it.each([
    [0, "0s"], [999, "0s"], [9_000, "9s"], [65_000, "1m 05s"], [3_600_000, "1h 00m 00s"],
    [7_200_000 - 1_000, "1h 59m 59s"], [6_723_000, "1h 52m 03s"], [90_061_000, "1d 1h 01m"], [-5_000, "0s"],
  ])("%d ms → %s", (ms, want) => expect(formatDuration(ms)).toBe(want));
});

describe("countdown", () => {
  const now = Date.parse("2026-11-24T10:00:00Z");
  it("is none without an expiry or with a bad one", () => {
    expect(countdown(undefined, now).level).toBe("none");
    expect(countdown(null, now).level).toBe("none");
    expect(countdown("not a time", now)).toEqual({ level: "none", left: 0, text: "" });
  });
  it("counts down a fresh 7200 s token", () => {
    const c = countdown("2026-11-24T12:00:00Z", now);
    expect(c).toEqual({ level: "ok", left: 7_200_000, text: "2h 00m 00s" });
    expect(countdown("2026-11-24T12:00:00Z", now + 1000).text).toBe("1h 59m 59s");
  });
  it("warns under five minutes and reports expiry", () => {
    expect(countdown(new Date(now + soonMs - 1000).toISOString(), now).level).toBe("soon");
    expect(countdown(new Date(now + soonMs + 1000).toISOString(), now).level).toBe("ok");
    expect(countdown(new Date(now).toISOString(), now)).toEqual({ level: "expired", left: 0, text: "" });
    expect(countdown(new Date(now - 60_000).toISOString(), now).level).toBe("expired");
  });
});

describe("waitingForAccessToken", () => {
  it("marks the tickets once the access_token failed, and nothing otherwise", () => {
    const failed = [
      { kind: "access_token", value: "", lastError: { errcode: 40001 } },
      { kind: "jsapi_ticket", value: "", lastError: { errcode: 40001 } },
      { kind: "agent_config_ticket", value: "" },
    ];
    expect([...waitingForAccessToken(failed)]).toEqual(["jsapi_ticket", "agent_config_ticket"]);
    expect(waitingForAccessToken([{ kind: "access_token", value: "abc…" }, { kind: "jsapi_ticket", value: "", failure: "x" }]).size).toBe(0);
  });
});

describe("errcodeLine", () => {
  it("renders the catalogue's Chinese without the server's English errmsg", () => {
    expect(errcodeLine({ errcode: 40001, errmsg: "invalid credential", meaningZh: "不合法的secret", checkZh: "检查secret" }, "zh")).toBe("40001 不合法的secret；检查secret");
  });
  it("renders an errcode as data", () => {
    expect(errcodeLine({ errcode: 40001, errmsg: "invalid credential", explanation: "the secret is wrong" })).toBe(
      "40001 invalid credential — the secret is wrong",
    );
    expect(errcodeLine({ errcode: 45009, errmsg: "", explanation: "" })).toBe("45009");
    expect(errcodeLine(null)).toBe("");
  });
});

describe("inbox filters", () => {
  const list = [
    entry(5, { msgType: "event", event: "subscribe", eventKey: "qrscene_promo", summary: "qrscene_promo", from: "oABC" }),
    entry(4, { profile: "mp", platform: "mp", from: "oXYZ", summary: "你好" }),
    entry(3, { msgType: "event", event: "click", eventKey: "MENU_1", summary: "MENU_1" }),
    entry(2, { from: "ZhangSan", summary: "deploy done" }),
    entry(1),
  ];
  it("matches everything when empty and keeps the order", () => {
    expect(filterEntries(list, emptyQuery()).map((e) => e.id)).toEqual([5, 4, 3, 2, 1]);
  });
  it("filters by type, event (case-insensitive), sender substring, text and profile", () => {
    expect(filterEntries(list, { ...emptyQuery(), msgType: "event" }).map((e) => e.id)).toEqual([5, 3]);
    expect(filterEntries(list, { ...emptyQuery(), event: "SUBSCRIBE" }).map((e) => e.id)).toEqual([5]);
    expect(filterEntries(list, { ...emptyQuery(), from: "zhang" }).map((e) => e.id)).toEqual([2]);
    expect(filterEntries(list, { ...emptyQuery(), text: "menu" }).map((e) => e.id)).toEqual([3]);
    expect(filterEntries(list, { ...emptyQuery(), text: "你好" }).map((e) => e.id)).toEqual([4]);
    expect(filterEntries(list, { ...emptyQuery(), profile: "mp" }).map((e) => e.id)).toEqual([4]);
    expect(filterEntries(list, { ...emptyQuery(), msgType: "event", event: "click" }).map((e) => e.id)).toEqual([3]);
    expect(filterEntries(list, { ...emptyQuery(), from: "nobody" })).toEqual([]);
  });
  it("lists facets for the filter menus", () => {
    expect(facet(list, "msgType")).toEqual(["event", "text"]);
    expect(facet(list, "event")).toEqual(["click", "subscribe"]);
    expect(facet(list, "profile")).toEqual(["mp", "wecom"]);
  });
  it("filters 10,000 entries quickly enough to run on every keystroke", () => {
    const big = Array.from({ length: 10_000 }, (_, i) => entry(10_000 - i, i % 10 === 0 ? { msgType: "event", event: "click" } : {}));
    const got = filterEntries(big, { ...emptyQuery(), msgType: "event" });
    expect(got).toHaveLength(1000);
    expect(got[0].id).toBe(10_000);
  });
});

describe("addEntries", () => {
  it("puts live entries on top, newest first", () => {
    const got = addEntries([entry(2), entry(1)], [entry(3), entry(4)]);
    expect(got.map((e) => e.id)).toEqual([4, 3, 2, 1]);
  });
  it("replaces an entry delivered again and merges older pages", () => {
    const got = addEntries([entry(9), entry(8), entry(5)], [entry(8, { deliveries: 2 }), entry(4), entry(7)]);
    expect(got.map((e) => e.id)).toEqual([9, 8, 7, 5, 4]);
    expect(got.find((e) => e.id === 8)?.deliveries).toBe(2);
  });
  it("returns the same list when nothing arrives", () => {
    const l = [entry(1)];
    expect(addEntries(l, [])).toBe(l);
  });
});

describe("shortcuts", () => {
  it("maps Ctrl/⌘+1..7 to the pages in order", () => {
    pages.forEach((p, i) => {
      expect(shortcut(key(String(i + 1), { ctrlKey: true }))).toEqual({ kind: "page", page: p });
      expect(shortcut(key(String(i + 1), { metaKey: true }))).toEqual({ kind: "page", page: p });
    });
    expect(shortcut(key(String(pages.length + 1), { ctrlKey: true }))).toBeNull();
    expect(shortcut(key("1"))).toBeNull();
    expect(shortcut(key("1", { ctrlKey: true, altKey: true }))).toBeNull();
  });
  it("maps the action keys", () => {
    expect(shortcut(key("r", { ctrlKey: true }))).toEqual({ kind: "refreshTokens" });
    expect(shortcut(key("R", { metaKey: true, shiftKey: true }))).toEqual({ kind: "refreshTokens" });
    expect(shortcut(key("k", { ctrlKey: true }))).toEqual({ kind: "focusFilter" });
    expect(shortcut(key("l", { ctrlKey: true }))).toEqual({ kind: "toggleLang" });
    expect(shortcut(key("/", { ctrlKey: true }))).toEqual({ kind: "help" });
    expect(shortcut(key("F1"))).toEqual({ kind: "help" });
    expect(shortcut(key("r"))).toBeNull();
  });
  it("lists every shortcut in the help, with the platform's modifier", () => {
    const l = shortcutList(false);
    expect(l.map((s) => s.keys)).toContain("Ctrl+1");
    expect(l.map((s) => s.keys)).toContain("Ctrl+R");
    expect(shortcutList(true).map((s) => s.keys)).toContain("⌘+K");
    expect(l).toHaveLength(pages.length + 4);
  });
});

describe("splitList", () => {
  it("splits API names on commas and spaces (also the Chinese comma)", () => {
    expect(splitList("chooseImage, getLocation  scanQRCode，previewImage,")).toEqual(["chooseImage", "getLocation", "scanQRCode", "previewImage"]);
    expect(splitList("  ")).toEqual([]);
  });
});

describe("gapAbove", () => {
  const ids = (...xs: number[]) => xs.map((id) => entry(id));
  it("finds ids missing above the previous head", () => {
    expect(gapAbove(ids(12, 11, 10), 10)).toBe(false);
    expect(gapAbove(ids(13, 11, 10), 10)).toBe(true);
    expect(gapAbove(ids(13, 12, 11, 10), 10)).toBe(false);
    expect(gapAbove(ids(3, 2, 1), 0)).toBe(false);
    expect(gapAbove(ids(5, 1), 0)).toBe(true);
  });
  it("sees no gap when nothing is newer", () => {
    expect(gapAbove([], 4)).toBe(false);
    expect(gapAbove(ids(4, 3), 4)).toBe(false);
  });
});
