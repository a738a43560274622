package cli

import (
	"context"
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

// sendFlags are the options of `wwkit send`; run builds the message for
// --type and sends it.
type sendFlags struct {
	conn *connFlags

	toUser, toParty, toTag, msgType, content, title, desc, link, btn, pic, mediaID, card string
	thumb, author, digest, articles, appID, page                                         string
	items                                                                                []string
	safe, dedup, emphasis, asJSON                                                        bool
}

func newSendCmd(env *Env) *cobra.Command {
	f := &sendFlags{}
	cmd := &cobra.Command{
		Use:   "send",
		Short: "Send a WeCom app message of any type (text, markdown, image, voice, video, file, textcard, news, mpnews, miniprogram_notice, template_card)",
		Long: `send posts an app message (发送应用消息, message/send) from the profile's app to
users, departments (parties) and/or tags. Lists are "a|b" or "@all".

--content takes text, "-" for stdin or @FILE. template_card takes its JSON
object with --card (text, - or @FILE).

Per type:
  text, markdown       --content
  image, voice, file   --media-id (wwkit media upload --type image|voice|file FILE)
  video                --media-id, optional --title, --description
  textcard             --title, --description, --url, optional --btntxt
  news                 --title, optional --description, --url, --picurl; or
                       --articles with a JSON array of up to 8 articles
  mpnews               --title, --thumb-media-id (an uploaded image), --content
                       (HTML body), optional --author, --url (原文链接), --digest;
                       or --articles with a JSON array of up to 8 articles
  miniprogram_notice   --appid (a mini program bound to the app), --title,
                       optional --page, --description, --item key=value
                       (repeat), --emphasis-first-item
  template_card        --card

A send is never resent after a network failure that may have reached the
server, unless --dedup sets enable_duplicate_check=1.`,
		Example: `  wwkit send --to-user zhangsan --content "部署完成"
  wwkit send --to-party 2 --type markdown --content @notice.md
  wwkit send --to-user @all --type textcard --title 周报 --description 本周进展 --url https://example.com/r
  wwkit send --to-user zhangsan --type image --media-id MEDIA_ID
  wwkit send --to-user zhangsan --type voice --media-id MEDIA_ID
  wwkit send --to-user zhangsan --type video --media-id MEDIA_ID --title 演示
  wwkit send --to-user zhangsan --type mpnews --title 公告 --thumb-media-id IMG_ID --content @notice.html
  wwkit send --to-user zhangsan --type miniprogram_notice --appid wx123 --page pages/index --title 会议提醒 --item 时间=10:00 --item 地点=3楼
  wwkit send --to-user zhangsan --type template_card --card @card.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return f.run(cmd, env) },
	}
	f.conn = addConnFlags(cmd)
	fs := cmd.Flags()
	fs.StringVar(&f.toUser, "to-user", "", `userids "a|b" or @all`)
	fs.StringVar(&f.toParty, "to-party", "", `department ids "1|2"`)
	fs.StringVar(&f.toTag, "to-tag", "", `tag ids "1|2"`)
	fs.StringVar(&f.msgType, "type", "text", "text, markdown, image, voice, video, file, textcard, news, mpnews, miniprogram_notice or template_card")
	fs.StringVar(&f.content, "content", "", "text/markdown content or mpnews HTML body (- for stdin, @FILE)")
	fs.StringVar(&f.title, "title", "", "textcard/news/mpnews/video/miniprogram_notice title")
	fs.StringVar(&f.desc, "description", "", "textcard/news/video/miniprogram_notice description")
	fs.StringVar(&f.link, "url", "", "textcard/news link, mpnews source link (原文链接)")
	fs.StringVar(&f.btn, "btntxt", "", "textcard button text")
	fs.StringVar(&f.pic, "picurl", "", "news picture URL")
	fs.StringVar(&f.mediaID, "media-id", "", "image/voice/video/file media_id (from wwkit media upload)")
	fs.StringVar(&f.thumb, "thumb-media-id", "", "mpnews cover: media_id of an uploaded image")
	fs.StringVar(&f.author, "author", "", "mpnews author")
	fs.StringVar(&f.digest, "digest", "", "mpnews digest (摘要)")
	fs.StringVar(&f.articles, "articles", "", "news/mpnews articles as a JSON array (- for stdin, @FILE), instead of the single-article flags")
	fs.StringVar(&f.appID, "appid", "", "miniprogram_notice: the mini program AppID")
	fs.StringVar(&f.page, "page", "", "miniprogram_notice: the page opened when tapped")
	fs.StringArrayVar(&f.items, "item", nil, "miniprogram_notice content line as key=value (repeat)")
	fs.BoolVar(&f.emphasis, "emphasis-first-item", false, "miniprogram_notice: show the first --item enlarged")
	fs.StringVar(&f.card, "card", "", "template_card JSON (- for stdin, @FILE)")
	fs.BoolVar(&f.safe, "safe", false, "confidential message (safe=1)")
	fs.BoolVar(&f.dedup, "dedup", false, "enable_duplicate_check=1 (also makes resending after a network failure safe)")
	fs.BoolVar(&f.asJSON, "json", false, "print JSON")
	return cmd
}

// run sends the message the flags describe and prints the answer.
func (f *sendFlags) run(cmd *cobra.Command, env *Env) error {
	if f.toUser == "" && f.toParty == "" && f.toTag == "" {
		return Usagef("give at least one of --to-user, --to-party, --to-tag")
	}
	m, err := f.message(env)
	if err != nil {
		return err
	}
	af := &apiFlags{conn: f.conn, asJSON: f.asJSON}
	return af.run(env, cmd, onWeCom(func(ctx context.Context, c *api.WeCom) (map[string]any, func(io.Writer), error) {
		r, err := c.Send(ctx, m)
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{"msgid": r.MsgID, "invaliduser": r.InvalidUser, "invalidparty": r.InvalidParty,
				"invalidtag": r.InvalidTag, "unlicenseduser": r.UnlicensedUser, "response_code": r.ResponseCode},
			func(w io.Writer) {
				fmt.Fprintf(w, "sent: msgid %s\n", r.MsgID)
				if r.ResponseCode != "" {
					// What wwkit card update needs, once, within 72 hours.
					fmt.Fprintf(w, "response_code: %s\n", r.ResponseCode)
				}
				for name, v := range map[string]string{"invalid users": r.InvalidUser, "invalid parties": r.InvalidParty, "invalid tags": r.InvalidTag, "unlicensed users": r.UnlicensedUser} {
					if v != "" {
						fmt.Fprintf(w, "%s: %s\n", name, v)
					}
				}
			}, nil
	}))
}

// readArticles decodes --articles (a JSON array, - or @FILE) into dst, a
// pointer to a slice of articles; a wrong shape is a usage error naming the
// field.
func readArticles(env *Env, spec string, dst any) error {
	raw, err := readArg(env, spec)
	if err != nil {
		return Usagef("--articles: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return Usagef("--articles must be a JSON array of articles ([{\"title\":…}]): %v", err)
	}
	return nil
}

// message builds the api.Message for --type from the per-type flags; a
// missing or malformed flag is a usage error naming it.
func (f *sendFlags) message(env *Env) (*api.Message, error) {
	m := &api.Message{ToUser: f.toUser, ToParty: f.toParty, ToTag: f.toTag, MsgType: f.msgType}
	if f.safe {
		m.Safe = 1
	}
	if f.dedup {
		m.EnableDuplicateCheck = 1
	}
	text, err := readArg(env, f.content)
	if err != nil {
		return nil, fail(env, f.asJSON, err)
	}
	switch f.msgType {
	case "text", "markdown":
		if text == "" {
			return nil, Usagef("--type %s needs --content", f.msgType)
		}
		if f.msgType == "text" {
			m.Text = &api.Content{Content: text}
		} else {
			m.Markdown = &api.Content{Content: text}
		}
	case "textcard":
		if f.title == "" || f.desc == "" || f.link == "" {
			return nil, Usagef("--type textcard needs --title, --description and --url")
		}
		m.TextCard = &api.TextCard{Title: f.title, Description: f.desc, URL: f.link, BtnTxt: f.btn}
	case "news":
		m.News = &api.News{}
		if f.articles != "" {
			if err := readArticles(env, f.articles, &m.News.Articles); err != nil {
				return nil, err
			}
		} else {
			if f.title == "" {
				return nil, Usagef("--type news needs --title (and usually --url, --picurl) or --articles")
			}
			m.News.Articles = []api.Article{{Title: f.title, Description: f.desc, URL: f.link, PicURL: f.pic}}
		}
	case "mpnews":
		m.MPNews = &api.MPNews{}
		if f.articles != "" {
			if err := readArticles(env, f.articles, &m.MPNews.Articles); err != nil {
				return nil, err
			}
		} else {
			if f.title == "" || f.thumb == "" || text == "" {
				return nil, Usagef("--type mpnews needs --title, --thumb-media-id (an uploaded image) and --content (the HTML body), or --articles")
			}
			m.MPNews.Articles = []api.MPArticle{{Title: f.title, ThumbMediaID: f.thumb, Author: f.author, ContentSourceURL: f.link, Content: text, Digest: f.digest}}
		}
	case "image", "voice", "file", "video":
		if f.mediaID == "" {
			return nil, Usagef("--type %s needs --media-id (upload with: wwkit media upload --type %s FILE)", f.msgType, f.msgType)
		}
		switch f.msgType {
		case "image":
			m.Image = &api.MediaRef{MediaID: f.mediaID}
		case "voice":
			m.Voice = &api.MediaRef{MediaID: f.mediaID}
		case "file":
			m.File = &api.MediaRef{MediaID: f.mediaID}
		default:
			m.Video = &api.Video{MediaID: f.mediaID, Title: f.title, Description: f.desc}
		}
	case "miniprogram_notice":
		if f.appID == "" || f.title == "" {
			return nil, Usagef("--type miniprogram_notice needs --appid (a mini program bound to the app) and --title")
		}
		n := &api.MiniNotice{AppID: f.appID, Page: f.page, Title: f.title, Description: f.desc, EmphasisFirstItem: f.emphasis}
		for _, kv := range f.items {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				return nil, Usagef("--item %q: use key=value", kv)
			}
			n.ContentItem = append(n.ContentItem, api.KeyValue{Key: k, Value: v})
		}
		m.MiniprogramNotice = n
	case "template_card":
		raw, err := readArg(env, f.card)
		if err != nil {
			return nil, fail(env, f.asJSON, err)
		}
		if raw == "" || !json.Valid([]byte(raw)) || !strings.HasPrefix(strings.TrimSpace(raw), "{") {
			return nil, Usagef("--type template_card needs --card with a JSON object (card_type, main_title, …)")
		}
		m.TemplateCard = json.RawMessage(raw)
	default:
		return nil, Usagef("--type %q: use text, markdown, image, voice, video, file, textcard, news, mpnews, miniprogram_notice or template_card", f.msgType)
	}
	return m, nil
}
