package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Call is one HTTP exchange seen by a CallRecorder: an API call (token and
// ticket fetches included) or any other request sent through the recording
// transport. It keeps no query string, header or body; the path, errmsg and
// error text pass through Redact with the request's credentials, so an
// access_token, a secret or a code never reaches a call log.
type Call struct {
	Time      time.Time `json:"time"`
	Method    string    `json:"method"`
	Host      string    `json:"host"`
	Path      string    `json:"path"`
	Status    int       `json:"status"`    // 0 when the transport failed
	LatencyMs float64   `json:"latencyMs"` // until the answer's header
	// Errcode and Errmsg are read from a JSON answer (错误码); 0 when the
	// answer has none.
	Errcode int    `json:"errcode"`
	Errmsg  string `json:"errmsg,omitempty"`
	// Explanation is the catalogue's reading of a non-zero Errcode;
	// ExplanationZh its meaning and advice in Chinese.
	Explanation   string `json:"explanation,omitempty"`
	ExplanationZh string `json:"explanationZh,omitempty"`
	// Error is why the transport failed (no answer), without the URL.
	Error string `json:"error,omitempty"`
}

// WithCallObserver calls observe after every HTTP exchange the client makes,
// retries and token fetches included, with the Call it recorded. observe
// runs on the caller's goroutine and must be safe for concurrent use (a
// CallLog's Add is).
func WithCallObserver(observe func(Call)) Option {
	return func(o *options) { o.observe = observe }
}

// CallRecorder is an http.RoundTripper that records every exchange as a Call
// and hands it to Observe. The answer is passed on intact: at most 64 KB of a
// JSON or text answer is read ahead to find its errcode, and the rest
// follows unread.
type CallRecorder struct {
	Next    http.RoundTripper // default http.DefaultTransport
	Observe func(Call)
	Now     func() time.Time // the Call's time; default time.Now
	// Platform (PlatformWeCom, PlatformMP) explains errcodes as that server
	// means them; "" gives both meanings where they differ.
	Platform string
}

// maxPeek bounds how much of an answer is read ahead for its errcode. WeCom
// and the Official Account put errcode and errmsg first, so a long answer
// still yields them.
const maxPeek = 64 << 10

// RoundTrip sends req through Next and records the exchange.
func (r *CallRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	next := r.Next
	if next == nil {
		next = http.DefaultTransport
	}
	now := r.Now
	if now == nil {
		now = time.Now
	}
	c := Call{Time: now(), Method: req.Method, Host: req.URL.Host}
	start := time.Now()
	resp, err := next.RoundTrip(req)
	c.LatencyMs = float64(time.Since(start).Microseconds()) / 1000
	secrets := requestSecrets(req)
	c.Path = Redact(req.URL.Path, secrets...)
	if err != nil {
		// url.Error prints the URL, query included; the cause is enough.
		var ue *url.Error
		if errors.As(err, &ue) {
			c.Error = Redact(ue.Err.Error(), secrets...)
		} else {
			c.Error = Redact(err.Error(), secrets...)
		}
		r.observe(c)
		return nil, err
	}
	c.Status = resp.StatusCode
	if ct := resp.Header.Get("Content-Type"); ct == "" || strings.Contains(ct, "json") || strings.HasPrefix(ct, "text/plain") {
		peek, rerr := io.ReadAll(io.LimitReader(resp.Body, maxPeek))
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(peek), resp.Body), resp.Body}
		if rerr == nil {
			if code, msg, ok := sniffErrcode(peek); ok {
				c.Errcode, c.Errmsg = code, Redact(msg, secrets...)
				c.Explanation = Explain(r.Platform, code)
				if info, ok := LookupErrcode(r.Platform, code); ok && code != 0 {
					c.ExplanationZh = info.MeaningZH + "；" + info.CheckZH
				}
			}
		}
	}
	r.observe(c)
	return resp, nil
}

func (r *CallRecorder) observe(c Call) {
	if r.Observe != nil {
		r.Observe(c)
	}
}

// requestSecrets lists what a request carries that Redact must remove by
// value: the values of secret-named query parameters, every long query
// value (codes and tickets under other names) and the URL's password.
func requestSecrets(req *http.Request) []string {
	var out []string
	for k, vs := range req.URL.Query() {
		for _, v := range vs {
			if secretName(k) || len(v) >= 16 {
				out = append(out, v)
			}
		}
	}
	if req.URL.User != nil {
		out = append(out, req.URL.User.Username())
		if p, ok := req.URL.User.Password(); ok {
			out = append(out, p)
		}
	}
	return out
}

// sniffErrcode reads the top-level errcode and errmsg of a JSON object that
// may be cut short; ok is false when there is no errcode.
func sniffErrcode(b []byte) (code int, msg string, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return 0, "", false
	}
	haveMsg := false
	for dec.More() && !(ok && haveMsg) {
		t, err := dec.Token()
		if err != nil {
			break
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			break
		}
		switch t {
		case "errcode":
			var n json.Number
			if json.Unmarshal(raw, &n) == nil {
				if i, err := n.Int64(); err == nil {
					code, ok = int(i), true
				}
			}
		case "errmsg":
			haveMsg = true
			// errmsg is informative only: a non-string one is kept as JSON.
			if json.Unmarshal(raw, &msg) != nil {
				msg = string(raw)
			}
		}
	}
	return code, msg, ok
}

// Explain returns the catalogue's explanation of an errcode as platform
// means it (see LookupErrcode) in one line: meaning; what to check (含义).
// It is "" for 0 and unknown codes.
func Explain(platform string, code int) string {
	if code == 0 {
		return ""
	}
	info, ok := LookupErrcode(platform, code)
	if !ok {
		return ""
	}
	s := info.Meaning
	if info.Check != "" {
		s += "; " + info.Check
	}
	if info.MeaningZH != "" {
		s += " (" + info.MeaningZH + ")"
	}
	return s
}

// CallLog keeps the most recent calls, for a window or GET /api/calls. It is
// safe for concurrent use; Add is an observer for WithCallObserver and
// CallRecorder.
type CallLog struct {
	mu   sync.Mutex
	ring []Call
	next int
	full bool
}

// NewCallLog returns a log of the last n calls (n ≥ 1).
func NewCallLog(n int) *CallLog {
	if n < 1 {
		n = 1
	}
	return &CallLog{ring: make([]Call, n)}
}

// Add records c, dropping the oldest call when the log is full.
func (l *CallLog) Add(c Call) {
	l.mu.Lock()
	l.ring[l.next] = c
	l.next = (l.next + 1) % len(l.ring)
	if l.next == 0 {
		l.full = true
	}
	l.mu.Unlock()
}

// Recent returns at most limit calls (all when limit ≤ 0), newest first.
func (l *CallLog) Recent(limit int) []Call {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.next
	if l.full {
		n = len(l.ring)
	}
	if limit > 0 && limit < n {
		n = limit
	}
	out := make([]Call, 0, n)
	for i := 1; i <= n; i++ {
		out = append(out, l.ring[(l.next-i+len(l.ring))%len(l.ring)])
	}
	return out
}
