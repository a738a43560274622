package emulator

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wwkit/wwkit/core/message"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// CallbackRequest describes a message or event a user sends to an app, which
// the emulator pushes to the app's callback URL (接收消息与事件).
type CallbackRequest struct {
	Platform string `json:"platform"` // wecom (default) or mp
	AgentID  int64  `json:"agentId"`  // WeCom app; the first app when 0
	// From is the sender: a WeCom userid or an MP openid (defaults: the
	// first member / first follower).
	From     string `json:"from"`
	MsgType  string `json:"msgType"` // text (default), image, voice, video, location, link, event
	Content  string `json:"content"` // text messages
	Event    string `json:"event"`   // events: subscribe, click, CLICK, enter_agent, SCAN, …
	EventKey string `json:"eventKey"`
	// Fields adds elements (e.g. PicUrl, MediaId, Location_X, Ticket) to
	// the message XML, as text.
	Fields map[string]string `json:"fields"`
	// XML, when set, is pushed as the plaintext message verbatim instead of
	// one built from the fields above.
	XML string `json:"xml"`
	// URL overrides the callback URL of the fixture.
	URL string `json:"url"`
	// Retries re-sends the same request (same MsgId) up to this many times
	// (at most 3, as Tencent does) when the app does not answer HTTP 200
	// within 5 s. Default 0: one attempt.
	Retries int `json:"retries"`
}

// CallbackResult is what the app's callback server answered.
type CallbackResult struct {
	URL        string `json:"url"`
	Status     int    `json:"status"`
	Message    string `json:"message"`      // the plaintext XML that was pushed
	RawReply   string `json:"rawReply"`     // the HTTP body as received (encrypted envelope)
	Reply      string `json:"reply"`        // decrypted passive reply XML; "" when the app sent none
	ReplyType  string `json:"replyMsgType"` // MsgType of the reply
	Content    string `json:"replyContent"` // Content of a text reply
	ReplyError string `json:"replyError"`   // why the reply could not be decrypted or parsed
	DurationMs int64  `json:"durationMs"`   // of the last attempt
	Attempts   int    `json:"attempts"`
	Error      string `json:"error,omitempty"` // the push itself failed (connection refused, timeout)
}

// pushTarget is everything a push needs, copied out of the fixture under
// the lock so the HTTP request runs without it.
type pushTarget struct {
	platform, url, token, aesKey, receiveID, toUser, agentID, mode string
}

func (e *Emulator) target(platform string, agentID int64, override string) (pushTarget, error) {
	if platform == "mp" {
		mp := e.fx.MP
		t := pushTarget{platform: "mp", url: mp.CallbackURL, token: mp.Token, aesKey: mp.EncodingAESKey,
			receiveID: mp.AppID, toUser: mp.OriginalID, mode: mp.EncryptMode}
		if override != "" {
			t.url = override
		}
		if t.url == "" {
			return t, errors.New("emulator: the Official Account has no callbackURL; set mp.callbackURL in the fixture or pass url")
		}
		return t, nil
	}
	var app *App
	if agentID == 0 && len(e.fx.WeCom.Apps) > 0 {
		app = &e.fx.WeCom.Apps[0]
	} else {
		app = e.appByAgent(agentID)
	}
	if app == nil {
		return pushTarget{}, fmt.Errorf("emulator: no app with agentId %d in the fixture", agentID)
	}
	t := pushTarget{platform: "wecom", url: app.CallbackURL, token: app.Token, aesKey: app.EncodingAESKey,
		receiveID: e.fx.WeCom.CorpID, toUser: e.fx.WeCom.CorpID, agentID: strconv.FormatInt(app.AgentID, 10), mode: "safe"}
	if override != "" {
		t.url = override
	}
	if t.url == "" {
		return t, fmt.Errorf("emulator: app %d has no callbackURL; set it in the fixture or pass url", app.AgentID)
	}
	return t, nil
}

