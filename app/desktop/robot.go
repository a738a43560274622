package desktop

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"

	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator/fixture"
)

// The group robot webhook sender (群机器人): the key is entered once and kept
// in the app's secret store (the OS keyring or secrets.json, like profile
// secrets) under the profile's name; it never comes back to the window.

// FieldRobotKey is the secret store field of a profile's robot webhook key.
const FieldRobotKey = "robotKey"

// RobotKeyDTO says whether a profile has a robot key, never the key.
type RobotKeyDTO struct {
	Profile string `json:"profile"`
	// Source is where the key comes from: "stored" (entered in the app),
	// "emulator" (the emulator's robot, for an emulated profile) or ""
	// (none: enter one).
	Source string `json:"source"`
	Store  string `json:"store,omitempty"` // keyring or file, for a stored key
}

// RobotRequest is one robot message.
type RobotRequest struct {
	Profile string `json:"profile"` // "" = active
	// MsgType is text (default), markdown, image, news, file or
	// template_card.
	MsgType          string         `json:"msgType"`
	Content          string         `json:"content"`          // text, markdown
	Mentioned        []string       `json:"mentioned"`        // text: userids to @ (@all for everyone)
	MentionedMobiles []string       `json:"mentionedMobiles"` // text: mobiles to @
	FileBase64       string         `json:"fileBase64"`       // image, file: the bytes, base64
	FileName         string         `json:"fileName"`         // file: its name
	Articles         []ArticleInput `json:"articles"`         // news: 1..8
	Card             string         `json:"card"`             // template_card JSON
}

// RobotSendDTO is the outcome of a robot send: OK, or the errcode.
type RobotSendDTO struct {
	OK      bool        `json:"ok"`
	MediaID string      `json:"mediaId,omitempty"` // a file uploaded first
	Error   *ErrcodeDTO `json:"error,omitempty"`
	// Target is "emulator" or the host the message went to.
	Target    string        `json:"target"`
	Exchanges []ExchangeDTO `json:"exchanges"`
}

// RobotTypes are the robot message types SendRobot offers.
var RobotTypes = []string{"text", "markdown", "markdown_v2", "image", "news", "file", "template_card"}

// robotImageLimit is the documented limit of a robot image (before base64).
const robotImageLimit = 2 << 20

// RobotKey reports whether the profile has a robot key.
func (s *MessageService) RobotKey(profile string) (RobotKeyDTO, error) {
	e, _, err := s.app.entry(profile)
	if err != nil {
		return RobotKeyDTO{}, err
	}
	_, d, err := s.robotKey(e)
	if errors.Is(err, errNoSecret) {
		return d, nil
	}
	return d, err
}

// SetRobotKey keeps the robot webhook key (or the whole webhook URL) of a
// profile in the secret store. It is checked for shape, not sent anywhere.
func (s *MessageService) SetRobotKey(profile, key string) (RobotKeyDTO, error) {
	e, _, err := s.app.entry(profile)
	if err != nil {
		return RobotKeyDTO{}, err
	}
	key = strings.TrimSpace(key)
	if _, err := api.NewRobot(key); err != nil {
		return RobotKeyDTO{}, fail("robot.badKey")
	}
	st, err := s.app.secretStore()
	if err != nil {
		return RobotKeyDTO{}, err
	}
	if err := st.Set(e.Name, FieldRobotKey, key); err != nil {
		return RobotKeyDTO{}, err
	}
	return RobotKeyDTO{Profile: e.Name, Source: "stored", Store: st.Kind()}, nil
}

// ForgetRobotKey removes the stored robot key of a profile.
func (s *MessageService) ForgetRobotKey(profile string) (RobotKeyDTO, error) {
	e, _, err := s.app.entry(profile)
	if err != nil {
		return RobotKeyDTO{}, err
	}
	st, err := s.app.secretStore()
	if err != nil {
		return RobotKeyDTO{}, err
	}
	if err := st.Delete(e.Name, FieldRobotKey); err != nil {
		return RobotKeyDTO{}, err
	}
	return s.RobotKey(e.Name)
}

// robotKey finds the key of e: stored, else the emulator's robot for an
// emulated profile (it talks to the emulator); errNoSecret when there is
// none.
func (s *MessageService) robotKey(e profileEntry) (string, RobotKeyDTO, error) {
	d := RobotKeyDTO{Profile: e.Name}
	st, err := s.app.secretStore()
	if err != nil {
		return "", d, err
	}
	k, err := st.Get(e.Name, FieldRobotKey)
	switch {
	case err == nil && k != "":
		d.Source, d.Store = "stored", st.Kind()
		return k, d, nil
	case err != nil && !errors.Is(err, errNoSecret):
		return "", d, err
	case e.Emulated:
		d.Source = "emulator"
		return fixture.RobotKey, d, nil
	}
	return "", d, errNoSecret
}

