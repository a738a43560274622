package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/api"
)

func newOAuthCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "oauth",
		Short: "Build the OAuth2 authorize URL (网页授权) and exchange a code for the user's identity",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newOAuthURLCmd(env), newOAuthUserCmd(env))
	return cmd
}

func newOAuthURLCmd(env *Env) *cobra.Command {
	var redirect, scope, state string
	var asJSON, mp bool
	cmd := &cobra.Command{
		Use:   "url",
		Short: "Print the authorize URL to open inside WeCom (or WeChat with --mp)",
		Long: `url builds https://open.weixin.qq.com/connect/oauth2/authorize?… for the
profile's CorpID and AgentID (or, with --mp, the Official Account's AppID).
redirect_uri must be on the app's trusted domain (可信域名); the user comes back
to it with ?code=CODE&state=STATE — exchange the code with: wwkit oauth user --code CODE.`,
		Example: `  wwkit oauth url --redirect-uri https://h5.example.com/login --state s1
  wwkit oauth url --mp --scope snsapi_userinfo --redirect-uri https://h5.example.com/cb`,
		Args: cobra.NoArgs,
	}
	cf := addConnFlags(cmd)
	cmd.Flags().StringVar(&redirect, "redirect-uri", "", "where the user returns with ?code= (required)")
	cmd.Flags().StringVar(&scope, "scope", "snsapi_base", "snsapi_base, snsapi_privateinfo (WeCom) or snsapi_userinfo (MP)")
	cmd.Flags().StringVar(&state, "state", "", "opaque value returned with the code (a-zA-Z0-9, ≤128 bytes)")
	cmd.Flags().BoolVar(&mp, "mp", false, "build the Official Account URL (appid = AppID, no agentid)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if redirect == "" {
			return Usagef("--redirect-uri is required")
		}
		// Building the URL needs only the profile, not a server.
		p, err := cf.resolve(env)
		if err != nil {
			return fail(env, asJSON, err)
		}
		appID, agent := p.CorpID, p.AgentID
		if mp {
			appID, agent = p.MPAppID, 0
		}
		u, err := api.AuthorizeURL(appID, redirect, scope, state, agent)
		if err != nil {
			return Usagef("%v", err)
		}
		if p.Emulated {
			// The emulator's fixture CorpID/AppID mean nothing to
			// open.weixin.qq.com: point at the emulator's own authorize
			// page when we know where it runs, and say so when we do not.
			base := p.WeComBaseURL
			if mp {
				base = p.MPBaseURL
			}
			if base != "" {
				u = emulatorAuthorizeURL(u, base)
			} else {
				fmt.Fprintln(env.Stderr, "wwkit: note: this profile uses the emulator's fixture credentials, which open.weixin.qq.com does not know; "+
					"start `wwkit emulator` and pass --wecom-base-url http://127.0.0.1:8787/wecom (or --mp-base-url …/mp) to get the emulator's sign-in page, "+
					"or use `wwkit serve`, whose page signs in through the emulator")
			}
		}
		if asJSON {
			return PrintJSON(env.Stdout, map[string]any{"ok": true, "url": u})
		}
		fmt.Fprintln(env.Stdout, u)
		return nil
	}
	return cmd
}

// emulatorAuthorizeURL moves an open.weixin.qq.com authorize URL to the
// emulator at base (e.g. http://127.0.0.1:8787/wecom), which serves the same
// path and parameters.
func emulatorAuthorizeURL(u, base string) string {
	const real = "https://open.weixin.qq.com"
	if !strings.HasPrefix(u, real) {
		return u
	}
	return strings.TrimRight(base, "/") + strings.TrimPrefix(u, real)
}

func newOAuthUserCmd(env *Env) *cobra.Command {
	var code string
	var asJSON, mp bool
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Exchange an OAuth code for the userid (WeCom) or openid (--mp)",
		Long: `user calls auth/getuserinfo (WeCom) or sns/oauth2/access_token (--mp) with the
code from the redirect. A code works once and expires after 5 minutes
(errcode 40029 otherwise; the Official Account answers 40163 "code been
used" when the same code is exchanged twice, e.g. after a page reload).`,
		Example: `  wwkit oauth user --code CODE --json`,
		Args:    cobra.NoArgs,
	}
	cf := addConnFlags(cmd)
	cmd.Flags().StringVar(&code, "code", "", "the code from the redirect (required)")
	cmd.Flags().BoolVar(&mp, "mp", false, "Official Account web authorization")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if code == "" {
			return Usagef("--code is required")
		}
		s, err := cf.open(env)
		if err != nil {
			return fail(env, asJSON, err)
		}
		defer s.close()
		ctx, cancel := s.ctx(cmd)
		defer cancel()
		out := map[string]any{"ok": true}
		if mp {
			c, err := s.mp()
			if err != nil {
				return fail(env, asJSON, err)
			}
			r, err := c.OAuthAccessToken(ctx, code)
			if err != nil {
				return fail(env, asJSON, err)
			}
			out["openid"], out["scope"], out["unionid"] = r.OpenID, r.Scope, r.UnionID
		} else {
			c, err := s.wecom()
			if err != nil {
				return fail(env, asJSON, err)
			}
			r, err := c.GetUserInfo(ctx, code)
			if err != nil {
				return fail(env, asJSON, err)
			}
			if r.UserID != "" {
				out["userid"] = r.UserID
			} else {
				out["openid"] = r.OpenID
				if r.ExternalUserID != "" {
					out["external_userid"] = r.ExternalUserID
				}
			}
			out["has_user_ticket"] = r.UserTicket != ""
		}
		if asJSON {
			return PrintJSON(env.Stdout, out)
		}
		for _, k := range []string{"userid", "openid", "external_userid", "unionid", "scope"} {
			if v, ok := out[k].(string); ok && v != "" {
				fmt.Fprintf(env.Stdout, "%s: %s\n", k, v)
			}
		}
		return nil
	}
	return cmd
}
