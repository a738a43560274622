package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	qrcode "github.com/skip2/go-qrcode"
	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/app/profile"
	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/emulator/fixture"
)

type serveFlags struct {
	addr, publicURL, data, adminToken, logLevel, reply string
	config, profile, wecomBase, mpBase                 string
	corpID, agentID, secret, mpAppID, mpSecret         string
	cbToken, aesKey, mpCBToken, mpAESKey               string
	trusted, verifyFiles, allowHosts                   []string
	asJSON, noQR, debug, emulatorLAN, inboxFsync       bool
	mediaPerMinute, mediaDiskMiB                       int
}

func newServeCmd(env *Env) *cobra.Command {
	f := &serveFlags{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the dev server: H5 host, JS-SDK signatures, OAuth, callback inbox, media download",
		Long: `serve runs the backend every WeCom (企业微信) / Official Account (公众号) H5
tutorial has you write by hand:

  GET  /                          the H5 debug page
  GET  /api/jssdk/config?url=     wx.config signature (url must be on a trusted domain)
  GET  /api/jssdk/agent-config?url=  wx.agentConfig signature (WeCom)
  GET  /api/oauth/start, /api/oauth/callback   OAuth code → userid, signed session cookie
  GET|POST /callback[/PROFILE]    callback URL: verify, decrypt, store durably, reply
  POST /api/media/fetch           {"serverId"} → media/get → stored file and local URL
  GET  /WW_verify_*.txt, /MP_verify_*.txt   domain verification files
  GET  /healthz
  admin (loopback or --admin-token): /api/inbox, /api/inbox/stream (SSE),
  /api/tokens (masked), POST /api/send, /api/calls, /api/media, /api/profiles

With no configuration it starts the offline emulator in-process, points the
emulated app's callback URL at this server and prints the page URL on the LAN
address with a QR code to scan with a phone. With a real profile (--profile,
wwkit.toml, WWKIT_* variables) it talks to Tencent's hosts; see docs/serve.md
for the trusted domain, verification file, callback URL and tunnel set-up.

--reply sets the passive reply (被动回复) every profile answers a callback
with; fields after the first are separated by "|" and may be left out from
the end:

` + indent(server.ReplyRules, "  ") + `

Media ids come from wwkit media upload (--mp for the Official Account); a
reply answers each message from a user, echo only text messages.`,
		Example: `  wwkit serve
  wwkit serve --addr 127.0.0.1:8080 --data ./.wwkit-serve
  wwkit serve --reply "text:收到，我们会尽快处理"
  wwkit serve --reply image:MEDIA_ID
  wwkit serve --reply "news:本周活动|点击查看详情|https://h5.example.com/e|https://h5.example.com/e.jpg"
  WWKIT_SECRET=… WWKIT_CALLBACK_TOKEN=… WWKIT_ENCODING_AES_KEY=… \
    wwkit serve --profile prod --public-url https://dev.example.com --trusted-domain dev.example.com`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runServe(cmd, env, f) },
	}
	fs := cmd.Flags()
	EnvFlag(fs, &f.addr, "addr", "WWKIT_SERVE_ADDR", "0.0.0.0:8080", "listen address (127.0.0.1:0 picks a free port)")
	EnvFlag(fs, &f.publicURL, "public-url", "WWKIT_PUBLIC_URL", "", "URL phones and Tencent use to reach this server (LAN address or tunnel); default the LAN address")
	EnvFlag(fs, &f.data, "data", "WWKIT_SERVE_DATA", "", "data directory for the inbox database and media (default ~/.wwkit/serve; %AppData%\\wwkit\\serve on Windows)")
	SecretFlag(fs, &f.adminToken, "admin-token", "WWKIT_ADMIN_TOKEN", "bearer token that opens the admin API to non-loopback clients")
	fs.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn, error (logs go to stderr as JSON)")
	fs.StringVar(&f.reply, "reply", "", "passive reply rule (被动回复): none, echo, text:…, image:MEDIA_ID, voice:…, video:…, music:… (MP), news:…; see Long help (default echo on the emulator, none otherwise)")
	fs.BoolVar(&f.debug, "debug", false, "add stringToSign and the ticket fingerprint to signature answers (always on for the emulator)")
	fs.BoolVar(&f.asJSON, "json", false, "print the URLs and credentials as one JSON object instead of the banner")
	fs.BoolVar(&f.noQR, "no-qr", false, "do not print the QR code")
	profileFlag(fs, &f.config, "config", profile.EnvConfig, "profile file (default ./wwkit.toml when it exists)")
	profileFlag(fs, &f.profile, "profile", profile.EnvProfile, "profile name in the config file (default: the in-process emulator)")
	profileFlag(fs, &f.wecomBase, "wecom-base-url", profile.EnvWeComBaseURL, "WeCom API base URL (default the real host for real credentials)")
	profileFlag(fs, &f.mpBase, "mp-base-url", profile.EnvMPBaseURL, "Official Account API base URL")
	profileFlag(fs, &f.corpID, "corp-id", profile.EnvCorpID, "WeCom CorpID (企业ID)")
	profileFlag(fs, &f.agentID, "agent-id", profile.EnvAgentID, "WeCom app AgentID")
	profileFlag(fs, &f.secret, "secret", profile.EnvSecret, "WeCom app secret")
	profileFlag(fs, &f.mpAppID, "mp-appid", profile.EnvMPAppID, "Official Account AppID")
	profileFlag(fs, &f.mpSecret, "mp-secret", profile.EnvMPSecret, "Official Account AppSecret")
	profileFlag(fs, &f.cbToken, "callback-token", profile.EnvCallbackToken, "WeCom app callback Token")
	profileFlag(fs, &f.aesKey, "aes-key", profile.EnvEncodingAESKey, "WeCom app callback EncodingAESKey")
	profileFlag(fs, &f.mpCBToken, "mp-callback-token", profile.EnvMPCallbackToken, "Official Account callback Token")
	profileFlag(fs, &f.mpAESKey, "mp-aes-key", profile.EnvMPEncodingAESKey, "Official Account EncodingAESKey")
	fs.StringArrayVar(&f.trusted, "trusted-domain", nil, "trusted domain (可信域名) pages may be signed for; repeatable (default the public URL's host)")
	fs.StringArrayVar(&f.verifyFiles, "verify-file", nil, "domain verification file served at the root: a path to WW_verify_….txt / MP_verify_….txt; repeatable")
	fs.StringArrayVar(&f.allowHosts, "allow-host", nil, "host name this server answers besides loopback, its addresses and the --public-url host (DNS rebinding guard); repeatable")
	fs.BoolVar(&f.inboxFsync, "inbox-fsync", false, "fsync the inbox journal before answering each callback, so an acknowledged callback also survives an OS crash or power loss (slower; default: safe when the process is killed)")
	fs.BoolVar(&f.emulatorLAN, "emulator-lan", false, "accept callbacks for the emulator profiles from other machines (their credentials are public; default this machine only)")
	fs.IntVar(&f.mediaPerMinute, "media-per-minute", 30, "POST /api/media/fetch calls allowed per client IP per minute (negative: unlimited)")
	fs.IntVar(&f.mediaDiskMiB, "media-disk-max", 1024, "MiB of downloaded media kept in the data directory before /api/media/fetch answers 507 (negative: unlimited)")
	return cmd
}

