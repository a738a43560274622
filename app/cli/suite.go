package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/app/profile"
	"github.com/wwkit/wwkit/app/suite"
	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator/fixture"
	"github.com/wwkit/wwkit/core/token"
)

const suiteLong = `suite works with a service provider's third-party app (服务商 / 第三方应用):
a profile with kind = "suite" in wwkit.toml (suite_id, suite_secret_env,
token_env, encoding_aes_key_env; see docs/suite.md). Without one, the
emulator's default suite is used.

wwkit serve is the suite's callback URL (/suite/NAME/callback): it stores
every pushed suite_ticket and the permanent code (永久授权码) of each corp that
installs the app, in its data directory. These commands read that directory
(--data, the default of wwkit serve), so run them next to the server.`

// suiteFlags are the flags of the suite commands that only read the data
// directory wwkit serve writes.
type suiteFlags struct {
	config, profile, data string
	asJSON                bool
}

func addSuiteFlags(cmd *cobra.Command) *suiteFlags {
	f := &suiteFlags{}
	fs := cmd.Flags()
	EnvFlag(fs, &f.config, "config", "WWKIT_CONFIG", "", "profile file (default ./wwkit.toml when it exists)")
	EnvFlag(fs, &f.profile, "profile", "WWKIT_PROFILE", "", `suite profile (kind = "suite") in the config file (default: the emulator's suite)`)
	EnvFlag(fs, &f.data, "data", "WWKIT_SERVE_DATA", "", "data directory of wwkit serve (default ~/.wwkit/serve; %AppData%\\wwkit\\serve on Windows)")
	fs.BoolVar(&f.asJSON, "json", false, "print JSON")
	return f
}

// suiteIdentity is the suite a command works with.
type suiteIdentity struct {
	SuiteID, Secret, BaseURL, Store string
	Emulated                        bool
}

// suiteOf picks the suite of a resolved profile: a kind = "suite" profile,
// or the emulator's default suite for the default fixture profile.
func suiteOf(p *profile.Profile) (suiteIdentity, error) {
	switch {
	case p.Kind == profile.KindSuite:
		return suiteIdentity{SuiteID: p.SuiteID, Secret: p.SuiteSecret, BaseURL: p.WeComBaseURL, Store: p.Store}, nil
	case p.Emulated:
		return suiteIdentity{SuiteID: fixture.SuiteID, Secret: fixture.SuiteSecret, BaseURL: p.WeComBaseURL, Store: p.Store, Emulated: true}, nil
	}
	return suiteIdentity{}, Usagef("profile %s is not a third-party app: add kind = \"suite\" with suite_id and suite_secret_env to its table (docs/suite.md), or pick one with --profile", p.Name)
}

func (f *suiteFlags) state(env *Env) (suiteIdentity, *suite.Store, error) {
	p, err := profile.Resolve(profile.Overrides{ConfigPath: f.config, Name: f.profile}, env.Getenv)
	if err != nil {
		return suiteIdentity{}, nil, err
	}
	for _, w := range p.Warnings {
		fmt.Fprintf(env.Stderr, "wwkit: warning: %s\n", w)
	}
	id, err := suiteOf(p)
	if err != nil {
		return id, nil, err
	}
	st, err := openSuiteState(f.data, id.SuiteID)
	return id, st, err
}

func openSuiteState(data, suiteID string) (*suite.Store, error) {
	if data == "" {
		var err error
		if data, err = defaultServeData(runtime.GOOS, os.UserHomeDir, os.UserConfigDir); err != nil {
			return nil, err
		}
	}
	return suite.Open(data, suiteID)
}

func newSuiteCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "suite",
		Short: "Third-party apps (第三方应用): suite_ticket, authorised corps, install URL, corp tokens",
		Long:  suiteLong,
		Example: `  wwkit suite status
  wwkit suite corps --profile isv --json
  wwkit suite install-url --profile isv --redirect-uri https://isv.example.com/installed
  wwkit suite corp-token ` + fixture.CorpID + ` --kind jsapi --profile isv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newSuiteStatusCmd(env), newSuiteTicketCmd(env), newSuiteCorpsCmd(env), newSuiteInstallURLCmd(env), newSuiteCorpTokenCmd(env))
	return cmd
}

func newSuiteStatusCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the suite's last suite_ticket (age, fingerprint) and its authorised corps",
		Long: suiteLong + `

