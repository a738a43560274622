package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator/fixture"
)

// The group message commands: `wwkit robot …` (群机器人 webhook),
// `wwkit appchat …` (群聊会话) and `wwkit card update` (更新模版卡片消息).
// docs/messages.md has the walk-through.

// robotKey is the webhook key a robot command uses: --key / $WWKIT_ROBOT_KEY
// or robot_key(_env) of the profile, else the emulator's robot when the
// profile is the emulator's.
func (s *session) robotKey() (string, error) {
	if s.prof.RobotKey != "" {
		return s.prof.RobotKey, nil
	}
	if s.prof.Emulated {
		return fixture.RobotKey, nil
	}
	return "", errors.New("cli: no robot webhook key: pass --key, export WWKIT_ROBOT_KEY, or set robot_key_env in the profile (copy the key from the group's robot settings, 群机器人 → Webhook 地址)")
}

// robot builds the robot client of the session.
func (s *session) robot() (*api.Robot, string, error) {
	key, err := s.robotKey()
	if err != nil {
		return nil, "", err
	}
	r, err := api.NewRobot(key, s.opts(s.prof.WeComBaseURL)...)
	return r, key, err
}

// hideKey makes sure no error a robot command prints carries the key, even
// if a server echoed it: the message goes through api.Redact with the key.
func hideKey(err error, key string) error {
	if err == nil {
		return nil
	}
	var ae *api.APIError
	if errors.As(err, &ae) {
		c := *ae
		c.Msg = api.Redact(c.Msg, key)
		return &c
	}
	var ue *ExitError
	if errors.As(err, &ue) {
		return err
	}
	return errors.New(api.Redact(err.Error(), key))
}

func newRobotCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "robot",
		Short: "Post to a group through its robot webhook (群机器人)",
		Long: `robot posts to an internal group through a group robot's webhook
(https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY). The key is the
robot's only credential: give it with $WWKIT_ROBOT_KEY, robot_key_env in the
profile, or --key (it lands in your shell history); wwkit never prints it.
Without any, the emulator's default robot is used.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newRobotSendCmd(env), newRobotUploadCmd(env))
	return cmd
}

// robotFlags are the options of `wwkit robot send`.
type robotFlags struct {
	msgType, content, imagePath, filePath, mediaID, title, desc, link, pic, articles, card string
	mention, mentionMobile                                                                 []string
}

func newRobotSendCmd(env *Env) *cobra.Command {
	rf := &robotFlags{}
	cmd := &cobra.Command{
		Use:   "send",
		Short: "Post a text, markdown, markdown_v2, image, news, file, voice or template_card message through a group robot",
		Long: `send posts one message through the robot's webhook (webhook/send). A robot
posts at most 20 messages a minute (errcode 45009 after that).

Per type:
  text            --content (at most 2048 bytes), optional --mention userid
                  (repeat; @all for everyone), --mention-mobile
  markdown        --content (at most 4096 bytes)
  markdown_v2     --content (at most 4096 bytes): fuller markdown with tables,
                  lists and code blocks (sent as SDKs such as WxJava send it;
                  see docs/messages.md)
  image           --image FILE (JPG or PNG, at most 2 MB; base64 and md5 are
                  computed for you)
  news            --title, --url, optional --description, --picurl; or
                  --articles with a JSON array of up to 8 articles
  file, voice     --file FILE (uploaded first with webhook/upload_media) or
                  --media-id from wwkit robot upload
  template_card   --card with a text_notice or news_notice card (JSON)

