// The dev server endpoints the page uses (served by `wwkit serve`).

export interface SignAnswer {
  ok?: boolean;
  appId?: string;
  corpId?: string;
  agentId?: number | string;
  timestamp: number;
  nonceStr: string;
  signature: string;
  url?: string;
  stringToSign?: string;
  ticketFingerprint?: string;
  error?: string;
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

async function json<T>(r: Response, what: string): Promise<T> {
  let j: unknown;
  try {
    j = await r.json();
  } catch {
    throw new Error(`${what}: HTTP ${r.status}, not JSON (is this page served by wwkit serve?)`);
  }
  if (!r.ok) {
    const msg = (j as { error?: string })?.error;
    throw new Error(`${what}: ${msg ?? `HTTP ${r.status}`}`);
  }
  return j as T;
}

/** pageURL is what gets signed: location.href without the #fragment. */
export function pageURL(href: string): string {
  return href.split("#")[0];
}

/** profileQuery names the profile and, for a third-party app (suite), the
 * authorised corp the page is opened "in" (?profile=SUITE&corp=CORPID). */
export function profileQuery(profile: string | null, corp: string | null = null): string {
  return (profile ? `&profile=${encodeURIComponent(profile)}` : "") + (corp ? `&corp=${encodeURIComponent(corp)}` : "");
}

export async function getConfig(f: Fetch, url: string, profile: string | null = null, corp: string | null = null): Promise<SignAnswer> {
  return json<SignAnswer>(await f(`/api/jssdk/config?url=${encodeURIComponent(url)}${profileQuery(profile, corp)}`), "GET /api/jssdk/config");
}

export async function getAgentConfig(f: Fetch, url: string, profile: string | null = null, corp: string | null = null): Promise<SignAnswer> {
  return json<SignAnswer>(await f(`/api/jssdk/agent-config?url=${encodeURIComponent(url)}${profileQuery(profile, corp)}`), "GET /api/jssdk/agent-config");
}

export async function fetchMedia(f: Fetch, serverId: string, profile: string | null = null): Promise<{ url: string; sha256?: string; size?: number; contentType?: string }> {
  const q = profile ? `?profile=${encodeURIComponent(profile)}` : "";
  return json(await f(`/api/media/fetch${q}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ serverId }) }), "POST /api/media/fetch");
}

export interface Customer {
  customer: { externalUserId: string; name: string; type: number; gender: number; corpName?: string; position?: string };
  followUser: { userId: string; remark: string; description: string; createTime: number; addWay: number; tags: string[] };
}

/** fetchCustomer asks the server who the customer of getCurExternalContact
 * is (externalcontact/get, as the signed-in member sees them). */
export async function fetchCustomer(f: Fetch, externalUserId: string, profile: string | null = null): Promise<Customer> {
  const q = profile ? `?profile=${encodeURIComponent(profile)}` : "";
  return json(await f(`/api/customer${q}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ externalUserId }) }), "POST /api/customer");
}

export interface CustomerGroup {
  group: { chatId: string; name: string; owner: string; notice?: string; members: { name: string; type: number }[] };
}

/** fetchCustomerGroup asks the server for the group of getCurExternalChat. */
export async function fetchCustomerGroup(f: Fetch, chatId: string, profile: string | null = null): Promise<CustomerGroup> {
  const q = profile ? `?profile=${encodeURIComponent(profile)}` : "";
  return json(await f(`/api/customer/group${q}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ chatId }) }), "POST /api/customer/group");
}

/** whoAmI asks for the OAuth session: /api/oauth/me, falling back to
 * /api/session (the name the dev server uses today). null when signed out. */
export async function whoAmI(f: Fetch): Promise<{ userId?: string; openId?: string; profile?: string; scope?: string; userTicket?: boolean } | null> {
  for (const path of ["/api/oauth/me", "/api/session"]) {
    const r = await f(path, { credentials: "same-origin" });
    if (r.status === 401) return null;
    if (r.status === 404) continue;
    const j = (await r.json().catch(() => null)) as Record<string, string> | null;
    if (!r.ok || !j) return null;
    const me: { userId?: string; openId?: string; profile?: string; scope?: string; userTicket?: boolean } = { userId: j.userId ?? j.userid, openId: j.openId ?? j.openid, profile: j.profile };
    if (j.scope) me.scope = j.scope;
    if ((j as Record<string, unknown>).userTicket === true) me.userTicket = true;
    return me;
  }
  return null;
}
