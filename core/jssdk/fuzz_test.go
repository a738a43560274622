package jssdk

import (
	"encoding/json"
	"testing"
)

// FuzzCheck feeds arbitrary JSON inputs to Check: it must not panic, and ok
// must mean exactly "no error finding".
func FuzzCheck(f *testing.F) {
	seeds := 0
	for _, tc := range codeCases {
		b, err := json.Marshal(tc.in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		seeds++
	}
	for _, s := range []string{`{}`, `{"timestamp":"1.5e9","url":"https://a.cn/#x%","signature":"zz"}`, `{"kind":"agentConfig","agentid":-1,"timestamp":-0.0,"url":"http://[::1]:80/?%zz"}`} {
		f.Add([]byte(s))
		seeds++
	}
	if seeds == 0 {
		f.Fatal("empty seed corpus")
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
