package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wwkit/wwkit/app/desktop"
	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/message"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// One wwkit.toml with a WeCom app and an Official Account, their callback
// settings (one through an *_env variable), trusted domains and a reply
// rule; CRLF line ends as a Windows editor saves it.
const sharedTOML = `# 开发环境
[profiles.dev]
corp_id = "wwsharedcorp0001"
agent_id = 1000017
secret = "shared-wecom-secret"
token = "SharedWeComToken"
encoding_aes_key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
mp_app_id = "wxsharedapp00001"
mp_secret = "shared-mp-secret"
mp_token_env = "SHARED_MP_TOKEN"
mp_encoding_aes_key = "GFEDCBA9876543210zyxwvutsrqponmlkjihgfedcba"
wecom_base_url = "http://127.0.0.1:1/wecom"
mp_base_url = "http://127.0.0.1:1/mp"
trusted_domains = ["h5.example.com", "127.0.0.1"]
reply = "text:收到"
`

const sharedMPToken = "SharedMPTokenFromEnv"

// servedProfile is what GET /api/profiles shows of a profile, less its
// name: `wwkit serve` names one table's sides wecom and mp (its callback
// URLs predate the desktop's NAME and NAME-mp).
type servedProfile struct {
	Platform       string   `json:"platform"`
	AppID          string   `json:"appId"`
	AgentID        int64    `json:"agentId"`
	TrustedDomains []string `json:"trustedDomains"`
	Reply          string   `json:"reply"`
	CallbackURL    string   `json:"callbackURL"`
	Emulated       bool     `json:"emulated"`
}

