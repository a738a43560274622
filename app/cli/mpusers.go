package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/api"
)

// tagID parses a tag id argument.
func tagID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 0 {
		return 0, Usagef("tag id %q: give the number from `wwkit mp tag list`", s)
	}
	return id, nil
}

func newMPFollowerCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "follower",
		Aliases: []string{"followers"},
		Short:   "Followers (用户管理): list them, read one, list one's tags",
		Args:    cobra.NoArgs,
	}

	var next string
	var all, asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List followers' openids (user/get), a page of up to 10000 at a time",
		Long: `list prints the openids of the account's followers. A page holds up to 10000;
the next page starts after --next OPENID (the last openid printed, also in
"next_openid"). --all follows the pages to the end.`,
		Example: `  wwkit mp follower list
  wwkit mp follower list --all --json
  wwkit mp follower list --next o6_bmjrPTlm6_2sgVt7hMZOPfL2M`,
		Args: cobra.NoArgs,
	}
	cf := addConnFlags(list)
	list.Flags().StringVar(&next, "next", "", "start after this openid (next_openid of the previous page)")
	list.Flags().BoolVar(&all, "all", false, "follow every page")
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	list.RunE = func(cmd *cobra.Command, args []string) error {
		return mpCall(env, cmd, cf, asJSON, func(ctx context.Context, c *api.MP) (map[string]any, string, error) {
			var ids []string
			total, cursor := 0, next
			for page := 0; ; page++ {
				r, err := c.ListFollowers(ctx, cursor)
				if err != nil {
					return nil, "", err
				}
				ids = append(ids, r.Data.OpenID...)
				total, cursor = r.Total, r.NextOpenID
				// An empty page or one that ends where it began is the
				// end; the page bound guards against a server that
				// never says so.
				if !all || r.Count == 0 || cursor == "" || page > 10000 {
					break
				}
			}
			if ids == nil {
				ids = []string{}
			}
			text := strings.Join(ids, "\n")
			if text != "" {
				text += "\n"
			}
			return map[string]any{"total": total, "count": len(ids), "openids": ids, "next_openid": cursor}, text, nil
		})
	}

	var lang string
	var getJSON bool
	get := &cobra.Command{
		Use:   "get OPENID",
		Short: "Read a follower (user/info): subscribed, since when, remark, tags",
		Example: `  wwkit mp follower get o6_bmjrPTlm6_2sgVt7hMZOPfL2M
  wwkit mp follower get o6_bmjrPTlm6_2sgVt7hMZOPfL2M --json`,
		Args: cobra.ExactArgs(1),
	}
	gcf := addConnFlags(get)
	get.Flags().StringVar(&lang, "lang", "zh_CN", "zh_CN, zh_TW or en")
	get.Flags().BoolVar(&getJSON, "json", false, "print JSON")
	get.RunE = func(cmd *cobra.Command, args []string) error {
		return mpCall(env, cmd, gcf, getJSON, func(ctx context.Context, c *api.MP) (map[string]any, string, error) {
			f, err := c.GetFollower(ctx, args[0], lang)
			if err != nil {
				return nil, "", err
			}
			tags := f.TagIDList
			if tags == nil {
				tags = []int64{}
			}
			out := map[string]any{"openid": f.OpenID, "subscribe": f.Subscribe, "subscribe_time": f.SubscribeTime,
				"unionid": f.UnionID, "remark": f.Remark, "tagid_list": tags, "language": f.Language}
			text := fmt.Sprintf("openid:    %s\nsubscribed: %v\n", f.OpenID, f.Subscribe == 1)
			if f.SubscribeTime != 0 {
				text += fmt.Sprintf("since:     %d\n", f.SubscribeTime)
			}
			if f.UnionID != "" {
				text += "unionid:   " + f.UnionID + "\n"
			}
			if f.Remark != "" {
				text += "remark:    " + f.Remark + "\n"
			}
			text += fmt.Sprintf("tags:      %v\n", tags)
			return out, text, nil
		})
	}

	var tagsJSON bool
	tags := &cobra.Command{
		Use:     "tags OPENID",
		Short:   "List the tag ids of one follower (tags/getidlist)",
		Example: `  wwkit mp follower tags o6_bmjrPTlm6_2sgVt7hMZOPfL2M --json`,
		Args:    cobra.ExactArgs(1),
	}
	tcf := addConnFlags(tags)
	tags.Flags().BoolVar(&tagsJSON, "json", false, "print JSON")
	tags.RunE = func(cmd *cobra.Command, args []string) error {
		return mpCall(env, cmd, tcf, tagsJSON, func(ctx context.Context, c *api.MP) (map[string]any, string, error) {
			r, err := c.GetFollowerTags(ctx, &api.OpenIDBody{OpenID: args[0]})
			if err != nil {
				return nil, "", err
			}
			ids := r.TagIDList
			if ids == nil {
				ids = []int64{}
			}
			return map[string]any{"openid": args[0], "tagid_list": ids}, fmt.Sprintf("%v\n", ids), nil
		})
	}
	cmd.AddCommand(list, get, tags, newMPFollowerBatchCmd(env))
	return cmd
}

func newMPTagCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "tag",
		Aliases: []string{"tags"},
		Short:   "Follower tags (用户标签): list, create, rename, delete, tag and untag followers",
		Long: `tag manages the account's follower tags. Tags 0, 1 and 2 are reserved by WeChat
(errcode 45058); an account has at most 100 tags and a follower at most 20.`,
		Args: cobra.NoArgs,
	}
	type leaf struct {
		use, short, example string
		args                cobra.PositionalArgs
		run                 func(ctx context.Context, c *api.MP, args []string) (map[string]any, string, error)
	}
	leaves := []leaf{
		{"list", "List tags with their follower counts (tags/get)", "  wwkit mp tag list\n  wwkit mp tag list --json", cobra.NoArgs,
			func(ctx context.Context, c *api.MP, args []string) (map[string]any, string, error) {
				r, err := c.GetTags(ctx)
				if err != nil {
					return nil, "", err
				}
				var b strings.Builder
				list := make([]map[string]any, 0, len(r.Tags))
				for _, t := range r.Tags {
					fmt.Fprintf(&b, "%d\t%s\t%d\n", t.ID, t.Name, t.Count)
					list = append(list, map[string]any{"id": t.ID, "name": t.Name, "count": t.Count})
				}
				return map[string]any{"tags": list}, b.String(), nil
			}},
		{"create NAME", "Create a tag (tags/create); prints its id", "  wwkit mp tag create 重要客户", cobra.ExactArgs(1),
			func(ctx context.Context, c *api.MP, args []string) (map[string]any, string, error) {
				if args[0] == "" || len(args[0]) > 30 {
					return nil, "", Usagef("tag name %q: 1 to 30 bytes", args[0])
				}
				r, err := c.CreateTag(ctx, &api.TagBody{Tag: api.Tag{Name: args[0]}})
				if err != nil {
					return nil, "", err
				}
				return map[string]any{"id": r.Tag.ID, "name": r.Tag.Name}, fmt.Sprintf("created tag %d %s\n", r.Tag.ID, r.Tag.Name), nil
			}},
		{"rename ID NAME", "Rename a tag (tags/update)", "  wwkit mp tag rename 100 老客户", cobra.ExactArgs(2),
			func(ctx context.Context, c *api.MP, args []string) (map[string]any, string, error) {
				id, err := tagID(args[0])
				if err != nil {
					return nil, "", err
				}
				if args[1] == "" || len(args[1]) > 30 {
					return nil, "", Usagef("tag name %q: 1 to 30 bytes", args[1])
				}
				if _, err := c.UpdateTag(ctx, &api.TagBody{Tag: api.Tag{ID: id, Name: args[1]}}); err != nil {
					return nil, "", err
				}
				return map[string]any{"id": id, "name": args[1]}, fmt.Sprintf("renamed tag %d to %s\n", id, args[1]), nil
			}},
		{"delete ID", "Delete a tag (tags/delete); its followers lose it", "  wwkit mp tag delete 100", cobra.ExactArgs(1),
			func(ctx context.Context, c *api.MP, args []string) (map[string]any, string, error) {
				id, err := tagID(args[0])
				if err != nil {
					return nil, "", err
				}
				if _, err := c.DeleteTag(ctx, &api.TagBody{Tag: api.Tag{ID: id}}); err != nil {
					return nil, "", err
				}
				return map[string]any{"id": id}, fmt.Sprintf("deleted tag %d\n", id), nil
			}},
		{"add ID OPENID...", "Tag up to 50 followers (tags/members/batchtagging)", "  wwkit mp tag add 100 OPENID1 OPENID2", cobra.RangeArgs(2, 51),
			func(ctx context.Context, c *api.MP, args []string) (map[string]any, string, error) {
				id, err := tagID(args[0])
				if err != nil {
					return nil, "", err
				}
				if _, err := c.TagFollowers(ctx, &api.TagMembers{TagID: id, OpenIDList: args[1:]}); err != nil {
					return nil, "", err
				}
				return map[string]any{"id": id, "openids": args[1:]}, fmt.Sprintf("tagged %d follower(s) with %d\n", len(args)-1, id), nil
			}},
		{"remove ID OPENID...", "Untag up to 50 followers (tags/members/batchuntagging)", "  wwkit mp tag remove 100 OPENID1", cobra.RangeArgs(2, 51),
			func(ctx context.Context, c *api.MP, args []string) (map[string]any, string, error) {
				id, err := tagID(args[0])
				if err != nil {
					return nil, "", err
				}
				if _, err := c.UntagFollowers(ctx, &api.TagMembers{TagID: id, OpenIDList: args[1:]}); err != nil {
					return nil, "", err
				}
				return map[string]any{"id": id, "openids": args[1:]}, fmt.Sprintf("untagged %d follower(s) from %d\n", len(args)-1, id), nil
			}},
		{"followers ID", "List the followers with a tag (user/tag/get)", "  wwkit mp tag followers 100 --json", cobra.ExactArgs(1),
			func(ctx context.Context, c *api.MP, args []string) (map[string]any, string, error) {
				id, err := tagID(args[0])
				if err != nil {
					return nil, "", err
				}
				r, err := c.GetTagFollowers(ctx, &api.TagFollowersRequest{TagID: id})
				if err != nil {
					return nil, "", err
				}
				ids := r.Data.OpenID
				if ids == nil {
					ids = []string{}
				}
				text := strings.Join(ids, "\n")
				if text != "" {
					text += "\n"
				}
				return map[string]any{"id": id, "count": r.Count, "openids": ids, "next_openid": r.NextOpenID}, text, nil
			}},
	}
	for _, l := range leaves {
		var asJSON bool
		sub := &cobra.Command{Use: l.use, Short: l.short, Example: l.example, Args: l.args}
		cf := addConnFlags(sub)
		sub.Flags().BoolVar(&asJSON, "json", false, "print JSON")
		run := l.run
		sub.RunE = func(cmd *cobra.Command, args []string) error {
			return mpCall(env, cmd, cf, asJSON, func(ctx context.Context, c *api.MP) (map[string]any, string, error) {
				return run(ctx, c, args)
			})
		}
		cmd.AddCommand(sub)
	}
	return cmd
}
