package server_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/jssdk"
	"github.com/wwkit/wwkit/core/wxcrypt"
	"github.com/wwkit/wwkit/frontend"
)

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type env struct {
	srv  *server.Server
	logs *syncBuffer
	emu  *emulator.Server
	st   emulator.State
}

func start(t *testing.T, mutate func(*server.Config)) *env {
	t.Helper()
	logs := &syncBuffer{}
	cfg := server.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Emulator: true, AdminToken: "admin-token-for-tests", ClientToken: testClientToken,
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if mutate != nil {
		mutate(&cfg)
	}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	e := &env{srv: srv, logs: logs, emu: srv.Emulator()}
	if e.emu != nil {
		e.st = e.emu.Emulator().State()
	}
	return e
}

// testClientToken is the client token of the servers start runs; getJSON
// and postJSON send it as the server's own clients do.
const testClientToken = "client-token-for-tests"

func getJSON(t *testing.T, c *http.Client, u string, v any) int {
	t.Helper()
	if c == nil {
		c = http.DefaultClient
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(server.ClientTokenHeader, testClientToken)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("GET %s: %d %s: %v", u, resp.StatusCode, b, err)
		}
	}
	return resp.StatusCode
}

func postJSON(t *testing.T, u string, body any, v any) int {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPost, u, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(server.ClientTokenHeader, testClientToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if v != nil {
		if err := json.Unmarshal(out, v); err != nil {
			t.Fatalf("POST %s: %d %s: %v", u, resp.StatusCode, out, err)
		}
	}
	return resp.StatusCode
}

type signAnswer struct {
	OK                bool   `json:"ok"`
	Error             string `json:"error"`
	AppID             string `json:"appId"`
	CorpID            string `json:"corpId"`
	AgentID           int64  `json:"agentId"`
	Timestamp         int64  `json:"timestamp"`
	NonceStr          string `json:"nonceStr"`
	Signature         string `json:"signature"`
	StringToSign      string `json:"stringToSign"`
	TicketFingerprint string `json:"ticketFingerprint"`
}

func TestSignatureEndpoints(t *testing.T) {
	e := start(t, nil)
	page := e.srv.URL() + "/h5/index.html?from=singlemessage&a=b"
	tests := []struct {
		name, path, profile, api string
	}{
		{"wecom config", "/api/jssdk/config", "wecom", "config"},
		{"wecom agentConfig", "/api/jssdk/agent-config", "wecom", "agentConfig"},
		{"mp config", "/api/jssdk/config", "mp", "config"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var a signAnswer
			u := e.srv.URL() + tc.path + "?profile=" + tc.profile + "&url=" + url.QueryEscape(page+"#/route")
			if code := getJSON(t, nil, u, &a); code != 200 || !a.OK {
				t.Fatalf("%d %+v", code, a)
			}
			st := e.emu.Emulator().State()
			var ticket string
			switch {
			case tc.profile == "mp":
				ticket = st.MP.JSAPITicket.Value
			case tc.api == "agentConfig":
				ticket = st.WeCom.Apps[0].AgentTicket.Value
			default:
				ticket = st.WeCom.Apps[0].JSAPITicket.Value
			}
			if want := jssdk.Sign(ticket, a.NonceStr, a.Timestamp, page); a.Signature != want {
				t.Errorf("signature %s, core/jssdk over the emulator's ticket gives %s", a.Signature, want)
			}
			if a.StringToSign != jssdk.StringToSign(ticket, a.NonceStr, a.Timestamp, page) {
				t.Errorf("debug stringToSign %q", a.StringToSign)
			}
			req := emulator.VerifyRequest{API: tc.api, URL: page + "#/route", Timestamp: json.RawMessage(fmt.Sprint(a.Timestamp)), NonceStr: a.NonceStr, Signature: a.Signature}
			if tc.profile == "mp" {
				req.AppID = a.AppID
			} else if tc.api == "agentConfig" {
				req.CorpID, req.AgentID = a.CorpID, json.RawMessage(fmt.Sprint(a.AgentID))
			} else {
				req.AppID = a.AppID
			}
			if res := e.emu.Emulator().VerifyJSSDK(req); !res.OK {
				t.Errorf("emulator rejects the config: %+v", res)
			}
		})
	}
	bad := []struct {
		name, query string
		status      int
	}{
		{"untrusted domain", "url=" + url.QueryEscape("https://evil.example.com/p"), 400},
		{"no url", "", 400},
		{"relative url", "url=%2Fp", 400},
		{"ftp url", "url=" + url.QueryEscape("ftp://127.0.0.1/p"), 400},
		{"unknown profile", "profile=nope&url=" + url.QueryEscape(page), 404},
	}
	for _, tc := range bad {
		var a signAnswer
		if code := getJSON(t, nil, e.srv.URL()+"/api/jssdk/config?"+tc.query, &a); code != tc.status || a.OK || a.Error == "" {
			t.Errorf("%s: %d %+v, want %d with an error", tc.name, code, a, tc.status)
		}
	}
	var a signAnswer
	if code := getJSON(t, nil, e.srv.URL()+"/api/jssdk/agent-config?profile=mp&url="+url.QueryEscape(page), &a); code != 400 {
		t.Errorf("agent-config on mp: %d", code)
	}
}

