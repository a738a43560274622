package message

import (
	"errors"
	"strconv"

	"github.com/wwkit/wwkit/internal/xmlscan"
)

// Passive reply builders (被动回复). Each returns the plaintext reply XML in
// the element order of the official templates: ToUserName (the sender of the
// message being answered: UserID or OpenID), FromUserName (CorpID or the MP
// original id), CreateTime, MsgType, then the body. Text is wrapped in CDATA;
// a "]]>" inside a value is split across two CDATA sections, so any string
// round-trips through Parse.

func header(to, from string, createTime int64, msgType string, extra int) []byte {
	b := make([]byte, 0, 192+len(to)+len(from)+extra)
	b = append(b, "<xml><ToUserName>"...)
	b = xmlscan.AppendCDATA(b, to)
	b = append(b, "</ToUserName><FromUserName>"...)
	b = xmlscan.AppendCDATA(b, from)
	b = append(b, "</FromUserName><CreateTime>"...)
	b = strconv.AppendInt(b, createTime, 10)
	b = append(b, "</CreateTime><MsgType>"...)
	b = xmlscan.AppendCDATA(b, msgType)
	return append(b, "</MsgType>"...)
}

func elem(b []byte, name, value string) []byte {
	b = append(b, '<')
	b = append(b, name...)
	b = append(b, '>')
	b = xmlscan.AppendCDATA(b, value)
	b = append(b, "</"...)
	b = append(b, name...)
	return append(b, '>')
}

// NewTextReply builds a text reply. WeCom truncates Content beyond 2048 bytes.
func NewTextReply(to, from string, createTime int64, content string) []byte {
	b := header(to, from, createTime, "text", len(content)+32)
	b = elem(b, "Content", content)
	return append(b, "</xml>"...)
}

// NewImageReply builds an image reply from an uploaded media id.
func NewImageReply(to, from string, createTime int64, mediaID string) []byte {
	b := header(to, from, createTime, "image", len(mediaID)+48)
	b = append(b, "<Image>"...)
	b = elem(b, "MediaId", mediaID)
	return append(b, "</Image></xml>"...)
}

// NewVoiceReply builds a voice reply from an uploaded media id.
func NewVoiceReply(to, from string, createTime int64, mediaID string) []byte {
	b := header(to, from, createTime, "voice", len(mediaID)+48)
	b = append(b, "<Voice>"...)
	b = elem(b, "MediaId", mediaID)
	return append(b, "</Voice></xml>"...)
}

// NewVideoReply builds a video reply; title and description may be empty.
func NewVideoReply(to, from string, createTime int64, mediaID, title, description string) []byte {
	b := header(to, from, createTime, "video", len(mediaID)+len(title)+len(description)+128)
	b = append(b, "<Video>"...)
	b = elem(b, "MediaId", mediaID)
	b = elem(b, "Title", title)
	b = elem(b, "Description", description)
	return append(b, "</Video></xml>"...)
}

// Music is the body of a music reply (Official Accounts only).
type Music struct {
	Title, Description, MusicURL, HQMusicURL, ThumbMediaID string
}

// NewMusicReply builds a music reply (MP only).
func NewMusicReply(to, from string, createTime int64, m Music) []byte {
	b := header(to, from, createTime, "music", len(m.Title)+len(m.Description)+len(m.MusicURL)+len(m.HQMusicURL)+len(m.ThumbMediaID)+200)
	b = append(b, "<Music>"...)
	b = elem(b, "Title", m.Title)
	b = elem(b, "Description", m.Description)
	b = elem(b, "MusicUrl", m.MusicURL)
	b = elem(b, "HQMusicUrl", m.HQMusicURL)
	b = elem(b, "ThumbMediaId", m.ThumbMediaID)
	return append(b, "</Music></xml>"...)
}

// Article is one item of a news reply.
type Article struct{ Title, Description, PicURL, URL string }

// MaxArticles is the most articles a news reply may carry (WeCom: 8
// [unconfirmed]; MP currently shows only the first).
const MaxArticles = 8

// ErrArticleCount reports a news reply with no articles or more than MaxArticles.
var ErrArticleCount = errors.New("message: a news reply needs 1 to 8 articles")

// NewNewsReply builds a news (图文) reply.
func NewNewsReply(to, from string, createTime int64, articles []Article) ([]byte, error) {
	if len(articles) == 0 || len(articles) > MaxArticles {
		return nil, ErrArticleCount
	}
	n := 0
	for _, a := range articles {
		n += len(a.Title) + len(a.Description) + len(a.PicURL) + len(a.URL) + 160
	}
	b := header(to, from, createTime, "news", n+64)
	b = append(b, "<ArticleCount>"...)
	b = strconv.AppendInt(b, int64(len(articles)), 10)
	b = append(b, "</ArticleCount><Articles>"...)
	for _, a := range articles {
		b = append(b, "<item>"...)
		b = elem(b, "Title", a.Title)
		b = elem(b, "Description", a.Description)
		b = elem(b, "PicUrl", a.PicURL)
		b = elem(b, "Url", a.URL)
		b = append(b, "</item>"...)
	}
	return append(b, "</Articles></xml>"...), nil
}

// NewUpdateButtonReply answers a WeCom template_card_event by changing the
// clicked button's text for that user (MsgType update_button). The layout
// follows the WeCom 被动回复 page's TOC entry; the element names are
// [unconfirmed] beyond Button/ReplaceName.
func NewUpdateButtonReply(to, from string, createTime int64, replaceName string) []byte {
	b := header(to, from, createTime, "update_button", len(replaceName)+64)
	b = append(b, "<Button>"...)
	b = elem(b, "ReplaceName", replaceName)
	return append(b, "</Button></xml>"...)
}
