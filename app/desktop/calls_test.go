package desktop

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestAppRecordsCalls checks that the App's HTTP client (API clients,
// simulated callbacks, the dev server it starts) feeds the call log the
// token inspector lists, through core/api's recorder: the errcode is
// explained and the query, which holds the access_token, is not kept. The
// recorder and its redaction are tested in core/api.
func TestAppRecordsCalls(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"errcode":40014,"errmsg":"invalid access_token"}`)
	}))
	defer ts.Close()
	a, err := NewApp(Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{ts.URL + "/cgi-bin/user/get?access_token=SECRET-TOKEN-VALUE-123", "http://127.0.0.1:1/cgi-bin/gettoken?corpsecret=SECRET-TOKEN-VALUE-123"} {
		if resp, err := a.http.Get(u); err == nil {
			resp.Body.Close()
		}
	}
	calls := a.Tokens.Calls(0)
	if len(calls) != 2 {
		t.Fatalf("calls = %+v", calls)
	}
	if c := calls[1]; c.Errcode != 40014 || c.Explanation == "" || c.Path != "/cgi-bin/user/get" {
		t.Errorf("oldest call = %+v", c)
	}
	if c := calls[0]; c.Error == "" || c.Status != 0 {
		t.Errorf("newest call = %+v", c)
	}
	if top := a.Tokens.Calls(1); len(top) != 1 || top[0] != calls[0] {
		t.Errorf("Calls(1) = %+v", top)
	}
	j, _ := json.Marshal(calls)
	if strings.Contains(string(j), "SECRET-TOKEN") {
		t.Errorf("a credential leaked into the call log: %s", j)
	}
}
