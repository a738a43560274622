// Package server is the wwkit dev server (开发服务器): the backend every WeCom
// (企业微信) or Official Account (公众号) H5 tutorial has developers write by hand,
// ready and observable. It hosts the H5 debug page, signs wx.config and
// wx.agentConfig (JS-SDK 签名), runs the OAuth (网页授权) code → userid flow,
// verifies and decrypts callbacks (回调) into a durable inbox, downloads media
// (media/get) for the chooseImage → uploadImage flow and serves the domain
// verification files.
//
// It is a library so the CLI (wwkit serve), the desktop app and the tray can
// all run it in-process:
//
//	srv, err := server.New(server.Config{Addr: "127.0.0.1:8080", Emulator: true})
//	if err != nil { … }
//	err = srv.Run(ctx) // until ctx ends
//
// With Emulator set and no profiles, an in-process core/emulator stands in for
// Tencent's servers and its fixture's callback URLs point at this server.
// docs/serve.md describes the endpoints and the configuration for a real corp.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wwkit/wwkit/app/inbox"
	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/callback"
	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/fsperm"
	"github.com/wwkit/wwkit/core/httpguard"
	"github.com/wwkit/wwkit/core/jssdk"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// Platforms of a profile.
const (
	PlatformWeCom = "wecom"
	PlatformMP    = "mp"
)

// Reply rules of a profile (Profile.Reply).
const (
	ReplyEcho = "echo" // answer a text message with its own content
	ReplyNone = "none" // acknowledge with an empty body (no passive reply)
	// "text:…" answers every message with the fixed text after the colon.
)

// Profile is one WeCom self-built app or one Official Account the server
// serves: credentials, where its API lives and how it answers callbacks.
type Profile struct {
	Name     string // used in /callback/{name} and ?profile=
	Platform string // wecom or mp

	CorpID         string // WeCom 企业ID
	AgentID        int64  // WeCom app AgentID
	AppID          string // Official Account AppID
	Secret         string // app secret / AppSecret; never logged nor shown
	Token          string // callback Token
	EncodingAESKey string // callback EncodingAESKey (43 characters)

	// TrustedDomains are the hosts (optionally host:port) pages may be
	// signed for (可信域名 / JS接口安全域名); the signature endpoints refuse
	// other URLs so the server is no signing oracle for other sites.
	TrustedDomains []string
	// VerifyFiles maps a domain verification file name (WW_verify_….txt,
	// MP_verify_….txt) to its content, served at the site root.
	VerifyFiles map[string]string

	APIBaseURL   string // "" for Tencent's host
	AuthorizeURL string // OAuth authorize page; "" for open.weixin.qq.com
	OAuthScope   string // snsapi_base by default

	// Debug adds the string to sign and the ticket fingerprint to the
	// signature answers. The string contains the jsapi_ticket, so keep it
	// off for real corps.
	Debug bool
	// Reply is the passive reply rule (none by default): none, echo, text:…,
	// image:, voice:, video:, music: (MP) or news:…; see ReplyRules.
	Reply string
	// Emulated marks a profile backed by the in-process emulator.
	Emulated bool
}

