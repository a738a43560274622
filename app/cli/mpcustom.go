package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/api"
)

func newMPCustomCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "custom",
		Short: "Customer-service messages (客服消息)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newMPCustomSendCmd(env))
	return cmd
}

// customTypes lists the customer-service message types in help order.
const customTypes = "text, image, voice, video, music, news, mpnews, mpnewsarticle, msgmenu, wxcard or miniprogrampage"

func newMPCustomSendCmd(env *Env) *cobra.Command {
	var (
		to, msgType, content, mediaID, thumb, title, desc, link, pic string
		musicURL, hqMusicURL, articleID, cardID, appID, pagePath     string
		menuHead, menuTail, kf                                       string
		menu                                                         []string
		asJSON                                                       bool
	)
	cmd := &cobra.Command{
		Use:   "send",
		Short: "Send a customer-service message to a follower who interacted recently",
		Long: `send calls message/custom/send. It works only inside the window a follower
opens by interacting: a message from them allows 5 messages within 48 hours, a
menu click, follow or QR scan 3 within a minute (errcode 45015 outside the
window, 45047 over the count). In the emulator, open one with
POST /__emulator/callbacks (a message from the follower).

Per type:
  text             --content (- for stdin, @FILE)
  image, voice     --media-id (wwkit media upload --mp --type image|voice FILE)
  mpnews           --media-id (a permanent news material)
  video            --media-id, --thumb-media-id, optional --title, --description
  music            --music-url, --thumb-media-id, optional --hq-music-url,
                   --title, --description
  news             --title, optional --description, --url, --picurl (1 article)
  mpnewsarticle    --article-id (a published article)
  msgmenu          --menu ID=TEXT (repeat), optional --menu-head, --menu-tail
  wxcard           --card-id
  miniprogrampage  --title, --appid, --pagepath, --thumb-media-id`,
		Example: `  wwkit mp custom send --to OPENID --content 您好，订单已发货
  wwkit mp custom send --to OPENID --type image --media-id MEDIA_ID
  wwkit mp custom send --to OPENID --type news --title 新品 --url https://h5.example.com/new --picurl https://h5.example.com/a.jpg
  wwkit mp custom send --to OPENID --type msgmenu --menu-head 满意吗 --menu 101=满意 --menu 102=不满意
  wwkit mp custom send --to OPENID --type miniprogrampage --title 订单 --appid wx123 --pagepath pages/order --thumb-media-id THUMB`,
		Args: cobra.NoArgs,
	}
	cf := addConnFlags(cmd)
	fs := cmd.Flags()
	fs.StringVar(&to, "to", "", "the follower's openid (required)")
	fs.StringVar(&msgType, "type", "text", customTypes)
	fs.StringVar(&content, "content", "", "text content (- for stdin, @FILE)")
	fs.StringVar(&mediaID, "media-id", "", "image/voice/video/mpnews media_id")
	fs.StringVar(&thumb, "thumb-media-id", "", "video/music/miniprogrampage thumbnail media_id")
	fs.StringVar(&title, "title", "", "video/music/news/miniprogrampage title")
	fs.StringVar(&desc, "description", "", "video/music/news description")
	fs.StringVar(&link, "url", "", "news link")
	fs.StringVar(&pic, "picurl", "", "news picture URL")
	fs.StringVar(&musicURL, "music-url", "", "music link")
	fs.StringVar(&hqMusicURL, "hq-music-url", "", "high-quality music link (Wi-Fi)")
	fs.StringVar(&articleID, "article-id", "", "mpnewsarticle: the published article's id")
	fs.StringVar(&cardID, "card-id", "", "wxcard: the card id")
	fs.StringVar(&appID, "appid", "", "miniprogrampage: the mini program AppID")
	fs.StringVar(&pagePath, "pagepath", "", "miniprogrampage: the page path")
	fs.StringArrayVar(&menu, "menu", nil, "msgmenu choice as ID=TEXT (repeat)")
	fs.StringVar(&menuHead, "menu-head", "", "msgmenu text above the choices")
	fs.StringVar(&menuTail, "menu-tail", "", "msgmenu text below the choices")
	fs.StringVar(&kf, "kf-account", "", "send as this customer-service account (test1@account)")
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if to == "" {
			return Usagef("--to is required (the follower's openid)")
		}
		m := &api.CustomMessage{ToUser: to, MsgType: msgType}
		if kf != "" {
			m.CustomService = &api.KFAccount{KFAccount: kf}
		}
		need := func(names string, vals ...string) error {
			for _, v := range vals {
				if v == "" {
					return Usagef("--type %s needs %s", msgType, names)
				}
			}
			return nil
		}
		var err error
		switch msgType {
		case "text":
			text, rerr := readArg(env, content)
			if rerr != nil {
				return fail(env, asJSON, rerr)
			}
			if err = need("--content", text); err == nil {
				m.Text = &api.Content{Content: text}
			}
		case "image", "voice", "mpnews":
			if err = need("--media-id", mediaID); err == nil {
				ref := &api.MediaRef{MediaID: mediaID}
				switch msgType {
				case "image":
					m.Image = ref
				case "voice":
					m.Voice = ref
				default:
					m.MPNews = ref
				}
			}
		case "video":
			if err = need("--media-id and --thumb-media-id", mediaID, thumb); err == nil {
				m.Video = &api.Video{MediaID: mediaID, ThumbMediaID: thumb, Title: title, Description: desc}
			}
		case "music":
			if err = need("--music-url and --thumb-media-id", musicURL, thumb); err == nil {
				m.Music = &api.Music{Title: title, Description: desc, MusicURL: musicURL, HQMusicURL: hqMusicURL, ThumbMediaID: thumb}
			}
		case "news":
			if err = need("--title (and usually --url, --picurl)", title); err == nil {
				m.News = &api.News{Articles: []api.Article{{Title: title, Description: desc, URL: link, PicURL: pic}}}
			}
		case "mpnewsarticle":
			if err = need("--article-id", articleID); err == nil {
				m.MPNewsArticle = &api.ArticleRef{ArticleID: articleID}
			}
		case "wxcard":
			if err = need("--card-id", cardID); err == nil {
				m.WXCard = &api.CardRef{CardID: cardID}
			}
		case "miniprogrampage":
			if err = need("--title, --appid, --pagepath and --thumb-media-id", title, appID, pagePath, thumb); err == nil {
				m.MiniProgramPage = &api.MiniProgramPage{Title: title, AppID: appID, PagePath: pagePath, ThumbMediaID: thumb}
			}
		case "msgmenu":
			if len(menu) == 0 {
				return Usagef("--type msgmenu needs at least one --menu ID=TEXT")
			}
			mm := &api.MsgMenu{HeadContent: menuHead, TailContent: menuTail}
			for _, kv := range menu {
				id, text, ok := strings.Cut(kv, "=")
				if !ok || id == "" || text == "" {
					return Usagef("--menu %q: use ID=TEXT, e.g. 101=满意", kv)
				}
				mm.List = append(mm.List, api.MsgMenuItem{ID: id, Content: text})
			}
			m.MsgMenu = mm
		default:
			return Usagef("--type %q: use %s", msgType, customTypes)
		}
		if err != nil {
			return err
		}
		return mpCall(env, cmd, cf, asJSON, func(ctx context.Context, c *api.MP) (map[string]any, string, error) {
			if _, err := c.SendCustom(ctx, m); err != nil {
				return nil, "", err
			}
			return map[string]any{"to": to, "msgtype": msgType}, fmt.Sprintf("sent %s to %s\n", msgType, to), nil
		})
	}
	return cmd
}
