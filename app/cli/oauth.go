package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/token"
)

func newOAuthCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "oauth",
		Short: "Build the OAuth2 authorize URL (网页授权) and exchange a code for the user's identity",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newOAuthURLCmd(env), newOAuthUserCmd(env), newOAuthRefreshCmd(env), newOAuthUserInfoCmd(env))
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
	var asJSON, mp, userinfo, showTokens bool
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Exchange an OAuth code for the userid (WeCom) or openid (--mp)",
		Long: `user calls auth/getuserinfo (WeCom) or sns/oauth2/access_token (--mp) with the
code from the redirect. A code works once and expires after 5 minutes
(errcode 40029 otherwise; the Official Account answers 40163 "code been
used" when the same code is exchanged twice, e.g. after a page reload).

With --mp the answer also carries the user access_token (2 hours) and
refresh_token (30 days), masked unless --show-tokens; --userinfo reads the
user's profile with it (sns/userinfo, scope snsapi_userinfo). Keep them for
wwkit oauth refresh and wwkit oauth userinfo.`,
		Example: `  wwkit oauth user --code CODE --json
  wwkit oauth user --mp --code CODE --userinfo
  wwkit oauth user --mp --code CODE --show-tokens --json   # for oauth refresh / oauth userinfo`,
		Args: cobra.NoArgs,
	}
	cf := addConnFlags(cmd)
	cmd.Flags().StringVar(&code, "code", "", "the code from the redirect (required)")
	cmd.Flags().BoolVar(&mp, "mp", false, "Official Account web authorization")
	cmd.Flags().BoolVar(&userinfo, "userinfo", false, "--mp: also read the user's profile (sns/userinfo; needs scope snsapi_userinfo)")
	cmd.Flags().BoolVar(&showTokens, "show-tokens", false, "--mp: print the user access_token and refresh_token (masked otherwise)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if code == "" {
			return Usagef("--code is required (the code from the redirect: ?code=CODE&state=…)")
		}
		if !mp && (userinfo || showTokens) {
			return Usagef("--userinfo and --show-tokens are for --mp (WeCom's auth/getuserinfo gives no user token)")
		}
		f := &apiFlags{conn: cf, asJSON: asJSON}
		return f.run(env, cmd, func(ctx context.Context, s *session) (map[string]any, func(io.Writer), error) {
			out := map[string]any{}
			if mp {
				c, err := s.mp()
				if err != nil {
					return nil, nil, err
				}
				r, err := c.OAuthAccessToken(ctx, code)
				if err != nil {
					return nil, nil, err
				}
				snsOut(out, r, showTokens)
				if userinfo {
					u, err := c.SNSUserInfo(ctx, r.AccessToken, r.OpenID, "zh_CN")
					if err != nil {
						return nil, nil, err
					}
					out["userinfo"] = u
				}
			} else {
				c, err := s.wecom()
				if err != nil {
					return nil, nil, err
				}
				r, err := c.GetUserInfo(ctx, code)
				if err != nil {
					return nil, nil, err
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
			return out, func(io.Writer) { printSNS(env, out) }, nil
		})
	}
	return cmd
}

// snsOut adds a web-authorization token answer to out. The user tokens are
// masked unless show: they let anyone read the user's profile for 2 hours
// (access_token) or 30 days (refresh_token).
func snsOut(out map[string]any, r *api.SNSToken, show bool) {
	out["openid"], out["scope"], out["unionid"], out["expires_in"] = r.OpenID, r.Scope, r.UnionID, r.ExpiresIn
	if r.IsSnapshotUser == 1 {
		out["is_snapshotuser"] = 1
	}
	if show {
		out["access_token"], out["refresh_token"] = r.AccessToken, r.RefreshToken
	} else {
		out["access_token"], out["refresh_token"] = token.Mask(r.AccessToken), token.Mask(r.RefreshToken)
	}
}

func printSNS(env *Env, out map[string]any) {
	for _, k := range []string{"userid", "openid", "external_userid", "unionid", "scope", "access_token", "refresh_token"} {
		if v, ok := out[k].(string); ok && v != "" {
			fmt.Fprintf(env.Stdout, "%s: %s\n", k, v)
		}
	}
	if n, ok := out["expires_in"].(int64); ok && n > 0 {
		fmt.Fprintf(env.Stdout, "expires_in: %d\n", n)
	}
	if u, ok := out["userinfo"].(*api.SNSUser); ok {
		printSNSUser(env, u)
	}
}

