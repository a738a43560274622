package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

// FuzzAnswer feeds arbitrary bodies to the answer parsing: it never panics;
// a body that is a JSON object with an integer errcode yields exactly that
// code; a non-JSON body is an error for JSON endpoints and the file itself
// for downloads (unless it looks like an errcode answer).
func FuzzAnswer(f *testing.F) {
	for _, s := range []string{
		`{"errcode":0,"errmsg":"ok","access_token":"x","expires_in":7200}`,
		`{"errcode":42001,"errmsg":"access_token expired"}`,
		`{"ticket":"t","expires_in":7200}`,
		`{"errcode":"40014"}`, `{"UserId":"zs","DeviceId":""}`, `{"created_at":"1380000000"}`, `{"created_at":1380000000}`,
		"\x89PNG\r\n\x1a\n", "", "{", "null", `[]`,
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, body []byte, download bool) {
		h := http.Header{}
		if !download {
			h.Set("Content-Type", "application/json")
		}
		code, _, isJSON := errcodeOf(exchange{status: 200, header: h, body: body}, download)
		var probe struct {
			Errcode *int `json:"errcode"`
		}
		// (downloads only look for the lowercase key, as servers send it)
		if json.Unmarshal(body, &probe) == nil && probe.Errcode != nil && (!download || bytes.Contains(body, []byte(`"errcode"`))) {
			if !isJSON || code != *probe.Errcode {
				t.Fatalf("errcode %d parsed as %d (json %v)", *probe.Errcode, code, isJSON)
			}
		}
		if !download && !json.Valid(body) && (!isJSON || code != -2) {
			t.Fatalf("invalid JSON answer accepted: code %d json %v", code, isJSON)
		}
		// Decoding into every response type must not panic.
		for _, v := range []any{&TokenResponse{}, &TicketResponse{}, &UserInfo{}, &User{}, &SendResult{}, &MediaUpload{}, &Menu{}, &MPMenu{}, &SNSToken{}, &QRCode{}, &FollowerList{}, &TagList{}} {
			_ = json.Unmarshal(body, v)
		}
	})
}

func TestErrcodeWithOddErrmsg(t *testing.T) {
	for _, tc := range []struct {
		body string
		code int
	}{
		{`{"errcode":45009,"errmsg":5}`, 45009},
		{`{"errcode":-1,"errmsg":null}`, -1},
		{`{"errcode":0}`, 0},
		{`{"ticket":"t"}`, 0},
		{`not json`, -2},
	} {
		h := http.Header{"Content-Type": {"application/json"}}
		if code, _, _ := errcodeOf(exchange{status: 200, header: h, body: []byte(tc.body)}, false); code != tc.code {
			t.Errorf("%s: code %d, want %d", tc.body, code, tc.code)
		}
	}
}
