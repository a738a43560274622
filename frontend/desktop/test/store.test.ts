import { describe, expect, it, vi } from "vitest";
import type { EntryDTO, InboxFilter } from "../src/api";

// A stand-in for the Wails bindings: an inbox of n stored entries, the
// "inbox" event, and the calls the store makes.
function entry(id: number): EntryDTO {
  return { id, profile: "wecom", platform: "wecom", receivedAt: "2026-11-24T10:00:00.000Z", msgType: "text", from: "u", summary: `m${id}`, hasReply: false, deliveries: 1 };
}
const stored: EntryDTO[] = [];
let listener: ((e: unknown) => void) | null = null;
const lists: InboxFilter[] = [];
(window as unknown as Record<string, unknown>).runtime = {
  EventsOn(name: string, cb: (e: unknown) => void) {
    if (name === "inbox") listener = cb;
    return () => { listener = null; };
  },
};
(window as unknown as Record<string, unknown>).go = {
  desktop: {
    InboxService: {
      async List(f: InboxFilter) {
        lists.push(f);
        const below = f.before ? stored.filter((e) => e.id < f.before) : stored;
        return below.slice().sort((a, b) => b.id - a.id).slice(0, f.limit);
      },
      async Count() { return stored.length; },
    },
  },
};
const store = await import("../src/store");

function storeUpTo(n: number) {
  for (let i = stored.length + 1; i <= n; i++) stored.push(entry(i));
}

describe("live inbox", () => {
  it("loads the newest page, merges live events and reads back the ones the window dropped", async () => {
    vi.useFakeTimers();
    storeUpTo(5);
    await store.loadInbox();
    expect(store.inbox.value.map((e) => e.id)).toEqual([5, 4, 3, 2, 1]);
    const stop = store.startLive();

    // In order: merged in one batch, no extra read.
    storeUpTo(7);
    listener!(entry(6));
    listener!(entry(7));
    lists.length = 0;
    await vi.advanceTimersByTimeAsync(60);
    expect(store.inbox.value.map((e) => e.id).slice(0, 3)).toEqual([7, 6, 5]);
    expect(lists).toHaveLength(0);

    // A burst where only every 100th event reached the window.
    storeUpTo(2507);
    for (let id = 100; id <= 2507; id += 100) listener!(entry(id));
    await vi.advanceTimersByTimeAsync(60);
    vi.useRealTimers();
    await vi.waitFor(() => expect(store.inbox.value).toHaveLength(2507));
    const ids = store.inbox.value.map((e) => e.id);
    expect(ids[0]).toBe(2507);
    expect(new Set(ids).size).toBe(2507);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(lists.length).toBeGreaterThanOrEqual(3); // pages of 1000 down to the old head
    expect(store.state.inboxTotal).toBe(2507);
    stop();
  });
});
