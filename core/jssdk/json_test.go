package jssdk

import (
	"encoding/json"
	"testing"
)

func TestAppendJSONMatchesMarshal(t *testing.T) {
	results := []Result{{}, {OK: true, Findings: []Finding{}}, {Findings: []Finding{{Code: "X", Severity: SeverityError, Message: "<a&b>\u2028", MessageZh: "中文\"", Fix: "\x01\xff"}}, StringToSign: "jsapi_ticket=t&url=<x>"}}
	for _, tc := range codeCases {
		results = append(results, Check(tc.in))
	}
	for _, r := range results {
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.AppendJSON(nil); string(got) != string(want) {
			t.Errorf("Result.AppendJSON:\n got %s\nwant %s", got, want)
		}
	}
	apis := append(KnownJSAPIs(""), API{}, API{Name: "x", NeedsAgentConfig: true, ThirdPartyAgentConfig: true, NeedsBeta: true, BridgeName: "b", MinWeCom: "1", Purpose: "p&", Unconfirmed: true})
	for _, a := range apis {
		want, _ := json.Marshal(a)
		if got := a.AppendJSON(nil); string(got) != string(want) {
			t.Errorf("API.AppendJSON:\n got %s\nwant %s", got, want)
		}
	}
}

func TestTimestampJSONMatchesMarshal(t *testing.T) {
	for _, ts := range []Timestamp{{}, TimestampOf(1700000000), {Text: "x", Raw: "1.5e9", Set: true}, {Raw: "<1>", IsString: true, Set: true}, {Raw: "01", Set: true}, {Raw: "abc", Set: true}} {
		// The former MarshalJSON, on encoding/json.
		want := []byte("null")
		if ts.Set && !ts.IsString && json.Valid([]byte(ts.Raw)) {
			want = []byte(ts.Raw)
		} else if ts.Set {
			want, _ = json.Marshal(ts.Raw)
		}
		if got := ts.appendJSON(nil); string(got) != string(want) {
			t.Errorf("%+v: appendJSON %s, encoding/json %s", ts, got, want)
		}
	}
}