func noRedirect(jar http.CookieJar) *http.Client {
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func TestOAuthFlow(t *testing.T) {
	e := start(t, nil)
	for _, tc := range []struct{ profile, key, want string }{
		{"wecom", "userid", "lisi"},
		{"mp", "openid", e.st.MP.Followers[0].OpenID},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			jar, _ := cookiejar.New(nil)
			c := noRedirect(jar)
			resp, err := c.Get(e.srv.URL() + "/api/oauth/start?profile=" + tc.profile)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			loc := resp.Header.Get("Location")
			if resp.StatusCode != 302 || !strings.HasPrefix(loc, e.emu.URL+"/"+tc.profile+"/connect/oauth2/authorize?") {
				t.Fatalf("start: %d %s", resp.StatusCode, loc)
			}
			// The emulator's authorize page lists the users; follow the
			// link of the one to sign in as, as a person would tap it.
			resp, err = c.Get(strings.SplitN(loc, "#", 2)[0])
			if err != nil {
				t.Fatal(err)
			}
			pageHTML, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			m := regexp.MustCompile(`href="([^"]+)"[^>]*>[^<]*<span class="meta">` + regexp.QuoteMeta(tc.want) + `</span>`).FindSubmatch(pageHTML)
			if resp.StatusCode != 200 || m == nil {
				t.Fatalf("authorize page: %d, no link for %s:\n%s", resp.StatusCode, tc.want, pageHTML)
			}
			pick, err := resp.Request.URL.Parse(html.UnescapeString(string(m[1])))
			if err != nil {
				t.Fatal(err)
			}
			resp, err = c.Get(pick.String())
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			cb := resp.Header.Get("Location")
			if resp.StatusCode != 302 || !strings.Contains(cb, "/api/oauth/callback?") {
				t.Fatalf("authorize: %d %s", resp.StatusCode, cb)
			}
			var ans map[string]any
			if code := getJSON(t, c, cb, &ans); code != 200 || ans[tc.key] != tc.want {
				t.Fatalf("callback: %d %v", code, ans)
			}
			if code := getJSON(t, c, e.srv.URL()+"/api/session", &ans); code != 200 || ans[tc.key] != tc.want {
				t.Fatalf("session: %d %v", code, ans)
			}
			// The same callback again: the state cookie is gone.
			if code := getJSON(t, c, cb, &ans); code != 403 {
				t.Errorf("callback replayed: %d %v", code, ans)
			}
		})
	}
	// A forged state and no cookie at all.
	var ans map[string]any
	if code := getJSON(t, nil, e.srv.URL()+"/api/oauth/callback?code=x&state=y", &ans); code != 403 {
		t.Errorf("callback without cookie: %d", code)
	}
	if code := getJSON(t, nil, e.srv.URL()+"/api/session", &ans); code != 401 {
		t.Errorf("session without cookie: %d", code)
	}
	if code := getJSON(t, noRedirect(nil), e.srv.URL()+"/api/oauth/start?redirect="+url.QueryEscape("https://evil.example.com/"), &ans); code != 400 {
		t.Errorf("open redirect: %d", code)
	}
}

type pushResult struct {
	OK         bool   `json:"ok"`
	Status     int    `json:"status"`
	Reply      string `json:"reply"`
	Content    string `json:"replyContent"`
	ReplyError string `json:"replyError"`
	Error      string `json:"error"`
}

type inboxAnswer struct {
	OK      bool `json:"ok"`
	Entries []struct {
		ID         int64  `json:"id"`
		Key        string `json:"key"`
		Profile    string `json:"profile"`
		MsgType    string `json:"msgType"`
		XML        string `json:"xml"`
		Deliveries int    `json:"deliveries"`
		Message    *struct {
			FromUserName string          `json:"fromUserName"`
			BodyType     string          `json:"bodyType"`
			Body         json.RawMessage `json:"body"`
		} `json:"message"`
	} `json:"entries"`
}

