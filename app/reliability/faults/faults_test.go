package faults

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/token"
	"github.com/wwkit/wwkit/core/token/redistoken"
	"github.com/wwkit/wwkit/core/wxcrypt"
	"github.com/wwkit/wwkit/internal/redistest"
)

// config sizes one run. WWKIT_FAULTS_SCALE=full is `make faults`; the
// default (and -short) is the reduced run that `go test ./...` does in CI.
type config struct {
	name           string
	duration       time.Duration
	ttl            time.Duration // emulator token lifetime: tokens rotate several times per run
	tokenWorkers   int           // goroutines per process fetching tokens
	ticketWorkers  int           // goroutines (this process) fetching the jsapi_ticket
	helpers        int           // extra processes sharing Redis
	sendWorkers    int
	mediaWorkers   int
	cbWorkers      int
	opPause        time.Duration // pause between two operations of a worker (the outbox keeps 10 000 messages)
	cbPause        time.Duration // pause between two callbacks of a worker
	faultEvery     time.Duration
	clientTimeout  time.Duration
	redisRestarts  int
	redisDown      time.Duration
	serveKills     int
	opDeadline     time.Duration // an operation still running this long after the end is LOST
	cbRetryBackoff []time.Duration
}

func configFor(t *testing.T) config {
	c := config{
		name: "ci", duration: 12 * time.Second, ttl: 3 * time.Second,
		tokenWorkers: 6, ticketWorkers: 2, helpers: 2, sendWorkers: 3, mediaWorkers: 2, cbWorkers: 4,
		opPause: 20 * time.Millisecond, cbPause: 2 * time.Millisecond, faultEvery: 60 * time.Millisecond, clientTimeout: 2 * time.Second,
		redisRestarts: 1, redisDown: time.Second, serveKills: 1, opDeadline: 60 * time.Second,
		cbRetryBackoff: []time.Duration{200 * time.Millisecond, time.Second, 3 * time.Second},
	}
	switch s := os.Getenv("WWKIT_FAULTS_SCALE"); {
	case s == "full" && !testing.Short():
		c.name, c.duration, c.ttl = "full", 150*time.Second, 12*time.Second
		c.tokenWorkers, c.ticketWorkers, c.helpers, c.sendWorkers, c.mediaWorkers, c.cbWorkers = 16, 4, 3, 4, 4, 8
		c.opPause, c.cbPause, c.faultEvery = 50*time.Millisecond, 5*time.Millisecond, 40*time.Millisecond
		c.redisRestarts, c.redisDown, c.serveKills = 3, 2*time.Second, 3
	case s == "" || s == "ci" || s == "full":
	default:
		t.Fatalf("faults: WWKIT_FAULTS_SCALE=%q; use full (make faults) or ci (the default)", s)
	}
	return c
}

