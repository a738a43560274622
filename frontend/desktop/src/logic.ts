// Plain logic of the desktop UI (no Vue, no DOM): countdowns, inbox
// filters, keyboard shortcuts. Unit-tested in desktop/test/.
import type { EntryDTO, ErrcodeDTO } from "./api";

/** The pages, in navigation order; Ctrl/⌘+1.. selects them. */
export const pages = ["overview", "tokens", "qr", "messages", "inbox", "workbench", "contacts"] as const;
export type Page = (typeof pages)[number];

/** formatDuration renders a positive duration as "1h 52m 03s" / "4m 05s" / "9s". */
export function formatDuration(ms: number): string {
  let s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const p = (n: number) => String(n).padStart(2, "0");
  if (d > 0) return `${d}d ${h}h ${p(m)}m`;
  if (h > 0) return `${h}h ${p(m)}m ${p(s)}s`;
  if (m > 0) return `${m}m ${p(s)}s`;
  return `${s}s`;
}

export type CountdownLevel = "none" | "ok" | "soon" | "expired";

/** Countdown is the time left of a token, for display. */
export interface Countdown {
  level: CountdownLevel;
  /** milliseconds left; 0 when expired or unknown */
  left: number;
  /** "1h 52m 03s", "" when level is none or expired */
  text: string;
}

/** soonMs: under this a token shows as about to expire (clients refresh early). */
export const soonMs = 5 * 60 * 1000;

/** countdown computes the time left until expiresAt (RFC 3339) at now. */
export function countdown(expiresAt: string | null | undefined, now: number): Countdown {
  if (!expiresAt) return { level: "none", left: 0, text: "" };
  const t = Date.parse(expiresAt);
  if (Number.isNaN(t)) return { level: "none", left: 0, text: "" };
  const left = t - now;
  if (left <= 0) return { level: "expired", left: 0, text: "" };
  return { level: left < soonMs ? "soon" : "ok", left, text: formatDuration(left) };
}

/** ErrcodeLike is an errcode as the DTOs carry it (ErrcodeDTO or a Call's fields). */
export interface ErrcodeLike {
  errcode: number;
  errmsg: string;
  explanation?: string;
  meaningZh?: string;
  checkZh?: string;
  explanationZh?: string;
}

/**
 * errcodeLine renders an errcode as data: in English "40001 invalid
 * credential — explanation"; in Chinese the catalogue's meaning and advice
 * (the server's English errmsg is in the raw response).
 */
export function errcodeLine(e: ErrcodeLike | null | undefined, lang = "en"): string {
  if (!e) return "";
  let s = String(e.errcode);
  if (lang === "zh") {
    const zh = e.meaningZh ? e.meaningZh + (e.checkZh ? `；${e.checkZh}` : "") : e.explanationZh;
    return zh ? `${s} ${zh}` : `${s}（错误码目录中没有此码，服务器原文见原始响应）`;
  }
  if (e.errmsg) s += ` ${e.errmsg}`;
  if (e.explanation) s += ` — ${e.explanation}`;
  return s;
}

/** TokenRowLike is what waitingForAccessToken reads of a TokenDTO. */
export interface TokenRowLike {
  kind: string;
  value?: string | null;
  lastError?: unknown;
  failure?: string | null;
}

/**
 * waitingForAccessToken lists the ticket rows that failed only because the
 * access_token did: the access_token row explains the failure once, these
 * say they wait for it.
 */
export function waitingForAccessToken(rows: TokenRowLike[]): Set<string> {
  const at = rows.find((r) => r.kind === "access_token");
  const out = new Set<string>();
  if (!at || at.value || (!at.lastError && !at.failure)) return out;
  for (const r of rows) if (r.kind !== "access_token" && !r.value) out.add(r.kind);
  return out;
}

/** InboxQuery is the inbox filter bar. Empty fields match everything. */
export interface InboxQuery {
  profile: string;
  msgType: string;
  event: string;
  /** substring of the sender, case-insensitive */
  from: string;
  /** substring of the summary or event key, case-insensitive */
  text: string;
}

export const emptyQuery = (): InboxQuery => ({ profile: "", msgType: "", event: "", from: "", text: "" });

/** matchEntry tells whether an inbox entry passes the filter. */
export function matchEntry(e: EntryDTO, q: InboxQuery): boolean {
  if (q.profile && e.profile !== q.profile) return false;
  if (q.msgType && e.msgType.toLowerCase() !== q.msgType.toLowerCase()) return false;
  if (q.event && (e.event ?? "").toLowerCase() !== q.event.toLowerCase()) return false;
  if (q.from && !e.from.toLowerCase().includes(q.from.toLowerCase())) return false;
  if (q.text) {
    const t = q.text.toLowerCase();
    if (!e.summary.toLowerCase().includes(t) && !(e.eventKey ?? "").toLowerCase().includes(t)) return false;
  }
  return true;
}

