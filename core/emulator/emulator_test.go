package emulator_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/emulator"
)

// fakeClock is a settable base clock, so tests do not depend on wall time.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// env is one emulator on loopback plus helpers that speak HTTP to it.
type env struct {
	t   *testing.T
	srv *emulator.Server
	fx  *emulator.Fixture
	hc  *http.Client
}

func start(t *testing.T, opts ...emulator.Option) *env {
	t.Helper()
	clk := &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	opts = append([]emulator.Option{emulator.WithClock(clk.now)}, opts...)
	srv, err := emulator.Start("127.0.0.1:0", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return &env{t: t, srv: srv, fx: srv.Emulator().Fixture(), hc: &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// resp is a decoded JSON answer.
type resp map[string]any

func (r resp) code() int {
	if v, ok := r["errcode"].(float64); ok {
		return int(v)
	}
	return 0 // MP omits errcode on success for some endpoints
}

func (r resp) str(k string) string { s, _ := r[k].(string); return s }

func (e *env) do(method, path string, q url.Values, body io.Reader, ctype string) (*http.Response, []byte) {
	e.t.Helper()
	u := e.srv.URL + path
	if q != nil {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := e.hc.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return res, b
}

func (e *env) decode(b []byte) resp {
	e.t.Helper()
	var r resp
	if err := json.Unmarshal(b, &r); err != nil {
		e.t.Fatalf("answer is not JSON: %v: %s", err, b)
	}
	return r
}

func (e *env) get(path string, q url.Values) resp {
	e.t.Helper()
	_, b := e.do(http.MethodGet, path, q, nil, "")
	return e.decode(b)
}

func (e *env) post(path string, q url.Values, v any) resp {
	e.t.Helper()
	var body []byte
	switch x := v.(type) {
	case string:
		body = []byte(x)
	default:
		var err error
		if body, err = json.Marshal(v); err != nil {
			e.t.Fatal(err)
		}
	}
	_, b := e.do(http.MethodPost, path, q, bytes.NewReader(body), "application/json")
	return e.decode(b)
}

func (e *env) admin(method, path string, v any) resp {
	e.t.Helper()
	var body io.Reader
	if v != nil {
		b, _ := json.Marshal(v)
		body = bytes.NewReader(b)
	}
	_, b := e.do(method, "/__emulator/"+path, nil, body, "application/json")
	return e.decode(b)
}

func (e *env) advance(d time.Duration) { e.srv.Emulator().Advance(d) }

func (e *env) wecomToken() string {
	e.t.Helper()
	app := e.fx.WeCom.Apps[0]
	r := e.get("/wecom/cgi-bin/gettoken", url.Values{"corpid": {e.fx.WeCom.CorpID}, "corpsecret": {app.Secret}})
	if r.code() != 0 || r.str("access_token") == "" {
		e.t.Fatalf("gettoken: %v", r)
	}
	return r.str("access_token")
}

func (e *env) mpToken() string {
	e.t.Helper()
	r := e.get("/mp/cgi-bin/token", url.Values{"grant_type": {"client_credential"}, "appid": {e.fx.MP.AppID}, "secret": {e.fx.MP.AppSecret}})
	if r.code() != 0 || r.str("access_token") == "" {
		e.t.Fatalf("token: %v", r)
	}
	return r.str("access_token")
}

func tok(t string) url.Values { return url.Values{"access_token": {t}} }

func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = vs
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

func wantCode(t *testing.T, what string, r resp, code int) {
	t.Helper()
	if r.code() != code {
		t.Fatalf("%s: errcode %d, want %d (answer %v)", what, r.code(), code, r)
	}
}

func TestDefaultFixtureIsDeterministicAndValid(t *testing.T) {
	a, b := emulator.DefaultFixture(), emulator.DefaultFixture()
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Fatal("DefaultFixture differs between calls")
	}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name, value string
		prefix      string
		length      int
	}{
		{"corp id", a.WeCom.CorpID, "ww", 18},
		{"mp appid", a.MP.AppID, "wx", 18},
		{"app EncodingAESKey", a.WeCom.Apps[0].EncodingAESKey, "", 43},
		{"mp EncodingAESKey", a.MP.EncodingAESKey, "", 43},
	}
	for _, c := range checks {
		if !strings.HasPrefix(c.value, c.prefix) || len(c.value) != c.length {
			t.Errorf("%s = %q, want prefix %q and length %d", c.name, c.value, c.prefix, c.length)
		}
	}
	if strings.Trim(a.WeCom.CorpID[2:], "0123456789abcdef") != "" {
		t.Errorf("corp id %q is not ww + 16 hex", a.WeCom.CorpID)
	}
	chinese := 0
	for _, u := range a.WeCom.Users {
		for _, r := range u.Name {
			if r >= 0x4e00 && r <= 0x9fff {
				chinese++
				break
			}
		}
	}
	if chinese < 3 || chinese != len(a.WeCom.Users) {
		t.Errorf("%d of %d users have Chinese names", chinese, len(a.WeCom.Users))
	}
	if len(a.MP.Followers) == 0 || len(a.MP.Tags) == 0 {
		t.Error("the default MP account needs followers and tags")
	}
}

func TestWeComTokenLifetimeAndReuse(t *testing.T) {
	e := start(t)
	app := e.fx.WeCom.Apps[0]
	first := e.get("/wecom/cgi-bin/gettoken", url.Values{"corpid": {e.fx.WeCom.CorpID}, "corpsecret": {app.Secret}})
	wantCode(t, "gettoken", first, 0)
	if first["expires_in"].(float64) != 7200 {
		t.Fatalf("expires_in = %v, want 7200", first["expires_in"])
	}
	tk := first.str("access_token")
	if again := e.wecomToken(); again != tk {
		t.Fatal("WeCom must return the same token while it is valid")
	}
	e.advance(7199 * time.Second)
	wantCode(t, "user/get just before expiry", e.get("/wecom/cgi-bin/user/get", with(tok(tk), "userid", "zhangsan")), 0)
	if again := e.wecomToken(); again != tk {
		t.Fatal("token changed before it expired")
	}
	e.advance(2 * time.Second)
	wantCode(t, "user/get after expiry", e.get("/wecom/cgi-bin/user/get", with(tok(tk), "userid", "zhangsan")), 42001)
	fresh := e.wecomToken()
	if fresh == tk {
		t.Fatal("gettoken after expiry returned the expired token")
	}
	wantCode(t, "user/get with the new token", e.get("/wecom/cgi-bin/user/get", with(tok(fresh), "userid", "zhangsan")), 0)

	// Invalidation from the admin API answers 40014.
	r := e.admin(http.MethodPost, "tokens/invalidate", map[string]any{"platform": "wecom"})
	if r["ok"] != true {
		t.Fatalf("invalidate: %v", r)
	}
	r = e.get("/wecom/cgi-bin/user/get", with(tok(fresh), "userid", "zhangsan"))
	wantCode(t, "user/get after invalidation", r, 40014)
	if msg := r.str("errmsg"); !strings.HasPrefix(msg, "invalid access_token, hint: [") || !strings.HasSuffix(msg, "more info at https://open.work.weixin.qq.com/devtool/query?e=40014") {
		t.Errorf("WeCom errmsg %q lacks Tencent's trailer", msg)
	}
}

// TestExpiresInNeverOverPromises is the regression test for what the fault
// suite (app/reliability/faults) found: in a token's last second gettoken
// answered the same token with expires_in 0 (rounded to nearest), which
// clients rightly refuse to cache, or 1 with 0.6 s left, so a client could
// serve it after it expired. Now the lifetime is rounded down and a token
// with less than a second left is replaced.
func TestExpiresInNeverOverPromises(t *testing.T) {
	e := start(t)
	app := e.fx.WeCom.Apps[0]
	q := url.Values{"corpid": {e.fx.WeCom.CorpID}, "corpsecret": {app.Secret}}
	first := e.get("/wecom/cgi-bin/gettoken", q)
	ticket := e.get("/wecom/cgi-bin/get_jsapi_ticket", tok(first.str("access_token")))
	e.advance(7198*time.Second + 600*time.Millisecond) // 1.4 s left
	r := e.get("/wecom/cgi-bin/gettoken", q)
	if r.str("access_token") != first.str("access_token") || r["expires_in"].(float64) != 1 {
		t.Fatalf("1.4 s left: got a new token or expires_in %v, want the same token and 1", r["expires_in"])
	}
	tr := e.get("/wecom/cgi-bin/get_jsapi_ticket", tok(first.str("access_token")))
	if tr.str("ticket") != ticket.str("ticket") || tr["expires_in"].(float64) != 1 {
		t.Fatalf("ticket with 1.4 s left: expires_in %v, want the same ticket and 1", tr["expires_in"])
	}
	e.advance(600 * time.Millisecond) // 0.8 s left: rounding to nearest said 1
	r = e.get("/wecom/cgi-bin/gettoken", q)
	if r.str("access_token") == first.str("access_token") || r["expires_in"].(float64) != 7200 {
		t.Fatalf("0.8 s left: expires_in %v (same token: %v), want a new token for 7200 s", r["expires_in"], r.str("access_token") == first.str("access_token"))
	}
	tr = e.get("/wecom/cgi-bin/get_jsapi_ticket", tok(r.str("access_token")))
	if tr.str("ticket") == ticket.str("ticket") || tr["expires_in"].(float64) != 7200 {
		t.Fatalf("ticket with 0.8 s left: expires_in %v, want a new ticket for 7200 s", tr["expires_in"])
	}
	// The old token stays valid for the rest of its life.
	wantCode(t, "user/get with the old token in its last second", e.get("/wecom/cgi-bin/user/get", with(tok(first.str("access_token")), "userid", "zhangsan")), 0)
}

func TestWeComTokensArePerApp(t *testing.T) {
	fx := emulator.DefaultFixture()
	second := fx.WeCom.Apps[0]
	second.AgentID, second.Secret, second.Name = 1000003, "second-app-secret", "第二个应用"
	fx.WeCom.Apps = append(fx.WeCom.Apps, second)
	e := start(t, emulator.WithFixture(fx))
	t1 := e.wecomToken()
	r := e.get("/wecom/cgi-bin/gettoken", url.Values{"corpid": {fx.WeCom.CorpID}, "corpsecret": {"second-app-secret"}})
	wantCode(t, "second app gettoken", r, 0)
	if r.str("access_token") == t1 {
		t.Fatal("two apps of one corp got the same token; tokens are per app")
	}
	// A token of app 1000003 cannot send as agent 1000002.
	msg := map[string]any{"touser": "zhangsan", "msgtype": "text", "agentid": emulator.DefaultAgentID, "text": map[string]any{"content": "hi"}}
	wantCode(t, "send as another agent", e.post("/wecom/cgi-bin/message/send", tok(r.str("access_token")), msg), 40056)
}

func TestGetTokenErrors(t *testing.T) {
	e := start(t)
	corp, secret := e.fx.WeCom.CorpID, e.fx.WeCom.Apps[0].Secret
	mp := e.fx.MP
	tests := []struct {
		name string
		path string
		q    url.Values
		code int
	}{
		{"wecom missing corpid", "/wecom/cgi-bin/gettoken", url.Values{"corpsecret": {secret}}, 41002},
		{"wecom missing secret", "/wecom/cgi-bin/gettoken", url.Values{"corpid": {corp}}, 41004},
		{"wecom bad corpid", "/wecom/cgi-bin/gettoken", url.Values{"corpid": {"ww0000000000000000"}, "corpsecret": {secret}}, 40013},
		{"wecom bad secret", "/wecom/cgi-bin/gettoken", url.Values{"corpid": {corp}, "corpsecret": {"nope"}}, 40001},
		{"wecom missing token", "/wecom/cgi-bin/get_jsapi_ticket", nil, 41001},
		{"wecom bogus token", "/wecom/cgi-bin/get_jsapi_ticket", tok("bogus"), 40014},
		{"mp bad grant", "/mp/cgi-bin/token", url.Values{"appid": {mp.AppID}, "secret": {mp.AppSecret}}, 40002},
		{"mp bad appid", "/mp/cgi-bin/token", url.Values{"grant_type": {"client_credential"}, "appid": {"wx0"}, "secret": {mp.AppSecret}}, 40013},
		{"mp bad secret", "/mp/cgi-bin/token", url.Values{"grant_type": {"client_credential"}, "appid": {mp.AppID}, "secret": {"x"}}, 40001},
		{"mp missing token", "/mp/cgi-bin/ticket/getticket", url.Values{"type": {"jsapi"}}, 41001},
		{"mp malformed token", "/mp/cgi-bin/ticket/getticket", url.Values{"type": {"jsapi"}, "access_token": {"x"}}, 40014},
		{"unknown oauth code", "/mp/sns/oauth2/access_token", url.Values{"appid": {mp.AppID}, "secret": {mp.AppSecret}, "grant_type": {"authorization_code"}, "code": {"nope"}}, 40029},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(tt.path, tt.q)
			wantCode(t, tt.name, r, tt.code)
			if r.str("errmsg") == "" {
				t.Errorf("errmsg is empty: %v", r)
			}
		})
	}
	// Wrong method: POST on a GET endpoint.
	wantCode(t, "POST gettoken", e.post("/wecom/cgi-bin/gettoken", nil, "{}"), 43001)
	wantCode(t, "GET message/send", e.get("/wecom/cgi-bin/message/send", nil), 43002)
}