func runServe(cmd *cobra.Command, env *Env, f *serveFlags) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return Usagef("--log-level must be debug, info, warn or error")
	}
	if f.reply != "" {
		if err := server.ValidReply("", f.reply); err != nil {
			return Usagef("--reply: %v", strings.TrimPrefix(err.Error(), "server: "))
		}
	}
	if f.publicURL != "" {
		u, err := url.Parse(f.publicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Usagef("--public-url must be an absolute http(s) URL, e.g. https://dev.example.com")
		}
	}
	data := f.data
	if data == "" {
		var err error
		if data, err = defaultServeData(runtime.GOOS, os.UserHomeDir, os.UserConfigDir); err != nil {
			return err
		}
	}
	logger := slog.New(slog.NewJSONHandler(env.Stderr, &slog.HandlerOptions{Level: level}))
	cfg := server.Config{Addr: f.addr, PublicURL: f.publicURL, DataDir: data, AdminToken: f.adminToken, Logger: logger,
		AllowedHosts: f.allowHosts, EmulatorLAN: f.emulatorLAN, InboxFsync: f.inboxFsync, MediaFetchPerMinute: f.mediaPerMinute, EmulatorReply: f.reply}
	if f.mediaPerMinute == 0 {
		return Usagef("--media-per-minute must be positive, or negative for unlimited")
	}
	switch {
	case f.mediaDiskMiB == 0:
		return Usagef("--media-disk-max must be positive, or negative for unlimited")
	case f.mediaDiskMiB < 0:
		cfg.MaxMediaDiskBytes = -1
	default:
		cfg.MaxMediaDiskBytes = int64(f.mediaDiskMiB) << 20
	}
	prof, err := profile.Resolve(profile.Overrides{
		ConfigPath: f.config, Name: f.profile, WeComBaseURL: f.wecomBase, MPBaseURL: f.mpBase,
		CorpID: f.corpID, AgentID: f.agentID, Secret: f.secret, MPAppID: f.mpAppID, MPSecret: f.mpSecret,
		Token: f.cbToken, EncodingAESKey: f.aesKey, MPToken: f.mpCBToken, MPEncodingAESKey: f.mpAESKey,
	}, env.Getenv)
	if err != nil {
		return err
	}
	for _, w := range prof.Warnings {
		fmt.Fprintf(env.Stderr, "wwkit serve: warning: %s\n", w)
	}
	verify, err := readVerifyFiles(f.verifyFiles)
	if err != nil {
		return err
	}
	// The emulator serves a WeCom app and an Official Account.
	platforms := []string{server.PlatformWeCom, server.PlatformMP}
	switch {
	case prof.Kind == profile.KindSuite:
		su, closeStore, err := serveSuite(prof, f)
		if err != nil {
			return err
		}
		defer closeStore()
		cfg.Suites = []server.Suite{su}
		platforms = nil
	case prof.InProcessEmulator():
		cfg.Emulator = true
	default:
		cfg.Profiles, err = serveProfiles(prof, f, verify)
		if err != nil {
			return err
		}
		platforms = platforms[:0]
		for _, p := range cfg.Profiles {
			platforms = append(platforms, p.Platform)
		}
	}
	// A rule one of the profiles cannot answer with (music on WeCom) is a
	// wrong command line, said before anything starts.
	for _, pl := range platforms {
		if err := server.ValidReply(pl, f.reply); err != nil {
			return Usagef("--reply for the %s profile: %v", pl, strings.TrimPrefix(err.Error(), "server: "))
		}
	}
	if f.reply == "" && prof.Reply != "" {
		for _, p := range cfg.Profiles {
			if err := server.ValidReply(p.Platform, prof.Reply); err != nil {
				return fmt.Errorf("%s: reply for the %s profile: %v", prof.Source, p.Platform, strings.TrimPrefix(err.Error(), "server: "))
			}
		}
	}
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	if cfg.Emulator && (len(verify) > 0 || len(f.trusted) > 0) {
		fmt.Fprintln(env.Stderr, "wwkit serve: --verify-file and --trusted-domain apply to real profiles; the emulator profiles use their defaults")
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	runCtx, cancelRun := context.WithCancel(ctx)
	defer cancelRun()
	ran := make(chan error, 1)
	go func() { ran <- srv.Run(runCtx) }()
	// Judged once the server serves: the probe fetches this server's own
	// /healthz through the public URL, as a phone would reach it.
	warnings := srv.QRWarnings(ctx)
	if f.asJSON {
		info := serveInfo(srv, data)
		info["qrWarnings"] = append([]server.QRWarning{}, warnings...)
		err = PrintJSON(env.Stdout, info)
	} else {
		err = printServeBanner(env.Stdout, srv, data, !f.noQR, warnings)
	}
	if err != nil {
		cancelRun()
		<-ran
		return err
	}
	if err := <-ran; err != nil {
		return err
	}
	if !f.asJSON {
		fmt.Fprintln(env.Stderr, "wwkit serve stopped")
	}
	return nil
}

