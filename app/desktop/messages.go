package desktop

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
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
	MsgType string `json:"msgType"` // text (default), markdown, textcard
	Content string `json:"content"` // text / markdown content, textcard description
	Title   string `json:"title"`   // textcard
	URL     string `json:"url"`     // textcard
	BtnText string `json:"btnText"` // textcard, optional
	Safe    bool   `json:"safe"`    // 保密消息
}

// SendDTO is the outcome of a send: either the result fields or the errcode.
type SendDTO struct {
	OK           bool        `json:"ok"`
	MsgID        string      `json:"msgId,omitempty"`
	InvalidUser  string      `json:"invalidUser,omitempty"`
	InvalidParty string      `json:"invalidParty,omitempty"`
	InvalidTag   string      `json:"invalidTag,omitempty"`
	Error        *ErrcodeDTO `json:"error,omitempty"`
}

// Send sends a test app message from the profile's app.
func (s *MessageService) Send(req SendRequest) (SendDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	p, c, err := s.app.profile(req.Profile)
	if err != nil {
		return SendDTO{}, err
	}
	if c.wecom == nil {
		return SendDTO{}, fmt.Errorf("desktop: profile %s is an Official Account; app messages are WeCom only (MP template and customer-service messages come later)", p.Name)
	}
	if req.ToUser == "" && req.ToParty == "" && req.ToTag == "" {
		return SendDTO{}, errors.New("desktop: no recipient; set toUser (e.g. a userid or @all), toParty or toTag")
	}
	m := &api.Message{ToUser: req.ToUser, ToParty: req.ToParty, ToTag: req.ToTag}
	if req.Safe {
		m.Safe = 1
	}
	switch req.MsgType {
	case "", "text":
		if req.Content == "" {
			return SendDTO{}, errors.New("desktop: empty text message; set content")
		}
		m.MsgType, m.Text = "text", &api.Content{Content: req.Content}
	case "markdown":
		if req.Content == "" {
			return SendDTO{}, errors.New("desktop: empty markdown message; set content")
		}
		m.MsgType, m.Markdown = "markdown", &api.Content{Content: req.Content}
	case "textcard":
		if req.Title == "" || req.URL == "" {
			return SendDTO{}, errors.New("desktop: a textcard needs a title and a url")
		}
		m.MsgType, m.TextCard = "textcard", &api.TextCard{Title: req.Title, Description: req.Content, URL: req.URL, BtnTxt: req.BtnText}
	default:
		return SendDTO{}, fmt.Errorf("desktop: message type %q is not offered yet; use text, markdown or textcard", req.MsgType)
	}
	res, err := c.wecom.Send(ctx, m)
	if err != nil {
		if ec, ok := asErrcode(err); ok {
			return SendDTO{Error: &ec}, nil
		}
		return SendDTO{}, fmt.Errorf("desktop: sending the message: %w", err)
	}
	return SendDTO{OK: true, MsgID: res.MsgID, InvalidUser: res.InvalidUser, InvalidParty: res.InvalidParty, InvalidTag: res.InvalidTag}, nil
}

// SimulateRequest describes a callback a user would trigger.
type SimulateRequest struct {
	Profile  string `json:"profile"`  // "" = active; its Token/EncodingAESKey encrypt the message
	URL      string `json:"url"`      // callback URL; "" = this app's dev server /callback/PROFILE
	From     string `json:"from"`     // sender userid/openid; default "wwkit-sim"
	MsgType  string `json:"msgType"`  // text (default) or event
	Content  string `json:"content"`  // text
	Event    string `json:"event"`    // event: subscribe, click, enter_agent, SCAN, …
	EventKey string `json:"eventKey"` // event key
	XML      string `json:"xml"`      // when set, sent verbatim as the plaintext message
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
		srv, err := s.app.server()
		if err != nil {
			return SimulateDTO{}, err
		}
		target = srv.URL() + "/callback/" + p.Name
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return SimulateDTO{}, fmt.Errorf("desktop: callback URL %q is not an http(s) URL", target)
	}
	receiveID, to := p.CorpID, p.CorpID
	if c.mp != nil {
		receiveID, to = p.AppID, p.AppID
	}
	cr, err := wxcrypt.New(p.Token, p.EncodingAESKey, receiveID)
	if err != nil {
		return SimulateDTO{}, fmt.Errorf("desktop: profile %s: %w", p.Name, err)
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
		return SimulateDTO{}, fmt.Errorf("desktop: the XML to send does not parse as a callback message: %w", err)
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	nonce := randomNonce()
	agent := ""
	if c.wecom != nil {
		agent = strconv.FormatInt(p.AgentID, 10)
	}
	body, sig, err := cr.EncryptRequest([]byte(plain), to, agent, ts, nonce)
	if err != nil {
		return SimulateDTO{}, fmt.Errorf("desktop: encrypting the message: %w", err)
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
		return SimulateDTO{}, fmt.Errorf("desktop: building the callback request: %w", err)
	}
	hreq.Header.Set("Content-Type", "text/xml; charset=utf-8")
	start := time.Now()
	resp, err := s.app.http.Do(hreq)
	d.LatencyMs = float64(time.Since(start).Microseconds()) / 1000
	if err != nil {
		d.Error = redactURLError(err, hreq)
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

// buildXML builds the plaintext callback XML of req.
func buildXML(to, from string, now time.Time, agentID int64, wecom bool, req SimulateRequest) (string, error) {
	var b strings.Builder
	b.WriteString("<xml>")
	cdata(&b, "ToUserName", to)
	cdata(&b, "FromUserName", from)
	fmt.Fprintf(&b, "<CreateTime>%d</CreateTime>", now.Unix())
	switch req.MsgType {
	case "", "text":
		if req.Content == "" {
			return "", errors.New("desktop: empty text message; set content")
		}
		cdata(&b, "MsgType", "text")
		cdata(&b, "Content", req.Content)
		fmt.Fprintf(&b, "<MsgId>%d</MsgId>", now.UnixNano()/1000)
	case "event":
		if req.Event == "" {
			return "", errors.New("desktop: an event needs its name (subscribe, click, enter_agent, SCAN, …)")
		}
		cdata(&b, "MsgType", "event")
		cdata(&b, "Event", req.Event)
		if req.EventKey != "" {
			cdata(&b, "EventKey", req.EventKey)
		}
	default:
		return "", fmt.Errorf("desktop: message type %q is not offered; use text or event, or paste the XML", req.MsgType)
	}
	if wecom {
		fmt.Fprintf(&b, "<AgentID>%d</AgentID>", agentID)
	}
	b.WriteString("</xml>")
	return b.String(), nil
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
