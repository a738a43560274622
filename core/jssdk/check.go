package jssdk

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
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
// in.Now, or time.Now.
func Check(in Input) Result { return (&Signer{Now: time.Now}).Check(in) }

// Check is the package-level Check using s.Now as the clock when in.Now is 0.
func (s *Signer) Check(in Input) Result {
	now := in.Now
	if now == 0 {
		clock := s.Now
		if clock == nil {
			clock = time.Now
		}
		now = clock().Unix()
	}
	c := &checker{in: in, now: now}
	c.run()
	sort.SliceStable(c.findings, func(i, j int) bool {
		return c.findings[i].Severity.rank() < c.findings[j].Severity.rank()
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
	now          int64
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
		c.add(CodeInputUnknownValue, fmt.Sprintf("kind %q is unknown; checking as wx.config", in.Kind), fmt.Sprintf("kind 取值 %q 未知，按 wx.config 检查", in.Kind))
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
		c.add(CodeInputUnknownValue, fmt.Sprintf("platform %q is unknown; guessing it from kind, appId and userAgent", c.in.Platform), fmt.Sprintf("platform 取值 %q 未知，将根据 kind、appId 和 userAgent 推断", c.in.Platform))
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
		c.add(CodeAppIDFormat, fmt.Sprintf("%s %q is not an 18-character ID starting with ww or wx (spaces, quotes or a truncated copy?)", name, id), fmt.Sprintf("%s %q 不是以 ww 或 wx 开头的 18 位 ID（含空格、引号或复制不完整？）", name, id))
	case c.platform == PlatformMP && strings.HasPrefix(id, "ww"):
		c.add(CodeAppIDMismatch, fmt.Sprintf("appId %q is a WeCom CorpID but the page is a WeChat Official Account page", id), fmt.Sprintf("appId %q 是企业微信 CorpID，但页面是公众号网页", id))
	}
	if c.kind == "agentConfig" {
		a := strings.TrimSpace(string(c.in.AgentID))
		switch {
		case a == "":
			c.add(CodeAgentIDFormat, "agentid is missing; wx.agentConfig needs the application's AgentID", "agentid 缺失；wx.agentConfig 需要应用的 AgentID")
		case !isDigits(a) || a != string(c.in.AgentID):
			c.add(CodeAgentIDFormat, fmt.Sprintf("agentid %q is not a decimal number", string(c.in.AgentID)), fmt.Sprintf("agentid %q 不是十进制数字", string(c.in.AgentID)))
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
		c.add(CodeTimestampNotInteger, fmt.Sprintf("timestamp %q is not a decimal integer; the client signs String(timestamp) = %q", ts.Raw, ts.Text), fmt.Sprintf("timestamp %q 不是十进制整数；客户端签名使用 String(timestamp) = %q", ts.Raw, ts.Text))
		return
	}
	n, err := strconv.ParseInt(ts.Text, 10, 64)
	if err != nil {
		c.add(CodeTimestampNotInteger, fmt.Sprintf("timestamp %q is out of range", ts.Raw), fmt.Sprintf("timestamp %q 超出范围", ts.Raw))
		return
	}
	if n >= 100_000_000_000 {
		c.add(CodeTimestampMilliseconds, fmt.Sprintf("timestamp %d looks like milliseconds (%d digits); use seconds: %d", n, len(ts.Text), n/1000), fmt.Sprintf("timestamp %d 看起来是毫秒（%d 位）；应使用秒：%d", n, len(ts.Text), n/1000))
		return
	}
	d := c.now - n
	if d > skewLimit || d < -skewLimit {
		dir, dirZh := "behind", "早于"
		if d < 0 {
			dir, dirZh, d = "ahead of", "晚于", -d
		}
		c.add(CodeTimestampSkew, fmt.Sprintf("timestamp %d is %s %s the current time %d", n, time.Duration(d)*time.Second, dir, c.now), fmt.Sprintf("timestamp %d %s当前时间 %d 达 %s", n, dirZh, c.now, time.Duration(d)*time.Second))
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
			c.add(CodeNonceInvalid, fmt.Sprintf("nonceStr %q has a space, control or non-ASCII byte at offset %d", n, i), fmt.Sprintf("nonceStr %q 在第 %d 字节处含空格、控制字符或非 ASCII 字符", n, i))
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
		return fmt.Sprintf("signature has %d characters, expected 40", len(sig)), fmt.Sprintf("signature 长度为 %d，应为 40", len(sig))
	}
	upper := false
	for i := 0; i < len(sig); i++ {
		switch ch := sig[i]; {
		case ch >= '0' && ch <= '9', ch >= 'a' && ch <= 'f':
		case ch >= 'A' && ch <= 'F':
			upper = true
		default:
			return fmt.Sprintf("signature has a non-hex character at offset %d", i), fmt.Sprintf("signature 第 %d 个字符不是十六进制", i)
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
				unknown = append(unknown, fmt.Sprintf("%q (did you mean %q?)", name, s))
				unknownZh = append(unknownZh, fmt.Sprintf("%q（是否应为 %q？）", name, s))
			} else {
				unknown = append(unknown, strconv.Quote(name))
				unknownZh = append(unknownZh, strconv.Quote(name))
			}
			continue
		}
		if c.platform != "" && api.Platform != PlatformBoth && api.Platform != c.platform {
			wrong = append(wrong, fmt.Sprintf("%s (%s only)", name, api.Platform))
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
		c.add(CodeJSAPIWrongPlatform, fmt.Sprintf("jsApiList has APIs of the other platform (page platform %s): %s", c.platform, strings.Join(wrong, ", ")), fmt.Sprintf("jsApiList 含另一平台的接口（当前平台 %s）：%s", c.platform, strings.Join(wrong, "，")))
	}
	if len(agent) > 0 {
		c.add(CodeJSAPINeedsAgentConfig, "these APIs need wx.agentConfig and belong in its jsApiList: "+strings.Join(agent, ", "), "以下接口需要 wx.agentConfig，应写在其 jsApiList 中："+strings.Join(agent, "，"))
	}
	if len(beta) > 0 {
		c.add(CodeConfigBetaMissing, "wx.config lacks beta: true but lists wx.invoke-only APIs: "+strings.Join(beta, ", "), "wx.config 未设置 beta: true，但列出了需 wx.invoke 调用的接口："+strings.Join(beta, "，"))
	}
	if len(old) > 0 {
		c.add(CodeJSAPIClientTooOld, fmt.Sprintf("WeCom %s is older than these APIs need: %s", c.cl.wecomVer, strings.Join(old, ", ")), fmt.Sprintf("企业微信 %s 低于以下接口的最低版本：%s", c.cl.wecomVer, strings.Join(old, "，")))
	}
}

// suggestJSAPI finds a catalogue name equal to name up to case and
// separators.
func suggestJSAPI(name string) string {
	norm := func(s string) string {
		return strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "", "wx.", "", "ww.", "").Replace(s))
	}
	n := norm(name)
	if n == "" {
		return ""
	}
	for _, a := range catalogue {
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
				c.add(CodeEnvNotWeCom, fmt.Sprintf("%s needs the WeCom client, but the user agent has no wxwork/ (%s)", what, cl.describe()), fmt.Sprintf("%s 需要企业微信客户端，但 User-Agent 中没有 wxwork/（%s）", what, cl.describeZh()))
			}
		case PlatformMP:
			if !cl.wechat && !cl.wecom {
				c.add(CodeEnvNotWeChat, fmt.Sprintf("the user agent has no MicroMessenger: the page is not in WeChat (%s)", cl.describe()), fmt.Sprintf("User-Agent 中没有 MicroMessenger：页面不在微信内（%s）", cl.describeZh()))
			}
		}
		if c.kind == "agentConfig" && cl.wecom && cl.wecomVer != "" {
			if versionLess(cl.wecomVer, "2.5.0") {
				c.add(CodeEnvClientTooOld, fmt.Sprintf("WeCom %s is older than 2.5.0, the first version with wx.agentConfig", cl.wecomVer), fmt.Sprintf("企业微信 %s 低于支持 wx.agentConfig 的 2.5.0", cl.wecomVer))
			} else if versionLess(cl.wecomVer, "3.0.24") {
				c.add(CodeEnvAgentConfigOrder, fmt.Sprintf("WeCom %s is older than 3.0.24: wx.config must succeed before wx.agentConfig", cl.wecomVer), fmt.Sprintf("企业微信 %s 低于 3.0.24：须先 wx.config 成功再调用 wx.agentConfig", cl.wecomVer))
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
		c.add(CodeEnvPortNotAllowed, fmt.Sprintf("the page is on port %s; Official Account JS safe domains only cover 80 and 443", u.port), fmt.Sprintf("页面使用端口 %s；公众号 JS 接口安全域名只支持 80 和 443", u.port))
	}
}
