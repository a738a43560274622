package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/api"
)

func newMenuCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "menu",
		Short: "Create, read or delete the app menu (WeCom) or custom menu (--mp)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newMenuCreateCmd(env), newMenuSimpleCmd(env, "get"), newMenuSimpleCmd(env, "delete"))
	return cmd
}

func newMenuCreateCmd(env *Env) *cobra.Command {
	var file string
	var mp bool
	cmd := &cobra.Command{
		Use:   "create",
		Short: `Replace the menu with a JSON {"button":[…]} (--file PATH, or - for stdin)`,
		Example: `  wwkit menu create --file menu.json
  wwkit menu create --mp --file menu.json
  echo '{"button":[{"type":"click","name":"今日","key":"today"}]}' | wwkit menu create --file -`,
		Args: cobra.NoArgs,
	}
	f := addAPIFlags(cmd, "print JSON")
	cmd.Flags().StringVar(&file, "file", "-", "menu JSON file (- for stdin)")
	cmd.Flags().BoolVar(&mp, "mp", false, "the Official Account's custom menu instead of the WeCom app's")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		arg := file
		if arg != "-" {
			arg = "@" + file
		}
		raw, err := readArg(env, arg)
		if err != nil {
			return fail(env, f.asJSON, err)
		}
		var top map[string]json.RawMessage
		if json.Unmarshal([]byte(raw), &top) == nil {
			if _, ok := top["matchrule"]; ok {
				return Usagef(`the menu has "matchrule": that makes it a conditional menu (个性化菜单, menu/addconditional), which menu create does not send: create it with wwkit mp menu addconditional, or remove "matchrule" to replace the default menu`)
			}
		}
		var m api.Menu
		if err := json.Unmarshal([]byte(raw), &m); err != nil || len(m.Button) == 0 {
			return Usagef(`the menu must be JSON {"button":[…]} with 1 to 3 buttons (%v)`, err)
		}
		return f.run(env, cmd, func(ctx context.Context, s *session) (map[string]any, func(io.Writer), error) {
			var err error
			if mp {
				var c *api.MP
				if c, err = s.mp(); err == nil {
					_, err = c.CreateMenu(ctx, &m)
				}
			} else {
				var c *api.WeCom
				if c, err = s.wecom(); err == nil {
					_, err = c.CreateMenu(ctx, &m)
				}
			}
			if err != nil {
				return nil, nil, err
			}
			return map[string]any{"buttons": len(m.Button)}, func(w io.Writer) {
				fmt.Fprintf(w, "menu created (%d top-level buttons)\n", len(m.Button))
			}, nil
		})
	}
	return cmd
}

func newMenuSimpleCmd(env *Env, verb string) *cobra.Command {
	var mp bool
	cmd := &cobra.Command{
		Use:   verb,
		Short: map[string]string{"get": "Print the current menu as JSON (with --mp also the personalised menus)", "delete": "Delete the menu (with --mp also every personalised menu)"}[verb],
		Example: `  wwkit menu ` + verb + `
  wwkit menu ` + verb + ` --mp --json`,
		Args: cobra.NoArgs,
	}
	f := addAPIFlags(cmd, "print JSON with \"ok\"")
	cmd.Flags().BoolVar(&mp, "mp", false, "the Official Account's custom menu instead of the WeCom app's")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		return f.run(env, cmd, func(ctx context.Context, s *session) (map[string]any, func(io.Writer), error) {
			var menu *api.Menu
			var conditional []api.ConditionalMenu
			var err error
			if mp {
				var c *api.MP
				if c, err = s.mp(); err == nil {
					if verb == "get" {
						var r *api.MPMenu
						if r, err = c.GetMenu(ctx); err == nil {
							menu, conditional = &r.Menu, r.ConditionalMenu
						}
					} else {
						_, err = c.DeleteMenu(ctx)
					}
				}
			} else {
				var c *api.WeCom
				if c, err = s.wecom(); err == nil {
					if verb == "get" {
						menu, err = c.GetMenu(ctx)
					} else {
						_, err = c.DeleteMenu(ctx)
					}
				}
			}
			if err != nil {
				return nil, nil, err
			}
			if verb == "delete" {
				return nil, func(w io.Writer) { fmt.Fprintln(w, "menu deleted") }, nil
			}
			if conditional != nil {
				// The personalised menus (个性化菜单) and the default
				// menu's menuid, as menu/get answers them.
				all := map[string]any{"button": menu.Button, "menuid": menu.MenuID, "conditionalmenu": conditional}
				return all, func(w io.Writer) { PrintJSON(w, all) }, nil
			}
			return map[string]any{"button": menu.Button}, func(w io.Writer) { PrintJSON(w, menu) }, nil
		})
	}
	return cmd
}
