// The config lab (配置实验室): reproduces the classic wx.config mistakes on
// purpose (emulator/debug profiles only, where the server reveals the ticket
// in its string to sign), so a developer can see what each looks like — in
// the verifier's findings and in the client's answer — before meeting it on
// a phone. Selected with ?lab=NAME.

import { rawSign } from "./sha1";

export interface LabContext {
  /** location.href at load, without #fragment (includes ?lab=…). */
  href: string;
  timestamp: number;
  nonceStr: string;
  ticket: string;
  /** The agent_config ticket (for the wrong-ticket case). */
  agentTicket?: string;
}

export interface LabCase {
  name: string;
  titleZh: string;
  title: string;
  /** Where the page must be when config runs (history.replaceState/pushState). */
  pageUrl: string;
  /** pushState (SPA navigation) rather than replaceState. */
  push?: boolean;
  /** The URL the (broken) server signed. */
  signedUrl: string;
  config: { timestamp: number; nonceStr: string; signature: string };
  /** The diagnostic codes the verifier must report. */
  expect: string[];
}

export const LAB_NAMES = ["fragment", "ms", "agentticket", "spa", "amp"] as const;
export type LabName = (typeof LAB_NAMES)[number];

export function isLabName(s: string | null): s is LabName {
  return s !== null && (LAB_NAMES as readonly string[]).includes(s);
}

/** buildLab returns the broken config for the case, or an error text when
 * the context lacks what it needs. */
export function buildLab(name: LabName, c: LabContext): LabCase | string {
  const sep = c.href.includes("?") ? "&" : "?";
  const sign = (t: string, ts: number | string, url: string) => rawSign(t, c.nonceStr, ts, url);
  switch (name) {
    case "fragment": {
      const url = `${c.href}#/wwkit-lab`;
      return { name, titleZh: "签名时带了 #fragment", title: "URL signed with its #fragment", pageUrl: url, signedUrl: url,
        config: { timestamp: c.timestamp, nonceStr: c.nonceStr, signature: sign(c.ticket, c.timestamp, url) }, expect: ["URL_HAS_FRAGMENT"] };
    }
    case "ms":
      return { name, titleZh: "timestamp 用了毫秒", title: "timestamp in milliseconds", pageUrl: c.href, signedUrl: c.href,
        config: { timestamp: c.timestamp * 1000, nonceStr: c.nonceStr, signature: sign(c.ticket, c.timestamp, c.href) },
        expect: ["TIMESTAMP_MILLISECONDS", "TIMESTAMP_MISMATCH"] };
    case "agentticket":
      if (!c.agentTicket) return "lab: the agent_config ticket is unknown (WeCom emulator profile only)";
      return { name, titleZh: "wx.config 用了应用 ticket", title: "agent ticket used for wx.config", pageUrl: c.href, signedUrl: c.href,
        config: { timestamp: c.timestamp, nonceStr: c.nonceStr, signature: sign(c.agentTicket, c.timestamp, c.href) }, expect: ["TICKET_WRONG_KIND"] };
    case "spa": {
      const url = `${c.href}${sep}route=detail`;
      return { name, titleZh: "单页应用签了落地页 URL", title: "SPA: landing URL signed after navigation", pageUrl: url, push: true, signedUrl: c.href,
        config: { timestamp: c.timestamp, nonceStr: c.nonceStr, signature: sign(c.ticket, c.timestamp, c.href) }, expect: ["URL_SPA_LANDING"] };
    }
    case "amp": {
      const url = `${c.href}${sep}a=1&b=2`;
      const signed = url.replace(/&/g, "&amp;");
      return { name, titleZh: "URL 被模板转义成 &amp;", title: "URL HTML-escaped (&amp;)", pageUrl: url, signedUrl: signed,
        config: { timestamp: c.timestamp, nonceStr: c.nonceStr, signature: sign(c.ticket, c.timestamp, signed) }, expect: ["URL_HTML_ESCAPED"] };
    }
  }
}
