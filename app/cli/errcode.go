package cli

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/api"
)

func newErrcodeCmd(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "errcode CODE",
		Short: "Explain a WeCom / Official Account errcode (错误码) in English and Chinese",
		Example: `  wwkit errcode 40014
  wwkit errcode 60020 --json`,
		Args: cobra.ExactArgs(1),
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		code, err := strconv.Atoi(args[0])
		if err != nil {
			return Usagef("errcode %q: give the number from the API answer, e.g. 40014", args[0])
		}
		info, ok := api.Errcodes[code]
		if !ok {
			return fail(env, asJSON, fmt.Errorf("cli: errcode %d is not in the catalogue; search it in the official docs (错误码查询)", code))
		}
		if asJSON {
			return PrintJSON(env.Stdout, map[string]any{"ok": true, "errcode": code, "meaning": info.Meaning, "check": info.Check, "meaningZH": info.MeaningZH, "checkZH": info.CheckZH})
		}
		fmt.Fprintf(env.Stdout, "%d: %s\n  check: %s\n  含义: %s\n  排查: %s\n", code, info.Meaning, info.Check, info.MeaningZH, info.CheckZH)
		return nil
	}
	return cmd
}
