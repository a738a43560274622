import { flushPromises, mount } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import type { SendDTO, SignDTO, SuiteDTO } from "../src/api";
import { i18n } from "../src/i18n";
import { ticketAge } from "../src/logic";

window.matchMedia ??= ((q: string) => ({
  matches: false, media: q, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false,
})) as unknown as typeof window.matchMedia;
const { default: SuitePanel } = await import("../src/components/SuitePanel.vue");

const tick = async () => { await flushPromises(); await new Promise((r) => setTimeout(r, 0)); };
const minutesAgo = (m: number) => new Date(Date.now() - m * 60000).toISOString();

function suiteDTO(ticketMinutes: number | null): SuiteDTO {
  return {
    name: "suite", suiteId: "wwsuite01", callbackURL: "http://127.0.0.1:8080/suite/suite/callback", dataURL: "http://127.0.0.1:8080/suite/suite/data",
    ticketAt: ticketMinutes === null ? undefined : minutesAgo(ticketMinutes), ticketAgeSeconds: (ticketMinutes ?? 0) * 60,
    ticketFingerprint: ticketMinutes === null ? undefined : "a529a9ab94bc88a7",
    corps: [
      { corpId: "wwcorpA", corpName: "示例科技", agentId: 1000010, state: "active" },
      { corpId: "wwcorpB", corpName: "旧客户", agentId: 1000011, state: "cancelled" },
    ],
  } as SuiteDTO;
}

function bind(list: SuiteDTO[], sign: SignDTO, send: SendDTO) {
  const calls: unknown[][] = [];
  (window as unknown as { go: unknown }).go = {
    desktop: {
      SuiteService: {
        List: async () => list,
        Sign: async (...a: unknown[]) => { calls.push(["Sign", ...a]); return sign; },
        SendText: async (...a: unknown[]) => { calls.push(["SendText", ...a]); return send; },
      },
    },
  };
  return calls;
}

describe("ticketAge", () => {
  it("says ok up to 20 minutes, stale past 20, expired past 30, none without a ticket", () => {
    const now = Date.parse("2026-12-07T06:30:00Z");
    expect(ticketAge("2026-12-07T06:21:00Z", now)).toEqual({ minutes: 9, level: "ok" });
    expect(ticketAge("2026-12-07T06:09:00Z", now)).toEqual({ minutes: 21, level: "stale" });
    expect(ticketAge("2026-12-07T05:59:00Z", now)).toEqual({ minutes: 31, level: "expired" });
    expect(ticketAge(undefined, now)).toEqual({ minutes: 0, level: "none" });
  });
});

describe("suite panel", () => {
  it("warns about a suite_ticket older than 20 minutes, in Chinese", async () => {
    bind([suiteDTO(25)], {} as SignDTO, {} as SendDTO);
    i18n.global.locale.value = "zh";
    const w = mount(SuitePanel, { global: { plugins: [i18n] } });
    await tick();
    expect(w.get('[data-test="suite-ticket"]').text()).toContain("25 分钟前收到");
    expect(w.get('[data-test="suite-ticket-warning"]').text()).toContain("服务商平台每 10 分钟推送一次");
    w.unmount();
  }, 30000);

  it("shows no warning for a fresh ticket, lists the corps and signs and sends for the chosen one", async () => {
    const calls = bind([suiteDTO(3)],
      { profile: "suite:wwcorpA", kind: "agentConfig", url: "http://127.0.0.1/p", config: { corpid: "wwcorpA", agentid: "1000010", signature: "abc" }, stringToSign: "jsapi_ticket=kgt8…AAAA&noncestr=n&timestamp=1&url=http://127.0.0.1/p" } as SignDTO,
      { ok: false, exchanges: [], error: { errcode: 81013, errmsg: "user invalid", explanation: "", meaningZh: "成员不存在或不在可见范围", checkZh: "检查 touser" } } as unknown as SendDTO);
    i18n.global.locale.value = "en";
    const w = mount(SuitePanel, { global: { plugins: [i18n] } });
    await tick();
    expect(w.find('[data-test="suite-ticket-warning"]').exists()).toBe(false);
    expect(w.get('[data-test="suite-corp-wwcorpA"]').text()).toContain("authorised");
    expect(w.get('[data-test="suite-corp-wwcorpB"]').text()).toContain("cancelled");
    // A cancelled corp cannot be chosen.
    expect(w.get('[data-test="suite-choose-wwcorpB"]').attributes("disabled")).toBeDefined();
    await w.get('[data-test="suite-choose-wwcorpA"]').trigger("click");
    await tick();
    await w.get('[data-test="suite-sign-url"] input').setValue("http://127.0.0.1/p");
    await w.get('[data-test="suite-sign"]').trigger("click");
    await tick();
    expect(calls[0]).toEqual(["Sign", "suite", "wwcorpA", "config", "http://127.0.0.1/p"]);
    expect(w.get('[data-test="suite-sign-config"]').text()).toContain('"agentid": "1000010"');
    await w.get('[data-test="suite-send-to"] input').setValue("zhangsan");
    await w.get('[data-test="suite-send-content"] input').setValue("hi");
    await w.get('[data-test="suite-send"]').trigger("click");
    await tick();
    expect(calls[1]).toEqual(["SendText", "suite", "wwcorpA", "zhangsan", "hi"]);
    expect(w.get('[data-test="suite-send-errcode"]').text()).toContain("81013");
    w.unmount();
  }, 30000);

  it("warns when no ticket arrived yet", async () => {
    bind([suiteDTO(null)], {} as SignDTO, {} as SendDTO);
    i18n.global.locale.value = "en";
    const w = mount(SuitePanel, { global: { plugins: [i18n] } });
    await tick();
    expect(w.get('[data-test="suite-ticket-warning"]').text()).toContain("No suite_ticket yet: the provider platform pushes one every 10 minutes");
    w.unmount();
  });
});