func TestCallbacksThroughEmulator(t *testing.T) {
	e := start(t, nil)
	admin := e.emu.URL + "/__emulator/callbacks"
	// URL verification for both platforms.
	for _, p := range []string{"wecom", "mp"} {
		var v map[string]any
		if code := postJSON(t, admin+"/verify", map[string]any{"platform": p}, &v); code != 200 || v["ok"] != true {
			t.Errorf("%s URL verification: %d %v", p, code, v)
		}
	}
	// A text message is stored and echoed.
	var r pushResult
	postJSON(t, admin, map[string]any{"platform": "wecom", "from": "zhangsan", "content": "hello 你好"}, &r)
	if !r.OK || r.Status != 200 || r.Content != "hello 你好" {
		t.Fatalf("push: %+v", r)
	}
	postJSON(t, admin, map[string]any{"platform": "mp", "content": "mp hello"}, &r)
	if !r.OK || r.Content != "mp hello" {
		t.Fatalf("mp push: %+v", r)
	}
	// One message delivered three times (same MsgId) is stored once and
	// answered the same each time.
	xml := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[retry me]]></Content><MsgId>7777000011112222</MsgId><AgentID>%d</AgentID></xml>",
		e.st.WeCom.CorpID, time.Now().Unix(), e.st.WeCom.Apps[0].AgentID)
	for i := 0; i < 3; i++ {
		var r pushResult
		postJSON(t, admin, map[string]any{"platform": "wecom", "xml": xml}, &r)
		if !r.OK || r.Content != "retry me" {
			t.Fatalf("delivery %d: %+v", i+1, r)
		}
	}
	// An event (no MsgId) delivered twice: deduplicated by sender + time.
	evt := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[click]]></Event><EventKey><![CDATA[K1]]></EventKey><AgentID>%d</AgentID></xml>",
		e.st.WeCom.CorpID, time.Now().Unix(), e.st.WeCom.Apps[0].AgentID)
	for i := 0; i < 2; i++ {
		var r pushResult
		postJSON(t, admin, map[string]any{"platform": "wecom", "xml": evt}, &r)
		if !r.OK || r.Reply != "" {
			t.Fatalf("event delivery %d: %+v", i+1, r)
		}
	}
	var in inboxAnswer
	if code := getJSON(t, nil, e.srv.URL()+"/api/inbox", &in); code != 200 {
		t.Fatalf("inbox: %d", code)
	}
	if len(in.Entries) != 4 {
		t.Fatalf("inbox has %d entries, want 4: %+v", len(in.Entries), in.Entries)
	}
	if in.Entries[0].MsgType != "event" || in.Entries[0].Deliveries != 2 {
		t.Errorf("newest entry: %+v", in.Entries[0])
	}
	if got := in.Entries[1]; got.Key != "msg:wecom:7777000011112222" || got.Deliveries != 3 || got.Message == nil || got.Message.BodyType != "*message.Text" ||
		!strings.Contains(string(got.Message.Body), "retry me") {
		t.Errorf("retried message: %+v", got)
	}
	if in.Entries[2].Profile != "mp" || in.Entries[3].Message.FromUserName != "zhangsan" {
		t.Errorf("older entries: %+v", in.Entries[2:])
	}
}

