package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/jssdk"
)

// jssdkMaxInput bounds the size of a check input (a config object is a few
// KiB at most).
const jssdkMaxInput = 1 << 20

func newJSSDKCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "jssdk",
		Short: "Diagnose JS-SDK configs (wx.config / wx.agentConfig) and list JS-APIs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return Usagef("jssdk: a subcommand is required (check, apis, codes)")
		},
	}
	cmd.AddCommand(newJSSDKCheckCmd(env), newJSSDKAPIsCmd(env), newJSSDKCodesCmd(env))
	return cmd
}

func newJSSDKCheckCmd(env *Env) *cobra.Command {
	var config, ticket, agentTicket string
	var now int64
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check the parameters a page passed to wx.config / wx.agentConfig",
		Long: `check reads a JSON object with what the page used
  {platform?, appId, agentId?, kind?: "config"|"agentConfig", timestamp, nonceStr,
   signature, jsApiList?, beta?, url, landingUrl?, signedUrl?, userAgent?,
   ticket?, agentTicket?, previousTicket?, now?}
and prints one line per finding (severity, code, English, Chinese, fix) and a
summary. With a ticket the signature is verified, and a wrong one is traced to
the usual backend mistake. Codes are documented in docs/diagnostics.md.
Exit status: 0 no error finding, 1 an error finding, 2 unreadable input.`,
		Example: `  wwkit jssdk check --config page-config.json
  echo '{"appId":"ww…","timestamp":1414587457,"nonceStr":"Wm3WZYTPz0wzccnW","signature":"…","url":"https://h5.example.com/p","ticket":"…"}' | wwkit jssdk check --config - --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := jssdkReadInput(env, config)
			if err == nil {
				var in jssdk.Input
				if in, err = jssdk.ParseInput(data); err == nil {
					return runJSSDKCheck(env, in, ticket, agentTicket, now, asJSON)
				}
				err = Usagef("jssdk check: %s: %v", jssdkInputName(config), err)
			}
			if asJSON {
				// --json output always carries "ok"; the usage error still
				// goes to stderr with exit status 2.
				_ = PrintJSON(env.Stdout, map[string]any{"ok": false, "message": err.Error()})
			}
			return err
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&config, "config", "-", `input JSON file, "-" for stdin`)
	SecretFlag(fs, &ticket, "ticket", "WWKIT_TICKET", "corp / Official Account jsapi_ticket to verify the signature (overrides the input's ticket)")
	SecretFlag(fs, &agentTicket, "agent-ticket", "WWKIT_AGENT_TICKET", "agent_config ticket (overrides the input's agentTicket)")
	fs.Int64Var(&now, "now", 0, "current Unix time in seconds for the skew check (default: the clock)")
	fs.BoolVar(&asJSON, "json", false, `print {"ok","findings","stringToSign"} as JSON`)
	return cmd
}

// runJSSDKCheck checks in and reports; exit 1 on any error finding.
func runJSSDKCheck(env *Env, in jssdk.Input, ticket, agentTicket string, now int64, asJSON bool) error {
	if ticket != "" {
		in.Ticket = ticket
	}
	if agentTicket != "" {
		in.AgentTicket = agentTicket
	}
	if now != 0 {
		in.Now = now
	}
	res := jssdk.Check(in)
	if asJSON {
		if err := PrintJSON(env.Stdout, res); err != nil {
			return err
		}
	} else {
		printFindings(env.Stdout, res)
	}
	if !res.OK {
		return Failed(fmt.Errorf("jssdk check: %d error findings", res.Errors()))
	}
	return nil
}

func jssdkInputName(config string) string {
	if config == "-" || config == "" {
		return "stdin"
	}
	return config
}

func jssdkReadInput(env *Env, config string) ([]byte, error) {
	var r io.Reader = env.Stdin
	if config != "-" && config != "" {
		f, err := os.Open(config)
		if err != nil {
			return nil, Usagef("jssdk check: --config: %v", err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, jssdkMaxInput+1))
	if err != nil {
		return nil, Usagef("jssdk check: reading %s: %v", jssdkInputName(config), err)
	}
	if len(data) > jssdkMaxInput {
		return nil, Usagef("jssdk check: %s is larger than %d bytes; give one config object", jssdkInputName(config), jssdkMaxInput)
	}
	return data, nil
}

var severityMark = map[jssdk.Severity]string{
	jssdk.SeverityError:   "✗ error  ",
	jssdk.SeverityWarning: "! warning",
	jssdk.SeverityInfo:    "· info   ",
}

func printFindings(w io.Writer, res jssdk.Result) {
	var nErr, nWarn, nInfo int
	for _, f := range res.Findings {
		switch f.Severity {
		case jssdk.SeverityError:
			nErr++
		case jssdk.SeverityWarning:
			nWarn++
		default:
			nInfo++
		}
		fmt.Fprintf(w, "%s %s: %s | %s | fix: %s\n", severityMark[f.Severity], f.Code, oneLine(f.Message), oneLine(f.MessageZh), oneLine(f.Fix))
	}
	verdict := "ok: the client should accept this config"
	if !res.OK {
		verdict = "FAIL: the client will reject this config"
	}
	fmt.Fprintf(w, "%d error(s), %d warning(s), %d info — %s\n", nErr, nWarn, nInfo, verdict)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func newJSSDKAPIsCmd(env *Env) *cobra.Command {
	var platform string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "apis",
		Short: "List the known JS-API names, marking agentConfig and beta requirements",
		Example: `  wwkit jssdk apis
  wwkit jssdk apis --platform mp --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch platform {
			case "", "all", jssdk.PlatformWeCom, jssdk.PlatformMP:
			default:
				return Usagef("jssdk apis: --platform must be wecom, mp or all, not %q", platform)
			}
			apis := jssdk.KnownJSAPIs(platform)
			if asJSON {
				return PrintJSON(env.Stdout, map[string]any{"ok": true, "apis": apis})
			}
			for _, a := range apis {
				var marks []string
				if a.NeedsAgentConfig {
					marks = append(marks, "agentConfig")
				}
				if a.ThirdPartyAgentConfig {
					marks = append(marks, "agentConfig(third-party)")
				}
				if a.NeedsBeta {
					marks = append(marks, "beta")
				}
				if a.MinWeCom != "" {
					marks = append(marks, "WeCom≥"+a.MinWeCom)
				}
				fmt.Fprintf(env.Stdout, "%-32s %-5s %s\n", a.Name, a.Platform, strings.Join(marks, " "))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&platform, "platform", "", "wecom, mp or all (default all)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the catalogue as JSON")
	return cmd
}

func newJSSDKCodesCmd(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "codes",
		Short: "List the diagnostic codes of jssdk check with severity, meaning and fix",
		Example: `  wwkit jssdk codes
  wwkit jssdk codes --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			codes := jssdk.Codes()
			if asJSON {
				return PrintJSON(env.Stdout, map[string]any{"ok": true, "codes": codes})
			}
			for _, c := range codes {
				fmt.Fprintf(env.Stdout, "%-30s %-7s %s | %s | fix: %s\n", c.Code, c.Severity, c.Meaning, c.MeaningZh, c.Fix)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the codes as JSON")
	return cmd
}