// Config configures a Server.
type Config struct {
	// Addr is the listen address; "127.0.0.1:0" picks a free port.
	// Default 127.0.0.1:8080.
	Addr string
	// PublicURL is how phones and Tencent reach the server (a LAN address
	// or a tunnel such as https://xxx.trycloudflare.com). It is the base of
	// the OAuth redirect_uri. Default: the LAN address of Addr.
	PublicURL string
	// DataDir holds the inbox database and downloaded media. Default
	// ./.wwkit-serve.
	DataDir string
	// Profiles served; the first is the default (/callback, no ?profile).
	Profiles []Profile
	// Suites are third-party apps (第三方应用) whose callback URLs this
	// server is; their authorised corps are signed for with
	// ?profile=NAME&corp=CORPID.
	Suites []Suite
	// Emulator starts the offline emulator in-process; when Profiles is
	// empty the emulator's WeCom app and Official Account become the
	// profiles "wecom" and "mp".
	Emulator bool
	// EmulatorReply is the passive reply rule of the emulator's profiles
	// (see ReplyRules); echo when empty.
	EmulatorReply string
	// EmulatorProfiles, with Emulator, serves the emulator's "wecom" and
	// "mp" profiles first even when Profiles is set (the desktop app adds
	// the user's profiles next to the emulator's).
	EmulatorProfiles bool
	// EmulatorAddr is the in-process emulator's listen address (default
	// 127.0.0.1:0, a free port); the desktop app keeps the port across the
	// restarts a profile change causes.
	EmulatorAddr string
	// AdminToken, when set, lets non-loopback clients use the admin API
	// with "Authorization: Bearer TOKEN".
	AdminToken string
	// SessionKey signs the session and OAuth state cookies; random when
	// empty (sessions end with the process).
	SessionKey []byte
	// Logger receives structured logs; discard when nil.
	Logger *slog.Logger
	// MaxMediaBytes bounds one media download (default 20 MiB).
	MaxMediaBytes int64
	// MaxSkew is how far a callback timestamp may be from now (default 5 min).
	MaxSkew time.Duration
	// InboxFsync makes the inbox journal fsync each group commit before the
	// callbacks in it are answered, so an acknowledged callback also
	// survives an OS crash or power loss (slower). Without it a callback is
	// answered once written to the journal: safe when the process is
	// killed, not when the machine stops.
	InboxFsync bool
	// HTTPClient is used for API calls (default: 15 s timeout).
	HTTPClient *http.Client
	// Now is the clock (default time.Now).
	Now func() time.Time

	// ClientToken is the secret the server's own clients send in the
	// X-Wwkit-Token header; random when empty. It is written to
	// DataDir/serve.token (0600) while the server runs.
	ClientToken string
	// AllowedHosts are host names the server answers besides loopback,
	// its addresses and the public URL's host (the DNS rebinding guard
	// answers 421 to any other Host).
	AllowedHosts []string
	// EmulatorLAN lets an emulator-mode server listening on a non-loopback
	// address accept callbacks from other machines; without it only
	// loopback peers may post callbacks (the emulator's credentials are
	// public).
	EmulatorLAN bool
	// MediaFetchPerMinute bounds POST /api/media/fetch per client IP
	// (default 30; negative: unlimited).
	MediaFetchPerMinute int
	// MaxMediaDiskBytes bounds the total size of downloaded media in the
	// data directory (default 1 GiB; negative: unlimited).
	MaxMediaDiskBytes int64
}

// Server is the dev server. Build one with New; it listens from New on, and
// serves from Run (or through Handler in another http.Server).
type Server struct {
	cfg      Config
	log      *slog.Logger
	ln       net.Listener
	url      string
	emu      *emulator.Server
	inbox    *inbox.Inbox
	profiles map[string]*profile
	order    []*profile
	suites   map[string]*suiteRT
	// emuSuites are the in-process emulator's suites (served as "suite",
	// "suite2", …).
	emuSuites []Suite
	hub       *hub
	calls     *api.CallLog
	rejects   *rejects
	signer    *jssdk.Signer
	handler   http.Handler
	mediaDir  string
	h5        fs.FS // the built H5 page of frontend/, nil when none was built
	gzMu      sync.Mutex
	gz        map[string][]byte // gzip of H5 files, by name
	now       func() time.Time
	closed    chan struct{}
	// lastSignIn maps a profile name to "kind:subject" of its last OAuth
	// sign-in (the tray's "current user").
	lastSignIn sync.Map
	// tickets holds the user_tickets of snsapi_privateinfo sign-ins.
	tickets ticketVault

	clientToken string
	// instance is this process's nonce in /healthz: CheckQR fetches the
	// public URL's /healthz and compares it to tell this server from
	// another one answering there.
	instance   string
	hosts      httpguard.Hosts
	mediaMu    sync.Mutex
	mediaRate  map[string][]time.Time // media/fetch times by client IP
	mediaBytes int64                  // bytes in mediaDir, -1 until counted
}

