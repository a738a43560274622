package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/jssdk"
)

func newSignCmd(env *Env) *cobra.Command {
	var ticket, nonce, ts, url string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "sign",
		Short: "Compute a JS-SDK signature (签名) for wx.config / wx.agentConfig",
		Long: `sign prints the lowercase hex SHA-1 of
  jsapi_ticket=T&noncestr=N&timestamp=TS&url=U
(the #fragment of U is dropped, nothing else is changed). Use the corp ticket
for wx.config in WeCom, the agent_config ticket for wx.agentConfig, and the
Official Account jsapi_ticket for wx.config in WeChat.`,
		Example: `  WWKIT_TICKET=… wwkit sign --noncestr Wm3WZYTPz0wzccnW --timestamp 1414587457 --url 'http://mp.weixin.qq.com?params=value'`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case ticket == "":
				return Usagef("sign: --ticket (or $WWKIT_TICKET) is required")
			case nonce == "":
				return Usagef("sign: --noncestr is required (the nonceStr passed to the page)")
			case ts == "":
				return Usagef("sign: --timestamp is required (Unix seconds passed to the page)")
			case url == "":
				return Usagef("sign: --url is required (the page's location.href)")
			}
			n, err := strconv.ParseInt(ts, 10, 64)
			if err != nil || n < 0 || strings.HasPrefix(ts, "+") {
				return Usagef("sign: --timestamp %q is not a non-negative integer of Unix seconds", ts)
			}
			sts := jssdk.StringToSign(ticket, nonce, n, url)
			sig := jssdk.Sign(ticket, nonce, n, url)
			if asJSON {
				return PrintJSON(env.Stdout, map[string]any{"ok": true, "signature": sig, "stringToSign": sts, "nonceStr": nonce, "timestamp": n})
			}
			fmt.Fprintln(env.Stdout, sig)
			return nil
		},
	}
	fs := cmd.Flags()
	SecretFlag(fs, &ticket, "ticket", "WWKIT_TICKET", "jsapi_ticket (corp, agent_config or Official Account ticket)")
	fs.StringVar(&nonce, "noncestr", "", "nonceStr passed to the page")
	fs.StringVar(&ts, "timestamp", "", "timestamp passed to the page (Unix seconds)")
	fs.StringVar(&url, "url", "", "the page URL (location.href); the #fragment is dropped")
	fs.BoolVar(&asJSON, "json", false, `print {"ok","signature","stringToSign",…} as JSON`)
	return cmd
}
