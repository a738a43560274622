package jssdk

// Severity is how bad a finding is.
type Severity string

// Severities, from worst to mildest.
const (
	// SeverityError: the client rejects the config (or it cannot run at all).
	SeverityError Severity = "error"
	// SeverityWarning: a likely, but not certain, cause of a failure.
	SeverityWarning Severity = "warning"
	// SeverityInfo: context (what was detected, what was verified).
	SeverityInfo Severity = "info"
)

func (s Severity) rank() int {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarning:
		return 1
	}
	return 2
}

// Code describes one diagnostic code. Codes are stable public API: the CLI,
// the WASM module and the desktop app show them, and docs/diagnostics.md
// documents every one.
type Code struct {
	Code      string   `json:"code"`
	Severity  Severity `json:"severity"`
	Meaning   string   `json:"meaning"`
	MeaningZh string   `json:"meaningZh"`
	Fix       string   `json:"fix"`
	Group     string   `json:"group"` // format, environment, url, signature
}

// Diagnostic codes.
const (
	CodeAppIDFormat           = "APPID_FORMAT"
	CodeAppIDMismatch         = "APPID_MISMATCH"
	CodeAgentIDFormat         = "AGENTID_FORMAT"
	CodeInputUnknownValue     = "INPUT_UNKNOWN_VALUE"
	CodeTimestampNotInteger   = "TIMESTAMP_NOT_INTEGER"
	CodeTimestampMilliseconds = "TIMESTAMP_MILLISECONDS"
	CodeTimestampSkew         = "TIMESTAMP_SKEW"
	CodeNonceInvalid          = "NONCE_INVALID"
	CodeSignatureFormat       = "SIGNATURE_FORMAT"
	CodeJSAPIUnknown          = "JSAPI_UNKNOWN"
	CodeJSAPIWrongPlatform    = "JSAPI_WRONG_PLATFORM"
	CodeJSAPINeedsAgentConfig = "JSAPI_NEEDS_AGENTCONFIG"
	CodeJSAPIListEmpty        = "JSAPI_LIST_EMPTY"
	CodeJSAPIClientTooOld     = "JSAPI_CLIENT_TOO_OLD"
	CodeConfigBetaMissing     = "CONFIG_BETA_MISSING"
	CodeEnvClient             = "ENV_CLIENT"
	CodeEnvNotWeCom           = "ENV_NOT_WECOM"
	CodeEnvNotWeChat          = "ENV_NOT_WECHAT"
	CodeEnvClientTooOld       = "ENV_CLIENT_TOO_OLD"
	CodeEnvAgentConfigOrder   = "ENV_AGENTCONFIG_AFTER_CONFIG"
	CodeEnvInsecureOrigin     = "ENV_INSECURE_ORIGIN"
	CodeEnvPortNotAllowed     = "ENV_PORT_NOT_ALLOWED"
	CodeEnvSPAURLChanged      = "ENV_SPA_URL_CHANGED"
	CodeURLInvalid            = "URL_INVALID"
	CodeURLHasFragment        = "URL_HAS_FRAGMENT"
	CodeURLHTMLEscaped        = "URL_HTML_ESCAPED"
	CodeURLSchemeMismatch     = "URL_SCHEME_MISMATCH"
	CodeURLPortExplicit       = "URL_PORT_EXPLICIT"
	CodeURLTrailingSlash      = "URL_TRAILING_SLASH"
	CodeURLPercentMismatch    = "URL_PERCENT_MISMATCH"
	CodeURLSPALanding         = "URL_SPA_LANDING"
	CodeURLEscapedInSign      = "URL_ESCAPED_IN_SIGN"
	CodeURLTruncated          = "URL_TRUNCATED"
	CodeURLMismatch           = "URL_MISMATCH"
	CodeSignatureOK           = "SIGNATURE_OK"
	CodeSignatureUnverified   = "SIGNATURE_UNVERIFIED"
	CodeSignatureMismatch     = "SIGNATURE_MISMATCH"
	CodeTimestampMismatch     = "TIMESTAMP_MISMATCH"
	CodeNonceCaseMismatch     = "NONCE_CASE_MISMATCH"
	CodeTicketWrongKind       = "TICKET_WRONG_KIND"
	CodeTicketStale           = "TICKET_STALE"
	CodeSignStringKeys        = "SIGN_STRING_KEYS"
)