func printSNSUser(env *Env, u *api.SNSUser) {
	fmt.Fprintf(env.Stdout, "nickname: %s\nsex: %d\nplace: %s %s %s\n", u.Nickname, u.Sex, u.Country, u.Province, u.City)
	if u.HeadImgURL != "" {
		fmt.Fprintf(env.Stdout, "headimgurl: %s\n", u.HeadImgURL)
	}
}

func newOAuthRefreshCmd(env *Env) *cobra.Command {
	var refresh string
	var asJSON, showTokens, userinfo bool
	cmd := &cobra.Command{
		Use:   "refresh",
		Short: "Refresh an Official Account user access_token (sns/oauth2/refresh_token)",
		Long: `refresh trades a web-authorization refresh_token (valid 30 days, from
wwkit oauth user --mp --show-tokens) for a new user access_token (2 hours).
errcode 40030 means the refresh_token is wrong, 42002 that it expired: the
user must authorise again. Official Accounts only; WeCom has no user token.`,
		Example: `  wwkit oauth refresh --refresh-token "$REFRESH_TOKEN"
  WWKIT_SNS_REFRESH_TOKEN=… wwkit oauth refresh --userinfo --json`,
		Args: cobra.NoArgs,
	}
	cf := addConnFlags(cmd)
	SecretFlag(cmd.Flags(), &refresh, "refresh-token", "WWKIT_SNS_REFRESH_TOKEN", "the refresh_token (required)")
	cmd.Flags().BoolVar(&showTokens, "show-tokens", false, "print the new tokens unmasked")
	cmd.Flags().BoolVar(&userinfo, "userinfo", false, "also read the user's profile with the new token (needs scope snsapi_userinfo)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if refresh == "" {
			return Usagef("--refresh-token (or $WWKIT_SNS_REFRESH_TOKEN) is required: get one with wwkit oauth user --mp --code CODE --show-tokens")
		}
		return mpCall(env, cmd, cf, asJSON, func(ctx context.Context, c *api.MP) (map[string]any, string, error) {
			r, err := c.OAuthRefreshToken(ctx, refresh)
			if err != nil {
				return nil, "", err
			}
			out := map[string]any{}
			snsOut(out, r, showTokens)
			if userinfo {
				u, err := c.SNSUserInfo(ctx, r.AccessToken, r.OpenID, "zh_CN")
				if err != nil {
					return nil, "", err
				}
				out["userinfo"] = u
			}
			if asJSON {
				return out, "", nil
			}
			printSNS(env, out)
			return out, "", nil
		})
	}
	return cmd
}

func newOAuthUserInfoCmd(env *Env) *cobra.Command {
	var accessToken, openID, lang string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "userinfo",
		Short: "Read an Official Account user's profile (sns/userinfo) with their user access_token",
		Long: `userinfo calls sns/userinfo with a web-authorization access_token (not the
account's access_token) and the user's openid. It needs the user to have
authorised scope snsapi_userinfo (errcode 48001 otherwise); nickname and
avatar may be placeholders ("微信用户") under WeChat's privacy rules.`,
		Example: `  wwkit oauth userinfo --access-token "$USER_TOKEN" --openid OPENID
  WWKIT_SNS_ACCESS_TOKEN=… wwkit oauth userinfo --openid OPENID --lang en --json`,
		Args: cobra.NoArgs,
	}
	cf := addConnFlags(cmd)
	SecretFlag(cmd.Flags(), &accessToken, "access-token", "WWKIT_SNS_ACCESS_TOKEN", "the user access_token from oauth user --mp --show-tokens (required)")
	cmd.Flags().StringVar(&openID, "openid", "", "the user's openid (required)")
	cmd.Flags().StringVar(&lang, "lang", "zh_CN", "zh_CN, zh_TW or en")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if accessToken == "" || openID == "" {
			return Usagef("--access-token (or $WWKIT_SNS_ACCESS_TOKEN) and --openid are required")
		}
		if lang != "zh_CN" && lang != "zh_TW" && lang != "en" {
			return Usagef("--lang %q: use zh_CN, zh_TW or en", lang)
		}
		return mpCall(env, cmd, cf, asJSON, func(ctx context.Context, c *api.MP) (map[string]any, string, error) {
			u, err := c.SNSUserInfo(ctx, accessToken, openID, lang)
			if err != nil {
				return nil, "", err
			}
			if !asJSON {
				printSNSUser(env, u)
			}
			return map[string]any{"openid": u.OpenID, "nickname": u.Nickname, "sex": u.Sex, "province": u.Province,
				"city": u.City, "country": u.Country, "headimgurl": u.HeadImgURL, "privilege": u.Privilege, "unionid": u.UnionID}, "", nil
		})
	}
	return cmd
}
