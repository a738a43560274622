// The findings renderer: verifyConfig's diagnostics as a WeUI list, red /
// amber / green, in both languages (the page shows one, see lang.ts), each
// with its fix from core/jssdk's table (codes.gen.json); and the
// string to sign (待签名字符串) as the page rebuilt it next to the server's.
// Text is always set with textContent: findings echo URLs from the page.

export interface Finding {
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  messageZh: string;
  fix: string;
}

export interface VerifyOutcome {
  ok: boolean;
  findings?: Finding[];
  stringToSign?: string;
  error?: { kind: string; message: string };
}

export type Level = "red" | "amber" | "green";

/** levelOf: red when any error (or the verifier failed), amber for warnings, green otherwise. */
export function levelOf(r: VerifyOutcome): Level {
  if (r.error) return "red";
  const f = r.findings ?? [];
  if (!r.ok || f.some((x) => x.severity === "error")) return "red";
  if (f.some((x) => x.severity === "warning")) return "amber";
  return "green";
}

import findingCodes from "./codes.gen.json";
import { bi } from "./lang";

const fixes = new Map(findingCodes.map((c) => [c.code, c]));

/** fixOf is the fix of a finding in both languages: the table's, else the finding's own English one. */
export function fixOf(f: Finding): { zh: string; en: string } {
  const c = fixes.get(f.code);
  return { zh: c?.fixZh || f.fix, en: c?.fix || f.fix };
}

const LEVEL_TEXT: Record<Level, [string, string]> = {
  red: ["配置有误", "config is wrong"],
  amber: ["可用，但有警告", "works, with warnings"],
  green: ["配置正确", "config is right"],
};

const ORDER = { error: 0, warning: 1, info: 2 } as const;

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** renderFindings builds the panel for one verifier result. */
export function renderFindings(doc: Document, title: string, r: VerifyOutcome): HTMLElement {
  const level = levelOf(r);
  const box = el(doc, "div", `wk-findings wk-${level}`);
  box.dataset.level = level;
  const head = el(doc, "div", "wk-findings__head");
  const strong = el(doc, "strong");
  strong.append(bi(doc, `${title}：${LEVEL_TEXT[level][0]}`, `${title}: ${LEVEL_TEXT[level][1]}`));
  head.append(el(doc, "span", `wk-dot wk-dot_${level}`), strong);
  box.append(head);
  if (r.error) {
    const item = el(doc, "div", "wk-finding wk-finding_error");
    item.dataset.code = `VERIFIER_${r.error.kind.toUpperCase()}`;
    item.append(el(doc, "div", "wk-finding__code", item.dataset.code), el(doc, "div", "", r.error.message));
    box.append(item);
    return box;
  }
  const list = [...(r.findings ?? [])].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  for (const f of list) {
    const item = el(doc, "div", `wk-finding wk-finding_${f.severity}`);
    item.dataset.code = f.code;
    item.append(
      el(doc, "div", "wk-finding__code", f.code),
      el(doc, "div", "wk-finding__zh wk-zh", f.messageZh || f.message),
      el(doc, "div", "wk-finding__en wk-en", f.message),
    );
    if (f.fix && f.severity !== "info") {
      const fx = fixOf(f);
      item.append(el(doc, "div", "wk-finding__fix wk-zh", `修复：${fx.zh}`), el(doc, "div", "wk-finding__fix wk-en", `Fix: ${fx.en}`));
    }
    box.append(item);
  }
  return box;
}

/** maskTicket shortens the jsapi_ticket inside a string to sign, so a
 * screenshot of the page does not carry a usable ticket. */
export function maskTicket(s: string): string {
  return s.replace(/^(jsapi_ticket=)([^&]*)/, (_, k: string, t: string) => (t.length > 12 ? `${k}${t.slice(0, 6)}…${t.slice(-4)}` : `${k}${t}`));
}

/** firstDiff is the index of the first differing character, -1 when equal. */
export function firstDiff(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** renderSignCompare shows the page's and the server's strings to sign,
 * one per line, with the first difference marked. */
export function renderSignCompare(doc: Document, page: string | undefined, server: string | undefined): HTMLElement {
  const box = el(doc, "div", "wk-sign");
  const a = page ?? "";
  const b = server ?? "";
  const d = a && b ? firstDiff(a, b) : -1;
  box.dataset.same = String(Boolean(a && b && d === -1));
  const row = (label: [string, string], s: string, other: string) => {
    const r = el(doc, "div", "wk-sign__row");
    const l = el(doc, "div", "wk-sign__label");
    l.append(bi(doc, label[0], label[1]));
    r.append(l);
    const code = el(doc, "code", "wk-sign__text");
    if (!s) {
      code.textContent = "—";
    } else if (d < 0 || !other) {
      code.textContent = maskTicket(s);
    } else {
      // Mask the ticket only before the difference so the offset stays right.
      const head = s.slice(0, d);
      const masked = maskTicket(head);
      code.append(doc.createTextNode(masked), el(doc, "mark", "", s.slice(d)));
    }
    r.append(code);
    return r;
  };
  box.append(row(["页面（校验器）", "page (verifier)"], a, b), row(["服务器", "server"], b, a));
  const [zh, en] = !a || !b
    ? ["服务器未返回待签名字符串（仅调试/模拟器配置返回）。", "The server did not return its string to sign (debug/emulator profiles only)."]
    : d === -1 ? ["两者一致。", "Both are identical."] : [`从第 ${d + 1} 个字符起不同。`, `They differ from character ${d + 1}.`];
  const note = el(doc, "div", "wk-sign__note");
  note.append(bi(doc, zh, en));
  box.append(note);
  return box;
}
