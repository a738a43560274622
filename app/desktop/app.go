package desktop

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/token"
	"github.com/wwkit/wwkit/core/token/redistoken"
)

// Config configures an App.
type Config struct {
	// Addr is the dev server's listen address; default 127.0.0.1:0 (a free
	// port, so a second window never fails on a busy port).
	Addr string
	// PublicURL is how phones reach the dev server (the base of QR codes);
	// default: the server's LAN address.
	PublicURL string
	// DataDir holds the inbox database, the emulator's state, the profiles
	// created in the app (profiles.json, no secret) and, where the OS has no
	// keyring, their secrets (secrets.json, mode 0600). Required.
	DataDir string
	// Profiles are profiles given by code. With none, the in-process
	// emulator runs and its "wecom" and "mp" profiles come first (the
	// default); the profiles of ConfigPath and those created in the app
	// follow in both cases.
	Profiles []server.Profile
	// Attach is the URL of a running wwkit dev server (`wwkit tray`, or
	// another window) to use instead of starting one: the App then starts
	// no listener and no emulator; it reads the server's inbox database,
	// follows its live stream and calls its emulator. "" starts a server.
	Attach string
	// Open is what the window shows first: "checker:ID" opens the
	// workbench's callback checker on the refused callback ID (the tray's
	// rejected line); "" the overview. See InboxService.Opening.
	Open string
	// ClientToken is the dev server's client token (X-Wwkit-Token): with
	// Attach, the attached server's ("" reads $WWKIT_CLIENT_TOKEN, else
	// DataDir/serve.token); without, the one the App's server uses across
	// its restarts ("" picks a random one).
	ClientToken string
	// ConfigPath is a wwkit.toml whose [profiles.NAME] tables are offered
	// (read-only in the app). "" reads ./wwkit.toml when it exists; "-"
	// reads none.
	ConfigPath string
	// Secrets says where the secrets of profiles created in the app go:
	// "" (the OS keyring when one answers within 2 s, else the 0600 file),
	// "keyring" (fail without one) or "file".
	Secrets string
	// Getenv reads the variables wwkit.toml's secret_env names (default
	// os.Getenv).
	Getenv func(string) string
	// Logger receives the dev server's logs; discarded when nil.
	Logger *slog.Logger
	// HTTPClient is the base client for API calls and simulated callbacks
	// (default: 15 s timeout). Its transport is wrapped to log calls.
	HTTPClient *http.Client
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// App is the desktop app's process-wide state: the session in use (one
// run of the dev server, see session, which also holds the active profile
// and hands both over to the next session on a reload) and the ports to
// come back on. Each service keeps its own state (the token status and
// call log, the QR checks, the profile secrets); the services share one
// App for the session.
type App struct {
	cfg  Config
	now  func() time.Time
	http *http.Client

	// lifeMu serialises Start, Stop and reloads.
	lifeMu sync.Mutex
	// callMu is held (read) by every service call for its duration and
	// (write) by a reload, so a profile change waits for the calls in
	// flight and the calls made meanwhile wait for the new server.
	callMu sync.RWMutex

	// mu guards the fields below; it is held only to read or swap them.
	mu       sync.Mutex
	sess     *session          // the session in use; nil when stopped or between the two halves of a reload
	last     *session          // the session that ended last: a reload's successor, or the active profile, is found through it
	parent   context.Context   // the context given to Start (reloads reuse it)
	bound    string            // the address the first start bound (reloads keep the port)
	emuBound string            // the same for the in-process emulator
	onSwitch func(name string) // called after ProfileService.Switch (the window retitles)

	Profiles *ProfileService
	Tokens   *TokenService
	Sign     *SignService
	QR       *QRService
	Messages *MessageService
	Contacts *ContactService
	Inbox    *InboxService
	Crypto   *CryptoService
	Settings *SettingsService
	Suites   *SuiteService
}

// session is one run of the dev server the services use: the App's own
// with the in-process emulator (startLocal) or another process's
// (startAttached). A reload or a profile change ends the session and
// builds the next; nothing in a session but the active profile changes
// after it is built, so its other fields are read without a lock. Its
// channels give its life: stopping closes when it starts to end, done when
// it has, and handoff when the session after it is known (next: the one a
// reload started, nil when the app stopped), so watchers and calls follow
// a reload by waiting on the session they hold (see successor).
type session struct {
	url         string
	publicURL   string
	emulatorURL string
	inboxPath   string
	attached    bool
	listenAddr  string         // the attached server's listener (CheckQR); "" in process
	instance    string         // the attached server's /healthz nonce (CheckQR)
	served      []string       // profile names the attached server serves
	srv         *server.Server // nil when attached
	db          *sql.DB        // read side of the inbox database
	stores      []io.Closer    // token stores to close on stop (Redis)
	profiles    []profileEntry
	clients     map[string]*clients

	ctx      context.Context // the calls made in the session; ends with it
	cancel   context.CancelFunc
	ran      chan struct{} // closed when srv.Run returned; nil when attached
	stopping chan struct{} // closed when the session starts to end
	done     chan struct{} // closed when the session has ended and released its resources
	handoff  chan struct{} // closed when next is set
	next     *session

	// activeMu guards active: the profile the window shows, the one thing
	// that changes during a session (ProfileService.Switch).
	activeMu sync.Mutex
	active   string
}

// maxCalls bounds the API call log.
const maxCalls = 200

// clients are the API clients of one profile.
type clients struct {
	wecom *api.WeCom
	mp    *api.MP
	store string // memory, file or redis: where its tokens are cached
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
	if cfg.Getenv == nil {
		cfg.Getenv = os.Getenv
	}
	switch cfg.Secrets {
	case "", SecretsKeyring, SecretsFile:
	default:
		return nil, fmt.Errorf("desktop: Config.Secrets %q: use \"\" (keyring when available), %q or %q", cfg.Secrets, SecretsKeyring, SecretsFile)
	}
	if cfg.ClientToken == "" && cfg.Attach == "" {
		b := make([]byte, 24)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("desktop: reading random bytes for the client token: %w", err)
		}
		cfg.ClientToken = hex.EncodeToString(b)
	}
	if _, err := parseOpen(cfg.Open); err != nil {
		return nil, err
	}
	if cfg.Attach != "" {
		u, err := url.Parse(cfg.Attach)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("desktop: attach URL %q is not an http(s) URL; pass the dev server URL `wwkit tray` printed", cfg.Attach)
		}
		cfg.Attach = strings.TrimRight(cfg.Attach, "/")
	}
	base := cfg.HTTPClient
	if base == nil {
		base = &http.Client{Timeout: 15 * time.Second}
	}
	a := &App{cfg: cfg, now: cfg.Now}
	a.Profiles = &ProfileService{app: a}
	a.Tokens = &TokenService{app: a, status: map[string]*tokenState{}, calls: api.NewCallLog(maxCalls)}
	hc := *base
	hc.Transport = &exchangeRecorder{next: &api.CallRecorder{Next: hc.Transport, Observe: a.Tokens.calls.Add, Now: cfg.Now}}
	a.http = &hc
	a.Sign = &SignService{app: a}
	a.QR = &QRService{app: a}
	a.Messages = &MessageService{app: a}
	a.Contacts = &ContactService{app: a}
	a.Inbox = &InboxService{app: a}
	a.Crypto = &CryptoService{app: a}
	a.Settings = &SettingsService{app: a}
	a.Suites = &SuiteService{app: a}
	return a, nil
}

