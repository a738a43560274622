//go:build !js

// The WASM verifier leaves these out (its pages take the Chinese fixes from
// the frontend's generated table), so they cost its download nothing.

package jssdk

// fixZh is the fix of every code in Chinese (修复建议), kept beside the
// English table so a new code without one fails TestCodesHaveChinese.
var fixZh = map[string]string{
	CodeAppIDFormat:           "原样填写企业ID（在「我的企业」中查看）或公众号 AppID，不要带空格或引号。",
	CodeAppIDMismatch:         "微信网页的 wx.config 用公众号 AppID（wx 开头），企业微信网页用企业ID；ticket 必须来自同一个账号。",
	CodeAgentIDFormat:         "填写管理后台「应用管理」中该应用的 AgentID。",
	CodeInputUnknownValue:     "kind 请用 config 或 agentConfig，platform 请用 wecom 或 mp。",
	CodeTimestampNotInteger:   "用整数 Unix 秒生成 timestamp（如 time.Now().Unix()），并把签名时的同一串数字传给页面。",
	CodeTimestampMilliseconds: "签名和 wx.config 中都使用秒（time.Now().Unix()、Math.floor(Date.now()/1000)）。",
	CodeTimestampSkew:         "每次打开页面时用当前时间重新签名，并保持服务器时钟同步（NTP）；缓存 ticket，不要缓存签名。",
	CodeNonceInvalid:          "使用 16 位以上的随机 ASCII 字母和数字，并原样传入签名时所用的值。",
	CodeSignatureFormat:       "传入待签名字符串的 SHA-1 小写十六进制（hex.EncodeToString(sha1.Sum(…))）。",
	CodeJSAPIUnknown:          "使用接口目录中的准确名称（仅大小写不同时，wwkit jssdk check 会给出建议）。",
	CodeJSAPIWrongPlatform:    "按平台区分调用，或使用本平台的接口名（如企业微信中是 launchMiniprogram，微信中是 launchMiniProgram）。",
	CodeJSAPINeedsAgentConfig: "用应用 ticket（agent_config）签名调用 wx.agentConfig（或 ww.register 传入 agentId 与 getAgentConfigSignature），并在其中列出这些接口。",
	CodeJSAPIListEmpty:        "列出页面要调用的每一个 JS 接口。",
	CodeJSAPIClientTooOld:     "请用户升级企业微信，或先用 checkJsApi 检查支持情况并降级处理。",
	CodeConfigBetaMissing:     "在企业微信网页的 wx.config 中加上 beta: true（或改用 @wecom/jssdk）。",
	CodeEnvClient:             "无需修复；这是理解其他诊断结果的背景信息。",
	CodeEnvNotWeCom:           "从企业微信应用（工作台或消息）中打开页面；User-Agent 中没有 wxwork/ 时提示用户「请在企业微信中打开」。",
	CodeEnvNotWeChat:          "在微信中打开页面；User-Agent 中没有 MicroMessenger 时提示用户「请在微信中打开」。",
	CodeEnvClientTooOld:       "请用户升级企业微信客户端。",
	CodeEnvAgentConfigOrder:   "在 wx.ready 中调用 wx.agentConfig，或使用 @wecom/jssdk 的 ww.register（它会自动处理顺序）。",
	CodeEnvInsecureOrigin:     "通过 https 提供页面，并对 https 地址签名。",
	CodeEnvPortNotAllowed:     "通过反向代理在 443（或 80）端口提供页面。",
	CodeEnvSPAURLChanged:      "iOS 微信中对首次进入的 URL 签名（脚本加载时记录 location.href），或改用整页跳转或 hash 路由；企业微信中每次路由变化后对当前 URL 重新签名。",
	CodeURLInvalid:            "对页面完整的 location.href 签名（协议、域名、端口、路径、查询参数），不含 # 及其后内容。",
	CodeURLHasFragment:        "签名前去掉 # 及其后的全部内容（jssdk.Sign 会自动处理）。",
	CodeURLHTMLEscaped:        "把 URL 原样传给签名方（用 JSON 而不是 HTML 模板），或签名前把 &amp; 还原为 &。",
	CodeURLSchemeMismatch:     "对页面传来的 URL（location.href）签名，而不是根据请求重新拼接；或正确处理 X-Forwarded-Proto。",
	CodeURLPortExplicit:       "按页面上报的 location.href 原样签名，不要根据 Host 和端口重新拼接 URL。",
	CodeURLTrailingSlash:      "原样对 location.href 签名，不要规范化路径（路由或框架的重定向可能增减末尾斜杠）。",
	CodeURLPercentMismatch:    "传输编码只解码一次（页面 encodeURIComponent ↔ 服务端解码一次），然后原样签名。",
	CodeURLSPALanding:         "iOS 微信中对首次进入的 URL 签名；企业微信及其他环境中每次路由变化后对当前 URL 签名。",
	CodeURLEscapedInSign:      "签名前在服务端把 URL 参数解码一次；签名串中应是原始 URL。",
	CodeURLTruncated:          "发送 encodeURIComponent(location.href.split('#')[0])（或以 JSON POST），服务端解码一次。",
	CodeURLMismatch:           "让页面把 location.href.split('#')[0] 发给签名接口，并原样对其签名。",
	CodeSignatureOK:           "无需修复。",
	CodeSignatureUnverified:   "提供服务端所用的 ticket（或应用 ticket），以校验签名并进行取证分析。",
	CodeSignatureMismatch:     "依次检查：(1) 签名串为 jsapi_ticket=…&noncestr=…&timestamp=…&url=…，键名小写、顺序一致、值为原始值，SHA-1 为小写十六进制；(2) 传给 wx.config 的 nonceStr 和 timestamp 就是签名所用的值，timestamp 以秒为单位；(3) url 是页面的 location.href（不含 #），未编码，且不是接口地址；(4) appId/corpid 与获取 ticket 的 token 属于同一企业或账号；(5) ticket 与 token 已缓存，而不是每次请求都获取；(6) 每次都从页面取 url（分享和网页授权会追加参数）；(7) agentConfig 用应用 ticket，config 用企业 ticket；(8) iOS 微信中的单页应用：对首次进入的 URL 签名。",
	CodeTimestampMismatch:     "只生成一次以秒为单位的 timestamp，签名和 wx.config 使用同一个值。",
	CodeNonceCaseMismatch:     "签名和 wx.config 使用与生成时完全相同（含大小写）的 nonceStr。",
	CodeTicketWrongKind:       "wx.config 用企业 ticket（get_jsapi_ticket）签名，wx.agentConfig 用应用 ticket（ticket/get?type=agent_config）签名；两者分开缓存。",
	CodeTicketStale:           "按 expires_in 缓存 ticket，到期前刷新；遇到 40001/40014/42001 时与 access_token 一起丢弃。",
	CodeSignStringKeys:        "严格按 jsapi_ticket=…&noncestr=…&timestamp=…&url=… 拼接（键名小写、按此顺序），或直接调用 jssdk.Sign。",
}

// FixZh returns the fix of a diagnostic code in Chinese ("" for an unknown
// code); Code.Fix is the English one.
func FixZh(code string) string { return fixZh[code] }
