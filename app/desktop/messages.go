package desktop

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/message"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// MessageService sends test app messages and simulates callbacks (模拟回调)
// the way the official debug tool does.
type MessageService struct{ app *App }

// SendRequest is a test app message (应用消息) for message/send.
type SendRequest struct {
	Profile string `json:"profile"` // "" = active; must be a WeCom profile
	ToUser  string `json:"toUser"`  // "a|b" or "@all"
	ToParty string `json:"toParty"` // "1|2"
	ToTag   string `json:"toTag"`   // "1|2"
	// MsgType is one of MessageTypes: text (default), markdown, textcard,
	// news, image, voice, video, file, template_card.
	MsgType        string         `json:"msgType"`
	Content        string         `json:"content"`    // text / markdown content, textcard and video description
	Title          string         `json:"title"`      // textcard, video
	URL            string         `json:"url"`        // textcard
	BtnText        string         `json:"btnText"`    // textcard, optional
	MediaID        string         `json:"mediaId"`    // image, voice, video, file: an uploaded media_id, or
	FilePath       string         `json:"filePath"`   // a local file to upload first (media/upload)
	FileBase64     string         `json:"fileBase64"` // or the file's bytes (a browser file picker)
	FileName       string         `json:"fileName"`   // the name for FileBase64
	Articles       []ArticleInput `json:"articles"`   // news: 1..8 articles
	Card           string         `json:"card"`       // template_card: the template_card object as JSON
	Safe           bool           `json:"safe"`       // 保密消息
	EnableIDTrans  bool           `json:"enableIdTrans"`
	DuplicateCheck bool           `json:"duplicateCheck"` // enable_duplicate_check (with the default 1800 s interval)
}

// ArticleInput is one news (图文) article.
type ArticleInput struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	URL         string `json:"url"`
	PicURL      string `json:"picUrl"`
}

// MessageTypes are the app message types Send offers (those the API
// client's api.Message carries; mpnews and miniprogram_notice are not in
// it).
var MessageTypes = []string{"text", "markdown", "textcard", "news", "image", "voice", "video", "file", "template_card"}

// SendDTO is the outcome of a send: either the result fields or the errcode.
type SendDTO struct {
	OK           bool        `json:"ok"`
	MsgID        string      `json:"msgId,omitempty"`
	InvalidUser  string      `json:"invalidUser,omitempty"`
	InvalidParty string      `json:"invalidParty,omitempty"`
	InvalidTag   string      `json:"invalidTag,omitempty"`
	ResponseCode string      `json:"responseCode,omitempty"` // template_card with buttons: to update the card later
	MediaID      string      `json:"mediaId,omitempty"`      // the media_id of an uploaded file
	Error        *ErrcodeDTO `json:"error,omitempty"`
	// Exchanges are the API requests made (upload, send) with the raw
	// answers.
	Exchanges []ExchangeDTO `json:"exchanges"`
}

// maxUpload bounds a file uploaded for a media message (WeCom allows 20 MB
// for files, less for the other types).
const maxUpload = 20 << 20

// Types returns the app message types Send offers.
func (s *MessageService) Types() []string { return append([]string(nil), MessageTypes...) }

// Send sends a test app message from the profile's app.
func (s *MessageService) Send(req SendRequest) (SendDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	ctx, x := withExchanges(ctx)
	d, err := s.send(ctx, req)
	if err == nil {
		d.Exchanges = x.all()
	}
	return d, err
}

