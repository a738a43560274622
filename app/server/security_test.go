package server_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/api"
)

// do sends one request as an attacker or a browser would and returns the
// status and body.
func do(t *testing.T, method, u, host string, body string, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestCSRFSend is a page on another site making the developer's browser
// post to /api/send: a text/plain body needs no CORS preflight, so the
// browser sends it with its Origin and Sec-Fetch-Site.
func TestCSRFSend(t *testing.T) {
	e := start(t, nil)
	body := `{"to":"@all","content":"sent by evil.example"}`
	for _, tc := range []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"text/plain form-like POST", map[string]string{"Content-Type": "text/plain;charset=UTF-8", "Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, 403},
		{"no Origin, text/plain (old browser)", map[string]string{"Content-Type": "text/plain"}, 415},
		{"JSON with the token but a cross-site Origin", map[string]string{"Content-Type": "application/json", server.ClientTokenHeader: testClientToken, "Origin": "https://evil.example"}, 403},
		{"another port on localhost", map[string]string{"Content-Type": "application/json", server.ClientTokenHeader: testClientToken, "Origin": "http://127.0.0.1:3000"}, 403},
		{"same-site but not same-origin", map[string]string{"Content-Type": "application/json", server.ClientTokenHeader: testClientToken, "Sec-Fetch-Site": "same-site"}, 403},
		{"JSON without the token", map[string]string{"Content-Type": "application/json"}, 403},
		{"JSON with a wrong token", map[string]string{"Content-Type": "application/json", server.ClientTokenHeader: "guess"}, 403},
	} {
		if st, b := do(t, "POST", e.srv.URL()+"/api/send", "", body, tc.header); st != tc.want || !strings.Contains(b, `"ok":false`) {
			t.Errorf("%s: %d %s, want %d", tc.name, st, b, tc.want)
		}
	}
	if out := e.emu.Emulator().Outbox(); len(out) != 0 {
		t.Fatalf("a refused request reached the outbox: %+v", out)
	}
	// The app's own clients: the token header, or the bearer token, with or
	// without a same-origin Origin.
	for name, h := range map[string]map[string]string{
		"client token": {"Content-Type": "application/json", server.ClientTokenHeader: testClientToken},
		"same origin":  {"Content-Type": "application/json", server.ClientTokenHeader: testClientToken, "Origin": e.srv.URL(), "Sec-Fetch-Site": "same-origin"},
		"bearer":       {"Content-Type": "application/json", "Authorization": "Bearer admin-token-for-tests"},
	} {
		if st, b := do(t, "POST", e.srv.URL()+"/api/send", "", `{"to":"zhangsan","content":"ok"}`, h); st != 200 {
			t.Errorf("%s: %d %s", name, st, b)
		}
	}
	if n := len(e.emu.Emulator().Outbox()); n != 3 {
		t.Errorf("outbox has %d messages, want 3", n)
	}
}

// TestDNSRebinding is a page whose name rebind.attacker.example was
// rebound to 127.0.0.1: its requests arrive from loopback with its Host.
func TestDNSRebinding(t *testing.T) {
	e := start(t, nil)
	tok := map[string]string{server.ClientTokenHeader: testClientToken, "Content-Type": "application/json"}
	for _, p := range []string{"/api/inbox", "/api/tokens", "/api/calls", "/api/server", "/api/profiles", "/api/media", "/", "/api/jssdk/config?url=x"} {
		st, b := do(t, "GET", e.srv.URL()+p, "rebind.attacker.example", "", tok)
		if st != http.StatusMisdirectedRequest || !strings.Contains(b, "--allow-host") || strings.Contains(b, "entries") {
			t.Errorf("%s with Host rebind.attacker.example: %d %s", p, st, b)
		}
		if st, b := do(t, "GET", e.srv.URL()+p, "rebind.attacker.example:8080", "", tok); st != http.StatusMisdirectedRequest {
			t.Errorf("%s with a port: %d %s", p, st, b)
		}
	}
	if st, b := do(t, "POST", e.srv.URL()+"/api/send", "rebind.attacker.example", `{"to":"@all","content":"x"}`, tok); st != http.StatusMisdirectedRequest {
		t.Errorf("send: %d %s", st, b)
	}
	if out := e.emu.Emulator().Outbox(); len(out) != 0 {
		t.Fatalf("a rebinding request reached the outbox: %+v", out)
	}
	for _, h := range []string{"localhost", "127.0.0.1:1", "[::1]:8080", "LOCALHOST"} {
		if st, b := do(t, "GET", e.srv.URL()+"/api/inbox", h, "", tok); st != 200 {
			t.Errorf("Host %s: %d %s", h, st, b)
		}
	}
	// The public URL's host and --allow-host names are served.
	e2 := start(t, func(c *server.Config) {
		c.PublicURL = "https://dev.example.com"
		c.AllowedHosts = []string{"box.lan"}
	})
	for _, h := range []string{"dev.example.com", "box.lan:8080"} {
		if st, b := do(t, "GET", e2.srv.URL()+"/healthz", h, "", nil); st != 200 {
			t.Errorf("Host %s: %d %s", h, st, b)
		}
	}
}

// TestEchostrOracle replays a captured encrypted callback body as the
// echostr of a URL-check GET, as an attacker who saw the traffic would.
func TestEchostrOracle(t *testing.T) {
	e := start(t, nil)
	now := time.Now().Unix()
	plain := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[salary: 12345]]></Content><MsgId>7</MsgId><AgentID>1000002</AgentID></xml>", e.st.WeCom.CorpID, now)
	encrypt := func(ts int64) string {
		body, query := signedPost(t, e, plain, ts)
		m := regexp.MustCompile(`<Encrypt><!\[CDATA\[(.*?)\]\]></Encrypt>`).FindSubmatch(body)
		if m == nil {
			t.Fatalf("no Encrypt in %s", body)
		}
		return query + "&echostr=" + url.QueryEscape(string(m[1]))
	}
	for name, ts := range map[string]int64{"50 minutes old": now - 50*60, "fresh": now} {
		st, b := do(t, "GET", e.srv.URL()+"/callback/wecom?"+encrypt(ts), "", "", nil)
		if st == 200 || strings.Contains(b, "salary") || strings.Contains(b, "<xml>") {
			t.Errorf("%s replay answered %d %q", name, st, b)
		}
		if name == "fresh" && !strings.Contains(b, "not a URL-check echostr") {
			t.Errorf("fresh replay: the error does not name the cause: %q", b)
		}
		if name != "fresh" && !strings.Contains(b, "timestamp") {
			t.Errorf("old replay: the error does not name the cause: %q", b)
		}
	}
	// A genuine URL check still verifies (the emulator's own).
	res, err := e.emu.Emulator().VerifyCallbackURL(context.Background(), "wecom", 0, "")
	if err != nil || !res.OK {
		t.Fatalf("genuine URL check: %+v %v", res, err)
	}
}

