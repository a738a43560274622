package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/token"
)

// startEmulator serves a fresh emulator on loopback for the test.
func startEmulator(t *testing.T, opts ...emulator.Option) *emulator.Server {
	t.Helper()
	s, err := emulator.Start("127.0.0.1:0", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Connections dialled but never used stay "new" and would make the
		// server's shutdown wait 5 s for them.
		http.DefaultTransport.(*http.Transport).CloseIdleConnections()
		s.Close()
	})
	return s
}

func wecomApp(fx *emulator.Fixture, i int) api.WeComApp {
	a := fx.WeCom.Apps[i]
	return api.WeComApp{CorpID: fx.WeCom.CorpID, AgentID: a.AgentID, Secret: a.Secret}
}

func newWeCom(t *testing.T, s *emulator.Server, opts ...api.Option) *api.WeCom {
	t.Helper()
	opts = append([]api.Option{api.WithBaseURL(s.WeComBaseURL()), api.WithRetry(3, time.Millisecond)}, opts...)
	c, err := api.NewWeCom(wecomApp(s.Emulator().Fixture(), 0), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func calls(s *emulator.Server, path string) int { return s.Emulator().Stats()[path] }

const (
	pGetToken = "/wecom/cgi-bin/gettoken"
	pTicket   = "/wecom/cgi-bin/get_jsapi_ticket"
	pUserGet  = "/wecom/cgi-bin/user/get"
	pSend     = "/wecom/cgi-bin/message/send"
)

func TestFiveHundredCallersOneGettoken(t *testing.T) {
	s := startEmulator(t)
	c := newWeCom(t, s)
	var wg sync.WaitGroup
	var fails atomic.Int64
	for range 500 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := c.AccessToken(context.Background())
			if err != nil || r.Value == "" {
				fails.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := calls(s, pGetToken); n != 1 {
		t.Fatalf("500 concurrent callers made %d gettoken calls, want 1", n)
	}
	if fails.Load() != 0 {
		t.Fatalf("%d callers failed", fails.Load())
	}
}

// TestTokenRejectedMidFlight: every caller holding the old token gets 42001
// (the emulator's clock passed expiry), yet the token is refreshed once.
func TestTokenRejectedMidFlight(t *testing.T) {
	for _, tc := range []struct {
		name   string
		reject func(s *emulator.Server)
	}{
		{"fault 42001 once", func(s *emulator.Server) {
			s.Emulator().InjectFault(emulator.Fault{Path: pUserGet, Errcode: 42001, Count: 1})
		}},
		{"clock past expiry", func(s *emulator.Server) { s.Emulator().Advance(2*time.Hour + time.Minute) }},
		{"token invalidated upstream", func(s *emulator.Server) { s.Emulator().InvalidateTokens("wecom", emulator.DefaultAgentID) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startEmulator(t)
			c := newWeCom(t, s)
			ctx := context.Background()
			if _, err := c.GetUser(ctx, "zhangsan"); err != nil {
				t.Fatal(err)
			}
			tc.reject(s)
			var wg sync.WaitGroup
			var fails atomic.Int64
			for range 50 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					u, err := c.GetUser(ctx, "zhangsan")
					if err != nil || u.Name == "" {
						fails.Add(1)
						t.Log(err)
					}
				}()
			}
			wg.Wait()
			if fails.Load() != 0 {
				t.Fatalf("%d calls failed", fails.Load())
			}
			if n := calls(s, pGetToken); n != 2 {
				t.Fatalf("gettoken calls %d, want 2 (one initial, one refresh)", n)
			}
		})
	}
}

func TestTwoAppsOfOneCorpNeverShare(t *testing.T) {
	fx := emulator.DefaultFixture()
	second := fx.WeCom.Apps[0]
	second.AgentID, second.Name, second.Secret = 1000003, "second", "second-secret-0123456789abcdefghijklmnopqrs"
	fx.WeCom.Apps = append(fx.WeCom.Apps, second)
	s := startEmulator(t, emulator.WithFixture(fx))
	store := token.NewMemory() // one shared cache, as in production
	var clients []*api.WeCom
	for i := range 2 {
		c, err := api.NewWeCom(wecomApp(fx, i), api.WithBaseURL(s.WeComBaseURL()), api.WithStore(store))
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	ctx := context.Background()
	t0, err0 := clients[0].AccessToken(ctx)
	t1, err1 := clients[1].AccessToken(ctx)
	if err0 != nil || err1 != nil || t0.Value == t1.Value {
		t.Fatalf("two apps: %v %v; same token: %v", err0, err1, t0.Value == t1.Value)
	}
	// each app keeps working with its own token, in any order
	for range 3 {
		for i, c := range clients {
			if _, err := c.GetUser(ctx, "lisi"); err != nil {
				t.Fatalf("app %d: %v", i, err)
			}
		}
	}
	if n := calls(s, pGetToken); n != 2 {
		t.Fatalf("gettoken calls %d, want 2 (one per app)", n)
	}
}

func TestTicketRefetchedAfterTokenChange(t *testing.T) {
	s := startEmulator(t)
	c := newWeCom(t, s)
	ctx := context.Background()
	for range 3 {
		if r, err := c.JSAPITicket(ctx); err != nil || r.Value == "" {
			t.Fatalf("JSAPITicket: %+v %v", r, err)
		}
	}
	if n := calls(s, pTicket); n != 1 {
		t.Fatalf("ticket calls %d, want 1 while the token is unchanged", n)
	}
	s.Emulator().Advance(2*time.Hour + time.Minute)       // the token dies upstream
	if _, err := c.GetUser(ctx, "zhangsan"); err != nil { // 42001 → new token
		t.Fatal(err)
	}
	if r, err := c.JSAPITicket(ctx); err != nil || r.Origin != token.FromRemote {
		t.Fatalf("ticket after the token changed: %+v %v (want a remote fetch)", r, err)
	}
	if n := calls(s, pTicket); n != 2 {
		t.Fatalf("ticket calls %d, want 2", n)
	}
}

// TestEmptyTicketNeverServed: the upstream answers errcode 0 with an empty
// ticket once; the caller gets an error, nothing is cached, the next call
// fetches a real ticket.
func TestEmptyTicketNeverServed(t *testing.T) {
	em, err := emulator.New()
	if err != nil {
		t.Fatal(err)
	}
	var empties atomic.Int64
	empties.Store(1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == pTicket && empties.Add(-1) >= 0 {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"errcode":0,"errmsg":"ok","ticket":"","expires_in":7200}`)
			return
		}
		em.ServeHTTP(w, r)
	}))
	defer srv.Close()
	c, err := api.NewWeCom(wecomApp(em.Fixture(), 0), api.WithBaseURL(srv.URL+"/wecom"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if r, err := c.JSAPITicket(ctx); err == nil || r.Value != "" {
		t.Fatalf("empty upstream ticket served: %+v, %v", r, err)
	}
	r, err := c.JSAPITicket(ctx)
	if err != nil || r.Value == "" || r.Origin != token.FromRemote {
		t.Fatalf("second call: %+v %v; want a fresh non-empty ticket", r, err)
	}
}

func TestRetryPolicy(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		fault     emulator.Fault
		call      func(c *api.WeCom) error
		path      string
		wantCalls int
		wantCode  int // 0: success
		wantHTTP  int
	}{
		{"-1 twice then ok", emulator.Fault{Path: pUserGet, Errcode: -1, Count: 2}, getUser, pUserGet, 3, 0, 0},
		{"45009 beyond the bound", emulator.Fault{Path: pUserGet, Errcode: 45009, Count: 10}, getUser, pUserGet, 4, 45009, 0},
		{"502 on idempotent get retried", emulator.Fault{Path: pUserGet, Status: 502, Count: 1}, getUser, pUserGet, 2, 0, 0},
		{"502 on send not resent", emulator.Fault{Path: pSend, Status: 502, Count: 1}, send(false), pSend, 1, 0, 502},
		{"502 on deduplicated send resent", emulator.Fault{Path: pSend, Status: 502, Count: 1}, send(true), pSend, 2, 0, 0},
		{"42001 on send: refreshed and resent once", emulator.Fault{Path: pSend, Errcode: 42001, Count: 1}, send(false), pSend, 2, 0, 0},
		{"40014 twice: only one refresh", emulator.Fault{Path: pSend, Errcode: 40014, Count: 2}, send(false), pSend, 2, 40014, 0},
		{"40029 not retried", emulator.Fault{Path: pUserGet, Errcode: 40029, Count: 1}, getUser, pUserGet, 1, 40029, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startEmulator(t)
			c := newWeCom(t, s)
			if _, err := c.AccessToken(ctx); err != nil {
				t.Fatal(err)
			}
			s.Emulator().InjectFault(tc.fault)
			err := tc.call(c)
			var ae *api.APIError
			var se *api.StatusError
			switch {
			case tc.wantCode != 0:
				if !errors.As(err, &ae) || ae.Code != tc.wantCode {
					t.Fatalf("err = %v, want errcode %d", err, tc.wantCode)
				}
			case tc.wantHTTP != 0:
				if !errors.As(err, &se) || se.Status != tc.wantHTTP {
					t.Fatalf("err = %v, want HTTP %d", err, tc.wantHTTP)
				}
			case err != nil:
				t.Fatalf("err = %v, want success", err)
			}
			if n := calls(s, tc.path); n != tc.wantCalls {
				t.Fatalf("%s calls %d, want %d", tc.path, n, tc.wantCalls)
			}
		})
	}
}

func getUser(c *api.WeCom) error {
	_, err := c.GetUser(context.Background(), "zhangsan")
	return err
}

func send(dedup bool) func(c *api.WeCom) error {
	return func(c *api.WeCom) error {
		m := &api.Message{ToUser: "zhangsan", MsgType: "text", Text: &api.Content{Content: "你好 <a href=\"https://example.com\">x</a>"}}
		if dedup {
			m.EnableDuplicateCheck = 1
		}
		_, err := c.Send(context.Background(), m)
		return err
	}
}

func TestAPIErrorExplainsCode(t *testing.T) {
	s := startEmulator(t)
	c := newWeCom(t, s)
	_, err := c.GetUserInfo(context.Background(), "no-such-code")
	var ae *api.APIError
	if !errors.As(err, &ae) || ae.Code != 40029 || ae.Path != "/cgi-bin/auth/getuserinfo" || ae.Method != "GET" {
		t.Fatalf("err = %#v", err)
	}
	if !strings.Contains(err.Error(), "single use") || ae.Info().MeaningZH == "" || !api.IsCode(err, 40029) {
		t.Fatalf("error does not explain the code: %v", err)
	}
}

// TestSecretsNeverLeak runs successes and failures with a JSON logger at debug
// level and checks neither the secret nor any token shows up in logs or
// error messages.
func TestSecretsNeverLeak(t *testing.T) {
	s := startEmulator(t)
	var logs bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(&lockedWriter{w: &logs, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newWeCom(t, s, api.WithLogger(logger))
	ctx := context.Background()
	tok, err := c.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tick, _ := c.JSAPITicket(ctx)
	var errs []string
	s.Emulator().InjectFault(emulator.Fault{Path: pUserGet, Errcode: 42001, Count: 2})
	if _, err := c.GetUser(ctx, "zhangsan"); err != nil {
		errs = append(errs, err.Error())
	}
	// a transport failure: the URL of the request holds the token
	dead, _ := api.NewWeCom(wecomApp(s.Emulator().Fixture(), 0), api.WithBaseURL("http://127.0.0.1:1/wecom"), api.WithLogger(logger), api.WithRetry(1, time.Millisecond))
	if _, err := dead.AccessToken(ctx); err != nil {
		errs = append(errs, err.Error())
	} else {
		t.Fatal("a dead base URL worked")
	}
	bad, _ := api.NewWeCom(api.WeComApp{CorpID: s.Emulator().Fixture().WeCom.CorpID, AgentID: 1, Secret: "wrong-secret-value-123456"}, api.WithBaseURL(s.WeComBaseURL()), api.WithLogger(logger))
	if _, err := bad.AccessToken(ctx); err != nil {
		errs = append(errs, err.Error())
	}
	if len(errs) < 2 {
		t.Fatalf("expected failures to inspect, got %q", errs)
	}
	mu.Lock()
	all := logs.String() + strings.Join(errs, "\n")
	mu.Unlock()
	if !strings.Contains(logs.String(), "token refreshed") {
		t.Fatalf("the logger saw nothing; the check would prove nothing:\n%s", logs.String())
	}
	secret := s.Emulator().Fixture().WeCom.Apps[0].Secret
	for name, v := range map[string]string{"secret": secret, "token": tok.Value, "ticket": tick.Value, "wrong secret": "wrong-secret-value-123456"} {
		if v == "" || strings.Contains(all, v) {
			t.Errorf("the %s appears in logs or errors (or is empty)", name)
		}
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestMediaAndMenu(t *testing.T) {
	s := startEmulator(t)
	c := newWeCom(t, s)
	ctx := context.Background()
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 100)...)
	up, err := c.UploadMedia(ctx, "image", "a.png", bytes.NewReader(png))
	if err != nil || up.MediaID == "" || up.CreatedAt == "" {
		t.Fatalf("upload: %+v %v", up, err)
	}
	m, err := c.GetMedia(ctx, up.MediaID)
	if err != nil || !bytes.Equal(m.Body, png) {
		t.Fatalf("get: %v (got %d bytes)", err, len(m.Body))
	}
	if _, err := c.GetMedia(ctx, "no-such-media"); !api.IsCode(err, 40007) {
		t.Fatalf("missing media: %v, want errcode 40007", err)
	}
	menu := &api.Menu{Button: []api.Button{{Type: "click", Name: "今日", Key: "today"}, {Name: "更多", SubButton: []api.Button{{Type: "view", Name: "官网", URL: "https://example.com/"}}}}}
	if _, err := c.CreateMenu(ctx, menu); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetMenu(ctx)
	if err != nil || len(got.Button) != 2 || got.Button[1].SubButton[0].URL != "https://example.com/" {
		t.Fatalf("menu get: %+v %v", got, err)
	}
	if _, err := c.DeleteMenu(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestMPClient(t *testing.T) {
	s := startEmulator(t)
	fx := s.Emulator().Fixture()
	c, err := api.NewMP(api.MPApp{AppID: fx.MP.AppID, Secret: fx.MP.AppSecret}, api.WithBaseURL(s.MPBaseURL()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tk, err := c.JSAPITicket(ctx)
	if err != nil || tk.Value == "" {
		t.Fatalf("mp ticket: %+v %v", tk, err)
	}
	qr, err := c.CreateQRCode(ctx, api.NewQRCodeRequest("42", 600))
	if err != nil || qr.Ticket == "" {
		t.Fatalf("qrcode: %+v %v", qr, err)
	}
	if len(fx.MP.Followers) > 0 && len(fx.MP.Templates) > 0 {
		r, err := c.SendTemplate(ctx, &api.TemplateMessage{ToUser: fx.MP.Followers[0].OpenID, TemplateID: fx.MP.Templates[0].ID, Data: map[string]api.TemplateValue{"first": {Value: "订单已发货"}}})
		if err != nil || r.MsgID == 0 {
			t.Fatalf("template: %+v %v", r, err)
		}
	}
	tags, err := c.GetTags(ctx)
	if err != nil || len(tags.Tags) == 0 {
		t.Fatalf("tags: %+v %v", tags, err)
	}
	// web authorization: code → user token + openid → profile
	openID := fx.MP.Followers[0].OpenID
	code, err := s.Emulator().IssueCode("mp", openID, "snsapi_userinfo", 0)
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.OAuthAccessToken(ctx, code)
	if err != nil || st.OpenID != openID || st.AccessToken == "" {
		t.Fatalf("sns access_token: %+v %v", st, err)
	}
	if _, err := c.OAuthAccessToken(ctx, code); !api.IsCode(err, 40163) {
		t.Fatalf("reused code: %v, want 40163", err)
	}
	u, err := c.SNSUserInfo(ctx, st.AccessToken, st.OpenID, "zh_CN")
	if err != nil || u.OpenID != openID {
		t.Fatalf("sns userinfo: %+v %v", u, err)
	}
	if calls(s, "/mp/sns/oauth2/access_token") != 2 {
		t.Fatalf("a single-use code exchange was retried")
	}
}

// TestEveryEndpointIsServed checks the generated table against the emulator:
// every row names a path the emulator serves (not 40066 invalid url).
func TestEveryEndpointIsServed(t *testing.T) {
	s := startEmulator(t)
	if len(api.Endpoints) < 30 {
		t.Fatalf("only %d endpoints in the table", len(api.Endpoints))
	}
	for _, ep := range api.Endpoints {
		req, _ := http.NewRequest(ep.Method, s.URL+"/"+ep.Platform+ep.Path, strings.NewReader("{}"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&v)
		resp.Body.Close()
		if resp.StatusCode == 404 || v["errcode"] == float64(40066) {
			t.Errorf("%s %s %s: the emulator does not serve it", ep.Platform, ep.Method, ep.Path)
		}
	}
}

func TestAuthorizeURL(t *testing.T) {
	for _, tc := range []struct {
		appID, redirect, scope, state string
		agent                         int64
		want                          string
		wantErr                       bool
	}{
		{"ww1", "https://a.example.com/cb?x=1", "snsapi_base", "s1", 1000002, "https://open.weixin.qq.com/connect/oauth2/authorize?appid=ww1&redirect_uri=https%3A%2F%2Fa.example.com%2Fcb%3Fx%3D1&response_type=code&scope=snsapi_base&state=s1&agentid=1000002#wechat_redirect", false},
		{"wx1", "https://a.example.com/", "snsapi_userinfo", "", 0, "https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx1&redirect_uri=https%3A%2F%2Fa.example.com%2F&response_type=code&scope=snsapi_userinfo#wechat_redirect", false},
		{"ww1", "https://a.example.com/", "snsapi_privateinfo", "", 0, "", true},
		{"ww1", "not a url", "", "", 1, "", true},
		{"", "https://a.example.com/", "", "", 1, "", true},
	} {
		got, err := api.AuthorizeURL(tc.appID, tc.redirect, tc.scope, tc.state, tc.agent)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("AuthorizeURL(%q,%q,%q) = %q, %v; want %q (err %v)", tc.appID, tc.redirect, tc.scope, got, err, tc.want, tc.wantErr)
		}
	}
}

// TestRequestBodyNotEscaped: WeCom rejects \uXXXX escapes (40033), so bodies
// carry CJK and <a href> as raw UTF-8; the token travels only in the query.
func TestRequestBodyNotEscaped(t *testing.T) {
	var body []byte
	var query string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/cgi-bin/gettoken":
			fmt.Fprint(w, `{"errcode":0,"errmsg":"ok","access_token":"TOKEN-test-0123456789","expires_in":7200}`)
		case "/cgi-bin/message/send":
			body, _ = io.ReadAll(r.Body)
			query = r.URL.RawQuery
			fmt.Fprint(w, `{"errcode":0,"errmsg":"ok","msgid":"m1"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, err := api.NewWeCom(api.WeComApp{CorpID: "ww1", AgentID: 7, Secret: "s-0123456789"}, api.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Send(context.Background(), &api.Message{ToUser: "a", MsgType: "text", Text: &api.Content{Content: `你好 <a href="https://x.example/?a=1&b=2">链接</a>`}})
	if err != nil || r.MsgID != "m1" {
		t.Fatalf("send: %+v %v", r, err)
	}
	if bytes.Contains(body, []byte(`\u`)) || !bytes.Contains(body, []byte(`你好 <a href=\"https://x.example/?a=1&b=2\">链接</a>`)) {
		t.Fatalf("body escaped: %s", body)
	}
	if !bytes.Contains(body, []byte(`"agentid":7`)) || bytes.Contains(body, []byte("TOKEN-test")) || query != "access_token=TOKEN-test-0123456789" {
		t.Fatalf("body %s, query %s", body, query)
	}
}

func TestBadBaseURL(t *testing.T) {
	for _, base := range []string{"127.0.0.1:8787/wecom", "ftp://x/", "http://user:pw@h/wecom", "http:///wecom", "http://h/?access_token=x"} {
		_, err := api.NewWeCom(api.WeComApp{CorpID: "ww1", Secret: "s"}, api.WithBaseURL(base))
		if err == nil || strings.Contains(err.Error(), "pw") || strings.Contains(err.Error(), "access_token=x") {
			t.Errorf("base %q: err %v", base, err)
		}
	}
	if _, err := api.NewMP(api.MPApp{AppID: "wx1", Secret: "s"}, api.WithBaseURL("http://127.0.0.1:8787/mp")); err != nil {
		t.Fatal(err)
	}
}

func TestDownloadMediaInRangeChunks(t *testing.T) {
	s := startEmulator(t)
	c := newWeCom(t, s)
	ctx := context.Background()
	data := bytes.Repeat([]byte("0123456789abcdef"), 40) // 640 bytes
	up, err := c.UploadMedia(ctx, "file", "big.bin", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	before := calls(s, "/wecom/cgi-bin/media/get")
	var buf bytes.Buffer
	m, err := c.DownloadMedia(ctx, up.MediaID, &buf, 100)
	if err != nil || !bytes.Equal(buf.Bytes(), data) || m.Total != int64(len(data)) {
		t.Fatalf("chunked download: %v, %d bytes (total %v)", err, buf.Len(), m)
	}
	if n := calls(s, "/wecom/cgi-bin/media/get") - before; n != 7 {
		t.Fatalf("%d range requests for 640 bytes in 100-byte chunks, want 7", n)
	}
	part, err := c.GetMediaRange(ctx, up.MediaID, 16, 16)
	if err != nil || string(part.Body) != "0123456789abcdef" || part.Total != 640 {
		t.Fatalf("range: %q %v (total %d)", part.Body, err, part.Total)
	}
	if _, err := c.GetMediaRange(ctx, up.MediaID, 0, api.MaxMediaChunk+1); err == nil {
		t.Fatal("a chunk over 20 MB was accepted")
	}
}

func TestRecallCallbackIPAndStableToken(t *testing.T) {
	s := startEmulator(t)
	c := newWeCom(t, s)
	ctx := context.Background()
	r, err := c.Send(ctx, &api.Message{ToUser: "zhangsan", MsgType: "text", Text: &api.Content{Content: "撤回我"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.RecallMessage(ctx, &api.RecallRequest{MsgID: r.MsgID}); err != nil {
		t.Fatalf("recall: %v", err)
	}
	recalled := false
	for _, m := range s.Emulator().Outbox() {
		recalled = recalled || (m.MsgID == r.MsgID && m.Recalled)
	}
	if !recalled {
		t.Fatal("the emulator did not record the recall")
	}
	if ips, err := c.GetCallbackIP(ctx); err != nil || len(ips.IPList) == 0 {
		t.Fatalf("callback ip: %+v %v", ips, err)
	}
	fx := s.Emulator().Fixture()
	mp, _ := api.NewMP(api.MPApp{AppID: fx.MP.AppID, Secret: fx.MP.AppSecret}, api.WithBaseURL(s.MPBaseURL()))
	t1, err := mp.StableToken(ctx, false)
	t2, err2 := mp.StableToken(ctx, false)
	if err != nil || err2 != nil || t1.AccessToken == "" || t1.AccessToken != t2.AccessToken {
		t.Fatalf("stable token: %v %v (same: %v)", err, err2, t1 != nil && t2 != nil && t1.AccessToken == t2.AccessToken)
	}
	bad, _ := api.NewMP(api.MPApp{AppID: fx.MP.AppID, Secret: "wrong"}, api.WithBaseURL(s.MPBaseURL()))
	if _, err := bad.StableToken(ctx, false); !api.IsCode(err, 40125) || strings.Contains(err.Error(), "wrong") {
		t.Fatalf("bad secret: %v", err)
	}
}
