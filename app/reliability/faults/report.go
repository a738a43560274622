// Package faults is wwkit's fault suite (make faults): concurrent token
// fetches, app message sends, media upload+download and callback bursts run
// against the real pieces — the emulator over loopback HTTP, a real
// redis-server shared by several processes, the real `wwkit serve` binary —
// while the emulator injects errcodes, HTTP 5xx, timeouts and slow answers,
// Redis is restarted and the dev server is SIGKILLed. Every operation ends
// in exactly one outcome: succeeded (verified against the emulator or the
// inbox), failed with an error that names its cause, or lost. Lost must be 0.
//
// The suite itself is TestFaults (faults_test.go); this file holds the
// report it prints and writes as JSON (docs/reliability.md explains it).
package faults

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/token"
)

// Outcome is how one operation ended.
type Outcome int

const (
	Succeeded Outcome = iota
	FailedClear
	FailedUnclear
	Lost
)

// Kind counts the outcomes of one kind of operation.
type Kind struct {
	Attempted     int `json:"attempted"`
	Succeeded     int `json:"succeeded"`
	Retried       int `json:"retried"` // operations that needed more than one request (all outcomes)
	FailedClear   int `json:"failedClearError"`
	FailedUnclear int `json:"failedUnclearError"`
	Lost          int `json:"lost"`
	// SlowestMs is the longest any operation of this kind took (retries,
	// backoff and lock waits included).
	SlowestMs int64   `json:"slowestMs"`
	P50Ms     float64 `json:"p50Ms"`
	P99Ms     float64 `json:"p99Ms"`
	durs      []time.Duration
	// Causes counts failures per cause named by the error ("errcode 45009",
	// "HTTP 502", "timeout", "redis unavailable", …).
	Causes map[string]int `json:"causes,omitempty"`
	// Samples keeps one error text per cause (errors never carry secrets or
	// tokens; the suite checks that too).
	Samples map[string]string `json:"samples,omitempty"`
	// LostDetail says why operations were counted as lost.
	LostDetail []string `json:"lostDetail,omitempty"`
}

// Report is what one run of the suite found.
type Report struct {
	Date     string           `json:"date"`
	Scale    string           `json:"scale"`
	Seconds  float64          `json:"seconds"`
	Machine  string           `json:"machine"`
	Kinds    map[string]*Kind `json:"kinds"`
	Faults   map[string]int   `json:"faultsInjected"` // per fault type
	Consumed int              `json:"faultsConsumed"` // injected faults the emulator answered with
	Events   []string         `json:"events"`         // Redis restarts, SIGKILLs, with offsets
	Tokens   TokenCheck       `json:"tokens"`
	Inbox    InboxCheck       `json:"callbacks"`
	Sends    SendCheck        `json:"sends"`
	Latency  *TokenLatency    `json:"tokenLatency,omitempty"`
	Problems []string         `json:"problems"` // every broken guarantee; empty on a pass

	mu sync.Mutex
}

// TokenCheck is the stale/empty token audit: every token a source served
// and every token a request carried, checked against the emulator's record
// of the tokens it issued and when they expire.
type TokenCheck struct {
	Issued        int `json:"issued"`        // distinct access tokens the emulator handed out
	TicketsIssued int `json:"ticketsIssued"` // distinct jsapi_tickets
	Served        int `json:"served"`        // tokens served to callers (all processes), each checked
	TicketsServed int `json:"ticketsServed"` // of which jsapi_tickets
	Used          int `json:"used"`          // API requests carrying a token, each checked
	Processes     int `json:"processes"`     // processes sharing the Redis store
	Empty         int `json:"empty"`         // must be 0
	Stale         int `json:"stale"`         // served/used after the emulator's expiry, or never issued: must be 0
	LateArrivals  int `json:"lateArrivals"`  // requests sent before their token expired that arrived after (answered 42001, refreshed)
	GettokenHits  int `json:"gettokenCalls"` // gettoken requests that reached the emulator
}

// TokenLatency is the fault-free latency phase: processes sharing one Redis
// store fetch the access_token in a loop while the emulator issues tokens
// that live only TTLSeconds, so the value rotates several times and every
// early refresh, lock wait and expiry shows in the tail.
type TokenLatency struct {
	Processes  int     `json:"processes"`
	Workers    int     `json:"workersPerProcess"`
	TTLSeconds float64 `json:"ttlSeconds"`
	Seconds    float64 `json:"seconds"`
	Fetches    int     `json:"fetches"`
	Failed     int     `json:"failed"`
	Gettoken   int     `json:"gettokenCalls"`
	P50Ms      float64 `json:"p50Ms"`
	P99Ms      float64 `json:"p99Ms"`
	P999Ms     float64 `json:"p999Ms"`
	MaxMs      float64 `json:"maxMs"`
	TargetP99  float64 `json:"targetP99Ms"`
	TargetMet  bool    `json:"targetMet"`
}