--content and --card take text, "-" for stdin or @FILE.`,
		Example: `  export WWKIT_ROBOT_KEY=693a91f6-…   # from the group's robot settings
  wwkit robot send --content "发布完成" --mention zhangsan
  wwkit robot send --type markdown --content @release.md
  wwkit robot send --type markdown_v2 --content @status.md   # tables, lists, code blocks
  wwkit robot send --type image --image chart.png
  wwkit robot send --type news --title 周报 --url https://example.com/r --picurl https://example.com/c.png
  wwkit robot send --type file --file 日报.xlsx --json
  wwkit robot send --type template_card --card @card.json`,
		Args: cobra.NoArgs,
	}
	f := addAPIFlags(cmd, "print JSON")
	SecretFlag(cmd.Flags(), &f.conn.robotKey, "key", "WWKIT_ROBOT_KEY", "the robot's webhook key or whole webhook URL")
	fs := cmd.Flags()
	fs.StringVar(&rf.msgType, "type", "text", "text, markdown, markdown_v2, image, news, file, voice or template_card")
	fs.StringVar(&rf.content, "content", "", "text/markdown/markdown_v2 content (- for stdin, @FILE)")
	fs.StringArrayVar(&rf.mention, "mention", nil, "text: userid to mention (repeat; @all for everyone)")
	fs.StringArrayVar(&rf.mentionMobile, "mention-mobile", nil, "text: mobile of a member to mention (repeat)")
	fs.StringVar(&rf.imagePath, "image", "", "image: the JPG/PNG file")
	fs.StringVar(&rf.filePath, "file", "", "file/voice: the file to upload and send")
	fs.StringVar(&rf.mediaID, "media-id", "", "file/voice: a media_id from wwkit robot upload")
	fs.StringVar(&rf.title, "title", "", "news title")
	fs.StringVar(&rf.desc, "description", "", "news description")
	fs.StringVar(&rf.link, "url", "", "news link")
	fs.StringVar(&rf.pic, "picurl", "", "news picture URL")
	fs.StringVar(&rf.articles, "articles", "", "news articles as a JSON array (- for stdin, @FILE)")
	fs.StringVar(&rf.card, "card", "", "template_card JSON: text_notice or news_notice (- for stdin, @FILE)")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		m, upload, err := rf.message(env)
		if err != nil {
			return fail(env, f.asJSON, err)
		}
		return f.run(env, cmd, func(ctx context.Context, s *session) (map[string]any, func(io.Writer), error) {
			r, key, err := s.robot()
			if err != nil {
				return nil, nil, err
			}
			out := map[string]any{"msgtype": m.MsgType}
			if upload != "" {
				up, err := uploadRobotFile(ctx, r, m.MsgType, upload)
				if err != nil {
					return nil, nil, hideKey(err, key)
				}
				ref := &api.MediaRef{MediaID: up.MediaID}
				if m.MsgType == "voice" {
					m.Voice = ref
				} else {
					m.File = ref
				}
				out["media_id"] = up.MediaID
			}
			if _, err := r.SendWebhook(ctx, m); err != nil {
				return nil, nil, hideKey(err, key)
			}
			return out, func(w io.Writer) { fmt.Fprintf(w, "posted: %s\n", m.MsgType) }, nil
		})
	}
	return cmd
}

func uploadRobotFile(ctx context.Context, r *api.Robot, typ, path string) (*api.MediaUpload, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cli: %w", err)
	}
	defer file.Close()
	return r.UploadWebhookMedia(ctx, typ, filepath.Base(path), file)
}

// message builds the robot message for --type; upload is a file to upload
// first. A missing or malformed flag is a usage error naming it.
func (rf *robotFlags) message(env *Env) (m *api.RobotMessage, upload string, err error) {
	m = &api.RobotMessage{MsgType: rf.msgType}
	text, err := readArg(env, rf.content)
	if err != nil {
		return nil, "", Usagef("--content: %v", err)
	}
	switch rf.msgType {
	case "text":
		if text == "" {
			return nil, "", Usagef("--type text needs --content")
		}
		m.Text = &api.RobotText{Content: text, MentionedList: rf.mention, MentionedMobileList: rf.mentionMobile}
	case "markdown":
		if text == "" {
			return nil, "", Usagef("--type markdown needs --content")
		}
		m.Markdown = &api.Content{Content: text}
	case "markdown_v2":
		if text == "" {
			return nil, "", Usagef("--type markdown_v2 needs --content")
		}
		m.MarkdownV2 = &api.Content{Content: text}
	case "image":
		if rf.imagePath == "" {
			return nil, "", Usagef("--type image needs --image FILE (a JPG or PNG of at most 2 MB)")
		}
		b, err := os.ReadFile(rf.imagePath)
		if err != nil {
			return nil, "", fmt.Errorf("cli: %w", err)
		}
		if len(b) > 2<<20 {
			return nil, "", Usagef("--image %s has %d bytes; a robot image is at most 2 MB", rf.imagePath, len(b))
		}
		m.Image = api.NewRobotImage(b)
	case "news":
		m.News = &api.News{}
		if rf.articles != "" {
			if err := readArticles(env, rf.articles, &m.News.Articles); err != nil {
				return nil, "", err
			}
		} else {
			if rf.title == "" || rf.link == "" {
				return nil, "", Usagef("--type news needs --title and --url (and optionally --description, --picurl), or --articles")
			}
			m.News.Articles = []api.Article{{Title: rf.title, Description: rf.desc, URL: rf.link, PicURL: rf.pic}}
		}
	case "file", "voice":
		switch {
		case rf.filePath != "" && rf.mediaID != "":
			return nil, "", Usagef("--type %s takes --file or --media-id, not both", rf.msgType)
		case rf.filePath != "":
			return m, rf.filePath, nil
		case rf.mediaID != "":
			if rf.msgType == "voice" {
				m.Voice = &api.MediaRef{MediaID: rf.mediaID}
			} else {
				m.File = &api.MediaRef{MediaID: rf.mediaID}
			}
		default:
			return nil, "", Usagef("--type %s needs --file FILE or --media-id (from wwkit robot upload --type %s FILE)", rf.msgType, rf.msgType)
		}
	case "template_card":
		raw, err := readArg(env, rf.card)
		if err != nil {
			return nil, "", Usagef("--card: %v", err)
		}
		if raw == "" || !json.Valid([]byte(raw)) || !strings.HasPrefix(strings.TrimSpace(raw), "{") {
			return nil, "", Usagef("--type template_card needs --card with a JSON object (card_type text_notice or news_notice, main_title, …)")
		}
		m.TemplateCard = json.RawMessage(raw)
	default:
		return nil, "", Usagef("--type %q: a robot posts text, markdown, markdown_v2, image, news, file, voice or template_card", rf.msgType)
	}
	return m, "", nil
}

func newRobotUploadCmd(env *Env) *cobra.Command {
	var typ string
	cmd := &cobra.Command{
		Use:   "upload FILE",
		Short: "Upload a file or voice for a robot message (webhook/upload_media) and print its media_id",
		Long: `upload sends FILE to webhook/upload_media: type file (at most 20 MB) or