func cdata(s string) string {
	return "<![CDATA[" + strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") + "]]>"
}

// buildXML lays out the plaintext callback message.
func (e *Emulator) buildXML(t pushTarget, req *CallbackRequest) string {
	var b strings.Builder
	b.WriteString("<xml>")
	fmt.Fprintf(&b, "<ToUserName>%s</ToUserName><FromUserName>%s</FromUserName><CreateTime>%d</CreateTime><MsgType>%s</MsgType>",
		cdata(t.toUser), cdata(req.From), e.now().Unix(), cdata(req.MsgType))
	if req.MsgType == "event" {
		fmt.Fprintf(&b, "<Event>%s</Event>", cdata(req.Event))
		if req.EventKey != "" || req.Event != "subscribe" && req.Event != "unsubscribe" {
			fmt.Fprintf(&b, "<EventKey>%s</EventKey>", cdata(req.EventKey))
		}
	} else if req.MsgType == "text" {
		fmt.Fprintf(&b, "<Content>%s</Content>", cdata(req.Content))
	}
	keys := make([]string, 0, len(req.Fields))
	for k := range req.Fields {
		if validElement(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "<%s>%s</%s>", k, cdata(req.Fields[k]), k)
	}
	if req.MsgType != "event" {
		fmt.Fprintf(&b, "<MsgId>%d</MsgId>", e.nextMsgID())
	}
	if t.agentID != "" {
		fmt.Fprintf(&b, "<AgentID>%s</AgentID>", t.agentID)
	}
	b.WriteString("</xml>")
	return b.String()
}

