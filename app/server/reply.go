package server

import (
	"fmt"
	"strings"

	"github.com/wwkit/wwkit/core/message"
)

// ReplyRules describes the passive reply (被动回复) rules a profile can
// have, for help texts and errors. Fields after the first are separated by
// "|" and may be left empty from the end.
const ReplyRules = `none                                         no reply (an empty 200)
echo                                         a text message answered with its own content
text:CONTENT                                 this text
image:MEDIA_ID                               an uploaded image
voice:MEDIA_ID                               an uploaded voice
video:MEDIA_ID|TITLE|DESCRIPTION             an uploaded video
music:MUSIC_URL|THUMB_MEDIA_ID|TITLE|DESCRIPTION|HQ_MUSIC_URL   (Official Account only)
news:TITLE|DESCRIPTION|URL|PICURL            one news (图文) article`

// replyRule is a parsed Profile.Reply.
type replyRule struct {
	kind   string   // none, echo, text, image, voice, video, music, news
	fields []string // the "|"-separated fields after "kind:" (text: the whole rest)
}

// parseReply parses rule for a profile of platform ("" for either) and
// says what is wrong with it and how to write it.
func parseReply(platform, rule string) (replyRule, error) {
	switch rule {
	case "", ReplyNone:
		return replyRule{kind: ReplyNone}, nil
	case ReplyEcho:
		return replyRule{kind: ReplyEcho}, nil
	}
	kind, rest, ok := strings.Cut(rule, ":")
	bad := func(why string) (replyRule, error) {
		return replyRule{}, fmt.Errorf("server: reply rule %q: %s; the rules are:\n%s", rule, why, ReplyRules)
	}
	if !ok {
		return bad("unknown rule")
	}
	if kind == "text" {
		if rest == "" {
			return bad("text: needs the text to answer")
		}
		return replyRule{kind: kind, fields: []string{rest}}, nil
	}
	fields := strings.Split(rest, "|")
	max, need := map[string]int{"image": 1, "voice": 1, "video": 3, "music": 5, "news": 4}, map[string]int{"image": 1, "voice": 1, "video": 1, "music": 2, "news": 1}
	n, known := max[kind]
	switch {
	case !known:
		return bad("unknown rule " + kind + ":")
	case len(fields) > n:
		return bad(fmt.Sprintf("%s: takes at most %d fields separated by |", kind, n))
	case kind == "music" && platform == PlatformWeCom:
		return bad("music replies exist for Official Accounts only")
	}
	for i := 0; i < need[kind]; i++ {
		if i >= len(fields) || strings.TrimSpace(fields[i]) == "" {
			return bad(fmt.Sprintf("%s: needs its first %d field(s)", kind, need[kind]))
		}
	}
	for len(fields) < n {
		fields = append(fields, "")
	}
	return replyRule{kind: kind, fields: fields}, nil
}

// ValidReply reports whether rule is a passive reply rule a profile of
// platform (PlatformWeCom, PlatformMP, or "" for either) can use; the
// error lists the rules.
func ValidReply(platform, rule string) error {
	_, err := parseReply(platform, rule)
	return err
}

// build answers m by the rule; nil means no reply. Only echo looks at the
// message; the other rules answer every message from a user, never the
// system's events (FromUserName "sys" or empty).
func (r replyRule) build(m *message.Message, now int64) []byte {
	to, from := m.FromUserName, m.ToUserName
	if r.kind == ReplyNone {
		return nil
	}
	if r.kind == ReplyEcho {
		if t, ok := m.Body.(*message.Text); ok {
			return message.NewTextReply(to, from, now, t.Content)
		}
		return nil
	}
	if to == "" || to == "sys" {
		return nil
	}
	f := r.fields
	switch r.kind {
	case "text":
		return message.NewTextReply(to, from, now, f[0])
	case "image":
		return message.NewImageReply(to, from, now, f[0])
	case "voice":
		return message.NewVoiceReply(to, from, now, f[0])
	case "video":
		return message.NewVideoReply(to, from, now, f[0], f[1], f[2])
	case "music":
		return message.NewMusicReply(to, from, now, message.Music{MusicURL: f[0], ThumbMediaID: f[1], Title: f[2], Description: f[3], HQMusicURL: f[4]})
	case "news":
		b, err := message.NewNewsReply(to, from, now, []message.Article{{Title: f[0], Description: f[1], URL: f[2], PicURL: f[3]}})
		if err != nil {
			return nil
		}
		return b
	}
	return nil
}
