package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/emulator"
)

type checkAnswer struct {
	OK     bool   `json:"ok"`
	Error  string `json:"error"`
	Result struct {
		OK           bool   `json:"ok"`
		StringToSign string `json:"stringToSign"`
		Findings     []struct {
			Code, Severity, Message, MessageZh, Fix string
		} `json:"findings"`
	} `json:"result"`
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

func (a checkAnswer) has(code string) bool {
	for _, f := range a.Result.Findings {
		if f.Code == code {
			return true
		}
	}
	return false
}

// TestSignatureCheck posts what a page passed to wx.config, with the page's
// real location.href, to the signing endpoints: they recompute with the
// ticket they keep, name the mistake, and never answer with the ticket.
func TestSignatureCheck(t *testing.T) {
	e := start(t, nil)
	page := e.srv.URL() + "/h5/index.html?from=singlemessage&a=b"
	sign := func(path, signURL string) signAnswer {
		t.Helper()
		var a signAnswer
		if code := getJSON(t, nil, e.srv.URL()+path+sep(path)+"url="+url.QueryEscape(signURL), &a); code != 200 || !a.OK {
			t.Fatalf("sign %s: %d %+v", signURL, code, a)
		}
		return a
	}
	check := func(path string, body map[string]any) (int, checkAnswer, string) {
		t.Helper()
		b, _ := json.Marshal(body)
		resp, err := http.Post(e.srv.URL()+path, "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var a checkAnswer
		if err := json.Unmarshal(raw, &a); err != nil {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, raw)
		}
		return resp.StatusCode, a, string(raw)
	}
	fx := e.emu.Emulator().Fixture()
	noSecrets := func(name, raw string) {
		t.Helper()
		st := e.emu.Emulator().State()
		app := st.WeCom.Apps[0]
		secrets := []string{app.Secret}
		for _, is := range []*emulator.Issued{app.JSAPITicket, app.AgentTicket, app.AccessToken, st.MP.JSAPITicket, st.MP.AccessToken} {
			if is != nil {
				secrets = append(secrets, is.Value)
			}
		}
		if len(secrets) < 4 { // the secret and the three WeCom values at least
			t.Fatalf("%s: the emulator issued no tickets: %+v", name, app)
		}
		for _, s := range secrets {
			if s != "" && strings.Contains(raw, s) {
				t.Errorf("%s: the answer contains a ticket, token or secret: %s", name, raw)
			}
		}
	}
	ua := "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN"
	cases := []struct {
		name, path, signURL string
		body                map[string]any
		want                string
	}{
		{"right", "/api/jssdk/config", page, map[string]any{"url": page + "#/route"}, "SIGNATURE_OK"},
		{"&amp;", "/api/jssdk/config", strings.ReplaceAll(page, "&", "&amp;"), map[string]any{"url": page}, "URL_HTML_ESCAPED"},
		{"fragment", "/api/jssdk/config", page + "#/route", map[string]any{"url": page + "#/route"}, "SIGNATURE_OK"},
		{"SPA on iOS WeChat", "/api/jssdk/config?profile=mp", page + "&tab=2", map[string]any{"url": page + "&tab=2", "landingUrl": page, "userAgent": ua}, "URL_SPA_LANDING"},
		{"agentConfig with the corp ticket", "/api/jssdk/config", page, map[string]any{"url": page, "kind": "agentConfig"}, "TICKET_WRONG_KIND"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := sign(tc.path, tc.signURL)
			body := map[string]any{"appId": a.AppID, "timestamp": a.Timestamp, "nonceStr": a.NonceStr, "signature": a.Signature,
				"ticket": "forged-by-the-page", "now": 1}
			for k, v := range tc.body {
				body[k] = v
			}
			path := tc.path
			if body["kind"] == "agentConfig" {
				path, body["corpId"], body["agentId"] = "/api/jssdk/agent-config", a.AppID, fx.WeCom.Apps[0].AgentID
			}
			code, ans, raw := check(path, body)
			if code != 200 || !ans.OK || !ans.has(tc.want) {
				t.Fatalf("%d, want %s: %s", code, tc.want, raw)
			}
			if ans.Result.StringToSign != "" {
				t.Errorf("the answer has the string to sign (it holds the ticket): %s", raw)
			}
			if ans.has("TIMESTAMP_SKEW") {
				t.Errorf("the page's now was used for the skew check: %s", raw)
			}
			noSecrets(tc.name, raw)
		})
	}
	// A wrong signature: the answer names the right one (what GET would sign) but not the ticket.
	a := sign("/api/jssdk/config", page)
	_, ans, raw := check("/api/jssdk/config", map[string]any{"appId": a.AppID, "timestamp": a.Timestamp, "nonceStr": a.NonceStr,
		"signature": strings.Repeat("ab", 20), "url": page})
	if !ans.has("SIGNATURE_MISMATCH") || ans.Result.OK {
		t.Errorf("a made-up signature: %s", raw)
	}
	noSecrets("mismatch", raw)
	for _, tc := range []struct {
		name, path, body string
		status           int
	}{
		{"untrusted page", "/api/jssdk/config", `{"url":"https://evil.example.com/p","signature":"x"}`, 400},
		{"no url", "/api/jssdk/config", `{"signature":"x"}`, 400},
		{"not JSON", "/api/jssdk/config", `{`, 400},
		{"too big", "/api/jssdk/config", `{"url":"` + strings.Repeat("a", 40<<10) + `"}`, 413},
		{"unknown profile", "/api/jssdk/config?profile=nope", `{}`, 404},
		{"agentConfig on MP", "/api/jssdk/agent-config?profile=mp", `{}`, 400},
	} {
		resp, err := http.Post(e.srv.URL()+tc.path, "application/json", strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var f checkAnswer
		_ = json.Unmarshal(b, &f)
		if resp.StatusCode != tc.status || f.OK || f.Error == "" {
			t.Errorf("%s: %d %s, want %d with an error", tc.name, resp.StatusCode, b, tc.status)
		}
	}
}
