package api

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// UpdateTemplateCard is the body of message/update_template_card (更新模版卡片消息).
// ResponseCode comes from the message/send of an interactive template card
// (SendResult.ResponseCode) or from the card's click callback; it works once
// and for 72 hours. Set either Button (grey out the buttons with a new text)
// or TemplateCard (replace the card). Choose who sees the update with
// UserIDs/PartyIDs/TagIDs or AtAll=1 (everyone who got the card).
type UpdateTemplateCard struct {
	UserIDs                []string        `json:"userids,omitempty"`
	PartyIDs               []int64         `json:"partyids,omitempty"`
	TagIDs                 []int64         `json:"tagids,omitempty"`
	AtAll                  int             `json:"atall,omitempty"`
	AgentID                int64           `json:"agentid"`
	ResponseCode           string          `json:"response_code"`
	Button                 *ReplaceButton  `json:"button,omitempty"`
	TemplateCard           json.RawMessage `json:"template_card,omitempty"`
	EnableIDTrans          int             `json:"enable_id_trans,omitempty"`
	EnableDuplicateCheck   int             `json:"enable_duplicate_check,omitempty"`
	DuplicateCheckInterval int             `json:"duplicate_check_interval,omitempty"`
}

// ReplaceButton greys out a card's buttons and shows ReplaceName instead.
type ReplaceButton struct {
	ReplaceName string `json:"replace_name"`
}

// UpdateCardResult answers message/update_template_card: the recipients that
// name nobody (errcode 0 when some are valid).
type UpdateCardResult struct {
	InvalidUser IDList `json:"invaliduser,omitempty"`
}

// IDList decodes a list of ids sent either as a JSON array or as a "a|b"
// string: the update_template_card documentation shows an array, message/send
// a string, so both are accepted.
type IDList []string

// UnmarshalJSON implements json.Unmarshaler.
func (l *IDList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = nil
		for _, p := range strings.Split(s, "|") {
			if p != "" {
				*l = append(*l, p)
			}
		}
		return nil
	}
	var a []string
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	*l = a
	return nil
}

// AppChatCreate is the body of appchat/create (创建群聊会话): 2 to 2000
// members (UserList), an optional Owner among them (a random member when
// empty) and an optional ChatID (0-9, a-z, A-Z, at most 32 characters;
// generated when empty).
type AppChatCreate struct {
	Name     string   `json:"name,omitempty"`
	Owner    string   `json:"owner,omitempty"`
	UserList []string `json:"userlist"`
	ChatID   string   `json:"chatid,omitempty"`
}

// AppChatCreated answers appchat/create.
type AppChatCreated struct {
	ChatID string `json:"chatid"`
}

// AppChatUpdate is the body of appchat/update (修改群聊会话): only the
// fields set change.
type AppChatUpdate struct {
	ChatID      string   `json:"chatid"`
	Name        string   `json:"name,omitempty"`
	Owner       string   `json:"owner,omitempty"`
	AddUserList []string `json:"add_user_list,omitempty"`
	DelUserList []string `json:"del_user_list,omitempty"`
}

// AppChatInfo answers appchat/get (获取群聊会话).
type AppChatInfo struct {
	ChatInfo AppChat `json:"chat_info"`
}

// AppChat is a group chat an app created.
type AppChat struct {
	ChatID   string   `json:"chatid"`
	Name     string   `json:"name"`
	Owner    string   `json:"owner"`
	UserList []string `json:"userlist"`
	ChatType int      `json:"chat_type"` // 0 an ordinary chat
}

// AppChatMessage is the body of appchat/send (应用推送消息): a message to a
// chat the app created. The payloads are message/send's, except that a chat
// takes no template_card or miniprogram_notice.
type AppChatMessage struct {
	ChatID   string    `json:"chatid"`
	MsgType  string    `json:"msgtype"`
	Text     *Content  `json:"text,omitempty"`
	Markdown *Content  `json:"markdown,omitempty"`
	Image    *MediaRef `json:"image,omitempty"`
	Voice    *MediaRef `json:"voice,omitempty"`
	File     *MediaRef `json:"file,omitempty"`
	Video    *Video    `json:"video,omitempty"`
	TextCard *TextCard `json:"textcard,omitempty"`
	News     *News     `json:"news,omitempty"`
	MPNews   *MPNews   `json:"mpnews,omitempty"`
	Safe     int       `json:"safe,omitempty"`
}