const signatureChecklist = "check in order: (1) string to sign is jsapi_ticket=…&noncestr=…&timestamp=…&url=… with lowercase keys in this order, raw values, lowercase hex SHA-1; (2) nonceStr and timestamp passed to wx.config are the ones signed, timestamp in seconds; (3) url is the page's location.href without #…, not encoded, not your API's URL; (4) appId/corpid is the corp or account whose token produced the ticket; (5) tickets and tokens are cached, not fetched per request; (6) the url is taken from the page each time (shares and OAuth append parameters); (7) agentConfig uses the agent_config ticket, config the corp ticket; (8) SPA in WeChat on iOS: sign the landing URL"

var codeTable = []Code{
	// format
	{CodeAppIDFormat, SeverityError, "appId (corpid) is missing or malformed: empty, with spaces or quotes, or not an 18-character ID starting with ww/wx.", "appId（corpid）缺失或格式错误：为空、含空格或引号，或不是以 ww/wx 开头的 18 位 ID。", "Pass the CorpID (企业ID, from 我的企业) or the Official Account AppID exactly, without spaces or quotes.", "format"},
	{CodeAppIDMismatch, SeverityError, "appId belongs to the other platform: a WeCom CorpID (ww…) used for an Official Account page.", "appId 属于另一个平台：在公众号网页中使用了企业微信 CorpID（ww 开头）。", "Use the Official Account AppID (wx…) in wx.config on WeChat pages, and the CorpID on WeCom pages; the ticket must come from the same account.", "format"},
	{CodeAgentIDFormat, SeverityError, "wx.agentConfig needs the application's AgentID, a decimal number; it is missing or malformed.", "wx.agentConfig 需要应用的 AgentID（十进制数字），当前缺失或格式错误。", "Pass the AgentID shown on the application page in the admin console (应用管理).", "format"},
	{CodeInputUnknownValue, SeverityWarning, "kind or platform has a value the checker does not know; it falls back to defaults.", "kind 或 platform 取值未知，检查器将使用默认值。", `Use kind "config" or "agentConfig" and platform "wecom" or "mp".`, "format"},
	{CodeTimestampNotInteger, SeverityError, "timestamp is missing or not a decimal integer (e.g. a float, exponent form or text); the client signs String(timestamp), which will not match.", "timestamp 缺失或不是十进制整数（如小数、科学计数法或文本），客户端按 String(timestamp) 校验，签名不会一致。", "Generate the timestamp as integer Unix seconds (time.Now().Unix()) and pass the same digits that were signed.", "format"},
	{CodeTimestampMilliseconds, SeverityError, "timestamp is in milliseconds; the JS-SDK expects Unix seconds.", "timestamp 是毫秒值，JS-SDK 要求以秒为单位的 Unix 时间戳。", "Use seconds (time.Now().Unix(), Math.floor(Date.now()/1000)) both when signing and in wx.config.", "format"},
	{CodeTimestampSkew, SeverityWarning, "timestamp is far from the current time: the signature was cached, reused, or the server clock is wrong.", "timestamp 与当前时间相差过大：签名可能被缓存复用，或服务器时钟不准。", "Sign on each page load with the current time and keep the server clock synchronised (NTP); cache the ticket, not the signature.", "format"},
	{CodeNonceInvalid, SeverityError, "nonceStr is empty or contains spaces, control or non-ASCII characters (often mangled in transport).", "nonceStr 为空或包含空格、控制字符或非 ASCII 字符（常因传输被改动）。", "Use 16+ random ASCII letters and digits and pass exactly the value that was signed.", "format"},
	{CodeSignatureFormat, SeverityError, "signature is not 40 lowercase hex characters (missing, truncated, uppercase, or not SHA-1 hex).", "signature 不是 40 位小写十六进制字符（缺失、被截断、大写或不是 SHA-1 十六进制）。", "Pass the lowercase hex SHA-1 of the string to sign (hex.EncodeToString(sha1.Sum(…))).", "format"},
	{CodeJSAPIUnknown, SeverityWarning, "a jsApiList name is not a known JS-API (typo or wrong case); the client ignores it and calls to it fail.", "jsApiList 中的名称不是已知的 JS 接口（拼写或大小写错误），客户端会忽略，调用将失败。", "Use the exact API name from the catalogue (wwkit jssdk check lists a suggestion when only the case differs).", "format"},
	{CodeJSAPIWrongPlatform, SeverityWarning, "a jsApiList name exists only on the other platform (a WeCom-only API on a WeChat page or the reverse).", "jsApiList 中的接口只在另一平台可用（在微信中使用企业微信专有接口，或相反）。", "Gate the call by platform, or use the API name of this platform (e.g. launchMiniprogram in WeCom, launchMiniProgram in WeChat).", "format"},
	{CodeJSAPINeedsAgentConfig, SeverityWarning, "APIs that run under the application identity are listed in wx.config; they must be declared in wx.agentConfig's jsApiList.", "需要应用身份的接口写在了 wx.config 中，应在 wx.agentConfig 的 jsApiList 中声明。", "Call wx.agentConfig (or ww.register with agentId and getAgentConfigSignature) signed with the agent_config ticket, and list these APIs there.", "format"},
	{CodeJSAPIListEmpty, SeverityWarning, "jsApiList is empty: every API call will fail with permission denied / offline verifying.", "jsApiList 为空：所有接口调用都会因 permission denied / offline verifying 失败。", "List every JS-API the page calls.", "format"},
	{CodeJSAPIClientTooOld, SeverityWarning, "the WeCom client is older than the minimum version of some listed APIs; calls to them fail with function not exist.", "企业微信客户端版本低于部分接口的最低版本要求，调用会返回 function not exist。", "Ask users to upgrade WeCom, or check support with checkJsApi and degrade.", "environment"},
	{CodeConfigBetaMissing, SeverityWarning, "WeCom APIs called through wx.invoke are listed but wx.config has no beta: true.", "列出了需通过 wx.invoke 调用的企业微信接口，但 wx.config 未设置 beta: true。", "Add beta: true to wx.config in WeCom pages (or use @wecom/jssdk).", "format"},
	// environment
	{CodeEnvClient, SeverityInfo, "the client detected from the user agent.", "根据 User-Agent 识别出的客户端。", "Nothing to fix; this is context for the other findings.", "environment"},
	{CodeEnvNotWeCom, SeverityError, "the page is not running inside the WeCom client (no wxwork/ in the user agent): wx.agentConfig and WeCom APIs do not exist there and calls silently do nothing.", "页面不在企业微信客户端内运行（User-Agent 中没有 wxwork/）：wx.agentConfig 及企业微信接口不可用，调用无任何回调。", "Open the page from the WeCom app (workbench or a message), and show an 'open in WeCom' hint when the user agent lacks wxwork/.", "environment"},
	{CodeEnvNotWeChat, SeverityError, "the page is not running inside WeChat (no MicroMessenger in the user agent): the JS-SDK never configures and calls silently do nothing.", "页面不在微信客户端内运行（User-Agent 中没有 MicroMessenger）：JS-SDK 不会完成配置，调用无任何回调。", "Open the page in WeChat, and show an 'open in WeChat' hint when the user agent lacks MicroMessenger.", "environment"},
	{CodeEnvClientTooOld, SeverityError, "the client is too old for this call: wx.agentConfig needs WeCom 2.5.0 or later.", "客户端版本过低：wx.agentConfig 需要企业微信 2.5.0 及以上版本。", "Ask the user to upgrade the WeCom client.", "environment"},
	{CodeEnvAgentConfigOrder, SeverityInfo, "on WeCom before 3.0.24, wx.config must succeed before wx.agentConfig is called.", "企业微信 3.0.24 以下版本，必须先 wx.config 成功再调用 wx.agentConfig。", "Call wx.agentConfig inside wx.ready, or use @wecom/jssdk's ww.register which orders them itself.", "environment"},
	{CodeEnvInsecureOrigin, SeverityWarning, "the page is served over plain http; trusted-domain and payment settings are scheme-specific and many features expect https.", "页面通过 http 提供；可信域名与支付目录区分协议，许多功能要求 https。", "Serve the page over https and sign the https URL.", "environment"},
	{CodeEnvPortNotAllowed, SeverityError, "Official Account JS safe domains (JS接口安全域名) only cover ports 80 and 443; a page on another port gets invalid url domain.", "公众号 JS 接口安全域名只支持 80 和 443 端口，其他端口会报 invalid url domain。", "Serve the page on port 443 (or 80) behind a reverse proxy.", "environment"},
	{CodeEnvSPAURLChanged, SeverityWarning, "the URL changed since the page loaded (history.pushState); in WeChat on mobile the client verifies against the landing URL.", "页面加载后 URL 已改变（history.pushState）；移动端微信按首次进入的 URL 校验签名。", "In WeChat on iOS sign the landing URL (record location.href at script load), or use full page loads / hash routing; in WeCom sign the current URL again after each route change.", "environment"},
	// url
	{CodeURLInvalid, SeverityError, "url is missing or not an absolute http(s) URL of the page.", "url 缺失或不是页面的完整 http(s) 地址。", "Sign the full location.href of the page (scheme, host, port, path, query) without #….", "url"},
	{CodeURLHasFragment, SeverityError, "the signed URL kept the #fragment; clients sign location.href.split('#')[0].", "签名 URL 保留了 # 及其后内容；客户端使用 location.href.split('#')[0]。", "Cut # and everything after it before signing (jssdk.Sign does this).", "url"},
	{CodeURLHTMLEscaped, SeverityError, "the signed URL has &amp; where the page URL has &: it was HTML-escaped by a template.", "签名 URL 中的 & 被 HTML 转义成了 &amp;（模板转义）。", "Pass the URL to the signer raw (JSON, not an HTML template), or unescape &amp; before signing.", "url"},
	{CodeURLSchemeMismatch, SeverityError, "the signed URL uses http where the page uses https (or the reverse), typically a TLS-terminating proxy.", "签名 URL 的协议（http/https）与页面不一致，常见于 TLS 终止的反向代理。", "Sign the URL the page sends (location.href) instead of rebuilding it from the request; or honour X-Forwarded-Proto.", "url"},
	{CodeURLPortExplicit, SeverityError, "the signed URL contains an explicit default port (:443 or :80) that location.href does not have.", "签名 URL 带有默认端口（:443 或 :80），而 location.href 中没有。", "Sign location.href as the page reports it; do not rebuild the URL from Host and port.", "url"},
	{CodeURLTrailingSlash, SeverityError, "the signed URL differs from the page URL by a trailing slash on the path.", "签名 URL 与页面 URL 仅差路径末尾的斜杠。", "Sign location.href exactly; do not normalise paths (router or framework redirects may add or remove the slash).", "url"},
	{CodeURLPercentMismatch, SeverityError, "the signed URL's percent-encoding differs from the page URL's (decoded, re-encoded, + vs %20, or hex case).", "签名 URL 的百分号编码与页面不一致（被解码、重复编码、+ 与 %20 或大小写不同）。", "Decode the transport encoding exactly once (encodeURIComponent on the page ↔ one decode on the server) and sign the result unchanged.", "url"},
	{CodeURLSPALanding, SeverityError, "landing URL vs current URL mix-up in a single-page app: the signature is for one, the client verifies the other.", "单页应用中首次进入的 URL 与当前 URL 混用：签名用了一个，客户端校验另一个。", "In WeChat on iOS sign the landing URL; in WeCom and elsewhere sign the current URL after every route change.", "url"},
	{CodeURLEscapedInSign, SeverityError, "the URL was percent-escaped inside the string to sign (encodeURIComponent output signed without decoding).", "签名串中的 url 被整体百分号编码（encodeURIComponent 的结果未解码就参与签名）。", "Decode the URL parameter once on the server before signing; the string to sign holds the raw URL.", "url"},
	{CodeURLTruncated, SeverityError, "the signed URL is the page URL cut at a & or before the query: the page sent location.href to the signing endpoint without encodeURIComponent, so the rest became separate parameters.", "签名 URL 是页面 URL 在 & 处或查询串前被截断的结果：页面把 location.href 传给签名接口时未做 encodeURIComponent，其余部分变成了独立参数。", "Send encodeURIComponent(location.href.split('#')[0]) (or POST it as JSON) and decode it once on the server.", "url"},
	{CodeURLMismatch, SeverityError, "the signed URL differs from the page URL in a way that matches no known mistake (often a reverse proxy rewriting the host or path, or the API URL signed instead of the page URL).", "签名 URL 与页面 URL 不同，且不属于已知错误（常见于反向代理改写了域名或路径，或签了接口地址而不是页面地址）。", "Have the page send location.href.split('#')[0] to the signing endpoint and sign exactly that.", "url"},
	// signature
	{CodeSignatureOK, SeverityInfo, "the signature matches the string to sign built from the given ticket.", "签名与根据所给 ticket 计算的结果一致。", "Nothing to fix.", "signature"},
	{CodeSignatureUnverified, SeverityInfo, "no ticket was given, so the signature itself was not verified.", "未提供 ticket，签名本身未校验。", "Give the ticket (or agentTicket) used by the server to verify the signature and run the forensics.", "signature"},
	{CodeSignatureMismatch, SeverityError, "the signature does not match, and no common mistake reproduces it.", "签名不一致，且无法用常见错误复现。", signatureChecklist, "signature"},
	{CodeTimestampMismatch, SeverityError, "the timestamp signed is not the one passed to the page (another unit, e.g. milliseconds signed and seconds passed, or a regenerated value).", "签名时的 timestamp 与传给页面的不一致（单位不同，如签名用毫秒、页面用秒，或重新生成了时间）。", "Generate the timestamp once, in seconds, and use the same value for signing and for wx.config.", "signature"},
	{CodeNonceCaseMismatch, SeverityError, "the nonceStr signed differs from the one passed to the page only in letter case (the server lower- or upper-cased it on one side).", "签名时的 nonceStr 与传给页面的仅大小写不同（服务端在一侧做了大小写转换）。", "Use the nonceStr exactly as generated, with the same case, for signing and for wx.config.", "signature"},
	{CodeTicketWrongKind, SeverityError, "the wrong kind of ticket was used: the agent_config ticket for wx.config or the corp ticket for wx.agentConfig.", "ticket 类型用错：wx.config 用了应用 ticket，或 wx.agentConfig 用了企业 ticket。", "Sign wx.config with the corp ticket (get_jsapi_ticket) and wx.agentConfig with the app ticket (ticket/get?type=agent_config); cache them separately.", "signature"},
	{CodeTicketStale, SeverityError, "the signature was made with the previous ticket, which is no longer valid.", "签名使用了旧的 ticket，已失效。", "Cache the ticket with its expires_in, refresh it before expiry, and drop it together with the access_token on 40001/40014/42001.", "signature"},
	{CodeSignStringKeys, SeverityError, "the string to sign has misspelled or misordered keys (e.g. nonceStr= instead of noncestr=).", "签名串的键名拼写或顺序错误（如写成 nonceStr= 而不是 noncestr=）。", "Build exactly jsapi_ticket=…&noncestr=…&timestamp=…&url=… (lowercase keys, this order) — or call jssdk.Sign.", "signature"},
}

var codeIdx = func() map[string]int {
	m := make(map[string]int, len(codeTable))
	for i, c := range codeTable {
		m[c.Code] = i
	}
	return m
}()

// Codes returns every diagnostic code with its severity, meaning and fix.
func Codes() []Code { return append([]Code(nil), codeTable...) }

// LookupCode returns the description of a diagnostic code.
func LookupCode(code string) (Code, bool) {
	i, ok := codeIdx[code]
	if !ok {
		return Code{}, false
	}
	return codeTable[i], true
}
