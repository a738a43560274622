package emulator

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// issueCode creates a single-use OAuth code (网页授权 code) valid for five
// minutes. Callers hold e.mu.
func (e *Emulator) issueCode(rec codeRec) string {
	e.sweep(e.now())
	rec.Expires = e.now().Add(oauthCodeTTL)
	var code string
	if rec.Platform == "mp" {
		code = "0" + randString(31, alnum)
	} else {
		code = randString(43, alnum+"-_")
	}
	e.st.Codes[code] = &rec
	e.dirty = true
	return code
}

// IssueCode creates an OAuth code for a WeCom member (platform "wecom",
// subject = userid), a WeCom non-member (platform "wecom", subject starting
// with "o"… is treated as an openid when it is not a userid) or an MP
// follower (platform "mp", subject = openid), as if the user had passed the
// authorize page. Scripts use it through POST /__emulator/oauth/code.
func (e *Emulator) IssueCode(platform, subject, scope string, agentID int64) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.issueCodeLocked(platform, subject, scope, agentID)
}

func (e *Emulator) issueCodeLocked(platform, subject, scope string, agentID int64) (string, error) {
	rec := codeRec{Platform: platform, Scope: scope, AgentID: agentID}
	switch platform {
	case "wecom":
		if scope == "" {
			rec.Scope = "snsapi_base"
		}
		if u := e.userByID(subject); u != nil {
			rec.UserID = u.UserID
		} else if strings.HasPrefix(subject, "o") && len(subject) > 8 {
			rec.OpenID = subject
		} else {
			return "", fmt.Errorf("emulator: %q is neither a member of the fixture corp nor an openid; pick a userid from GET /__emulator/state", subject)
		}
	case "mp":
		if scope == "" {
			rec.Scope = "snsapi_base"
		}
		if e.follower(subject) == nil {
			return "", fmt.Errorf("emulator: %q is not an openid of the fixture account; pick one from GET /__emulator/state", subject)
		}
		rec.OpenID = subject
	default:
		return "", fmt.Errorf("emulator: platform %q is not wecom or mp", platform)
	}
	return e.issueCode(rec), nil
}

