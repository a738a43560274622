// Package emulator is an offline emulator of the WeCom (企业微信) server API
// (qyapi.weixin.qq.com) and the WeChat Official Account (公众号) server API
// (api.weixin.qq.com), with the OAuth authorize pages, callback (回调) pushes
// and a JS-SDK config verifier.
//
// An Emulator is an http.Handler. WeCom paths live under /wecom (a client's
// base URL is http://ADDR/wecom, so GET /wecom/cgi-bin/gettoken mirrors
// https://qyapi.weixin.qq.com/cgi-bin/gettoken), Official Account paths under
// /mp, and a loopback-only admin API under /__emulator/ (stats, state, fault
// injection, the clock, the outbox of sent messages, callback pushes and
// jssdk/verify). docs/emulator.md lists every endpoint and where the
// emulator knowingly differs from Tencent.
//
// The emulated world comes from a Fixture (DefaultFixture is deterministic);
// time comes from an emulated clock that tests move with Advance.
package emulator

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// DefaultTokenTTL is the lifetime of access tokens and JS-SDK tickets.
const DefaultTokenTTL = 7200 * time.Second

// Limits the emulator applies.
const (
	mpTokenOverlap = 5 * time.Minute     // an MP token stays valid this long after a new one is issued
	oauthCodeTTL   = 5 * time.Minute     // OAuth code lifetime
	mediaTTL       = 3 * 24 * time.Hour  // temporary media lifetime
	userTicketTTL  = 1800 * time.Second  // WeCom user_ticket
	snsRefreshTTL  = 30 * 24 * time.Hour // MP sns refresh_token
	maxJSONBody    = 1 << 20             // bound on JSON request bodies
	maxUploadBody  = 21 << 20            // bound on media uploads (20 MB files + form overhead)
	maxFileSize    = 20 << 20
	maxStatPaths   = 4096 // distinct paths the call counters keep
)

// Option configures an Emulator.
type Option func(*config)

type config struct {
	fixture    *Fixture
	dataDir    string
	now        func() time.Time
	ttl        time.Duration
	httpClient *http.Client
	logger     *slog.Logger
	limits     map[string]rateLimit
	suiteEvery time.Duration
}

// WithFixture sets the emulated world (default DefaultFixture()).
func WithFixture(fx *Fixture) Option { return func(c *config) { c.fixture = fx } }

// WithDataDir persists state (tokens, tickets, media, outbox, menus, QR
// codes) in dir/state.json and the directory (departments, members, tags as
// the contact endpoints changed them) in dir/directory.json, so they
// survive a restart.
func WithDataDir(dir string) Option { return func(c *config) { c.dataDir = dir } }

// WithClock sets the base clock (default time.Now). Advance moves the
// emulated clock forward from it.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithTokenTTL sets the lifetime of access tokens and tickets (default 7200 s).
func WithTokenTTL(d time.Duration) Option { return func(c *config) { c.ttl = d } }

// WithHTTPClient sets the client used for callback pushes.
func WithHTTPClient(hc *http.Client) Option { return func(c *config) { c.httpClient = hc } }

// WithLogger sets the logger (default: discard). Secrets and tokens are
// never logged.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithSuiteTicketInterval sets how often a Server pushes a new
// suite_ticket to each suite's callback URL (default 10 minutes, as the
// platform does; 0 or less turns the schedule off, leaving the admin API's
// POST /__emulator/suite/ticket).
func WithSuiteTicketInterval(d time.Duration) Option {
	return func(c *config) { c.suiteEvery = d }
}

// WithRateLimit overrides the frequency limit of one path (e.g.
// "/wecom/cgi-bin/gettoken"): at most n calls per window per app, after which
// the path answers 45009. n <= 0 removes the limit.
func WithRateLimit(path string, n int, window time.Duration) Option {
	return func(c *config) {
		if c.limits == nil {
			c.limits = map[string]rateLimit{}
		}
		c.limits[path] = rateLimit{N: n, Window: window}
	}
}

type rateLimit struct {
	N      int
	Window time.Duration
}

// defaultLimits are per-app frequency limits. The jsapi ticket limit is the
// documented one; the others are generous guesses [unconfirmed] that only a
// runaway loop hits.
var defaultLimits = map[string]rateLimit{
	"/wecom/cgi-bin/gettoken":         {N: 600, Window: time.Minute},
	"/wecom/cgi-bin/get_jsapi_ticket": {N: 100, Window: time.Hour},
	"/wecom/cgi-bin/ticket/get":       {N: 100, Window: time.Hour},
	"/mp/cgi-bin/token":               {N: 2000, Window: 24 * time.Hour},
	"/mp/cgi-bin/ticket/getticket":    {N: 1000, Window: 24 * time.Hour},
	"/mp/cgi-bin/stable_token":        {N: 10000, Window: time.Minute},
	// force_refresh of stable_token: 20 a day.
	"/mp/cgi-bin/stable_token#force_refresh": {N: 20, Window: 24 * time.Hour},
}

