package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/jssdk"
)

// This file keeps the encoding/json + fmt implementation of the API that
// the hand-written JSON replaced (for the bundle size budget), as the
// oracle of differential tests.

type stdSignRequest struct {
	Ticket    string          `json:"ticket"`
	NonceStr  string          `json:"nonceStr"`
	Timestamp jssdk.Timestamp `json:"timestamp"`
	URL       string          `json:"url"`
}

// stdSign returns the former signJSON's outcome: error kind ("" when ok),
// signature and string to sign.
func stdSign(in []byte) (kind, sig, sts string) {
	var req stdSignRequest
	dec := json.NewDecoder(strings.NewReader(string(in)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return kindInput, "", ""
	}
	if req.Ticket == "" || req.NonceStr == "" || !req.Timestamp.Set || req.URL == "" {
		return kindArgument, "", ""
	}
	var ts int64
	if _, err := fmt.Sscanf(req.Timestamp.Text, "%d", &ts); err != nil || fmt.Sprint(ts) != req.Timestamp.Text {
		return kindArgument, "", ""
	}
	return "", jssdk.Sign(req.Ticket, req.NonceStr, ts, req.URL), jssdk.StringToSign(req.Ticket, req.NonceStr, ts, req.URL)
}

var signSeeds = []string{
	`{"ticket":"t","nonceStr":"n","timestamp":1414587457,"url":"http://a.cn/?x=1#f"}`,
	`{"ticket":"t","nonceStr":"n","timestamp":"1414587457","url":"u"}`,
	`{"TICKET":"t","NonceStr":"n","timestamp":1,"URL":"u"}`,
	`{"ticket":"t","nonceStr":"n","timestamp":1,"url":"u","secret":"x"}`,
	`{"ticket":"t","nonceStr":"n","timestamp":1.5,"url":"u"}`, `{"ticket":"t","nonceStr":"n","timestamp":1e3,"url":"u"}`,
	`{"ticket":"t","nonceStr":"n","timestamp":"+5","url":"u"}`, `{"ticket":"t","nonceStr":"n","timestamp":"05","url":"u"}`,
	`{"ticket":"t","nonceStr":"n","timestamp":"-0","url":"u"}`, `{"ticket":"t","nonceStr":"n","timestamp":-7,"url":"u"}`,
	`{"ticket":"t","nonceStr":"n","timestamp":99999999999999999999,"url":"u"}`, `{"ticket":"t","nonceStr":"n","timestamp":null,"url":"u"}`,
	`{"ticket":1,"nonceStr":"n","timestamp":1,"url":"u"}`, `{"ticket":"t","ticket":null,"nonceStr":"n","timestamp":1,"url":"u"}`,
	`{"ticket":"t","nonceStr":"n","timestamp":{},"url":"u"}`, `{`, `[]`, `null`, `"x"`, `{}`, `{"ticket":"<&>\u2028","nonceStr":"\u00e9","timestamp":1,"url":"\ud800"}`,
}

func checkSignStd(t *testing.T, in []byte) {
	t.Helper()
	kind, sig, sts := stdSign(in)
	r := decode(t, signJSON(in))
	if kind != "" {
		if r.OK || r.Error == nil || r.Error.Kind != kind {
			t.Fatalf("%q: got ok=%v error=%+v, encoding/json gave kind %q", in, r.OK, r.Error, kind)
		}
		return
	}
	if !r.OK || r.Signature != sig || r.StringToSign != sts {
		t.Fatalf("%q: got %+v, encoding/json gave %s %q", in, r, sig, sts)
	}
}

func TestSignJSONMatchesEncodingJSON(t *testing.T) {
	for _, s := range signSeeds {
		checkSignStd(t, []byte(s))
	}
}

// FuzzSignJSONStd: signJSON agrees with the encoding/json implementation
// on every input that is one JSON value (the old decoder ignored anything
// after the first value; the new one rejects it).
func FuzzSignJSONStd(f *testing.F) {
	for _, s := range signSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		dec := json.NewDecoder(strings.NewReader(string(in)))
		var v json.RawMessage
		if dec.Decode(&v) == nil && dec.InputOffset() < int64(len(strings.TrimRight(string(in), " \t\r\n"))) {
			t.Skip("trailing data after the first value")
		}
		checkSignStd(t, in)
	})
}

func TestResultsMatchEncodingJSON(t *testing.T) {
	type failure struct {
		OK    bool      `json:"ok"`
		Error errorBody `json:"error"`
	}
	for _, msg := range []string{"", "plain", "<a href=\"x\">&</a>\u2028\xff"} {
		want, _ := json.Marshal(failure{Error: errorBody{Kind: kindInput, Message: msg}})
		if got := fail(kindInput, msg); string(got) != string(want) {
			t.Errorf("fail: got %s want %s", got, want)
		}
	}
	for _, p := range []string{"", "wecom", "mp", "all"} {
		want, _ := json.Marshal(struct {
			OK   bool        `json:"ok"`
			APIs []jssdk.API `json:"apis"`
		}{true, jssdk.KnownJSAPIs(p)})
		if got := knownJSON(p); string(got) != string(want) {
			t.Errorf("knownJSON(%q) differs from encoding/json", p)
		}
	}
	in := []byte(`{"ticket":"t","nonceStr":"n","timestamp":1,"url":"u<"}`)
	want, _ := json.Marshal(struct {
		OK           bool   `json:"ok"`
		Signature    string `json:"signature"`
		StringToSign string `json:"stringToSign"`
	}{true, jssdk.Sign("t", "n", 1, "u<"), jssdk.StringToSign("t", "n", 1, "u<")})
	if got := signJSON(in); string(got) != string(want) {
		t.Errorf("signJSON: got %s want %s", got, want)
	}
}