// profile is a Profile with its crypto and API clients.
type profile struct {
	Profile
	reply replyRule
	crypt *wxcrypt.Crypt
	cb    *callback.Handler // the profile's callback URL
	wecom *api.WeCom
	mp    *api.MP
}

func (p *profile) appID() string {
	if p.Platform == PlatformMP {
		return p.AppID
	}
	return p.CorpID
}

// New checks cfg, opens the inbox, starts the emulator when asked and listens
// on cfg.Addr. Call Run to serve, or Close to release everything.
func New(cfg Config) (_ *Server, err error) {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8080"
	}
	if cfg.DataDir == "" {
		cfg.DataDir = ".wwkit-serve"
	}
	if cfg.MaxMediaBytes <= 0 {
		cfg.MaxMediaBytes = 20 << 20
	}
	if cfg.MaxSkew <= 0 {
		cfg.MaxSkew = 5 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MediaFetchPerMinute == 0 {
		cfg.MediaFetchPerMinute = 30
	}
	if cfg.MaxMediaDiskBytes == 0 {
		cfg.MaxMediaDiskBytes = 1 << 30
	}
	if cfg.ClientToken == "" {
		b := make([]byte, 24)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("server: reading random bytes for the client token: %w", err)
		}
		cfg.ClientToken = hex.EncodeToString(b)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if len(cfg.SessionKey) == 0 {
		cfg.SessionKey = make([]byte, 32)
		if _, err := rand.Read(cfg.SessionKey); err != nil {
			return nil, fmt.Errorf("server: reading random bytes for the session key: %w", err)
		}
	}
	if len(cfg.Profiles) == 0 && len(cfg.Suites) == 0 && !cfg.Emulator {
		return nil, errors.New("server: no profile configured; pass a profile or set Emulator to run against the offline emulator")
	}
	s := &Server{cfg: cfg, log: cfg.Logger, profiles: map[string]*profile{}, suites: map[string]*suiteRT{}, hub: newHub(), calls: api.NewCallLog(200), rejects: newRejects(),
		signer: jssdk.NewSigner(jssdk.WithClock(cfg.Now)), now: cfg.Now, closed: make(chan struct{}),
		clientToken: cfg.ClientToken, mediaRate: map[string][]time.Time{}, mediaBytes: -1}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	// The data directory holds decrypted messages, media and the client
	// token: the current user's only (tightened when an older version
	// created it open).
	if err := fsperm.Dir(cfg.DataDir); err != nil {
		return nil, fmt.Errorf("server: creating the data directory %s: %w", cfg.DataDir, err)
	}
	s.mediaDir = filepath.Join(cfg.DataDir, "media")
	if err := fsperm.Dir(s.mediaDir); err != nil {
		return nil, fmt.Errorf("server: creating the media directory: %w", err)
	}
	dbPath := filepath.Join(cfg.DataDir, "inbox.db")
	// The journal writer publishes each new callback to the live views
	// once it is durable, in ID order, before it is answered.
	s.inbox, err = inbox.OpenOptions(dbPath, inbox.Options{Fsync: cfg.InboxFsync, Logger: cfg.Logger, OnWrite: s.hub.publishAll})
	if err != nil {
		return nil, err
	}
	for _, f := range []string{dbPath, dbPath + "-wal", dbPath + "-shm"} {
		if err := fsperm.File(f); err != nil {
			return nil, fmt.Errorf("server: restricting %s to the current user: %w", f, err)
		}
	}
	if err := s.writeClientToken(); err != nil {
		return nil, err
	}
	s.ln, err = net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("server: listening on %s: %w (is another wwkit serve running? pick another --addr)", cfg.Addr, err)
	}
	port := s.ln.Addr().(*net.TCPAddr).Port
	s.url = "http://" + net.JoinHostPort(localHost(s.ln.Addr()), strconv.Itoa(port))
	if s.cfg.PublicURL == "" {
		s.cfg.PublicURL = "http://" + net.JoinHostPort(lanHost(s.ln.Addr()), strconv.Itoa(port))
	}
	s.cfg.PublicURL = strings.TrimRight(s.cfg.PublicURL, "/")
	if _, err := url.Parse(s.cfg.PublicURL); err != nil {
		return nil, fmt.Errorf("server: public URL %q: %w", s.cfg.PublicURL, err)
	}
	profiles := cfg.Profiles
	if cfg.Emulator {
		emuProfiles, err := s.startEmulator(port)
		if err != nil {
			return nil, err
		}
		if len(profiles) == 0 {
			profiles = emuProfiles
		} else if cfg.EmulatorProfiles {
			profiles = append(emuProfiles, profiles...)
		}
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 15 * time.Second}
	}
	for _, pf := range profiles {
		p, err := s.buildProfile(pf, hc)
		if err != nil {
			return nil, err
		}
		if _, dup := s.profiles[p.Name]; dup {
			return nil, fmt.Errorf("server: two profiles are named %q; names must be unique", p.Name)
		}
		p.cb = s.callbackHandler(p)
		s.profiles[p.Name] = p
		s.order = append(s.order, p)
	}
	for _, sf := range append(s.emuSuites, cfg.Suites...) {
		su, err := s.buildSuite(sf, hc)
		if err != nil {
			return nil, err
		}
		if _, dup := s.suites[su.Name]; dup {
			return nil, fmt.Errorf("server: two suites are named %q; names must be unique", su.Name)
		}
		if _, dup := s.profiles[su.Name]; dup {
			return nil, fmt.Errorf("server: suite %q has the name of a profile; names must be unique", su.Name)
		}
		s.suites[su.Name] = su
	}
	nonce := make([]byte, 8)
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("server: reading random bytes for the instance nonce: %w", err)
	}
	s.instance = hex.EncodeToString(nonce)
	s.buildHosts()
	if h5, ok := h5Page(); ok {
		s.h5 = h5
	}
	s.handler = s.routes()
	return s, nil
}