func (s *MessageService) send(ctx context.Context, req SendRequest) (SendDTO, error) {
	p, c, err := s.app.profile(req.Profile)
	if err != nil {
		return SendDTO{}, err
	}
	if c.wecom == nil {
		return SendDTO{}, fail("msg.wecomOnly", "name", p.Name)
	}
	if req.ToUser == "" && req.ToParty == "" && req.ToTag == "" {
		return SendDTO{}, fail("msg.noRecipient")
	}
	m := &api.Message{ToUser: req.ToUser, ToParty: req.ToParty, ToTag: req.ToTag}
	if req.Safe {
		m.Safe = 1
	}
	if req.EnableIDTrans {
		m.EnableIDTrans = 1
	}
	if req.DuplicateCheck {
		m.EnableDuplicateCheck = 1
	}
	var d SendDTO
	media := func(kind string) (string, error) {
		id, dto, err := s.upload(ctx, c, kind, req)
		if dto != nil {
			d = *dto
		}
		return id, err
	}
	switch req.MsgType {
	case "", "text":
		if req.Content == "" {
			return SendDTO{}, fail("msg.emptyText")
		}
		m.MsgType, m.Text = "text", &api.Content{Content: req.Content}
	case "markdown":
		if req.Content == "" {
			return SendDTO{}, fail("msg.emptyMarkdown")
		}
		m.MsgType, m.Markdown = "markdown", &api.Content{Content: req.Content}
	case "textcard":
		if req.Title == "" || req.URL == "" {
			return SendDTO{}, fail("msg.textcardTitle")
		}
		if req.Content == "" {
			return SendDTO{}, fail("msg.textcardDesc")
		}
		m.MsgType, m.TextCard = "textcard", &api.TextCard{Title: req.Title, Description: req.Content, URL: req.URL, BtnTxt: req.BtnText}
	case "news":
		if len(req.Articles) == 0 || len(req.Articles) > 8 {
			return SendDTO{}, fail("msg.newsCount", "n", len(req.Articles))
		}
		news := &api.News{}
		for i, a := range req.Articles {
			if a.Title == "" {
				return SendDTO{}, fail("msg.articleTitle", "n", i+1)
			}
			news.Articles = append(news.Articles, api.Article{Title: a.Title, Description: a.Description, URL: a.URL, PicURL: a.PicURL})
		}
		m.MsgType, m.News = "news", news
	case "image", "voice", "file", "video":
		id, err := media(req.MsgType)
		if err != nil {
			return SendDTO{}, err
		}
		if id == "" {
			return d, nil // the upload answered an errcode
		}
		m.MsgType = req.MsgType
		switch req.MsgType {
		case "image":
			m.Image = &api.MediaRef{MediaID: id}
		case "voice":
			m.Voice = &api.MediaRef{MediaID: id}
		case "file":
			m.File = &api.MediaRef{MediaID: id}
		case "video":
			m.Video = &api.Video{MediaID: id, Title: req.Title, Description: req.Content}
		}
	case "template_card":
		card := bytes.TrimSpace([]byte(req.Card))
		if len(card) == 0 || card[0] != '{' || !json.Valid(card) {
			return SendDTO{}, fail("msg.templateCard")
		}
		m.MsgType, m.TemplateCard = "template_card", json.RawMessage(card)
	default:
		return SendDTO{}, fail("msg.type", "type", req.MsgType, "types", strings.Join(MessageTypes, ", "))
	}
	res, err := c.wecom.Send(ctx, m)
	if err != nil {
		if ec, ok := asErrcode(err); ok {
			return SendDTO{Error: &ec, MediaID: d.MediaID}, nil
		}
		return SendDTO{}, failWrap("msg.sendFailed", err)
	}
	return SendDTO{OK: true, MsgID: res.MsgID, InvalidUser: res.InvalidUser, InvalidParty: res.InvalidParty, InvalidTag: res.InvalidTag,
		ResponseCode: res.ResponseCode, MediaID: d.MediaID}, nil
}

// upload returns the media_id of a media message: the one given, or one
// from uploading the file. An upload errcode comes back in dto with an
// empty id.
func (s *MessageService) upload(ctx context.Context, c *clients, kind string, req SendRequest) (string, *SendDTO, error) {
	given := 0
	for _, v := range []string{req.MediaID, req.FilePath, req.FileBase64} {
		if v != "" {
			given++
		}
	}
	if given != 1 {
		return "", nil, fail("msg.mediaOne", "kind", kind)
	}
	if req.MediaID != "" {
		return req.MediaID, nil, nil
	}
	var data []byte
	name := req.FileName
	if req.FilePath != "" {
		fi, err := os.Stat(req.FilePath)
		if err != nil {
			return "", nil, failWrap("msg.fileStat", err)
		}
		if fi.Size() > maxUpload {
			return "", nil, fail("msg.fileTooBig", "path", req.FilePath, "n", fi.Size())
		}
		if data, err = os.ReadFile(req.FilePath); err != nil {
			return "", nil, failWrap("msg.fileRead", err)
		}
		if name == "" {
			name = filepath.Base(req.FilePath)
		}
	} else {
		var err error
		if data, err = base64.StdEncoding.DecodeString(req.FileBase64); err != nil {
			return "", nil, fail("msg.notBase64")
		}
		if len(data) > maxUpload {
			return "", nil, fail("msg.uploadTooBig", "n", len(data))
		}
	}
	if name == "" {
		name = kind
	}
	up, err := c.wecom.UploadMedia(ctx, kind, name, bytes.NewReader(data))
	if err != nil {
		if ec, ok := asErrcode(err); ok {
			return "", &SendDTO{Error: &ec}, nil
		}
		return "", nil, failWrap("msg.uploadFailed", err, "kind", kind)
	}
	return up.MediaID, &SendDTO{MediaID: up.MediaID}, nil
}