// RobotMessage is the body of a group robot webhook send (群机器人发送消息).
// Set MsgType and the matching payload.
type RobotMessage struct {
	MsgType  string     `json:"msgtype"`
	Text     *RobotText `json:"text,omitempty"`
	Markdown *Content   `json:"markdown,omitempty"`
	// MarkdownV2 is msgtype markdown_v2: fuller markdown (tables, lists,
	// code blocks), content at most 4096 bytes [secondary: SDKs send it so].
	MarkdownV2   *Content        `json:"markdown_v2,omitempty"`
	Image        *RobotImage     `json:"image,omitempty"`
	News         *News           `json:"news,omitempty"`
	File         *MediaRef       `json:"file,omitempty"`
	Voice        *MediaRef       `json:"voice,omitempty"`
	TemplateCard json.RawMessage `json:"template_card,omitempty"`
}

// RobotText is a robot text message: Content (at most 2048 bytes) and who
// to mention (@) by userid or mobile; "@all" mentions everyone.
type RobotText struct {
	Content             string   `json:"content"`
	MentionedList       []string `json:"mentioned_list,omitempty"`
	MentionedMobileList []string `json:"mentioned_mobile_list,omitempty"`
}

// RobotImage is a robot image message: the image itself, base64-encoded,
// and the MD5 of the raw bytes (before base64), at most 2 MB, JPG or PNG.
type RobotImage struct {
	Base64 string `json:"base64"`
	MD5    string `json:"md5"`
}

// NewRobotImage encodes data as a RobotImage with its MD5.
func NewRobotImage(data []byte) *RobotImage {
	sum := md5.Sum(data)
	return &RobotImage{Base64: base64.StdEncoding.EncodeToString(data), MD5: hex.EncodeToString(sum[:])}
}

// Robot is a client of one group robot (群机器人) webhook. The webhook key is
// the robot's only credential: anyone holding it can post to the group, so
// it is treated as a secret (never logged, never in errors or call records).
// A Robot needs no access_token. It is safe for concurrent use.
type Robot struct {
	*client
	key string
}

// NewRobot returns a client for the robot whose webhook key or whole webhook
// URL (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY) is given.
// With a URL, its scheme and host become the base URL unless WithBaseURL is
// given too.
func NewRobot(keyOrURL string, opts ...Option) (*Robot, error) {
	key, base, err := parseRobotKey(keyOrURL)
	if err != nil {
		return nil, err
	}
	if base != "" {
		opts = append([]Option{WithBaseURL(base)}, opts...)
	}
	cl, err := newClient(PlatformWeCom, WeComBaseURL, opts)
	if err != nil {
		return nil, err
	}
	cl.kind = "Robot" // its endpoints are listed under this client (no token)
	return &Robot{client: cl, key: key}, nil
}

// parseRobotKey reads a webhook key or URL; base is the URL's base ("" for
// a bare key).
func parseRobotKey(s string) (key, base string, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", errors.New("api: the robot webhook key is empty: copy it from the group's robot settings (群机器人 → 复制 Webhook 地址); wwkit takes the key or the whole URL")
	}
	if strings.Contains(s, "://") {
		u, perr := url.Parse(s)
		if perr != nil || u.Host == "" {
			return "", "", fmt.Errorf("api: the robot webhook URL %q is not a URL; expected https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY", Redact(s))
		}
		key = u.Query().Get("key")
		if key == "" {
			return "", "", fmt.Errorf("api: the robot webhook URL %q has no key parameter; expected …/cgi-bin/webhook/send?key=KEY", Redact(s))
		}
		i := strings.Index(u.Path, "/cgi-bin/webhook/")
		if i < 0 {
			return "", "", fmt.Errorf("api: the robot webhook URL %q does not end in /cgi-bin/webhook/send", Redact(s))
		}
		base = u.Scheme + "://" + u.Host + u.Path[:i]
		s = key
	}
	for _, c := range s {
		if !(c == '-' || c == '_' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')) {
			return "", "", errors.New("api: the robot webhook key has characters a key never has (it looks like 693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa); paste the key or the whole webhook URL")
		}
	}
	return s, base, nil
}

// Text posts a text message, mentioning the given userids ("@all" for
// everyone).
func (r *Robot) Text(ctx context.Context, content string, mentioned ...string) error {
	_, err := r.SendWebhook(ctx, &RobotMessage{MsgType: "text", Text: &RobotText{Content: content, MentionedList: mentioned}})
	return err
}

// Markdown posts a markdown message.
func (r *Robot) Markdown(ctx context.Context, content string) error {
	_, err := r.SendWebhook(ctx, &RobotMessage{MsgType: "markdown", Markdown: &Content{Content: content}})
	return err
}

// Image posts an image (JPG or PNG, at most 2 MB before base64).
func (r *Robot) Image(ctx context.Context, data []byte) error {
	_, err := r.SendWebhook(ctx, &RobotMessage{MsgType: "image", Image: NewRobotImage(data)})
	return err
}
