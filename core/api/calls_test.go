package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
)

// TestCallRecorder checks the recording transport: errcodes read (also from
// an answer longer than the read-ahead), bodies passed on intact, and no
// credential of the request in the record, whether it sat in the query, the
// path, the answer's errmsg or the transport error.
func TestCallRecorder(t *testing.T) {
	errBody := `{"errcode":40014,"errmsg":"invalid access_token ` + hostileToken + `"}`
	bigBody := `{"errcode":45009,"errmsg":"busy","pad":"` + strings.Repeat("x", 100<<10) + `"}` // longer than the read-ahead
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/json":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, errBody)
		case r.URL.Path == "/big":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, bigBody)
		case r.URL.Path == "/image":
			w.Header().Set("Content-Type", "image/png")
			io.WriteString(w, `{"errcode":1}`)
		case r.URL.Path == "/plain":
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
		case strings.HasPrefix(r.URL.Path, "/proxy/"):
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"errmsg":"no errcode here"}`)
		}
	}))
	defer ts.Close()
	query := "?access_token=" + hostileToken + "&corpsecret=" + strings.ReplaceAll(hostileSecret, "+", "%2B")
	for _, tc := range []struct {
		name    string
		url     string
		errcode int
		errmsg  string
		explain bool
		failed  bool
		body    string
	}{
		{"errcode", ts.URL + "/json" + query, 40014, "invalid access_token " + api.Redacted, true, false, errBody},
		{"long answer", ts.URL + "/big" + query, 45009, "busy", true, false, bigBody},
		{"not json", ts.URL + "/image" + query, 0, "", false, false, `{"errcode":1}`},
		{"text/plain json", ts.URL + "/plain" + query, 0, "ok", false, false, `{"errcode":0,"errmsg":"ok"}`},
		{"token in the path", ts.URL + "/proxy/" + hostileToken + "/cgi-bin/user/get" + query, 0, "", false, false, `{"errmsg":"no errcode here"}`},
		{"refused", "http://127.0.0.1:1/cgi-bin/gettoken" + query, 0, "", false, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []api.Call
			hc := &http.Client{Transport: &api.CallRecorder{Observe: func(c api.Call) { got = append(got, c) }}}
			resp, err := hc.Get(tc.url)
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
				if err != nil || string(b) != tc.body {
					t.Errorf("body %d bytes (%v), want the %d sent", len(b), err, len(tc.body))
				}
			}
			if len(got) != 1 {
				t.Fatalf("calls = %+v", got)
			}
			c := got[0]
			if c.Errcode != tc.errcode || c.Errmsg != tc.errmsg || (c.Explanation != "") != tc.explain || (c.ExplanationZh != "") != tc.explain || (c.Error != "") != tc.failed || c.Method != "GET" || c.Time.IsZero() {
				t.Errorf("call = %+v", c)
			}
			if tc.failed != (c.Status == 0) {
				t.Errorf("status %d", c.Status)
			}
			j, _ := json.Marshal(c)
			for _, sec := range []string{hostileToken, hostileSecret, hostileToken[10:18], "S3cr3t"} {
				if strings.Contains(string(j), sec) {
					t.Errorf("%q leaked into the call: %s", sec, j)
				}
			}
			if strings.Contains(c.Path, "?") || strings.Contains(c.Error, "127.0.0.1:1/cgi-bin") {
				t.Errorf("the URL leaked into the call: %s", j)
			}
		})
	}
}

// TestCallObserverSeesTokenFetches runs a client with WithCallObserver on
// the emulator: the gettoken exchange and the API call are both recorded,
// and the access_token and the secret are in none of them.
func TestCallObserverSeesTokenFetches(t *testing.T) {
	s := startEmulator(t)
	var mu sync.Mutex
	var got []api.Call
	c := newWeCom(t, s, api.WithCallObserver(func(c api.Call) { mu.Lock(); got = append(got, c); mu.Unlock() }))
	ctx := context.Background()
	tok, err := c.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.Emulator().InjectFault(emulator.Fault{Path: pUserGet, Errcode: 60111, Count: 1})
	if _, err := c.GetUser(ctx, "zhangsan"); err == nil {
		t.Fatal("the injected errcode did not fail the call")
	}
	mu.Lock()
	defer mu.Unlock()
	paths := map[string]api.Call{}
	for _, c := range got {
		paths[c.Path] = c
	}
	if _, ok := paths[pGetToken]; !ok {
		t.Errorf("no gettoken call in %+v", got)
	}
	if u, ok := paths[pUserGet]; !ok || u.Errcode != 60111 || u.Explanation == "" {
		t.Errorf("user/get recorded as %+v", u)
	}
	j, _ := json.Marshal(got)
	for _, sec := range []string{tok.Value, s.Emulator().Fixture().WeCom.Apps[0].Secret} {
		if sec == "" || strings.Contains(string(j), sec) {
			t.Errorf("a credential (or nothing) in the calls: %s", j)
		}
	}
}

func TestCallLogIsBounded(t *testing.T) {
	const n = 200
	l := api.NewCallLog(n)
	if got := l.Recent(0); len(got) != 0 {
		t.Fatalf("an empty log lists %d calls", len(got))
	}
	for i := 0; i < n+50; i++ {
		l.Add(api.Call{Status: i})
	}
	calls := l.Recent(0)
	if len(calls) != n || calls[0].Status != n+49 || calls[len(calls)-1].Status != 50 {
		t.Errorf("%d calls, newest %d, oldest %d", len(calls), calls[0].Status, calls[len(calls)-1].Status)
	}
	if top := l.Recent(3); len(top) != 3 || top[0].Status != n+49 || top[2].Status != n+47 {
		t.Errorf("Recent(3) = %+v", top)
	}
}