// Services lists the services for binding (Wails binds their exported
// methods).
func (a *App) Services() []any {
	return []any{a.Profiles, a.Tokens, a.Sign, a.QR, a.Messages, a.Contacts, a.Inbox, a.Crypto, a.Settings, a.Suites}
}

// Attached reports whether the App uses another process's dev server.
func (a *App) Attached() bool { return a.cfg.Attach != "" }

// Start starts the dev server (and the emulator when no profiles are
// configured) and serves until Stop; with Config.Attach it connects to the
// running server instead and starts nothing. ctx bounds the server's life
// as well.
func (a *App) Start(ctx context.Context) error {
	a.lifeMu.Lock()
	defer a.lifeMu.Unlock()
	return a.start(ctx)
}

func (a *App) start(ctx context.Context) error {
	a.mu.Lock()
	running, prev := a.sess != nil, a.last
	a.mu.Unlock()
	if running {
		return errors.New("desktop: the app is already started; call Stop first")
	}
	local, err := a.localProfiles()
	if err != nil {
		return err
	}
	var s *session
	if a.cfg.Attach != "" {
		s, err = a.startAttached(ctx, local)
	} else {
		s, err = a.startLocal(ctx, local)
	}
	if err != nil {
		return err
	}
	s.clients = make(map[string]*clients, len(s.profiles))
	for i, e := range s.profiles {
		c, closer, err := a.newClients(e)
		if err != nil {
			// A profile without its secret yet (imported, or its keyring
			// locked) is listed with the reason; the others work.
			if s.profiles[i].blocker() == nil {
				s.profiles[i].addProblem(err, "profile.noClients")
			}
			continue
		}
		if closer != nil {
			s.stores = append(s.stores, closer)
		}
		s.clients[e.Name] = c
	}
	db, err := openInboxReader(s.inboxPath)
	if err != nil {
		s.end()
		return err
	}
	s.db = db
	// Token status survives a reload for the profiles that are still there.
	a.Tokens.keep(s.clients)
	// The active profile stays across a reload (and a Stop and Start)
	// while it exists.
	was := prev.activeName()
	s.active = was
	if !s.has(was) && len(s.profiles) > 0 {
		s.active = s.profiles[0].Name
	}
	a.mu.Lock()
	a.sess, a.parent = s, ctx
	hook := a.onSwitch
	a.mu.Unlock()
	if hook != nil && was != "" && was != s.active {
		// The active profile was deleted: the window retitles.
		hook(s.active)
	}
	return nil
}