/** filterEntries returns the entries that pass q, in order. */
export function filterEntries(list: readonly EntryDTO[], q: InboxQuery): EntryDTO[] {
  const active = q.profile || q.msgType || q.event || q.from || q.text;
  return active ? list.filter((e) => matchEntry(e, q)) : list.slice();
}

/**
 * addEntries merges new entries into a newest-first list: entries already
 * present (same id) are replaced, the result stays sorted by id descending.
 */
export function addEntries(list: EntryDTO[], incoming: readonly EntryDTO[]): EntryDTO[] {
  if (incoming.length === 0) return list;
  const byId = new Map<number, EntryDTO>();
  for (const e of incoming) byId.set(e.id, e);
  // Fast path: every new entry is newer than the head (the live case).
  const head = list.length ? list[0].id : -Infinity;
  const fresh = [...byId.values()].sort((a, b) => b.id - a.id);
  if (fresh[fresh.length - 1].id > head) return fresh.concat(list);
  const kept = list.filter((e) => !byId.has(e.id));
  return kept.concat(fresh).sort((a, b) => b.id - a.id);
}

/**
 * gapAbove tells whether ids are missing above head in a newest-first list:
 * the inbox ids grow by one per stored callback, so n entries newer than
 * head should reach head+n. Live events can be dropped when the window lags
 * behind a burst (the dev server never blocks on a slow subscriber); a gap
 * means the missing ones must be read with InboxService.List.
 */
export function gapAbove(list: readonly EntryDTO[], head: number): boolean {
  if (list.length === 0 || list[0].id <= head) return false;
  let n = 0;
  while (n < list.length && list[n].id > head) n++;
  return n < list[0].id - head;
}

/** facet lists the distinct non-empty values of a field, sorted. */
export function facet(list: readonly EntryDTO[], field: "msgType" | "event" | "profile"): string[] {
  const s = new Set<string>();
  for (const e of list) {
    const v = e[field];
    if (v) s.add(v);
  }
  return [...s].sort();
}

export type Action =
  | { kind: "page"; page: Page }
  | { kind: "refreshTokens" }
  | { kind: "focusFilter" }
  | { kind: "toggleLang" }
  | { kind: "help" };

/** KeyLike is the part of a KeyboardEvent the shortcuts read. */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/**
 * shortcut maps a key press to an action: Ctrl/⌘+1..7 pages, Ctrl/⌘+R
 * refresh tokens, Ctrl/⌘+K inbox filter, Ctrl/⌘+L language, F1 or
 * Ctrl/⌘+/ help.
 */
export function shortcut(e: KeyLike): Action | null {
  if (e.key === "F1") return { kind: "help" };
  const mod = (e.ctrlKey || e.metaKey) && !e.altKey;
  if (!mod) return null;
  const n = Number(e.key);
  if (Number.isInteger(n) && n >= 1 && n <= pages.length) return { kind: "page", page: pages[n - 1] };
  switch (e.key.toLowerCase()) {
    case "r":
      return { kind: "refreshTokens" };
    case "k":
      return { kind: "focusFilter" };
    case "l":
      return { kind: "toggleLang" };
    case "/":
      return { kind: "help" };
  }
  return null;
}

/** shortcutList is what the help popover shows: keys and the i18n key of the action. */
export function shortcutList(mac: boolean): { keys: string; label: string }[] {
  const m = mac ? "⌘" : "Ctrl";
  return [
    ...pages.map((p, i) => ({ keys: `${m}+${i + 1}`, label: `nav.${p}` })),
    { keys: `${m}+R`, label: "help.refreshTokens" },
    { keys: `${m}+K`, label: "help.focusFilter" },
    { keys: `${m}+L`, label: "help.toggleLang" },
    { keys: `F1 / ${m}+/`, label: "help.help" },
  ];
}

/** splitList splits "a, b c" into ["a","b","c"] (JS API names for the QR code). */
export function splitList(s: string): string[] {
  return s
    .split(/[\s,，]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** pretty renders a value as indented JSON for the detail views. */
export function pretty(v: unknown): string {
  if (v === undefined || v === null) return "";
  try {
    return JSON.stringify(v, null, 2);
  } catch {
    return String(v);
  }
}

/** TicketAge is how old a suite's last suite_ticket is, in whole minutes,
 * and what that means: the provider platform pushes one every 10 minutes
 * and each is valid 30, so past 20 minutes two pushes were missed. */
export interface TicketAge { minutes: number; level: "ok" | "stale" | "expired" | "none" }

export function ticketAge(at: string | null | undefined, now: number): TicketAge {
  if (!at) return { minutes: 0, level: "none" };
  const ms = now - new Date(at).getTime();
  const minutes = Math.max(0, Math.floor(ms / 60000));
  if (ms > 30 * 60000) return { minutes, level: "expired" };
  if (ms > 20 * 60000) return { minutes, level: "stale" };
  return { minutes, level: "ok" };
}