var authorizeTmpl = template.Must(template.New("authorize").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{.Title}} · wwkit emulator</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#222}
a.u{display:block;padding:.8rem 1rem;margin:.5rem 0;border:1px solid #ddd;border-radius:.5rem;text-decoration:none;color:#222}
a.u:hover{background:#f3f7ff}.err{color:#b00020}.meta{color:#666;font-size:.85rem;word-break:break-all}</style></head>
<body><h1>{{.Title}}</h1>
{{if .Error}}<p class="err">{{.Error}}</p>{{else}}
<p>{{.Prompt}}</p>
{{range .Choices}}<a class="u" href="{{.Href}}">{{.Label}} <span class="meta">{{.ID}}</span></a>{{end}}
<p class="meta">scope: {{.Scope}} · redirect_uri: {{.Redirect}} · state: {{.State}}</p>{{end}}
<p class="meta">wwkit emulator — this page stands in for open.weixin.qq.com/connect/oauth2/authorize.</p>
</body></html>`))

type authChoice struct{ Label, ID, Href string }

// authorizePage serves the OAuth2 authorize page (/wecom or /mp
// /connect/oauth2/authorize). Without a pick it lists the emulated users;
// with userid= (WeCom) or openid= (both) it redirects to
// redirect_uri?code=CODE&state=STATE.
func (e *Emulator) authorizePage(q *request, platform string) {
	v := q.r.URL.Query()
	data := struct {
		Title, Prompt, Error, Scope, Redirect, State string
		Choices                                      []authChoice
	}{Title: "企业微信授权", Scope: v.Get("scope"), Redirect: v.Get("redirect_uri"), State: v.Get("state")}
	if platform == "mp" {
		data.Title = "微信网页授权"
	}
	render := func(status int) {
		q.w.Header().Set("Content-Type", "text/html; charset=utf-8")
		q.w.WriteHeader(status)
		_ = authorizeTmpl.Execute(q.w, data)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var agentID int64
	var domains []string
	redirect, err := url.Parse(v.Get("redirect_uri"))
	// A third-party app's pages use appid = SuiteID (第三方应用网页授权);
	// the code is then bound to the suite's app in the corp.
	var suite *Suite
	if platform == "wecom" {
		suite = e.installedSuite(v.Get("appid"))
	}
	switch {
	case platform == "wecom" && v.Get("appid") != e.fx.WeCom.CorpID && suite == nil:
		data.Error = "appid 参数错误：appid must be the corp id (CorpID) of the emulated corp, or the SuiteID of a suite it installed"
	case platform == "mp" && v.Get("appid") != e.fx.MP.AppID:
		data.Error = "appid 参数错误：appid must be the AppID of the emulated Official Account"
	case v.Get("redirect_uri") == "" || err != nil || redirect.Host == "" || (redirect.Scheme != "http" && redirect.Scheme != "https"):
		data.Error = "redirect_uri 参数错误：redirect_uri must be an absolute, URL-encoded http(s) URL"
	case v.Get("response_type") != "code":
		data.Error = "response_type 参数错误：response_type must be code"
	case len(v.Get("state")) > 128:
		data.Error = "state 参数错误：state is at most 128 bytes"
	}
	scope := v.Get("scope")
	if data.Error == "" {
		switch {
		case platform == "wecom" && scope != "snsapi_base" && scope != "snsapi_privateinfo" && scope != "snsapi_userinfo":
			data.Error = "scope 参数错误：scope must be snsapi_base or snsapi_privateinfo"
		case platform == "mp" && scope != "snsapi_base" && scope != "snsapi_userinfo":
			data.Error = "scope 参数错误：scope must be snsapi_base or snsapi_userinfo"
		}
	}
	if data.Error == "" && platform == "wecom" && v.Get("agentid") != "" {
		id, err := strconv.ParseInt(v.Get("agentid"), 10, 64)
		app := e.appByAgent(id)
		if err != nil || app == nil {
			data.Error = "agentid 参数错误：no app with this AgentID in the emulated corp"
		} else {
			agentID, domains = id, app.TrustedDomains
		}
	}
	if data.Error == "" && suite != nil {
		if agentID != 0 && agentID != suite.AgentID {
			data.Error = "agentid 参数错误：with appid = SuiteID the agentid is the suite's app in the corp (" + strconv.FormatInt(suite.AgentID, 10) + ")"
		}
		agentID, domains = suite.AgentID, suite.TrustedDomains
	}
	if data.Error == "" && platform == "wecom" && scope == "snsapi_privateinfo" && agentID == 0 {
		data.Error = "scope 为 snsapi_privateinfo 时 agentid 必填 (agentid is required with snsapi_privateinfo)"
	}
	if platform == "mp" {
		domains = e.fx.MP.JSDomains
	}
	if data.Error == "" && !domainAllowed(redirect, domains) {
		data.Error = "redirect_uri 域名与后台配置不一致 (errcode 50001): " + redirect.Host + " is not a trusted domain of the app"
	}
	if data.Error != "" {
		render(http.StatusBadRequest)
		return
	}
	pick := v.Get("userid")
	if pick == "" {
		pick = v.Get("openid")
	}
	if pick != "" {
		code, err := e.issueCodeLocked(platform, pick, scope, agentID)
		if err != nil {
			data.Error = err.Error()
			render(http.StatusBadRequest)
			return
		}
		rq := redirect.Query()
		rq.Set("code", code)
		rq.Set("state", v.Get("state"))
		redirect.RawQuery = rq.Encode()
		redirect.Fragment = ""
		http.Redirect(q.w, q.r, redirect.String(), http.StatusFound)
		return
	}
	link := func(param, id string) string {
		c := url.Values{}
		for k, vs := range v {
			c[k] = vs
		}
		c.Set(param, id)
		return q.r.URL.Path + "?" + c.Encode()
	}
	if platform == "wecom" {
		data.Prompt = "选择以哪位成员的身份登录 (pick the emulated member):"
		for _, u := range e.fx.WeCom.Users {
			data.Choices = append(data.Choices, authChoice{Label: u.Name, ID: u.UserID, Href: link("userid", u.UserID)})
		}
		for _, c := range e.fx.WeCom.ExternalContacts {
			if c.OpenID != "" {
				data.Choices = append(data.Choices, authChoice{Label: c.Name + " (客户 customer, non-member)", ID: c.OpenID, Href: link("userid", c.OpenID)})
			}
		}
		guest := "o" + deriveHex("wecom-guest", 27)
		data.Choices = append(data.Choices, authChoice{Label: "非企业成员 (non-member)", ID: guest, Href: link("userid", guest)})
	} else {
		data.Prompt = "选择以哪位微信用户的身份授权 (pick the emulated WeChat user):"
		for _, f := range e.fx.MP.Followers {
			data.Choices = append(data.Choices, authChoice{Label: f.Nickname, ID: f.OpenID, Href: link("openid", f.OpenID)})
		}
	}
	render(http.StatusOK)
}

// domainAllowed reports whether u's host is in domains (host or host:port);
// an empty list allows every domain.
func domainAllowed(u *url.URL, domains []string) bool {
	if len(domains) == 0 {
		return true
	}
	for _, d := range domains {
		if strings.EqualFold(d, u.Host) || strings.EqualFold(d, u.Hostname()) {
			return true
		}
	}
	return false
}
