package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/wwkit/wwkit/core/api"
)

// Call is one API call the server made, as GET /api/calls lists it. The
// query string (which holds access_token, secrets and codes) is never kept.
type Call struct {
	Time        time.Time `json:"time"`
	Method      string    `json:"method"`
	Host        string    `json:"host"`
	Path        string    `json:"path"`
	Status      int       `json:"status"`
	LatencyMs   float64   `json:"latencyMs"`
	Errcode     int       `json:"errcode"`
	Errmsg      string    `json:"errmsg,omitempty"`
	Explanation string    `json:"explanation,omitempty"`
	Error       string    `json:"error,omitempty"`
}

type callLog struct {
	mu   sync.Mutex
	ring []Call
	next int
	full bool
}

func newCallLog(n int) *callLog { return &callLog{ring: make([]Call, n)} }

func (l *callLog) add(c Call) {
	l.mu.Lock()
	l.ring[l.next] = c
	l.next = (l.next + 1) % len(l.ring)
	if l.next == 0 {
		l.full = true
	}
	l.mu.Unlock()
}

// recent returns the calls newest first.
func (l *callLog) recent() []Call {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.next
	if l.full {
		n = len(l.ring)
	}
	out := make([]Call, 0, n)
	for i := 1; i <= n; i++ {
		out = append(out, l.ring[(l.next-i+len(l.ring))%len(l.ring)])
	}
	return out
}

// recordingTransport records every API call with its latency and errcode.
type recordingTransport struct {
	next     http.RoundTripper
	log      *callLog
	now      func() time.Time
	platform string // api.PlatformWeCom or api.PlatformMP; "" explains a code for both
}

// maxSniff bounds how much of a JSON answer is buffered to read its errcode.
const maxSniff = 1 << 20

func (t *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	c := Call{Time: t.now(), Method: req.Method, Host: req.URL.Host, Path: req.URL.Path}
	c.LatencyMs = float64(time.Since(start).Microseconds()) / 1000
	if err != nil {
		c.Error = "transport: " + redactErr(err.Error())
		t.log.add(c)
		return nil, err
	}
	c.Status = resp.StatusCode
	if strings.Contains(resp.Header.Get("Content-Type"), "json") || strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		b, rerr := io.ReadAll(io.LimitReader(resp.Body, maxSniff))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
		if rerr == nil {
			var e struct {
				Errcode int    `json:"errcode"`
				Errmsg  string `json:"errmsg"`
			}
			if json.Unmarshal(b, &e) == nil {
				c.Errcode, c.Errmsg = e.Errcode, e.Errmsg
				if info, ok := api.LookupErrcode(t.platform, e.Errcode); ok && e.Errcode != 0 {
					c.Explanation = explain(info)
				}
			}
		}
	}
	t.log.add(c)
	return resp, nil
}

// redactErr drops a URL's query from a transport error message.
func redactErr(s string) string {
	if i := strings.Index(s, "?"); i >= 0 {
		end := strings.IndexAny(s[i:], "\" ")
		if end < 0 {
			return s[:i]
		}
		return s[:i] + s[i+end:]
	}
	return s
}

func (s *Server) handleCalls(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "calls": s.calls.recent()})
}
