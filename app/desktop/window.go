//go:build desktop || bindings

package desktop

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/wwkit/wwkit/app/cli"
	"github.com/wwkit/wwkit/app/profile"
	"github.com/wwkit/wwkit/app/tray"
)

// Window size: the layout is designed to stay usable at 1024×700.
const (
	windowWidth  = 1024
	windowHeight = 700
)

// windowFlags are the options of `wwkit desktop`.
type windowFlags struct {
	dataDir   string
	addr      string
	publicURL string
	attach    string // a running dev server to use instead of starting one (the tray's)
	config    string // wwkit.toml to read profiles from ("" = ./wwkit.toml when present)
	open      string // what the window shows first: checker:ID (the tray's rejected line)
}

func newDesktopCmd(env *cli.Env) *cobra.Command {
	var f windowFlags
	cmd := &cobra.Command{
		Use:   "desktop",
		Short: "Open the wwkit desktop app (token inspector, QR codes, test messages, callback inbox)",
		Long: `Opens the wwkit window. It runs the dev server and the offline emulator
in-process (the emulator's "wecom" and "mp" profiles, plus those of
wwkit.toml) and shows profiles, the token inspector, QR codes for phones,
test messages and simulated callbacks, the live callback inbox and the
signing and crypto workbench. Ctrl+1..6 switch pages; F1 lists the shortcuts.

A binary built without the desktop UI (make frontend) shows a labelled
fallback page instead.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runWindow(cmd.Context(), env, f) },
	}
	fs := cmd.Flags()
	cli.EnvFlag(fs, &f.dataDir, "data-dir", "WWKIT_DESKTOP_DATA", "", "where the inbox and emulator state live (default: the user config dir/wwkit/desktop)")
	cli.EnvFlag(fs, &f.addr, "addr", "WWKIT_DESKTOP_ADDR", "0.0.0.0:0", "dev server listen address (all interfaces by default so phones can open the QR code; a free port)")
	cli.EnvFlag(fs, &f.publicURL, "public-url", "WWKIT_PUBLIC_URL", "", "how phones reach the dev server (default: the LAN address)")
	cli.EnvFlag(fs, &f.attach, "attach", "WWKIT_DESKTOP_ATTACH", "", "use the running dev server at this URL (e.g. wwkit tray's) instead of starting one")
	fs.StringVar(&f.config, "config", "", "profile file, read as wwkit serve reads it (default ./wwkit.toml when it exists) (or $"+profile.EnvConfig+")")
	fs.StringVar(&f.open, "open", "", "show first: checker:ID opens the workbench's callback checker on the refused callback ID (the tray's rejected line passes it)")
	return cmd
}

// runWindow starts the services, then opens the window and blocks until it
// is closed.
func runWindow(ctx context.Context, env *cli.Env, f windowFlags) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if generatingBindings {
		// wails generate module / wails build: wails.Run writes the
		// TypeScript bindings of the services and exits.
		app, err := NewApp(Config{DataDir: os.TempDir()})
		if err != nil {
			return err
		}
		return wails.Run(&options.App{Title: "wwkit", Bind: app.Services()})
	}
	if _, err := parseOpen(f.open); err != nil {
		return cli.Usagef("%v", err)
	}
	// GTK panics ("failed to init GTK") when it cannot open a display; say
	// why instead, before anything starts. Wayland sessions are left to GTK.
	if os.Getenv("WAYLAND_DISPLAY") == "" {
		if ok, why := tray.Display(); !ok {
			return fmt.Errorf("desktop: cannot open a window: %s (without a display, `wwkit serve` runs the same dev server and emulator)", why)
		}
	}
	if f.dataDir == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return cli.Usagef("desktop: no user config directory (%v); pass --data-dir", err)
		}
		f.dataDir = filepath.Join(dir, "wwkit", "desktop")
	}
	if err := os.MkdirAll(f.dataDir, 0o700); err != nil {
		return fmt.Errorf("desktop: creating the data directory: %w", err)
	}
	app, err := NewApp(Config{Addr: f.addr, PublicURL: f.publicURL, DataDir: f.dataDir, Attach: f.attach, ConfigPath: profile.ConfigPath(f.config, env.Getenv), Open: f.open})
	if err != nil {
		return err
	}
	// The dev server starts before the window so a failure (busy port,
	// unwritable data dir) is reported on the terminal, not in a blank
	// window.
	if err := app.Start(ctx); err != nil {
		return err
	}
	defer app.Stop()
	fmt.Fprintf(env.Stderr, "wwkit desktop: dev server on %s, data in %s\n", app.ServerURL(), f.dataDir)
	if UIBuilt() {
		fmt.Fprintln(env.Stderr, "wwkit desktop: window shows the desktop UI")
	} else {
		fmt.Fprintln(env.Stderr, "wwkit desktop: window shows the fallback page: this binary was built without the desktop UI (run make frontend, then rebuild)")
	}
	if u := app.EmulatorURL(); u != "" {
		fmt.Fprintf(env.Stderr, "wwkit desktop: emulator on %s (push a callback: curl -H 'Content-Type: application/json' %s/__emulator/callbacks -d '{\"content\":\"hello\"}')\n", u, u)
	}

	releaseOwnConsole()
	var winCtx context.Context
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	err = wails.Run(&options.App{
		Title:     title(app.ActiveProfile()),
		Width:     windowWidth,
		Height:    windowHeight,
		MinWidth:  windowWidth,
		MinHeight: windowHeight,
		AssetServer: &assetserver.Options{
			Assets: Assets(),
		},
		OnStartup: func(c context.Context) {
			winCtx = c
			app.SetSaveDialog(func(title, name string) (string, error) {
				return runtime.SaveFileDialog(winCtx, runtime.SaveDialogOptions{
					Title: title, DefaultFilename: name, CanCreateDirectories: true,
					Filters: []runtime.FileFilter{{DisplayName: "PNG (*.png)", Pattern: "*.png"}},
				})
			})
			app.OnSwitch(func(name string) { runtime.WindowSetTitle(winCtx, title(name)) })
			// Live inbox: every stored callback becomes an "inbox" event.
			go func() {
				_ = app.WatchInbox(watchCtx, func(e EntryDTO) { runtime.EventsEmit(winCtx, "inbox", e) })
			}()
		},
		OnShutdown: func(context.Context) {
			stopWatch()
			app.Stop()
		},
		Bind: app.Services(),
		// A failed call reaches the page as an ErrorDTO (a code and its
		// parameters), which the page renders in its language.
		ErrorFormatter: FormatError,
		// The page's light background, so the window does not flash another
		// colour before it paints.
		BackgroundColour: &options.RGBA{R: 245, G: 246, B: 248, A: 255},
		Linux: &linux.Options{
			Icon:        Icon(),
			ProgramName: "wwkit",
		},
		Windows: windowsOptions(),
	})
	if err != nil {
		return fmt.Errorf("desktop: the window failed: %w", err)
	}
	return nil
}

func title(profile string) string {
	if profile == "" {
		return "wwkit"
	}
	return "wwkit — " + profile
}