func TestMPTokenOverlapWindow(t *testing.T) {
	e := start(t)
	t1 := e.mpToken()
	t2 := e.mpToken()
	if t1 == t2 {
		t.Fatal("MP must issue a new token on every call")
	}
	ticket := url.Values{"type": {"jsapi"}}
	wantCode(t, "old token right after refresh", e.get("/mp/cgi-bin/ticket/getticket", with(ticket, "access_token", t1)), 0)
	e.advance(4*time.Minute + 59*time.Second)
	wantCode(t, "old token inside the 5 minute overlap", e.get("/mp/cgi-bin/ticket/getticket", with(ticket, "access_token", t1)), 0)
	e.advance(2 * time.Second)
	wantCode(t, "old token after the overlap", e.get("/mp/cgi-bin/ticket/getticket", with(ticket, "access_token", t1)), 40001)
	wantCode(t, "new token", e.get("/mp/cgi-bin/ticket/getticket", with(ticket, "access_token", t2)), 0)
	e.advance(7200 * time.Second)
	wantCode(t, "new token after 7200 s", e.get("/mp/cgi-bin/ticket/getticket", with(ticket, "access_token", t2)), 42001)
}

func TestWeComOAuthCodeSingleUse(t *testing.T) {
	e := start(t)
	tk := e.wecomToken()
	q := url.Values{"appid": {e.fx.WeCom.CorpID}, "redirect_uri": {"http://localhost:8080/after?x=1"}, "response_type": {"code"},
		"scope": {"snsapi_base"}, "state": {"s123"}, "agentid": {fmt.Sprint(emulator.DefaultAgentID)}}
	// The page lists the members.
	res, page := e.do(http.MethodGet, "/wecom/connect/oauth2/authorize", q, nil, "")
	if res.StatusCode != 200 || !strings.Contains(string(page), "张三") {
		t.Fatalf("authorize page: %d %s", res.StatusCode, page)
	}
	// Picking a member redirects with a code and the state.
	res, _ = e.do(http.MethodGet, "/wecom/connect/oauth2/authorize", with(q, "userid", "zhangsan"), nil, "")
	if res.StatusCode != http.StatusFound {
		t.Fatalf("pick: status %d", res.StatusCode)
	}
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil || loc.Host != "localhost:8080" || loc.Query().Get("state") != "s123" || loc.Query().Get("x") != "1" {
		t.Fatalf("redirect %q", res.Header.Get("Location"))
	}
	code := loc.Query().Get("code")
	r := e.get("/wecom/cgi-bin/auth/getuserinfo", with(tok(tk), "code", code))
	wantCode(t, "first use", r, 0)
	if r.str("userid") != "zhangsan" {
		t.Fatalf("userid = %q", r.str("userid"))
	}
	wantCode(t, "second use", e.get("/wecom/cgi-bin/auth/getuserinfo", with(tok(tk), "code", code)), 40029)

	// Legacy endpoint, capitalised fields; a code expires after 5 minutes.
	c2 := e.admin(http.MethodPost, "oauth/code", map[string]any{"platform": "wecom", "userid": "lisi"}).str("code")
	r = e.get("/wecom/cgi-bin/user/getuserinfo", with(tok(tk), "code", c2))
	if r.code() != 0 || r.str("UserId") != "lisi" {
		t.Fatalf("legacy getuserinfo: %v", r)
	}
	c3 := e.admin(http.MethodPost, "oauth/code", map[string]any{"platform": "wecom", "userid": "lisi"}).str("code")
	e.advance(5*time.Minute + time.Second)
	wantCode(t, "expired code", e.get("/wecom/cgi-bin/auth/getuserinfo", with(tok(e.wecomToken()), "code", c3)), 40029)
	wantCode(t, "missing code", e.get("/wecom/cgi-bin/auth/getuserinfo", tok(e.wecomToken())), 41008)

	// Bad authorize parameters get an error page, not a redirect.
	res, page = e.do(http.MethodGet, "/wecom/connect/oauth2/authorize", with(q, "appid", "wwnope", "userid", "zhangsan"), nil, "")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(page), "appid") {
		t.Fatalf("bad appid: %d %s", res.StatusCode, page)
	}
}