// TestFaults is the fault suite. See the package doc and docs/reliability.md.
func TestFaults(t *testing.T) {
	if os.Getenv("WWKIT_FAULTS_HELPER") == "1" {
		t.Skip("inside a helper process")
	}
	cfg := configFor(t)
	rep := NewReport(cfg.name)
	rep.Date = time.Now().UTC().Format(time.RFC3339)
	rep.Machine = machineLine()

	// go-redis logs its reconnection attempts during the Redis restarts to
	// stderr; the suite counts the callers' errors instead.
	redis.SetLogger(quietRedis{})
	rs := redistest.Start(t)
	dev := startDevServer(t)

	emu, err := emulator.New(emulator.WithTokenTTL(cfg.ttl))
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder(emu, cfg.ttl)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: rec}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	emuURL := "http://" + ln.Addr().String()
	fx := emu.Fixture()
	app := fx.WeCom.Apps[0]

	store, err := redistoken.Open(rs.URL())
	if err != nil {
		t.Fatal(err)
	}
	wc, err := api.NewWeCom(api.WeComApp{CorpID: fx.WeCom.CorpID, AgentID: app.AgentID, Secret: app.Secret},
		api.WithBaseURL(emuURL+"/wecom"), api.WithStore(store), api.WithHTTPClient(newHTTPClient(cfg.clientTimeout)))
	if err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	stopAt := start.Add(cfg.duration)
	var (
		wg       sync.WaitGroup
		inflight sync.Map // op id → description, for ops that never return
		opSeq    atomic.Int64
		served   servedLog
	)
	begin := func(desc string) int64 {
		id := opSeq.Add(1)
		inflight.Store(id, desc)
		return id
	}
	end := func(id int64) { inflight.Delete(id) }
	running := func() bool { return time.Now().Before(stopAt) }
	opCtx := func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.Background(), 20*time.Second)
	}

	// Token fetches in this process.
	for w := 0; w < cfg.tokenWorkers; w++ {
		wg.Go(func() {
			for running() {
				id := begin("token fetch")
				ctx, cancel := opCtx()
				o := fetchToken(ctx, wc)
				cancel()
				served.add(o)
				recordToken(rep, "token", o)
				end(id)
				time.Sleep(time.Duration(mrand.Int64N(int64(cfg.opPause) + 1)))
			}
		})
	}
	// jsapi_ticket fetches (the ticket follows its token) in this process.
	for w := 0; w < cfg.ticketWorkers; w++ {
		wg.Go(func() {
			for running() {
				id := begin("ticket fetch")
				ctx, cancel := opCtx()
				o := fetchTicket(ctx, wc)
				cancel()
				served.add(o)
				recordToken(rep, "ticket", o)
				end(id)
				time.Sleep(time.Duration(mrand.Int64N(int64(cfg.opPause) + 1)))
			}
		})
	}
	// Token fetches in helper processes sharing the Redis store.
	helperOut := make([]*bytes.Buffer, cfg.helpers)
	helperErr := make([]error, cfg.helpers)
	helperLog := make([]bytes.Buffer, cfg.helpers)
	for i := 0; i < cfg.helpers; i++ {
		helperOut[i] = &bytes.Buffer{}
		cmd := exec.Command(os.Args[0], "-test.run=^TestFaultsHelper$", "-test.count=1", "-test.v=false")
		cmd.Env = append(os.Environ(),
			"WWKIT_FAULTS_HELPER=1",
			"WWKIT_FAULTS_REDIS="+rs.URL(),
			"WWKIT_FAULTS_BASE="+emuURL+"/wecom",
			"WWKIT_FAULTS_STOP="+strconv.FormatInt(stopAt.UnixMilli(), 10),
			"WWKIT_FAULTS_WORKERS="+strconv.Itoa(cfg.tokenWorkers),
			"WWKIT_FAULTS_TIMEOUT="+cfg.clientTimeout.String(),
			"WWKIT_FAULTS_PAUSE="+cfg.opPause.String(),
		)
		cmd.Stdout = helperOut[i]
		cmd.Stderr = &helperLog[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() { helperErr[i] = cmd.Wait() })
	}

	// App message sends.
	runID := fmt.Sprintf("%x", mrand.Uint64())
	var sends sendLog
	users := []string{"zhangsan", "lisi", "wangwu", "zhaoliu"}
	// The emulator's outbox keeps the last 10 000 messages; the check needs
	// every send of the run in it, so sends are paced to stay under 8 000.
	sendPause := max(cfg.opPause, cfg.duration*time.Duration(cfg.sendWorkers)/8000)
	for w := 0; w < cfg.sendWorkers; w++ {
		wg.Go(func() {
			for n := 0; running(); n++ {
				id := begin("send message")
				content := fmt.Sprintf("faults %s w%d #%d", runID, w, n)
				ctx, cancel := opCtx()
				ctx, tr := traced(ctx, "/cgi-bin/message/send")
				t0 := time.Now()
				_, err := wc.Send(ctx, &api.Message{ToUser: users[n%len(users)], MsgType: "text", Text: &api.Content{Content: content}})
				rep.Took("send", time.Since(t0))
				cancel()
				sends.add(content, err, tr.n.Load() > 1)
				end(id)
				time.Sleep(sendPause)
			}
		})
	}

	// Media upload + download.
	for w := 0; w < cfg.mediaWorkers; w++ {
		wg.Go(func() {
			for running() {
				id := begin("media upload+download")
				ctx, cancel := opCtx()
				t0 := time.Now()
				o, retried, err, detail := mediaRoundTrip(ctx, wc)
				rep.Took("media", time.Since(t0))
				cancel()
				rep.Record("media", o, retried, err, detail)
				end(id)
				time.Sleep(cfg.opPause)
			}
		})
	}

	// Callback bursts from the "WeCom side" into the real wwkit serve.
	cb := newCallbackSide(t, dev.url(), fx)
	for w := 0; w < cfg.cbWorkers; w++ {
		wg.Go(func() {
			for n := 0; running(); n++ {
				id := begin("callback")
				t0 := time.Now()
				cb.deliver(int64(w+1)*1_000_000+int64(n)+1, cfg.cbRetryBackoff)
				rep.Took("callback", time.Since(t0))
				end(id)
				time.Sleep(cfg.cbPause)
			}
		})
	}

	// Faults from the emulator's admin API.
	var chaos sync.WaitGroup
	injector := &injector{base: emuURL, rep: rep, timeout: cfg.clientTimeout, rec: rec,
		armed: map[string]time.Time{}, quiet: map[string]time.Time{}, next: map[string]int{}}
	chaos.Go(func() {
		for running() {
			injector.injectOne()
			time.Sleep(cfg.faultEvery)
		}
	})
	// Redis restarts and SIGKILLs of the dev server, spread over the run.
	chaos.Go(func() {
		for i := 1; i <= cfg.redisRestarts; i++ {
			at := start.Add(cfg.duration * time.Duration(2*i-1) / time.Duration(2*cfg.redisRestarts+1))
			time.Sleep(time.Until(at))
			down := cfg.redisDown
			if err := rs.Restart(down); err != nil {
				rep.Problem("redis restart: %v", err)
				return
			}
			rep.Event("redis-server killed at +%.1fs and restarted empty after %v", at.Sub(start).Seconds(), down)
		}
	})
	chaos.Go(func() {
		for i := 1; i <= cfg.serveKills; i++ {
			at := start.Add(cfg.duration * time.Duration(2*i) / time.Duration(2*cfg.serveKills+1))
			time.Sleep(time.Until(at))
			acked := cb.acked.Load()
			dev.kill()
			t0 := time.Now()
			if err := dev.start(); err != nil {
				rep.Problem("restarting wwkit serve after SIGKILL: %v", err)
				return
			}
			rep.Event("wwkit serve SIGKILLed at +%.1fs during the callback burst (%d acknowledged so far), back after %v",
				at.Sub(start).Seconds(), acked, time.Since(t0).Round(time.Millisecond))
		}
	})

	chaos.Wait()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Until(stopAt) + cfg.opDeadline):
		inflight.Range(func(k, v any) bool {
			rep.Record(strings.Fields(v.(string))[0], Lost, false, nil, fmt.Sprintf("%s #%d never returned", v, k))
			return true
		})
		rep.Problem("operations still running %v after the end of the run (listed as lost)", cfg.opDeadline)
	}
	rep.Seconds = time.Since(start).Seconds()

	// The run is over. Each check is a named step that fails with the
	// problems it found; all of them run, since each looks at another part
	// of what the run left, and the report is printed after them.
	reported := 0
	check := func(name string, f func(t *testing.T)) {
		t.Run(name, func(t *testing.T) {
			f(t)
			for _, p := range rep.Problems[reported:] {
				t.Error(p)
			}
			reported = len(rep.Problems)
		})
	}
	check("run", func(t *testing.T) {}) // what the run itself recorded (operations that never returned, …)
	check("helper processes", func(t *testing.T) {
		// Their operations and the tokens they were served.
		rep.Tokens.Processes = 1 + cfg.helpers
		for i, out := range helperOut {
			if helperErr[i] != nil {
				rep.Problem("helper process %d: %v\n%s%s", i, helperErr[i], truncate(out.String(), 2000), truncate(helperLog[i].String(), 2000))
				continue
			}
			n := 0
			sc := bufio.NewScanner(bytes.NewReader(out.Bytes()))
			for sc.Scan() {
				line, ok := strings.CutPrefix(sc.Text(), helperPrefix)
				if !ok {
					continue
				}
				var o tokenOp
				if err := json.Unmarshal([]byte(line), &o); err != nil {
					rep.Problem("helper process %d: bad line %q", i, line)
					continue
				}
				n++
				served.add(o)
				recordToken(rep, "token", o)
			}
			if n == 0 {
				rep.Problem("helper process %d reported no operations:\n%s", i, truncate(out.String(), 2000))
			}
		}
	})
	check("tokens", func(t *testing.T) { checkTokens(rep, rec, &served) })
	check("message sends", func(t *testing.T) { checkSends(rep, emu, &sends, runID) })
	check("callbacks", func(t *testing.T) { checkCallbacks(t, rep, dev, cb) })
	check("faults injected", func(t *testing.T) {
		injector.finish()
		if rep.Consumed == 0 {
			t.Error("no injected fault reached the emulator")
		}
	})
	check("token latency", func(t *testing.T) { measureTokenLatency(t, cfg, rep) })
	check("report", func(t *testing.T) {
		rep.Finish()
		rep.Print(os.Stdout)
		if path := os.Getenv("WWKIT_FAULTS_REPORT"); path != "" {
			if err := rep.WriteJSON(path); err != nil {
				t.Errorf("writing the report: %v", err)
			} else {
				fmt.Printf("report written to %s\n", path)
			}
		}
		if n := rep.LostTotal(); n != 0 {
			t.Errorf("LOST = %d, want 0", n)
		}
		for name, k := range rep.Kinds {
			if k.FailedUnclear != 0 {
				t.Errorf("%s: %d failures with an error that does not name its cause: %v", name, k.FailedUnclear, k.Samples)
			}
			if k.Succeeded == 0 {
				t.Errorf("%s: no operation succeeded; the faults should not stop everything", name)
			}
		}
	})
}

