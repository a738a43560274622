package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wwkit/wwkit/app/profile"
	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/token"
	"github.com/wwkit/wwkit/core/token/redistoken"
)

// connFlags are the flags of every command that talks to the API.
type connFlags struct {
	config, profile, wecomBase, mpBase string
	corpID, agentID, secret            string
	mpAppID, mpSecret, store           string
	robotKey                           string // --key of the robot commands only
	timeout                            time.Duration
	verbose                            bool
}

func addConnFlags(cmd *cobra.Command) *connFlags {
	f := &connFlags{}
	fs := cmd.Flags()
	profileFlag(fs, &f.config, "config", profile.EnvConfig, "profile file (default ./wwkit.toml when it exists)")
	profileFlag(fs, &f.profile, "profile", profile.EnvProfile, "profile name in the config file (default: the emulator's default fixture)")
	profileFlag(fs, &f.wecomBase, "wecom-base-url", profile.EnvWeComBaseURL, "WeCom API base URL, e.g. http://127.0.0.1:8787/wecom for wwkit emulator")
	profileFlag(fs, &f.mpBase, "mp-base-url", profile.EnvMPBaseURL, "Official Account API base URL, e.g. http://127.0.0.1:8787/mp")
	profileFlag(fs, &f.corpID, "corp-id", profile.EnvCorpID, "WeCom CorpID (企业ID)")
	profileFlag(fs, &f.agentID, "agent-id", profile.EnvAgentID, "WeCom app AgentID")
	profileFlag(fs, &f.secret, "secret", profile.EnvSecret, "WeCom app secret")
	profileFlag(fs, &f.mpAppID, "mp-appid", profile.EnvMPAppID, "Official Account AppID")
	profileFlag(fs, &f.mpSecret, "mp-secret", profile.EnvMPSecret, "Official Account AppSecret")
	profileFlag(fs, &f.store, "store", profile.EnvStore, "token cache: memory, file, file:PATH or redis://host:port/db")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Second, "overall time limit")
	fs.BoolVarP(&f.verbose, "verbose", "v", false, "log API calls and token refreshes to stderr (values masked)")
	return f
}

// profileFlag declares a flag of the profile. app/profile reads its WWKIT_*
// variable when the flag is not given (flag > variable > wwkit.toml >
// default), so the flag itself carries no environment annotation.
func profileFlag(fs *pflag.FlagSet, p *string, name, envVar, usage string) {
	fs.StringVar(p, name, "", usage+" (or $"+envVar+")")
}

// session is a connected pair of clients plus what must be closed after.
type session struct {
	prof    *profile.Profile
	store   token.Store
	emu     *emulator.Server
	closers []func()
	env     *Env
	f       *connFlags
}

// resolve builds the profile from the flags; app/profile adds WWKIT_*
// and the config file.
func (f *connFlags) resolve(env *Env) (*profile.Profile, error) {
	return profile.Resolve(profile.Overrides{
		ConfigPath: f.config, Name: f.profile,
		WeComBaseURL: f.wecomBase, MPBaseURL: f.mpBase,
		CorpID: f.corpID, AgentID: f.agentID, Secret: f.secret,
		MPAppID: f.mpAppID, MPSecret: f.mpSecret, Store: f.store,
		RobotKey: f.robotKey,
	}, env.Getenv)
}

func (f *connFlags) open(env *Env) (*session, error) {
	p, err := f.resolve(env)
	if err != nil {
		return nil, err
	}
	for _, w := range p.Warnings {
		fmt.Fprintf(env.Stderr, "wwkit: warning: %s\n", w)
	}
	s := &session{prof: p, env: env, f: f}
	if p.Emulated {
		// Fixture credentials never go to the real hosts: a missing base
		// URL is derived from the other one (…/wecom ↔ …/mp) or served by
		// an in-process emulator.
		if p.WeComBaseURL == "" && strings.HasSuffix(p.MPBaseURL, "/mp") {
			p.WeComBaseURL = strings.TrimSuffix(p.MPBaseURL, "/mp") + "/wecom"
		}
		if p.MPBaseURL == "" && strings.HasSuffix(p.WeComBaseURL, "/wecom") {
			p.MPBaseURL = strings.TrimSuffix(p.WeComBaseURL, "/wecom") + "/mp"
		}
	}
	if p.Emulated && (p.WeComBaseURL == "" || p.MPBaseURL == "") {
		srv, err := emulator.Start("127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		s.emu = srv
		s.closers = append(s.closers, func() { srv.Close() })
		if p.WeComBaseURL == "" {
			p.WeComBaseURL = srv.WeComBaseURL()
		}
		if p.MPBaseURL == "" {
			p.MPBaseURL = srv.MPBaseURL()
		}
		fmt.Fprintf(env.Stderr, "wwkit: no base URL given: started an in-process emulator at %s (default fixture); use --wecom-base-url/--mp-base-url or a profile for another server\n", srv.URL)
	}
	st, err := openStore(p.Store)
	if err != nil {
		s.close()
		return nil, err
	}
	if c, ok := st.(interface{ Close() error }); ok {
		s.closers = append(s.closers, func() { c.Close() })
	}
	s.store = st
	return s, nil
}

func (s *session) close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
}

// ctx is the context of one command's API calls. A command exits as soon as
// it has its answer, so it starts no background token refresh (that would
// take the shared store's refresh lock and could die holding it); a value
// that has expired is refreshed in the foreground.
func (s *session) ctx(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	return context.WithTimeout(token.NoBackgroundRefresh(cmd.Context()), s.f.timeout)
}

