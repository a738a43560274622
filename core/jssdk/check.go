package jssdk

import (
	"slices"
	"strconv"
	"strings"
)

// Result is the outcome of Check. OK means no finding has error severity.
type Result struct {
	OK       bool      `json:"ok"`
	Findings []Finding `json:"findings"`
	// StringToSign is the string the client verifies against, when a ticket
	// of the right kind was given.
	StringToSign string `json:"stringToSign,omitempty"`
}

// Finding is one diagnostic (诊断结果). Code is stable public API, see Codes
// and docs/diagnostics.md.
type Finding struct {
	Code      string   `json:"code"`
	Severity  Severity `json:"severity"`
	Message   string   `json:"message"`
	MessageZh string   `json:"messageZh"`
	Fix       string   `json:"fix"`
}

// Errors reports whether the result has a finding of error severity.
func (r Result) Errors() int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == SeverityError {
			n++
		}
	}
	return n
}

// Has reports whether the result contains a finding with code.
func (r Result) Has(code string) bool {
	for _, f := range r.Findings {
		if f.Code == code {
			return true
		}
	}
	return false
}

// skewLimit is how far (in seconds) a timestamp may be from "now" before
// TIMESTAMP_SKEW. [unconfirmed] The clients are not documented to reject old
// timestamps; a large gap means a cached signature or a wrong server clock,
// so it is a warning only.
const skewLimit = 10 * 60

// Check diagnoses the parameters a page passed to wx.config or
// wx.agentConfig: format, client environment, and — when a ticket is given —
// the signature itself, naming the usual backend mistake that reproduces a
// wrong signature. It never panics. The clock for the skew check is
// in.Now, or time.Now. (In the GOOS=js build there is no clock: the caller
// passes in.Now, as the WASM verifier does from Date.now(), or the skew
// check is skipped.)
func Check(in Input) Result { return check(in, unixNow) }

// check runs the diagnostics with clock (Unix seconds) for the skew check
// when in.Now is 0; a nil clock skips it.
func check(in Input, clock func() int64) Result {
	now := in.Now
	if now == 0 && clock != nil {
		now = clock()
	}
	c := &checker{in: in, now: now, clocked: now != 0 || clock != nil}
	c.run()
	// slices, not sort.SliceStable: sort pulls reflection into the WASM
	// bundle.
	slices.SortStableFunc(c.findings, func(a, b Finding) int {
		return a.Severity.rank() - b.Severity.rank()
	})
	res := Result{Findings: c.findings, StringToSign: c.stringToSign}
	if res.Findings == nil {
		res.Findings = []Finding{}
	}
	res.OK = res.Errors() == 0
	return res
}

type checker struct {
	in           Input
	now          int64  // Unix seconds for the skew check
	clocked      bool   // now is known (false only in the js build without in.Now)
	kind         string // config or agentConfig
	platform     string // wecom, mp or "" (unknown)
	cl           clientInfo
	findings     []Finding
	stringToSign string
	sigVerified  bool
}

func (c *checker) add(code, msg, msgZh string) {
	def, _ := LookupCode(code)
	c.findings = append(c.findings, Finding{Code: code, Severity: def.Severity, Message: msg, MessageZh: msgZh, Fix: def.Fix})
}

func (c *checker) run() {
	in := c.in
	c.cl = parseUA(in.UserAgent)
	switch strings.ToLower(strings.TrimSpace(in.Kind)) {
	case "", "config", "wx.config":
		c.kind = "config"
	case "agentconfig", "wx.agentconfig", "agent_config":
		c.kind = "agentConfig"
	default:
		c.kind = "config"
		c.add(CodeInputUnknownValue, "kind "+strconv.Quote(in.Kind)+" is unknown; checking as wx.config", "kind 取值 "+strconv.Quote(in.Kind)+" 未知，按 wx.config 检查")
	}
	c.platform = c.resolvePlatform()

	if c.cl.known {
		c.add(CodeEnvClient, "client: "+c.cl.describe(), "客户端："+c.cl.describeZh())
	}
	c.checkAppID()
	c.checkTimestamp()
	c.checkNonce()
	c.checkSignatureFormat()
	c.checkJSAPIs()
	c.checkEnv()
	c.checkSignature()
}