// tokenOp is one token fetch, as the helper processes report it.
type tokenOp struct {
	Outcome Outcome `json:"outcome"`
	Retried bool    `json:"retried"`
	Cause   string  `json:"cause,omitempty"`
	Sample  string  `json:"sample,omitempty"`
	FP      string  `json:"fp,omitempty"` // fingerprint of the served token
	// AskedAt is when the caller asked (unix ns): the token served must have
	// been valid then or later. A cache hit takes microseconds, so serving a
	// token past its expiry shows; a caller that was merely descheduled
	// after a valid answer does not.
	AskedAt  int64 `json:"askedAt,omitempty"`
	ServedAt int64 `json:"servedAt,omitempty"` // when the source returned it
	TookNs   int64 `json:"tookNs"`
	Ticket   bool  `json:"ticket,omitempty"` // a jsapi_ticket, not an access_token
}

const helperPrefix = "FAULTSOP "

// fetchToken asks the source for the access_token and says what happened.
func fetchToken(ctx context.Context, wc *api.WeCom) tokenOp {
	ctx, tr := traced(ctx, "/cgi-bin/gettoken")
	t0 := time.Now()
	r, err := wc.AccessToken(ctx)
	now := time.Now()
	o := tokenOp{Retried: tr.n.Load() > 1, TookNs: now.Sub(t0).Nanoseconds()}
	switch {
	case err != nil:
		cause, clear := Cause(err)
		o.Outcome, o.Cause, o.Sample = FailedClear, cause, err.Error()
		if !clear {
			o.Outcome = FailedUnclear
		}
	case r.Value == "":
		o.Outcome, o.Sample = Lost, "an empty token was served without an error"
	default:
		o.Outcome, o.FP, o.AskedAt, o.ServedAt = Succeeded, token.Fingerprint(r.Value), t0.UnixNano(), now.UnixNano()
	}
	return o
}