func TestMPOAuthFlow(t *testing.T) {
	e := start(t)
	mp := e.fx.MP
	openid := mp.Followers[0].OpenID
	q := url.Values{"appid": {mp.AppID}, "redirect_uri": {"https://h5.example.com/cb"}, "response_type": {"code"},
		"scope": {"snsapi_userinfo"}, "state": {"st"}, "openid": {openid}}
	res, _ := e.do(http.MethodGet, "/mp/connect/oauth2/authorize", q, nil, "")
	loc, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || loc == nil || loc.Query().Get("code") == "" {
		t.Fatalf("authorize: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	app := url.Values{"appid": {mp.AppID}, "secret": {mp.AppSecret}, "grant_type": {"authorization_code"}}
	r := e.get("/mp/sns/oauth2/access_token", with(app, "code", loc.Query().Get("code")))
	if r.code() != 0 || r.str("openid") != openid || r.str("scope") != "snsapi_userinfo" || r.str("refresh_token") == "" {
		t.Fatalf("sns access_token: %v", r)
	}
	wantCode(t, "code reuse", e.get("/mp/sns/oauth2/access_token", with(app, "code", loc.Query().Get("code"))), 40163)
	info := e.get("/mp/sns/userinfo", url.Values{"access_token": {r.str("access_token")}, "openid": {openid}, "lang": {"zh_CN"}})
	if info.code() != 0 || info.str("nickname") != mp.Followers[0].Nickname {
		t.Fatalf("userinfo: %v", info)
	}
	ref := e.get("/mp/sns/oauth2/refresh_token", url.Values{"appid": {mp.AppID}, "grant_type": {"refresh_token"}, "refresh_token": {r.str("refresh_token")}})
	if ref.code() != 0 || ref.str("access_token") == "" || ref.str("access_token") == r.str("access_token") {
		t.Fatalf("refresh: %v", ref)
	}
	// snsapi_base cannot read user info.
	base := e.admin(http.MethodPost, "oauth/code", map[string]any{"platform": "mp", "openid": openid, "scope": "snsapi_base"}).str("code")
	r = e.get("/mp/sns/oauth2/access_token", with(app, "code", base))
	wantCode(t, "base token", r, 0)
	wantCode(t, "userinfo with base scope", e.get("/mp/sns/userinfo", url.Values{"access_token": {r.str("access_token")}, "openid": {openid}}), 48001)
}

func upload(e *env, path string, q url.Values, field, name string, data []byte) resp {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, err := mw.CreateFormFile(field, name)
	if err != nil {
		e.t.Fatal(err)
	}
	w.Write(data)
	mw.Close()
	_, b := e.do(http.MethodPost, path, q, &buf, mw.FormDataContentType())
	return e.decode(b)
}

func TestMediaUploadGetRoundTrip(t *testing.T) {
	e := start(t)
	tk := e.wecomToken()
	data := []byte("%PDF-1.4 emulated file with 中文 content")
	r := upload(e, "/wecom/cgi-bin/media/upload", with(tok(tk), "type", "file"), "media", "报告.pdf", data)
	wantCode(t, "upload", r, 0)
	if _, isString := r["created_at"].(string); !isString || r.str("type") != "file" {
		t.Fatalf("WeCom created_at must be a string: %v", r)
	}
	id := r.str("media_id")
	res, body := e.do(http.MethodGet, "/wecom/cgi-bin/media/get", with(tok(tk), "media_id", id), nil, "")
	if res.StatusCode != 200 || !bytes.Equal(body, data) {
		t.Fatalf("media/get: %d %q", res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename") {
		t.Errorf("Content-disposition %q", cd)
	}
	// Range requests give 206.
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/wecom/cgi-bin/media/get?"+with(tok(tk), "media_id", id).Encode(), nil)
	req.Header.Set("Range", "bytes=0-3")
	rr, err := e.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(rr.Body)
	rr.Body.Close()
	if rr.StatusCode != http.StatusPartialContent || string(part) != "%PDF" {
		t.Fatalf("range: %d %q", rr.StatusCode, part)
	}
	// MP upload: created_at is a number, no errcode.
	m := upload(e, "/mp/cgi-bin/media/upload", with(tok(e.mpToken()), "type", "image"), "media", "a.png", []byte("\x89PNG\r\n\x1a\nxxxx"))
	if _, isNum := m["created_at"].(float64); !isNum || m.str("media_id") == "" {
		t.Fatalf("MP upload: %v", m)
	}
	// Errors.
	wantCode(t, "tiny file", upload(e, "/wecom/cgi-bin/media/upload", with(tok(tk), "type", "file"), "media", "a.txt", []byte("12345")), 40006)
	wantCode(t, "wrong field", upload(e, "/wecom/cgi-bin/media/upload", with(tok(tk), "type", "file"), "file", "a.txt", data), 41005)
	wantCode(t, "bad type", upload(e, "/wecom/cgi-bin/media/upload", with(tok(tk), "type", "gif"), "media", "a.txt", data), 40004)
	wantCode(t, "unknown media", e.get("/wecom/cgi-bin/media/get", with(tok(tk), "media_id", "nope")), 40007)
	// Expiry after 3 days: JSON error with HTTP 200.
	e.advance(72*time.Hour + time.Second)
	tk = e.wecomToken()
	res, body = e.do(http.MethodGet, "/wecom/cgi-bin/media/get", with(tok(tk), "media_id", id), nil, "")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("expired media: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	wantCode(t, "expired media", e.decode(body), 40007)
}

func TestMessageSend(t *testing.T) {
	e := start(t)
	tk := e.wecomToken()
	send := func(m map[string]any) resp {
		if _, ok := m["agentid"]; !ok {
			m["agentid"] = emulator.DefaultAgentID
		}
		return e.post("/wecom/cgi-bin/message/send", tok(tk), m)
	}
	text := map[string]any{"content": "你好"}
	r := send(map[string]any{"touser": "zhangsan|NoBody|lisi", "msgtype": "text", "text": text})
	wantCode(t, "partly invalid", r, 0)
	if r.str("invaliduser") != "nobody" || r.str("msgid") == "" {
		t.Fatalf("invaliduser %q msgid %q", r.str("invaliduser"), r.str("msgid"))
	}
	r = send(map[string]any{"touser": "ghost", "toparty": "99", "msgtype": "text", "text": text})
	wantCode(t, "all invalid", r, 81013)
	if r.str("invaliduser") != "ghost" || r.str("invalidparty") != "99" {
		t.Fatalf("all invalid: %v", r)
	}
	r = send(map[string]any{"touser": "@all", "toparty": "999", "msgtype": "text", "text": text})
	if r.code() != 0 || r.str("invalidparty") != "" {
		t.Fatalf("@all ignores toparty: %v", r)
	}
	r = send(map[string]any{"toparty": "2", "msgtype": "textcard", "textcard": map[string]any{"title": "t", "description": "d", "url": "https://x"}})
	wantCode(t, "party", r, 0)
	r = send(map[string]any{"touser": "zhangsan", "msgtype": "template_card", "template_card": map[string]any{"card_type": "button_interaction", "task_id": "t1"}})
	if r.code() != 0 || r.str("response_code") == "" {
		t.Fatalf("interactive card needs response_code: %v", r)
	}
	bad := []struct {
		name string
		msg  map[string]any
		code int
	}{
		{"unknown msgtype", map[string]any{"touser": "zhangsan", "msgtype": "sms"}, 40008},
		{"empty text", map[string]any{"touser": "zhangsan", "msgtype": "text", "text": map[string]any{"content": ""}}, 44004},
		{"unknown media", map[string]any{"touser": "zhangsan", "msgtype": "image", "image": map[string]any{"media_id": "x"}}, 40007},
		{"too many articles", map[string]any{"touser": "zhangsan", "msgtype": "news", "news": map[string]any{"articles": make([]map[string]any, 9)}}, 45008},
		{"missing agentid", map[string]any{"touser": "zhangsan", "msgtype": "text", "text": text, "agentid": nil}, 41011},
	}
	for _, b := range bad {
		wantCode(t, b.name, send(b.msg), b.code)
	}
	r = e.post("/wecom/cgi-bin/message/send", tok(tk), `{"touser":"zhangsan",`)
	wantCode(t, "malformed JSON", r, 47001)
	if !strings.Contains(r.str("errmsg"), "Warning: wrong json format.") {
		t.Errorf("errmsg %q", r.str("errmsg"))
	}
	ob := e.admin(http.MethodGet, "outbox", nil)
	msgs, _ := ob["messages"].([]any)
	if len(msgs) != 4 {
		t.Fatalf("outbox has %d messages, want 4: %v", len(msgs), ob)
	}
	first := msgs[0].(map[string]any)
	if got := fmt.Sprint(first["toUsers"]); got != "[lisi zhangsan]" {
		t.Errorf("first message delivered to %s", got)
	}
	if got := fmt.Sprint(msgs[1].(map[string]any)["toUsers"]); got != "[lisi wangwu zhangsan zhaoliu]" {
		t.Errorf("@all (without the not-activated sunqi) delivered to %s", got)
	}
	party := msgs[2].(map[string]any)
	if got := fmt.Sprint(party["toUsers"]); got != "[lisi zhangsan]" {
		t.Errorf("department 2 resolves to %s", got)
	}
}

func TestFaultsStatsAndClock(t *testing.T) {
	e := start(t)
	path := "/wecom/cgi-bin/gettoken"
	if r := e.admin(http.MethodPost, "faults", map[string]any{"path": path, "errcode": -1, "count": 2}); r["ok"] != true {
		t.Fatalf("inject: %v", r)
	}
	q := url.Values{"corpid": {e.fx.WeCom.CorpID}, "corpsecret": {e.fx.WeCom.Apps[0].Secret}}
	wantCode(t, "fault 1", e.get(path, q), -1)
	wantCode(t, "fault 2", e.get(path, q), -1)
	wantCode(t, "after faults", e.get(path, q), 0)

	e.admin(http.MethodPost, "faults", map[string]any{"path": path, "status": 502, "count": 1})
	res, _ := e.do(http.MethodGet, path, q, nil, "")
	if res.StatusCode != 502 {
		t.Fatalf("status fault: %d", res.StatusCode)
	}
	e.admin(http.MethodPost, "faults", map[string]any{"path": path, "delayMs": 30, "count": 1})
	begin := time.Now()
	wantCode(t, "delayed", e.get(path, q), 0)
	if time.Since(begin) < 30*time.Millisecond {
		t.Error("the delay fault did not delay")
	}
	e.admin(http.MethodPost, "faults", map[string]any{"path": path, "errcode": 42001, "count": 5})
	e.admin(http.MethodDelete, "faults", nil)
	wantCode(t, "after clearing", e.get(path, q), 0)
	if r := e.admin(http.MethodPost, "faults", map[string]any{"path": "/elsewhere", "errcode": 1}); r["ok"] != false {
		t.Fatalf("a fault outside the API must be refused: %v", r)
	}

	stats := e.admin(http.MethodGet, "stats", nil)
	calls := stats["calls"].(map[string]any)
	if calls[path] != float64(6) {
		t.Fatalf("stats for %s = %v, want 6 (%v)", path, calls[path], calls)
	}

	before := e.admin(http.MethodGet, "clock", nil)["now"].(float64)
	after := e.admin(http.MethodPost, "clock", map[string]any{"seconds": 3600})["now"].(float64)
	if after-before != 3600 {
		t.Fatalf("clock moved %v s, want 3600", after-before)
	}
}

func TestRateLimit(t *testing.T) {
	e := start(t, emulator.WithRateLimit("/wecom/cgi-bin/gettoken", 2, time.Minute))
	q := url.Values{"corpid": {e.fx.WeCom.CorpID}, "corpsecret": {e.fx.WeCom.Apps[0].Secret}}
	wantCode(t, "call 1", e.get("/wecom/cgi-bin/gettoken", q), 0)
	wantCode(t, "call 2", e.get("/wecom/cgi-bin/gettoken", q), 0)
	wantCode(t, "call 3", e.get("/wecom/cgi-bin/gettoken", q), 45009)
	e.advance(time.Minute)
	wantCode(t, "next window", e.get("/wecom/cgi-bin/gettoken", q), 0)
}

func TestTrustedIP(t *testing.T) {
	fx := emulator.DefaultFixture()
	fx.WeCom.Apps[0].TrustedIPs = []string{"10.0.0.0/8"}
	e := start(t, emulator.WithFixture(fx))
	r := e.get("/wecom/cgi-bin/gettoken", url.Values{"corpid": {fx.WeCom.CorpID}, "corpsecret": {fx.WeCom.Apps[0].Secret}})
	wantCode(t, "untrusted ip", r, 60020)
}

func TestUnknownPathAndPanicFreeBadInput(t *testing.T) {
	e := start(t)
	res, raw := e.do(http.MethodGet, "/wecom/cgi-bin/nope", nil, nil, "")
	if res.StatusCode != 200 || e.decode(raw).code() != 40066 {
		t.Fatalf("unknown path: %d %s", res.StatusCode, raw)
	}
	wt, mt := e.wecomToken(), e.mpToken()
	bodies := []string{"", "null", "[]", "{", `{"button":null}`, `{"touser":1}`, strings.Repeat("[", 10000), `{"tag":{"name":""}}`}
	for path, rt := range map[string]string{
		"/wecom/cgi-bin/message/send": wt, "/wecom/cgi-bin/menu/create": wt, "/mp/cgi-bin/qrcode/create": mt,
		"/mp/cgi-bin/message/template/send": mt, "/mp/cgi-bin/message/custom/send": mt, "/mp/cgi-bin/menu/create": mt,
		"/mp/cgi-bin/tags/create": mt, "/mp/cgi-bin/tags/members/batchtagging": mt, "/mp/cgi-bin/user/tag/get": mt,
	} {
		for _, b := range bodies {
			q := with(tok(rt), "agentid", fmt.Sprint(emulator.DefaultAgentID))
			res, raw := e.do(http.MethodPost, path, q, strings.NewReader(b), "application/json")
			r := e.decode(raw)
			if res.StatusCode != 200 || r.code() == 0 || r.code() == -1 {
				t.Errorf("%s with %.20q: status %d, answer %v", path, b, res.StatusCode, r)
			}
		}
	}
	// An oversized body is bounded.
	big := `{"touser":"zhangsan","msgtype":"text","agentid":1000002,"text":{"content":"` + strings.Repeat("x", 2<<20) + `"}}`
	wantCode(t, "oversized body", e.post("/wecom/cgi-bin/message/send", tok(wt), big), 45002)
}

func TestRecallCallbackIPAndPrivateInfo(t *testing.T) {
	e := start(t)
	tk := e.wecomToken()
	sent := e.post("/wecom/cgi-bin/message/send", tok(tk), map[string]any{"touser": "lisi", "msgtype": "text", "agentid": emulator.DefaultAgentID, "text": map[string]any{"content": "撤回我"}})
	wantCode(t, "recall", e.post("/wecom/cgi-bin/message/recall", tok(tk), map[string]any{"msgid": sent.str("msgid")}), 0)
	if ob := e.srv.Emulator().Outbox(); len(ob) != 1 || !ob[0].Recalled {
		t.Fatalf("outbox after recall: %+v", ob)
	}
	wantCode(t, "recall unknown", e.post("/wecom/cgi-bin/message/recall", tok(tk), map[string]any{"msgid": "1"}), 40058)
	if ip := e.get("/wecom/cgi-bin/getcallbackip", tok(tk)); ip.code() != 0 || ip["ip_list"] == nil {
		t.Fatalf("getcallbackip: %v", ip)
	}
	code := e.admin(http.MethodPost, "oauth/code", map[string]any{"userid": "zhangsan", "scope": "snsapi_privateinfo", "agentId": emulator.DefaultAgentID}).str("code")
	r := e.get("/wecom/cgi-bin/auth/getuserinfo", with(tok(tk), "code", code))
	if r.code() != 0 || r.str("user_ticket") == "" || r["expires_in"] != float64(1800) {
		t.Fatalf("privateinfo: %v", r)
	}
	// A non-member gets an openid.
	guest := "o" + strings.Repeat("x", 27)
	code = e.admin(http.MethodPost, "oauth/code", map[string]any{"userid": guest}).str("code")
	if r := e.get("/wecom/cgi-bin/auth/getuserinfo", with(tok(tk), "code", code)); r.str("openid") != guest || r.str("userid") != "" {
		t.Fatalf("non-member: %v", r)
	}
}

// TestServesEveryClientEndpoint is the contract with core/api: every
// endpoint its table lists is served here with the same method.
func TestServesEveryClientEndpoint(t *testing.T) {
	data, err := os.ReadFile("../api/endpoints.json")
	if err != nil {
		t.Fatalf("core/api/endpoints.json is the client's endpoint table; if it moved, update this test: %v", err)
	}
	var table struct {
		Endpoints []struct {
			Platform, Method, Path string
		} `json:"endpoints"`
	}
	if err := json.Unmarshal(data, &table); err != nil || len(table.Endpoints) < 10 {
		t.Fatalf("endpoints.json: %v (%d endpoints)", err, len(table.Endpoints))
	}
	e := start(t)
	for _, ep := range table.Endpoints {
		res, body := e.do(ep.Method, "/"+ep.Platform+ep.Path, nil, strings.NewReader("{}"), "application/json")
		var r resp
		_ = json.Unmarshal(body, &r)
		if res.StatusCode == http.StatusNotFound || r.code() == 40066 || r.code() == 43001 || r.code() == 43002 {
			t.Errorf("%s /%s%s: HTTP %d, answer %s", ep.Method, ep.Platform, ep.Path, res.StatusCode, body)
		}
	}
}

func TestPerMemberLimitDropsSilently(t *testing.T) {
	e := start(t)
	tk := e.wecomToken()
	msg := map[string]any{"touser": "wangwu|zhaoliu", "msgtype": "markdown", "agentid": emulator.DefaultAgentID, "markdown": map[string]any{"content": "**提醒**"}}
	for i := 0; i < 30; i++ {
		wantCode(t, "within the limit", e.post("/wecom/cgi-bin/message/send", tok(tk), msg), 0)
	}
	msg["touser"] = "wangwu|lisi"
	wantCode(t, "31st to wangwu is still ok", e.post("/wecom/cgi-bin/message/send", tok(tk), msg), 0)
	ob := e.srv.Emulator().Outbox()
	last := ob[len(ob)-1]
	if fmt.Sprint(last.ToUsers) != "[lisi]" || fmt.Sprint(last.Dropped) != "[wangwu]" {
		t.Fatalf("31st message: delivered %v, dropped %v", last.ToUsers, last.Dropped)
	}
	e.advance(time.Minute)
	wantCode(t, "next minute", e.post("/wecom/cgi-bin/message/send", tok(tk), msg), 0)
	ob = e.srv.Emulator().Outbox()
	if last := ob[len(ob)-1]; len(last.Dropped) != 0 {
		t.Fatalf("a minute later still dropped: %v", last.Dropped)
	}
}

func TestTokenTTLAndExpireAll(t *testing.T) {
	e := start(t, emulator.WithTokenTTL(10*time.Minute))
	r := e.get("/mp/cgi-bin/token", url.Values{"grant_type": {"client_credential"}, "appid": {e.fx.MP.AppID}, "secret": {e.fx.MP.AppSecret}})
	if r["expires_in"] != float64(600) {
		t.Fatalf("expires_in with a 10 minute TTL: %v", r["expires_in"])
	}
	wt := e.wecomToken()
	if r := e.admin(http.MethodPost, "tokens/expire", nil); r["ok"] != true {
		t.Fatalf("tokens/expire: %v", r)
	}
	wantCode(t, "wecom after expire", e.get("/wecom/cgi-bin/get_jsapi_ticket", tok(wt)), 42001)
	wantCode(t, "mp after expire", e.get("/mp/cgi-bin/ticket/getticket", with(tok(r.str("access_token")), "type", "jsapi")), 42001)
	if r := e.admin(http.MethodDelete, "stats", nil); r["ok"] != true || len(e.srv.Emulator().Stats()) != 0 {
		t.Fatalf("stats reset: %v", r)
	}
}

func TestMoreErrcodes(t *testing.T) {
	fx := emulator.DefaultFixture()
	fx.MP.IPWhitelist = []string{"192.0.2.1"}
	e := start(t, emulator.WithFixture(fx))
	wantCode(t, "mp token outside the whitelist", e.get("/mp/cgi-bin/token", url.Values{"grant_type": {"client_credential"}, "appid": {fx.MP.AppID}, "secret": {fx.MP.AppSecret}}), 40164)
	fx.MP.IPWhitelist = nil
	e = start(t, emulator.WithFixture(fx))
	wt := e.wecomToken()
	mt := e.mpToken()
	aq := with(tok(wt), "agentid", fmt.Sprint(emulator.DefaultAgentID))
	btn := func(b map[string]any) map[string]any { return map[string]any{"button": []any{b}} }
	long := strings.Repeat("长", 20)
	nonFollower := fx.MP.Followers[4].OpenID
	tests := []struct {
		name   string
		method string
		path   string
		q      url.Values
		body   any
		code   int
	}{
		{"menu: name too long", "POST", "/wecom/cgi-bin/menu/create", aq, btn(map[string]any{"type": "click", "name": long, "key": "k"}), 40018},
		{"menu: bad type", "POST", "/wecom/cgi-bin/menu/create", aq, btn(map[string]any{"type": "media_id", "name": "a", "media_id": "m"}), 40017},
		{"menu: view without url", "POST", "/wecom/cgi-bin/menu/create", aq, btn(map[string]any{"type": "view", "name": "a"}), 40020},
		{"menu: click without key", "POST", "/wecom/cgi-bin/menu/create", aq, btn(map[string]any{"type": "click", "name": "a"}), 40019},
		{"menu: six sub buttons", "POST", "/wecom/cgi-bin/menu/create", aq, btn(map[string]any{"name": "a", "sub_button": []any{
			map[string]any{"type": "click", "name": "1", "key": "1"}, map[string]any{"type": "click", "name": "2", "key": "2"},
			map[string]any{"type": "click", "name": "3", "key": "3"}, map[string]any{"type": "click", "name": "4", "key": "4"},
			map[string]any{"type": "click", "name": "5", "key": "5"}, map[string]any{"type": "click", "name": "6", "key": "6"}}}), 40023},
		{"menu: three levels", "POST", "/wecom/cgi-bin/menu/create", aq, btn(map[string]any{"name": "a", "sub_button": []any{
			map[string]any{"name": "b", "sub_button": []any{map[string]any{"type": "click", "name": "c", "key": "c"}}}}}), 40022},
		{"menu: mp media_id ok", "POST", "/mp/cgi-bin/menu/create", tok(mt), btn(map[string]any{"type": "media_id", "name": "a", "media_id": "m"}), 0},
		{"menu: wrong agent", "POST", "/wecom/cgi-bin/menu/create", with(tok(wt), "agentid", "7"), btn(map[string]any{"type": "click", "name": "a", "key": "k"}), 40056},
		{"ticket: wrong type", "GET", "/wecom/cgi-bin/ticket/get", with(tok(wt), "type", "jsapi"), nil, 40058},
		{"mp ticket: wrong type", "GET", "/mp/cgi-bin/ticket/getticket", with(tok(mt), "type", "x"), nil, 40097},
		{"user/get: missing userid", "GET", "/wecom/cgi-bin/user/get", tok(wt), nil, 41009},
		{"user/get: unknown", "GET", "/wecom/cgi-bin/user/get", with(tok(wt), "userid", "ghost"), nil, 60111},
		{"user/info: unknown", "GET", "/mp/cgi-bin/user/info", with(tok(mt), "openid", "ox"), nil, 40003},
		{"user/get: bad next_openid", "GET", "/mp/cgi-bin/user/get", with(tok(mt), "next_openid", "ox"), nil, 40003},
		{"refresh: unknown", "GET", "/mp/sns/oauth2/refresh_token", url.Values{"appid": {fx.MP.AppID}, "grant_type": {"refresh_token"}, "refresh_token": {"x"}}, nil, 40030},
		{"refresh: bad grant", "GET", "/mp/sns/oauth2/refresh_token", url.Values{"appid": {fx.MP.AppID}, "grant_type": {"x"}}, nil, 40002},
		{"sns: bad secret", "GET", "/mp/sns/oauth2/access_token", url.Values{"appid": {fx.MP.AppID}, "secret": {"x"}, "code": {"c"}, "grant_type": {"authorization_code"}}, nil, 40125},
		{"userinfo: unknown token", "GET", "/mp/sns/userinfo", url.Values{"access_token": {"x"}, "openid": {"o"}}, nil, 40001},
		{"qrcode: bad action", "POST", "/mp/cgi-bin/qrcode/create", tok(mt), map[string]any{"action_name": "QR_X"}, 40097},
		{"qrcode: permanent id out of range", "POST", "/mp/cgi-bin/qrcode/create", tok(mt), map[string]any{"action_name": "QR_LIMIT_SCENE", "action_info": map[string]any{"scene": map[string]any{"scene_id": 100001}}}, 40097},
		{"qrcode: permanent str ok", "POST", "/mp/cgi-bin/qrcode/create", tok(mt), map[string]any{"action_name": "QR_LIMIT_STR_SCENE", "action_info": map[string]any{"scene": map[string]any{"scene_str": "s"}}}, 0},
		{"tags: update reserved", "POST", "/mp/cgi-bin/tags/update", tok(mt), map[string]any{"tag": map[string]any{"id": 1, "name": "x"}}, 45058},
		{"tags: update unknown", "POST", "/mp/cgi-bin/tags/update", tok(mt), map[string]any{"tag": map[string]any{"id": 999, "name": "x"}}, 45159},
		{"tags: update name taken", "POST", "/mp/cgi-bin/tags/update", tok(mt), map[string]any{"tag": map[string]any{"id": 100, "name": "测试组"}}, 45157},
		{"tags: update ok", "POST", "/mp/cgi-bin/tags/update", tok(mt), map[string]any{"tag": map[string]any{"id": 100, "name": "重要客户"}}, 0},
		{"tags: name too long", "POST", "/mp/cgi-bin/tags/create", tok(mt), map[string]any{"tag": map[string]any{"name": long}}, 45158},
		{"tags: untag", "POST", "/mp/cgi-bin/tags/members/batchuntagging", tok(mt), map[string]any{"openid_list": []string{fx.MP.Followers[0].OpenID}, "tagid": 100}, 0},
		{"tags: tag unknown openid", "POST", "/mp/cgi-bin/tags/members/batchtagging", tok(mt), map[string]any{"openid_list": []string{"ox"}, "tagid": 100}, 40003},
		{"tags: empty list", "POST", "/mp/cgi-bin/tags/members/batchtagging", tok(mt), map[string]any{"openid_list": []string{}, "tagid": 100}, 40032},
		{"template: non-follower", "POST", "/mp/cgi-bin/message/template/send", tok(mt), map[string]any{"touser": nonFollower, "template_id": fx.MP.Templates[0].ID}, 40003},
		{"custom: unknown msgtype", "POST", "/mp/cgi-bin/message/custom/send", tok(mt), map[string]any{"touser": fx.MP.Followers[0].OpenID, "msgtype": "sms"}, 40008},
		{"custom: empty text", "POST", "/mp/cgi-bin/message/custom/send", tok(mt), map[string]any{"touser": fx.MP.Followers[0].OpenID, "msgtype": "text", "text": map[string]any{}}, 44004},
		{"wecom token on mp", "GET", "/mp/cgi-bin/user/get", tok(wt), nil, 40014},
		{"mp token on wecom", "GET", "/wecom/cgi-bin/user/get", with(tok(mt), "userid", "lisi"), nil, 40014},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r resp
			if tt.method == "GET" {
				r = e.get(tt.path, tt.q)
			} else {
				r = e.post(tt.path, tt.q, tt.body)
			}
			wantCode(t, tt.name, r, tt.code)
		})
	}
	if r := e.get("/mp/cgi-bin/user/info", with(tok(mt), "openid", nonFollower)); r["subscribe"] != float64(0) || len(r) != 2 {
		t.Fatalf("user/info of a non-follower: %v", r)
	}
}

func TestMPStableToken(t *testing.T) {
	e := start(t)
	body := map[string]any{"grant_type": "client_credential", "appid": e.fx.MP.AppID, "secret": e.fx.MP.AppSecret}
	a := e.post("/mp/cgi-bin/stable_token", nil, body)
	b := e.post("/mp/cgi-bin/stable_token", nil, body)
	if a.str("access_token") == "" || a.str("access_token") != b.str("access_token") {
		t.Fatalf("stable_token must repeat while valid: %v / %v", a, b)
	}
	// Isolated from cgi-bin/token: a new ordinary token does not touch it.
	e.mpToken()
	e.mpToken()
	e.advance(6 * time.Minute)
	wantCode(t, "stable token after cgi-bin/token calls", e.get("/mp/cgi-bin/ticket/getticket", with(tok(a.str("access_token")), "type", "jsapi")), 0)
	body["force_refresh"] = true
	c := e.post("/mp/cgi-bin/stable_token", nil, body)
	if c.str("access_token") == "" || c.str("access_token") == a.str("access_token") {
		t.Fatalf("force_refresh must issue a new token: %v", c)
	}
	wantCode(t, "old stable token after force_refresh", e.get("/mp/cgi-bin/ticket/getticket", with(tok(a.str("access_token")), "type", "jsapi")), 40001)
	for i := 0; i < 19; i++ {
		e.post("/mp/cgi-bin/stable_token", nil, body)
	}
	wantCode(t, "21st force_refresh in a day", e.post("/mp/cgi-bin/stable_token", nil, body), 45009)
	body["secret"] = "wrong"
	wantCode(t, "bad secret", e.post("/mp/cgi-bin/stable_token", nil, body), 40125)
}
