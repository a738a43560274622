import { mount } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import { i18n } from "../src/i18n";

window.matchMedia ??= ((q: string) => ({
  matches: false, media: q, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false,
})) as unknown as typeof window.matchMedia;
const { default: QRWarnings } = await import("../src/components/QRWarnings.vue");
const { default: MPQRNote } = await import("../src/components/MPQRNote.vue");

const mountIn = (lang: "en" | "zh", c: unknown, props: Record<string, unknown>) => {
  i18n.global.locale.value = lang;
  return mount(c as never, { props, global: { plugins: [i18n] } });
};

describe("QR warnings", () => {
  it("words every reachability code with its fix, in Chinese without English sentences", () => {
    const warnings = [
      { code: "loopback", params: { url: "http://127.0.0.1:8080", port: "8080" }, message: "m1" },
      { code: "lan-excluded", params: { url: "http://192.168.1.5:8080", addr: "127.0.0.1:8080", port: "8080" }, message: "m2" },
      { code: "not-this-server", params: { url: "https://x.trycloudflare.com", status: "502" }, message: "m3" },
      { code: "unreachable", params: { url: "https://x.trycloudflare.com", err: "timeout" }, message: "m4" },
    ];
    const w = mountIn("zh", QRWarnings, { warnings });
    const shown = w.findAll('[data-test="qr-warning"]').map((x) => x.text());
    expect(shown).toHaveLength(4);
    expect(shown[0]).toContain("手机无法打开这个二维码");
    expect(shown[0]).toContain("--addr 0.0.0.0:8080");
    expect(shown[1]).toContain("只监听 127.0.0.1:8080");
    expect(shown[2]).toContain("HTTP 502");
    expect(shown[3]).toContain("timeout");
    for (const s of shown) expect(s.replace(/https?:\/\/\S+|--[\w-]+|[\w.:/-]*\d[\w.:/-]*|HTTP|wwkit desktop\/tray|timeout/g, "")).not.toMatch(/\b(the|is|a|on|with|cannot)\b/);
    w.unmount();
    const en = mountIn("en", QRWarnings, { warnings: [warnings[0]] });
    expect(en.text()).toContain("http://127.0.0.1:8080 is this machine's loopback address");
    en.unmount();
    // An unknown code falls back to the Go message; no warnings, no alert.
    const unk = mountIn("zh", QRWarnings, { warnings: [{ code: "new-code", params: {}, message: "from Go" }] });
    expect(unk.text()).toContain("from Go");
    unk.unmount();
    expect(mountIn("en", QRWarnings, { warnings: [] }).find('[data-test="qr-warning"]').exists()).toBe(false);
  });

  it("says an emulator parameter QR code is for the simulated scan only and counts down to its local expiry", async () => {
    const at = new Date(Date.now() + 90 * 60 * 1000).toISOString();
    const w = mountIn("zh", MPQRNote, { emulatorOnly: true, expiresAt: at });
    expect(w.get('[data-test="mp-emulator-only"]').text()).toContain("weixin.qq.com");
    expect(w.get('[data-test="mp-emulator-only"]').text()).toContain("模拟扫码");
    const expiry = w.get('[data-test="mp-expiry"]').text();
    const local = new Date(at);
    // Local wall-clock time, not the UTC string of the DTO.
    expect(expiry).toContain(String(local.getHours()).padStart(2, "0") + ":" + String(local.getMinutes()).padStart(2, "0"));
    expect(expiry).not.toContain(at);
    expect(expiry).toMatch(/还剩 1h ?(29|30)m/);
    w.unmount();
    const real = mountIn("en", MPQRNote, { emulatorOnly: false, expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect(real.find('[data-test="mp-emulator-only"]').exists()).toBe(false);
    expect(real.get('[data-test="mp-expiry"]').text()).toContain("expired");
    real.unmount();
  });
});