status warns when the last suite_ticket is older than 20 minutes: the
provider platform pushes one every 10 minutes, so pushes are not arriving.`,
		Example: `  wwkit suite status
  wwkit suite status --profile isv --data ./.wwkit-serve --json`,
		Args: cobra.NoArgs,
	}
	f := addSuiteFlags(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		id, st, err := f.state(env)
		if err != nil {
			return fail(env, f.asJSON, err)
		}
		s, err := st.Load()
		if err != nil {
			return fail(env, f.asJSON, err)
		}
		now := time.Now()
		out := map[string]any{"ok": true, "suiteId": id.SuiteID, "stateFile": st.Path(), "corps": publicCorps(s)}
		warning := ticketHint(id, suite.ErrNoTicket).Error()
		if s.Ticket != "" {
			age := now.Sub(s.TicketAt)
			out["ticketAt"], out["ticketAgeSeconds"], out["ticketFingerprint"] = s.TicketAt, int64(age/time.Second), token.Fingerprint(s.Ticket)
			warning = suite.TicketWarning(age)
		}
		if warning != "" {
			out["warning"] = warning
		}
		if f.asJSON {
			return PrintJSON(env.Stdout, out)
		}
		fmt.Fprintf(env.Stdout, "suite        %s\nstate        %s\n", id.SuiteID, st.Path())
		if s.Ticket != "" {
			fmt.Fprintf(env.Stdout, "suite_ticket %s, received %s ago (%s)\n", token.Fingerprint(s.Ticket), now.Sub(s.TicketAt).Round(time.Second), s.TicketAt.Local().Format(time.DateTime))
		} else {
			fmt.Fprintln(env.Stdout, "suite_ticket none yet")
		}
		active := 0
		for _, c := range s.Corps {
			if !c.Cancelled() {
				active++
			}
		}
		fmt.Fprintf(env.Stdout, "corps        %d authorised, %d cancelled\n", active, len(s.Corps)-active)
		if warning != "" {
			fmt.Fprintf(env.Stderr, "wwkit: warning: %s\n", warning)
		}
		return nil
	}
	return cmd
}

// ticketHint adds, for the emulator's suite, how to get a suite_ticket now:
// its provider platform pushes the first one 10 minutes after it starts.
func ticketHint(id suiteIdentity, err error) error {
	if !id.Emulated || !errors.Is(err, suite.ErrNoTicket) {
		return err
	}
	return fmt.Errorf("%w (the emulator's suite: have it push one now with POST /__emulator/suite/ticket to the emulator wwkit serve runs; wwkit serve's output names its URL)", err)
}

func publicCorps(s *suite.State) []suite.Corp {
	out := []suite.Corp{}
	for _, c := range s.CorpList() {
		out = append(out, c.Public())
	}
	return out
}

func newSuiteTicketCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ticket",
		Short: "Check the last suite_ticket wwkit serve stored: its fingerprint and age (exit 1 when none or expired)",
		Long: suiteLong + `

ticket exits 1 when no suite_ticket arrived yet or the last one is over 30
minutes old (expired), so a script can check the callback URL works. The
ticket itself is not printed: with the suite Secret it is a credential.`,
		Example: `  wwkit suite ticket
  wwkit suite ticket --profile isv --json`,
		Args: cobra.NoArgs,
	}
	f := addSuiteFlags(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		id, st, err := f.state(env)
		if err != nil {
			return fail(env, f.asJSON, err)
		}
		now := time.Now()
		t, at, err := st.Ticket(now)
		if err != nil {
			return fail(env, f.asJSON, ticketHint(id, err))
		}
		age := now.Sub(at)
		if f.asJSON {
			out := map[string]any{"ok": true, "suiteId": id.SuiteID, "ticketFingerprint": token.Fingerprint(t), "ticketAt": at, "ticketAgeSeconds": int64(age / time.Second)}
			if w := suite.TicketWarning(age); w != "" {
				out["warning"] = w
			}
			return PrintJSON(env.Stdout, out)
		}
		fmt.Fprintf(env.Stdout, "%s received %s ago\n", token.Fingerprint(t), age.Round(time.Second))
		if w := suite.TicketWarning(age); w != "" {
			fmt.Fprintf(env.Stderr, "wwkit: warning: %s\n", w)
		}
		return nil
	}
	return cmd
}

func newSuiteCorpsCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "corps",
		Short: "List the corps that installed the suite (授权企业), with their AgentID and state",
		Long: suiteLong + `

