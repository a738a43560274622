package emulator_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/message"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// suiteSink is a suite callback URL that decrypts with receiveid = SuiteID
// and keeps what it got.
type suiteSink struct {
	URL   string
	mu    sync.Mutex
	infos []*message.SuiteInfo
}

func newSuiteSink(t *testing.T, su emulator.Suite) *suiteSink {
	t.Helper()
	c, err := wxcrypt.New(su.Token, su.EncodingAESKey, su.SuiteID)
	if err != nil {
		t.Fatal(err)
	}
	k := &suiteSink{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		q := r.URL.Query()
		plain, err := c.DecryptBody(q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce"), body)
		if err != nil {
			t.Errorf("suite push does not decrypt with receiveid = SuiteID: %v", err)
			return
		}
		m, err := message.Parse(plain)
		if err != nil {
			t.Errorf("suite push: %v", err)
			return
		}
		info, _ := m.Body.(*message.SuiteInfo)
		if info == nil {
			t.Errorf("suite push body %T", m.Body)
			return
		}
		k.mu.Lock()
		k.infos = append(k.infos, info)
		k.mu.Unlock()
		io.WriteString(w, message.SuiteAck)
	}))
	t.Cleanup(srv.Close)
	k.URL = srv.URL
	return k
}

func (k *suiteSink) count(infoType string) int {
	k.mu.Lock()
	defer k.mu.Unlock()
	n := 0
	for _, i := range k.infos {
		if i.InfoType == infoType {
			n++
		}
	}
	return n
}

const (
	svcSuiteToken  = "/wecom/cgi-bin/service/get_suite_token"
	svcPreAuth     = "/wecom/cgi-bin/service/get_pre_auth_code"
	svcSession     = "/wecom/cgi-bin/service/set_session_info"
	svcPermanent   = "/wecom/cgi-bin/service/get_permanent_code"
	svcAuthInfo    = "/wecom/cgi-bin/service/get_auth_info"
	svcCorpToken   = "/wecom/cgi-bin/service/get_corp_token"
	svcUserInfo3rd = "/wecom/cgi-bin/service/auth/getuserinfo3rd"
)

func suiteTok(t string) url.Values { return url.Values{"suite_access_token": {t}} }

