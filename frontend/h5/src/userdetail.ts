// The member's private fields (获取访问用户敏感信息): the page signs in with
// snsapi_privateinfo, the dev server keeps the user_ticket and answers
// POST /api/oauth/userdetail. The ticket never reaches the page.

import type { Fetch } from "./api";

export interface UserDetail {
  userid: string;
  gender?: string;
  avatar?: string;
  qrCode?: string;
  mobile?: string;
  email?: string;
  bizMail?: string;
  address?: string;
}

export type DetailAnswer =
  | { ok: true; detail: UserDetail }
  | { ok: false; status: number; error: string; errcode?: number };

/** The session as /api/session describes it (see whoAmI). */
export interface Session {
  userId?: string;
  openId?: string;
  scope?: string;
  userTicket?: boolean;
}

/** fetchUserDetail asks the dev server for the signed-in member's private
 * fields; a refusal is an answer (with its HTTP status), not an exception,
 * so the page can say which case it is. */
export async function fetchUserDetail(f: Fetch, profile: string | null = null): Promise<DetailAnswer> {
  const q = profile ? `?profile=${encodeURIComponent(profile)}` : "";
  const r = await f(`/api/oauth/userdetail${q}`, { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: "{}" });
  const j = (await r.json().catch(() => null)) as (Record<string, unknown> & { error?: string; errcode?: number }) | null;
  if (r.ok && j && j.ok) {
    const s = (k: string) => (typeof j[k] === "string" ? (j[k] as string) : undefined);
    return { ok: true, detail: { userid: s("userid") ?? "", gender: s("gender"), avatar: s("avatar"), qrCode: s("qrCode"), mobile: s("mobile"), email: s("email"), bizMail: s("bizMail"), address: s("address") } };
  }
  return { ok: false, status: r.status, error: j?.error ?? `HTTP ${r.status}, not JSON (is this page served by wwkit serve?)`, errcode: typeof j?.errcode === "number" ? j.errcode : undefined };
}

/** detailProblem explains a refused answer in both languages, from what
 * the session says about how the member signed in. */
export function detailProblem(a: Extract<DetailAnswer, { ok: false }>, me: Session | null): [zh: string, en: string] {
  if (a.status === 401) {
    if (!me || (!me.userId && !me.openId)) {
      return ["尚未登录：请点“敏感信息授权”（snsapi_privateinfo），同意后再读取成员详情。",
        "Signed out: tap “private info” (snsapi_privateinfo sign-in) and consent, then read the member's detail."];
    }
    if (me.scope !== "snsapi_privateinfo" || !me.userTicket) {
      const scope = me.scope || "snsapi_base";
      return [`当前授权范围是 ${scope}，企业微信不会给 user_ticket，读不到手机、邮箱、头像。请点“敏感信息授权”重新授权（snsapi_privateinfo；成员须在应用可见范围内并同意）。`,
        `This sign-in has scope ${scope}: WeCom gives no user_ticket for it, so mobile, email and avatar cannot be read. Tap “private info” to sign in again with snsapi_privateinfo (the member must be in the app's visible range and consent).`];
    }
    return ["user_ticket 已失效：它只有 30 分钟有效期，且 wwkit serve 只在内存中保存（服务重启后丢失）。请点“敏感信息授权”重新授权。",
      "The user_ticket has expired: it lives 30 minutes and wwkit serve keeps it in memory only (lost when the server restarts). Tap “private info” to sign in again."];
  }
  if (a.status === 400) {
    return ["成员敏感信息（auth/getuserdetail）是企业微信接口；公众号页面请用 snsapi_userinfo 获取昵称和头像。", a.error];
  }
  if (a.errcode !== undefined) {
    return [`企业微信拒绝了 auth/getuserdetail（errcode ${a.errcode}）：${a.error}`, `WeCom refused auth/getuserdetail (errcode ${a.errcode}): ${a.error}`];
  }
  return [`读取成员详情失败：${a.error}`, `Reading the member's detail failed: ${a.error}`];
}

/** detailRows are the fields to show, as WeCom returned them (an empty
 * field stays visible as “—”: WeCom leaves out what the member did not fill
 * in or the admin did not allow). */
export function detailRows(d: UserDetail): [zh: string, en: string, value: string][] {
  const gender = d.gender === "1" ? "1 (男 / male)" : d.gender === "2" ? "2 (女 / female)" : d.gender ? `${d.gender} (未定义 / undefined)` : "";
  const rows: [string, string, string][] = [
    ["成员", "userid", d.userid],
    ["手机", "mobile", d.mobile ?? ""],
    ["邮箱", "email", d.email ?? ""],
    ["企业邮箱", "biz mail", d.bizMail ?? ""],
    ["性别", "gender", gender],
    ["地址", "address", d.address ?? ""],
    ["头像", "avatar", d.avatar ?? ""],
    ["二维码", "QR code", d.qrCode ?? ""],
  ];
  return rows.map(([zh, en, v]) => [zh, en, v || "—"]);
}

/** safeImageURL is url when it is http(s), else "" (an avatar URL comes
 * from the API and goes into an <img src>). */
export function safeImageURL(url: string | undefined): string {
  if (!url) return "";
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : "";
  } catch {
    return "";
  }
}
