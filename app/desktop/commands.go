//go:build desktop || bindings

package desktop

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/app/cli"
	"github.com/wwkit/wwkit/app/internal/uilang"
	"github.com/wwkit/wwkit/app/profile"
	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/app/tray"
	"github.com/wwkit/wwkit/app/tray/model"
)

// CLI is what the desktop build adds to the wwkit command tree: the desktop
// and tray subcommands, and a bare `wwkit` opens the window.
func CLI() cli.Build {
	return cli.Build{
		Commands: []func(*cli.Env) *cobra.Command{newDesktopCmd, newTrayCmd},
		NoArgs: func(cmd *cobra.Command) error {
			f := windowFlags{dataDir: os.Getenv("WWKIT_DESKTOP_DATA"), addr: os.Getenv("WWKIT_DESKTOP_ADDR"), publicURL: os.Getenv("WWKIT_PUBLIC_URL")}
			if f.addr == "" {
				f.addr = "0.0.0.0:0"
			}
			return runWindow(cmd.Context(), &cli.Env{Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr()}, f)
		},
	}
}

// trayFlags are the options of `wwkit tray`.
type trayFlags struct {
	windowFlags
	me   string
	lang string
}

// newTrayCmd is `wwkit tray`: the Fyne tray companion over the same App as
// the window. It never initialises Wails.
func newTrayCmd(env *cli.Env) *cobra.Command {
	var f trayFlags
	cmd := &cobra.Command{
		Use:   "tray",
		Short: "Run the wwkit tray companion (dev server, token status, QR code)",
		Long: `Runs the dev server (with the offline emulator's "wecom" and "mp" profiles)
in the background and shows a tray icon: the active profile, token status,
dev server state and new callbacks, with the H5 QR code, a signature for the
URL on the clipboard and a test message one click away. Where the desktop
has no tray host it shows the same menu as a small window. One tray runs per
user: a second start shows the first one's window.

It prints "wwkit tray: dev server on URL" on stderr once the server runs and
stops cleanly on SIGTERM or SIGINT.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runTray(cmd.Context(), env, f) },
	}
	fs := cmd.Flags()
	cli.EnvFlag(fs, &f.dataDir, "data-dir", "WWKIT_DESKTOP_DATA", "", "where the inbox and emulator state live (default: the user config dir/wwkit/desktop)")
	cli.EnvFlag(fs, &f.addr, "addr", "WWKIT_DESKTOP_ADDR", "0.0.0.0:0", "dev server listen address (all interfaces by default so phones can open the QR code; a free port)")
	cli.EnvFlag(fs, &f.publicURL, "public-url", "WWKIT_PUBLIC_URL", "", "how phones reach the dev server (default: the LAN address)")
	cli.EnvFlag(fs, &f.me, "to", "WWKIT_TRAY_TO", "", "the WeCom userid the quick test message goes to (default: the user signed in on the H5 page, else the emulator's first member; never @all)")
	cli.EnvFlag(fs, &f.lang, "lang", "WWKIT_LANG", "", "UI language: zh or en (default: the saved choice, else the system locale); saved for the next start")
	fs.StringVar(&f.config, "config", "", "profile file, read as wwkit serve reads it (default ./wwkit.toml when it exists) (or $"+profile.EnvConfig+")")
	return cmd
}

func runTray(ctx context.Context, env *cli.Env, f trayFlags) error {
	if f.dataDir == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return cli.Usagef("tray: no user config directory (%v); pass --data-dir", err)
		}
		f.dataDir = filepath.Join(dir, "wwkit", "desktop")
	}
	if err := os.MkdirAll(f.dataDir, 0o700); err != nil {
		return fmt.Errorf("tray: creating the data directory: %w", err)
	}
	app, err := NewApp(Config{Addr: f.addr, PublicURL: f.publicURL, DataDir: f.dataDir, ConfigPath: profile.ConfigPath(f.config, env.Getenv)})
	if err != nil {
		return err
	}
	lang, err := uilang.Resolve(f.dataDir)
	if err != nil {
		fmt.Fprintf(env.Stderr, "wwkit tray: %v\n", err)
	}
	if l, ok := uilang.Parse(f.lang); ok {
		lang = l
		if err := uilang.Save(f.dataDir, l); err != nil {
			fmt.Fprintf(env.Stderr, "wwkit tray: %v\n", err)
		}
	}
	save := func(l uilang.Lang) error { return uilang.Save(f.dataDir, l) }
	return tray.Run(ctx, tray.Config{Backend: trayBackend{app}, Me: f.me, Lang: lang, SaveLang: save, Icon: Icon(), Stderr: env.Stderr, DataDir: f.dataDir})
}

// trayBackend adapts App to the tray's view-model (the tray package does
// not import this one, so the dependency goes one way).
type trayBackend struct{ a *App }

func (b trayBackend) Start(ctx context.Context) error { return b.a.Start(ctx) }
func (b trayBackend) Stop()                           { b.a.Stop() }
func (b trayBackend) ServerURL() string               { return b.a.ServerURL() }

// EmulatorURL is printed at start so callbacks can be pushed by hand.
func (b trayBackend) EmulatorURL() string { return b.a.EmulatorURL() }

func (b trayBackend) Profiles() ([]model.Profile, string, error) {
	ps, err := b.a.Profiles.List()
	if err != nil {
		return nil, "", err
	}
	out := make([]model.Profile, 0, len(ps))
	active := ""
	for _, p := range ps {
		out = append(out, model.Profile{Name: p.Name, Platform: p.Platform})
		if p.Active {
			active = p.Name
		}
	}
	return out, active, nil
}

func (b trayBackend) Switch(name string) error {
	_, err := b.a.Profiles.Switch(name)
	return err
}

func (b trayBackend) Tokens() ([]model.Token, error) {
	ts, err := b.a.Tokens.Fetch("")
	if err != nil {
		return nil, err
	}
	out := make([]model.Token, 0, len(ts))
	for _, t := range ts {
		m := model.Token{Kind: t.Kind, Failure: t.Failure}
		if t.ExpiresAt != nil {
			m.ExpiresAt = *t.ExpiresAt
		}
		if t.LastError != nil {
			m.Errcode, m.Errmsg, m.Explanation = t.LastError.Errcode, t.LastError.Errmsg, t.LastError.Explanation
		}
		out = append(out, m)
	}
	return out, nil
}

func (b trayBackend) PageURL() (string, error) {
	q, err := b.a.QR.H5(QRRequest{Size: 128})
	if err != nil {
		return "", err
	}
	return q.Content, nil
}

func (b trayBackend) Sign(pageURL string) (string, error) {
	d, err := b.a.Sign.Sign("", SignConfig, pageURL)
	if err != nil {
		return "", err
	}
	if d.Error != nil {
		return "", fmt.Errorf("tray: no jsapi_ticket for the signature: errcode %d %s", d.Error.Errcode, d.Error.Explanation)
	}
	out, err := json.MarshalIndent(d.Config, "", "  ")
	if err != nil {
		return "", fmt.Errorf("tray: encoding the signature: %w", err)
	}
	return string(out), nil
}

func (b trayBackend) SendTest(user string) (string, error) {
	d, err := b.a.Messages.Send(SendRequest{ToUser: user, Content: "wwkit tray test message, " + time.Now().Format(time.RFC3339)})
	if err != nil {
		return "", err
	}
	if d.Error != nil {
		return fmt.Sprintf("errcode %d %s", d.Error.Errcode, strings.TrimSpace(d.Error.Explanation)), nil
	}
	return "sent, msgid " + d.MsgID, nil
}

// CurrentUser is the userid last signed in through the dev server's OAuth
// for the active profile, else (emulator profiles) the emulated corp's first
// member: the tray's test message goes there, never to @all.
func (b trayBackend) CurrentUser() string {
	l, err := b.a.current()
	if err != nil || l.srv == nil {
		return ""
	}
	name := b.a.ActiveProfile()
	if sub, kind := l.srv.LastSignIn(name); kind == "userid" {
		return sub
	}
	e, _, err := b.a.entry(name)
	if err != nil || e.Source != SourceEmulator || e.Platform != server.PlatformWeCom || l.srv.Emulator() == nil {
		return ""
	}
	if us := l.srv.Emulator().Emulator().Fixture().WeCom.Users; len(us) > 0 {
		return us[0].UserID
	}
	return ""
}

func (b trayBackend) InboxCount() (int64, error) { return b.a.Inbox.Count() }

// QRWarnings is why a phone may not open the H5 QR code (the tray's
// warning line and its QR window).
func (b trayBackend) QRWarnings() []model.QRWarning {
	var out []model.QRWarning
	for _, w := range b.a.QR.warnings() {
		out = append(out, model.QRWarning{Code: w.Code, Params: w.Params})
	}
	return out
}

// Rejected is the tray's rejected-callbacks line: the count since the dev
// server started and the newest refusal with its verdict.
func (b trayBackend) Rejected() (int64, *model.Rejection, error) {
	return b.a.trayRejected()
}

func (b trayBackend) WatchInbox(ctx context.Context, emit func(model.Callback)) error {
	return b.a.WatchInbox(ctx, func(e EntryDTO) {
		s := e.MsgType
		if e.Event != "" {
			s += " " + e.Event
		}
		if e.Summary != "" {
			s += ": " + e.Summary
		}
		emit(model.Callback{Profile: e.Profile, Summary: s})
	})
}