func TestInboxStream(t *testing.T) {
	e := start(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL()+"/api/inbox/stream", nil)
	req.Header.Set(server.ClientTokenHeader, testClientToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	br := bufio.NewReader(resp.Body)
	if _, err := br.ReadString('\n'); err != nil { // the opening comment
		t.Fatal(err)
	}
	go func() {
		var r pushResult
		postJSON(t, e.emu.URL+"/__emulator/callbacks", map[string]any{"platform": "wecom", "content": "live"}, &r)
	}()
	var event, data string
	for data == "" {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := strings.CutPrefix(line, "event: "); ok {
			event = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "data: "); ok {
			data = v
		}
	}
	if event != "callback" || !strings.Contains(data, `"live"`) {
		t.Errorf("event %q data %s", event, data)
	}
}

func TestMediaFetch(t *testing.T) {
	e := start(t, func(c *server.Config) { c.MaxMediaBytes = 64 << 10 })
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("wwkit-image-bytes "), 2000)...)
	app := e.st.WeCom.Apps[0]
	wc, err := api.NewWeCom(api.WeComApp{CorpID: e.st.WeCom.CorpID, AgentID: app.AgentID, Secret: app.Secret}, api.WithBaseURL(e.emu.WeComBaseURL()))
	if err != nil {
		t.Fatal(err)
	}
	up, err := wc.UploadMedia(context.Background(), "image", "photo.png", bytes.NewReader(png))
	if err != nil {
		t.Fatal(err)
	}
	var ans struct {
		OK          bool   `json:"ok"`
		URL         string `json:"url"`
		ContentType string `json:"contentType"`
		Size        int    `json:"size"`
		Error       string `json:"error"`
	}
	if code := postJSON(t, e.srv.URL()+"/api/media/fetch", map[string]string{"serverId": up.MediaID}, &ans); code != 200 || !ans.OK {
		t.Fatalf("fetch: %d %+v", code, ans)
	}
	resp, err := http.Get(e.srv.URL() + ans.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(got, png) || ans.ContentType != "image/png" || ans.Size != len(png) {
		t.Errorf("stored %d bytes (%s), uploaded %d", len(got), ans.ContentType, len(png))
	}
	var list struct {
		Media []struct {
			MediaID string `json:"mediaId"`
		} `json:"media"`
	}
	if getJSON(t, nil, e.srv.URL()+"/api/media", &list); len(list.Media) != 1 || list.Media[0].MediaID != up.MediaID {
		t.Errorf("media index: %+v", list)
	}
	text, err := wc.UploadMedia(context.Background(), "file", "notes.txt", strings.NewReader("plain text, not an image"))
	if err != nil {
		t.Fatal(err)
	}
	big, err := wc.UploadMedia(context.Background(), "image", "big.jpg", bytes.NewReader(append([]byte("\xff\xd8\xff\xe0"), make([]byte, 100<<10)...)))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		body   string
		status int
	}{
		{`{"serverId":"` + text.MediaID + `"}`, 415},
		{`{"serverId":"` + big.MediaID + `"}`, 413},
		{`{"serverId":"no-such-media"}`, 502},
		{`{"serverId":""}`, 400},
		{`{"serverId":"../../etc/passwd"}`, 400},
		{`not json`, 400},
	} {
		req, _ := http.NewRequest("POST", e.srv.URL()+"/api/media/fetch", strings.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(server.ClientTokenHeader, testClientToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("fetch %s: %d, want %d", tc.body, resp.StatusCode, tc.status)
		}
	}
	if resp, _ := http.Get(e.srv.URL() + "/media/..%2Finbox.db"); resp.StatusCode != 404 {
		t.Errorf("path traversal: %d", resp.StatusCode)
	}
}

// signedPost builds a WeCom callback POST for the wecom profile.
func signedPost(t *testing.T, e *env, plain string, ts int64) (body []byte, query string) {
	t.Helper()
	app := e.st.WeCom.Apps[0]
	c, err := wxcrypt.New(app.Token, app.EncodingAESKey, e.st.WeCom.CorpID)
	if err != nil {
		t.Fatal(err)
	}
	sts := fmt.Sprint(ts)
	body, sig, err := c.EncryptRequest([]byte(plain), e.st.WeCom.CorpID, fmt.Sprint(app.AgentID), sts, "nonce1")
	if err != nil {
		t.Fatal(err)
	}
	return body, "msg_signature=" + sig + "&timestamp=" + sts + "&nonce=nonce1"
}