// has reports whether the session serves the profile called name.
func (s *session) has(name string) bool {
	for _, e := range s.profiles {
		if e.Name == name {
			return true
		}
	}
	return false
}

// activeName is the session's active profile ("" for no session).
func (s *session) activeName() string {
	if s == nil {
		return ""
	}
	s.activeMu.Lock()
	defer s.activeMu.Unlock()
	return s.active
}

func (s *session) setActive(name string) {
	s.activeMu.Lock()
	s.active = name
	s.activeMu.Unlock()
}

// startLocal starts the dev server in this process (with the emulator when
// no profiles are configured) on the ports the first start bound.
func (a *App) startLocal(ctx context.Context, local []profileEntry) (*session, error) {
	a.mu.Lock()
	addr, emuAddr := a.cfg.Addr, a.emuBound
	if a.bound != "" {
		addr = a.bound
	}
	a.mu.Unlock()
	reserved := map[string]bool{}
	for _, p := range a.cfg.Profiles {
		reserved[p.Name] = true
	}
	if len(a.cfg.Profiles) == 0 {
		reserved["wecom"], reserved["mp"] = true, true // the emulator's
	}
	local = renameClashes(local, reserved)
	var served []server.Profile
	served = append(served, a.cfg.Profiles...)
	var unserved []profileEntry
	for _, e := range local {
		if e.callbackReady() {
			served = append(served, e.Profile)
		} else {
			unserved = append(unserved, e)
		}
	}
	emulated := len(a.cfg.Profiles) == 0
	srv, err := server.New(server.Config{
		Addr:             addr,
		PublicURL:        a.cfg.PublicURL,
		DataDir:          a.cfg.DataDir,
		Profiles:         served,
		Emulator:         emulated,
		EmulatorProfiles: emulated,
		EmulatorAddr:     emuAddr,
		Logger:           a.cfg.Logger,
		HTTPClient:       a.http,
		Now:              a.cfg.Now,
		ClientToken:      a.cfg.ClientToken,
	})
	if err != nil {
		return nil, failWrap("app.serverStart", err)
	}
	byName := map[string]profileEntry{}
	for _, e := range local {
		byName[e.Name] = e
	}
	var entries []profileEntry
	for _, p := range srv.Profiles() {
		e, ok := byName[p.Name]
		switch {
		case ok:
			e.Profile = p
		case p.Emulated:
			e = profileEntry{Profile: p, Source: SourceEmulator, SecretStore: SourceEmulator}
		default:
			e = profileEntry{Profile: p, Source: SourceConfig, SecretStore: SourceConfig}
		}
		entries = append(entries, e)
	}
	info := srv.Info()
	s := &session{}
	s.begin(ctx)
	s.url, s.publicURL, s.emulatorURL, s.inboxPath, s.srv = srv.URL(), srv.PublicURL(), info.EmulatorURL, info.InboxPath, srv
	s.profiles = append(entries, unserved...)
	s.ran = make(chan struct{})
	go func() {
		defer close(s.ran)
		_ = srv.Run(s.ctx)
	}()
	bound := srv.Addr().String()
	if strings.HasPrefix(a.cfg.Addr, "0.0.0.0:") {
		_, port, _ := net.SplitHostPort(bound)
		bound = "0.0.0.0:" + port
	}
	a.mu.Lock()
	if a.bound == "" {
		a.bound = bound
	}
	if u, err := url.Parse(s.emulatorURL); err == nil && s.emulatorURL != "" && a.emuBound == "" {
		a.emuBound = u.Host
	}
	a.mu.Unlock()
	return s, nil
}

