package wxcrypt

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func vectorByName(t *testing.T, name string) vectorCase {
	t.Helper()
	for _, v := range loadVectors(t) {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("no vector %s", name)
	return vectorCase{}
}

// englishSentence finds four or more English words in a row that include a
// function word: text left untranslated (formulas such as
// "sha1(sort(token, timestamp, nonce))" and names pass).
func englishSentence(s string) string {
	for _, m := range sentenceRE.FindAllString(s, -1) {
		for _, w := range strings.FieldsFunc(strings.ToLower(m), func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == ':' }) {
			if englishFunctionWords[w] {
				return m
			}
		}
	}
	return ""
}

var sentenceRE = regexp.MustCompile(`\b[A-Za-z][A-Za-z']+(?:[ ,;:]+[A-Za-z][A-Za-z']*){3,}`)

var englishFunctionWords = map[string]bool{"the": true, "a": true, "an": true, "is": true, "are": true, "not": true, "to": true, "of": true,
	"and": true, "or": true, "use": true, "set": true, "no": true, "in": true, "for": true, "with": true, "was": true, "does": true,
	"has": true, "have": true, "be": true, "it": true, "this": true, "from": true, "on": true, "at": true, "by": true, "can": true, "cannot": true}

func TestDiagnose(t *testing.T) {
	url := vectorByName(t, "official_wecom_sample_verify_url")
	post := vectorByName(t, "wecom_text_basic")
	suite := vectorByName(t, "suite_receive_id")
	otherKey := "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	now := time.Unix(1409659589, 0)
	cfg := func(v vectorCase) Config {
		return Config{Token: v.Token, EncodingAESKey: v.EncodingAESKey, ReceiveID: v.ReceiveID, Now: now}
	}
	get := func(v vectorCase) Request {
		return Request{MsgSignature: v.MsgSignature, Timestamp: v.Timestamp, Nonce: v.Nonce, EchoStr: v.Encrypt}
	}
	cases := []struct {
		name     string
		req      Request
		cfg      Config
		ok       bool
		failStep string // first failing step
		cause    string // substring of Cause
		warn     string // a step expected to warn
	}{
		{"ok_get", get(url), cfg(url), true, "", "", ""},
		{"ok_post_clock_skew", Request{MsgSignature: post.MsgSignature, Timestamp: post.Timestamp, Nonce: post.Nonce, Body: []byte(post.PostBody)}, cfg(post), true, "", "", "timestamp"},
		{"wrong_token", get(url), Config{Token: "nope", EncodingAESKey: url.EncodingAESKey, ReceiveID: url.ReceiveID, Now: now}, false, "signature", "Token is wrong", ""},
		{"wrong_key", get(url), Config{Token: url.Token, EncodingAESKey: otherKey, ReceiveID: url.ReceiveID, Now: now}, false, "", "EncodingAESKey", ""},
		{"short_key", get(url), Config{Token: url.Token, EncodingAESKey: url.EncodingAESKey[:42], ReceiveID: url.ReceiveID, Now: now}, false, "config", "43", ""},
		{"corp_instead_of_suite", Request{MsgSignature: suite.MsgSignature, Timestamp: suite.Timestamp, Nonce: suite.Nonce, EchoStr: suite.Encrypt},
			Config{Token: suite.Token, EncodingAESKey: suite.EncodingAESKey, ReceiveID: "ww5a1b2c3d4e5f6a7b", Now: now}, false, "receiveid", `"tj1a2b3c4d5e6f7a8b"`, ""},
		{"plus_became_space", Request{MsgSignature: url.MsgSignature, Timestamp: url.Timestamp, Nonce: url.Nonce, EchoStr: strings.ReplaceAll(url.Encrypt, "+", " ")}, cfg(url), true, "", "", ""},
		{"still_percent_encoded", Request{MsgSignature: url.MsgSignature, Timestamp: url.Timestamp, Nonce: url.Nonce, EchoStr: strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(url.Encrypt)}, cfg(url), true, "", "", ""},
		{"three_item_signature", Request{MsgSignature: Signature(url.Token, url.Timestamp, url.Nonce, ""), Timestamp: url.Timestamp, Nonce: url.Nonce, EchoStr: url.Encrypt}, cfg(url), false, "signature", "3-item", ""},
		{"signature_over_body", Request{MsgSignature: Signature(post.Token, post.Timestamp, post.Nonce, post.PostBody), Timestamp: post.Timestamp, Nonce: post.Nonce, Body: []byte(post.PostBody)}, cfg(post), false, "signature", "whole POST body", ""},
		{"mp_plain_url_check", Request{Signature: "f464b24fc39322e44b38aa78f5edd27bd1441696", Timestamp: "1714036504", Nonce: "1514711492", EchoStr: "abc"}, Config{Token: "AAAAA", EncodingAESKey: url.EncodingAESKey}, true, "", "", ""},
		{"mp_plain_wrong_token", Request{Signature: "f464b24fc39322e44b38aa78f5edd27bd1441696", Timestamp: "1714036504", Nonce: "1514711492", EchoStr: "abc"}, Config{Token: "BBBBB", EncodingAESKey: url.EncodingAESKey}, false, "signature", "Token is wrong", ""},
		{"json_body", Request{MsgSignature: url.MsgSignature, Timestamp: url.Timestamp, Nonce: url.Nonce, Body: []byte(` {"encrypt":"` + url.Encrypt + `"}`)}, cfg(url), true, "", "", ""},
		{"json_body_no_encrypt", Request{MsgSignature: url.MsgSignature, Timestamp: url.Timestamp, Nonce: url.Nonce, Body: []byte(`{"x":1}`)}, cfg(url), false, "envelope", "encrypt", ""},
		{"nothing_captured", Request{MsgSignature: "x", Timestamp: "1"}, cfg(url), false, "envelope", "no echostr", ""},
	}
	// The one-word verdict other tools translate and count.
	verdicts := map[string]string{
		"ok_get": "", "ok_post_clock_skew": "", "wrong_token": VerdictToken, "wrong_key": VerdictAESKey, "short_key": VerdictConfig,
		"corp_instead_of_suite": VerdictReceiveID, "plus_became_space": VerdictURLDecode, "still_percent_encoded": VerdictURLDecode,
		"three_item_signature": VerdictWrongField, "signature_over_body": VerdictWrongField, "mp_plain_url_check": "", "mp_plain_wrong_token": VerdictToken,
		"json_body": "", "json_body_no_encrypt": VerdictEnvelope, "nothing_captured": VerdictEnvelope,
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Diagnose(tc.req, tc.cfg)
			// The callback checker shows each step in Chinese.
			for _, st := range r.Steps {
				if (st.Detail == "") != (st.DetailZh == "") {
					t.Errorf("step %s: detail %q has Chinese %q", st.Name, st.Detail, st.DetailZh)
				}
				if m := englishSentence(st.DetailZh); m != "" {
					t.Errorf("step %s: untranslated English %q in %q", st.Name, m, st.DetailZh)
				}
			}
			if r.Cause != "" && r.CauseZh == "" {
				t.Errorf("cause %q has no Chinese", r.Cause)
			}
			if want, ok := verdicts[tc.name]; !ok || r.Verdict != want {
				t.Fatalf("verdict %q, want %q (listed: %v)", r.Verdict, want, ok)
			}
			if r.OK != tc.ok {
				t.Fatalf("OK = %v, want %v: %+v", r.OK, tc.ok, r)
			}
			if tc.ok && r.Msg == "" && tc.name != "mp_plain_url_check" {
				t.Fatalf("no message: %+v", r)
			}
			if tc.ok && tc.req.MsgSignature != "" && tc.req.EchoStr != "" && tc.req.EchoStr != url.Encrypt && r.Repaired != url.Encrypt {
				t.Fatalf("repair not reported: %+v", r)
			}
			if !tc.ok && !strings.Contains(r.Cause, tc.cause) {
				t.Fatalf("cause %q, want it to mention %q", r.Cause, tc.cause)
			}
			if tc.failStep != "" {
				var first string
				for _, s := range r.Steps {
					if s.Status == StepFail {
						first = s.Name
						break
					}
				}
				if first != tc.failStep {
					t.Fatalf("first failing step %q, want %q: %+v", first, tc.failStep, r.Steps)
				}
			}
			if tc.warn != "" {
				found := false
				for _, s := range r.Steps {
					found = found || (s.Name == tc.warn && s.Status == StepWarn)
				}
				if !found {
					t.Fatalf("no warning on %s: %+v", tc.warn, r.Steps)
				}
			}
			for _, s := range r.Steps {
				if strings.Contains(s.Detail, tc.cfg.Token) && len(tc.cfg.Token) > 4 || tc.cfg.EncodingAESKey != "" && strings.Contains(s.Detail, tc.cfg.EncodingAESKey[:20]) {
					t.Fatalf("secret in step %+v", s)
				}
			}
		})
	}
}
