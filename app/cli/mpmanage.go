package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/api"
)

// mpCmd wires cmd to the API flags and run, which gets the Official Account
// client and the arguments; check, if set, validates arguments and flags
// before any connection is made (the MP twin of wecomCmd).
func mpCmd(env *Env, cmd *cobra.Command, check func(args []string) error, run func(ctx context.Context, c *api.MP, args []string) (map[string]any, func(io.Writer), error)) *cobra.Command {
	f := addAPIFlags(cmd, "print JSON")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if check != nil {
			if err := check(args); err != nil {
				return err
			}
		}
		return f.run(env, cmd, onMP(func(ctx context.Context, c *api.MP) (map[string]any, func(io.Writer), error) {
			return run(ctx, c, args)
		}))
	}
	return cmd
}

func printLine(s string) func(io.Writer) { return func(w io.Writer) { fmt.Fprintln(w, s) } }

// --- customer-service accounts (客服账号) ---

func newMPKFCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "kf",
		Short: "Customer-service accounts (客服账号): list, add, update, delete",
		Args:  cobra.NoArgs,
	}
	list := mpCmd(env, &cobra.Command{
		Use:     "list",
		Short:   "List the customer-service accounts (customservice/getkflist)",
		Example: "  wwkit mp kf list\n  wwkit mp kf list --json",
		Args:    cobra.NoArgs,
	}, nil, func(ctx context.Context, c *api.MP, args []string) (map[string]any, func(io.Writer), error) {
		r, err := c.ListKFAccounts(ctx)
		if err != nil {
			return nil, nil, err
		}
		list := r.KFList
		if list == nil {
			list = []api.KFInfo{}
		}
		return map[string]any{"kf_list": list}, func(w io.Writer) {
			for _, k := range list {
				fmt.Fprintf(w, "%s\t%s\t%s\n", k.KFID, k.KFAccount, k.KFNick)
			}
		}, nil
	})

	var nick string
	kfCheck := func(args []string) error {
		if err := api.CheckKFAccount(api.KFAccountBody{KFAccount: args[0], Nickname: nick}); err != nil {
			return Usagef("%s", strings.TrimPrefix(err.Error(), "api: "))
		}
		return nil
	}
	add := mpCmd(env, &cobra.Command{
		Use:   "add KF_ACCOUNT --nickname NAME",
		Short: "Add a customer-service account (customservice/kfaccount/add)",
		Long: `add creates a customer-service account. KF_ACCOUNT is prefix@公众号微信号: a
prefix of 1 to 10 letters, digits or _, then the account's WeChat ID (set one in
the MP console first; the emulator uses the original ID gh_… unless its fixture
sets wechatId). The nickname is 1 to 16 characters. An account has at most 100.`,
		Example: "  wwkit mp kf add kf01@my_wechat_id --nickname 客服小王\n  wwkit mp kf add kf02@my_wechat_id --nickname 售后 --json",
		Args:    cobra.ExactArgs(1),
	}, kfCheck, func(ctx context.Context, c *api.MP, args []string) (map[string]any, func(io.Writer), error) {
		if _, err := c.AddKFAccount(ctx, &api.KFAccountBody{KFAccount: args[0], Nickname: nick}); err != nil {
			return nil, nil, err
		}
		return map[string]any{"kf_account": args[0], "nickname": nick}, printLine("added " + args[0]), nil
	})
	add.Flags().StringVar(&nick, "nickname", "", "the name users see, 1 to 16 characters (required)")

	var newNick string
	update := mpCmd(env, &cobra.Command{
		Use:     "update KF_ACCOUNT --nickname NAME",
		Short:   "Change a customer-service account's nickname (customservice/kfaccount/update)",
		Example: "  wwkit mp kf update kf01@my_wechat_id --nickname 客服小李",
		Args:    cobra.ExactArgs(1),
	}, func(args []string) error {
		if err := api.CheckKFAccount(api.KFAccountBody{KFAccount: args[0], Nickname: newNick}); err != nil {
			return Usagef("%s", strings.TrimPrefix(err.Error(), "api: "))
		}
		return nil
	}, func(ctx context.Context, c *api.MP, args []string) (map[string]any, func(io.Writer), error) {
		if _, err := c.UpdateKFAccount(ctx, &api.KFAccountBody{KFAccount: args[0], Nickname: newNick}); err != nil {
			return nil, nil, err
		}
		return map[string]any{"kf_account": args[0], "nickname": newNick}, printLine("updated " + args[0]), nil
	})
	update.Flags().StringVar(&newNick, "nickname", "", "the new nickname, 1 to 16 characters (required)")

	del := mpCmd(env, &cobra.Command{
		Use:     "delete KF_ACCOUNT",
		Aliases: []string{"del"},
		Short:   "Delete a customer-service account (customservice/kfaccount/del)",
		Example: "  wwkit mp kf delete kf01@my_wechat_id",
		Args:    cobra.ExactArgs(1),
	}, nil, func(ctx context.Context, c *api.MP, args []string) (map[string]any, func(io.Writer), error) {
		if _, err := c.DeleteKFAccount(ctx, &api.KFAccount{KFAccount: args[0]}); err != nil {
			return nil, nil, err
		}
		return map[string]any{"kf_account": args[0]}, printLine("deleted " + args[0]), nil
	})
	cmd.AddCommand(list, add, update, del)
	return cmd
}