// serveProfiles turns a resolved profile (real corp, or a separately started
// emulator) into server profiles: a WeCom app when there is a corp id, an
// Official Account when there is an AppID.
func serveProfiles(p *profile.Profile, f *serveFlags, verify map[string]string) ([]server.Profile, error) {
	// Flags and WWKIT_* variables win over the profile's table.
	trusted := f.trusted
	if len(trusted) == 0 {
		trusted = p.TrustedDomains
	}
	if len(trusted) == 0 && f.publicURL != "" {
		u, _ := url.Parse(f.publicURL)
		trusted = []string{u.Hostname()}
	}
	reply := orDefault(f.reply, p.Reply)
	if reply == "" {
		reply = server.ReplyNone
	}
	debug := f.debug
	cbToken, aesKey := p.Token, p.EncodingAESKey
	mpToken, mpKey := p.MPToken, p.MPEncodingAESKey
	authWeCom, authMP := p.AuthorizeURL, p.AuthorizeURL
	if p.Emulated {
		// A separately started `wwkit emulator`: its fixture holds the
		// callback settings too.
		cbToken, aesKey = orDefault(cbToken, fixture.Token), orDefault(aesKey, fixture.EncodingAESKey)
		mpToken, mpKey = orDefault(mpToken, fixture.MPToken), orDefault(mpKey, fixture.MPEncodingAESKey)
		debug = true
		if f.reply == "" && p.Reply == "" {
			reply = server.ReplyEcho
		}
		if p.WeComBaseURL != "" && p.AuthorizeURL == "" {
			authWeCom = strings.TrimRight(p.WeComBaseURL, "/") + "/connect/oauth2/authorize"
		}
		if p.MPBaseURL != "" && p.AuthorizeURL == "" {
			authMP = strings.TrimRight(p.MPBaseURL, "/") + "/connect/oauth2/authorize"
		}
		if len(trusted) == 0 {
			trusted = []string{"127.0.0.1", "localhost"}
		}
	}
	if len(trusted) == 0 {
		return nil, Usagef("a real profile needs --trusted-domain (the 可信域名 of the app) or --public-url, so the signature endpoint signs only your pages")
	}
	var out []server.Profile
	if p.CorpID != "" && p.AgentID != 0 {
		if cbToken == "" || aesKey == "" {
			return nil, Usagef("the WeCom app needs its callback Token and EncodingAESKey: --callback-token/$WWKIT_CALLBACK_TOKEN and --aes-key/$WWKIT_ENCODING_AES_KEY")
		}
		out = append(out, server.Profile{Name: "wecom", Platform: server.PlatformWeCom, CorpID: p.CorpID, AgentID: p.AgentID, Secret: p.Secret,
			Token: cbToken, EncodingAESKey: aesKey, TrustedDomains: trusted, VerifyFiles: verify, APIBaseURL: p.WeComBaseURL,
			AuthorizeURL: authWeCom, Debug: debug, Reply: reply, Emulated: p.Emulated})
	}
	if p.MPAppID != "" && (mpToken != "" || p.Emulated) {
		if mpKey == "" {
			return nil, Usagef("the Official Account needs its EncodingAESKey: --mp-aes-key/$WWKIT_MP_ENCODING_AES_KEY")
		}
		out = append(out, server.Profile{Name: "mp", Platform: server.PlatformMP, AppID: p.MPAppID, Secret: p.MPSecret,
			Token: mpToken, EncodingAESKey: mpKey, TrustedDomains: trusted, VerifyFiles: verify, APIBaseURL: p.MPBaseURL,
			AuthorizeURL: authMP, Debug: debug, Reply: reply, Emulated: p.Emulated})
	}
	if len(out) == 0 {
		return nil, Usagef("profile %s has neither a WeCom app (corp id + agent id) nor an Official Account with a callback token", p.Name)
	}
	return out, nil
}