func TestBadInput(t *testing.T) {
	e := start(t, nil)
	now := time.Now().Unix()
	good := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ok]]></Content><MsgId>1</MsgId><AgentID>1000002</AgentID></xml>", e.st.WeCom.CorpID, now)
	goodBody, goodQuery := signedPost(t, e, good, now)
	staleBody, staleQuery := signedPost(t, e, good, now-3600)
	bombBody, bombQuery := signedPost(t, e, `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><xml><Content>&lol2;</Content></xml>`, now)
	notXMLBody, notXMLQuery := signedPost(t, e, "this is not xml", now)
	deep := strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100)
	tamperedQuery := strings.Replace(goodQuery, "msg_signature=", "msg_signature=0", 1)
	// MP plain mode (明文模式): plaintext body, signature = sha1(sort(token, timestamp, nonce)).
	plainMP := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[plain]]></Content><MsgId>2</MsgId></xml>",
		e.st.MP.OriginalID, e.st.MP.Followers[0].OpenID, now)
	parts := []string{e.st.MP.Token, fmt.Sprint(now), "2"}
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	plainSig := hex.EncodeToString(sum[:])
	tests := []struct {
		name, path, query string
		body              []byte
		status            int
	}{
		{"wrong signature", "/callback/wecom", tamperedQuery, goodBody, 403},
		{"no signature", "/callback/wecom", "timestamp=1&nonce=2", goodBody, 400},
		// The signature is checked first: an undecryptable Encrypt under a
		// wrong signature is a 403, not a decryption error.
		{"wrong signature, undecryptable", "/callback/wecom", tamperedQuery, []byte("<xml><Encrypt><![CDATA[!!not base64!!]]></Encrypt></xml>"), 403},
		{"oversized body", "/callback/wecom", goodQuery, bytes.Repeat([]byte("a"), 1<<20+1), 413},
		{"empty body", "/callback/wecom", goodQuery, nil, 400},
		{"garbage body", "/callback/wecom", goodQuery, []byte("\x00\x01garbage"), 400},
		{"xml bomb envelope", "/callback/wecom", goodQuery, []byte(`<!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Encrypt>&a;</Encrypt></xml>`), 400},
		{"lowercase doctype", "/callback/wecom", goodQuery, []byte(`<!doctype x><xml><Encrypt>a</Encrypt></xml>`), 400},
		{"deep nesting", "/callback/wecom", goodQuery, []byte("<xml>" + deep + "<Encrypt>a</Encrypt></xml>"), 400},
		{"xml bomb inside the ciphertext", "/callback/wecom", bombQuery, bombBody, 400},
		{"plaintext not xml", "/callback/wecom", notXMLQuery, notXMLBody, 400},
		{"stale timestamp", "/callback/wecom", staleQuery, staleBody, 403},
		{"unknown profile", "/callback/nope", goodQuery, goodBody, 404},
		{"mp plain mode wrong signature", "/callback/mp", fmt.Sprintf("signature=abc&timestamp=%d&nonce=2", now), []byte(plainMP), 403},
		{"mp plain mode accepted", "/callback/mp", fmt.Sprintf("signature=%s&timestamp=%d&nonce=2", plainSig, now), []byte(plainMP), 200},
		{"accepted", "/callback/wecom", goodQuery, goodBody, 200},
	}
	for _, tc := range tests {
		resp, err := http.Post(e.srv.URL()+tc.path+"?"+tc.query, "text/xml", bytes.NewReader(tc.body))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, resp.StatusCode, tc.status)
		}
	}
	for _, tc := range []struct{ name, query string }{
		{"verify wrong signature", "msg_signature=00&timestamp=1&nonce=2&echostr=abcd"},
	} {
		resp, err := http.Get(e.srv.URL() + "/callback/wecom?" + tc.query)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 403 {
			t.Errorf("%s: %d", tc.name, resp.StatusCode)
		}
	}
	var in inboxAnswer
	getJSON(t, nil, e.srv.URL()+"/api/inbox", &in)
	if len(in.Entries) != 2 {
		t.Errorf("inbox after bad input: %d entries, want only the two accepted ones", len(in.Entries))
	}
	var h map[string]any
	if code := getJSON(t, nil, e.srv.URL()+"/healthz", &h); code != 200 || h["ok"] != true {
		t.Errorf("healthz after bad input: %d %v", code, h)
	}
	if !strings.Contains(e.logs.String(), "timestamp too far from now") {
		t.Error("no log line for the stale timestamp")
	}
}

func TestAdminAccessVerifyFilesAndSecrets(t *testing.T) {
	e := start(t, nil)
	// Produce traffic that touches every secret: tokens, tickets, callbacks.
	var r pushResult
	postJSON(t, e.emu.URL+"/__emulator/callbacks", map[string]any{"platform": "wecom", "content": "hi"}, &r)
	var bodies []string
	for _, p := range []string{"/api/tokens", "/api/calls", "/api/inbox", "/api/profiles", "/api/jssdk/config?url=" + url.QueryEscape(e.srv.URL()+"/"), "/healthz"} {
		req, _ := http.NewRequest("GET", e.srv.URL()+p, nil)
		req.Header.Set(server.ClientTokenHeader, testClientToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d %s", p, resp.StatusCode, b)
		}
		bodies = append(bodies, string(b))
	}
	var sent map[string]any
	if code := postJSON(t, e.srv.URL()+"/api/send", map[string]string{"to": "zhangsan", "content": "test"}, &sent); code != 200 || sent["ok"] != true {
		t.Errorf("send: %d %v", code, sent)
	}
	if out := e.emu.Emulator().Outbox(); len(out) != 1 || out[0].ToUsers[0] != "zhangsan" {
		t.Errorf("outbox: %+v", out)
	}
	// A failing call: the answer carries the errcode, /api/calls explains it.
	if code := postJSON(t, e.srv.URL()+"/api/send", map[string]string{"to": "nobody", "content": "test"}, &sent); code != 502 || sent["errcode"] != float64(81013) {
		t.Errorf("send to nobody: %d %v", code, sent)
	}
	var calls struct {
		Calls []struct {
			Path        string  `json:"path"`
			Errcode     int     `json:"errcode"`
			Explanation string  `json:"explanation"`
			LatencyMs   float64 `json:"latencyMs"`
		} `json:"calls"`
	}
	req0, _ := http.NewRequest("GET", e.srv.URL()+"/api/calls", nil)
	req0.Header.Set(server.ClientTokenHeader, testClientToken)
	resp0, err := http.DefaultClient.Do(req0)
	if err != nil {
		t.Fatal(err)
	}
	callsBody, _ := io.ReadAll(resp0.Body)
	resp0.Body.Close()
	bodies = append(bodies, string(callsBody))
	if err := json.Unmarshal(callsBody, &calls); err != nil || len(calls.Calls) == 0 {
		t.Fatalf("calls: %s %v", callsBody, err)
	}
	if c := calls.Calls[0]; c.Path != "/wecom/cgi-bin/message/send" || c.Errcode != 81013 || !strings.Contains(c.Explanation, "recipients") || c.LatencyMs <= 0 {
		t.Errorf("newest call: %+v", c)
	}
	st := e.emu.Emulator().State()
	app := st.WeCom.Apps[0]
	secrets := map[string]string{"app secret": app.Secret, "AES key": app.EncodingAESKey, "callback token": app.Token,
		"access token": app.AccessToken.Value, "MP secret": st.MP.AppSecret, "MP AES key": st.MP.EncodingAESKey, "MP token": st.MP.Token}
	if st.MP.AccessToken != nil {
		secrets["MP access token"] = st.MP.AccessToken.Value
	}
	for name, v := range secrets {
		if v == "" {
			t.Fatalf("%s is empty", name)
		}
		for i, b := range bodies {
			if strings.Contains(b, v) {
				t.Errorf("answer %d contains the %s", i, name)
			}
		}
		if strings.Contains(e.logs.String(), v) {
			t.Errorf("logs contain the %s", name)
		}
	}
	// Admin API from "outside": a tunnel's forwarding header, then the bearer token.
	req, _ := http.NewRequest("GET", e.srv.URL()+"/api/tokens", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("forwarded admin call: %d", resp.StatusCode)
	}
	req.Header.Set("Authorization", "Bearer admin-token-for-tests")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("bearer admin call: %d", resp.StatusCode)
	}
	for _, tc := range []struct {
		path, body string
		status     int
	}{
		{"/WW_verify_wwkitEmulator.txt", "wwkitEmulator", 200},
		{"/MP_verify_wwkitEmulator.txt", "wwkitEmulator", 200},
		{"/WW_verify_unknown.txt", "", 404},
		{"/", "<html", 200},
		{"/no/such/page", "", 404},
	} {
		resp, err := http.Get(e.srv.URL() + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || !strings.Contains(string(b), tc.body) {
			t.Errorf("GET %s: %d %q", tc.path, resp.StatusCode, b)
		}
	}
}

