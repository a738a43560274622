package main

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/wwkit/wwkit/core/jssdk"
)

// The official WeCom documentation example (see shared/spec/jssdk-signing.md).
const (
	docTicket    = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
	docNonce     = "Wm3WZYTPz0wzccnW"
	docTimestamp = 1414587457
	docURL       = "http://mp.weixin.qq.com?params=value"
	docSignature = "0f9de62fce790f9a083d5c99e95740ceb90c27ed"
)

type anyResult struct {
	OK           bool            `json:"ok"`
	Signature    string          `json:"signature"`
	StringToSign string          `json:"stringToSign"`
	Findings     []jssdk.Finding `json:"findings"`
	APIs         []jssdk.API     `json:"apis"`
	Error        *errorBody      `json:"error"`
}

func decode(t *testing.T, b []byte) anyResult {
	t.Helper()
	var r anyResult
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("result is not JSON: %v: %s", err, b)
	}
	return r
}

func TestSignJSON(t *testing.T) {
	in, _ := json.Marshal(map[string]any{"ticket": docTicket, "nonceStr": docNonce, "timestamp": docTimestamp, "url": docURL + "#frag"})
	r := decode(t, signJSON(in))
	if !r.OK || r.Signature != docSignature {
		t.Fatalf("sign: ok=%v signature=%q, want %q", r.OK, r.Signature, docSignature)
	}
	if want := "jsapi_ticket=" + docTicket + "&noncestr=" + docNonce + "&timestamp=1414587457&url=" + docURL; r.StringToSign != want {
		t.Fatalf("stringToSign = %q, want %q", r.StringToSign, want)
	}
	// a string timestamp is signed as the page passes it
	in, _ = json.Marshal(map[string]any{"ticket": docTicket, "nonceStr": docNonce, "timestamp": "1414587457", "url": docURL})
	if r := decode(t, signJSON(in)); r.Signature != docSignature {
		t.Fatalf("string timestamp: signature %q", r.Signature)
	}
}

func TestSignJSONErrorsAreValues(t *testing.T) {
	cases := []struct {
		name, in, kind string
	}{
		{"not json", `{`, kindInput},
		{"unknown field", `{"ticket":"t","nonceStr":"n","timestamp":1,"url":"u","secret":"x"}`, kindInput},
		{"no ticket", `{"nonceStr":"n","timestamp":1,"url":"u"}`, kindArgument},
		{"no nonce", `{"ticket":"t","timestamp":1,"url":"u"}`, kindArgument},
		{"no timestamp", `{"ticket":"t","nonceStr":"n","url":"u"}`, kindArgument},
		{"no url", `{"ticket":"t","nonceStr":"n","timestamp":1}`, kindArgument},
		{"milliseconds float", `{"ticket":"t","nonceStr":"n","timestamp":1.5,"url":"u"}`, kindArgument},
	}
	for _, c := range cases {
		r := decode(t, signJSON([]byte(c.in)))
		if r.OK || r.Error == nil || r.Error.Kind != c.kind || r.Error.Message == "" {
			t.Errorf("%s: got ok=%v error=%+v, want kind %q", c.name, r.OK, r.Error, c.kind)
		}
	}
}

// TestVerifyJSONMatchesCheck proves the module gives the same output as
// core/jssdk.Check (the same engine as `wwkit jssdk check`).
func TestVerifyJSONMatchesCheck(t *testing.T) {
	good := map[string]any{
		"appId": "ww0123456789abcdef", "timestamp": docTimestamp, "nonceStr": docNonce,
		"signature": docSignature, "url": docURL, "ticket": docTicket, "now": docTimestamp,
		"jsApiList": []string{"chooseImage"},
	}
	bad := map[string]any{}
	for k, v := range good {
		bad[k] = v
	}
	bad["timestamp"] = int64(docTimestamp) * 1000
	for name, in := range map[string]map[string]any{"good": good, "milliseconds": bad} {
		raw, _ := json.Marshal(in)
		got := verifyJSON(raw)
		parsed, err := jssdk.ParseInput(raw)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(jssdk.Check(parsed))
		if string(got) != string(want) {
			t.Errorf("%s: verifyJSON differs from jssdk.Check:\n got %s\nwant %s", name, got, want)
		}
	}
	if r := decode(t, verifyJSON(mustJSON(good))); !r.OK {
		t.Errorf("good config: findings %+v", r.Findings)
	}
	r := decode(t, verifyJSON(mustJSON(bad)))
	found := false
	for _, f := range r.Findings {
		found = found || f.Code == jssdk.CodeTimestampMilliseconds
	}
	if r.OK || !found {
		t.Errorf("milliseconds: ok=%v findings %+v, want %s", r.OK, r.Findings, jssdk.CodeTimestampMilliseconds)
	}
	if r := decode(t, verifyJSON([]byte(`{"appId":`))); r.OK || r.Error == nil || r.Error.Kind != kindInput {
		t.Errorf("malformed input: %+v", r)
	}
}

func TestKnownJSON(t *testing.T) {
	r := decode(t, knownJSON("wecom"))
	if !r.OK || len(r.APIs) < 20 {
		t.Fatalf("knownJsApis(wecom): ok=%v, %d apis", r.OK, len(r.APIs))
	}
	agent := false
	for _, a := range r.APIs {
		agent = agent || (a.Name == "selectExternalContact" && a.NeedsAgentConfig)
	}
	if !agent {
		t.Errorf("selectExternalContact is not marked as needing agentConfig")
	}
	if r := decode(t, knownJSON("qq")); r.OK || r.Error == nil || r.Error.Kind != kindArgument {
		t.Errorf("unknown platform: %+v", r)
	}
}

func TestGuardRecoversPanics(t *testing.T) {
	r := decode(t, guard(func() []byte { panic("boom") }))
	if r.OK || r.Error == nil || r.Error.Kind != kindInternal {
		t.Fatalf("panic not turned into an error value: %+v", r)
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func TestMain(m *testing.M) { os.Exit(m.Run()) }

// benchInput is the good config of wasm/bench/verify-bench.mjs.
func benchInput(sig string) []byte {
	return mustJSON(map[string]any{
		"appId": "ww0123456789abcdef", "timestamp": docTimestamp, "nonceStr": docNonce,
		"signature": sig, "url": docURL, "ticket": docTicket, "now": docTimestamp,
		"jsApiList": []string{"chooseImage"},
	})
}

func BenchmarkVerifyJSON(b *testing.B) {
	for _, bc := range []struct{ name, sig string }{{"good", docSignature}, {"mismatch", "1f9de62fce790f9a083d5c99e95740ceb90c27ed"}} {
		in := benchInput(bc.sig)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				verifyJSON(in)
			}
		})
	}
}