// startAttached connects to the dev server at Config.Attach; the session
// starts nothing.
func (a *App) startAttached(ctx context.Context, local []profileEntry) (*session, error) {
	s, entries, err := a.attach(ctx, local)
	if err != nil {
		return nil, err
	}
	s.profiles = entries
	s.begin(ctx)
	return s, nil
}

// begin makes the session's calls end with ctx (the Start context) or end.
func (s *session) begin(ctx context.Context) {
	s.stopping, s.done, s.handoff = make(chan struct{}), make(chan struct{}), make(chan struct{})
	s.ctx, s.cancel = context.WithCancel(ctx)
}

// end stops the session's server (waiting until it is released, at most
// its 5 s grace period), closes what it opened and then closes done.
func (s *session) end() {
	close(s.stopping)
	s.cancel()
	if s.ran != nil {
		<-s.ran
	}
	if s.db != nil {
		s.db.Close()
	}
	for _, c := range s.stores {
		c.Close()
	}
	close(s.done)
}

// handOff names the session after s (nil: none, the app stopped) to those
// waiting in successor.
func (s *session) handOff(next *session) {
	s.next = next
	close(s.handoff)
}

// successor waits until s has ended and handed off, and returns the
// session in use after it, following a chain of reloads; nil when the app
// stopped, ctx ended or limit passed first (limit ≤ 0: no limit). Nothing
// polls: waiters sleep on the session's channels.
func (s *session) successor(ctx context.Context, limit time.Duration) *session {
	var expire <-chan time.Time
	if limit > 0 {
		t := time.NewTimer(limit)
		defer t.Stop()
		expire = t.C
	}
	for s != nil {
		select {
		case <-s.handoff:
			s = s.next
			if s == nil {
				return nil
			}
			select {
			case <-s.stopping: // ending too: wait for its successor
			default:
				return s
			}
		case <-ctx.Done():
			return nil
		case <-expire:
			return nil
		}
	}
	return nil
}

// Stop stops the dev server and the emulator and waits until they are
// released (at most the server's 5 s grace period). It is safe to call
// twice or without Start.
func (a *App) Stop() {
	a.lifeMu.Lock()
	defer a.lifeMu.Unlock()
	if s := a.retire(); s != nil {
		s.handOff(nil)
	}
}

// retire ends the session in use and returns it (nil when stopped); the
// caller hands it off to what comes next.
func (a *App) retire() *session {
	a.mu.Lock()
	s := a.sess
	a.sess = nil
	if s != nil {
		a.last = s
	}
	a.mu.Unlock()
	if s != nil {
		s.end()
	}
	return s
}

// renameClashes renames the local profiles (wwkit.toml, the app's) whose
// name another profile already has (the emulator's "wecom" and "mp") to
// SOURCE-NAME, saying so in their problem, so both can be used.
func renameClashes(local []profileEntry, reserved map[string]bool) []profileEntry {
	taken := map[string]bool{}
	for n := range reserved {
		taken[n] = true
	}
	for _, e := range local {
		taken[e.Name] = true
	}
	out := make([]profileEntry, len(local))
	for i, e := range local {
		if reserved[e.Name] {
			prefix := "toml"
			if e.Source == SourceApp {
				prefix = "app"
			}
			name := prefix + "-" + e.Name
			for n := 2; taken[name]; n++ {
				name = fmt.Sprintf("%s-%s-%d", prefix, e.Name, n)
			}
			taken[name] = true
			renamed := fail("profile.renamed", "name", name, "taken", e.Name)
			e.Name, e.Problems = name, append([]*Problem{renamed}, e.Problems...)
		}
		out[i] = e
	}
	return out
}