// TestEmulatorLANCallback is a machine on the LAN posting a callback signed
// with the emulator's published credentials to a server on 0.0.0.0.
func TestEmulatorLANCallback(t *testing.T) {
	for _, lan := range []bool{false, true} {
		e := start(t, func(c *server.Config) { c.EmulatorLAN = lan })
		now := time.Now().Unix()
		plain := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[boss]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[forged]]></Content><MsgId>99</MsgId><AgentID>1000002</AgentID></xml>", e.st.WeCom.CorpID, now)
		body, query := signedPost(t, e, plain, now)
		req := httptest.NewRequest("POST", "/callback/wecom?"+query, bytes.NewReader(body))
		req.RemoteAddr = "192.168.1.66:40000"
		req.Host = "127.0.0.1"
		rec := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(rec, req)
		n, _ := e.srv.Inbox().Count(context.Background())
		if !lan && (rec.Code != 403 || n != 0 || !strings.Contains(rec.Body.String(), "--emulator-lan")) {
			t.Errorf("LAN peer without --emulator-lan: %d %q, inbox %d", rec.Code, rec.Body.String(), n)
		}
		if lan && (rec.Code != 200 || n != 1) {
			t.Errorf("LAN peer with --emulator-lan: %d %q, inbox %d", rec.Code, rec.Body.String(), n)
		}
	}
}

