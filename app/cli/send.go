package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/api"
)

// readArg returns v, or stdin when v is "-", or a file's content for "@PATH".
func readArg(env *Env, v string) (string, error) {
	switch {
	case v == "-":
		b, err := io.ReadAll(io.LimitReader(env.Stdin, 1<<20))
		return strings.TrimRight(string(b), "\n"), err
	case strings.HasPrefix(v, "@"):
		b, err := os.ReadFile(v[1:])
		if err != nil {
			return "", fmt.Errorf("cli: reading %s: %w", v[1:], err)
		}
		return string(b), nil
	}
	return v, nil
}

func newSendCmd(env *Env) *cobra.Command {
	var (
		toUser, toParty, toTag, msgType, content, title, desc, link, btn, pic, mediaID, card string
		safe, dedup, asJSON                                                                  bool
	)
	cmd := &cobra.Command{
		Use:   "send",
		Short: "Send a WeCom app message (text, markdown, textcard, news, image, file, template_card)",
		Long: `send posts an app message (发送应用消息, message/send) from the profile's app to
users, departments (parties) and/or tags. Lists are "a|b" or "@all".

--content takes text, "-" for stdin or @FILE. template_card takes its JSON
object with --card (text, - or @FILE).

A send is never resent after a network failure that may have reached the
server, unless --dedup sets enable_duplicate_check=1.`,
		Example: `  wwkit send --to-user zhangsan --content "部署完成"
  wwkit send --to-party 2 --type markdown --content @notice.md
  wwkit send --to-user @all --type textcard --title 周报 --description 本周进展 --url https://example.com/r
  wwkit send --to-user zhangsan --type image --media-id MEDIA_ID
  wwkit send --to-user zhangsan --type template_card --card @card.json`,
		Args: cobra.NoArgs,
	}
	cf := addConnFlags(cmd)
	fs := cmd.Flags()
	fs.StringVar(&toUser, "to-user", "", `userids "a|b" or @all`)
	fs.StringVar(&toParty, "to-party", "", `department ids "1|2"`)
	fs.StringVar(&toTag, "to-tag", "", `tag ids "1|2"`)
	fs.StringVar(&msgType, "type", "text", "text, markdown, textcard, news, image, file or template_card")
	fs.StringVar(&content, "content", "", "text or markdown content (- for stdin, @FILE)")
	fs.StringVar(&title, "title", "", "textcard/news title")
	fs.StringVar(&desc, "description", "", "textcard/news description")
	fs.StringVar(&link, "url", "", "textcard/news link")
	fs.StringVar(&btn, "btntxt", "", "textcard button text")
	fs.StringVar(&pic, "picurl", "", "news picture URL")
	fs.StringVar(&mediaID, "media-id", "", "image/file media_id (from wwkit media upload)")
	fs.StringVar(&card, "card", "", "template_card JSON (- for stdin, @FILE)")
	fs.BoolVar(&safe, "safe", false, "confidential message (safe=1)")
	fs.BoolVar(&dedup, "dedup", false, "enable_duplicate_check=1 (also makes resending after a network failure safe)")
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if toUser == "" && toParty == "" && toTag == "" {
			return Usagef("give at least one of --to-user, --to-party, --to-tag")
		}
		m := &api.Message{ToUser: toUser, ToParty: toParty, ToTag: toTag, MsgType: msgType}
		if safe {
			m.Safe = 1
		}
		if dedup {
			m.EnableDuplicateCheck = 1
		}
		text, err := readArg(env, content)
		if err != nil {
			return fail(env, asJSON, err)
		}
		switch msgType {
		case "text", "markdown":
			if text == "" {
				return Usagef("--type %s needs --content", msgType)
			}
			if msgType == "text" {
				m.Text = &api.Content{Content: text}
			} else {
				m.Markdown = &api.Content{Content: text}
			}
		case "textcard":
			if title == "" || desc == "" || link == "" {
				return Usagef("--type textcard needs --title, --description and --url")
			}
			m.TextCard = &api.TextCard{Title: title, Description: desc, URL: link, BtnTxt: btn}
		case "news":
			if title == "" {
				return Usagef("--type news needs --title (and usually --url, --picurl)")
			}
			m.News = &api.News{Articles: []api.Article{{Title: title, Description: desc, URL: link, PicURL: pic}}}
		case "image", "file":
			if mediaID == "" {
				return Usagef("--type %s needs --media-id (upload with: wwkit media upload --type %s FILE)", msgType, msgType)
			}
			if msgType == "image" {
				m.Image = &api.MediaRef{MediaID: mediaID}
			} else {
				m.File = &api.MediaRef{MediaID: mediaID}
			}
		case "template_card":
			raw, err := readArg(env, card)
			if err != nil {
				return fail(env, asJSON, err)
			}
			if raw == "" || !json.Valid([]byte(raw)) || !strings.HasPrefix(strings.TrimSpace(raw), "{") {
				return Usagef("--type template_card needs --card with a JSON object (card_type, main_title, …)")
			}
			m.TemplateCard = json.RawMessage(raw)
		default:
			return Usagef("--type %q: use text, markdown, textcard, news, image, file or template_card", msgType)
		}
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
		r, err := c.Send(ctx, m)
		if err != nil {
			return fail(env, asJSON, err)
		}
		if asJSON {
			return PrintJSON(env.Stdout, map[string]any{"ok": true, "msgid": r.MsgID, "invaliduser": r.InvalidUser,
				"invalidparty": r.InvalidParty, "invalidtag": r.InvalidTag, "unlicenseduser": r.UnlicensedUser, "response_code": r.ResponseCode})
		}
		fmt.Fprintf(env.Stdout, "sent: msgid %s\n", r.MsgID)
		for name, v := range map[string]string{"invalid users": r.InvalidUser, "invalid parties": r.InvalidParty, "invalid tags": r.InvalidTag, "unlicensed users": r.UnlicensedUser} {
			if v != "" {
				fmt.Fprintf(env.Stdout, "%s: %s\n", name, v)
			}
		}
		return nil
	}
	return cmd
}