// reload restarts with the current profiles (after one was added, changed
// or deleted): the dev server comes back on the same port, the active
// profile stays when it still exists. Attached, only the App's own view is
// rebuilt (the other process's server keeps its profiles).
func (a *App) reload() error {
	a.lifeMu.Lock()
	defer a.lifeMu.Unlock()
	a.callMu.Lock()
	defer a.callMu.Unlock()
	a.mu.Lock()
	parent := a.parent
	a.mu.Unlock()
	old := a.retire()
	if old == nil {
		return nil
	}
	// Those holding the old session wait on it for the next one.
	defer func() { old.handOff(a.session()) }()
	err := a.start(parent)
	if err == nil || a.cfg.Attach != "" {
		return err
	}
	// The ports were taken in between (another program): come back on new
	// ones rather than not at all; the QR codes change.
	a.mu.Lock()
	a.bound, a.emuBound = "", ""
	a.mu.Unlock()
	if err2 := a.start(parent); err2 != nil {
		return failWrap("app.restart", fmt.Errorf("%w (and on new ports: %v)", err, err2))
	}
	return nil
}

// callTimeout bounds one service call (a token fetch, a send, a simulated
// callback with its reply).
const callTimeout = 30 * time.Second

// callCtx is the context of one service call: it ends after callTimeout or
// when the app stops; a reload waits until its cancel is called. The services take no context parameter because the
// window binding (Wails v2) passes only JSON arguments.
func (a *App) callCtx() (context.Context, context.CancelFunc) {
	a.callMu.RLock()
	a.mu.Lock()
	var parent context.Context
	if a.sess != nil {
		parent = a.sess.ctx
	}
	a.mu.Unlock()
	if parent == nil || parent.Err() != nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithTimeout(parent, callTimeout)
	var once sync.Once
	return ctx, func() {
		cancel()
		once.Do(a.callMu.RUnlock)
	}
}

// OnSwitch sets a function called with the new active profile's name after
// every ProfileService.Switch (the desktop window puts it in its title).
func (a *App) OnSwitch(f func(name string)) {
	a.mu.Lock()
	a.onSwitch = f
	a.mu.Unlock()
}

// ServerURL is the dev server's loopback URL (the attached one's when
// attached), "" before Start.
func (a *App) ServerURL() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.sess == nil {
		return ""
	}
	return a.sess.url
}

// EmulatorURL is the emulator's base URL (the in-process one, or the
// attached server's), "" when none runs.
func (a *App) EmulatorURL() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.sess == nil {
		return ""
	}
	return a.sess.emulatorURL
}

// ActiveProfile is the name of the profile the window shows (the last
// session's when stopped).
func (a *App) ActiveProfile() string {
	a.mu.Lock()
	s := a.sess
	if s == nil {
		s = a.last
	}
	a.mu.Unlock()
	return s.activeName()
}

// newClients builds the API clients of a profile with its token store.
func (a *App) newClients(e profileEntry) (*clients, io.Closer, error) {
	store, kind, closer, err := a.tokenStore(e)
	if err != nil {
		return nil, nil, err
	}
	p := e.Profile
	opts := []api.Option{api.WithHTTPClient(a.http), api.WithStore(store), api.WithClock(a.now)}
	if p.APIBaseURL != "" {
		opts = append(opts, api.WithBaseURL(p.APIBaseURL))
	}
	switch p.Platform {
	case server.PlatformWeCom:
		c, err := api.NewWeCom(api.WeComApp{CorpID: p.CorpID, AgentID: p.AgentID, Secret: p.Secret}, opts...)
		if err != nil {
			closeQuietly(closer)
			return nil, nil, failWrap("profile.client", err, "name", p.Name)
		}
		return &clients{wecom: c, store: kind}, closer, nil
	case server.PlatformMP:
		c, err := api.NewMP(api.MPApp{AppID: p.AppID, Secret: p.Secret}, opts...)
		if err != nil {
			closeQuietly(closer)
			return nil, nil, failWrap("profile.client", err, "name", p.Name)
		}
		return &clients{mp: c, store: kind}, closer, nil
	}
	closeQuietly(closer)
	return nil, nil, fail("profile.platform", "name", p.Name, "platform", p.Platform)
}

func closeQuietly(c io.Closer) {
	if c != nil {
		c.Close()
	}
}

