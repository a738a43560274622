package emulator

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/wwkit/wwkit/core/jssdk"
)

// VerifyRequest is a wx.config / wx.agentConfig call as the page makes it,
// plus the page URL (location.href).
type VerifyRequest struct {
	API       string          `json:"api"` // "config" (default) or "agentConfig"
	URL       string          `json:"url"` // location.href of the page; a #fragment is dropped like the client does
	AppID     string          `json:"appId"`
	CorpID    string          `json:"corpid"`
	AgentID   json.RawMessage `json:"agentid"`
	Timestamp json.RawMessage `json:"timestamp"` // number or string, seconds
	NonceStr  string          `json:"nonceStr"`
	Signature string          `json:"signature"`
	JSAPIList []string        `json:"jsApiList"`
}

// JSSDKVerifyResult is the answer of jssdk/verify: ErrMsg is what the page's callback receives.
type JSSDKVerifyResult struct {
	OK       bool   `json:"ok"`
	ErrMsg   string `json:"errMsg"`
	Platform string `json:"platform,omitempty"` // wecom or mp
	// Reason explains a failure in plain words (what the emulator found).
	Reason string `json:"reason,omitempty"`
	// ReasonZh is Reason in Chinese.
	ReasonZh string `json:"reasonZh,omitempty"`
	// SignedURL is the URL the client checks the signature against.
	SignedURL string `json:"signedURL,omitempty"`
}

const wecomMoreInfo = " more info at https://open.work.weixin.qq.com/devtool/query?e="

// VerifyJSSDK checks wx.config / wx.agentConfig parameters for a page URL the
// way the WeCom / WeChat client does: corp id or appid, trusted domain, and
// the signature against the tickets the emulator has issued and that are
// still valid.
func (e *Emulator) VerifyJSSDK(req VerifyRequest) JSSDKVerifyResult {
	api := req.API
	if api == "" {
		api = "config"
	}
	res := JSSDKVerifyResult{}
	fail := func(msg, reason string) JSSDKVerifyResult {
		res.ErrMsg, res.Reason, res.ReasonZh = msg, reason, reasonZh(reason)
		return res
	}
	if api != "config" && api != "agentConfig" {
		return fail(api+":fail", "api must be config or agentConfig")
	}
	id := req.AppID
	if id == "" {
		id = req.CorpID
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var platform string
	switch {
	case id != "" && id == e.fx.WeCom.CorpID:
		platform = "wecom"
	case id != "" && id == e.fx.MP.AppID && api == "config":
		platform = "mp"
	case api == "agentConfig":
		return fail("agentConfig:invalid corpId"+wecomMoreInfo+"40013", "corpid "+strconv.Quote(id)+" is not the emulated corp ("+e.fx.WeCom.CorpID+")")
	default:
		return fail("config:fail,Error: 系统错误,错误码:40013,invalid appid", "appId "+strconv.Quote(id)+" is neither the emulated corp id nor the Official Account appid")
	}
	res.Platform = platform
	page, err := url.Parse(req.URL)
	if req.URL == "" || err != nil || page.Host == "" || (page.Scheme != "http" && page.Scheme != "https") {
		return fail(api+":fail", "url must be the absolute location.href of the page")
	}
	signed := req.URL
	if i := strings.IndexByte(signed, '#'); i >= 0 {
		signed = signed[:i]
	}
	res.SignedURL = signed
	var app *App
	var domains []string
	kind := "corp"
	switch {
	case platform == "mp":
		domains, kind = e.fx.MP.JSDomains, "jsapi"
	case api == "agentConfig":
		agentID, ok := parseAgentID(req.AgentID)
		app = e.appByAgent(agentID)
		if !ok || app == nil {
			return fail("agentConfig:fail_invalid agentid", "agentid must be the AgentID of an app of the emulated corp")
		}
		domains, kind = app.TrustedDomains, "agent_config"
	default:
		for _, a := range e.corpApps() {
			if len(a.TrustedDomains) == 0 {
				domains = nil
				break
			}
			domains = append(domains, a.TrustedDomains...)
		}
	}
	if !domainAllowed(page, domains) {
		if platform == "mp" {
			return fail("config:invalid url domain", page.Host+" is not in the Official Account's JS接口安全域名 list")
		}
		return fail(api+":not match any reliable domain."+wecomMoreInfo+"80001", page.Host+" is not a trusted domain (可信域名) of the app")
	}
	ts, ok := parseTimestamp(req.Timestamp)
	if !ok || req.NonceStr == "" || req.Signature == "" {
		return fail(api+":invalid signature", "timestamp (seconds), nonceStr and signature are all required")
	}
	match := func(kind string) bool {
		for _, t := range e.ticketsOf(platform, app, kind) {
			if jssdk.Sign(t, req.NonceStr, ts, signed) == req.Signature {
				return true
			}
		}
		return false
	}
	if match(kind) {
		res.OK, res.ErrMsg = true, api+":ok"
		return res
	}
	switch {
	case platform == "wecom" && api == "agentConfig" && match("corp"):
		return fail("agentConfig:fail_ticket no available"+wecomMoreInfo+"42012", "signed with the corp jsapi_ticket; wx.agentConfig needs the app ticket from ticket/get?type=agent_config")
	case platform == "wecom" && api == "config" && match("agent_config"):
		return fail("config:invalid signature", "signed with the app (agent_config) ticket; wx.config needs the corp ticket from get_jsapi_ticket")
	}
	return fail(api+":invalid signature", e.signatureHint(platform, app, kind, req, ts, signed))
}

// ticketsOf lists the valid tickets of kind for the platform/app. WeCom corp
// tickets are accepted from any app of the corp.
func (e *Emulator) ticketsOf(platform string, app *App, kind string) []string {
	if platform == "mp" {
		return e.validTickets(mpKey, kind)
	}
	if app != nil {
		return e.validTickets(wecomKey(app.AgentID), kind)
	}
	var out []string
	for _, a := range e.corpApps() {
		out = append(out, e.validTickets(wecomKey(a.AgentID), kind)...)
	}
	return out
}

// signatureHint names the usual mistake when a variant of the inputs matches.
func (e *Emulator) signatureHint(platform string, app *App, kind string, req VerifyRequest, ts int64, signed string) string {
	tickets := e.ticketsOf(platform, app, kind)
	if len(tickets) == 0 {
		return "no valid " + kind + " ticket: fetch one from the emulator (tickets expire after 7200 s, and the clock may have been advanced)"
	}
	raw := func(t, n, tsText, u string) string {
		sum := sha1.Sum([]byte("jsapi_ticket=" + t + "&noncestr=" + n + "&timestamp=" + tsText + "&url=" + u))
		return hex.EncodeToString(sum[:])
	}
	tsText := strconv.FormatInt(ts, 10)
	for _, t := range tickets {
		switch req.Signature {
		case raw(t, req.NonceStr, tsText, req.URL):
			return "the URL was signed with its #fragment; sign location.href.split('#')[0]"
		case raw(t, req.NonceStr, tsText, url.QueryEscape(signed)):
			return "the URL was signed URL-encoded; decode the transport encoding once and sign the raw URL"
		}
		if lower := strings.ToLower(req.Signature); lower != req.Signature && lower == raw(t, req.NonceStr, tsText, signed) {
			return "the signature must be lowercase hex"
		}
	}
	return "the signature does not match any valid " + kind + " ticket for this URL, nonceStr and timestamp; check the URL (scheme, host, port, path, query), that nonceStr/timestamp equal the signed ones, and that the ticket is the current one"
}

func parseTimestamp(raw json.RawMessage) (int64, bool) {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}
