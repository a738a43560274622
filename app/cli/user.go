package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func newUserCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Read WeCom members (通讯录)",
		Args:  cobra.NoArgs,
	}
	var asJSON bool
	get := &cobra.Command{
		Use:     "get USERID",
		Short:   "Read a member (user/get); fields the API no longer returns are left out",
		Example: `  wwkit user get zhangsan --json`,
		Args:    cobra.ExactArgs(1),
	}
	cf := addConnFlags(get)
	get.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	get.RunE = func(cmd *cobra.Command, args []string) error {
		s, err := cf.open(env)
		if err != nil {
			return fail(env, asJSON, err)
		}
		defer s.close()
		ctx, cancel := s.ctx(cmd)
		defer cancel()
		c, err := s.wecom()
		if err != nil {
			return fail(env, asJSON, err)
		}
		u, err := c.GetUser(ctx, args[0])
		if err != nil {
			return fail(env, asJSON, err)
		}
		if asJSON {
			return PrintJSON(env.Stdout, map[string]any{"ok": true, "user": u})
		}
		fmt.Fprintf(env.Stdout, "userid:     %s\nname:       %s\n", u.UserID, u.Name)
		if len(u.Department) > 0 {
			fmt.Fprintf(env.Stdout, "department: %s\n", strings.Trim(fmt.Sprint(u.Department), "[]"))
		}
		if u.Position != "" {
			fmt.Fprintf(env.Stdout, "position:   %s\n", u.Position)
		}
		fmt.Fprintf(env.Stdout, "status:     %d\n", u.Status)
		return nil
	}
	cmd.AddCommand(get)
	addUserContactCmds(env, cmd)
	return cmd
}
