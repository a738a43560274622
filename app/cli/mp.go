package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/api"
)

func newMPCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mp",
		Short: "Official Account (公众号) API: followers, tags, QR codes, messages, kf accounts, personalised menus, material",
		Args:  cobra.NoArgs,
	}
	qr := &cobra.Command{Use: "qrcode", Short: "Parametric QR codes (带参数二维码)", Args: cobra.NoArgs}
	qr.AddCommand(newMPQRCreateCmd(env))
	tpl := &cobra.Command{Use: "template", Short: "Template messages (模板消息)", Args: cobra.NoArgs}
	tpl.AddCommand(newMPTemplateSendCmd(env))
	cmd.AddCommand(qr, tpl, newMPCustomCmd(env), newMPFollowerCmd(env), newMPTagCmd(env),
		newMPKFCmd(env), newMPMenuCmd(env), newMPMaterialCmd(env))
	return cmd
}

func newMPQRCreateCmd(env *Env) *cobra.Command {
	var scene string
	var expire int64
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a QR code for a scene; prints the ticket, the URL it encodes and the image URL",
		Long: `create calls qrcode/create. A numeric --scene makes an int scene (QR_SCENE),
anything else a string scene (QR_STR_SCENE). --expire 0 makes a permanent code
(QR_LIMIT_*; at most 100 000 per account); temporary codes last up to 30 days.`,
		Example: `  wwkit mp qrcode create --scene 42
  wwkit mp qrcode create --scene invite-7 --expire 2592000 --json
  wwkit mp qrcode create --scene shop --expire 0`,
		Args: cobra.NoArgs,
	}
	cf := addConnFlags(cmd)
	cmd.Flags().StringVar(&scene, "scene", "", "scene value: a number (1..2^32) or a string (1..64 chars) (required)")
	cmd.Flags().Int64Var(&expire, "expire", 604800, "seconds until the code expires (max 2592000); 0 for a permanent code")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if scene == "" || len(scene) > 64 {
			return Usagef("--scene is required (1 to 64 characters)")
		}
		if expire < 0 || expire > 2592000 {
			return Usagef("--expire must be between 0 (permanent) and 2592000 (30 days)")
		}
		return mpCall(env, cmd, cf, asJSON, func(ctx context.Context, c *api.MP) (map[string]any, string, error) {
			req := api.NewQRCodeRequest(scene, expire)
			r, err := c.CreateQRCode(ctx, req)
			if err != nil {
				return nil, "", err
			}
			img := api.ShowQRCodeURL(r.Ticket)
			return map[string]any{"action_name": req.ActionName, "ticket": r.Ticket, "expire_seconds": r.ExpireSeconds, "url": r.URL, "image_url": img},
				fmt.Sprintf("action: %s\nticket: %s\nurl:    %s\nimage:  %s\n", req.ActionName, r.Ticket, r.URL, img), nil
		})
	}
	return cmd
}

func newMPTemplateSendCmd(env *Env) *cobra.Command {
	var to, templateID, link, miniAppID, miniPage, clientMsgID string
	var data []string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "send",
		Short: "Send a template message to a follower",
		Long: `send calls message/template/send. --url opens a page when the message is
tapped; --miniprogram-appid (a mini program linked to the account) opens that
mini program instead, at --miniprogram-page (its home page when empty), with
--url as the fallback for clients that cannot open it.`,
		Example: `  wwkit mp template send --to OPENID --template-id TEMPLATE_ID --data first=订单已发货 --data keyword1=SF123
  wwkit mp template send --to OPENID --template-id T --data thing1=你好 --url https://h5.example.com/o/1
  wwkit mp template send --to OPENID --template-id T --data thing1=已发货 --miniprogram-appid wx0123456789abcdef --miniprogram-page "pages/order/detail?id=7"`,
		Args: cobra.NoArgs,
	}
	cf := addConnFlags(cmd)
	cmd.Flags().StringVar(&to, "to", "", "the follower's openid (required)")
	cmd.Flags().StringVar(&templateID, "template-id", "", "template id (required)")
	cmd.Flags().StringArrayVar(&data, "data", nil, "template field as key=value (repeat)")
	cmd.Flags().StringVar(&link, "url", "", "page opened when the message is tapped")
	cmd.Flags().StringVar(&miniAppID, "miniprogram-appid", "", "mini program opened instead of --url")
	cmd.Flags().StringVar(&miniPage, "miniprogram-page", "", "mini program page path")
	cmd.Flags().StringVar(&clientMsgID, "client-msg-id", "", "de-duplication id")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if to == "" || templateID == "" {
			return Usagef("--to and --template-id are required")
		}
		m := &api.TemplateMessage{ToUser: to, TemplateID: templateID, URL: link, ClientMsgID: clientMsgID, Data: map[string]api.TemplateValue{}}
		for _, kv := range data {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				return Usagef("--data %q: use key=value", kv)
			}
			m.Data[k] = api.TemplateValue{Value: v}
		}
		if miniPage != "" && miniAppID == "" {
			return Usagef("--miniprogram-page needs --miniprogram-appid (the mini program the page belongs to)")
		}
		if miniAppID != "" {
			m.MiniProgram = &api.MiniProgram{AppID: miniAppID, PagePath: miniPage}
		}
		return mpCall(env, cmd, cf, asJSON, func(ctx context.Context, c *api.MP) (map[string]any, string, error) {
			r, err := c.SendTemplate(ctx, m)
			if err != nil {
				return nil, "", err
			}
			return map[string]any{"msgid": r.MsgID}, fmt.Sprintf("sent: msgid %d\n", r.MsgID), nil
		})
	}
	return cmd
}