// fetchTicket asks for the corp jsapi_ticket (refetched whenever the token
// it was fetched with changes) and says what happened.
func fetchTicket(ctx context.Context, wc *api.WeCom) tokenOp {
	ctx, tr := traced(ctx, "/cgi-bin/get_jsapi_ticket")
	t0 := time.Now()
	r, err := wc.JSAPITicket(ctx)
	now := time.Now()
	o := tokenOp{Retried: tr.n.Load() > 1, TookNs: now.Sub(t0).Nanoseconds(), Ticket: true}
	switch {
	case err != nil:
		cause, clear := Cause(err)
		o.Outcome, o.Cause, o.Sample = FailedClear, cause, err.Error()
		if !clear {
			o.Outcome = FailedUnclear
		}
	case r.Value == "":
		o.Outcome, o.Sample = Lost, "an empty ticket was served without an error"
	default:
		o.Outcome, o.FP, o.AskedAt, o.ServedAt = Succeeded, token.Fingerprint(r.Value), t0.UnixNano(), now.UnixNano()
	}
	return o
}

func recordToken(rep *Report, kind string, o tokenOp) {
	if o.Outcome == Lost && strings.Contains(o.Sample, "empty") {
		rep.mu.Lock()
		rep.Tokens.Empty++
		rep.mu.Unlock()
	}
	rep.RecordCause(kind, o.Outcome, o.Retried, o.Cause, o.Sample)
	rep.Took(kind, time.Duration(o.TookNs))
}