// tokenStore opens where a profile's tokens are cached: the profile's store
// setting (memory, file, file:PATH, redis://…); emulator profiles default to
// a file in the data dir so a window attached to the tray sees the same
// tokens.
func (a *App) tokenStore(e profileEntry) (token.Store, string, io.Closer, error) {
	spec := e.Store
	if spec == "" && e.Emulated {
		spec = "file"
	}
	switch {
	case spec == "" || spec == "memory":
		return token.NewMemory(), "memory", nil, nil
	case spec == "file":
		return token.NewFile(filepath.Join(a.cfg.DataDir, "tokens.json")), "file", nil, nil
	case strings.HasPrefix(spec, "file:"):
		return token.NewFile(strings.TrimPrefix(spec, "file:")), "file", nil, nil
	case strings.HasPrefix(spec, "redis://"), strings.HasPrefix(spec, "rediss://"):
		r, err := redistoken.Open(spec)
		if err != nil {
			return nil, "", nil, failWrap("profile.storeOpen", err, "name", e.Name)
		}
		return r, "redis", r, nil
	}
	return nil, "", nil, fail("profile.store", "name", e.Name, "store", spec)
}

// profile returns the named profile ("" = the active one) and its clients;
// an error when it cannot call its API (no secret yet, …).
func (a *App) profile(name string) (server.Profile, *clients, error) {
	e, c, err := a.entry(name)
	if err == nil && c == nil {
		if p := e.blocker(); p != nil {
			return server.Profile{}, nil, p
		}
		return server.Profile{}, nil, fail("profile.noClients", "name", e.Name)
	}
	return e.Profile, c, err
}

func (a *App) entry(name string) (profileEntry, *clients, error) {
	s, err := a.current()
	if err != nil {
		return profileEntry{}, nil, err
	}
	if name == "" {
		name = s.activeName()
	}
	for _, p := range s.profiles {
		if p.Name == name {
			return p, s.clients[name], nil
		}
	}
	return profileEntry{}, nil, fail("profile.unknown", "name", name)
}

// current returns the session in use; while a profile change restarts the
// server it waits (at most 15 s) for the new one, so a call made meanwhile
// from the window is served by it instead of failing.
func (a *App) current() (*session, error) {
	if s := a.follow(context.Background(), 15*time.Second); s != nil {
		return s, nil
	}
	return nil, fail("app.notStarted")
}

// follow returns the session in use, waiting (at most limit) for the
// successor of the last one while a reload is under way; nil when the app
// is stopped or ctx ends.
func (a *App) follow(ctx context.Context, limit time.Duration) *session {
	a.mu.Lock()
	s, last := a.sess, a.last
	a.mu.Unlock()
	if s != nil {
		return s
	}
	return last.successor(ctx, limit)
}

// session returns the session in use without waiting for a reload; nil
// when stopped.
func (a *App) session() *session {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.sess
}

// ErrcodeDTO is an errcode as data: the code, the server's message and the
// catalogue's explanation.
type ErrcodeDTO struct {
	Errcode     int    `json:"errcode"`
	Errmsg      string `json:"errmsg"`
	Explanation string `json:"explanation"` // English and Chinese in one line
	// Meaning, MeaningZH and Check are the catalogue's parts, so the window
	// can show the one of its language.
	Meaning   string `json:"meaning,omitempty"`
	MeaningZH string `json:"meaningZh,omitempty"`
	Check     string `json:"check,omitempty"`
	CheckZH   string `json:"checkZh,omitempty"`
}

// errcodeDTO describes code from the errcode catalogue as platform (the
// answering server; "" for either) means it.
func errcodeDTO(platform string, code int, msg string) ErrcodeDTO {
	d := ErrcodeDTO{Errcode: code, Errmsg: msg, Explanation: api.Explain(platform, code)}
	if info, ok := api.LookupErrcode(platform, code); ok {
		d.Meaning, d.MeaningZH, d.Check, d.CheckZH = info.Meaning, info.MeaningZH, info.Check, info.CheckZH
	}
	return d
}

// asErrcode turns an *api.APIError into data; ok is false for other errors
// (the tool itself failed).
func asErrcode(err error) (ErrcodeDTO, bool) {
	var ae *api.APIError
	if !errors.As(err, &ae) {
		return ErrcodeDTO{}, false
	}
	return errcodeDTO(ae.Platform, ae.Code, ae.Msg), true
}