// TestLibraryProfiles runs the server as a library with explicit profiles
// against an emulator started separately: a real-corp-like profile has no
// debug fields, a fixed-text reply rule, /callback as its default route, and
// Subscribe delivers stored callbacks.
func TestLibraryProfiles(t *testing.T) {
	emu, err := emulator.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	fx := emu.Emulator().Fixture()
	app := fx.WeCom.Apps[0]
	e := start(t, func(c *server.Config) {
		c.Emulator = false
		c.Profiles = []server.Profile{{Name: "corp", Platform: server.PlatformWeCom, CorpID: fx.WeCom.CorpID, AgentID: app.AgentID,
			Secret: app.Secret, Token: app.Token, EncodingAESKey: app.EncodingAESKey, TrustedDomains: []string{"127.0.0.1"},
			APIBaseURL: emu.WeComBaseURL(), Reply: "text:收到"}}
	})
	if e.srv.Emulator() != nil {
		t.Fatal("an emulator was started without Config.Emulator")
	}
	recs, cancel := e.srv.Subscribe()
	defer cancel()
	for _, path := range []string{"/callback", "/callback/corp"} {
		res, err := emu.Emulator().PushCallback(context.Background(), emulator.CallbackRequest{Content: "hi", URL: e.srv.URL() + path})
		if err != nil || res.Status != 200 || res.Content != "收到" {
			t.Errorf("%s: %+v %v", path, res, err)
		}
		select {
		case r := <-recs:
			if r.Profile != "corp" || r.MsgType != "text" {
				t.Errorf("subscribed record: %+v", r)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Subscribe delivered nothing")
		}
	}
	var a signAnswer
	if code := getJSON(t, nil, e.srv.URL()+"/api/jssdk/config?url="+url.QueryEscape(e.srv.URL()+"/p"), &a); code != 200 || !a.OK {
		t.Fatalf("sign: %d %+v", code, a)
	}
	if a.StringToSign != "" || a.TicketFingerprint != "" {
		t.Errorf("debug fields without Debug: %+v", a)
	}
	if code := getJSON(t, nil, e.srv.URL()+"/api/jssdk/config?url="+url.QueryEscape("http://localhost/p"), &a); code != 400 {
		t.Errorf("localhost is not trusted for this profile: %d", code)
	}
	for _, tc := range []struct {
		name string
		p    server.Profile
	}{
		{"no name", server.Profile{Platform: server.PlatformWeCom, CorpID: "ww1", AgentID: 1, Token: "t", EncodingAESKey: app.EncodingAESKey}},
		{"bad platform", server.Profile{Name: "x", Platform: "qq"}},
		{"bad key", server.Profile{Name: "x", Platform: server.PlatformWeCom, CorpID: "ww1", AgentID: 1, Token: "t", EncodingAESKey: "short"}},
		{"no corp", server.Profile{Name: "x", Platform: server.PlatformWeCom, Token: "t", EncodingAESKey: app.EncodingAESKey}},
	} {
		if _, err := server.New(server.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Profiles: []server.Profile{tc.p}}); err == nil {
			t.Errorf("%s: New accepted the profile", tc.name)
		} else if strings.Contains(err.Error(), app.EncodingAESKey) {
			t.Errorf("%s: the error shows the key: %v", tc.name, err)
		}
	}
	if _, err := server.New(server.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir()}); err == nil {
		t.Error("New without profiles or emulator: no error")
	}
}