type servedLog struct {
	mu  sync.Mutex
	ops []tokenOp
}

func (s *servedLog) add(o tokenOp) {
	if o.Outcome != Succeeded {
		return
	}
	s.mu.Lock()
	s.ops = append(s.ops, o)
	s.mu.Unlock()
}

// checkTokens checks every token served (all processes) and every token a
// request carried against the emulator's record.
func checkTokens(rep *Report, rec *recorder, served *servedLog) {
	rec.mu.Lock()
	uses := append([]use(nil), rec.uses...)
	for _, is := range rec.issued {
		if is.ticket {
			rep.Tokens.TicketsIssued++
		} else {
			rep.Tokens.Issued++
		}
	}
	rep.Tokens.Empty += rec.empty
	rec.mu.Unlock()
	rep.Tokens.GettokenHits = int(rec.gets.Load())
	if rec.empty > 0 {
		rep.Problem("%d API requests carried an empty access_token", rec.empty)
	}
	stale := map[string]int{}
	for _, o := range served.ops {
		rep.Tokens.Served++
		if o.Ticket {
			rep.Tokens.TicketsServed++
		}
		if ok, why := rec.verdictSpan(o.FP, time.Unix(0, o.AskedAt), time.Unix(0, o.ServedAt)); !ok {
			rep.Tokens.Stale++
			stale["served "+why]++
		}
	}
	// A request can reach the emulator after the token it carries expired
	// although it was valid when the client sent it (a loaded machine stalls
	// processes): the emulator answers 42001 and the client refreshes, which
	// is right. So the check uses the instant the client sent the request;
	// late arrivals are counted apart.
	for _, u := range uses {
		rep.Tokens.Used++
		if ok, _ := rec.verdict(u.fp, u.at, 0); !ok {
			if ok, _ := rec.verdict(u.fp, u.sent, 0); ok {
				rep.Tokens.LateArrivals++
			}
		}
		if ok, why := rec.verdict(u.fp, u.sent, 0); !ok {
			rep.Tokens.Stale++
			stale["sent to "+u.path+": "+why]++
		}
	}
	for why, n := range stale {
		if len(stale) > 8 {
			break
		}
		rep.Problem("stale token ×%d: %s", n, why)
	}
	if len(stale) > 8 {
		rep.Problem("stale tokens: %d (%d distinct cases)", rep.Tokens.Stale, len(stale))
	}
	if rep.Tokens.Issued < 2 {
		rep.Problem("only %d access token(s) issued: the run did not cross a token rotation", rep.Tokens.Issued)
	}
}

// sendLog keeps every send's outcome until the outbox is checked.
type sendLog struct {
	mu  sync.Mutex
	ops []sendOp
}

type sendOp struct {
	content string
	err     error
	retried bool
}

func (s *sendLog) add(content string, err error, retried bool) {
	s.mu.Lock()
	s.ops = append(s.ops, sendOp{content, err, retried})
	s.mu.Unlock()
}

// checkSends matches every send with the emulator's outbox: a send that
// succeeded is there exactly once; one that failed is not there.
func checkSends(rep *Report, emu *emulator.Emulator, sends *sendLog, runID string) {
	inOutbox := map[string]int{}
	for _, m := range emu.Outbox() {
		var body struct {
			Text struct {
				Content string `json:"content"`
			} `json:"text"`
		}
		if json.Unmarshal(m.Body, &body) == nil && strings.HasPrefix(body.Text.Content, "faults "+runID) {
			inOutbox[body.Text.Content]++
		}
	}
	for _, s := range sends.ops {
		n := inOutbox[s.content]
		rep.Sends.Delivered += min(n, 1)
		switch {
		case n > 1:
			rep.Sends.Twice++
			rep.Problem("message %q is in the outbox %d times (a non-idempotent send was repeated)", s.content, n)
			rep.Record("send", Succeeded, s.retried, nil, "")
		case s.err == nil && n == 1:
			rep.Record("send", Succeeded, s.retried, nil, "")
		case s.err == nil:
			rep.Record("send", Lost, s.retried, nil, fmt.Sprintf("%q: the send succeeded but the message is not in the outbox", s.content))
		case n == 1:
			// The caller was told it failed, but the message went out: only
			// acceptable for a timeout (the answer may be lost after the
			// server accepted it; docs/tokens.md, non-idempotent sends).
			rep.Sends.FailedDelivered++
			if cause, _ := Cause(s.err); cause != "timeout" {
				rep.Record("send", Lost, s.retried, nil, fmt.Sprintf("%q: reported failed (%v) but delivered", s.content, s.err))
				continue
			}
			rep.Record("send", FailedClear, s.retried, s.err, "")
		default:
			rep.Record("send", FailedClear, s.retried, s.err, "")
		}
	}
}