// TestSuiteErrcodes walks the provider platform's errors over HTTP with the
// emulated clock: unknown suite, wrong secret, forged and expired tickets,
// expired suite token, unknown and expired pre_auth_code, an auth_code used
// twice or too late, a permanent code of a cancelled grant.
func TestSuiteErrcodes(t *testing.T) {
	e := start(t)
	su := e.fx.Suites[0]
	sink := newSuiteSink(t, su)
	body := func(ticket string) map[string]any {
		return map[string]any{"suite_id": su.SuiteID, "suite_secret": su.Secret, "suite_ticket": ticket}
	}
	wantCode(t, "unknown suite", e.post(svcSuiteToken, nil, map[string]any{"suite_id": "wwnope", "suite_secret": su.Secret, "suite_ticket": "x"}), 40083)
	wantCode(t, "wrong secret", e.post(svcSuiteToken, nil, map[string]any{"suite_id": su.SuiteID, "suite_secret": "nope", "suite_ticket": "x"}), 40001)
	wantCode(t, "forged ticket", e.post(svcSuiteToken, nil, body("forged")), 40085)
	wantCode(t, "GET", e.get(svcSuiteToken, nil), 43002)

	r := e.admin(http.MethodPost, "suite/ticket", map[string]any{"url": sink.URL})
	if r["ok"] != true || sink.count("suite_ticket") != 1 {
		t.Fatalf("ticket push: %v", r)
	}
	ticket := r.str("suiteTicket")
	st := e.post(svcSuiteToken, nil, body(ticket))
	wantCode(t, "pushed ticket", st, 0)
	tk := st.str("suite_access_token")
	if st["expires_in"] != float64(7200) {
		t.Fatalf("suite token expires_in %v", st["expires_in"])
	}
	wantCode(t, "suite token as access_token", e.get("/wecom/cgi-bin/user/get", with(tok(tk), "userid", "zhangsan")), 40014)
	wantCode(t, "missing suite token", e.get(svcPreAuth, nil), 41001)
	wantCode(t, "corp token as suite token", e.get(svcPreAuth, suiteTok(e.wecomToken())), 40082)

	pre := e.get(svcPreAuth, suiteTok(tk))
	wantCode(t, "pre_auth_code", pre, 0)
	wantCode(t, "session for an unknown code", e.post(svcSession, suiteTok(tk), map[string]any{"pre_auth_code": "nope", "session_info": map[string]any{"auth_type": 1}}), 40077)
	wantCode(t, "bad auth_type", e.post(svcSession, suiteTok(tk), map[string]any{"pre_auth_code": pre.str("pre_auth_code"), "session_info": map[string]any{"auth_type": 7}}), 40058)

	e.advance(1201 * time.Second)
	wantCode(t, "expired pre_auth_code", e.post(svcSession, suiteTok(tk), map[string]any{"pre_auth_code": pre.str("pre_auth_code"), "session_info": map[string]any{"auth_type": 1}}), 42007)
	if r := e.admin(http.MethodPost, "suite/install", map[string]any{"preAuthCode": pre.str("pre_auth_code"), "url": sink.URL}); r["ok"] == true || !strings.Contains(r.str("error"), "expired") {
		t.Fatalf("install with an expired pre_auth_code: %v", r)
	}

	// A ticket lives 30 minutes.
	e.advance(30 * time.Minute)
	wantCode(t, "expired ticket", e.post(svcSuiteToken, nil, body(ticket)), 40085)

	ins := e.admin(http.MethodPost, "suite/install", map[string]any{"state": "abc", "url": sink.URL})
	if ins["ok"] != true || sink.count("create_auth") != 1 {
		t.Fatalf("install: %v", ins)
	}
	code := ins.str("authCode")
	perm := e.post(svcPermanent, suiteTok(tk), map[string]any{"auth_code": code})
	wantCode(t, "permanent code", perm, 0)
	if perm["state"] != "abc" || perm.str("permanent_code") == "" || perm.str("access_token") == "" {
		t.Fatalf("permanent code answer: %v", perm)
	}
	used := e.post(svcPermanent, suiteTok(tk), map[string]any{"auth_code": code})
	wantCode(t, "auth_code twice", used, 40078)
	if !strings.Contains(used.str("errmsg"), "already used") {
		t.Fatalf("errmsg %q does not say the code was used", used.str("errmsg"))
	}
	late := e.admin(http.MethodPost, "suite/install", map[string]any{"url": sink.URL}).str("authCode")
	e.advance(10*time.Minute + time.Second)
	wantCode(t, "auth_code after 10 minutes", e.post(svcPermanent, suiteTok(tk), map[string]any{"auth_code": late}), 40078)

	grant := map[string]any{"auth_corpid": e.fx.WeCom.CorpID, "permanent_code": perm.str("permanent_code")}
	wantCode(t, "auth info", e.post(svcAuthInfo, suiteTok(tk), grant), 0)
	wantCode(t, "wrong permanent code", e.post(svcCorpToken, suiteTok(tk), map[string]any{"auth_corpid": e.fx.WeCom.CorpID, "permanent_code": "nope"}), 40084)
	ct := e.post(svcCorpToken, suiteTok(tk), grant)
	wantCode(t, "corp token", ct, 0)
	corpTok := ct.str("access_token")
	wantCode(t, "corp token reads a member", e.get("/wecom/cgi-bin/user/get", with(tok(corpTok), "userid", "zhangsan")), 0)
	wantCode(t, "corp jsapi ticket", e.get("/wecom/cgi-bin/get_jsapi_ticket", tok(corpTok)), 0)

	// Third-party web authorization: appid = SuiteID, the code is the
	// suite app's and getuserinfo3rd reads it once.
	oauth := url.Values{"appid": {su.SuiteID}, "redirect_uri": {"https://h5.example.com/cb"}, "response_type": {"code"}, "scope": {"snsapi_base"}, "state": {"s"}, "userid": {"lisi"}}
	res, _ := e.do(http.MethodGet, "/wecom/connect/oauth2/authorize", oauth, nil, "")
	loc, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || loc == nil || loc.Query().Get("code") == "" {
		t.Fatalf("authorize with appid = SuiteID: %d %v", res.StatusCode, res.Header.Get("Location"))
	}
	ui := e.get(svcUserInfo3rd, with(suiteTok(tk), "code", loc.Query().Get("code")))
	wantCode(t, "getuserinfo3rd", ui, 0)
	if ui.str("userid") != "lisi" || ui.str("corpid") != e.fx.WeCom.CorpID || !strings.HasPrefix(ui.str("open_userid"), "wo") {
		t.Fatalf("getuserinfo3rd: %v", ui)
	}
	wantCode(t, "getuserinfo3rd twice", e.get(svcUserInfo3rd, with(suiteTok(tk), "code", loc.Query().Get("code"))), 40029)
	selfBuilt := e.admin(http.MethodPost, "oauth/code", map[string]any{"userid": "lisi", "agentId": e.fx.WeCom.Apps[0].AgentID}).str("code")
	wantCode(t, "a self-built app's code", e.get(svcUserInfo3rd, with(suiteTok(tk), "code", selfBuilt)), 40029)

	if r := e.admin(http.MethodPost, "suite/change", map[string]any{"url": sink.URL}); r["ok"] != true || sink.count("change_auth") != 1 {
		t.Fatalf("change_auth: %v", r)
	}
	if r := e.admin(http.MethodPost, "suite/cancel", map[string]any{"url": sink.URL}); r["ok"] != true || sink.count("cancel_auth") != 1 {
		t.Fatalf("cancel: %v", r)
	}
	state := e.srv.Emulator().State()
	if len(state.Suites) != 1 || state.Suites[0].SuiteAccessToken == nil || state.Suites[0].SuiteAccessToken.Value != tk || len(state.Suites[0].Grants) != 1 || !state.Suites[0].Grants[0].Cancelled {
		t.Fatalf("state after cancel: %+v", state.Suites)
	}
	wantCode(t, "corp token after cancel", e.post(svcCorpToken, suiteTok(tk), grant), 40084)
	if res, _ := e.do(http.MethodGet, "/wecom/connect/oauth2/authorize", oauth, nil, ""); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("authorize for a cancelled suite: HTTP %d", res.StatusCode)
	}
	wantCode(t, "old corp token after cancel", e.get("/wecom/cgi-bin/user/get", with(tok(corpTok), "userid", "zhangsan")), 40014)
	if r := e.admin(http.MethodPost, "suite/cancel", map[string]any{"url": sink.URL}); r["ok"] == true {
		t.Fatalf("a second cancel: %v", r)
	}

	e.advance(2 * time.Hour)
	wantCode(t, "expired suite token", e.get(svcPreAuth, suiteTok(tk)), 42009)
}

