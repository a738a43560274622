// Renders tracer entries (newest first) as WeUI-styled rows.
import type { TraceEntry } from "./tracer";
import { bi } from "./lang";

const OUTCOME_ZH: Record<string, string> = {
  pending: "等待中", success: "成功", fail: "失败", cancel: "取消", complete: "完成", none: "无回调", threw: "异常",
};

export function renderEntry(doc: Document, e: TraceEntry): HTMLElement {
  const row = doc.createElement("div");
  row.className = "wk-call";
  row.dataset.api = e.api;
  row.dataset.outcome = e.outcome;
  row.dataset.flags = e.flags.map((f) => f.code).join(" ");
  const hd = doc.createElement("div");
  hd.className = "wk-call__hd";
  const api = doc.createElement("span");
  api.className = "wk-call__api";
  api.textContent = `#${e.id} ${e.api}`;
  const right = doc.createElement("span");
  const out = doc.createElement("span");
  out.className = `wk-outcome wk-outcome_${e.outcome}`;
  out.append(bi(doc, OUTCOME_ZH[e.outcome] ?? e.outcome, e.outcome));
  const ms = doc.createElement("span");
  ms.textContent = e.ms !== undefined ? ` ${e.ms} ms` : "";
  right.append(out, ms);
  hd.append(api, right);
  row.append(hd);
  const args = doc.createElement("div");
  args.className = "wk-call__args";
  args.textContent = `args ${short(e.args)}${e.errMsg ? `  →  ${e.errMsg}` : ""}`;
  if (e.late) args.append(bi(doc, "（迟到的回调）", " (late callback)"));
  row.append(args);
  for (const f of e.flags) {
    const fl = doc.createElement("div");
    fl.className = `wk-flag wk-flag_${f.severity}`;
    fl.dataset.code = f.code;
    const t = doc.createElement("div");
    t.className = "wk-zh";
    t.textContent = `${f.code} · ${f.zh}`;
    const en = doc.createElement("div");
    en.className = "wk-en";
    en.textContent = `${f.code} · ${f.en}`;
    fl.append(t, en);
    if (f.causes?.length) {
      const ul = doc.createElement("ul");
      for (const c of f.causes) {
        const li = doc.createElement("li");
        li.append(bi(doc, c.zh, c.en));
        ul.append(li);
      }
      fl.append(ul);
    }
    row.append(fl);
  }
  return row;
}

function short(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

/** TraceView keeps one row per entry, updated in place. */
export class TraceView {
  private rows = new Map<number, HTMLElement>();
  constructor(private doc: Document, private root: HTMLElement) {}
  update(e: TraceEntry): void {
    const row = renderEntry(this.doc, e);
    const old = this.rows.get(e.id);
    if (old) old.replaceWith(row);
    else {
      this.root.querySelector(".wk-empty")?.remove();
      this.root.prepend(row);
    }
    this.rows.set(e.id, row);
  }
}