// mediaRoundTrip uploads random bytes as an image and downloads them again.
func mediaRoundTrip(ctx context.Context, wc *api.WeCom) (Outcome, bool, error, string) {
	data := make([]byte, 64+mrand.IntN(8192))
	copy(data, "\x89PNG\r\n\x1a\n")
	rand.Read(data[8:])
	uctx, up := traced(ctx, "/cgi-bin/media/upload")
	res, err := wc.UploadMedia(uctx, "image", "faults.png", bytes.NewReader(data))
	if err != nil {
		return FailedClear, up.n.Load() > 1, err, ""
	}
	gctx, get := traced(ctx, "/cgi-bin/media/get")
	m, err := wc.GetMedia(gctx, res.MediaID)
	retried := up.n.Load() > 1 || get.n.Load() > 1
	if err != nil {
		return FailedClear, retried, err, ""
	}
	if !bytes.Equal(m.Body, data) {
		return Lost, retried, nil, fmt.Sprintf("media %s: downloaded %d bytes differ from the %d uploaded", res.MediaID, len(m.Body), len(data))
	}
	return Succeeded, retried, nil, ""
}

// injector injects faults through the emulator's admin API
// (POST /__emulator/faults), one at a time, keeping at most a few pending
// per path so they land mid-flight instead of piling up.
type injector struct {
	base     string
	rep      *Report
	timeout  time.Duration
	injected int
	rec      *recorder
	armed    map[string]time.Time // path → when its pending fault was injected
	quiet    map[string]time.Time // path → when its last fault was consumed
	next     map[string]int       // path → index of its next fault type
}

var (
	apiPaths   = []string{"/wecom/cgi-bin/message/send", "/wecom/cgi-bin/media/upload", "/wecom/cgi-bin/media/get"}
	tokenPath  = "/wecom/cgi-bin/gettoken"
	ticketPath = "/wecom/cgi-bin/get_jsapi_ticket"
)

func (in *injector) pending() map[string]int {
	resp, err := http.Get(in.base + "/__emulator/faults")
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var v struct {
		Faults []emulator.Fault `json:"faults"`
	}
	json.NewDecoder(resp.Body).Decode(&v)
	out := map[string]int{}
	for _, f := range v.Faults {
		out[f.Path] += f.Count
	}
	return out
}

