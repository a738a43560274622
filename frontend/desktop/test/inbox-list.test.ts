import { mount } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import type { EntryDTO } from "../src/api";

// jsdom has no matchMedia; vueuc asks it whether the pointer is coarse.
window.matchMedia ??= ((q: string) => ({
  matches: false, media: q, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false,
})) as unknown as typeof window.matchMedia;

// jsdom does no layout: a stand-in ResizeObserver reports the CSS height of
// the observed element (or of its nearest ancestor that sets one), which is
// what a browser measures for the fixed-height list.
class LayoutResizeObserver {
  constructor(private cb: (e: unknown[]) => void) {}
  observe(el: HTMLElement) {
    let n: HTMLElement | null = el;
    let h = 0;
    while (n && !(h = parseFloat(n.style?.height || ""))) n = n.parentElement;
    queueMicrotask(() => this.cb([{ target: el, contentRect: { height: h, width: 600 }, borderBoxSize: [{ blockSize: h, inlineSize: 600 }] }]));
  }
  unobserve() {}
  disconnect() {}
}
(window as unknown as { ResizeObserver: unknown }).ResizeObserver = LayoutResizeObserver;
// Imported after the stand-ins: vueuc picks its ResizeObserver at load time.
const { default: InboxList } = await import("../src/components/InboxList.vue");

function entries(n: number): EntryDTO[] {
  return Array.from({ length: n }, (_, i) => ({
    id: n - i, profile: "wecom", platform: "wecom", receivedAt: "2026-11-24T10:00:00.000Z", msgType: "text",
    from: `user${i % 7}`, summary: `message ${n - i}`, hasReply: false, deliveries: 1,
  }));
}

describe("InboxList", () => {
  it("renders only a window of rows out of 10,000 entries", async () => {
    const items = entries(10_000);
    const w = mount(InboxList, { props: { items, selected: null, height: 400 }, attachTo: document.body });
    await new Promise((r) => setTimeout(r, 0));
    await w.vm.$nextTick();
    const rows = w.findAll(".inbox-row");
    // 400 px / 34 px rows ≈ 12 visible; vueuc renders the visible rows and a
    // small overscan, never the 10,000.
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(60);
    expect(rows[0].attributes("data-id")).toBe("10000");
    expect(rows[0].text()).toContain("message 10000");
    // The scroll area is as tall as all the rows, so the scrollbar is right.
    const html = w.html();
    expect(html).toMatch(/height:\s*340000px/);
    w.unmount();
  });

  it("emits the id of a clicked row", async () => {
    const w = mount(InboxList, { props: { items: entries(3), selected: 2, height: 200 }, attachTo: document.body });
    await new Promise((r) => setTimeout(r, 0));
    await w.vm.$nextTick();
    const rows = w.findAll(".inbox-row");
    expect(rows).toHaveLength(3);
    expect(rows[1].classes()).toContain("selected");
    await rows[2].trigger("click");
    expect(w.emitted("select")).toEqual([[1]]);
    w.unmount();
  });
});