func (c *checker) resolvePlatform() string {
	p := strings.ToLower(strings.TrimSpace(c.in.Platform))
	switch p {
	case "wecom", "wxwork", "work", "qywx":
		return PlatformWeCom
	case "mp", "wechat", "weixin", "oa":
		return PlatformMP
	case "":
	default:
		c.add(CodeInputUnknownValue, "platform "+strconv.Quote(c.in.Platform)+" is unknown; guessing it from kind, appId and userAgent", "platform 取值 "+strconv.Quote(c.in.Platform)+" 未知，将根据 kind、appId 和 userAgent 推断")
	}
	switch {
	case c.kind == "agentConfig":
		return PlatformWeCom
	case c.cl.wecom:
		return PlatformWeCom
	case strings.HasPrefix(c.in.AppID, "ww"):
		return PlatformWeCom
	case c.cl.wechat:
		return PlatformMP
	}
	return ""
}

// appIDWellFormed: CorpIDs and Official Account AppIDs are 18 characters, "ww"
// or "wx" followed by 16 lowercase hex digits. [unconfirmed] This is the
// observed convention, not a documented grammar; old corps have "wx" CorpIDs.
func appIDWellFormed(s string) bool {
	if len(s) != 18 || !(strings.HasPrefix(s, "ww") || strings.HasPrefix(s, "wx")) {
		return false
	}
	for i := 2; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'z') {
			return false
		}
	}
	return true
}

func (c *checker) checkAppID() {
	id := c.in.AppID
	name := "appId"
	if c.kind == "agentConfig" {
		name = "corpid"
	}
	switch {
	case id == "":
		c.add(CodeAppIDFormat, name+" is missing", name+" 缺失")
	case !appIDWellFormed(id):
		c.add(CodeAppIDFormat, name+" "+strconv.Quote(id)+" is not an 18-character ID starting with ww or wx (spaces, quotes or a truncated copy?)", name+" "+strconv.Quote(id)+" 不是以 ww 或 wx 开头的 18 位 ID（含空格、引号或复制不完整？）")
	case c.platform == PlatformMP && strings.HasPrefix(id, "ww"):
		c.add(CodeAppIDMismatch, "appId "+strconv.Quote(id)+" is a WeCom CorpID but the page is a WeChat Official Account page", "appId "+strconv.Quote(id)+" 是企业微信 CorpID，但页面是公众号网页")
	}
	if c.kind == "agentConfig" {
		a := strings.TrimSpace(string(c.in.AgentID))
		switch {
		case a == "":
			c.add(CodeAgentIDFormat, "agentid is missing; wx.agentConfig needs the application's AgentID", "agentid 缺失；wx.agentConfig 需要应用的 AgentID")
		case !isDigits(a) || a != string(c.in.AgentID):
			c.add(CodeAgentIDFormat, "agentid "+strconv.Quote(string(c.in.AgentID))+" is not a decimal number", "agentid "+strconv.Quote(string(c.in.AgentID))+" 不是十进制数字")
		}
	}
}

func (c *checker) checkTimestamp() {
	ts := c.in.Timestamp
	if !ts.Set || ts.Raw == "" {
		c.add(CodeTimestampNotInteger, "timestamp is missing", "timestamp 缺失")
		return
	}
	// A JSON number is judged by its value (1.7e9 is the integer 1700000000
	// in JavaScript); a string by its text, which the client signs as is.
	if !isDigits(ts.Text) {
		c.add(CodeTimestampNotInteger, "timestamp "+strconv.Quote(ts.Raw)+" is not a decimal integer; the client signs String(timestamp) = "+strconv.Quote(ts.Text), "timestamp "+strconv.Quote(ts.Raw)+" 不是十进制整数；客户端签名使用 String(timestamp) = "+strconv.Quote(ts.Text))
		return
	}
	n, err := strconv.ParseInt(ts.Text, 10, 64)
	if err != nil {
		c.add(CodeTimestampNotInteger, "timestamp "+strconv.Quote(ts.Raw)+" is out of range", "timestamp "+strconv.Quote(ts.Raw)+" 超出范围")
		return
	}
	if n >= 100_000_000_000 {
		c.add(CodeTimestampMilliseconds, "timestamp "+itoa(n)+" looks like milliseconds ("+itoa(len(ts.Text))+" digits); use seconds: "+itoa(n/1000), "timestamp "+itoa(n)+" 看起来是毫秒（"+itoa(len(ts.Text))+" 位）；应使用秒："+itoa(n/1000))
		return
	}
	if !c.clocked {
		return
	}
	d := c.now - n
	if d > skewLimit || d < -skewLimit {
		dir, dirZh := "behind", "早于"
		if d < 0 {
			dir, dirZh, d = "ahead of", "晚于", -d
		}
		c.add(CodeTimestampSkew, "timestamp "+itoa(n)+" is "+seconds(d)+" "+dir+" the current time "+itoa(c.now), "timestamp "+itoa(n)+" "+dirZh+"当前时间 "+itoa(c.now)+" 达 "+seconds(d))
	}
}

