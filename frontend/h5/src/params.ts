// Page parameters that the desktop app's QR codes (QRService.H5) put on the
// page URL, next to ?profile=:
//   apis=name1,name2  extra JS-APIs to put in jsApiList (and checkJsApi)
//   vconsole=1|0      open (or keep closed) vConsole whatever was remembered

/** The base jsApiList of the page's panels. */
export const PANEL_APIS = ["chooseImage", "previewImage", "uploadImage", "getLocalImgData", "getLocation", "scanQRCode"];

/** The sidebar (会话侧边栏) APIs of the WeCom page; they need wx.agentConfig. */
export const SIDEBAR_APIS = ["getCurExternalContact", "getCurExternalChat"];

const apiName = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export interface PageParams {
  /** Extra JS-API names from ?apis=, in order, without duplicates. */
  apis: string[];
  /** Names in ?apis= that are not JS-API names at all (shown, not used). */
  rejected: string[];
  /** true/false when ?vconsole= says so; null to use the remembered choice. */
  vconsole: boolean | null;
}

/** parsePageParams reads the page parameters from a query string. */
export function parsePageParams(search: string): PageParams {
  const q = new URLSearchParams(search);
  const apis: string[] = [];
  const rejected: string[] = [];
  for (const raw of (q.get("apis") ?? "").split(",")) {
    const name = raw.trim();
    if (!name) continue;
    if (!apiName.test(name)) rejected.push(name);
    else if (!apis.includes(name)) apis.push(name);
  }
  const v = q.get("vconsole");
  const vconsole = v === "1" || v === "true" ? true : v === "0" || v === "false" ? false : null;
  return { apis, rejected, vconsole };
}

/** jsApiListFor is the page's jsApiList for a platform plus the extra APIs. */
export function jsApiListFor(platform: "wecom" | "mp", extra: string[]): string[] {
  const list = [...PANEL_APIS];
  if (platform === "wecom") list.push("openEnterpriseChat", ...SIDEBAR_APIS);
  for (const a of extra) if (!list.includes(a)) list.push(a);
  return list;
}
