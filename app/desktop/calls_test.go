package desktop

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestCallLogger checks the API call log: errcodes parsed and explained,
// bodies passed through intact, and never a query (which holds the
// access_token) in the log, also when the transport fails.
func TestCallLogger(t *testing.T) {
	errBody := `{"errcode":40014,"errmsg":"invalid access_token"}`
	bigBody := `{"errcode":0,"pad":"` + strings.Repeat("x", 100<<10) + `"}` // larger than the peek
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/json":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, errBody)
		case "/big":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, bigBody)
		case "/image":
			w.Header().Set("Content-Type", "image/png")
			io.WriteString(w, `{"errcode":1}`)
		}
	}))
	defer ts.Close()
	const secret = "access_token=SECRET-TOKEN-VALUE-123"
	for _, tc := range []struct {
		name    string
		url     string
		errcode int
		explain bool
		failed  bool
		bodyLen int
	}{
		{"errcode", ts.URL + "/json?" + secret, 40014, true, false, len(errBody)},
		{"large body", ts.URL + "/big?" + secret, 0, false, false, len(bigBody)},
		{"not json", ts.URL + "/image?" + secret, 0, false, false, 13},
		{"refused", "http://127.0.0.1:1/cgi-bin/gettoken?" + secret, 0, false, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := NewApp(Config{DataDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			resp, err := a.http.Get(tc.url)
			if tc.failed {
				if err == nil {
					t.Fatal("no error")
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || len(b) != tc.bodyLen {
					t.Errorf("body %d bytes, %v; want %d", len(b), err, tc.bodyLen)
				}
			}
			calls := a.Tokens.Calls(0)
			if len(calls) != 1 {
				t.Fatalf("calls = %+v", calls)
			}
			c := calls[0]
			if c.Errcode != tc.errcode || (c.Explanation != "") != tc.explain || (c.Error != "") != tc.failed || c.Method != "GET" {
				t.Errorf("call = %+v", c)
			}
			j, _ := json.Marshal(calls)
			if strings.Contains(string(j), "SECRET-TOKEN") || strings.Contains(c.Path, "?") {
				t.Errorf("the query leaked into the call log: %s", j)
			}
		})
	}
}

func TestCallLogIsBounded(t *testing.T) {
	a, err := NewApp(Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < maxCalls+50; i++ {
		a.logCall(CallDTO{Status: i})
	}
	calls := a.Tokens.Calls(0)
	if len(calls) != maxCalls || calls[0].Status != maxCalls+49 || calls[len(calls)-1].Status != 50 {
		t.Errorf("%d calls, newest %d, oldest %d", len(calls), calls[0].Status, calls[len(calls)-1].Status)
	}
}
