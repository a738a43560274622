package cli

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/api"
)

func newErrcodeCmd(env *Env) *cobra.Command {
	var asJSON bool
	var platform string
	cmd := &cobra.Command{
		Use:   "errcode CODE",
		Short: "Explain a WeCom / Official Account errcode (错误码) in English and Chinese",
		Long: `errcode explains an errcode from the catalogue wwkit's API errors use: what it
means and what to check, in English and Chinese. Some numbers mean different
things on the two servers (40003 is an invalid userid for WeCom, an invalid
openid for an Official Account): --platform picks one; without it both
meanings are printed where they differ.`,
		Example: `  wwkit errcode 40014
  wwkit errcode 40003 --platform mp
  wwkit errcode 60020 --json`,
		Args: cobra.ExactArgs(1),
	}
	cmd.Flags().StringVar(&platform, "platform", "", "wecom (企业微信) or mp (公众号); default: both where they differ")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		code, err := strconv.Atoi(args[0])
		if err != nil {
			return Usagef("errcode %q: give the number from the API answer, e.g. 40014", args[0])
		}
		if platform != "" && platform != api.PlatformWeCom && platform != api.PlatformMP {
			return Usagef("--platform %q: use wecom or mp", platform)
		}
		info, ok := api.LookupErrcode(platform, code)
		if !ok {
			return fail(env, asJSON, fmt.Errorf("cli: errcode %d is not in the catalogue; search it in the official docs (错误码查询)", code))
		}
		// Without --platform, a code the platforms read differently is
		// shown per platform rather than as the shared compromise.
		per := map[string]api.ErrcodeInfo{}
		if platform == "" {
			for _, p := range []string{api.PlatformWeCom, api.PlatformMP} {
				if pi, ok := api.PlatformErrcodes[p][code]; ok {
					per[p] = pi
				}
			}
		}
		entry := func(i api.ErrcodeInfo) map[string]any {
			return map[string]any{"meaning": i.Meaning, "check": i.Check, "meaningZH": i.MeaningZH, "checkZH": i.CheckZH}
		}
		if asJSON {
			out := entry(info)
			out["ok"], out["errcode"] = true, code
			if platform != "" {
				out["platform"] = platform
			}
			if len(per) > 0 {
				ps := map[string]any{}
				for p, pi := range per {
					ps[p] = entry(pi)
				}
				out["platforms"] = ps
			}
			return PrintJSON(env.Stdout, out)
		}
		print := func(label string, i api.ErrcodeInfo) {
			fmt.Fprintf(env.Stdout, "%d%s: %s\n  check: %s\n  含义: %s\n  排查: %s\n", code, label, i.Meaning, i.Check, i.MeaningZH, i.CheckZH)
		}
		if len(per) == 0 {
			label := ""
			if platform != "" {
				label = " (" + platformName(platform) + ")"
			}
			print(label, info)
			return nil
		}
		for _, p := range []string{api.PlatformWeCom, api.PlatformMP} {
			if pi, ok := per[p]; ok {
				print(" ("+platformName(p)+")", pi)
			} else {
				print(" ("+platformName(p)+")", api.Errcodes[code])
			}
		}
		return nil
	}
	return cmd
}

func platformName(p string) string {
	if p == api.PlatformMP {
		return "Official Account 公众号"
	}
	return "WeCom 企业微信"
}
