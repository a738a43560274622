package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/emulator"
)

func newEmulatorCmd(env *Env) *cobra.Command {
	var (
		addr, fixture, data string
		ttl                 time.Duration
		asJSON, verbose     bool
	)
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "Run the offline emulator of the WeCom and Official Account servers",
		Long: `emulator serves an offline stand-in for qyapi.weixin.qq.com (under /wecom) and
api.weixin.qq.com (under /mp), with the OAuth authorize pages, callback pushes,
a JS-SDK config verifier and a loopback-only admin API under /__emulator/.

It prints the base URLs and the emulated credentials (fixture values, not real
secrets) and runs until interrupted (Ctrl+C / SIGTERM). The default fixture is
deterministic, so the credentials are the same on every start.

See docs/emulator.md for the endpoints and where the emulator differs from
Tencent's servers.`,
		Example: `  wwkit emulator
  wwkit emulator --addr 127.0.0.1:0 --json
  wwkit emulator --fixture corp.json --data ~/.wwkit/emulator`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := []emulator.Option{emulator.WithTokenTTL(ttl)}
			if ttl <= 0 {
				return Usagef("--token-ttl must be positive, e.g. 2h")
			}
			if fixture != "" {
				fx, err := emulator.LoadFixture(fixture)
				if err != nil {
					return err
				}
				opts = append(opts, emulator.WithFixture(fx))
			}
			if data != "" {
				opts = append(opts, emulator.WithDataDir(data))
			}
			if verbose {
				opts = append(opts, emulator.WithLogger(slog.New(slog.NewTextHandler(env.Stderr, nil))))
			}
			srv, err := emulator.Start(addr, opts...)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			st := srv.Emulator().State()
			if asJSON {
				err = PrintJSON(env.Stdout, map[string]any{
					"ok": true, "url": srv.URL, "wecomBaseURL": srv.WeComBaseURL(), "mpBaseURL": srv.MPBaseURL(),
					"adminURL": srv.URL + "/__emulator/", "wecom": st.WeCom, "mp": st.MP,
				})
			} else {
				err = printEmulatorBanner(env.Stdout, srv, st)
			}
			if err != nil {
				_ = srv.Close()
				return err
			}
			<-ctx.Done()
			shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := srv.Shutdown(shutdown); err != nil {
				return fmt.Errorf("emulator: shutting down: %w", err)
			}
			if !asJSON {
				fmt.Fprintln(env.Stderr, "wwkit emulator stopped")
			}
			return nil
		},
	}
	fs := cmd.Flags()
	EnvFlag(fs, &addr, "addr", "WWKIT_EMULATOR_ADDR", "127.0.0.1:8787", "listen address (127.0.0.1:0 picks a free port)")
	fs.StringVar(&fixture, "fixture", "", "fixture file (JSON) describing the emulated corp and Official Account")
	fs.StringVar(&data, "data", "", "directory to persist tokens, media, outbox and menus across restarts")
	fs.DurationVar(&ttl, "token-ttl", emulator.DefaultTokenTTL, "lifetime of access tokens and tickets")
	fs.BoolVar(&asJSON, "json", false, "print the URLs and credentials as one JSON object")
	fs.BoolVarP(&verbose, "verbose", "v", false, "log emulator diagnostics to stderr")
	return cmd
}

func printEmulatorBanner(w io.Writer, srv *emulator.Server, st emulator.State) error {
	ew := &errWriter{w: w}
	ew.printf("wwkit emulator listening on %s\n\n", srv.URL)
	ew.printf("  WeCom base URL   %s   (stands for https://qyapi.weixin.qq.com)\n", srv.WeComBaseURL())
	ew.printf("  MP base URL      %s      (stands for https://api.weixin.qq.com)\n", srv.MPBaseURL())
	ew.printf("  admin API        %s/__emulator/   (loopback only)\n\n", srv.URL)
	ew.printf("WeCom (企业微信)\n  corp id          %s\n", st.WeCom.CorpID)
	for _, a := range st.WeCom.Apps {
		ew.printf("  app %d  %s\n", a.AgentID, a.Name)
		ew.printf("    secret         %s\n", a.Secret)
		ew.printf("    callback token %s\n", a.Token)
		ew.printf("    EncodingAESKey %s\n", a.EncodingAESKey)
		ew.printf("    callback URL   %s\n", a.CallbackURL)
	}
	ew.printf("  members          %d (", len(st.WeCom.Users))
	for i, u := range st.WeCom.Users {
		if i > 0 {
			ew.printf(", ")
		}
		ew.printf("%s %s", u.UserID, u.Name)
	}
	ew.printf(")\n\nOfficial Account (公众号)\n")
	ew.printf("  appid            %s\n  appsecret        %s\n", st.MP.AppID, st.MP.AppSecret)
	ew.printf("  callback token   %s\n  EncodingAESKey   %s\n  callback URL     %s\n", st.MP.Token, st.MP.EncodingAESKey, st.MP.CallbackURL)
	ew.printf("\nThese are emulated fixture credentials, not secrets. Press Ctrl+C to stop.\n")
	return ew.err
}

// errWriter keeps the first write error so a banner is printed without an
// error check per line.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