func apiProfiles(t *testing.T, base, data string) []servedProfile {
	t.Helper()
	tok, err := server.ReadClientToken(data)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", base+"/api/profiles", nil)
	req.Header.Set(server.ClientTokenHeader, tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Profiles []servedProfile `json:"profiles"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s/api/profiles: %d %v", base, resp.StatusCode, err)
	}
	// The desktop app serves the emulator's profiles next to the file's.
	out.Profiles = slices.DeleteFunc(out.Profiles, func(p servedProfile) bool { return p.Emulated })
	slices.SortFunc(out.Profiles, func(a, b servedProfile) int { return strings.Compare(a.Platform, b.Platform) })
	return out.Profiles
}

// pushCallback sends an encrypted text message to callbackURL with the
// profile's callback settings, as Tencent does, and returns the decrypted
// passive reply.
func pushCallback(t *testing.T, callbackURL, token, aesKey, receiveID string, agentID int64) string {
	t.Helper()
	cr, err := wxcrypt.New(token, aesKey, receiveID)
	if err != nil {
		t.Fatal(err)
	}
	ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), "n"+strconv.FormatInt(time.Now().UnixNano(), 36)
	plain := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>%s</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content><MsgId>%d</MsgId></xml>",
		receiveID, ts, time.Now().UnixNano())
	agent := ""
	if agentID != 0 {
		agent = strconv.FormatInt(agentID, 10)
	}
	body, sig, err := cr.EncryptRequest([]byte(plain), receiveID, agent, ts, nonce)
	if err != nil {
		t.Fatal(err)
	}
	q := url.Values{"msg_signature": {sig}, "timestamp": {ts}, "nonce": {nonce}}
	if agentID == 0 {
		q.Set("signature", wxcrypt.Signature(token, ts, nonce, ""))
		q.Set("openid", "zhangsan")
		q.Set("encrypt_type", "aes")
	}
	resp, err := http.Post(callbackURL+"?"+q.Encode(), "text/xml", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("callback %s: %d %s", callbackURL, resp.StatusCode, raw)
	}
	reply, err := cr.DecryptReply(bytes.TrimSpace(raw))
	if err != nil {
		t.Fatalf("callback %s: reply %q: %v", callbackURL, raw, err)
	}
	m, err := message.Parse(reply)
	if err != nil {
		t.Fatal(err)
	}
	txt, ok := m.Body.(*message.Text)
	if !ok {
		t.Fatalf("callback %s: reply %s is not text", callbackURL, reply)
	}
	return txt.Content
}

// TestOneTOMLThreeReaders loads one wwkit.toml through `wwkit serve`, the
// App the tray runs (it owns the dev server) and the desktop window
// attached to it, and checks all three see the same profiles, accept
// callbacks signed with the same settings and answer with the same reply
// rule.
func TestOneTOMLThreeReaders(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "wwkit.toml")
	if err := os.WriteFile(cfg, []byte(strings.ReplaceAll(sharedTOML, "\n", "\r\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	want := []servedProfile{
		{Platform: "mp", AppID: "wxsharedapp00001", TrustedDomains: []string{"h5.example.com", "127.0.0.1"}, Reply: "text:收到"},
		{Platform: "wecom", AppID: "wwsharedcorp0001", AgentID: 1000017, TrustedDomains: []string{"h5.example.com", "127.0.0.1"}, Reply: "text:收到"},
	}
	check := func(t *testing.T, who, base, data string) {
		t.Helper()
		got := apiProfiles(t, base, data)
		if len(got) != len(want) {
			t.Fatalf("%s serves %+v, want %+v", who, got, want)
		}
		for i := range want {
			g := got[i]
			g.CallbackURL = ""
			if !equalProfile(g, want[i]) {
				t.Errorf("%s: %s profile %+v, want %+v", who, want[i].Platform, g, want[i])
			}
		}
		for _, p := range got {
			token, key, id, agent := "SharedWeComToken", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", p.AppID, p.AgentID
			if p.Platform == "mp" {
				token, key = sharedMPToken, "GFEDCBA9876543210zyxwvutsrqponmlkjihgfedcba"
			}
			// The callback URL names the public address; the test reaches
			// the same server on loopback.
			u, _ := url.Parse(p.CallbackURL)
			if reply := pushCallback(t, base+u.Path, token, key, id, agent); reply != "收到" {
				t.Errorf("%s %s: reply %q, want the table's text rule", who, p.Platform, reply)
			}
		}
	}

	t.Run("wwkit serve", func(t *testing.T) {
		_, info, stderr := startServeEnv(t, dir, []string{"SHARED_MP_TOKEN=" + sharedMPToken}, "--config", cfg, "--profile", "dev")
		check(t, "wwkit serve", info.URL, dir)
		if t.Failed() {
			t.Logf("serve stderr: %s", stderr)
		}
	})

	t.Run("tray and desktop", func(t *testing.T) {
		getenv := func(k string) string {
			if k == "SHARED_MP_TOKEN" {
				return sharedMPToken
			}
			return ""
		}
		data := filepath.Join(dir, "desktop")
		// The tray owns the dev server; the window attaches to it.
		tray, err := desktop.NewApp(desktop.Config{DataDir: data, Addr: "127.0.0.1:0", ConfigPath: cfg, Getenv: getenv, Secrets: desktop.SecretsFile})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if err := tray.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer tray.Stop()
		check(t, "the tray's dev server", tray.ServerURL(), data)
		win, err := desktop.NewApp(desktop.Config{DataDir: data, Attach: tray.ServerURL(), ConfigPath: cfg, Getenv: getenv, Secrets: desktop.SecretsFile})
		if err != nil {
			t.Fatal(err)
		}
		if err := win.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer win.Stop()
		list, err := win.Profiles.List()
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, p := range list {
			if p.Emulated {
				continue
			}
			id := p.CorpID
			if p.Platform == "mp" {
				id = p.AppID
			}
			seen[p.Platform+" "+id] = true
			if !p.CallbackReady || !p.Served || !slices.Equal(p.TrustedDomains, want[0].TrustedDomains) {
				t.Errorf("the window sees %+v", p)
			}
		}
		if !seen["wecom wwsharedcorp0001"] || !seen["mp wxsharedapp00001"] || len(seen) != 2 {
			t.Errorf("the window sees %v, want the table's WeCom app and Official Account", seen)
		}
	})
}

func equalProfile(a, b servedProfile) bool {
	return a.Platform == b.Platform && a.AppID == b.AppID && a.AgentID == b.AgentID && a.Reply == b.Reply && slices.Equal(a.TrustedDomains, b.TrustedDomains)
}

// TestServeRejectsTableReply: a reply rule in wwkit.toml that the profile
// cannot use stops `wwkit serve` before it starts, naming the table.
func TestServeRejectsTableReply(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "wwkit.toml")
	bad := strings.Replace(sharedTOML, `reply = "text:收到"`, `reply = "shout"`, 1)
	if err := os.WriteFile(cfg, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runWWKit(t, "", []string{"SHARED_MP_TOKEN=" + sharedMPToken}, "serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--config", cfg, "--profile", "dev", "--no-qr")
	if r.Code == 0 || !strings.Contains(r.Stderr, "[profiles.dev]") || !strings.Contains(r.Stderr, "reply") {
		t.Fatalf("exit %d, stderr %s", r.Code, r.Stderr)
	}
}
