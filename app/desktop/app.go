package desktop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/token"
)

// Config configures an App.
type Config struct {
	// Addr is the dev server's listen address; default 127.0.0.1:0 (a free
	// port, so a second window never fails on a busy port).
	Addr string
	// PublicURL is how phones reach the dev server (the base of QR codes);
	// default: the server's LAN address.
	PublicURL string
	// DataDir holds the inbox database and the emulator's state. Required.
	DataDir string
	// Profiles served; empty means the in-process emulator's two profiles
	// ("wecom" and "mp"), which is the default and the only mode the window
	// offers in this version.
	Profiles []server.Profile
	// Logger receives the dev server's logs; discarded when nil.
	Logger *slog.Logger
	// HTTPClient is the base client for API calls and simulated callbacks
	// (default: 15 s timeout). Its transport is wrapped to log calls.
	HTTPClient *http.Client
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// App is the desktop app's process-wide state: the dev server (with the
// emulator when no profiles are configured), the API clients per profile,
// token status and the log of recent API calls. The services share one App.
type App struct {
	cfg Config
	now func() time.Time

	mu       sync.Mutex
	srv      *server.Server
	done     chan struct{} // closed when srv.Run returned
	cancel   context.CancelFunc
	runCtx   context.Context // the Start context; ends on Stop
	profiles []server.Profile
	active   string
	clients  map[string]*clients
	status   map[string]*tokenState // key: profile + "/" + kind
	calls    []CallDTO              // ring of recent API calls, oldest first
	http     *http.Client
	onSwitch func(name string) // called after ProfileService.Switch (the window retitles)

	Profiles *ProfileService
	Tokens   *TokenService
	Sign     *SignService
	QR       *QRService
	Messages *MessageService
	Inbox    *InboxService
	Crypto   *CryptoService
}

// maxCalls bounds the API call log.
const maxCalls = 200

// clients are the API clients of one profile.
type clients struct {
	wecom *api.WeCom
	mp    *api.MP
}

// NewApp builds an App and its services; nothing runs until Start.
func NewApp(cfg Config) (*App, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("desktop: no data directory; set Config.DataDir (e.g. the user config dir)")
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	base := cfg.HTTPClient
	if base == nil {
		base = &http.Client{Timeout: 15 * time.Second}
	}
	a := &App{cfg: cfg, now: cfg.Now, clients: map[string]*clients{}, status: map[string]*tokenState{}}
	hc := *base
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	hc.Transport = &callLogger{next: rt, app: a}
	a.http = &hc
	a.Profiles = &ProfileService{app: a}
	a.Tokens = &TokenService{app: a}
	a.Sign = &SignService{app: a}
	a.QR = &QRService{app: a}
	a.Messages = &MessageService{app: a}
	a.Inbox = &InboxService{app: a}
	a.Crypto = &CryptoService{app: a}
	return a, nil
}

// Services lists the services for binding (Wails binds their exported
// methods).
func (a *App) Services() []any {
	return []any{a.Profiles, a.Tokens, a.Sign, a.QR, a.Messages, a.Inbox, a.Crypto}
}

// Start starts the dev server (and the emulator when no profiles are
// configured) and serves until Stop. ctx bounds the server's life as well.
func (a *App) Start(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.srv != nil {
		return errors.New("desktop: the app is already started; call Stop first")
	}
	srv, err := server.New(server.Config{
		Addr:       a.cfg.Addr,
		PublicURL:  a.cfg.PublicURL,
		DataDir:    a.cfg.DataDir,
		Profiles:   a.cfg.Profiles,
		Emulator:   len(a.cfg.Profiles) == 0,
		Logger:     a.cfg.Logger,
		HTTPClient: a.http,
		Now:        a.cfg.Now,
	})
	if err != nil {
		return fmt.Errorf("desktop: starting the dev server: %w", err)
	}
	profiles := srv.Profiles()
	cls := make(map[string]*clients, len(profiles))
	for _, p := range profiles {
		c, err := a.newClients(p)
		if err != nil {
			srv.Close()
			return err
		}
		cls[p.Name] = c
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Run(runCtx)
	}()
	a.srv, a.cancel, a.done, a.runCtx = srv, cancel, done, runCtx
	a.profiles, a.clients = profiles, cls
	a.status = map[string]*tokenState{}
	if len(profiles) > 0 {
		a.active = profiles[0].Name
	}
	return nil
}

// Stop stops the dev server and the emulator and waits until they are
// released (at most the server's 5 s grace period). It is safe to call
// twice or without Start.
func (a *App) Stop() {
	a.mu.Lock()
	cancel, done := a.cancel, a.done
	a.srv, a.cancel, a.done = nil, nil, nil
	a.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
}

// callTimeout bounds one service call (a token fetch, a send, a simulated
// callback with its reply).
const callTimeout = 30 * time.Second

// callCtx is the context of one service call: it ends after callTimeout or
// when the app stops. The services take no context parameter because the
// window binding (Wails v2) passes only JSON arguments.
func (a *App) callCtx() (context.Context, context.CancelFunc) {
	a.mu.Lock()
	parent := a.runCtx
	a.mu.Unlock()
	if parent == nil {
		parent = context.Background()
	}
	return context.WithTimeout(parent, callTimeout)
}

// OnSwitch sets a function called with the new active profile's name after
// every ProfileService.Switch (the desktop window puts it in its title).
func (a *App) OnSwitch(f func(name string)) {
	a.mu.Lock()
	a.onSwitch = f
	a.mu.Unlock()
}

// ServerURL is the dev server's loopback URL, "" before Start.
func (a *App) ServerURL() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.srv == nil {
		return ""
	}
	return a.srv.URL()
}

