import { mount } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import type { RejectedPageDTO } from "../src/api";
import { en, zh, i18n } from "../src/i18n";
import { applyOpening, checkerPrefill, verdictKey, verdicts } from "../src/checker";
import { state } from "../src/store";

window.matchMedia ??= ((q: string) => ({
  matches: false, media: q, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false,
})) as unknown as typeof window.matchMedia;
const { default: RejectedList } = await import("../src/components/RejectedList.vue");

const page: RejectedPageDTO = {
  total: 7, keptPerPath: 50, byProfile: { wecom: 7 }, byVerdict: { token: 6, aeskey: 1 },
  entries: [{
    id: 7, at: "2026-12-07T03:00:00Z", profile: "wecom", path: "/callback/wecom", method: "POST", peer: "127.0.0.1", kind: "signature", status: 403,
    reason: "server: msg_signature does not match; check the Token", verdict: "token",
    detail: "msg_signature does not verify with this token: the Token is wrong", detailZh: "Token 不对", bodyBytes: 612, bodySha256: "ab12",
    doctor: "wwkit crypt doctor --msg-signature 5f --nonce n1",
    checker: { profile: "wecom", url: "http://127.0.0.1:8080/callback/wecom?msg_signature=5f&nonce=n1&timestamp=1", msgSignature: "5f", timestamp: "1", nonce: "n1", echostr: "", signature: "", body: "" },
  }, {
    id: 3, at: "2026-12-07T02:00:00Z", profile: "", path: "/callback/nope", method: "POST", peer: "127.0.0.1", kind: "profile", status: 404,
    reason: "server: unknown profile", verdict: "brand-new-verdict", detail: "the callback URL names no profile", bodyBytes: 0,
    checker: { profile: "", url: "", msgSignature: "", timestamp: "", nonce: "", echostr: "", signature: "", body: "" },
  }],
};

function bind(rejected: (p: string) => Promise<RejectedPageDTO>) {
  (window as unknown as { go: unknown }).go = { desktop: { InboxService: { Rejected: rejected } } };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("Rejected view", () => {
  it("shows each refusal with the verdict in Chinese and opens the prefilled checker", async () => {
    const asked: string[] = [];
    bind(async (p) => {
      asked.push(p);
      return page;
    });
    i18n.global.locale.value = "zh";
    const w = mount(RejectedList, { props: { profile: "" }, global: { plugins: [i18n] } });
    await tick();
    await w.vm.$nextTick();
    expect(asked).toEqual([""]);
    const rows = w.findAll('[data-test="rejected-entry"]');
    expect(rows).toHaveLength(2);
    expect(rows[0].get('[data-test="rejected-verdict"]').text()).toBe("用另一个 Token 签名");
    // An unknown verdict is shown as it is, not as a missing key.
    expect(rows[1].get('[data-test="rejected-verdict"]').text()).toBe("brand-new-verdict");
    expect(rows[0].text()).toContain("消息体 612 字节");
    // The doctor's Chinese explanation; no English detail in the Chinese view.
    expect(rows[0].get('[data-test="rejected-detail"]').text()).toBe("Token 不对");
    expect(rows[1].find('[data-test="rejected-detail"]').exists()).toBe(false);
    expect(w.get('[data-test="rejected-stats"]').text()).toContain("拒绝了 7 条");
    // No checker for a path without a profile (nothing to check against).
    expect(rows[1].find('[data-test="rejected-open-checker"]').exists()).toBe(false);
    await rows[0].get('[data-test="rejected-open-checker"]').trigger("click");
    expect(state.page).toBe("workbench");
    expect(checkerPrefill.value?.url).toBe(page.entries[0].checker.url);
    expect(checkerPrefill.value?.profile).toBe("wecom");
    w.unmount();
  });

  it("shows a tool error and an empty state", async () => {
    bind(async () => Promise.reject("desktop: the dev server is not running"));
    i18n.global.locale.value = "en";
    let w = mount(RejectedList, { props: { profile: "" }, global: { plugins: [i18n] } });
    await tick();
    await w.vm.$nextTick();
    expect(w.text()).toContain("the dev server is not running");
    w.unmount();
    bind(async () => ({ ...page, total: 0, entries: [] }));
    w = mount(RejectedList, { props: { profile: "" }, global: { plugins: [i18n] } });
    await tick();
    await w.vm.$nextTick();
    expect(w.find('[data-test="rejected-empty"]').exists()).toBe(true);
    w.unmount();
  });

  it("words every verdict the server gives in both languages", () => {
    const get = (t: unknown, k: string) => k.split(".").reduce<unknown>((n, p) => (n as Record<string, unknown>)?.[p], t);
    for (const v of verdicts) {
      const k = verdictKey(v);
      expect(k, v).not.toBe("");
      expect(typeof get(en, k), `en ${k}`).toBe("string");
      expect(get(zh, k), `zh ${k}`).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe("opening from the tray", () => {
  it("--open checker:ID switches to the workbench with the refusal prefilled", async () => {
    state.page = "overview";
    checkerPrefill.value = null;
    await applyOpening({ Opening: async () => ({ page: "", checker: null }) });
    expect(state.page).toBe("overview");
    expect(checkerPrefill.value).toBeNull();
    await applyOpening({ Opening: async () => ({ page: "workbench", checker: page.entries[0].checker }) });
    expect(state.page).toBe("workbench");
    expect(checkerPrefill.value).toEqual(page.entries[0].checker);
  });
});
