package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/token"
)

// recorder sits in front of the emulator (same process, real HTTP on
// loopback) and keeps the emulator-side truth the suite checks against: when
// each access_token was first handed out, and which token every API request
// carried when it arrived. It never changes a request or an answer.
type recorder struct {
	emu *emulator.Emulator
	ttl time.Duration

	mu     sync.Mutex
	issued map[string]issue // token fingerprint → first answer that carried it
	uses   []use
	empty  int // requests with access_token= present but empty
	gets   atomic.Int64
	slow   atomic.Int64 // pending slow gettoken answer (ns)
}

// issue brackets the moment the emulator created a token: between the
// arrival of the gettoken request that first returned it and that answer.
// Its expiry is the same bracket plus the TTL (WeCom returns the same token
// until it expires, with the remaining lifetime).
type issue struct {
	lo, hi time.Time
	ticket bool
}

type use struct {
	fp       string
	at, sent time.Time // arrival at the emulator; handed to the network by the client
	path     string
}

func newRecorder(emu *emulator.Emulator, ttl time.Duration) *recorder {
	return &recorder{emu: emu, ttl: ttl, issued: map[string]issue{}}
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	arrival := time.Now()
	path := r.URL.Path
	if q := r.URL.Query(); q.Has("access_token") {
		tok := q.Get("access_token")
		rc.mu.Lock()
		if tok == "" {
			rc.empty++
		} else {
			sent := arrival
			if ns, err := strconv.ParseInt(r.Header.Get(sentHeader), 10, 64); err == nil && ns > 0 && ns < arrival.UnixNano() {
				sent = time.Unix(0, ns)
			}
			rc.uses = append(rc.uses, use{fp: token.Fingerprint(tok), at: arrival, sent: sent, path: path})
		}
		rc.mu.Unlock()
	}
	isToken := strings.HasSuffix(path, "/cgi-bin/gettoken")
	if !isToken && !strings.HasSuffix(path, "/cgi-bin/get_jsapi_ticket") {
		rc.emu.ServeHTTP(w, r)
		return
	}
	// gettoken and get_jsapi_ticket: note when each value was first handed
	// out (the emulator hands out the same one until it expires).
	var (
		tw   *teeWriter
		done time.Time // the emulator has answered (and fixed expires_in)
	)
	var slow time.Duration
	if isToken {
		rc.gets.Add(1)
		slow = rc.takeSlowAnswer()
	}
	if slow > 0 {
		// A slow network on the way back: the emulator has computed
		// expires_in, the client sees the answer d later.
		bw := &bufferedWriter{header: http.Header{}}
		rc.emu.ServeHTTP(bw, r)
		done = time.Now()
		time.Sleep(slow)
		tw = &teeWriter{ResponseWriter: w}
		bw.copyTo(tw)
	} else {
		tw = &teeWriter{ResponseWriter: w}
		rc.emu.ServeHTTP(tw, r)
		done = time.Now()
	}
	var v struct {
		AccessToken string `json:"access_token"`
		Ticket      string `json:"ticket"`
	}
	if json.Unmarshal(tw.buf.Bytes(), &v) == nil && v.AccessToken+v.Ticket != "" {
		fp := token.Fingerprint(v.AccessToken + v.Ticket)
		rc.mu.Lock()
		if _, seen := rc.issued[fp]; !seen {
			rc.issued[fp] = issue{lo: arrival, hi: done, ticket: v.Ticket != ""}
		}
		rc.mu.Unlock()
	}
}

// verdict says whether the token with fingerprint fp was valid at t: it was
// issued by the emulator before t and had not expired (slack later). A token is counted
// stale only when t is past the latest possible expiry (so the check never
// blames the client for the recorder's own bracketing).
func (rc *recorder) verdict(fp string, t time.Time, slack time.Duration) (ok bool, why string) {
	rc.mu.Lock()
	is, seen := rc.issued[fp]
	rc.mu.Unlock()
	switch {
	case !seen:
		return false, "a token the emulator never issued"
	case t.Before(is.lo):
		return false, "a token used before the emulator issued it"
	case !t.Before(is.hi.Add(rc.ttl + slack)):
		return false, fmt.Sprintf("a token %v past its expiry", t.Sub(is.hi.Add(rc.ttl)).Round(time.Millisecond))
	}
	return true, ""
}

// slowAnswer makes the next gettoken answer reach the client d late. It
// returns false when one is already pending.
func (rc *recorder) slowAnswer(d time.Duration) bool {
	return rc.slow.CompareAndSwap(0, int64(d))
}

func (rc *recorder) takeSlowAnswer() time.Duration {
	return time.Duration(rc.slow.Swap(0))
}

// bufferedWriter holds an answer until it is copied to the real writer.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }
func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

func (b *bufferedWriter) copyTo(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	if b.status == 0 {
		b.status = http.StatusOK
	}
	w.WriteHeader(b.status)
	w.Write(b.body.Bytes())
}

// verdictSpan is verdict for a token served by a call that ran from asked
// to served: it must have been valid at some instant in between (a caller
// that waited for a refresh asked before the token existed).
func (rc *recorder) verdictSpan(fp string, asked, served time.Time) (ok bool, why string) {
	rc.mu.Lock()
	is, seen := rc.issued[fp]
	rc.mu.Unlock()
	switch {
	case !seen:
		return false, "a token the emulator never issued"
	case served.Before(is.lo):
		return false, "a token served before the emulator issued it"
	case !asked.Before(is.hi.Add(rc.ttl)):
		return false, fmt.Sprintf("a token already %v past its expiry when asked for", asked.Sub(is.hi.Add(rc.ttl)).Round(time.Millisecond))
	}
	return true, ""
}

type teeWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (t *teeWriter) Write(p []byte) (int, error) {
	t.buf.Write(p)
	return t.ResponseWriter.Write(p)
}

// trace counts the requests one operation made to its endpoint, so the
// report can say which operations were retried. The API client builds every
// request with the operation's context, and token refreshes run on a context
// derived from the first caller's (values kept), so the transport sees it.
type trace struct {
	path string
	n    atomic.Int32
}

type traceKey struct{}

func traced(ctx context.Context, path string) (context.Context, *trace) {
	tr := &trace{path: path}
	return context.WithValue(ctx, traceKey{}, tr), tr
}

type countingTransport struct{ base http.RoundTripper }

// sentHeader carries the instant the client handed a request to the
// network (unix ns), so the token check can tell a stale token from a
// request that merely took long to arrive (a loaded CI machine can stall a
// process for half a second).
const sentHeader = "X-Faults-Sent"

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if tr, ok := r.Context().Value(traceKey{}).(*trace); ok && strings.HasSuffix(r.URL.Path, tr.path) {
		tr.n.Add(1)
	}
	r = r.Clone(r.Context())
	r.Header.Set(sentHeader, strconv.FormatInt(time.Now().UnixNano(), 10))
	return c.base.RoundTrip(r)
}

func newHTTPClient(timeout time.Duration) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: countingTransport{base: tr}, Timeout: timeout}
}