func (in *injector) injectOne() {
	// Not an emulator fault: a gettoken answer computed on time reaches the
	// client late (the recorder holds it), as on a slow network. Most token
	// refreshes meet one; this is what found the lifetime counted from the
	// answer's arrival (core/token TestExpiryCountsFromTheRequest).
	if mrand.IntN(2) == 0 && in.rec.slowAnswer(time.Duration(300+mrand.IntN(700))*time.Millisecond) {
		in.rep.Fault("slow answer on gettoken (network)")
	}
	pend := in.pending()
	now := time.Now()
	for p, at := range in.armed {
		if pend[p] == 0 && !at.IsZero() {
			in.armed[p], in.quiet[p] = time.Time{}, now // consumed about now
		}
	}
	path := apiPaths[mrand.IntN(len(apiPaths))]
	switch mrand.IntN(8) {
	case 0, 1:
		path = tokenPath
	case 2:
		path = ticketPath
	}
	// One pending fault per path, and a quiet time after each is consumed
	// that outlasts the caller's retries (a timeout plus the backoff), so a
	// fault meets an operation mid-flight alone instead of a queue of them
	// exhausting every retry ("45009 ×4 in a row" is the exception: one
	// caller meeting all four exhausts its 3 retries; concurrent callers
	// usually share them).
	quiet := 2 * time.Second // longer than a refresh with a slow gettoken answer
	if path == tokenPath || path == ticketPath {
		quiet = 4 * time.Second // called only when the token rotates
	}
	if pend[path] >= 1 || now.Sub(in.quiet[path]) < quiet {
		return
	}
	in.armed[path] = now
	var f emulator.Fault
	name := ""
	f.Path, f.Count = path, 1
	choices := []string{"42001", "40014", "-1", "45009", "45009 ×4 in a row", "HTTP 5xx", "timeout", "slow"}
	if path == tokenPath {
		choices = []string{"-1", "45009", "HTTP 5xx", "timeout", "slow"}
	}
	// Each path cycles through its fault types from its own offset, so even
	// the short CI run meets every type on some path.
	if _, started := in.next[path]; !started {
		in.next[path] = 3 * max(0, slices.Index(apiPaths, path))
	}
	name = choices[in.next[path]%len(choices)]
	in.next[path]++
	switch name {
	case "42001", "40014", "-1", "45009":
		f.Errcode, _ = strconv.Atoi(name)
	case "45009 ×4 in a row":
		f.Errcode, f.Count = 45009, 4 // 1 call + 3 retries
	case "HTTP 5xx":
		f.Status = []int{500, 502, 503}[mrand.IntN(3)]
	case "timeout":
		f.DelayMs = int(in.timeout.Milliseconds()) + 500 // longer than the client's timeout
	case "slow":
		f.DelayMs = 200 + mrand.IntN(1000)
	}
	b, _ := json.Marshal(f)
	resp, err := http.Post(in.base+"/__emulator/faults", "application/json", bytes.NewReader(b))
	if err != nil {
		in.rep.Problem("injecting a fault: %v", err)
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		in.rep.Problem("injecting a fault: HTTP %d", resp.StatusCode)
		return
	}
	in.injected += f.Count
	in.rep.Fault(name + " on " + strings.TrimPrefix(path, "/wecom/cgi-bin/"))
}

// finish clears what is left and counts what the emulator answered with.
func (in *injector) finish() {
	left := 0
	for _, n := range in.pending() {
		left += n
	}
	in.rep.Consumed = in.injected - left
	req, _ := http.NewRequest(http.MethodDelete, in.base+"/__emulator/faults", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
}

// callbackSide plays WeCom delivering callbacks to the dev server: each
// message is encrypted and signed like WeCom does, POSTed, and re-sent with
// the same MsgId (same request) while it is not acknowledged, up to three
// times, like WeCom's retries; some acknowledged ones are re-sent once more
// (a retry after a slow answer), which must not be stored twice.
type callbackSide struct {
	url    string
	fx     *emulator.Fixture
	crypt  *wxcrypt.Crypt
	client *http.Client

	acked      atomic.Int64
	mu         sync.Mutex
	sent       map[int64]*cbOp
	deliveries int
	resent     int
}

type cbOp struct {
	acked   bool
	err     error
	retried bool
}

func newCallbackSide(t *testing.T, devURL string, fx *emulator.Fixture) *callbackSide {
	app := fx.WeCom.Apps[0]
	c, err := wxcrypt.New(app.Token, app.EncodingAESKey, fx.WeCom.CorpID)
	if err != nil {
		t.Fatal(err)
	}
	return &callbackSide{url: devURL + "/callback/wecom", fx: fx, crypt: c,
		client: &http.Client{Timeout: 5 * time.Second}, sent: map[int64]*cbOp{}}
}

func (c *callbackSide) deliver(msgID int64, backoff []time.Duration) {
	app := c.fx.WeCom.Apps[0]
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	plain := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>%s</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[fault burst %d]]></Content><MsgId>%d</MsgId><AgentID>%d</AgentID></xml>",
		c.fx.WeCom.CorpID, ts, msgID, msgID, app.AgentID)
	nonce := strconv.FormatInt(msgID, 36)
	body, sig, err := c.crypt.EncryptRequest([]byte(plain), c.fx.WeCom.CorpID, strconv.FormatInt(app.AgentID, 10), ts, nonce)
	op := &cbOp{}
	c.mu.Lock()
	c.sent[msgID] = op
	c.mu.Unlock()
	if err != nil {
		op.err = err
		return
	}
	target := c.url + "?msg_signature=" + sig + "&timestamp=" + ts + "&nonce=" + nonce
	post := func() error {
		c.mu.Lock()
		c.deliveries++
		c.mu.Unlock()
		resp, err := c.client.Post(target, "text/xml", bytes.NewReader(body))
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return &api.StatusError{Status: resp.StatusCode, Method: "POST", Path: "/callback/wecom"}
		}
		return nil
	}
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			c.mu.Lock()
			c.resent++
			c.mu.Unlock()
			op.retried = true
		}
		err := post()
		if err == nil {
			op.acked = true
			c.acked.Add(1)
			break
		}
		op.err = err
		if attempt == len(backoff) {
			return
		}
		time.Sleep(backoff[attempt])
	}
	op.err = nil
	if mrand.IntN(8) == 0 {
		c.mu.Lock()
		c.resent++
		c.mu.Unlock()
		_ = post() // WeCom's retry after an answer it did not see in time
	}
}