// checkNonce: the platforms define no charset for the nonce ([unconfirmed]
// whether the client rejects any); an empty one or one with spaces, control
// or non-ASCII bytes is almost always a transport or template accident, so
// it is reported as an error.
func (c *checker) checkNonce() {
	n := c.in.NonceStr
	if n == "" {
		c.add(CodeNonceInvalid, "nonceStr is missing (the JS side field is nonceStr, camelCase)", "nonceStr 缺失（JS 端字段名为驼峰 nonceStr）")
		return
	}
	for i := 0; i < len(n); i++ {
		if n[i] <= ' ' || n[i] >= 0x7f {
			c.add(CodeNonceInvalid, "nonceStr "+strconv.Quote(n)+" has a space, control or non-ASCII byte at offset "+itoa(i), "nonceStr "+strconv.Quote(n)+" 在第 "+itoa(i)+" 字节处含空格、控制字符或非 ASCII 字符")
			return
		}
	}
}

// signatureShape returns "" when sig is 40 lowercase hex characters, else
// what is wrong with it.
func signatureShape(sig string) (problem, problemZh string) {
	if sig == "" {
		return "signature is missing", "signature 缺失"
	}
	if len(sig) != 40 {
		return "signature has " + itoa(len(sig)) + " characters, expected 40", "signature 长度为 " + itoa(len(sig)) + "，应为 40"
	}
	upper := false
	for i := 0; i < len(sig); i++ {
		switch ch := sig[i]; {
		case ch >= '0' && ch <= '9', ch >= 'a' && ch <= 'f':
		case ch >= 'A' && ch <= 'F':
			upper = true
		default:
			return "signature has a non-hex character at offset " + itoa(i), "signature 第 " + itoa(i) + " 个字符不是十六进制"
		}
	}
	if upper {
		return "signature uses uppercase hex; emit lowercase", "signature 使用了大写十六进制，应为小写"
	}
	return "", ""
}

func (c *checker) checkSignatureFormat() {
	if p, pz := signatureShape(c.in.Signature); p != "" {
		c.add(CodeSignatureFormat, p, pz)
	}
}

func (c *checker) checkJSAPIs() {
	list := c.in.JSAPIList
	if list == nil {
		return
	}
	if len(list) == 0 {
		c.add(CodeJSAPIListEmpty, "jsApiList is empty", "jsApiList 为空")
		return
	}
	loadCatalogue()
	var unknown, unknownZh, wrong, agent, beta, old []string
	for _, name := range list {
		api, ok := LookupJSAPI(name)
		if !ok {
			if s := suggestJSAPI(name); s != "" {
				unknown = append(unknown, strconv.Quote(name)+" (did you mean "+strconv.Quote(s)+"?)")
				unknownZh = append(unknownZh, strconv.Quote(name)+"（是否应为 "+strconv.Quote(s)+"？）")
			} else {
				unknown = append(unknown, strconv.Quote(name))
				unknownZh = append(unknownZh, strconv.Quote(name))
			}
			continue
		}
		if c.platform != "" && api.Platform != PlatformBoth && api.Platform != c.platform {
			wrong = append(wrong, name+" ("+api.Platform+" only)")
		}
		if c.platform == PlatformWeCom && c.kind == "config" && api.NeedsAgentConfig {
			agent = append(agent, name)
		}
		if c.platform == PlatformWeCom && c.kind == "config" && !c.in.Beta && api.NeedsBeta {
			beta = append(beta, name)
		}
		if c.cl.wecom && api.MinWeCom != "" && c.cl.wecomVer != "" && versionLess(c.cl.wecomVer, api.MinWeCom) {
			old = append(old, name+" ≥ "+api.MinWeCom)
		}
	}
	if len(unknown) > 0 {
		c.add(CodeJSAPIUnknown, "unknown JS-API names in jsApiList: "+strings.Join(unknown, ", "), "jsApiList 中有未知接口名："+strings.Join(unknownZh, "，"))
	}
	if len(wrong) > 0 {
		c.add(CodeJSAPIWrongPlatform, "jsApiList has APIs of the other platform (page platform "+c.platform+"): "+strings.Join(wrong, ", "), "jsApiList 含另一平台的接口（当前平台 "+c.platform+"）："+strings.Join(wrong, "，"))
	}
	if len(agent) > 0 {
		c.add(CodeJSAPINeedsAgentConfig, "these APIs need wx.agentConfig and belong in its jsApiList: "+strings.Join(agent, ", "), "以下接口需要 wx.agentConfig，应写在其 jsApiList 中："+strings.Join(agent, "，"))
	}
	if len(beta) > 0 {
		c.add(CodeConfigBetaMissing, "wx.config lacks beta: true but lists wx.invoke-only APIs: "+strings.Join(beta, ", "), "wx.config 未设置 beta: true，但列出了需 wx.invoke 调用的接口："+strings.Join(beta, "，"))
	}
	if len(old) > 0 {
		c.add(CodeJSAPIClientTooOld, "WeCom "+c.cl.wecomVer+" is older than these APIs need: "+strings.Join(old, ", "), "企业微信 "+c.cl.wecomVer+" 低于以下接口的最低版本："+strings.Join(old, "，"))
	}
}