Permanent codes are never printed.`,
		Example: `  wwkit suite corps
  wwkit suite corps --profile isv --json`,
		Args: cobra.NoArgs,
	}
	f := addSuiteFlags(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		_, st, err := f.state(env)
		if err != nil {
			return fail(env, f.asJSON, err)
		}
		s, err := st.Load()
		if err != nil {
			return fail(env, f.asJSON, err)
		}
		corps := publicCorps(s)
		if f.asJSON {
			return PrintJSON(env.Stdout, map[string]any{"ok": true, "suiteId": s.SuiteID, "corps": corps})
		}
		if len(corps) == 0 {
			fmt.Fprintln(env.Stdout, "no corp has installed the suite yet")
			return nil
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CORPID\tNAME\tAGENTID\tSTATE\tINSTALLED")
		for _, c := range corps {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", c.CorpID, c.CorpName, c.AgentID, c.State, c.InstalledAt.Local().Format(time.DateTime))
		}
		return tw.Flush()
	}
	return cmd
}

// suiteClient is the suite client of an open session, with the data
// directory's state. The client's store gets the ticket wwkit serve stored
// there when it has none (a memory or separate store).
func suiteClient(ctx context.Context, s *session, data string) (suiteIdentity, *api.Suite, *suite.Store, error) {
	id, err := suiteOf(s.prof)
	if err != nil {
		return id, nil, nil, err
	}
	st, err := openSuiteState(data, id.SuiteID)
	if err != nil {
		return id, nil, nil, err
	}
	c, err := api.NewSuite(api.SuiteApp{SuiteID: id.SuiteID, Secret: id.Secret}, s.opts(s.prof.WeComBaseURL)...)
	if err != nil {
		return id, nil, nil, err
	}
	if _, err := c.Ticket(ctx); err != nil {
		t, _, terr := st.Ticket(time.Now())
		if terr != nil {
			return id, nil, nil, ticketHint(id, terr)
		}
		if err := c.SetTicket(ctx, t); err != nil {
			return id, nil, nil, err
		}
	}
	return id, c, st, nil
}

// suiteAPICmd wires a suite command to the API skeleton: check runs before
// any connection (usage errors), a profile that is no suite is a usage
// error, and call gets the suite client.
func suiteAPICmd(env *Env, cmd *cobra.Command, data *string, check func(args []string) error,
	call func(ctx context.Context, id suiteIdentity, c *api.Suite, st *suite.Store, args []string) (map[string]any, func(io.Writer), error)) *cobra.Command {
	f := addAPIFlags(cmd, "print JSON")
	EnvFlag(cmd.Flags(), data, "data", "WWKIT_SERVE_DATA", "", "data directory of wwkit serve, where the suite_ticket and permanent codes are (default ~/.wwkit/serve)")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if check != nil {
			if err := check(args); err != nil {
				return err
			}
		}
		p, err := f.conn.resolve(env)
		if err != nil {
			return fail(env, f.asJSON, err)
		}
		if _, err := suiteOf(p); err != nil {
			return err
		}
		return f.run(env, cmd, func(ctx context.Context, s *session) (map[string]any, func(io.Writer), error) {
			id, c, st, err := suiteClient(ctx, s, *data)
			if err != nil {
				return nil, nil, err
			}
			return call(ctx, id, c, st, args)
		})
	}
	return cmd
}

func newSuiteInstallURLCmd(env *Env) *cobra.Command {
	var redirect, state, data string
	var testInstall bool
	cmd := &cobra.Command{
		Use:   "install-url",
		Short: "Build the install link (授权链接) of the suite: get_pre_auth_code, set_session_info, the URL",
		Long: suiteLong + `

install-url gets a pre_auth_code (预授权码, valid 1200 s), marks it a test
install (测试授权, auth_type 1) with --test-install (a suite not yet on the
market can only be installed so), and prints the link an admin opens:
https://open.work.weixin.qq.com/3rdapp/install?suite_id=…&pre_auth_code=…&redirect_uri=…&state=…
After the install the browser returns to --redirect-uri with ?auth_code=&state=,
and the platform pushes create_auth to wwkit serve, which stores the permanent
code.`,
		Example: `  wwkit suite install-url --redirect-uri https://isv.example.com/installed
  wwkit suite install-url --profile isv --redirect-uri https://isv.example.com/installed --state s1 --test-install --json`,
		Args: cobra.NoArgs,
	}
	fs := cmd.Flags()
	fs.StringVar(&redirect, "redirect-uri", "", "where the browser returns after the install (on the suite's redirect domain, 授权完成回调域名)")
	fs.StringVar(&state, "state", "", "state passed back to the redirect URI and in create_auth (a-zA-Z0-9, at most 128 bytes)")
	fs.BoolVar(&testInstall, "test-install", false, "mark the pre_auth_code a test install (测试授权, session_info.auth_type 1)")
	check := func([]string) error {
		if redirect == "" {
			return Usagef("--redirect-uri is required: the page the admin's browser returns to after the install")
		}
		// Checked before any call: a bad redirect or state costs no pre_auth_code.
		if _, err := api.InstallURL("check", "check", redirect, state); err != nil {
			return Usagef("%v", err)
		}
		return nil
	}
	return suiteAPICmd(env, cmd, &data, check, func(ctx context.Context, id suiteIdentity, c *api.Suite, _ *suite.Store, _ []string) (map[string]any, func(io.Writer), error) {
		pre, err := c.GetPreAuthCode(ctx)
		if err != nil {
			return nil, nil, err
		}
		authType := 0
		if testInstall {
			authType = 1
			if _, err := c.SetSessionInfo(ctx, &api.SessionInfoRequest{PreAuthCode: pre.PreAuthCode, SessionInfo: api.SessionInfo{AuthType: 1}}); err != nil {
				return nil, nil, err
			}
		}
		u, err := api.InstallURL(id.SuiteID, pre.PreAuthCode, redirect, state)
		if err != nil {
			return nil, nil, err
		}
		out := map[string]any{"suiteId": id.SuiteID, "installURL": u, "expiresIn": pre.ExpiresIn, "authType": authType}
		return out, func(w io.Writer) {
			fmt.Fprintln(w, u)
			fmt.Fprintf(env.Stderr, "wwkit: the pre_auth_code in this link is valid for %d s\n", pre.ExpiresIn)
		}, nil
	})
}