func (s *Server) buildProfile(pf Profile, hc *http.Client) (*profile, error) {
	if pf.Name == "" || strings.ContainsAny(pf.Name, "/?#% ") {
		return nil, fmt.Errorf("server: profile name %q: use letters, digits, - or _", pf.Name)
	}
	p := &profile{Profile: pf}
	var err error
	if p.reply, err = parseReply(pf.Platform, pf.Reply); err != nil {
		return nil, fmt.Errorf("server: profile %s: %s", pf.Name, strings.TrimPrefix(err.Error(), "server: "))
	}
	if p.OAuthScope == "" {
		p.OAuthScope = "snsapi_base"
	}
	// The recorder explains an errcode as the client's platform means it
	// (40003 is an openid on an Official Account, a userid on WeCom).
	opts := []api.Option{api.WithHTTPClient(hc), api.WithLogger(s.log), api.WithCallObserver(s.calls.Add)}
	if p.APIBaseURL != "" {
		opts = append(opts, api.WithBaseURL(p.APIBaseURL))
	}
	switch p.Platform {
	case PlatformWeCom:
		if p.CorpID == "" || p.AgentID == 0 {
			return nil, fmt.Errorf("server: profile %s: a WeCom profile needs the corp id and the AgentID", p.Name)
		}
		p.crypt, err = wxcrypt.New(p.Token, p.EncodingAESKey, p.CorpID)
		if err == nil {
			p.wecom, err = api.NewWeCom(api.WeComApp{CorpID: p.CorpID, AgentID: p.AgentID, Secret: p.Secret}, opts...)
		}
	case PlatformMP:
		if p.AppID == "" {
			return nil, fmt.Errorf("server: profile %s: an Official Account profile needs the AppID", p.Name)
		}
		p.crypt, err = wxcrypt.New(p.Token, p.EncodingAESKey, p.AppID)
		if err == nil {
			p.mp, err = api.NewMP(api.MPApp{AppID: p.AppID, Secret: p.Secret}, opts...)
		}
	default:
		return nil, fmt.Errorf("server: profile %s: platform %q is neither wecom nor mp", p.Name, p.Platform)
	}
	if err != nil {
		return nil, fmt.Errorf("server: profile %s: %w", p.Name, err)
	}
	return p, nil
}

