package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/api"
)

func newUserCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Read WeCom members (通讯录)",
		Args:  cobra.NoArgs,
	}
	get := &cobra.Command{
		Use:     "get USERID",
		Short:   "Read a member (user/get); fields the API no longer returns are left out",
		Example: `  wwkit user get zhangsan --json`,
		Args:    cobra.ExactArgs(1),
	}
	wecomCmd(env, get, nil, func(ctx context.Context, c *api.WeCom, args []string) (map[string]any, func(io.Writer), error) {
		u, err := c.GetUser(ctx, args[0])
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{"user": u}, func(w io.Writer) {
			fmt.Fprintf(w, "userid:     %s\nname:       %s\n", u.UserID, u.Name)
			if len(u.Department) > 0 {
				fmt.Fprintf(w, "department: %s\n", strings.Trim(fmt.Sprint(u.Department), "[]"))
			}
			if u.Position != "" {
				fmt.Fprintf(w, "position:   %s\n", u.Position)
			}
			fmt.Fprintf(w, "status:     %d\n", u.Status)
		}, nil
	})
	cmd.AddCommand(get)
	addUserContactCmds(env, cmd)
	return cmd
}