func newSuiteCorpTokenCmd(env *Env) *cobra.Command {
	var kind, data string
	cmd := &cobra.Command{
		Use:   "corp-token CORPID",
		Short: "Show an authorised corp's access_token or ticket (masked), through get_corp_token",
		Long: suiteLong + `

corp-token gets the access_token of a corp that installed the suite
(get_corp_token with its permanent code from the data directory), or the
corp's jsapi_ticket (--kind jsapi) or the agent ticket of the AgentID the
corp gave the app (--kind agent, for wx.agentConfig). Like wwkit token it
prints the value masked with its fingerprint and expiry, never in full. A
corp that cancelled the authorisation (cancel_auth) is named as such.`,
		// The emulator's test corp: the examples work as written once it
		// installed the suite (POST /__emulator/suite/install).
		Example: `  wwkit suite corps                                # the CORPIDs that installed the suite
  wwkit suite corp-token ` + fixture.CorpID + `        # the emulator's test corp, once installed
  wwkit suite corp-token ` + fixture.CorpID + ` --kind agent --profile isv --json
  wwkit suite corp-token ` + fixture.CorpID + ` --kind jsapi --profile isv --store redis://127.0.0.1:6379/0`,
		Args: cobra.ArbitraryArgs,
	}
	cmd.Flags().StringVar(&kind, "kind", "access", "access, jsapi or agent")
	check := func(args []string) error {
		if len(args) != 1 {
			return Usagef("corp-token takes one CORPID (wwkit suite corps lists them), got %d arguments", len(args))
		}
		switch kind {
		case "access", "jsapi", "agent":
			return nil
		}
		return Usagef("--kind %q: use access, jsapi or agent", kind)
	}
	return suiteAPICmd(env, cmd, &data, check, func(ctx context.Context, id suiteIdentity, c *api.Suite, st *suite.Store, args []string) (map[string]any, func(io.Writer), error) {
		corp, err := st.Corp(args[0])
		if err != nil {
			return nil, nil, err
		}
		cc, err := c.Corp(corp.CorpID, corp.PermanentCode, corp.AgentID)
		if err != nil {
			return nil, nil, err
		}
		var r token.Result
		switch kind {
		case "access":
			r, err = cc.AccessToken(ctx)
		case "jsapi":
			r, err = cc.JSAPITicket(ctx)
		default:
			r, err = cc.AgentTicket(ctx)
		}
		if err != nil {
			return nil, nil, err
		}
		left := time.Until(r.Expires).Round(time.Second)
		out := map[string]any{"suiteId": id.SuiteID, "corpId": corp.CorpID, "agentId": corp.AgentID, "kind": kind,
			"value": token.Mask(r.Value), "fingerprint": token.Fingerprint(r.Value),
			"expiresAt": r.Expires.UTC().Format(time.RFC3339), "expiresIn": int64(left.Seconds()), "source": string(r.Origin)}
		return out, func(w io.Writer) {
			fmt.Fprintf(w, "corp:        %s (agent %d)\nkind:        %s\nvalue:       %s\nfingerprint: %s\nexpires:     %s (in %s)\nsource:      %s\n",
				corp.CorpID, corp.AgentID, kind, token.Mask(r.Value), token.Fingerprint(r.Value), r.Expires.Local().Format(time.RFC3339), left, r.Origin)
		}, nil
	})
}
