package cli_test

import (
	"encoding/json"
	"os"
	"testing"
)

type jssdkVector struct {
	Name, Ticket, NonceStr, Timestamp, URL, StringToSign, Signature string
}

func loadJSSDKVectors(t *testing.T) []jssdkVector {
	t.Helper()
	b, err := os.ReadFile("../../core/jssdk/testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases []struct {
			Name         string `json:"name"`
			Ticket       string `json:"jsapi_ticket"`
			NonceStr     string `json:"noncestr"`
			Timestamp    string `json:"timestamp"`
			URL          string `json:"url"`
			StringToSign string `json:"stringToSign"`
			Signature    string `json:"signature"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) == 0 {
		t.Fatal("no vectors")
	}
	out := make([]jssdkVector, 0, len(f.Cases))
	for _, c := range f.Cases {
		out = append(out, jssdkVector{c.Name, c.Ticket, c.NonceStr, c.Timestamp, c.URL, c.StringToSign, c.Signature})
	}
	return out
}

func TestSignVectors(t *testing.T) {
	for _, v := range loadJSSDKVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			r := runWWKit(t, "", nil, "sign", "--ticket", v.Ticket, "--noncestr", v.NonceStr, "--timestamp", v.Timestamp, "--url", v.URL+"#/frag")
			if r.Code != 0 || r.Stdout != v.Signature+"\n" {
				t.Fatalf("code %d stdout %q stderr %q, want %s", r.Code, r.Stdout, r.Stderr, v.Signature)
			}
			// The ticket from the environment, JSON output.
			r = runWWKit(t, "", []string{"WWKIT_TICKET=" + v.Ticket}, "sign", "--noncestr", v.NonceStr, "--timestamp", v.Timestamp, "--url", v.URL, "--json")
			var out struct {
				OK           bool   `json:"ok"`
				Signature    string `json:"signature"`
				StringToSign string `json:"stringToSign"`
			}
			if err := json.Unmarshal([]byte(r.Stdout), &out); err != nil || r.Code != 0 {
				t.Fatalf("json: code %d, %v, %q", r.Code, err, r.Stdout)
			}
			if !out.OK || out.Signature != v.Signature || out.StringToSign != v.StringToSign {
				t.Errorf("json = %+v, want %s / %s", out, v.Signature, v.StringToSign)
			}
		})
	}
}
