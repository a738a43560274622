package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/api"
)

// newTagCmd is `wwkit tag`: WeCom contact tags (标签). The Official
// Account's user tags are `wwkit mp tag`.
func newTagCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tag",
		Short: "Read WeCom contact tags (标签) and add or remove their members",
		Long: `tag reads the corp's contact tags (标签) and adds or removes members and
departments. Official Account user tags are "wwkit mp tag".`,
		Args: cobra.NoArgs,
	}
	list := &cobra.Command{
		Use:     "list",
		Short:   "List the tags (tag/list)",
		Example: `  wwkit tag list --json`,
		Args:    cobra.NoArgs,
	}
	wecomCmd(env, list, nil, func(ctx context.Context, c *api.WeCom, _ []string) (map[string]any, func(io.Writer), error) {
		l, err := c.ListContactTags(ctx)
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{"taglist": l.TagList}, func(w io.Writer) {
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "TAGID\tNAME")
			for _, t := range l.TagList {
				fmt.Fprintf(tw, "%d\t%s\n", t.TagID, t.TagName)
			}
			tw.Flush()
		}, nil
	})
	get := &cobra.Command{
		Use:     "get TAGID",
		Short:   "List a tag's members and departments (tag/get)",
		Example: `  wwkit tag get 1`,
		Args:    cobra.ExactArgs(1),
	}
	wecomCmd(env, get, func(a []string) error { _, err := contactTagID(a[0]); return err },
		func(ctx context.Context, c *api.WeCom, a []string) (map[string]any, func(io.Writer), error) {
			d, err := c.GetContactTag(ctx, a[0])
			if err != nil {
				return nil, nil, err
			}
			return map[string]any{"tagname": d.TagName, "userlist": d.UserList, "partylist": d.PartyList}, func(w io.Writer) {
				fmt.Fprintf(w, "tag: %s\n", d.TagName)
				for _, u := range d.UserList {
					fmt.Fprintf(w, "member %s %s\n", u.UserID, u.Name)
				}
				for _, p := range d.PartyList {
					fmt.Fprintf(w, "department %d\n", p)
				}
			}, nil
		})
	cmd.AddCommand(list, get, tagMembersCmd(env, true), tagMembersCmd(env, false))
	return cmd
}

func contactTagID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, Usagef("TAGID %q: give the numeric tag id (wwkit tag list shows them)", s)
	}
	return id, nil
}

// tagMembersCmd is `tag add` (add true) or `tag remove`.
func tagMembersCmd(env *Env, add bool) *cobra.Command {
	var dept string
	var body api.ContactTagUsers
	cmd := &cobra.Command{
		Use:   "add TAGID [USERID…] [--department IDS]",
		Short: "Tag members and departments (tag/addtagusers)",
		Example: `  wwkit tag add 1 wangwu zhaoliu
  wwkit tag add 1 --department 3 --json`,
		Args: cobra.MinimumNArgs(1),
	}
	if !add {
		cmd.Use = "remove TAGID [USERID…] [--department IDS]"
		cmd.Short = "Remove members and departments from a tag (tag/deltagusers)"
		cmd.Example = `  wwkit tag remove 1 zhangsan`
	}
	cmd.Flags().StringVar(&dept, "department", "", "department ids, comma-separated")
	check := func(a []string) error {
		id, err := contactTagID(a[0])
		if err != nil {
			return err
		}
		body.TagID, body.UserList = id, a[1:]
		if dept != "" {
			if body.PartyList, err = departmentIDs(dept); err != nil {
				return err
			}
		}
		if len(body.UserList) == 0 && len(body.PartyList) == 0 {
			return Usagef("give at least one USERID or --department")
		}
		return nil
	}
	return wecomCmd(env, cmd, check, func(ctx context.Context, c *api.WeCom, _ []string) (map[string]any, func(io.Writer), error) {
		call := c.AddContactTagUsers
		if !add {
			call = c.DeleteContactTagUsers
		}
		r, err := call(ctx, &body)
		if err != nil {
			return nil, nil, err
		}
		out := map[string]any{"tagid": body.TagID, "invalidlist": r.InvalidList, "invalidparty": r.InvalidParty}
		return out, func(w io.Writer) {
			fmt.Fprintf(w, "tag %d updated\n", body.TagID)
			if r.InvalidList != "" {
				fmt.Fprintf(w, "invalid members (unknown or outside the visible range): %s\n", strings.ReplaceAll(r.InvalidList, "|", ", "))
			}
			if len(r.InvalidParty) > 0 {
				fmt.Fprintf(w, "invalid departments: %s\n", joinIDs(r.InvalidParty))
			}
		}, nil
	})
}