// suggestJSAPI finds a catalogue name equal to name up to case and
// separators.
func suggestJSAPI(name string) string {
	norm := func(s string) string {
		// Drops "_", "-", " ", "wx." and "ww." (by hand: strings.Replacer
		// is large in the WASM bundle).
		b := make([]byte, 0, len(s))
		for i := 0; i < len(s); {
			switch {
			case s[i] == '_' || s[i] == '-' || s[i] == ' ':
				i++
			case strings.HasPrefix(s[i:], "wx.") || strings.HasPrefix(s[i:], "ww."):
				i += 3
			default:
				b = append(b, s[i])
				i++
			}
		}
		return strings.ToLower(string(b))
	}
	n := norm(name)
	if n == "" {
		return ""
	}
	for _, a := range &catalogue {
		if norm(a.Name) == n {
			return a.Name
		}
	}
	return ""
}

func (c *checker) checkEnv() {
	cl := c.cl
	if cl.known || c.in.UserAgent != "" {
		switch c.platform {
		case PlatformWeCom:
			if !cl.wecom && (c.kind == "agentConfig" || !cl.wechat) {
				what := "wx.agentConfig"
				if c.kind == "config" {
					what = "wx.config for a WeCom corp"
				}
				c.add(CodeEnvNotWeCom, what+" needs the WeCom client, but the user agent has no wxwork/ ("+cl.describe()+")", what+" 需要企业微信客户端，但 User-Agent 中没有 wxwork/（"+cl.describeZh()+"）")
			}
		case PlatformMP:
			if !cl.wechat && !cl.wecom {
				c.add(CodeEnvNotWeChat, "the user agent has no MicroMessenger: the page is not in WeChat ("+cl.describe()+")", "User-Agent 中没有 MicroMessenger：页面不在微信内（"+cl.describeZh()+"）")
			}
		}
		if c.kind == "agentConfig" && cl.wecom && cl.wecomVer != "" {
			if versionLess(cl.wecomVer, "2.5.0") {
				c.add(CodeEnvClientTooOld, "WeCom "+cl.wecomVer+" is older than 2.5.0, the first version with wx.agentConfig", "企业微信 "+cl.wecomVer+" 低于支持 wx.agentConfig 的 2.5.0")
			} else if versionLess(cl.wecomVer, "3.0.24") {
				c.add(CodeEnvAgentConfigOrder, "WeCom "+cl.wecomVer+" is older than 3.0.24: wx.config must succeed before wx.agentConfig", "企业微信 "+cl.wecomVer+" 低于 3.0.24：须先 wx.config 成功再调用 wx.agentConfig")
			}
		}
	}
	u, ok := parseURL(c.in.URL)
	if !ok {
		return
	}
	// [unconfirmed] Whether the JS-SDK itself requires https is not stated;
	// trusted domains and pay directories are scheme-specific, so plain http
	// is a warning, not an error.
	if u.scheme == "http" {
		c.add(CodeEnvInsecureOrigin, "the page is served over http: "+u.origin(), "页面通过 http 提供："+u.origin())
	}
	if c.platform == PlatformMP && u.port != "" && u.port != "80" && u.port != "443" {
		c.add(CodeEnvPortNotAllowed, "the page is on port "+u.port+"; Official Account JS safe domains only cover 80 and 443", "页面使用端口 "+u.port+"；公众号 JS 接口安全域名只支持 80 和 443")
	}
}

// seconds formats d ≥ 0 seconds as time.Duration's String does ("45s",
// "10m1s", "27h46m40s"), without the time package (see signer.go).
func seconds(d int64) string {
	b := make([]byte, 0, 24)
	if h := d / 3600; h > 0 {
		b = strconv.AppendInt(b, h, 10)
		b = append(b, 'h')
	}
	if d >= 60 {
		b = strconv.AppendInt(b, d%3600/60, 10)
		b = append(b, 'm')
	}
	b = strconv.AppendInt(b, d%60, 10)
	return string(append(b, 's'))
}
