package jssdk

import (
	"encoding/json"
	"testing"
)

// FuzzCheck feeds arbitrary JSON inputs to Check: it must not panic, and ok
// must mean exactly "no error finding".
func FuzzCheck(f *testing.F) {
	for _, tc := range codeCases {
		b, err := json.Marshal(tc.in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{`{}`, `{"timestamp":"1.5e9","url":"https://a.cn/#x%","signature":"zz"}`, `{"kind":"agentConfig","agentid":-1,"timestamp":-0.0,"url":"http://[::1]:80/?%zz"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := ParseInput(data)
		if err != nil {
			if in.URL != "" || in.AppID != "" || in.Timestamp.Set {
				t.Fatalf("on error the input must be zero: %+v", in)
			}
			return
		}
		res := Check(in)
		errs := 0
		for _, fd := range res.Findings {
			if fd.Severity == SeverityError {
				errs++
			}
			if _, ok := LookupCode(fd.Code); !ok {
				t.Fatalf("undocumented code %q", fd.Code)
			}
		}
		if res.OK != (errs == 0) {
			t.Fatalf("ok=%v with %d error findings", res.OK, errs)
		}
		if _, err := json.Marshal(res); err != nil {
			t.Fatalf("result does not marshal: %v", err)
		}
	})
}

// FuzzCheckFields drives Check with arbitrary field values built in Go (not
// through JSON), including timestamps whose text and raw forms disagree.
func FuzzCheckFields(f *testing.F) {
	for _, tc := range codeCases {
		in := tc.in
		f.Add(in.URL, in.LandingURL, in.SignedURL, in.Timestamp.Text, in.Timestamp.Raw, in.Ticket, in.Signature, in.UserAgent, in.Kind)
	}
	f.Add("http://[::1]:/?%", "#", "%zz", "", "1.5e9", "", "", "wxwork/", "agentconfig")
	f.Fuzz(func(t *testing.T, url, landing, signed, tsText, tsRaw, ticket, sig, ua, kind string) {
		in := Input{
			AppID: "ww7a3c9e1f5b2d8064", Kind: kind, URL: url, LandingURL: landing, SignedURL: signed,
			Timestamp: Timestamp{Text: tsText, Raw: tsRaw, Set: tsRaw != ""},
			NonceStr:  "n", Signature: sig, UserAgent: ua, Ticket: ticket, AgentTicket: ticket + "x",
			PreviousTicket: "p" + ticket, JSAPIList: []string{kind, ua}, Now: 1700000000,
		}
		res := Check(in)
		errs := 0
		for _, fd := range res.Findings {
			if fd.Severity == SeverityError {
				errs++
			}
		}
		if res.OK != (errs == 0) {
			t.Fatalf("ok=%v with %d error findings", res.OK, errs)
		}
	})
}
