package cli_test

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	cliTicket = "kgt8ON7yVITDhtdwci0qeZo2c5oOMRp1CxbsmA8Xo2YJ2tBgXpKdVz0wMcuRGc8ZSuhbJvqfPb1MX6ROyTAs-Q"
	// Example 2 of the spec: signature cc6070d2… over the URL without #….
	goodConfig = `{
  "appId": "ww7a3c9e1f5b2d8064",
  "timestamp": 1700000000,
  "nonceStr": "abc123xyz",
  "signature": "cc6070d26fe4d3801ccab2e8304d1dee64c9cc8f",
  "jsApiList": ["chooseImage"],
  "url": "https://app.example.com/h5/index.html?from=singlemessage&isappinstalled=0#/orders/9",
  "userAgent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.16 MicroMessenger/7.0.1",
  "now": 1700000003
}`
)

// sha1HexCLI is how a backend hashes the string it built, right or wrong.
func sha1HexCLI(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestJSSDKCheck(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "config.json")
	if err := os.WriteFile(file, []byte(goodConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	wrongNonce := strings.Replace(goodConfig, `"nonceStr": "abc123xyz"`, `"nonceStr": "abc123xyw"`, 1)
	nonceCase := strings.Replace(goodConfig, `"nonceStr": "abc123xyz"`, `"nonceStr": "abc123xyZ"`, 1)
	msTimestamp := strings.Replace(goodConfig, `"timestamp": 1700000000,`, `"timestamp": 1700000000123,`, 1)
	tests := []struct {
		name     string
		stdin    string
		env      []string
		args     []string
		code     int
		contains []string
	}{
		{"ok from file, no ticket", "", nil, []string{"--config", file}, 0, []string{"SIGNATURE_UNVERIFIED", "0 error(s)", "ok:"}},
		{"ok verified with WWKIT_TICKET", goodConfig, []string{"WWKIT_TICKET=" + cliTicket}, nil, 0, []string{"SIGNATURE_OK", "ENV_CLIENT", "企业微信 4.1.16"}},
		{"ok verified with --ticket", goodConfig, nil, []string{"--ticket", cliTicket, "--config", "-"}, 0, []string{"SIGNATURE_OK"}},
		{"mismatch", wrongNonce, []string{"WWKIT_TICKET=" + cliTicket}, nil, 1, []string{"✗ error", "SIGNATURE_MISMATCH", "签名", "fix:", "FAIL"}},
		{"nonce case", nonceCase, []string{"WWKIT_TICKET=" + cliTicket}, nil, 1, []string{"✗ error", "NONCE_CASE_MISMATCH", "FAIL"}},
		{"milliseconds", msTimestamp, nil, nil, 1, []string{"TIMESTAMP_MILLISECONDS"}},
		{"malformed JSON", "{\n  \"appId\": \"ww\",\n  \"timestamp\": 17,\n}", nil, nil, 2, []string{"line 4, column 2"}},
		{"wrong type", `{"appId": 7}`, nil, nil, 2, []string{`field "appId"`}},
		{"empty input", "", nil, nil, 2, []string{"input is empty"}},
		{"missing file", "", nil, []string{"--config", filepath.Join(dir, "nope.json")}, 2, []string{"--config"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runWWKit(t, tc.stdin, append([]string{"WWKIT_TICKET="}, tc.env...), append([]string{"jssdk", "check"}, tc.args...)...)
			if r.Code != tc.code {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", r.Code, tc.code, r.Stdout, r.Stderr)
			}
			all := r.Stdout + r.Stderr
			for _, s := range tc.contains {
				if !strings.Contains(all, s) {
					t.Errorf("output lacks %q:\n%s", s, all)
				}
			}
			if strings.Contains(r.Stderr, cliTicket) || (tc.code != 0 && strings.Contains(r.Stdout, cliTicket)) {
				t.Errorf("human output shows the ticket")
			}
		})
	}
}

func TestJSSDKCheckJSON(t *testing.T) {
	// The backend signed the URL with its #fragment: check names the mistake.
	href := "https://app.example.com/h5/index.html?from=singlemessage&isappinstalled=0#/orders/9"
	cfg := strings.Replace(goodConfig, "cc6070d26fe4d3801ccab2e8304d1dee64c9cc8f", sha1HexCLI("jsapi_ticket="+cliTicket+"&noncestr=abc123xyz&timestamp=1700000000&url="+href), 1)
	for _, tc := range []struct {
		name  string
		input string
		code  int
		ok    bool
		want  string
	}{
		{"good", goodConfig, 0, true, "SIGNATURE_OK"},
		{"fragment kept", cfg, 1, false, "URL_HAS_FRAGMENT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runWWKit(t, tc.input, []string{"WWKIT_TICKET=" + cliTicket}, "jssdk", "check", "--json")
			if r.Code != tc.code {
				t.Fatalf("exit %d, want %d: %s %s", r.Code, tc.code, r.Stdout, r.Stderr)
			}
			var out struct {
				OK       bool `json:"ok"`
				Findings []struct {
					Code, Severity, Message, MessageZh, Fix string
				} `json:"findings"`
				StringToSign string `json:"stringToSign"`
			}
			if err := json.Unmarshal([]byte(r.Stdout), &out); err != nil {
				t.Fatalf("%v: %q", err, r.Stdout)
			}
			if out.OK != tc.ok || len(out.Findings) == 0 || out.Findings[0].Code != tc.want && !contains(out.Findings, tc.want) {
				t.Fatalf("got %+v, want ok=%v with %s", out, tc.ok, tc.want)
			}
			if !strings.HasSuffix(out.StringToSign, "&url=https://app.example.com/h5/index.html?from=singlemessage&isappinstalled=0") {
				t.Errorf("stringToSign = %q", out.StringToSign)
			}
		})
	}
}

func contains(fs []struct{ Code, Severity, Message, MessageZh, Fix string }, code string) bool {
	for _, f := range fs {
		if f.Code == code {
			return true
		}
	}
	return false
}

func TestJSSDKAPIs(t *testing.T) {
	r := runWWKit(t, "", nil, "jssdk", "apis", "--platform", "wecom")
	if r.Code != 0 || !strings.Contains(r.Stdout, "selectExternalContact") || !strings.Contains(r.Stdout, "agentConfig beta") {
		t.Fatalf("apis: %d %q", r.Code, r.Stdout)
	}
	if strings.Contains(r.Stdout, "updateAppMessageShareData") {
		t.Errorf("wecom list has an mp-only API")
	}
	r = runWWKit(t, "", nil, "jssdk", "apis", "--platform", "qq")
	if r.Code != 2 {
		t.Errorf("bad platform: exit %d", r.Code)
	}
}

func TestJSSDKCodes(t *testing.T) {
	r := runWWKit(t, "", nil, "jssdk", "codes", "--json")
	var out struct {
		OK    bool `json:"ok"`
		Codes []struct {
			Code, Severity, Meaning, MeaningZh, Fix string
		} `json:"codes"`
	}
	if r.Code != 0 || json.Unmarshal([]byte(r.Stdout), &out) != nil || !out.OK {
		t.Fatalf("exit %d: %q %q", r.Code, r.Stdout, r.Stderr)
	}
	seen := map[string]string{}
	for _, c := range out.Codes {
		seen[c.Code] = c.Severity
		if c.Meaning == "" || c.MeaningZh == "" || c.Fix == "" {
			t.Errorf("%s is incomplete", c.Code)
		}
	}
	for code, sev := range map[string]string{"URL_HAS_FRAGMENT": "error", "SIGNATURE_MISMATCH": "error", "TIMESTAMP_SKEW": "warning", "SIGNATURE_OK": "info", "TICKET_WRONG_KIND": "error"} {
		if seen[code] != sev {
			t.Errorf("%s: severity %q, want %q", code, seen[code], sev)
		}
	}
	r = runWWKit(t, "", nil, "jssdk")
	if r.Code != 2 || !strings.Contains(r.Stderr, "subcommand") {
		t.Errorf("bare jssdk: exit %d %q", r.Code, r.Stderr)
	}
}
