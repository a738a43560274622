package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/jssdk"
	"github.com/wwkit/wwkit/core/message"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// suiteReceiver is a suite instruction callback URL (指令回调) as a provider
// runs it: it decrypts with receiveid = SuiteID, stores suite_tickets in the
// Suite client and records the other InfoTypes.
type suiteReceiver struct {
	t     *testing.T
	URL   string
	crypt *wxcrypt.Crypt
	suite *api.Suite

	mu    sync.Mutex
	infos []*message.SuiteInfo
}

func newSuiteReceiver(t *testing.T, su emulator.Suite, s *api.Suite) *suiteReceiver {
	t.Helper()
	c, err := wxcrypt.New(su.Token, su.EncodingAESKey, su.SuiteID)
	if err != nil {
		t.Fatal(err)
	}
	r := &suiteReceiver{t: t, crypt: c, suite: s}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		q := req.URL.Query()
		plain, err := c.DecryptBody(q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce"), body)
		if err != nil {
			t.Errorf("suite callback does not decrypt with receiveid = SuiteID: %v", err)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		m, err := message.Parse(plain)
		if err != nil {
			t.Errorf("suite callback does not parse: %v", err)
			return
		}
		info, ok := m.Body.(*message.SuiteInfo)
		if !ok {
			t.Errorf("suite callback body is %T, want *message.SuiteInfo", m.Body)
			return
		}
		if info.InfoType == message.InfoSuiteTicket && r.suite != nil {
			if err := r.suite.SetTicket(req.Context(), info.SuiteTicket); err != nil {
				t.Errorf("SetTicket: %v", err)
			}
		}
		r.mu.Lock()
		r.infos = append(r.infos, info)
		r.mu.Unlock()
		io.WriteString(w, message.SuiteAck)
	}))
	t.Cleanup(srv.Close)
	r.URL = srv.URL
	return r
}

func (r *suiteReceiver) last(infoType string) *message.SuiteInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.infos) - 1; i >= 0; i-- {
		if r.infos[i].InfoType == infoType {
			return r.infos[i]
		}
	}
	return nil
}