// startEmulator starts the in-process emulator with its callback URLs
// pointing at this server and returns its two profiles.
func (s *Server) startEmulator(port int) ([]Profile, error) {
	base := "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	fx := emulator.DefaultFixture()
	if len(fx.WeCom.Apps) == 0 {
		return nil, errors.New("server: the emulator fixture has no WeCom app")
	}
	fx.WeCom.Apps[0].CallbackURL = base + "/callback/wecom"
	fx.MP.CallbackURL = base + "/callback/mp"
	// The emulated provider platform pushes the suite's instruction
	// callbacks (suite_ticket, create_auth, …) here.
	for i := range fx.Suites {
		fx.Suites[i].CallbackURL = base + "/suite/" + emulatorSuiteName(i) + "/callback"
	}
	addr := s.cfg.EmulatorAddr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	emu, err := emulator.Start(addr, emulator.WithFixture(fx), emulator.WithDataDir(filepath.Join(s.cfg.DataDir, "emulator")),
		emulator.WithLogger(s.log.With("component", "emulator")))
	if err != nil {
		return nil, fmt.Errorf("server: starting the emulator: %w", err)
	}
	s.emu = emu
	trusted := s.defaultTrusted(port)
	app := fx.WeCom.Apps[0]
	reply := s.cfg.EmulatorReply
	if reply == "" {
		reply = ReplyEcho
	}
	for i, su := range fx.Suites {
		s.emuSuites = append(s.emuSuites, Suite{Name: emulatorSuiteName(i), SuiteID: su.SuiteID, Secret: su.Secret, Token: su.Token,
			EncodingAESKey: su.EncodingAESKey, TrustedDomains: trusted, APIBaseURL: emu.WeComBaseURL(), Debug: true, Emulated: true})
	}
	return []Profile{{
		Name: "wecom", Platform: PlatformWeCom, CorpID: fx.WeCom.CorpID, AgentID: app.AgentID, Secret: app.Secret,
		Token: app.Token, EncodingAESKey: app.EncodingAESKey, TrustedDomains: trusted,
		VerifyFiles:  map[string]string{"WW_verify_wwkitEmulator.txt": "wwkitEmulator"},
		APIBaseURL:   emu.WeComBaseURL(),
		AuthorizeURL: emu.URL + "/wecom/connect/oauth2/authorize",
		Debug:        true, Reply: reply, Emulated: true,
	}, {
		Name: "mp", Platform: PlatformMP, AppID: fx.MP.AppID, Secret: fx.MP.AppSecret,
		Token: fx.MP.Token, EncodingAESKey: fx.MP.EncodingAESKey, TrustedDomains: trusted,
		VerifyFiles:  map[string]string{"MP_verify_wwkitEmulator.txt": "wwkitEmulator"},
		APIBaseURL:   emu.MPBaseURL(),
		AuthorizeURL: emu.URL + "/mp/connect/oauth2/authorize",
		Debug:        true, Reply: reply, Emulated: true,
	}}, nil
}

// emulatorSuiteName is the name the server gives the emulator's i-th suite.
func emulatorSuiteName(i int) string {
	if i == 0 {
		return "suite"
	}
	return "suite" + strconv.Itoa(i+1)
}

// defaultTrusted lists the hosts the emulator profiles sign for: loopback,
// the LAN address and the public URL's host.
func (s *Server) defaultTrusted(port int) []string {
	out := []string{"127.0.0.1", "localhost", "[::1]"}
	if h := lanHost(s.ln.Addr()); h != "127.0.0.1" {
		out = append(out, h)
	}
	if u, err := url.Parse(s.cfg.PublicURL); err == nil && u.Hostname() != "" {
		out = append(out, u.Hostname())
	}
	return out
}

// URL is the server's own base URL (loopback when bound to all interfaces).
func (s *Server) URL() string { return s.url }

