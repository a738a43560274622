package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/api"
)

// newCustomerCmd is `wwkit customer`: the customer-contact (客户联系) reads
// a sidebar page (会话侧边栏) does on its server.
func newCustomerCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "customer",
		Short: "Read customers (客户) and customer groups (客户群) of WeCom customer contact",
		Long: `customer reads what a sidebar page (会话侧边栏) gets from getCurExternalContact
(an external_userid) or getCurExternalChat (a chat_id). The app needs the
customer-contact permission (客户联系) and the member must be in its visible range.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newCustomerListCmd(env), newCustomerGetCmd(env), newCustomerGroupCmd(env))
	return cmd
}

func newCustomerListCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "list USERID",
		Short:   "List the external_userids of a member's customers (externalcontact/list)",
		Example: `  wwkit customer list zhaoliu --json`,
		Args:    cobra.ExactArgs(1),
	}
	return wecomCmd(env, cmd, nil, func(ctx context.Context, c *api.WeCom, args []string) (map[string]any, func(io.Writer), error) {
		l, err := c.ListExternalContacts(ctx, args[0])
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{"external_userid": l.ExternalUserIDs}, func(w io.Writer) {
			for _, id := range l.ExternalUserIDs {
				fmt.Fprintln(w, id)
			}
		}, nil
	})
}

func newCustomerGetCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "get EXTERNAL_USERID",
		Short:   "Read a customer and the members following them (externalcontact/get)",
		Example: `  wwkit customer get wmXXXXXXXX --json`,
		Args:    cobra.ExactArgs(1),
	}
	return wecomCmd(env, cmd, nil, func(ctx context.Context, c *api.WeCom, args []string) (map[string]any, func(io.Writer), error) {
		// follow_user comes in pages of 500; read them all.
		d, err := c.GetExternalContact(ctx, args[0], "")
		for err == nil && d.NextCursor != "" {
			var next *api.ExternalContactDetail
			if next, err = c.GetExternalContact(ctx, args[0], d.NextCursor); err == nil {
				d.FollowUser, d.NextCursor = append(d.FollowUser, next.FollowUser...), next.NextCursor
			}
		}
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{"external_contact": d.ExternalContact, "follow_user": d.FollowUser}, func(w io.Writer) {
			e := d.ExternalContact
			kind := map[int]string{1: "WeChat user (微信用户)", 2: "WeCom user (企业微信用户)"}[e.Type]
			fmt.Fprintf(w, "external_userid: %s\nname:            %s\ntype:            %s\n", e.ExternalUserID, e.Name, kind)
			if e.CorpFullName != "" || e.CorpName != "" {
				fmt.Fprintf(w, "corp:            %s\n", firstNonEmpty(e.CorpFullName, e.CorpName))
			}
			if e.Position != "" {
				fmt.Fprintf(w, "position:        %s\n", e.Position)
			}
			for _, f := range d.FollowUser {
				fmt.Fprintf(w, "followed by %s since %s", f.UserID, time.Unix(f.CreateTime, 0).Format("2006-01-02"))
				if f.Remark != "" {
					fmt.Fprintf(w, ", remark %q", f.Remark)
				}
				fmt.Fprintln(w)
			}
		}, nil
	})
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func newCustomerGroupCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "group CHAT_ID",
		Short:   "Read a customer group with its members' names (externalcontact/groupchat/get)",
		Example: `  wwkit customer group wrXXXXXXXX --json`,
		Args:    cobra.ExactArgs(1),
	}
	return wecomCmd(env, cmd, nil, func(ctx context.Context, c *api.WeCom, args []string) (map[string]any, func(io.Writer), error) {
		g, err := c.GetGroupChat(ctx, &api.GroupChatRequest{ChatID: args[0], NeedName: 1})
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{"group_chat": g.GroupChat}, func(w io.Writer) {
			gc := g.GroupChat
			fmt.Fprintf(w, "chat_id: %s\nname:    %s\nowner:   %s\nmembers: %d\n", gc.ChatID, gc.Name, gc.Owner, len(gc.MemberList))
			for _, m := range gc.MemberList {
				who := "member"
				if m.Type == 2 {
					who = "customer"
				}
				fmt.Fprintf(w, "  %-8s %s (%s)\n", who, m.Name, m.UserID)
			}
		}, nil
	})
}

// newMediaJSSDKCmd is `wwkit media jssdk`: the voice a page recorded and
// uploaded with wx.uploadVoice, as speex (高清语音).
func newMediaJSSDKCmd(env *Env) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:     "jssdk MEDIA_ID",
		Short:   "Download a voice uploaded from an H5 page with wx.uploadVoice, as speex (media/get/jssdk)",
		Example: `  wwkit media jssdk MEDIA_ID -o voice.speex`,
		Args:    cobra.ExactArgs(1),
	}
	f := addAPIFlags(cmd, "print JSON about the download")
	cmd.Flags().StringVarP(&out, "output", "o", "", "where to write the file (- for stdout; default: the server's file name)")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if f.asJSON && out == "-" {
			return Usagef("--json and -o - both write to stdout; pick one")
		}
		return f.run(env, cmd, onWeCom(func(ctx context.Context, c *api.WeCom) (map[string]any, func(io.Writer), error) {
			m, err := c.GetJSSDKMedia(ctx, args[0])
			if err != nil {
				return nil, nil, err
			}
			if out == "-" {
				return nil, func(w io.Writer) { w.Write(m.Body) }, nil
			}
			dest := out
			if dest == "" {
				dest = filepath.Base(m.Filename)
				if dest == "" || dest == "." || dest == "/" || strings.HasPrefix(dest, "..") {
					dest = args[0] + ".speex"
				}
			}
			if err := os.WriteFile(dest, m.Body, 0o644); err != nil {
				return nil, nil, fmt.Errorf("cli: %w", err)
			}
			return map[string]any{"file": dest, "bytes": len(m.Body), "content_type": m.ContentType}, func(io.Writer) {
				fmt.Fprintf(env.Stderr, "wrote %s (%d bytes, %s)\n", dest, len(m.Body), m.ContentType)
			}, nil
		}))
	}
	return cmd
}

// newMediaUploadImgCmd is `wwkit media uploadimg`: an image for rich
// messages, answered with a permanent URL.
func newMediaUploadImgCmd(env *Env) *cobra.Command {
	var mp bool
	cmd := &cobra.Command{
		Use:   "uploadimg FILE",
		Short: "Upload a JPG/PNG for rich messages and print its permanent URL (media/uploadimg)",
		Long: `uploadimg uploads an image for the body of rich messages (WeCom: at most 2 MB;
Official Account, --mp: at most 1 MB, for news articles) and prints its URL.
Unlike media upload, the URL does not expire.`,
		Example: `  wwkit media uploadimg chart.png
  wwkit media uploadimg --mp cover.jpg --json`,
		Args: cobra.ExactArgs(1),
	}
	f := addAPIFlags(cmd, "print JSON")
	cmd.Flags().BoolVar(&mp, "mp", false, "upload to the Official Account instead of WeCom")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		file, err := os.Open(args[0])
		if err != nil {
			return fail(env, f.asJSON, fmt.Errorf("cli: %w", err))
		}
		defer file.Close()
		return f.run(env, cmd, func(ctx context.Context, s *session) (map[string]any, func(io.Writer), error) {
			var r *api.ImageURL
			var err error
			if mp {
				var c *api.MP
				if c, err = s.mp(); err == nil {
					r, err = c.UploadImage(ctx, filepath.Base(args[0]), file)
				}
			} else {
				var c *api.WeCom
				if c, err = s.wecom(); err == nil {
					r, err = c.UploadImage(ctx, filepath.Base(args[0]), file)
				}
			}
			if err != nil {
				return nil, nil, err
			}
			return map[string]any{"url": r.URL}, func(w io.Writer) { fmt.Fprintln(w, r.URL) }, nil
		})
	}
	return cmd
}