// Emulator is the emulated WeCom + Official Account server. It is safe for
// concurrent use.
type Emulator struct {
	cfg    config
	log    *slog.Logger
	client *http.Client
	mux    map[string]route

	persistMu sync.Mutex
	mu        sync.Mutex
	fx        *Fixture
	offset    time.Duration
	st        *state
	stats     map[string]int
	faults    []*Fault
	calls     map[string][]time.Time // rate-limit windows, key path+"\x00"+app
	dirty     bool
	dirDirty  bool // the directory changed since directory.json was written

	contactPush contactPusher // change_contact callbacks waiting to go out
	suiteTick   suiteTicker   // periodic suite_ticket pushes of a Server

	flushPending bool      // a delayed state write is scheduled
	lastFlush    time.Time // wall time of the last state write
}

type route struct {
	method  string // "" any, else GET or POST
	handler func(*request)
}

// New builds an Emulator.
func New(opts ...Option) (*Emulator, error) {
	cfg := config{ttl: DefaultTokenTTL, now: time.Now, suiteEvery: suiteTicketTick}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.ttl <= 0 {
		return nil, errors.New("emulator: token TTL must be positive; pass WithTokenTTL a duration such as 2h")
	}
	if cfg.now == nil {
		cfg.now = time.Now
	}
	fx := cfg.fixture
	if fx == nil {
		fx = DefaultFixture()
	}
	if err := fx.Validate(); err != nil {
		return nil, err
	}
	fx = fx.clone()
	if fx.MP.EncryptMode == "" {
		fx.MP.EncryptMode = "safe"
	}
	log := cfg.logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	hc := cfg.httpClient
	if hc == nil {
		hc = &http.Client{Timeout: 5 * time.Second}
	}
	e := &Emulator{
		cfg: cfg, log: log, client: hc, fx: fx,
		st:    newState(),
		stats: map[string]int{},
		calls: map[string][]time.Time{},
	}
	if cfg.dataDir != "" {
		if err := e.load(); err != nil {
			return nil, err
		}
	}
	e.routes()
	return e, nil
}

// Fixture returns a copy of the emulated world as it is now (tags and
// follow state change as clients call the API).
func (e *Emulator) Fixture() *Fixture {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.fx.clone()
}

// Advance moves the emulated clock forward by d.
func (e *Emulator) Advance(d time.Duration) {
	e.mu.Lock()
	e.offset += d
	e.mu.Unlock()
}

// Now returns the emulated time.
func (e *Emulator) Now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now()
}

// now is Now for callers holding e.mu.
func (e *Emulator) now() time.Time { return e.cfg.now().Add(e.offset) }

// request is one API call being served.
type request struct {
	e *Emulator
	w http.ResponseWriter
	r *http.Request
	// app is the key of the app the call is authenticated as ("wecom:AGENTID"
	// or "mp"), set by the token check.
	app     string
	agentID int64
}

func (q *request) query(name string) string { return q.r.URL.Query().Get(name) }

// ServeHTTP implements http.Handler.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w}
	q := &request{e: e, w: sw, r: r}
	start := time.Now()
	defer func() {
		if v := recover(); v != nil {
			e.log.Error("emulator: recovered from a panic; please report it", "path", r.URL.Path, "panic", fmt.Sprint(v))
			q.fail(-1)
		}
		// The query is never logged: it carries access tokens and secrets.
		e.log.Info("emulator: request", "method", r.Method, "path", r.URL.Path, "status", sw.code(),
			"errcode", sw.errcode, "ms", time.Since(start).Milliseconds())
	}()
	path := r.URL.Path
	if strings.HasPrefix(path, "/__emulator/") || path == "/__emulator" {
		e.serveAdmin(q)
		return
	}
	e.mu.Lock()
	if _, seen := e.stats[path]; seen || len(e.stats) < maxStatPaths {
		e.stats[path]++ // bounded: a scan of random paths cannot grow it forever
	}
	f := e.takeFault(path)
	e.mu.Unlock()
	if f != nil {
		if f.DelayMs > 0 {
			t := time.NewTimer(time.Duration(f.DelayMs) * time.Millisecond)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		if f.Status != 0 {
			http.Error(sw, fmt.Sprintf("%d %s", f.Status, http.StatusText(f.Status)), f.Status)
			return
		}
		if f.Errcode != 0 {
			msg := f.Errmsg
			if msg == "" {
				msg = errmsgFor(f.Errcode)
			}
			q.json(map[string]any{"errcode": f.Errcode, "errmsg": msg})
			return
		}
	}
	rt, ok := e.mux[path]
	if !ok {
		// Tencent's hosts answer an unknown path with HTTP 200 and an
		// errcode body, so clients must not rely on the status. 40066
		// "invalid url" is the Official Account's documented code; for
		// WeCom the code is [unconfirmed] (docs/emulator.md).
		q.failMsg(40066, "invalid url (the emulator has no endpoint at "+path+"; docs/emulator.md lists the emulated paths)")
		return
	}
	switch {
	case rt.method == http.MethodGet && r.Method != http.MethodGet && r.Method != http.MethodHead:
		q.fail(43001)
		return
	case rt.method == http.MethodPost && r.Method != http.MethodPost:
		q.fail(43002)
		return
	}
	rt.handler(q)
	e.persistIfDirty()
}

