//go:build !js

package jssdk

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

func TestSignerConfig(t *testing.T) {
	clock := func() time.Time { return time.Unix(1700000000, 999_000_000) }
	s := NewSigner(WithRand(bytes.NewReader(bytes.Repeat([]byte{0, 1, 2, 61, 62, 250, 255}, 20))), WithClock(clock))
	const ticket = "kgt8ON7yVITDhtdwci0qeZo2c5oOMRp1CxbsmA8Xo2YJ2tBgXpKdVz0wMcuRGc8ZSuhbJvqfPb1MX6ROyTAs-Q"
	cfg, sts, err := s.Config("wx0123456789abcdef", ticket, "https://app.example.com/h5?a=1#/x")
	if err != nil {
		t.Fatal(err)
	}
	// bytes 0,1,2,61,62 → A,B,C,9,A; 250 and 255 are rejected.
	if cfg.NonceStr != "ABC9AABC9AABC9AA" || cfg.Timestamp != 1700000000 || cfg.AppID != "wx0123456789abcdef" {
		t.Errorf("config = %+v", cfg)
	}
	if want := StringToSign(ticket, cfg.NonceStr, cfg.Timestamp, "https://app.example.com/h5?a=1"); sts != want {
		t.Errorf("stringToSign = %q, want %q", sts, want)
	}
	if want := Sign(ticket, cfg.NonceStr, cfg.Timestamp, "https://app.example.com/h5?a=1"); cfg.Signature != want {
		t.Errorf("signature = %s, want %s", cfg.Signature, want)
	}
	// The default signer produces distinct alphanumeric nonces.
	d := NewSigner()
	a, _, err1 := d.Config("wx0123456789abcdef", ticket, "https://x.cn/")
	b, _, err2 := d.Config("wx0123456789abcdef", ticket, "https://x.cn/")
	if err1 != nil || err2 != nil || a.NonceStr == b.NonceStr || len(a.NonceStr) != DefaultNonceLength {
		t.Errorf("default nonces %q %q (%v %v)", a.NonceStr, b.NonceStr, err1, err2)
	}
	for _, c := range a.NonceStr {
		if !strings.ContainsRune(nonceAlphabet, c) {
			t.Errorf("nonce %q has %q", a.NonceStr, c)
		}
	}
}

func TestSignerConfigErrors(t *testing.T) {
	tests := []struct {
		name        string
		s           *Signer
		ticket, url string
		want        string
	}{
		{"no ticket", NewSigner(), "", "https://a.cn/", "empty jsapi_ticket"},
		{"no url", NewSigner(), "T", "", "empty url"},
		{"only fragment", NewSigner(), "T", "#/x", "empty url"},
		{"rand fails", NewSigner(WithRand(errReader{})), "T", "https://a.cn/", "reading randomness"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, sts, err := tc.s.Config("wx0123456789abcdef", tc.ticket, tc.url)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "jssdk: ") {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if cfg != (Config{}) || sts != "" {
				t.Errorf("on error the other results must be zero: %+v %q", cfg, sts)
			}
			if tc.ticket != "" && strings.Contains(err.Error(), tc.ticket) {
				t.Errorf("error leaks the ticket: %v", err)
			}
		})
	}
}

func TestSignerAgentConfig(t *testing.T) {
	const agentTicket = "E0o2-at6NcC2OsJiQTlwlJbYgbDcJ6VG0mGu4gHwT4eYmOvSv2uoeJXKtsoyrA9pk3CmfO8iTw0CqxIpu09dGQ"
	s := NewSigner(WithRand(strings.NewReader(strings.Repeat("wwnoncewwnonce", 10))), WithClock(func() time.Time { return time.Unix(1700000456, 0) }))
	cfg, sts, err := s.AgentConfig("ww7a3c9e1f5b2d8064", "1000002", agentTicket, "https://oa.example.com/approve?id=7#x")
	if err != nil {
		t.Fatal(err)
	}
	if want := StringToSign(agentTicket, cfg.NonceStr, 1700000456, "https://oa.example.com/approve?id=7"); sts != want {
		t.Errorf("stringToSign %q, want %q", sts, want)
	}
	if cfg.CorpID != "ww7a3c9e1f5b2d8064" || cfg.AgentID != "1000002" || cfg.Signature != Sign(agentTicket, cfg.NonceStr, cfg.Timestamp, "https://oa.example.com/approve?id=7") {
		t.Errorf("config %+v", cfg)
	}
	b, _ := json.Marshal(cfg)
	for _, k := range []string{`"corpid"`, `"agentid":"1000002"`, `"nonceStr"`, `"timestamp":1700000456`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON %s lacks %s", b, k)
		}
	}
	for _, bad := range []string{"", "app-7", " 1000002"} {
		if c, sts, err := s.AgentConfig("ww7a3c9e1f5b2d8064", bad, agentTicket, "https://a.cn/"); err == nil || c != (AgentConfig{}) || sts != "" {
			t.Errorf("agentid %q: err %v, %+v", bad, err, c)
		}
	}
	// Round trip through Check: the agent config verifies with the agent ticket.
	res := Check(Input{Kind: "agentConfig", AppID: cfg.CorpID, AgentID: FlexText(cfg.AgentID), Timestamp: TimestampOf(cfg.Timestamp), NonceStr: cfg.NonceStr, Signature: cfg.Signature, URL: "https://oa.example.com/approve?id=7#x", AgentTicket: agentTicket, Now: cfg.Timestamp})
	if !res.OK || !res.Has(CodeSignatureOK) {
		t.Errorf("Check of a signed agent config: %+v", res.Findings)
	}
}
