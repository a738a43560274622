// The UI's shared state: profiles, the active one, the inbox (live), and
// the current page. Pages call the services through svc() themselves; what
// several pages read lives here.
import { reactive, shallowRef } from "vue";
import { onEvent, svc, toolError, type EntryDTO, type ProfileDTO } from "./api";
import { addEntries, gapAbove, type Page } from "./logic";

export const state = reactive({
  page: "overview" as Page,
  profiles: [] as ProfileDTO[],
  active: "",
  /** a Go error from loading the profiles (the tool failed) */
  error: "",
  loading: true,
  inboxTotal: 0,
  /** the oldest id loaded; paging goes below it */
  inboxOldest: 0,
  inboxAllLoaded: false,
  /** live entries received since start */
  liveCount: 0,
});

/**
 * inbox holds the loaded entries newest first. A shallowRef: 10,000 entries
 * are not made deeply reactive, the array is replaced on every change.
 */
export const inbox = shallowRef<EntryDTO[]>([]);

export function activeProfile(): ProfileDTO | undefined {
  return state.profiles.find((p) => p.name === state.active);
}

export async function loadProfiles(): Promise<void> {
  try {
    const list = (await svc("ProfileService").List()) ?? [];
    state.profiles = list;
    state.active = list.find((p) => p.active)?.name ?? list[0]?.name ?? "";
    state.error = "";
  } catch (e) {
    state.error = toolError(e);
  } finally {
    state.loading = false;
  }
}

/** switchProfile makes name active (the window title follows, in Go). */
export async function switchProfile(name: string): Promise<void> {
  const p = await svc("ProfileService").Switch(name);
  state.active = p.name;
  state.profiles = state.profiles.map((x) => ({ ...x, active: x.name === p.name }));
}

/** pageSize of one inbox read (InboxService.List allows up to 1000). */
export const pageSize = 1000;

/** loadInbox reads the newest entries again. */
export async function loadInbox(): Promise<void> {
  const list = (await svc("InboxService").List({ profile: "", msgType: "", event: "", from: "", before: 0, limit: pageSize })) ?? [];
  inbox.value = addEntries([], list);
  state.inboxOldest = list.length ? list[list.length - 1].id : 0;
  state.inboxAllLoaded = list.length < pageSize;
  state.inboxTotal = await svc("InboxService").Count();
}

/** loadOlder reads one more page below the oldest loaded entry. */
export async function loadOlder(): Promise<number> {
  if (state.inboxAllLoaded || state.inboxOldest <= 1) {
    state.inboxAllLoaded = true;
    return 0;
  }
  const list = (await svc("InboxService").List({ profile: "", msgType: "", event: "", from: "", before: state.inboxOldest, limit: pageSize })) ?? [];
  if (list.length) {
    inbox.value = addEntries(inbox.value, list);
    state.inboxOldest = list[list.length - 1].id;
  }
  if (list.length < pageSize) state.inboxAllLoaded = true;
  return list.length;
}

let pending: EntryDTO[] = [];
let flushTimer: ReturnType<typeof setTimeout> | null = null;
let catching: Promise<void> | null = null;
let catchAgain = false;

/**
 * startLive follows the window's "inbox" event (every callback the dev
 * server stores). Entries arriving in a burst are merged in batches so a
 * flood of callbacks costs one list update per 50 ms, not one per entry.
 * When the window lagged and events were dropped (ids missing above the
 * previous newest entry), the missing entries are read with
 * InboxService.List.
 */
export function startLive(): () => void {
  return onEvent<EntryDTO>("inbox", (e) => {
    pending.push(e);
    state.liveCount++;
    if (!flushTimer) flushTimer = setTimeout(flush, 50);
  });
}

function flush() {
  const batch = pending;
  pending = [];
  flushTimer = null;
  const head = inbox.value.length ? inbox.value[0].id : state.inboxOldest - 1;
  inbox.value = addEntries(inbox.value, batch);
  if (gapAbove(inbox.value, Math.max(head, 0))) {
    catchUp(Math.max(head, 0));
  } else {
    state.inboxTotal = Math.max(state.inboxTotal, inbox.value.length ? inbox.value[0].id : 0);
  }
}

/** catchUp reads every entry newer than head that is not loaded yet. */
function catchUp(head: number) {
  if (catching) {
    catchAgain = true;
    return;
  }
  catching = (async () => {
    try {
      let before = 0;
      for (;;) {
        const list = (await svc("InboxService").List({ profile: "", msgType: "", event: "", from: "", before, limit: pageSize })) ?? [];
        inbox.value = addEntries(inbox.value, list.filter((e) => e.id > head));
        if (list.length < pageSize || list[list.length - 1].id <= head + 1) break;
        before = list[list.length - 1].id;
      }
      state.inboxTotal = await svc("InboxService").Count();
    } catch {
      /* the next batch or a Reload tries again */
    } finally {
      catching = null;
      if (catchAgain) {
        catchAgain = false;
        if (gapAbove(inbox.value, head)) catchUp(head);
      }
    }
  })();
}
