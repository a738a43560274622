// Type declarations for the wwkit loader (wwkit.mjs / wwkit.js).

/** A diagnostic of core/jssdk; codes are documented in docs/diagnostics.md. */
export interface Finding {
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  messageZh: string;
  fix: string;
}

/** The parameters a page used for wx.config / wx.agentConfig (same JSON as `wwkit jssdk check`). */
export interface VerifyInput {
  platform?: "wecom" | "mp";
  appId: string;
  agentId?: string | number;
  kind?: "config" | "agentConfig";
  timestamp: number | string;
  nonceStr: string;
  signature: string;
  jsApiList?: string[];
  beta?: boolean;
  url: string;
  landingUrl?: string;
  signedUrl?: string;
  userAgent?: string;
  ticket?: string;
  agentTicket?: string;
  previousTicket?: string;
  now?: number;
}

export interface WWKitError {
  ok: false;
  error: { kind: "input" | "argument" | "internal" | "not_ready"; message: string };
}

export interface VerifyResult {
  ok: boolean;
  findings: Finding[];
  stringToSign?: string;
  /** With `signedBy`: whether the signing endpoint checked the signature (`error` says why not). */
  server?: { ok: boolean; error?: string };
}

/** What a signing endpoint answers (wwkit serve's /api/jssdk/config): `url` is the URL it signed. */
export interface SignedConfig {
  appId?: string;
  corpId?: string;
  agentId?: string | number;
  timestamp: number | string;
  nonceStr: string;
  signature: string;
  url?: string;
  [key: string]: unknown;
}

/** Options of the page form `verifyConfig(cfg, opts)`. */
export interface PageOptions {
  /**
   * The signing endpoint (e.g. "/api/jssdk/config"): the loader POSTs the
   * page's parameters and location.href to it and it recomputes the
   * signature with the ticket it keeps (never sent to the page).
   */
  signedBy?: string;
  jsApiList?: string[];
  kind?: "config" | "agentConfig";
  /** Default: location.href. */
  url?: string;
  /** Default: the URL the document was loaded at. */
  landingUrl?: string;
}

export interface SignResult {
  ok: true;
  signature: string;
  stringToSign: string;
}

export interface JSAPI {
  name: string;
  platform: "wecom" | "mp" | "both";
  needsAgentConfig?: boolean;
  thirdPartyAgentConfig?: boolean;
  needsBeta?: boolean;
  bridgeName?: string;
  minWeCom?: string;
  purpose?: string;
  unconfirmed?: boolean;
}

export interface LoadOptions {
  /** Folder holding wwkit.wasm and wasm_exec.js (default: the loader's folder). */
  base?: string;
  wasmUrl?: string;
  execUrl?: string;
}

export interface WWKit {
  ready(opts?: LoadOptions): Promise<WWKit>;
  verifyConfig(input: VerifyInput | string): VerifyResult | WWKitError;
  verifyConfig(cfg: SignedConfig, opts: PageOptions & { signedBy: string }): Promise<VerifyResult | WWKitError>;
  verifyConfig(cfg: SignedConfig, opts: PageOptions): VerifyResult | WWKitError;
  sign(input: { ticket: string; nonceStr: string; timestamp: number | string; url: string }): SignResult | WWKitError;
  knownJsApis(platform?: "wecom" | "mp"): { ok: true; apis: JSAPI[] } | WWKitError;
  readonly version: string | undefined;
}

declare const wwkit: WWKit;
export default wwkit;
export declare const ready: WWKit["ready"];
export declare const verifyConfig: WWKit["verifyConfig"];
export declare const sign: WWKit["sign"];
export declare const knownJsApis: WWKit["knownJsApis"];

declare global {
  // the classic script build publishes the same object
  var wwkit: WWKit;
}