// --- personalised menus (个性化菜单) ---

func newMPMenuCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "menu",
		Short: "Personalised menus (个性化菜单): add, delete, test which menu a follower sees; the menu in use",
		Long: `The default custom menu is managed with wwkit menu create|get|delete --mp;
personalised menus need it to exist first (errcode 65303) and disappear with it.
wwkit menu get --mp lists them (conditionalmenu).`,
		Args: cobra.NoArgs,
	}
	var file string
	add := &cobra.Command{
		Use:   "addconditional --file MENU.json",
		Short: `Create a personalised menu from JSON {"button":[…],"matchrule":{…}} (menu/addconditional)`,
		Long: `addconditional creates a menu shown to the followers its matchrule selects and
prints its menuid. Match by tag_id (tag the followers with wwkit mp tag add) and
client_platform_type (1 iOS, 2 Android, 3 others); the server refuses sex,
country, province, city and language since its privacy change (65320). When
several menus match a follower, the newest wins.`,
		Example: `  wwkit mp menu addconditional --file vip-menu.json
  echo '{"button":[{"type":"click","name":"会员","key":"vip"}],"matchrule":{"tag_id":"100"}}' | wwkit mp menu addconditional --file -`,
		Args: cobra.NoArgs,
	}
	af := addAPIFlags(add, "print JSON")
	add.Flags().StringVar(&file, "file", "-", "menu JSON file (- for stdin)")
	add.RunE = func(cmd *cobra.Command, args []string) error {
		arg := file
		if arg != "-" {
			arg = "@" + arg
		}
		raw, err := readArg(env, arg)
		if err != nil {
			return fail(env, af.asJSON, err)
		}
		m, err := parseConditionalMenu(raw)
		if err != nil {
			return err
		}
		return af.run(env, cmd, onMP(func(ctx context.Context, c *api.MP) (map[string]any, func(io.Writer), error) {
			out, err := c.AddConditionalMenu(ctx, m)
			if err != nil {
				return nil, nil, err
			}
			return map[string]any{"menuid": string(out.MenuID)}, printLine(string(out.MenuID)), nil
		}))
	}

	del := mpCmd(env, &cobra.Command{
		Use:     "delconditional MENUID",
		Short:   "Delete a personalised menu by its menuid (menu/delconditional)",
		Example: "  wwkit mp menu delconditional 208379533",
		Args:    cobra.ExactArgs(1),
	}, func(args []string) error {
		if strings.TrimSpace(args[0]) == "" {
			return Usagef("MENUID is empty: take it from wwkit mp menu addconditional or wwkit menu get --mp")
		}
		return nil
	}, func(ctx context.Context, c *api.MP, args []string) (map[string]any, func(io.Writer), error) {
		if _, err := c.DeleteConditionalMenu(ctx, &api.MenuIDBody{MenuID: api.FlexString(args[0])}); err != nil {
			return nil, nil, err
		}
		return map[string]any{"menuid": args[0]}, printLine("deleted personalised menu " + args[0]), nil
	})

	try := mpCmd(env, &cobra.Command{
		Use:     "trymatch USER_ID",
		Short:   "Print the menu a follower sees, by openid or WeChat ID (menu/trymatch)",
		Example: "  wwkit mp menu trymatch o6_bmjrPTlm6_2sgVt7hMZOPfL2M\n  wwkit mp menu trymatch o6_bmjrPTlm6_2sgVt7hMZOPfL2M --json",
		Args:    cobra.ExactArgs(1),
	}, nil, func(ctx context.Context, c *api.MP, args []string) (map[string]any, func(io.Writer), error) {
		m, err := c.TryMatchMenu(ctx, &api.TryMatchRequest{UserID: args[0]})
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{"button": m.Button}, func(w io.Writer) { PrintJSON(w, map[string]any{"button": m.Button}) }, nil
	})
	current := mpCmd(env, &cobra.Command{
		Use:   "current",
		Short: "Print the menu in use, set through the API or in the MP console (get_current_selfmenu_info)",
		Long: `current prints is_menu_open and the menu the account uses now, whether it was
set with menu/create or by an operator in the MP console (whose buttons carry
value / news_info instead of key / url). Personalised menus are not part of
it: list them with wwkit menu get --mp.`,
		Example: "  wwkit mp menu current\n  wwkit mp menu current --json",
		Args:    cobra.NoArgs,
	}, nil, func(ctx context.Context, c *api.MP, args []string) (map[string]any, func(io.Writer), error) {
		r, err := c.GetCurrentSelfMenu(ctx)
		if err != nil {
			return nil, nil, err
		}
		buttons := r.SelfMenuInfo.Button
		if buttons == nil {
			buttons = []api.SelfMenuButton{}
		}
		out := map[string]any{"is_menu_open": r.IsMenuOpen, "selfmenu_info": map[string]any{"button": buttons}}
		return out, func(w io.Writer) { PrintJSON(w, out) }, nil
	})
	cmd.AddCommand(add, del, try, current)
	return cmd
}