// InboxCheck is the callback audit against the dev server's inbox.
type InboxCheck struct {
	UniqueSent   int `json:"uniqueMsgIds"`
	Deliveries   int `json:"deliveries"`          // POSTs the "WeCom side" made, re-sends included
	Resent       int `json:"resent"`              // same MsgId sent again (retry after failure, or duplicate after an ack)
	Acknowledged int `json:"acknowledged"`        // MsgIds that got HTTP 200 at least once
	Stored       int `json:"stored"`              // inbox rows
	Duplicates   int `json:"duplicatesStored"`    // MsgIds stored more than once: must be 0
	AckedMissing int `json:"acknowledgedMissing"` // acknowledged but not stored: must be 0
	Foreign      int `json:"storedNeverSent"`     // stored MsgIds nobody sent: must be 0
	Unacked      int `json:"storedUnacknowledged"`
}

// SendCheck is the message/send audit against the emulator's outbox.
type SendCheck struct {
	Delivered       int `json:"delivered"`          // outbox entries of the suite's messages
	Twice           int `json:"deliveredTwice"`     // a message in the outbox more than once: must be 0
	FailedDelivered int `json:"failedButDelivered"` // reported failed, yet in the outbox (counted lost: the caller was misinformed)
}

// NewReport returns an empty report for scale.
func NewReport(scale string) *Report {
	return &Report{Scale: scale, Kinds: map[string]*Kind{}, Faults: map[string]int{}}
}

func (r *Report) kind(name string) *Kind {
	k := r.Kinds[name]
	if k == nil {
		k = &Kind{Causes: map[string]int{}, Samples: map[string]string{}}
		r.Kinds[name] = k
	}
	return k
}

// Took notes how long one operation of kind took.
func (r *Report) Took(kind string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := r.kind(kind)
	k.SlowestMs = max(k.SlowestMs, d.Milliseconds())
	k.durs = append(k.durs, d)
}

// Finish computes the percentiles.
func (r *Report) Finish() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, k := range r.Kinds {
		if len(k.durs) == 0 {
			continue
		}
		sort.Slice(k.durs, func(i, j int) bool { return k.durs[i] < k.durs[j] })
		pct := func(p float64) float64 {
			return float64(k.durs[int(p*float64(len(k.durs)-1))].Microseconds()) / 1000
		}
		k.P50Ms, k.P99Ms = pct(0.50), pct(0.99)
	}
}

// Record counts one finished operation. err is the error the operation
// returned (nil for Succeeded); detail explains a Lost one.
func (r *Report) Record(kind string, o Outcome, retried bool, err error, detail string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := r.kind(kind)
	k.Attempted++
	if retried {
		k.Retried++
	}
	switch o {
	case Succeeded:
		k.Succeeded++
	case FailedClear, FailedUnclear:
		cause, clear := Cause(err)
		if o == FailedUnclear || !clear {
			k.FailedUnclear++
		} else {
			k.FailedClear++
		}
		k.Causes[cause]++
		if _, ok := k.Samples[cause]; !ok && err != nil {
			k.Samples[cause] = truncate(err.Error(), 300)
		}
	case Lost:
		k.Lost++
		if len(k.LostDetail) < 20 {
			k.LostDetail = append(k.LostDetail, detail)
		}
	}
}

// RecordCause is Record for an outcome computed elsewhere (a helper
// process): the cause and a sample text instead of an error.
func (r *Report) RecordCause(kind string, o Outcome, retried bool, cause, sample string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := r.kind(kind)
	k.Attempted++
	if retried {
		k.Retried++
	}
	switch o {
	case Succeeded:
		k.Succeeded++
	case FailedClear:
		k.FailedClear++
		k.Causes[cause]++
		if _, ok := k.Samples[cause]; !ok {
			k.Samples[cause] = truncate(sample, 300)
		}
	case FailedUnclear:
		k.FailedUnclear++
		k.Causes[cause]++
		if _, ok := k.Samples[cause]; !ok {
			k.Samples[cause] = truncate(sample, 300)
		}
	case Lost:
		k.Lost++
		if len(k.LostDetail) < 20 {
			k.LostDetail = append(k.LostDetail, sample)
		}
	}
}