// TestSuiteTicketSchedule: a Server pushes a suite_ticket on its interval
// and stops when it shuts down.
func TestSuiteTicketSchedule(t *testing.T) {
	fx := emulator.DefaultFixture()
	sink := newSuiteSink(t, fx.Suites[0])
	fx.Suites[0].CallbackURL = sink.URL
	srv, err := emulator.Start("127.0.0.1:0", emulator.WithFixture(fx), emulator.WithSuiteTicketInterval(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for sink.count("suite_ticket") < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("%d suite_ticket pushes in 10 s at a 20 ms interval", sink.count("suite_ticket"))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	n := sink.count("suite_ticket")
	time.Sleep(100 * time.Millisecond)
	if m := sink.count("suite_ticket"); m != n {
		t.Fatalf("%d pushes after Close", m-n)
	}
}

func TestSuiteFixtureValidation(t *testing.T) {
	fx := emulator.DefaultFixture()
	fx.Suites = append(fx.Suites, fx.Suites[0])
	fx.Suites[1].EncodingAESKey = "short"
	fx.Suites[1].AgentID = fx.WeCom.Apps[0].AgentID
	err := fx.Validate()
	for _, want := range []string{"suites[1].suiteId is empty or used twice", "suites[1] needs a token", "suites[1].agentId"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate: %v, want %q", err, want)
		}
	}
}

// TestSuiteStatePersists: tickets and grants survive a restart with a
// data dir.
func TestSuiteStatePersists(t *testing.T) {
	dir := t.TempDir()
	fx := emulator.DefaultFixture()
	sink := newSuiteSink(t, fx.Suites[0])
	e1, err := emulator.New(emulator.WithDataDir(dir), emulator.WithFixture(fx))
	if err != nil {
		t.Fatal(err)
	}
	p, err := e1.PushSuiteTicket(t.Context(), "", sink.URL)
	if err != nil || p.Result.Status != http.StatusOK {
		t.Fatalf("push: %+v %v", p, err)
	}
	e1.Flush()
	e2, err := emulator.New(emulator.WithDataDir(dir), emulator.WithFixture(fx))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e2)
	defer srv.Close()
	b := `{"suite_id":"` + fx.Suites[0].SuiteID + `","suite_secret":"` + fx.Suites[0].Secret + `","suite_ticket":"` + p.SuiteTicket + `"}`
	res, err := http.Post(srv.URL+svcSuiteToken, "application/json", strings.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(out), `"errcode":0`) {
		t.Fatalf("ticket after a restart: %s", out)
	}
}