func jsonEscape(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// statusWriter remembers the status and the errcode of the answer for the
// request log.
type statusWriter struct {
	http.ResponseWriter
	status  int
	errcode int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(p)
}

func (s *statusWriter) code() int {
	if s.status == 0 {
		return http.StatusOK
	}
	return s.status
}

// json writes v as a JSON response with HTTP 200, like Tencent's servers.
func (q *request) json(v any) {
	if m, ok := v.(map[string]any); ok {
		if c, ok := m["errcode"].(int); ok {
			if sw, ok := q.w.(*statusWriter); ok {
				sw.errcode = c
			}
		}
	}
	q.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	q.w.Header().Set("X-WWKit-Emulator", "1")
	enc := json.NewEncoder(q.w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// fail answers errcode code with its catalogue errmsg.
func (q *request) fail(code int) { q.failMsg(code, errmsgFor(code)) }

// failMsg answers errcode code with msg plus the hint suffix real servers add.
func (q *request) failMsg(code int, msg string) {
	q.json(map[string]any{"errcode": code, "errmsg": q.decorate(code, msg)})
}

// decorate appends the trailer Tencent adds to error messages: WeCom's
// hint, caller IP and errcode query link; MP's request id.
func (q *request) decorate(code int, msg string) string {
	if strings.HasPrefix(q.r.URL.Path, "/mp/") {
		return msg + ", rid: " + randString(8, "0123456789abcdef") + "-" + randString(8, "0123456789abcdef") + "-" + randString(8, "0123456789abcdef")
	}
	return fmt.Sprintf("%s, hint: [%d_%s], from ip: %s, more info at https://open.work.weixin.qq.com/devtool/query?e=%d",
		msg, time.Now().Unix(), hint(), q.clientIP(), code)
}

// ok answers errcode 0 with the extra fields of v.
func (q *request) ok(fields map[string]any) {
	out := map[string]any{"errcode": 0, "errmsg": "ok"}
	for k, v := range fields {
		out[k] = v
	}
	q.json(out)
}

// decodeJSON reads the bounded request body into v. It answers the error
// itself and returns false when the body is missing or malformed.
func (q *request) decodeJSON(v any) bool { return q.decodeJSONLimit(v, maxJSONBody) }

// decodeJSONLimit is decodeJSON with another bound on the body (a robot
// image travels base64-encoded inside the JSON).
func (q *request) decodeJSONLimit(v any, limit int64) bool {
	body, err := io.ReadAll(http.MaxBytesReader(q.w, q.r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			q.failMsg(45002, fmt.Sprintf("content size out of limit (request body larger than %d KiB)", limit>>10))
			return false
		}
		q.fail(-1)
		return false
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		q.fail(44002)
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		msg := "data format error"
		if strings.HasPrefix(q.r.URL.Path, "/wecom/") {
			msg = "Warning: wrong json format. " + msg
		}
		q.failMsg(47001, msg)
		return false
	}
	return true
}

// clientIP is the caller's IP address.
func (q *request) clientIP() string {
	host, _, err := net.SplitHostPort(q.r.RemoteAddr)
	if err != nil {
		return q.r.RemoteAddr
	}
	return host
}

const hintAlphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// randString returns n random characters of alphabet from crypto/rand.
func randString(n int, alphabet string) string {
	b := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for i := range b {
		v, err := rand.Int(rand.Reader, max)
		if err != nil {
			// crypto/rand does not fail on supported platforms; fall back
			// to a fixed character rather than panicking.
			b[i] = alphabet[0]
			continue
		}
		b[i] = alphabet[v.Int64()]
	}
	return string(b)
}

func hint() string { return randString(14, hintAlphabet) }