// Problem records a broken guarantee.
func (r *Report) Problem(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

// Event records something the suite did to the system (with its offset).
func (r *Report) Event(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Events = append(r.Events, fmt.Sprintf(format, args...))
}

// Fault counts one injected fault of type name.
func (r *Report) Fault(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Faults[name]++
}

// Cause names what an operation's error says went wrong, and whether the
// error names it at all (a clear error). Unknown shapes are unclear.
func Cause(err error) (string, bool) {
	if err == nil {
		return "no error", false
	}
	var ae *api.APIError
	if errors.As(err, &ae) {
		return fmt.Sprintf("errcode %d", ae.Code), true
	}
	var se *api.StatusError
	if errors.As(err, &se) {
		return fmt.Sprintf("HTTP %d", se.Status), true
	}
	if errors.Is(err, token.ErrLockLost) {
		return "redis lock lost", true
	}
	msg := err.Error()
	var ne net.Error
	switch {
	case strings.Contains(msg, "redis"):
		return "redis unavailable", true
	case strings.Contains(msg, "gave up waiting"):
		return "refresh lock wait", true
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout(), strings.Contains(msg, "Client.Timeout"):
		return "timeout", true
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused", true
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection reset", true
	case strings.Contains(msg, "longer than the value's lifetime"):
		return "answer slower than the token's life", true
	case strings.Contains(msg, "expires_in"):
		return "bad expires_in", true
	}
	return "unclear: " + truncate(msg, 80), false
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// Lost is the number of lost operations over every kind.
func (r *Report) LostTotal() int {
	n := 0
	for _, k := range r.Kinds {
		n += k.Lost
	}
	return n
}

// Print writes the figures as a table.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "fault suite (%s scale, %.0f s) %s\n", r.Scale, r.Seconds, r.Date)
	fmt.Fprintf(w, "%-10s %9s %9s %8s %12s %14s %5s %9s %9s %9s\n", "operation", "attempted", "succeeded", "retried", "failed-clear", "failed-unclear", "LOST", "p50", "p99", "slowest")
	names := make([]string, 0, len(r.Kinds))
	for n := range r.Kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		k := r.Kinds[n]
		fmt.Fprintf(w, "%-10s %9d %9d %8d %12d %14d %5d %7.1fms %7.0fms %8.1fs\n", n, k.Attempted, k.Succeeded, k.Retried, k.FailedClear, k.FailedUnclear, k.Lost, k.P50Ms, k.P99Ms, float64(k.SlowestMs)/1000)
	}
	for _, n := range names {
		k := r.Kinds[n]
		if len(k.Causes) == 0 {
			continue
		}
		causes := make([]string, 0, len(k.Causes))
		for c, v := range k.Causes {
			causes = append(causes, fmt.Sprintf("%s ×%d", c, v))
		}
		sort.Strings(causes)
		fmt.Fprintf(w, "  %s failures: %s\n", n, strings.Join(causes, ", "))
	}
	faults := make([]string, 0, len(r.Faults))
	for f, v := range r.Faults {
		faults = append(faults, fmt.Sprintf("%s ×%d", f, v))
	}
	sort.Strings(faults)
	fmt.Fprintf(w, "faults injected: %s; answered by the emulator: %d\n", strings.Join(faults, ", "), r.Consumed)
	for _, e := range r.Events {
		fmt.Fprintf(w, "event: %s\n", e)
	}
	t := r.Tokens
	fmt.Fprintf(w, "tokens: %d access_tokens and %d jsapi_tickets issued; %d served (%d tickets) and %d carried by requests, checked across %d processes; empty %d, stale %d (sent valid, arrived expired: %d); gettoken calls %d\n",
		t.Issued, t.TicketsIssued, t.Served, t.TicketsServed, t.Used, t.Processes, t.Empty, t.Stale, t.LateArrivals, t.GettokenHits)
	s := r.Sends
	fmt.Fprintf(w, "sends: %d in the outbox, %d delivered twice, %d reported failed but delivered\n", s.Delivered, s.Twice, s.FailedDelivered)
	c := r.Inbox
	fmt.Fprintf(w, "callbacks: %d MsgIds, %d deliveries (%d re-sent), %d acknowledged, %d stored, %d duplicates stored, %d acknowledged but missing, %d stored never sent, %d stored unacknowledged\n",
		c.UniqueSent, c.Deliveries, c.Resent, c.Acknowledged, c.Stored, c.Duplicates, c.AckedMissing, c.Foreign, c.Unacked)
	if l := r.Latency; l != nil {
		verdict := "met"
		if !l.TargetMet {
			verdict = "NOT met"
		}
		fmt.Fprintf(w, "token latency: %d processes × %d workers, token TTL %.0f s, %.0f s: %d fetches (%d failed), %d gettoken calls; p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.1f ms (target p99 ≤ %.0f ms: %s)\n",
			l.Processes, l.Workers, l.TTLSeconds, l.Seconds, l.Fetches, l.Failed, l.Gettoken, l.P50Ms, l.P99Ms, l.P999Ms, l.MaxMs, l.TargetP99, verdict)
	}
	fmt.Fprintf(w, "LOST total: %d\n", r.LostTotal())
	for _, p := range r.Problems {
		fmt.Fprintf(w, "PROBLEM: %s\n", p)
	}
}

// WriteJSON writes the report to path (0644).
func (r *Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