// TemplateRequest is an Official Account template message (模板消息).
type TemplateRequest struct {
	Profile         string            `json:"profile"` // "" = active; an Official Account
	ToUser          string            `json:"toUser"`  // openid
	TemplateID      string            `json:"templateId"`
	URL             string            `json:"url"`
	MiniProgramApp  string            `json:"miniProgramAppId"`
	MiniProgramPage string            `json:"miniProgramPagePath"`
	Data            map[string]string `json:"data"` // field name → value, e.g. {"first": "…", "keyword1": "…"}
}

// MPSendDTO is the outcome of an Official Account send.
type MPSendDTO struct {
	OK    bool        `json:"ok"`
	MsgID int64       `json:"msgId,omitempty"` // template messages
	Error *ErrcodeDTO `json:"error,omitempty"`
	// Exchanges are the API requests made with the raw answers.
	Exchanges []ExchangeDTO `json:"exchanges"`
}

// SendTemplate sends a template message (message/template/send).
func (s *MessageService) SendTemplate(req TemplateRequest) (MPSendDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	ctx, x := withExchanges(ctx)
	d, err := s.sendTemplate(ctx, req)
	if err == nil {
		d.Exchanges = x.all()
	}
	return d, err
}

func (s *MessageService) sendTemplate(ctx context.Context, req TemplateRequest) (MPSendDTO, error) {
	p, c, err := s.app.profile(req.Profile)
	if err != nil {
		return MPSendDTO{}, err
	}
	if c.mp == nil {
		return MPSendDTO{}, fail("msg.templateMPOnly", "name", p.Name)
	}
	if req.ToUser == "" || req.TemplateID == "" {
		return MPSendDTO{}, fail("msg.templateNeeds")
	}
	m := &api.TemplateMessage{ToUser: req.ToUser, TemplateID: req.TemplateID, URL: req.URL, Data: map[string]api.TemplateValue{}}
	if req.MiniProgramApp != "" {
		m.MiniProgram = &api.MiniProgram{AppID: req.MiniProgramApp, PagePath: req.MiniProgramPage}
	}
	for k, v := range req.Data {
		m.Data[k] = api.TemplateValue{Value: v}
	}
	res, err := c.mp.SendTemplate(ctx, m)
	if err != nil {
		if ec, ok := asErrcode(err); ok {
			return MPSendDTO{Error: &ec}, nil
		}
		return MPSendDTO{}, failWrap("msg.templateFailed", err)
	}
	return MPSendDTO{OK: true, MsgID: res.MsgID}, nil
}

// CustomRequest is an Official Account customer-service message (客服消息),
// allowed within 48 hours of the user's last interaction.
type CustomRequest struct {
	Profile  string         `json:"profile"` // "" = active; an Official Account
	ToUser   string         `json:"toUser"`  // openid
	MsgType  string         `json:"msgType"` // text (default), image, voice, news
	Content  string         `json:"content"` // text
	MediaID  string         `json:"mediaId"` // image, voice
	Articles []ArticleInput `json:"articles"`
}

// SendCustom sends a customer-service message (message/custom/send).
func (s *MessageService) SendCustom(req CustomRequest) (MPSendDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	ctx, x := withExchanges(ctx)
	d, err := s.sendCustom(ctx, req)
	if err == nil {
		d.Exchanges = x.all()
	}
	return d, err
}

func (s *MessageService) sendCustom(ctx context.Context, req CustomRequest) (MPSendDTO, error) {
	p, c, err := s.app.profile(req.Profile)
	if err != nil {
		return MPSendDTO{}, err
	}
	if c.mp == nil {
		return MPSendDTO{}, fail("msg.customMPOnly", "name", p.Name)
	}
	if req.ToUser == "" {
		return MPSendDTO{}, fail("msg.customNeedsTo")
	}
	m := &api.CustomMessage{ToUser: req.ToUser}
	switch req.MsgType {
	case "", "text":
		if req.Content == "" {
			return MPSendDTO{}, fail("msg.emptyText")
		}
		m.MsgType, m.Text = "text", &api.Content{Content: req.Content}
	case "image", "voice":
		if req.MediaID == "" {
			return MPSendDTO{}, fail("msg.customMedia", "type", req.MsgType)
		}
		m.MsgType = req.MsgType
		if req.MsgType == "image" {
			m.Image = &api.MediaRef{MediaID: req.MediaID}
		} else {
			m.Voice = &api.MediaRef{MediaID: req.MediaID}
		}
	case "news":
		if len(req.Articles) != 1 {
			return MPSendDTO{}, fail("msg.customNewsOne")
		}
		a := req.Articles[0]
		if a.Title == "" {
			return MPSendDTO{}, fail("msg.articleNoTitle")
		}
		m.MsgType, m.News = "news", &api.News{Articles: []api.Article{{Title: a.Title, Description: a.Description, URL: a.URL, PicURL: a.PicURL}}}
	default:
		return MPSendDTO{}, fail("msg.customType", "type", req.MsgType)
	}
	if _, err := c.mp.SendCustom(ctx, m); err != nil {
		if ec, ok := asErrcode(err); ok {
			return MPSendDTO{Error: &ec}, nil
		}
		return MPSendDTO{}, failWrap("msg.customFailed", err)
	}
	return MPSendDTO{OK: true}, nil
}