// parseConditionalMenu reads a personalised menu and refuses, before any
// call, one the server would refuse for its matchrule.
func parseConditionalMenu(raw string) (*api.ConditionalMenu, error) {
	var m api.ConditionalMenu
	if err := json.Unmarshal([]byte(raw), &m); err != nil || len(m.Button) == 0 {
		return nil, Usagef(`the menu must be JSON {"button":[…],"matchrule":{…}} with 1 to 3 buttons (%v)`, err)
	}
	r := m.MatchRule
	switch {
	case r.Sex != "" || r.Language != "" || r.Country != "" || r.Province != "" || r.City != "":
		return nil, Usagef(`"matchrule" selects by sex, region or language, which personalised menus no longer take (errcode 65320): tag those followers (wwkit mp tag add) and set "tag_id"`)
	case r.TagID == "" && r.ClientPlatformType == "" && r.GroupID == "":
		return nil, Usagef(`the menu needs "matchrule" with "tag_id" or "client_platform_type"; to replace the default menu use wwkit menu create --mp`)
	}
	return &m, nil
}

// --- permanent material (永久素材) ---

func newMPMaterialCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "material",
		Short: "Permanent material (永久素材): add, get, list, delete, count",
		Long: `Permanent material stays until deleted, unlike the temporary media of
wwkit media upload --mp (3 days). An account keeps up to 100 000 images and
1000 of each other type.`,
		Args: cobra.NoArgs,
	}

	var typ, title, intro string
	add := mpCmd(env, &cobra.Command{
		Use:   "add FILE --type image|voice|video|thumb",
		Short: "Upload a permanent material and print its media_id (material/add_material)",
		Long: `add uploads FILE. Limits: image 10 MB (bmp/png/jpeg/jpg/gif), voice 2 MB and
60 s (mp3/wma/wav/amr), video 10 MB (mp4, needs --title and --introduction),
thumb 64 KB (jpg). An image also prints its URL, usable inside Tencent domains.`,
		Example: `  wwkit mp material add logo.png --type image
  wwkit mp material add intro.mp4 --type video --title 开业视频 --introduction 门店开业当天 --json`,
		Args: cobra.ExactArgs(1),
	}, func(args []string) error {
		switch typ {
		case "image", "voice", "thumb":
		case "video":
			if title == "" {
				return Usagef("a video needs --title (and --introduction): they are its description")
			}
		default:
			return Usagef("--type must be image, voice, video or thumb")
		}
		return nil
	}, func(ctx context.Context, c *api.MP, args []string) (map[string]any, func(io.Writer), error) {
		f, err := os.Open(args[0])
		if err != nil {
			return nil, nil, fmt.Errorf("cli: %w", err)
		}
		defer f.Close()
		desc := ""
		if typ == "video" {
			desc = api.VideoDescription(title, intro)
		}
		r, err := c.AddMaterial(ctx, typ, desc, filepath.Base(args[0]), f)
		if err != nil {
			return nil, nil, err
		}
		out := map[string]any{"type": typ, "media_id": r.MediaID}
		if r.URL != "" {
			out["url"] = r.URL
		}
		return out, func(w io.Writer) {
			fmt.Fprintln(w, r.MediaID)
			if r.URL != "" {
				fmt.Fprintln(w, r.URL)
			}
		}, nil
	})
	add.Flags().StringVar(&typ, "type", "", "image, voice, video or thumb (required)")
	add.Flags().StringVar(&title, "title", "", "video title (videos only)")
	add.Flags().StringVar(&intro, "introduction", "", "video introduction (videos only)")

	var out string
	get := &cobra.Command{
		Use:   "get MEDIA_ID",
		Short: "Download a permanent material to a file (-o) or stdout (-o -); a video prints its title and download URL",
		Example: `  wwkit mp material get MEDIA_ID -o logo.png
  wwkit mp material get VIDEO_MEDIA_ID --json`,
		Args: cobra.ExactArgs(1),
	}
	gf := addAPIFlags(get, "print JSON about the download")
	get.Flags().StringVarP(&out, "output", "o", "", "where to write the file (- for stdout; default: the server's file name in the current directory)")
	get.RunE = func(cmd *cobra.Command, args []string) error {
		if out == "-" && gf.asJSON {
			return Usagef("--json and -o - both write to stdout; pick one")
		}
		return gf.run(env, cmd, onMP(func(ctx context.Context, c *api.MP) (map[string]any, func(io.Writer), error) {
			m, err := c.GetMaterial(ctx, &api.MediaIDRef{MediaID: args[0]})
			if err != nil {
				return nil, nil, err
			}
			if m.DownURL != "" {
				return map[string]any{"title": m.Title, "description": m.Description, "down_url": m.DownURL}, func(w io.Writer) {
					fmt.Fprintf(w, "title:       %s\ndescription: %s\ndown_url:    %s\n", m.Title, m.Description, m.DownURL)
				}, nil
			}
			dest := out
			if dest == "" {
				dest = filepath.Base(m.Filename)
				if dest == "" || dest == "." || dest == "/" {
					dest = args[0]
				}
			}
			if dest == "-" {
				return nil, func(w io.Writer) { w.Write(m.Body) }, nil
			}
			if err := os.WriteFile(dest, m.Body, 0o644); err != nil {
				return nil, nil, fmt.Errorf("cli: %w", err)
			}
			return map[string]any{"file": dest, "bytes": len(m.Body), "content_type": m.ContentType}, func(io.Writer) {
				fmt.Fprintf(env.Stderr, "wrote %s (%d bytes, %s)\n", dest, len(m.Body), m.ContentType)
			}, nil
		}))
	}

	var listType string
	var offset, count int
	list := mpCmd(env, &cobra.Command{
		Use:     "list --type image|voice|video|news",
		Short:   "List permanent materials of one type, newest first (material/batchget_material)",
		Example: "  wwkit mp material list --type image\n  wwkit mp material list --type video --offset 20 --count 20 --json",
		Args:    cobra.NoArgs,
	}, func([]string) error {
		if listType != "image" && listType != "voice" && listType != "video" && listType != "news" {
			return Usagef("--type must be image, voice, video or news")
		}
		if count < 1 || count > 20 || offset < 0 {
			return Usagef("--count must be 1 to 20 and --offset at least 0")
		}
		return nil
	}, func(ctx context.Context, c *api.MP, args []string) (map[string]any, func(io.Writer), error) {
		r, err := c.BatchGetMaterial(ctx, &api.MaterialListRequest{Type: listType, Offset: offset, Count: count})
		if err != nil {
			return nil, nil, err
		}
		items := r.Item
		if items == nil {
			items = []api.MaterialItem{}
		}
		return map[string]any{"total_count": r.TotalCount, "item_count": r.ItemCount, "item": items}, func(w io.Writer) {
			for _, it := range items {
				fmt.Fprintf(w, "%s\t%s\t%d\n", it.MediaID, it.Name, it.UpdateTime)
			}
			fmt.Fprintf(w, "%d of %d\n", len(items), r.TotalCount)
		}, nil
	})
	list.Flags().StringVar(&listType, "type", "", "image, voice, video or news (required)")
	list.Flags().IntVar(&offset, "offset", 0, "skip this many (newest first)")
	list.Flags().IntVar(&count, "count", 20, "how many, 1 to 20")

	del := mpCmd(env, &cobra.Command{
		Use:     "delete MEDIA_ID",
		Aliases: []string{"del"},
		Short:   "Delete a permanent material (material/del_material)",
		Example: "  wwkit mp material delete MEDIA_ID",
		Args:    cobra.ExactArgs(1),
	}, nil, func(ctx context.Context, c *api.MP, args []string) (map[string]any, func(io.Writer), error) {
		if _, err := c.DeleteMaterial(ctx, &api.MediaIDRef{MediaID: args[0]}); err != nil {
			return nil, nil, err
		}
		return map[string]any{"media_id": args[0]}, printLine("deleted " + args[0]), nil
	})

	cnt := mpCmd(env, &cobra.Command{
		Use:     "count",
		Short:   "Count the permanent materials per type (material/get_materialcount)",
		Example: "  wwkit mp material count --json",
		Args:    cobra.NoArgs,
	}, nil, func(ctx context.Context, c *api.MP, args []string) (map[string]any, func(io.Writer), error) {
		r, err := c.GetMaterialCount(ctx)
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{"image_count": r.ImageCount, "voice_count": r.VoiceCount, "video_count": r.VideoCount, "news_count": r.NewsCount},
			func(w io.Writer) {
				fmt.Fprintf(w, "image: %d\nvoice: %d\nvideo: %d\nnews:  %d\n", r.ImageCount, r.VoiceCount, r.VideoCount, r.NewsCount)
			}, nil
	})
	cmd.AddCommand(add, get, list, del, cnt)
	return cmd
}