voice (AMR, at most 2 MB). The media_id works for 3 days, with this robot only.`,
		Example: `  wwkit robot upload 日报.xlsx
  wwkit robot upload --type voice note.amr --json`,
		Args: cobra.ExactArgs(1),
	}
	f := addAPIFlags(cmd, "print JSON")
	SecretFlag(cmd.Flags(), &f.conn.robotKey, "key", "WWKIT_ROBOT_KEY", "the robot's webhook key or whole webhook URL")
	cmd.Flags().StringVar(&typ, "type", "file", "file or voice")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if typ != "file" && typ != "voice" {
			return Usagef("--type %q: a robot uploads file or voice", typ)
		}
		return f.run(env, cmd, func(ctx context.Context, s *session) (map[string]any, func(io.Writer), error) {
			r, key, err := s.robot()
			if err != nil {
				return nil, nil, err
			}
			up, err := uploadRobotFile(ctx, r, typ, args[0])
			if err != nil {
				return nil, nil, hideKey(err, key)
			}
			return map[string]any{"type": up.Type, "media_id": up.MediaID, "created_at": string(up.CreatedAt)},
				func(w io.Writer) { fmt.Fprintln(w, up.MediaID) }, nil
		})
	}
	return cmd
}

// splitList parses "a,b" or "a|b" lists of userids.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '|' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func newAppChatCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "appchat",
		Short: "Create, change, read and post to the app's group chats (群聊会话)",
		Long: `appchat manages group chats an app creates and posts to (appchat/*). A chat
has 2 to 2000 members; an app sees only the chats it created. Tencent lets
only self-built apps whose visible range is the root department use it.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newAppChatCreateCmd(env), newAppChatUpdateCmd(env), newAppChatGetCmd(env), newAppChatSendCmd(env))
	return cmd
}

func newAppChatCreateCmd(env *Env) *cobra.Command {
	var name, owner, users, chatID string
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a group chat (appchat/create) and print its chatid",
		Example: `  wwkit appchat create --name 发布值班 --users zhangsan,lisi,wangwu --owner zhangsan
  wwkit appchat create --users zhangsan,lisi --chatid release42 --json`,
		Args: cobra.NoArgs,
	}
	cmd.Flags().StringVar(&name, "name", "", "chat name (at most 50 characters; Tencent cuts a longer one)")
	cmd.Flags().StringVar(&owner, "owner", "", "owner userid, one of --users (default: chosen by WeCom)")
	cmd.Flags().StringVar(&users, "users", "", "member userids, comma-separated (2 to 2000)")
	cmd.Flags().StringVar(&chatID, "chatid", "", "the chatid to use: 1-32 characters of 0-9a-zA-Z (default: generated)")
	return wecomCmd(env, cmd, func([]string) error {
		if n := len(splitList(users)); n < 2 {
			return Usagef("--users: a group chat needs at least 2 members, comma-separated (got %d)", n)
		}
		return nil
	}, func(ctx context.Context, c *api.WeCom, _ []string) (map[string]any, func(io.Writer), error) {
		r, err := c.CreateAppChat(ctx, &api.AppChatCreate{Name: name, Owner: owner, UserList: splitList(users), ChatID: chatID})
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{"chatid": r.ChatID}, func(w io.Writer) { fmt.Fprintln(w, r.ChatID) }, nil
	})
}

func newAppChatUpdateCmd(env *Env) *cobra.Command {
	var name, owner, add, del string
	cmd := &cobra.Command{
		Use:   "update CHATID",
		Short: "Rename a group chat, change its owner, add or remove members (appchat/update)",
		Example: `  wwkit appchat update release42 --add zhaoliu --remove wangwu
  wwkit appchat update release42 --name 发布值班2 --owner lisi`,
		Args: cobra.ExactArgs(1),
	}
	cmd.Flags().StringVar(&name, "name", "", "new chat name")
	cmd.Flags().StringVar(&owner, "owner", "", "new owner userid (a member)")
	cmd.Flags().StringVar(&add, "add", "", "userids to add, comma-separated")
	cmd.Flags().StringVar(&del, "remove", "", "userids to remove, comma-separated")
	return wecomCmd(env, cmd, func([]string) error {
		if name == "" && owner == "" && add == "" && del == "" {
			return Usagef("nothing to change: give --name, --owner, --add or --remove")
		}
		return nil
	}, func(ctx context.Context, c *api.WeCom, a []string) (map[string]any, func(io.Writer), error) {
		if _, err := c.UpdateAppChat(ctx, &api.AppChatUpdate{ChatID: a[0], Name: name, Owner: owner, AddUserList: splitList(add), DelUserList: splitList(del)}); err != nil {
			return nil, nil, err
		}
		return map[string]any{"chatid": a[0]}, func(w io.Writer) { fmt.Fprintf(w, "updated: %s\n", a[0]) }, nil
	})
}

func newAppChatGetCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "get CHATID",
		Short:   "Show a group chat the app created (appchat/get)",
		Example: `  wwkit appchat get release42 --json`,
		Args:    cobra.ExactArgs(1),
	}
	return wecomCmd(env, cmd, nil, func(ctx context.Context, c *api.WeCom, a []string) (map[string]any, func(io.Writer), error) {
		r, err := c.GetAppChat(ctx, a[0])
		if err != nil {
			return nil, nil, err
		}
		ci := r.ChatInfo
		return map[string]any{"chat_info": ci}, func(w io.Writer) {
			fmt.Fprintf(w, "chatid:  %s\nname:    %s\nowner:   %s\nmembers: %s\n", ci.ChatID, ci.Name, ci.Owner, strings.Join(ci.UserList, ", "))
		}, nil
	})
}

func newAppChatSendCmd(env *Env) *cobra.Command {
	f := &sendFlags{}
	cmd := &cobra.Command{
		Use:   "send CHATID",
		Short: "Post a message to a group chat the app created (appchat/send)",
		Long: `send posts to a group chat with the flags of wwkit send: text, markdown,
image, voice, video, file, textcard, news or mpnews (a chat takes no
template_card or miniprogram_notice).`,
		Example: `  wwkit appchat send release42 --content "今晚 22:00 发布"
  wwkit appchat send release42 --type markdown --content @notice.md
  wwkit appchat send release42 --type image --media-id MEDIA_ID --json`,
		Args: cobra.ExactArgs(1),
	}
	fs := cmd.Flags()
	fs.StringVar(&f.msgType, "type", "text", "text, markdown, image, voice, video, file, textcard, news or mpnews")
	fs.StringVar(&f.content, "content", "", "text/markdown content or mpnews HTML body (- for stdin, @FILE)")
	fs.StringVar(&f.title, "title", "", "textcard/news/mpnews/video title")
	fs.StringVar(&f.desc, "description", "", "textcard/news/video description")
	fs.StringVar(&f.link, "url", "", "textcard/news link, mpnews source link")
	fs.StringVar(&f.btn, "btntxt", "", "textcard button text")
	fs.StringVar(&f.pic, "picurl", "", "news picture URL")
	fs.StringVar(&f.mediaID, "media-id", "", "image/voice/video/file media_id (from wwkit media upload)")
	fs.StringVar(&f.thumb, "thumb-media-id", "", "mpnews cover: media_id of an uploaded image")
	fs.StringVar(&f.articles, "articles", "", "news/mpnews articles as a JSON array (- for stdin, @FILE)")
	fs.BoolVar(&f.safe, "safe", false, "confidential message (safe=1)")
	var m *api.Message
	return wecomCmd(env, cmd, func([]string) error {
		if f.msgType == "template_card" || f.msgType == "miniprogram_notice" {
			return Usagef("--type %s: a group chat takes text, markdown, image, voice, video, file, textcard, news or mpnews", f.msgType)
		}
		var err error
		m, err = f.message(env)
		return err
	}, func(ctx context.Context, c *api.WeCom, a []string) (map[string]any, func(io.Writer), error) {
		msg := &api.AppChatMessage{ChatID: a[0], MsgType: m.MsgType, Text: m.Text, Markdown: m.Markdown, Image: m.Image, Voice: m.Voice,
			File: m.File, Video: m.Video, TextCard: m.TextCard, News: m.News, MPNews: m.MPNews, Safe: m.Safe}
		if _, err := c.SendAppChat(ctx, msg); err != nil {
			return nil, nil, err
		}
		return map[string]any{"chatid": a[0], "msgtype": m.MsgType}, func(w io.Writer) { fmt.Fprintf(w, "posted to %s: %s\n", a[0], m.MsgType) }, nil
	})
}

func newCardCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "card",
		Short: "Update a template card the app sent (更新模版卡片消息)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newCardUpdateCmd(env))
	return cmd
}

func newCardUpdateCmd(env *Env) *cobra.Command {
	var code, button, card, users, parties, tags string
	var all bool
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Grey out a card's buttons or replace the card (message/update_template_card)",
		Long: `update changes an interactive template card the app sent, with the
response_code that wwkit send --type template_card printed (or that the card's
click callback carried). A response_code works once, within 72 hours.

--button-text greys the buttons out with a new text (button_interaction,
vote_interaction and multiple_interaction cards); --card replaces the card
with another (JSON, - for stdin or @FILE). Choose who sees the update with
--to-user/--to-party/--to-tag, or --all for everyone who got the card.`,
		Example: `  wwkit send --to-user zhangsan --type template_card --card @approval.json --json   # prints response_code
  wwkit card update --response-code CODE --all --button-text 已审批
  wwkit card update --response-code CODE --to-user zhangsan --card @done.json --json`,
		Args: cobra.NoArgs,
	}
	fs := cmd.Flags()
	fs.StringVar(&code, "response-code", "", "the response_code of the card's send or click callback")
	fs.StringVar(&button, "button-text", "", "grey the buttons out with this text (button.replace_name)")
	fs.StringVar(&card, "card", "", "replace the card with this template_card JSON (- for stdin, @FILE)")
	fs.StringVar(&users, "to-user", "", `userids "a|b" who see the update`)
	fs.StringVar(&parties, "to-party", "", `department ids "1|2"`)
	fs.StringVar(&tags, "to-tag", "", `tag ids "1|2"`)
	fs.BoolVar(&all, "all", false, "update the card for everyone who got it (atall=1)")
	var req api.UpdateTemplateCard
	return wecomCmd(env, cmd, func([]string) error {
		req = api.UpdateTemplateCard{ResponseCode: code, UserIDs: splitList(users)}
		switch {
		case code == "":
			return Usagef("--response-code is required: wwkit send --type template_card --json prints it")
		case (button == "") == (card == ""):
			return Usagef("give --button-text (grey the buttons out) or --card (replace the card), one of them")
		case !all && users == "" && parties == "" && tags == "":
			return Usagef("say who sees the update: --all, --to-user, --to-party or --to-tag")
		}
		if all {
			req.AtAll = 1
		}
		for _, l := range []struct {
			flag string
			src  string
			dst  *[]int64
		}{{"--to-party", parties, &req.PartyIDs}, {"--to-tag", tags, &req.TagIDs}} {
			for _, p := range splitList(l.src) {
				n, err := strconv.ParseInt(p, 10, 64)
				if err != nil || n <= 0 {
					return Usagef("%s %q: give numeric ids separated by | or ,", l.flag, p)
				}
				*l.dst = append(*l.dst, n)
			}
		}
		if button != "" {
			req.Button = &api.ReplaceButton{ReplaceName: button}
			return nil
		}
		raw, err := readArg(env, card)
		if err != nil {
			return Usagef("--card: %v", err)
		}
		if !json.Valid([]byte(raw)) || !strings.HasPrefix(strings.TrimSpace(raw), "{") {
			return Usagef("--card needs a JSON object (card_type, main_title, …)")
		}
		req.TemplateCard = json.RawMessage(raw)
		return nil
	}, func(ctx context.Context, c *api.WeCom, _ []string) (map[string]any, func(io.Writer), error) {
		req.AgentID = c.AgentID()
		r, err := c.UpdateTemplateCard(ctx, &req)
		if err != nil {
			return nil, nil, err
		}
		inv := []string(r.InvalidUser)
		if inv == nil {
			inv = []string{}
		}
		return map[string]any{"invaliduser": inv}, func(w io.Writer) {
			fmt.Fprintln(w, "card updated")
			if len(inv) > 0 {
				fmt.Fprintf(w, "invalid users: %s\n", strings.Join(inv, "|"))
			}
		}, nil
	})
}