// EmulatorURL is the in-process emulator's base URL, "" when none runs.
func (a *App) EmulatorURL() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.srv == nil || a.srv.Emulator() == nil {
		return ""
	}
	return a.srv.Emulator().URL
}

// ActiveProfile is the name of the profile the window shows.
func (a *App) ActiveProfile() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.active
}

func (a *App) newClients(p server.Profile) (*clients, error) {
	opts := []api.Option{api.WithHTTPClient(a.http), api.WithStore(token.NewMemory()), api.WithClock(a.now)}
	if p.APIBaseURL != "" {
		opts = append(opts, api.WithBaseURL(p.APIBaseURL))
	}
	switch p.Platform {
	case server.PlatformWeCom:
		c, err := api.NewWeCom(api.WeComApp{CorpID: p.CorpID, AgentID: p.AgentID, Secret: p.Secret}, opts...)
		if err != nil {
			return nil, fmt.Errorf("desktop: profile %s: %w", p.Name, err)
		}
		return &clients{wecom: c}, nil
	case server.PlatformMP:
		c, err := api.NewMP(api.MPApp{AppID: p.AppID, Secret: p.Secret}, opts...)
		if err != nil {
			return nil, fmt.Errorf("desktop: profile %s: %w", p.Name, err)
		}
		return &clients{mp: c}, nil
	}
	return nil, fmt.Errorf("desktop: profile %s: platform %q is neither wecom nor mp", p.Name, p.Platform)
}

// profile returns the named profile ("" = the active one) and its clients.
func (a *App) profile(name string) (server.Profile, *clients, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.srv == nil {
		return server.Profile{}, nil, errors.New("desktop: the app is not started; call App.Start first")
	}
	if name == "" {
		name = a.active
	}
	for _, p := range a.profiles {
		if p.Name == name {
			return p, a.clients[name], nil
		}
	}
	return server.Profile{}, nil, fmt.Errorf("desktop: no profile %q; list them with ProfileService.List", name)
}

func (a *App) server() (*server.Server, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.srv == nil {
		return nil, errors.New("desktop: the app is not started; call App.Start first")
	}
	return a.srv, nil
}

// CallDTO is one API call the desktop app made (token fetches included). The
// query string, which holds access_token and secrets, is never kept.
type CallDTO struct {
	Time        time.Time `json:"time" ts_type:"string"`
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

func (a *App) logCall(c CallDTO) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.calls) == maxCalls {
		copy(a.calls, a.calls[1:])
		a.calls = a.calls[:maxCalls-1]
	}
	a.calls = append(a.calls, c)
}

// callLogger records every request of the API clients and of simulated
// callbacks: method, host, path (no query), status, latency and, for JSON
// answers, errcode/errmsg with the catalogue's explanation.
type callLogger struct {
	next http.RoundTripper
	app  *App
}

// maxPeek bounds how much of a response is read to find its errcode.
const maxPeek = 64 << 10

func (l *callLogger) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := l.next.RoundTrip(req)
	c := CallDTO{Time: l.app.now(), Method: req.Method, Host: req.URL.Host, Path: req.URL.Path,
		LatencyMs: float64(time.Since(start).Microseconds()) / 1000}
	if err != nil {
		c.Error = redactURLError(err, req)
		l.app.logCall(c)
		return nil, err
	}
	c.Status = resp.StatusCode
	if ct := resp.Header.Get("Content-Type"); bytes.Contains([]byte(ct), []byte("json")) || ct == "" || bytes.HasPrefix([]byte(ct), []byte("text/plain")) {
		peek, rerr := io.ReadAll(io.LimitReader(resp.Body, maxPeek))
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(peek), resp.Body), resp.Body}
		if rerr == nil {
			var e struct {
				Errcode *int   `json:"errcode"`
				Errmsg  string `json:"errmsg"`
			}
			if json.Unmarshal(peek, &e) == nil && e.Errcode != nil {
				c.Errcode, c.Errmsg = *e.Errcode, e.Errmsg
				c.Explanation = explain(c.Errcode)
			}
		}
	}
	l.app.logCall(c)
	return resp, nil
}

// redactURLError reports a transport error without the request's query.
func redactURLError(err error, req *http.Request) string {
	var ue interface{ Unwrap() error }
	msg := err.Error()
	if errors.As(err, &ue) && ue.Unwrap() != nil {
		msg = ue.Unwrap().Error()
	}
	if q := req.URL.RawQuery; q != "" {
		msg = string(bytes.ReplaceAll([]byte(msg), []byte(q), []byte("…")))
	}
	return msg
}

// explain returns the catalogue's explanation of an errcode, "" for 0 or an
// unknown code.
func explain(code int) string {
	if code == 0 {
		return ""
	}
	info, ok := api.Errcodes[code]
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

// ErrcodeDTO is an errcode as data: the code, the server's message and the
// catalogue's explanation.
type ErrcodeDTO struct {
	Errcode     int    `json:"errcode"`
	Errmsg      string `json:"errmsg"`
	Explanation string `json:"explanation"`
}

// asErrcode turns an *api.APIError into data; ok is false for other errors
// (the tool itself failed).
func asErrcode(err error) (ErrcodeDTO, bool) {
	var ae *api.APIError
	if !errors.As(err, &ae) {
		return ErrcodeDTO{}, false
	}
	return ErrcodeDTO{Errcode: ae.Code, Errmsg: ae.Msg, Explanation: explain(ae.Code)}, true
}