// newMPFollowerBatchCmd is mp follower batchget.
func newMPFollowerBatchCmd(env *Env) *cobra.Command {
	var lang string
	cmd := mpCmd(env, &cobra.Command{
		Use:   "batchget OPENID...",
		Short: "Read up to 100 followers at once (user/info/batchget)",
		Example: `  wwkit mp follower batchget o6_bmjrPTlm6_2sgVt7hMZOPfL2M oAbCdEf0123456789abcdefghij --json
  wwkit mp follower list --json | jq -r '.openids[:100][]' | xargs wwkit mp follower batchget`,
		Args: cobra.MinimumNArgs(1),
	}, func(args []string) error {
		if len(args) > api.MaxBatchFollowers {
			return Usagef("%d openids given; user/info/batchget takes at most %d: split them into several calls", len(args), api.MaxBatchFollowers)
		}
		if lang != "zh_CN" && lang != "zh_TW" && lang != "en" {
			return Usagef("--lang must be zh_CN, zh_TW or en")
		}
		return nil
	}, func(ctx context.Context, c *api.MP, args []string) (map[string]any, func(io.Writer), error) {
		req, err := api.BatchFollowerRequest(args, lang)
		if err != nil {
			return nil, nil, err
		}
		r, err := c.BatchGetFollowers(ctx, req)
		if err != nil {
			return nil, nil, err
		}
		list := r.UserInfoList
		if list == nil {
			list = []api.Follower{}
		}
		return map[string]any{"user_info_list": list}, func(w io.Writer) {
			for _, f := range list {
				fmt.Fprintf(w, "%s\tsubscribed=%v\ttags=%v\n", f.OpenID, f.Subscribe == 1, f.TagIDList)
			}
		}, nil
	})
	cmd.Flags().StringVar(&lang, "lang", "zh_CN", "zh_CN, zh_TW or en")
	return cmd
}