func validElement(k string) bool {
	if k == "" || len(k) > 64 {
		return false
	}
	for i, c := range k {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// plainSignature is the MP 3-item signature sha1(sort(token, timestamp, nonce)).
func plainSignature(token, timestamp, nonce string) string {
	s := []string{token, timestamp, nonce}
	sort.Strings(s)
	sum := sha1.Sum([]byte(strings.Join(s, "")))
	return hex.EncodeToString(sum[:])
}

// PushCallback sends req to the app's callback URL encrypted exactly as
// WeCom (always) or the Official Account (by its encryptMode) would, and
// returns the HTTP status and the decrypted passive reply.
func (e *Emulator) PushCallback(ctx context.Context, req CallbackRequest) (*CallbackResult, error) {
	if req.Platform == "" {
		req.Platform = "wecom"
	}
	if req.Platform != "wecom" && req.Platform != "mp" {
		return nil, fmt.Errorf("emulator: platform %q is not wecom or mp", req.Platform)
	}
	if req.MsgType == "" {
		req.MsgType = "text"
		if req.Event != "" {
			req.MsgType = "event"
		}
	}
	if req.MsgType == "event" && req.Event == "" {
		return nil, errors.New("emulator: an event callback needs event (e.g. subscribe, click, enter_agent)")
	}
	e.mu.Lock()
	t, err := e.target(req.Platform, req.AgentID, req.URL)
	if err == nil && req.From == "" {
		if req.Platform == "mp" && len(e.fx.MP.Followers) > 0 {
			req.From = e.fx.MP.Followers[0].OpenID
		} else if req.Platform == "wecom" && len(e.fx.WeCom.Users) > 0 {
			req.From = e.fx.WeCom.Users[0].UserID
		}
	}
	var plain, ts string
	if err == nil {
		plain = req.XML
		if plain == "" {
			plain = e.buildXML(t, &req)
		}
		ts = strconv.FormatInt(e.now().Unix(), 10)
	}
	e.mu.Unlock()
	if err != nil {
		return nil, err
	}
	retries := min(max(req.Retries, 0), 3)
	res, err := e.push(ctx, t, []byte(plain), ts, req.From, retries)
	if err != nil {
		return nil, err
	}
	if req.Platform == "mp" {
		e.mu.Lock()
		if f := e.follower(req.From); f != nil {
			in := e.st.Interactions[f.OpenID]
			if in == nil {
				in = &interaction{}
				e.st.Interactions[f.OpenID] = in
			}
			if req.MsgType == "event" {
				in.Event = csWindow{Start: e.now()}
			} else {
				in.Msg = csWindow{Start: e.now()}
			}
			switch {
			case strings.EqualFold(req.Event, "subscribe"):
				f.Subscribed = true
			case strings.EqualFold(req.Event, "unsubscribe"):
				f.Subscribed = false
				delete(e.st.Interactions, f.OpenID)
			}
			e.dirty = true
		}
		e.mu.Unlock()
		e.persistIfDirty()
	}
	return res, nil
}

// push performs one callback POST and reads the reply.
func (e *Emulator) push(ctx context.Context, t pushTarget, plain []byte, ts, from string, retries int) (*CallbackResult, error) {
	nonce := randString(10, "0123456789")
	q := url.Values{"timestamp": {ts}, "nonce": {nonce}}
	body := plain
	var crypt *wxcrypt.Crypt
	if t.platform == "wecom" || t.mode != "plain" {
		c, err := wxcrypt.New(t.token, t.aesKey, t.receiveID)
		if err != nil {
			return nil, fmt.Errorf("emulator: callback crypto for %s: %w", t.platform, err)
		}
		crypt = c
		envelope, sig, err := c.EncryptRequest(plain, t.toUser, t.agentID, ts, nonce)
		if err != nil {
			return nil, fmt.Errorf("emulator: encrypting the callback: %w", err)
		}
		q.Set("msg_signature", sig)
		body = envelope
		if t.platform == "mp" && t.mode == "compat" {
			// 兼容模式: plaintext fields and the Encrypt element together.
			enc := envelope[bytes.Index(envelope, []byte("<Encrypt>")) : bytes.Index(envelope, []byte("</Encrypt>"))+len("</Encrypt>")]
			body = append(bytes.TrimSuffix(append([]byte(nil), plain...), []byte("</xml>")), enc...)
			body = append(body, "</xml>"...)
		}
	}
	if t.platform == "mp" {
		q.Set("signature", plainSignature(t.token, ts, nonce))
		q.Set("openid", from)
		if crypt != nil {
			q.Set("encrypt_type", "aes")
		}
	}
	target, err := url.Parse(t.url)
	if err != nil || target.Host == "" {
		return nil, fmt.Errorf("emulator: callback URL %q is not an absolute URL", t.url)
	}
	tq := target.Query()
	for k, v := range q {
		tq[k] = v
	}
	target.RawQuery = tq.Encode()
	res := &CallbackResult{URL: t.url, Message: string(plain)}
	var raw []byte
	for attempt := 0; attempt <= retries; attempt++ {
		res.Attempts = attempt + 1
		var ok bool
		raw, ok = e.postOnce(ctx, target.String(), body, res)
		if ok || ctx.Err() != nil {
			break
		}
	}
	if res.Error != "" || res.ReplyError != "" || res.Status != http.StatusOK {
		return res, nil // rawReply and status say what the app answered
	}
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || string(trimmed) == "success" {
		return res, nil // no passive reply
	}
	reply := trimmed
	if crypt != nil && (t.platform == "wecom" || t.mode == "safe" || bytes.Contains(trimmed, []byte("<Encrypt>"))) {
		plainReply, err := crypt.DecryptReply(trimmed)
		if err != nil {
			res.ReplyError = "emulator: the passive reply does not decrypt: " + err.Error()
			return res, nil
		}
		reply = plainReply
	}
	res.Reply = string(reply)
	m, err := message.Parse(reply)
	if err != nil {
		res.ReplyError = "emulator: the passive reply is not valid reply XML: " + err.Error()
		return res, nil
	}
	res.ReplyType = m.MsgType
	if tm, ok := m.Body.(*message.Text); ok {
		res.Content = tm.Content
	}
	return res, nil
}

// URLVerifyResult is the outcome of emulating "save the callback URL" in the
// admin console (the URL verification GET).
type URLVerifyResult struct {
	URL      string `json:"url"`
	OK       bool   `json:"ok"`
	Status   int    `json:"status"`
	Body     string `json:"body"`
	Expected string `json:"expected"`
	Error    string `json:"error,omitempty"`
}

// VerifyCallbackURL sends the URL verification GET (WeCom: encrypted
// echostr; MP: plain echostr) and checks the answer.
func (e *Emulator) VerifyCallbackURL(ctx context.Context, platform string, agentID int64, override string) (*URLVerifyResult, error) {
	if platform == "" {
		platform = "wecom"
	}
	e.mu.Lock()
	t, err := e.target(platform, agentID, override)
	ts := strconv.FormatInt(e.now().Unix(), 10)
	e.mu.Unlock()
	if err != nil {
		return nil, err
	}
	nonce := randString(10, "0123456789")
	echo := randString(19, "0123456789")
	q := url.Values{"timestamp": {ts}, "nonce": {nonce}}
	if platform == "wecom" {
		c, err := wxcrypt.New(t.token, t.aesKey, t.receiveID)
		if err != nil {
			return nil, fmt.Errorf("emulator: callback crypto: %w", err)
		}
		enc, err := c.Encrypt([]byte(echo))
		if err != nil {
			return nil, fmt.Errorf("emulator: encrypting echostr: %w", err)
		}
		q.Set("msg_signature", c.Sign(ts, nonce, enc))
		q.Set("echostr", enc)
	} else {
		q.Set("signature", plainSignature(t.token, ts, nonce))
		q.Set("echostr", echo)
	}
	target, err := url.Parse(t.url)
	if err != nil || target.Host == "" {
		return nil, fmt.Errorf("emulator: callback URL %q is not an absolute URL", t.url)
	}
	tq := target.Query()
	for k, v := range q {
		tq[k] = v
	}
	target.RawQuery = tq.Encode()
	res := &URLVerifyResult{URL: t.url, Expected: echo}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, target.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("emulator: building the verification request: %w", err)
	}
	resp, err := e.client.Do(hreq)
	if err != nil {
		res.Error = "emulator: the callback server did not answer: " + err.Error()
		return res, nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	res.Status, res.Body = resp.StatusCode, string(body)
	res.OK = resp.StatusCode == http.StatusOK && string(body) == echo
	if !res.OK {
		res.Error = "emulator: the callback server must answer HTTP 200 with exactly the decrypted echostr (no quotes, BOM or newline)"
	}
	return res, nil
}

// callbackTimeout is how long Tencent waits for a callback answer.
const callbackTimeout = 5 * time.Second

// postOnce sends one callback POST and fills res with the status and raw
// reply; it reports whether the app answered HTTP 200.
func (e *Emulator) postOnce(ctx context.Context, target string, body []byte, res *CallbackResult) ([]byte, bool) {
	ctx, cancel := context.WithTimeout(ctx, callbackTimeout)
	defer cancel()
	res.Error, res.ReplyError, res.Status, res.RawReply = "", "", 0, ""
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		res.Error = "emulator: building the callback request: " + err.Error()
		return nil, false
	}
	hreq.Header.Set("Content-Type", "text/xml")
	hreq.Header.Set("User-Agent", "Mozilla/4.0 (wwkit emulator)")
	start := time.Now()
	resp, err := e.client.Do(hreq)
	res.DurationMs = time.Since(start).Milliseconds()
	if err != nil {
		res.Error = "emulator: the callback server did not answer within 5 s: " + err.Error()
		return nil, false
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, message.MaxSize))
	res.Status = resp.StatusCode
	res.RawReply = string(raw)
	if err != nil {
		res.ReplyError = "emulator: reading the reply: " + err.Error()
		return nil, false
	}
	return raw, resp.StatusCode == http.StatusOK
}