// SimulateRequest describes a callback a user would trigger.
type SimulateRequest struct {
	Profile string `json:"profile"` // "" = active; its Token/EncodingAESKey encrypt the message
	URL     string `json:"url"`     // callback URL; "" = this app's dev server /callback/PROFILE
	From    string `json:"from"`    // sender userid/openid; default "wwkit-sim"
	// MsgType is text (default), image, voice, video, shortvideo,
	// location, link, file or event.
	MsgType  string `json:"msgType"`
	Content  string `json:"content"`  // text
	Event    string `json:"event"`    // event: subscribe, click, enter_agent, SCAN, …
	EventKey string `json:"eventKey"` // event key
	// Fields adds elements to the message, by name: PicUrl and MediaId
	// (image), Format (voice), ThumbMediaId (video), Location_X,
	// Location_Y, Scale, Label (location), Title, Description, Url (link),
	// Ticket (SCAN), ChangeType (change_contact), … — any event's fields.
	Fields map[string]string `json:"fields"`
	XML    string            `json:"xml"` // when set, sent verbatim as the plaintext message
}

// SimulateDTO is what the callback URL answered.
type SimulateDTO struct {
	URL        string  `json:"url"` // without the query
	Status     int     `json:"status"`
	Message    string  `json:"message"`  // the plaintext XML that was sent
	RawReply   string  `json:"rawReply"` // the body as received (an encrypted envelope, "success" or "")
	Reply      string  `json:"reply"`    // decrypted passive reply XML, "" when none
	ReplyType  string  `json:"replyMsgType,omitempty"`
	ReplyError string  `json:"replyError,omitempty"` // why the reply could not be decrypted
	LatencyMs  float64 `json:"latencyMs"`
	Error      string  `json:"error,omitempty"` // the POST itself failed (connection refused, timeout)
}

// maxReply bounds the callback answer read.
const maxReply = 1 << 20

// Simulate builds the message or event XML, encrypts it with the profile's
// Token and EncodingAESKey (safe mode, 安全模式), POSTs it to the callback URL
// with msg_signature/timestamp/nonce (and, for an Official Account,
// signature/openid/encrypt_type as it sends them) and decrypts the passive
// reply.
func (s *MessageService) Simulate(req SimulateRequest) (SimulateDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	p, c, err := s.app.profile(req.Profile)
	if err != nil {
		return SimulateDTO{}, err
	}
	target := req.URL
	if target == "" {
		l, err := s.app.current()
		if err != nil {
			return SimulateDTO{}, err
		}
		target = l.url + "/callback/" + p.Name
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return SimulateDTO{}, fail("sim.url", "url", target)
	}
	receiveID, to := p.CorpID, p.CorpID
	if c.mp != nil {
		receiveID, to = p.AppID, p.AppID
	}
	cr, err := wxcrypt.New(p.Token, p.EncodingAESKey, receiveID)
	if err != nil {
		return SimulateDTO{}, failWrap("sim.crypto", err, "name", p.Name)
	}
	from := req.From
	if from == "" {
		from = "wwkit-sim"
	}
	now := s.app.now()
	plain := req.XML
	if plain == "" {
		plain, err = buildXML(to, from, now, p.AgentID, c.wecom != nil, req)
		if err != nil {
			return SimulateDTO{}, err
		}
	} else if _, err := message.Parse([]byte(plain)); err != nil {
		return SimulateDTO{}, failWrap("sim.xml", err)
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	nonce := randomNonce()
	agent := ""
	if c.wecom != nil {
		agent = strconv.FormatInt(p.AgentID, 10)
	}
	body, sig, err := cr.EncryptRequest([]byte(plain), to, agent, ts, nonce)
	if err != nil {
		return SimulateDTO{}, failWrap("sim.encrypt", err)
	}
	q := u.Query()
	q.Set("msg_signature", sig)
	q.Set("timestamp", ts)
	q.Set("nonce", nonce)
	if c.mp != nil {
		// An Official Account in safe mode also sends the plain 3-item
		// signature (sha1 of the sorted token, timestamp, nonce; the empty
		// fourth item sorts first and adds nothing), the openid and
		// encrypt_type=aes.
		q.Set("signature", wxcrypt.Signature(p.Token, ts, nonce, ""))
		q.Set("openid", from)
		q.Set("encrypt_type", "aes")
	}
	u.RawQuery = q.Encode()
	d := SimulateDTO{URL: target, Message: plain}
	if i := strings.IndexByte(d.URL, '?'); i >= 0 {
		d.URL = d.URL[:i]
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return SimulateDTO{}, failWrap("sim.request", err)
	}
	hreq.Header.Set("Content-Type", "text/xml; charset=utf-8")
	start := time.Now()
	resp, err := s.app.http.Do(hreq)
	d.LatencyMs = float64(time.Since(start).Microseconds()) / 1000
	if err != nil {
		// The cause without the URL, whose query carries the signature.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		d.Error = api.Redact(err.Error())
		return d, nil
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxReply))
	d.Status = resp.StatusCode
	d.RawReply = string(raw)
	if err != nil {
		d.Error = "reading the answer: " + err.Error()
		return d, nil
	}
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || string(trimmed) == "success" {
		return d, nil
	}
	reply, err := cr.DecryptReply(trimmed)
	if err != nil {
		d.ReplyError = err.Error()
		return d, nil
	}
	d.Reply = string(reply)
	if m, err := message.Parse(reply); err == nil {
		d.ReplyType = m.MsgType
	}
	return d, nil
}