// TestMediaFetchFlood is one LAN client calling media/fetch in a loop
// (each call spends API quota and disk): 429 past the rate, 507 past the
// disk bound.
func TestMediaFetchFlood(t *testing.T) {
	upload := func(e *env, n int) []string {
		app := e.st.WeCom.Apps[0]
		wc, err := api.NewWeCom(api.WeComApp{CorpID: e.st.WeCom.CorpID, AgentID: app.AgentID, Secret: app.Secret}, api.WithBaseURL(e.emu.WeComBaseURL()))
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for i := 0; i < n; i++ {
			png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte(fmt.Sprintf("image %d ", i)), 500)...)
			up, err := wc.UploadMedia(context.Background(), "image", "p.png", bytes.NewReader(png))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, up.MediaID)
		}
		return ids
	}
	tok := map[string]string{server.ClientTokenHeader: testClientToken, "Content-Type": "application/json"}
	e := start(t, func(c *server.Config) { c.MediaFetchPerMinute = 5 })
	ids := upload(e, 1)
	codes := ""
	var last string
	for i := 0; i < 8; i++ {
		st, b := do(t, "POST", e.srv.URL()+"/api/media/fetch", "", `{"serverId":"`+ids[0]+`"}`, tok)
		codes += fmt.Sprint(st, " ")
		last = b
	}
	if codes != "200 200 200 200 200 429 429 429 " || !strings.Contains(last, "--media-per-minute") {
		t.Errorf("flood: %s; last %s", codes, last)
	}
	d := start(t, func(c *server.Config) { c.MediaFetchPerMinute = -1; c.MaxMediaDiskBytes = 6000 })
	ids = upload(d, 3)
	codes = ""
	for _, id := range ids {
		st, b := do(t, "POST", d.srv.URL()+"/api/media/fetch", "", `{"serverId":"`+id+`"}`, tok)
		codes += fmt.Sprint(st, " ")
		last = b
	}
	if codes != "200 200 507 " || !strings.Contains(last, "--media-disk-max") {
		t.Errorf("disk: %s; last %s", codes, last)
	}
}

// TestPageCookie checks the H5 page's path to media/fetch: the page
// response sets the page cookie, which the page's own requests carry and
// requests other sites start do not.
func TestPageCookie(t *testing.T) {
	e := start(t, nil)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Get(e.srv.URL() + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	req, _ := http.NewRequest("POST", e.srv.URL()+"/api/media/fetch", strings.NewReader(`{"serverId":"no-such-media"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 502 { // past the guard: media/get answers no such media
		t.Errorf("page with its cookie: %d", resp.StatusCode)
	}
	if st, b := do(t, "POST", e.srv.URL()+"/api/media/fetch", "", `{"serverId":"no-such-media"}`, map[string]string{"Content-Type": "application/json"}); st != 403 {
		t.Errorf("no cookie: %d %s", st, b)
	}
	// The page cookie opens no admin endpoint.
	u, _ := url.Parse(e.srv.URL())
	req, _ = http.NewRequest("GET", e.srv.URL()+"/api/inbox", nil)
	for _, ck := range jar.Cookies(u) {
		req.AddCookie(ck)
	}
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 403 {
		t.Errorf("admin endpoint with the page cookie: %v %v", resp.StatusCode, err)
	}
}

// TestPrivateFiles checks the data directory, the inbox database and the
// client token file are the user's only, also when an older version left
// them world-readable.
func TestPrivateFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(filepath.Join(dir, "media"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	e := start(t, func(c *server.Config) { c.DataDir = dir })
	var r pushResult
	postJSON(t, e.emu.URL+"/__emulator/callbacks", map[string]any{"platform": "wecom", "content": "hi"}, &r)
	for p, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "media"): 0o700, filepath.Join(dir, "inbox.db"): 0o600,
		filepath.Join(dir, "inbox.db-wal"): 0o600, filepath.Join(dir, server.ClientTokenFile): 0o600} {
		st, err := os.Stat(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, st.Mode().Perm(), want)
		}
	}
	if tok, err := server.ReadClientToken(dir); err != nil || tok != testClientToken {
		t.Errorf("token file: %q %v", tok, err)
	}
}
