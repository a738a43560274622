// Client detection from the user agent (UA): which Tencent client runs the
// page, its version and OS. The bridge simulator must never run inside a
// real client, so this is the one place that decides.

export type ClientKind = "wecom" | "wechat" | "browser";

export interface ClientInfo {
  kind: ClientKind;
  /** wxwork/x.y.z or MicroMessenger/x.y.z version, "" in a browser. */
  version: string;
  os: "ios" | "android" | "windows" | "mac" | "other";
  /** WeChat DevTools (微信开发者工具). */
  devtools: boolean;
}

export function detectClient(ua: string): ClientInfo {
  const wecom = /wxwork\/([\d.]+)/i.exec(ua);
  const wechat = /MicroMessenger\/([\d.]+)/i.exec(ua);
  let os: ClientInfo["os"] = "other";
  if (/iPhone|iPad|iPod/i.test(ua)) os = "ios";
  else if (/Android/i.test(ua)) os = "android";
  else if (/Windows/i.test(ua)) os = "windows";
  else if (/Macintosh|Mac OS X/i.test(ua)) os = "mac";
  const devtools = /wechatdevtools/i.test(ua);
  if (wecom) return { kind: "wecom", version: wecom[1], os, devtools };
  if (wechat) return { kind: "wechat", version: wechat[1], os, devtools };
  return { kind: "browser", version: "", os, devtools };
}

/** inRealClient is true inside WeCom or WeChat (including their devtools). */
export function inRealClient(ua: string): boolean {
  return /wxwork\/|MicroMessenger/i.test(ua) || /wechatdevtools/i.test(ua);
}

/** The user agent the bridge simulator plays (a WeCom 4.1 client on a
 * desktop); the verifier checks the config as if it ran there. */
export const SIMULATED_UA_SUFFIX = " wxwork/4.1.0 MicroMessenger/7.0.1 Language/zh wwkit-simulated";