func (s *session) opts(base string) []api.Option {
	o := []api.Option{api.WithStore(s.store)}
	if s.f.verbose {
		o = append(o, api.WithLogger(slog.New(slog.NewTextHandler(s.env.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	if base != "" {
		o = append(o, api.WithBaseURL(base))
	}
	return o
}

func (s *session) wecom() (*api.WeCom, error) {
	return api.NewWeCom(api.WeComApp{CorpID: s.prof.CorpID, AgentID: s.prof.AgentID, Secret: s.prof.Secret}, s.opts(s.prof.WeComBaseURL)...)
}

func (s *session) mp() (*api.MP, error) {
	return api.NewMP(api.MPApp{AppID: s.prof.MPAppID, Secret: s.prof.MPSecret}, s.opts(s.prof.MPBaseURL)...)
}

// openStore turns --store into a token.Store.
func openStore(spec string) (token.Store, error) {
	switch {
	case spec == "" || spec == "memory":
		return token.NewMemory(), nil
	case spec == "file":
		dir, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("cli: no user cache directory for --store file (%v); use --store file:PATH", err)
		}
		return token.NewFile(filepath.Join(dir, "wwkit", "tokens.json")), nil
	case strings.HasPrefix(spec, "file:"):
		return token.NewFile(strings.TrimPrefix(spec, "file:")), nil
	case strings.HasPrefix(spec, "redis://") || strings.HasPrefix(spec, "rediss://"):
		return redistoken.Open(spec)
	}
	return nil, Usagef("--store %q: use memory, file, file:PATH or redis://host:port/db", spec)
}

// fail reports err as JSON ({"ok":false,…}) or on stderr, and returns the
// exit-1 error.
func fail(env *Env, asJSON bool, err error) error {
	var ue *ExitError
	if errors.As(err, &ue) && ue.Code == ExitUsage {
		return err
	}
	if asJSON {
		e := map[string]any{"kind": "failure", "message": err.Error()}
		out := map[string]any{"ok": false, "error": e}
		var ae *api.APIError
		if errors.As(err, &ae) {
			e["kind"] = "api"
			e["errcode"], e["errmsg"] = ae.Code, ae.Msg
			out["errcode"], out["errmsg"] = ae.Code, ae.Msg
			if info := ae.Info(); info.Meaning != "" {
				out["meaning"], out["check"], out["meaningZH"], out["checkZH"] = info.Meaning, info.Check, info.MeaningZH, info.CheckZH
			}
		}
		_ = PrintJSON(env.Stdout, out)
	} else {
		fmt.Fprintf(env.Stderr, "wwkit: %v\n", err)
	}
	return Failed(err)
}

func newTokenCmd(env *Env) *cobra.Command {
	var kind string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Show the cached access_token or ticket (masked), its expiry and whether it came from the cache",
		Long: `token fetches (or reads from the cache) an access_token or ticket and shows
it masked (abcd…wxyz) with a fingerprint, its expiry and its source: cache or
remote. The full value is never printed.

Kinds: access (WeCom app access_token), jsapi (corp jsapi_ticket), agent (app
ticket for wx.agentConfig), mp-access and mp-jsapi (Official Account).

With --store file or --store redis://… separate runs and processes share the
cache; see docs/tokens.md for the guarantees.`,
		Example: `  wwkit token
  wwkit token --kind jsapi --json
  wwkit token --kind agent            # the agent ticket wx.agentConfig is signed with
  wwkit token --kind mp-jsapi --json  # the Official Account's jsapi_ticket
  wwkit token --wecom-base-url http://127.0.0.1:8787/wecom --store file
  WWKIT_SECRET=… wwkit token --profile prod --store redis://127.0.0.1:6379/0`,
		Args: cobra.NoArgs,
		RunE: nil,
	}
	cf := addConnFlags(cmd)
	cmd.Flags().StringVar(&kind, "kind", "access", "access, jsapi, agent, mp-access or mp-jsapi")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		switch kind {
		case "access", "jsapi", "agent", "mp-access", "mp-jsapi":
		default:
			return Usagef("--kind %q: use access, jsapi, agent, mp-access or mp-jsapi", kind)
		}
		s, err := cf.open(env)
		if err != nil {
			return fail(env, asJSON, err)
		}
		defer s.close()
		ctx, cancel := s.ctx(cmd)
		defer cancel()
		var r token.Result
		if strings.HasPrefix(kind, "mp-") {
			c, err := s.mp()
			if err != nil {
				return fail(env, asJSON, err)
			}
			if kind == "mp-access" {
				r, err = c.AccessToken(ctx)
			} else {
				r, err = c.JSAPITicket(ctx)
			}
			if err != nil {
				return fail(env, asJSON, err)
			}
		} else {
			c, err := s.wecom()
			if err != nil {
				return fail(env, asJSON, err)
			}
			switch kind {
			case "access":
				r, err = c.AccessToken(ctx)
			case "jsapi":
				r, err = c.JSAPITicket(ctx)
			case "agent":
				r, err = c.AgentTicket(ctx)
			}
			if err != nil {
				return fail(env, asJSON, err)
			}
		}
		left := time.Until(r.Expires).Round(time.Second)
		if asJSON {
			return PrintJSON(env.Stdout, map[string]any{
				"ok": true, "kind": kind, "profile": s.prof.Name,
				"value": token.Mask(r.Value), "fingerprint": token.Fingerprint(r.Value),
				"expiresAt": r.Expires.UTC().Format(time.RFC3339), "expiresIn": int64(left.Seconds()),
				"source": string(r.Origin),
			})
		}
		fmt.Fprintf(env.Stdout, "kind:        %s\nvalue:       %s\nfingerprint: %s\nexpires:     %s (in %s)\nsource:      %s\n",
			kind, token.Mask(r.Value), token.Fingerprint(r.Value), r.Expires.Local().Format(time.RFC3339), left, r.Origin)
		return nil
	}
	return cmd
}