// serveSuite turns a suite profile into the server's suite: its callback
// settings (flags win), the trusted domains its corps' pages are signed
// for, and the token store (a shared one lets other processes use the
// suite_ticket this server receives).
func serveSuite(p *profile.Profile, f *serveFlags) (server.Suite, func(), error) {
	trusted := f.trusted
	if len(trusted) == 0 {
		trusted = p.TrustedDomains
	}
	if len(trusted) == 0 && f.publicURL != "" {
		u, _ := url.Parse(f.publicURL)
		trusted = []string{u.Hostname()}
	}
	if len(trusted) == 0 {
		return server.Suite{}, nil, Usagef("a suite profile needs --trusted-domain (the 可信域名 of the suite's app) or trusted_domains in its table, so the signature endpoint signs only your pages")
	}
	st, err := openStore(p.Store)
	if err != nil {
		return server.Suite{}, nil, err
	}
	closeStore := func() {}
	if c, ok := st.(interface{ Close() error }); ok {
		closeStore = func() { c.Close() }
	}
	return server.Suite{Name: p.Name, SuiteID: p.SuiteID, Secret: p.SuiteSecret, Token: orDefault(f.cbToken, p.Token),
		EncodingAESKey: orDefault(f.aesKey, p.EncodingAESKey), TrustedDomains: trusted, APIBaseURL: p.WeComBaseURL,
		Store: st, Debug: f.debug}, closeStore, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// readVerifyFiles reads WW_verify_….txt / MP_verify_….txt files by path.
func readVerifyFiles(paths []string) (map[string]string, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, p := range paths {
		name := filepath.Base(p)
		if !(strings.HasPrefix(name, "WW_verify_") || strings.HasPrefix(name, "MP_verify_")) || !strings.HasSuffix(name, ".txt") {
			return nil, Usagef("--verify-file %s: the name must be WW_verify_….txt or MP_verify_….txt as downloaded from the admin console", p)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, Usagef("--verify-file: %v", err)
		}
		if len(b) > 4096 {
			return nil, Usagef("--verify-file %s: larger than 4 KiB; is it the verification file?", p)
		}
		out[name] = string(b)
	}
	return out, nil
}

func serveInfo(srv *server.Server, data string) map[string]any {
	info := map[string]any{"ok": true, "url": srv.URL(), "publicURL": srv.PublicURL(), "pageURL": srv.PublicURL() + "/", "data": data,
		"clientTokenFile": filepath.Join(data, server.ClientTokenFile)}
	var cbs []map[string]any
	for _, p := range srv.Profiles() {
		cbs = append(cbs, map[string]any{"profile": p.Name, "platform": p.Platform, "callbackURL": srv.PublicURL() + "/callback/" + p.Name})
	}
	info["callbacks"] = cbs
	var suites []map[string]any
	for _, su := range srv.Suites() {
		suites = append(suites, map[string]any{"name": su.Name, "suiteId": su.SuiteID,
			"callbackURL": srv.PublicURL() + "/suite/" + su.Name + "/callback", "dataURL": srv.PublicURL() + "/suite/" + su.Name + "/data"})
	}
	if suites != nil {
		info["suites"] = suites
	}
	if emu := srv.Emulator(); emu != nil {
		st := emu.Emulator().State()
		emuInfo := map[string]any{"url": emu.URL, "wecomBaseURL": emu.WeComBaseURL(), "mpBaseURL": emu.MPBaseURL(), "wecom": st.WeCom, "mp": st.MP}
		// The emulator's suites (third-party apps): their ids, the AgentID
		// an install gives and where they push; no ticket or grant.
		var suites []map[string]any
		for _, su := range st.Suites {
			suites = append(suites, map[string]any{"suiteId": su.SuiteID, "name": su.Name, "agentId": su.AgentID, "callbackURL": su.CallbackURL})
		}
		if suites != nil {
			emuInfo["suites"] = suites
		}
		info["emulator"] = emuInfo
	}
	return info
}

func printServeBanner(w io.Writer, srv *server.Server, data string, qr bool, warnings []server.QRWarning) error {
	ew := &errWriter{w: w}
	page := srv.PublicURL() + "/"
	ew.printf("wwkit serve listening on %s\n\n", srv.Addr())
	ew.printf("  H5 debug page   %s\n", page)
	for _, wn := range warnings {
		ew.printf("\n  WARNING: a phone cannot open this URL: %s\n", wn.Message)
	}
	if qr {
		if q, err := qrcode.New(page, qrcode.Low); err == nil {
			ew.printf("\nScan with WeCom / WeChat on a phone on the same network:\n%s\n", q.ToSmallString(false))
		}
	}
	for _, p := range srv.Profiles() {
		ew.printf("  callback URL    %s/callback/%s   (%s)\n", srv.PublicURL(), p.Name, p.Platform)
	}
	for _, su := range srv.Suites() {
		ew.printf("  suite %s  instruction callback URL (指令回调) %s/suite/%s/callback\n", su.SuiteID, srv.PublicURL(), su.Name)
		ew.printf("  %*s  data callback URL (数据回调)        %s/suite/%s/data\n", len(su.SuiteID)+6, "", srv.PublicURL(), su.Name)
		ew.printf("  %*s  sign for an authorised corp:        %s/?profile=%s&corp=CORPID\n", len(su.SuiteID)+6, "", srv.PublicURL(), su.Name)
	}
	ew.printf("  admin API       %s/api/inbox   (loopback or --admin-token; header %s: the token in %s)\n", srv.URL(), server.ClientTokenHeader, filepath.Join(data, server.ClientTokenFile))
	ew.printf("  data            %s\n", data)
	if emu := srv.Emulator(); emu != nil {
		st := emu.Emulator().State()
		ew.printf("\nOffline emulator (stands for Tencent's servers) at %s\n", emu.URL)
		ew.printf("WeCom (企业微信)\n  corp id          %s\n", st.WeCom.CorpID)
		if len(st.WeCom.Apps) > 0 {
			a := st.WeCom.Apps[0]
			ew.printf("  app %d  %s\n    secret         %s\n    callback token %s\n    EncodingAESKey %s\n",
				a.AgentID, a.Name, a.Secret, a.Token, a.EncodingAESKey)
		}
		ew.printf("Official Account (公众号)\n  appid            %s\n  appsecret        %s\n  callback token   %s\n  EncodingAESKey   %s\n",
			st.MP.AppID, st.MP.AppSecret, st.MP.Token, st.MP.EncodingAESKey)
		if srv.EmulatorLAN() {
			ew.printf("\nCallbacks for these profiles are accepted from the LAN (--emulator-lan): anyone on it can forge them.\n")
		} else {
			ew.printf("\nCallbacks for these profiles are accepted from this machine only; pass --emulator-lan to take them from the LAN.\n")
		}
		ew.printf("\nThese are emulated fixture credentials, not secrets. Push a test message with\n")
		ew.printf("  curl -s -H 'Content-Type: application/json' %s/__emulator/callbacks -d '{\"content\":\"hello\"}'\n", emu.URL)
	}
	ew.printf("\nPress Ctrl+C to stop.\n")
	return ew.err
}

// defaultServeData is where serve keeps its inbox without --data:
// ~/.wwkit/serve on Linux and macOS; on Windows %AppData%\wwkit\serve
// (os.UserConfigDir), where Windows programs keep per-user data and where
// the desktop build keeps its own (a dot folder in the profile is a Unix
// habit that Explorer shows as clutter).
func defaultServeData(goos string, home, config func() (string, error)) (string, error) {
	if goos == "windows" {
		dir, err := config()
		if err != nil {
			return "", Usagef("no %%AppData%% folder to keep the inbox in (%v); pass --data DIR", err)
		}
		return filepath.Join(dir, "wwkit", "serve"), nil
	}
	dir, err := home()
	if err != nil {
		return "", Usagef("no home directory to keep the inbox in (%v); pass --data DIR", err)
	}
	return filepath.Join(dir, ".wwkit", "serve"), nil
}

// indent prefixes every line of s with p.
func indent(s, p string) string {
	return p + strings.ReplaceAll(s, "\n", "\n"+p)
}