// simulateTypes lists the message types Simulate builds, with the fields
// each needs.
var simulateTypes = map[string][]string{
	"text":       nil,
	"image":      {"PicUrl", "MediaId"},
	"voice":      {"MediaId", "Format"},
	"video":      {"MediaId", "ThumbMediaId"},
	"shortvideo": {"MediaId", "ThumbMediaId"},
	"location":   {"Location_X", "Location_Y", "Scale", "Label"},
	"link":       {"Title", "Description", "Url"},
	"file":       {"MediaId"},
	"event":      nil,
}

// buildXML builds the plaintext callback XML of req.
func buildXML(to, from string, now time.Time, agentID int64, wecom bool, req SimulateRequest) (string, error) {
	mt := req.MsgType
	if mt == "" {
		mt = "text"
	}
	need, ok := simulateTypes[mt]
	if !ok {
		return "", fail("sim.type", "type", req.MsgType)
	}
	for _, f := range need {
		if req.Fields[f] == "" {
			return "", fail("sim.field", "type", mt, "field", f)
		}
	}
	names := make([]string, 0, len(req.Fields))
	for k := range req.Fields {
		if !xmlName(k) {
			return "", fail("sim.fieldName", "field", k)
		}
		switch k {
		case "ToUserName", "FromUserName", "CreateTime", "MsgType", "MsgId", "AgentID", "Event", "EventKey", "Content":
			return "", fail("sim.fieldReserved", "field", k)
		}
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("<xml>")
	cdata(&b, "ToUserName", to)
	cdata(&b, "FromUserName", from)
	fmt.Fprintf(&b, "<CreateTime>%d</CreateTime>", now.Unix())
	cdata(&b, "MsgType", mt)
	switch mt {
	case "text":
		if req.Content == "" {
			return "", fail("msg.emptyText")
		}
		cdata(&b, "Content", req.Content)
	case "event":
		if req.Event == "" {
			return "", fail("sim.eventName")
		}
		cdata(&b, "Event", req.Event)
		if req.EventKey != "" {
			cdata(&b, "EventKey", req.EventKey)
		}
	}
	for _, k := range names {
		cdata(&b, k, req.Fields[k])
	}
	if mt != "event" {
		fmt.Fprintf(&b, "<MsgId>%d</MsgId>", now.UnixNano()/1000)
	}
	if wecom {
		fmt.Fprintf(&b, "<AgentID>%d</AgentID>", agentID)
	}
	b.WriteString("</xml>")
	return b.String(), nil
}

// xmlName reports whether s is a plain XML element name.
func xmlName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		ok := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}

func cdata(b *strings.Builder, name, v string) {
	b.WriteString("<" + name + "><![CDATA[")
	b.WriteString(strings.ReplaceAll(v, "]]>", "]]]]><![CDATA[>"))
	b.WriteString("]]></" + name + ">")
}

func randomNonce() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