// PublicURL is the base URL phones and Tencent use.
func (s *Server) PublicURL() string { return s.cfg.PublicURL }

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Emulator returns the in-process emulator, nil when none runs.
func (s *Server) Emulator() *emulator.Server { return s.emu }

// Inbox returns the durable inbox.
func (s *Server) Inbox() *inbox.Inbox { return s.inbox }

// Profiles returns the served profiles, the default first.
func (s *Server) Profiles() []Profile {
	out := make([]Profile, len(s.order))
	for i, p := range s.order {
		out[i] = p.Profile
	}
	return out
}

// Subscribe returns a channel that receives every newly stored callback
// (duplicates excluded) after it was committed, for in-process live views
// such as the desktop app. A subscriber that does not keep up misses records
// (the inbox has them all). Call cancel to stop; the channel is closed then or
// when the server closes.
func (s *Server) Subscribe() (records <-chan inbox.Record, cancel func()) {
	return s.hub.subscribe()
}

// Handler returns the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Run serves on the listener until ctx ends, then shuts down gracefully
// (requests in flight get 5 seconds) and releases everything.
func (s *Server) Run(ctx context.Context) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	fresh := &freshConns{conns: map[net.Conn]struct{}{}}
	hs.ConnState = fresh.track
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(s.ln) }()
	select {
	case err := <-errc:
		s.Close()
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("server: serving: %w", err)
	case <-ctx.Done():
	}
	s.hub.close()
	if s.emu != nil {
		// the emulator's change_contact pushes come to this server: stop
		// them first, or one that connects during Shutdown holds it up to
		// its deadline
		s.emu.Emulator().StopPushes()
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	shut := make(chan error, 1)
	go func() { shut <- hs.Shutdown(shutdown) }()
	// net/http counts a connection that has not sent a request yet as busy
	// for its first 5 seconds, the whole deadline above; Go's Transport
	// keeps such connections (a dial that finished after its request went
	// elsewhere), so close them: no request has been read on them yet.
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var err error
wait:
	for {
		fresh.closeAll()
		select {
		case err = <-shut:
			break wait
		case <-tick.C:
		}
	}
	s.Close()
	if err != nil {
		return fmt.Errorf("server: shutting down: %w", err)
	}
	return nil
}

// freshConns tracks the server's connections that have not begun a
// request (http.StateNew), for Run's shutdown.
type freshConns struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

func (f *freshConns) track(c net.Conn, st http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if st == http.StateNew {
		f.conns[c] = struct{}{}
	} else {
		delete(f.conns, c)
	}
}

// closeAll closes the connections still waiting for their first request.
func (f *freshConns) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.conns {
		c.Close()
		delete(f.conns, c)
	}
}

// Close releases the listener, the inbox and the emulator. Run calls it.
func (s *Server) Close() error {
	select {
	case <-s.closed:
		return nil
	default:
		close(s.closed)
	}
	var errs []error
	s.hub.close()
	if s.ln != nil {
		if err := s.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	if s.inbox != nil {
		errs = append(errs, s.inbox.Close())
	}
	if s.clientToken != "" {
		s.removeClientToken()
	}
	if s.emu != nil {
		errs = append(errs, s.emu.Close())
	}
	return errors.Join(errs...)
}

// localHost is the host to reach addr from this machine.
func localHost(addr net.Addr) string {
	ta, ok := addr.(*net.TCPAddr)
	if !ok || ta.IP.IsUnspecified() || ta.IP == nil {
		return "127.0.0.1"
	}
	return ta.IP.String()
}

// lanHost is the host a phone on the LAN uses: the first non-loopback IPv4
// address when bound to all interfaces, else the bound address.
func lanHost(addr net.Addr) string {
	ta, ok := addr.(*net.TCPAddr)
	if ok && ta.IP != nil && !ta.IP.IsUnspecified() {
		return ta.IP.String()
	}
	if ifs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range ifs {
			if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil && !n.IP.IsLinkLocalUnicast() {
				return n.IP.String()
			}
		}
	}
	return "127.0.0.1"
}