// TestSimulatorEndpoints drives the H5 page's bridge simulator endpoints:
// the client-side wx.config check and uploadImage → media/fetch.
func TestSimulatorEndpoints(t *testing.T) {
	e := start(t, nil)
	page := e.srv.URL() + "/?sim=1"
	var a signAnswer
	getJSON(t, nil, e.srv.URL()+"/api/jssdk/config?url="+url.QueryEscape(page), &a)
	var v struct {
		OK     bool   `json:"ok"`
		ErrMsg string `json:"errMsg"`
	}
	body := map[string]any{"api": "config", "url": page, "appId": a.AppID, "timestamp": a.Timestamp, "nonceStr": a.NonceStr, "signature": a.Signature}
	if code := postJSON(t, e.srv.URL()+"/api/sim/jssdk/verify", body, &v); code != 200 || !v.OK {
		t.Errorf("verify a good config: %d %+v", code, v)
	}
	body["signature"] = strings.Repeat("0", 40)
	if postJSON(t, e.srv.URL()+"/api/sim/jssdk/verify", body, &v); v.OK || !strings.Contains(v.ErrMsg, "invalid signature") {
		t.Errorf("verify a bad signature: %+v", v)
	}
	img := append([]byte("\xff\xd8\xff\xe0"), bytes.Repeat([]byte("jpeg"), 500)...)
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("media", "photo.jpg")
	fw.Write(img)
	mw.Close()
	resp, err := http.Post(e.srv.URL()+"/api/sim/media/upload", mw.FormDataContentType(), &form)
	if err != nil {
		t.Fatal(err)
	}
	var up struct {
		OK      bool   `json:"ok"`
		MediaID string `json:"media_id"`
	}
	json.NewDecoder(resp.Body).Decode(&up)
	resp.Body.Close()
	if !up.OK || up.MediaID == "" {
		t.Fatalf("upload: %d %+v", resp.StatusCode, up)
	}
	var got struct {
		OK  bool   `json:"ok"`
		URL string `json:"url"`
	}
	if code := postJSON(t, e.srv.URL()+"/api/media/fetch", map[string]string{"serverId": up.MediaID}, &got); code != 200 || !got.OK {
		t.Fatalf("fetch: %d %+v", code, got)
	}
	resp, err = http.Get(e.srv.URL() + got.URL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(b, img) {
		t.Errorf("round trip changed the image: %d bytes, want %d", len(b), len(img))
	}
	resp, err = http.Post(e.srv.URL()+"/api/sim/media/upload", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("upload without multipart: %d", resp.StatusCode)
	}
	// Without the in-process emulator the simulator is not there.
	emu, err := emulator.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	fx := emu.Emulator().Fixture()
	real := start(t, func(c *server.Config) {
		c.Emulator = false
		c.Profiles = []server.Profile{{Name: "corp", Platform: server.PlatformWeCom, CorpID: fx.WeCom.CorpID, AgentID: fx.WeCom.Apps[0].AgentID,
			Secret: fx.WeCom.Apps[0].Secret, Token: fx.WeCom.Apps[0].Token, EncodingAESKey: fx.WeCom.Apps[0].EncodingAESKey,
			TrustedDomains: []string{"127.0.0.1"}, APIBaseURL: emu.WeComBaseURL()}}
	})
	if code := postJSON(t, real.srv.URL()+"/api/sim/jssdk/verify", body, &v); code != 404 {
		t.Errorf("sim verify without the in-process emulator: %d", code)
	}
}

// TestH5Assets serves the H5 page built in frontend/ when there is one.
func TestH5Assets(t *testing.T) {
	h5, ok := frontend.H5()
	if !ok {
		t.Skip("frontend/dist/h5 not built (make frontend); the minimal page is served and tested elsewhere")
	}
	e := start(t, nil)
	index, err := fs.ReadFile(h5, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, ctype string }{
		{"/", "text/html"},
		{"/index.html", "text/html"},
		{"/wwkit/wwkit.wasm", "application/wasm"},
		{"/wwkit/wwkit.mjs", "text/javascript"},
	} {
		resp, err := http.Get(e.srv.URL() + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.ctype) {
			t.Errorf("%s: %d %s", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if tc.path == "/" && !bytes.Equal(b, index) {
			t.Error("/ is not the built index.html")
		}
	}
	// The verifier is embedded only precompressed (copy-wasm.mjs), so the
	// binaries do not carry the megabytes of the raw module.
	if _, err := fs.Stat(h5, "wwkit/wwkit.wasm"); err == nil {
		t.Error("wwkit/wwkit.wasm is embedded raw; frontend/scripts/copy-wasm.mjs should embed only wwkit.wasm.gz and .br")
	}
	gzFile, err := fs.ReadFile(h5, "wwkit/wwkit.wasm.gz")
	if err != nil {
		t.Fatalf("no wwkit/wwkit.wasm.gz in the built page: %v (make frontend)", err)
	}
	gzr, err := gzip.NewReader(bytes.NewReader(gzFile))
	if err != nil {
		t.Fatal(err)
	}
	wasm, err := io.ReadAll(gzr)
	if err != nil || len(wasm) < 1000 || string(wasm[:4]) != "\x00asm" {
		t.Fatalf("wwkit.wasm.gz holds no WebAssembly module (%d bytes, %v)", len(wasm), err)
	}
	// A client that accepts no compression still gets the module.
	req0, _ := http.NewRequest("GET", e.srv.URL()+"/wwkit/wwkit.wasm", nil)
	resp0, err := (&http.Transport{DisableCompression: true}).RoundTrip(req0)
	if err != nil {
		t.Fatal(err)
	}
	plain0, _ := io.ReadAll(resp0.Body)
	resp0.Body.Close()
	if resp0.StatusCode != 200 || resp0.Header.Get("Content-Encoding") != "" || resp0.Header.Get("Content-Type") != "application/wasm" || !bytes.Equal(plain0, wasm) {
		t.Errorf("no Accept-Encoding: %d, Content-Encoding %q, Content-Type %q, %d bytes (want %d)", resp0.StatusCode,
			resp0.Header.Get("Content-Encoding"), resp0.Header.Get("Content-Type"), len(plain0), len(wasm))
	}
	// Compressible files are sent gzip-compressed to clients that accept it.
	req, _ := http.NewRequest("GET", e.srv.URL()+"/wwkit/wwkit.wasm", nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("wasm not gzipped: %s %v", resp.Header.Get("Content-Encoding"), err)
	}
	plain, _ := io.ReadAll(zr)
	resp.Body.Close()
	if !bytes.Equal(plain, wasm) {
		t.Errorf("gunzipped wasm: %d bytes, want %d", len(plain), len(wasm))
	}
	// A reload revalidates with the ETag and gets a 304 without a body.
	etag := resp.Header.Get("ETag")
	if etag == "" || resp.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("wasm: ETag %q, Cache-Control %q", etag, resp.Header.Get("Cache-Control"))
	}
	req, _ = http.NewRequest("GET", e.srv.URL()+"/wwkit/wwkit.wasm", nil)
	req.Header.Set("If-None-Match", etag)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Errorf("If-None-Match %s: %d with %d bytes, want 304 and none", etag, resp.StatusCode, len(body))
	}
	// make wasm precompresses with brotli -q 11 when brotli is installed;
	// a client that accepts br gets that file as it is.
	if br, err := fs.ReadFile(h5, "wwkit/wwkit.wasm.br"); err == nil {
		req, _ = http.NewRequest("GET", e.srv.URL()+"/wwkit/wwkit.wasm", nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
		resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.Header.Get("Content-Encoding") != "br" || !bytes.Equal(got, br) || resp.Header.Get("Content-Type") != "application/wasm" {
			t.Errorf("br: Content-Encoding %q, Content-Type %q, %d bytes, want the %d-byte wwkit.wasm.br", resp.Header.Get("Content-Encoding"), resp.Header.Get("Content-Type"), len(got), len(br))
		}
		if bin, err := exec.LookPath("brotli"); err == nil {
			cmd := exec.Command(bin, "-d", "-c")
			cmd.Stdin = bytes.NewReader(got)
			if plain, err := cmd.Output(); err != nil || !bytes.Equal(plain, wasm) {
				t.Errorf("wwkit.wasm.br does not decode to wwkit.wasm (%d bytes, %v): rebuild with make wasm", len(plain), err)
			}
		}
	}
	for _, p := range []string{"/../go.mod", "/%2e%2e/go.mod", "/nope.js"} {
		resp, err := http.Get(e.srv.URL() + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
}