// SendRobot posts a message through the profile's robot webhook.
func (s *MessageService) SendRobot(req RobotRequest) (RobotSendDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	ctx, x := withExchanges(ctx)
	d, key, err := s.sendRobot(ctx, req)
	if err != nil {
		return RobotSendDTO{}, err
	}
	// The key travels in the query, which exchanges never show; an answer
	// that echoed it is redacted all the same.
	for _, ex := range x.all() {
		ex.Path, ex.Request, ex.Response = api.Redact(ex.Path, key), api.Redact(ex.Request, key), api.Redact(ex.Response, key)
		d.Exchanges = append(d.Exchanges, ex)
	}
	if d.Error != nil {
		d.Error.Errmsg = api.Redact(d.Error.Errmsg, key)
	}
	return d, nil
}

func (s *MessageService) sendRobot(ctx context.Context, req RobotRequest) (RobotSendDTO, string, error) {
	e, _, err := s.app.entry(req.Profile)
	if err != nil {
		return RobotSendDTO{}, "", err
	}
	if e.Platform != server.PlatformWeCom {
		return RobotSendDTO{}, "", fail("robot.wecomOnly", "name", e.Name)
	}
	key, _, err := s.robotKey(e)
	if errors.Is(err, errNoSecret) {
		return RobotSendDTO{}, "", fail("robot.noKey", "name", e.Name)
	}
	if err != nil {
		return RobotSendDTO{}, "", err
	}
	m := &api.RobotMessage{MsgType: req.MsgType}
	var upload []byte
	switch req.MsgType {
	case "", "text":
		if req.Content == "" {
			return RobotSendDTO{}, key, fail("msg.emptyText")
		}
		m.MsgType, m.Text = "text", &api.RobotText{Content: req.Content, MentionedList: nonEmpty(req.Mentioned), MentionedMobileList: nonEmpty(req.MentionedMobiles)}
	case "markdown":
		if req.Content == "" {
			return RobotSendDTO{}, key, fail("msg.emptyMarkdown")
		}
		m.Markdown = &api.Content{Content: req.Content}
	case "markdown_v2":
		if req.Content == "" {
			return RobotSendDTO{}, key, fail("msg.emptyMarkdown")
		}
		m.MarkdownV2 = &api.Content{Content: req.Content}
	case "image", "file":
		data, err := base64.StdEncoding.DecodeString(req.FileBase64)
		if err != nil || len(data) == 0 {
			return RobotSendDTO{}, key, fail("robot.needFile", "type", req.MsgType)
		}
		if req.MsgType == "image" {
			if len(data) > robotImageLimit {
				return RobotSendDTO{}, key, fail("robot.imageTooBig", "n", len(data))
			}
			m.Image = api.NewRobotImage(data)
		} else {
			if len(data) > maxUpload {
				return RobotSendDTO{}, key, fail("msg.uploadTooBig", "n", len(data))
			}
			upload = data
		}
	case "news":
		if len(req.Articles) == 0 || len(req.Articles) > 8 {
			return RobotSendDTO{}, key, fail("msg.newsCount", "n", len(req.Articles))
		}
		news := &api.News{}
		for i, a := range req.Articles {
			if a.Title == "" || a.URL == "" {
				return RobotSendDTO{}, key, fail("robot.articleNeeds", "n", i+1)
			}
			news.Articles = append(news.Articles, api.Article{Title: a.Title, Description: a.Description, URL: a.URL, PicURL: a.PicURL})
		}
		m.News = news
	case "template_card":
		card := bytes.TrimSpace([]byte(req.Card))
		if len(card) == 0 || card[0] != '{' || !json.Valid(card) {
			return RobotSendDTO{}, key, fail("msg.templateCard")
		}
		m.TemplateCard = json.RawMessage(card)
	default:
		return RobotSendDTO{}, key, fail("msg.type", "type", req.MsgType, "types", strings.Join(RobotTypes, ", "))
	}
	opts := []api.Option{api.WithHTTPClient(s.app.http), api.WithClock(s.app.now)}
	target := "qyapi.weixin.qq.com"
	if e.APIBaseURL != "" {
		opts = append(opts, api.WithBaseURL(e.APIBaseURL))
		target = e.APIBaseURL
	}
	if e.Emulated {
		target = "emulator"
	}
	r, err := api.NewRobot(key, opts...)
	if err != nil {
		return RobotSendDTO{}, key, fail("robot.badKey")
	}
	d := RobotSendDTO{Target: target}
	if upload != nil {
		name := req.FileName
		if name == "" {
			name = "file"
		}
		up, err := r.UploadWebhookMedia(ctx, "file", name, bytes.NewReader(upload))
		if err != nil {
			if ec, ok := asErrcode(err); ok {
				d.Error = &ec
				return d, key, nil
			}
			return RobotSendDTO{}, key, failWrap("msg.uploadFailed", errors.New(api.Redact(err.Error(), key)), "kind", "file")
		}
		d.MediaID = up.MediaID
		m.File = &api.MediaRef{MediaID: up.MediaID}
	}
	if _, err := r.SendWebhook(ctx, m); err != nil {
		if ec, ok := asErrcode(err); ok {
			d.Error = &ec
			return d, key, nil
		}
		return RobotSendDTO{}, key, failWrap("msg.sendFailed", errors.New(api.Redact(err.Error(), key)))
	}
	d.OK = true
	return d, key, nil
}

func nonEmpty(l []string) []string {
	var out []string
	for _, s := range l {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