// checkCallbacks reads the inbox of the (restarted) dev server: every
// acknowledged MsgId is stored, none twice, none that was never sent.
func checkCallbacks(t *testing.T, rep *Report, dev *devServer, cb *callbackSide) {
	entries, err := dev.inbox()
	if err != nil {
		rep.Problem("reading the dev server's inbox: %v", err)
		return
	}
	stored := map[int64]int{}
	for _, e := range entries {
		stored[e.MsgID]++
	}
	cb.mu.Lock()
	defer cb.mu.Unlock()
	ci := &rep.Inbox
	ci.UniqueSent, ci.Deliveries, ci.Resent, ci.Stored = len(cb.sent), cb.deliveries, cb.resent, len(entries)
	for id, n := range stored {
		if n > 1 {
			ci.Duplicates++
			rep.Problem("callback MsgId %d is stored %d times", id, n)
		}
		if cb.sent[id] == nil {
			ci.Foreign++
			rep.Problem("callback MsgId %d is stored but was never sent", id)
		}
	}
	for id, op := range cb.sent {
		switch {
		case op.acked && stored[id] > 0:
			ci.Acknowledged++
			rep.Record("callback", Succeeded, op.retried, nil, "")
		case op.acked:
			ci.Acknowledged++
			ci.AckedMissing++
			rep.Record("callback", Lost, op.retried, nil, fmt.Sprintf("MsgId %d was acknowledged (HTTP 200) but is not in the inbox", id))
		default:
			if stored[id] > 0 {
				ci.Unacked++
			}
			rep.Record("callback", FailedClear, op.retried, op.err, "")
		}
	}
}

// TestFaultsHelper is a second (third, …) process fetching tokens through
// the shared Redis store while the parent injects faults; it prints one line
// per operation for the parent to count and check.
func TestFaultsHelper(t *testing.T) {
	if os.Getenv("WWKIT_FAULTS_HELPER") != "1" {
		t.Skip("run by TestFaults in a separate process")
	}
	env := func(k string) string { return os.Getenv("WWKIT_FAULTS_" + k) }
	stopMS, _ := strconv.ParseInt(env("STOP"), 10, 64)
	workers, _ := strconv.Atoi(env("WORKERS"))
	timeout, _ := time.ParseDuration(env("TIMEOUT"))
	pause, _ := time.ParseDuration(env("PAUSE"))
	stopAt := time.UnixMilli(stopMS)
	redis.SetLogger(quietRedis{})
	fx := emulator.DefaultFixture()
	app := fx.WeCom.Apps[0]
	store, err := redistoken.Open(env("REDIS"))
	if err != nil {
		t.Fatal(err)
	}
	wc, err := api.NewWeCom(api.WeComApp{CorpID: fx.WeCom.CorpID, AgentID: app.AgentID, Secret: app.Secret},
		api.WithBaseURL(env("BASE")), api.WithStore(store), api.WithHTTPClient(newHTTPClient(timeout)))
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu  sync.Mutex
		out = bufio.NewWriter(os.Stdout)
		wg  sync.WaitGroup
	)
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			for time.Now().Before(stopAt) {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				o := fetchToken(ctx, wc)
				cancel()
				b, _ := json.Marshal(o)
				mu.Lock()
				out.WriteString(helperPrefix)
				out.Write(b)
				out.WriteByte('\n')
				mu.Unlock()
				time.Sleep(time.Duration(mrand.Int64N(int64(pause) + 1)))
			}
		})
	}
	wg.Wait()
	out.Flush()
}

// machineLine is the `go version`, nproc and CPU model line of the report.
func machineLine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%s %s/%s, nproc %d, %s", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), model)
}

type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}