// adminPost calls the emulator's admin API over HTTP.
func adminPost(t *testing.T, s *emulator.Server, path string, body any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(s.URL+"/__emulator/"+path, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if out["ok"] != true {
		t.Fatalf("admin %s: %v", path, out)
	}
	return out
}

// startSuite starts an emulator, a Suite client on it and its callback
// receiver, wired as the fixture's suite callback URL.
func startSuite(t *testing.T, opts ...api.Option) (*emulator.Server, *api.Suite, *suiteReceiver) {
	t.Helper()
	fx := emulator.DefaultFixture()
	fx.Suites[0].TrustedDomains = []string{"h5.example.com"}
	s := startEmulator(t, emulator.WithFixture(fx))
	su := fx.Suites[0]
	suite, err := api.NewSuite(api.SuiteApp{SuiteID: su.SuiteID, Secret: su.Secret}, append([]api.Option{api.WithBaseURL(s.WeComBaseURL())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	recv := newSuiteReceiver(t, su, suite)
	return s, suite, recv
}

// TestSuiteFlow runs the third-party flow over HTTP against the emulator:
// suite_ticket push → suite_access_token → pre-auth code and test session
// → install (create_auth with auth_code and state) → permanent code →
// auth info → corp token → corp tickets whose signatures the emulator's
// wx.config / wx.agentConfig verifier accepts → cancel_auth.
func TestSuiteFlow(t *testing.T) {
	s, suite, recv := startSuite(t)
	ctx := context.Background()

	_, err := suite.AccessToken(ctx)
	if !errors.Is(err, api.ErrNoSuiteTicket) || !strings.Contains(err.Error(), "no suite_ticket yet: the provider platform pushes one every 10 minutes to the suite callback URL; check it is reachable") {
		t.Fatalf("before any push: %v", err)
	}
	if n := s.Emulator().Stats()["/wecom/cgi-bin/service/get_suite_token"]; n != 0 {
		t.Fatalf("get_suite_token called %d times without a ticket", n)
	}

	adminPost(t, s, "suite/ticket", map[string]any{"url": recv.URL})
	if info := recv.last(message.InfoSuiteTicket); info == nil || info.SuiteID != suite.SuiteID() || info.SuiteTicket == "" {
		t.Fatalf("suite_ticket push: %+v", info)
	}
	tok, err := suite.AccessToken(ctx)
	if err != nil || tok.Value == "" {
		t.Fatalf("suite_access_token: %v", err)
	}

	pre, err := suite.GetPreAuthCode(ctx)
	if err != nil || pre.PreAuthCode == "" || pre.ExpiresIn != 1200 {
		t.Fatalf("pre_auth_code: %+v %v", pre, err)
	}
	if _, err := suite.SetSessionInfo(ctx, &api.SessionInfoRequest{PreAuthCode: pre.PreAuthCode, SessionInfo: api.SessionInfo{AuthType: 1}}); err != nil {
		t.Fatalf("set_session_info: %v", err)
	}
	if _, err := suite.SetSessionInfo(ctx, &api.SessionInfoRequest{PreAuthCode: "nope", SessionInfo: api.SessionInfo{AuthType: 1}}); !api.IsCode(err, 40077) {
		t.Fatalf("set_session_info with an unknown pre_auth_code: %v, want 40077", err)
	}
	link, err := api.InstallURL(suite.SuiteID(), pre.PreAuthCode, "https://h5.example.com/installed?x=1", "s1")
	if err != nil || !strings.HasPrefix(link, "https://open.work.weixin.qq.com/3rdapp/install?suite_id="+suite.SuiteID()+"&pre_auth_code="+pre.PreAuthCode+"&redirect_uri=https%3A%2F%2Fh5.example.com%2Finstalled%3Fx%3D1&state=s1") {
		t.Fatalf("install URL %q, %v", link, err)
	}

	adminPost(t, s, "suite/install", map[string]any{"preAuthCode": pre.PreAuthCode, "state": "s1", "url": recv.URL})
	created := recv.last(message.InfoCreateAuth)
	if created == nil || created.AuthCode == "" || created.State != "s1" {
		t.Fatalf("create_auth push: %+v", created)
	}
	pc, err := suite.GetPermanentCode(ctx, &api.AuthCodeBody{AuthCode: created.AuthCode})
	if err != nil || pc.PermanentCode == "" || pc.AuthCorpInfo.CorpID == "" || len(pc.AuthInfo.Agent) != 1 || pc.State != "s1" {
		t.Fatalf("permanent code: %+v %v", pc, err)
	}
	_, err = suite.GetPermanentCode(ctx, &api.AuthCodeBody{AuthCode: created.AuthCode})
	var apiErr *api.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 40078 || !strings.Contains(err.Error(), "already used") {
		t.Fatalf("auth_code used twice: %v, want 40078 saying it was used", err)
	}
	if n := s.Emulator().Stats()["/wecom/cgi-bin/service/get_permanent_code"]; n != 2 {
		t.Fatalf("get_permanent_code called %d times; a single-use code must not be resent", n)
	}
	corpID, agentID := pc.AuthCorpInfo.CorpID, pc.AuthInfo.Agent[0].AgentID
	info, err := suite.GetAuthInfo(ctx, &api.AuthCorpBody{AuthCorpID: corpID, PermanentCode: pc.PermanentCode})
	if err != nil || info.AuthInfo.Agent[0].AgentID != agentID {
		t.Fatalf("auth info: %+v %v", info, err)
	}

	corp, err := suite.Corp(corpID, pc.PermanentCode, agentID)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := corp.GetUser(ctx, "zhangsan"); err != nil || u.Name == "" {
		t.Fatalf("user/get with the corp token: %+v %v", u, err)
	}
	// The member who opens the suite's page (OAuth with appid = SuiteID).
	codeResp := adminPost(t, s, "oauth/code", map[string]any{"userid": "zhangsan", "agentId": agentID})
	who, err := suite.GetUserInfo3rd(ctx, codeResp["code"].(string))
	if err != nil || who.UserID != "zhangsan" || who.CorpID != corpID || who.OpenUserID == "" {
		t.Fatalf("getuserinfo3rd: %+v %v", who, err)
	}
	if _, err := suite.GetUserInfo3rd(ctx, codeResp["code"].(string)); !api.IsCode(err, 40029) {
		t.Fatalf("a code used twice: %v, want 40029", err)
	}
	// A second client for the same corp shares the cached corp token.
	again, err := suite.Corp(corpID, pc.PermanentCode, agentID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := again.GetUser(ctx, "lisi"); err != nil {
		t.Fatal(err)
	}
	if n := s.Emulator().Stats()["/wecom/cgi-bin/service/get_corp_token"]; n != 1 {
		t.Fatalf("two clients of one corp made %d get_corp_token calls, want 1", n)
	}
	page := "https://h5.example.com/app?corp=" + corpID
	for _, tc := range []struct {
		api    string
		ticket func(context.Context) (string, error)
	}{
		{"config", func(ctx context.Context) (string, error) { r, err := corp.JSAPITicket(ctx); return r.Value, err }},
		{"agentConfig", func(ctx context.Context) (string, error) { r, err := corp.AgentTicket(ctx); return r.Value, err }},
	} {
		ticket, err := tc.ticket(ctx)
		if err != nil {
			t.Fatalf("%s ticket: %v", tc.api, err)
		}
		ts := s.Emulator().Now().Unix()
		agent, _ := json.Marshal(agentID)
		tsJSON, _ := json.Marshal(ts)
		res := s.Emulator().VerifyJSSDK(emulator.VerifyRequest{API: tc.api, URL: page + "#top", AppID: corpID, CorpID: corpID, AgentID: agent,
			Timestamp: tsJSON, NonceStr: "n0nce", Signature: jssdk.Sign(ticket, "n0nce", ts, page)})
		if !res.OK {
			t.Fatalf("wx.%s for the authorised corp: %+v", tc.api, res)
		}
	}

	adminPost(t, s, "suite/cancel", map[string]any{"url": recv.URL})
	if c := recv.last(message.InfoCancelAuth); c == nil || c.AuthCorpID != corpID {
		t.Fatalf("cancel_auth push: %+v", c)
	}
	_, err = suite.GetCorpToken(ctx, corpID, pc.PermanentCode)
	if !api.IsCode(err, 40084) || !strings.Contains(err.Error(), "cancelled") {
		t.Fatalf("get_corp_token after cancel_auth: %v, want 40084 naming the cancellation", err)
	}
	if _, err := corp.GetUser(ctx, "zhangsan"); err == nil {
		t.Fatal("the corp token still works after cancel_auth")
	}
}

func TestSuiteTicketErrors(t *testing.T) {
	s, suite, recv := startSuite(t)
	ctx := context.Background()
	if err := suite.SetTicket(ctx, "bad ticket"); err == nil {
		t.Fatal("a ticket with a space was stored")
	}
	// A ticket the platform never issued: 40085, and nothing cached.
	if err := suite.SetTicket(ctx, "forged-ticket-0123456789"); err != nil {
		t.Fatal(err)
	}
	if _, err := suite.AccessToken(ctx); !api.IsCode(err, 40085) {
		t.Fatalf("forged ticket: %v, want 40085", err)
	}
	// The pushed one replaces it and works.
	adminPost(t, s, "suite/ticket", map[string]any{"url": recv.URL})
	if _, err := suite.AccessToken(ctx); err != nil {
		t.Fatalf("after a push: %v", err)
	}
	// A wrong secret is refused before the ticket is looked at.
	bad, err := api.NewSuite(api.SuiteApp{SuiteID: suite.SuiteID(), Secret: "wrong-secret-0123"}, api.WithBaseURL(s.WeComBaseURL()))
	if err != nil {
		t.Fatal(err)
	}
	tk, _ := suite.Ticket(ctx)
	if err := bad.SetTicket(ctx, tk); err != nil {
		t.Fatal(err)
	}
	if _, err := bad.AccessToken(ctx); !api.IsCode(err, 40001) {
		t.Fatalf("wrong suite secret: %v, want 40001", err)
	}
	if _, err := api.NewSuite(api.SuiteApp{SuiteID: "ww1", Secret: "s"}, api.WithTokenProvider(suite.Tokens())); err == nil || !strings.Contains(err.Error(), "WithTokenProvider") {
		t.Fatalf("a token provider on a Suite: %v", err)
	}
	if _, err := api.NewSuite(api.SuiteApp{SuiteID: "ww1"}); err == nil || !strings.Contains(err.Error(), "suite_secret") {
		t.Fatalf("missing secret: %v", err)
	}
}

func TestInstallURLErrors(t *testing.T) {
	for _, tc := range []struct{ suite, pre, redirect, state string }{
		{"", "p", "https://a.example.com/", ""},
		{"ww1", "", "https://a.example.com/", ""},
		{"ww1", "p", "a.example.com/cb", ""},
		{"ww1", "p", "https://a.example.com/", "bad state"},
		{"ww1", "p", "https://a.example.com/", strings.Repeat("s", 129)},
	} {
		if u, err := api.InstallURL(tc.suite, tc.pre, tc.redirect, tc.state); err == nil {
			t.Errorf("InstallURL(%q,%q,%q,%q) = %q, want an error", tc.suite, tc.pre, tc.redirect, tc.state, u)
		}
	}
}
