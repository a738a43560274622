package emulator

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file serves the group messages: message/update_template_card, the
// group robot webhook (群机器人) and app group chats (appchat, 群聊会话).
// docs/emulator.md lists where they knowingly differ from Tencent; codes
// marked [unconfirmed] are the emulator's best reading where neither the
// spec nor Tencent's published pages give the code.

// Limits of the group messages.
const (
	// cardCodeTTL is how long a template card's response_code works. The
	// current 更新模版卡片消息 page (document/path/94888, 94945) says 72
	// hours; an older copy of the template card page said 24 hours. The
	// emulator follows the current page.
	cardCodeTTL = 72 * time.Hour

	robotPerMinute   = 20       // messages a robot may post a minute; then 45009
	robotBodyLimit   = 4 << 20  // a webhook body carries a base64 image of at most 2 MB
	robotImageLimit  = 2 << 20  // decoded image size
	robotTextLimit   = 2048     // text.content bytes
	robotMDLimit     = 4096     // markdown.content bytes
	robotVoiceLimit  = 2 << 20  // upload_media type voice
	robotFileLimit   = 20 << 20 // upload_media type file
	appChatMinUsers  = 2
	appChatMaxUsers  = 2000
	appChatNameLimit = 50 // characters
	appChatIDLimit   = 32 // characters, 0-9 a-z A-Z
)

// cardCodeRec is a response_code issued for a template card.
type cardCodeRec struct {
	AgentID  int64     `json:"agentId"`
	MsgID    string    `json:"msgid"`
	CardType string    `json:"cardType"`
	Users    []string  `json:"users"` // who received the card
	Expires  time.Time `json:"expires"`
	Used     bool      `json:"used"`
}

// appChatRec is a group chat created with appchat/create.
type appChatRec struct {
	ChatID  string    `json:"chatid"`
	Name    string    `json:"name"`
	Owner   string    `json:"owner"`
	Users   []string  `json:"users"`
	AgentID int64     `json:"agentId"` // the app that created it: only it may use the chat
	Created time.Time `json:"created"`
}

func (e *Emulator) groupRoutes() {
	get, post := http.MethodGet, http.MethodPost
	e.mux["/wecom/cgi-bin/message/update_template_card"] = route{post, e.wecomUpdateTemplateCard}
	e.mux["/wecom/cgi-bin/webhook/send"] = route{post, e.robotSend}
	e.mux["/wecom/cgi-bin/webhook/upload_media"] = route{post, e.robotUpload}
	e.mux["/wecom/cgi-bin/appchat/create"] = route{post, e.appChatCreate}
	e.mux["/wecom/cgi-bin/appchat/update"] = route{post, e.appChatUpdate}
	e.mux["/wecom/cgi-bin/appchat/get"] = route{get, e.appChatGet}
	e.mux["/wecom/cgi-bin/appchat/send"] = route{post, e.appChatSend}
}

// issueCardCode records a response_code for a template card the app sent
// (call with e.mu held) and returns it.
func (e *Emulator) issueCardCode(agentID int64, msgID, cardType string, users []string) string {
	code := randString(48, alnum+"-_")
	now := e.now()
	for k, r := range e.st.CardCodes {
		if !now.Before(r.Expires) {
			delete(e.st.CardCodes, k) // expired codes answer like unknown ones
		}
	}
	e.st.CardCodes[code] = &cardCodeRec{AgentID: agentID, MsgID: msgID, CardType: cardType, Users: users, Expires: now.Add(cardCodeTTL)}
	e.dirty = true
	return code
}

// interactiveCard reports whether a card type has buttons to grey out.
func interactiveCard(cardType string) bool {
	return cardType == "button_interaction" || cardType == "vote_interaction" || cardType == "multiple_interaction"
}

// wecomUpdateTemplateCard serves POST /cgi-bin/message/update_template_card.
func (e *Emulator) wecomUpdateTemplateCard(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	var raw map[string]json.RawMessage
	if !q.decodeJSON(&raw) {
		return
	}
	var b struct {
		UserIDs      []string        `json:"userids"`
		PartyIDs     []int64         `json:"partyids"`
		TagIDs       []int64         `json:"tagids"`
		AtAll        int             `json:"atall"`
		AgentID      json.RawMessage `json:"agentid"`
		ResponseCode string          `json:"response_code"`
		Button       *struct {
			ReplaceName string `json:"replace_name"`
		} `json:"button"`
	}
	body, _ := json.Marshal(raw)
	if err := json.Unmarshal(body, &b); err != nil {
		q.failMsg(47001, "Warning: wrong json format. data format error: "+jsonFieldHint(err))
		return
	}
	agentID, ok := parseAgentID(b.AgentID)
	if !ok {
		q.fail(41011)
		return
	}
	if agentID != q.agentID {
		q.failMsg(40056, "invalid agentid: the agentid does not belong to the app of this access_token")
		return
	}
	// The code for a used, expired or unknown response_code is
	// [unconfirmed]: 40058 with the reason in errmsg.
	rec := e.st.CardCodes[b.ResponseCode]
	switch {
	case b.ResponseCode == "":
		q.failMsg(40058, "invalid parameter: response_code is missing; it comes from the message/send answer of an interactive template card or from the card's click callback")
		return
	case rec == nil || rec.AgentID != agentID:
		q.failMsg(40058, "invalid parameter: response_code is not one this app received (unknown, or expired after 72 hours)")
		return
	case rec.Used:
		q.failMsg(40058, "invalid parameter: response_code already used: each response_code updates a card once; a click on the card brings a new one in its callback")
		return
	case !e.now().Before(rec.Expires):
		q.failMsg(40058, "invalid parameter: response_code expired: it works for 72 hours after the card was sent")
		return
	}
	_, hasCard := raw["template_card"]
	switch {
	case (b.Button == nil) == !hasCard:
		q.failMsg(40058, "invalid parameter: give either button (grey the buttons out) or template_card (replace the card), not both or neither")
		return
	case b.Button != nil && !interactiveCard(rec.CardType):
		q.failMsg(40058, "invalid parameter: button can only update a button_interaction, vote_interaction or multiple_interaction card; this one is "+rec.CardType)
		return
	case b.Button != nil && b.Button.ReplaceName == "":
		q.failMsg(40058, "invalid parameter: button.replace_name is missing")
		return
	case hasCard:
		if code, text := checkWeComPayload(e, "template_card", raw); code != 0 {
			q.failMsg(code, text)
			return
		}
	}
	if len(b.UserIDs) > 1000 || len(b.PartyIDs) > 100 || len(b.TagIDs) > 100 {
		q.failMsg(40058, "invalid parameter: at most 1000 userids, 100 partyids and 100 tagids")
		return
	}
	received := map[string]bool{}
	for _, u := range rec.Users {
		received[u] = true
	}
	var to, invalid []string
	if b.AtAll == 1 {
		to = append(to, rec.Users...)
	} else {
		var parties, tags []string
		for _, p := range b.PartyIDs {
			parties = append(parties, strconv.FormatInt(p, 10))
		}
		for _, t := range b.TagIDs {
			tags = append(tags, strconv.FormatInt(t, 10))
		}
		users, invUser, _, _ := e.recipients(strings.Join(b.UserIDs, "|"), strings.Join(parties, "|"), strings.Join(tags, "|"))
		invalid = append(invalid, invUser...)
		for _, u := range users {
			if received[u] {
				to = append(to, u)
			} else if containsFold(b.UserIDs, u) {
				invalid = append(invalid, u) // a member who never got the card
			}
		}
	}
	if len(to) == 0 {
		q.json(map[string]any{"errcode": 81013, "errmsg": q.decorate(81013, errmsgFor(81013)), "invaliduser": nonNil(invalid)})
		return
	}
	rec.Used = true
	e.addOutbox(OutboxMessage{
		Platform: "wecom", API: q.r.URL.Path, AgentID: agentID, MsgID: strconv.FormatInt(e.nextMsgID(), 10),
		ToUsers: to, MsgType: "update_template_card", Body: body, Time: e.now(), Updates: rec.MsgID,
	})
	q.ok(map[string]any{"invaliduser": nonNil(invalid)})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// robotFingerprint names a robot in records without its key.
func robotFingerprint(key string) string {
	sum := sha256.Sum256([]byte("wwkit-robot\x00" + key))
	return hex.EncodeToString(sum[:8])
}

// robot finds the robot of the request's ?key=; it answers 93000 itself.
// Callers hold e.mu.
func (q *request) robot() *Robot {
	key := q.query("key")
	for i := range q.e.fx.WeCom.Robots {
		if r := &q.e.fx.WeCom.Robots[i]; key != "" && r.Key == key {
			return r
		}
	}
	// Tencent answers 93000 "invalid webhook url" for a missing, wrong or
	// removed robot key; the key is never echoed.
	q.failMsg(93000, "invalid webhook url: no robot has this key (copy the webhook URL again from the group's robot settings; a robot removed from its group loses its key)")
	return nil
}

// robotSend serves POST /cgi-bin/webhook/send?key=.
func (e *Emulator) robotSend(q *request) {
	e.mu.Lock()
	rb := q.robot()
	e.mu.Unlock()
	if rb == nil {
		return
	}
	var raw map[string]json.RawMessage
	if !q.decodeJSONLimit(&raw, robotBodyLimit) {
		return
	}
	var msgType string
	if err := json.Unmarshal(raw["msgtype"], &msgType); err != nil && raw["msgtype"] != nil {
		q.failMsg(47001, "Warning: wrong json format. data format error: msgtype must be a string")
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	mentioned, code, text := e.checkRobotPayload(rb, msgType, raw)
	if code != 0 {
		q.failMsg(code, text)
		return
	}
	if !e.robotQuotaOK(rb.Key) {
		q.failMsg(45009, "api freq out of limit: a robot may post 20 messages a minute")
		return
	}
	if msgType == "image" {
		// The outbox keeps the image's size and md5, not its bytes.
		var img struct {
			Base64 string `json:"base64"`
			MD5    string `json:"md5"`
		}
		_ = json.Unmarshal(raw["image"], &img)
		n := base64.StdEncoding.DecodedLen(len(img.Base64))
		raw["image"], _ = json.Marshal(map[string]any{"md5": img.MD5, "base64": fmt.Sprintf("[%d bytes, not kept]", n)})
	}
	body, _ := json.Marshal(raw)
	e.addOutbox(OutboxMessage{
		Platform: "wecom", API: q.r.URL.Path, MsgID: strconv.FormatInt(e.nextMsgID(), 10),
		ToUsers: append([]string(nil), rb.Members...), MsgType: msgType, Body: body, Time: e.now(),
		Robot: rb.Name, ChatID: rb.ChatName, Mentioned: mentioned,
	})
	q.ok(nil)
}

// checkRobotPayload validates a robot message (call with e.mu held); it
// returns who a text mentions, or the errcode and text to answer.
func (e *Emulator) checkRobotPayload(rb *Robot, msgType string, raw map[string]json.RawMessage) (mentioned []string, code int, text string) {
	switch msgType {
	// markdown_v2 (tables, lists, code blocks) is taken as SDKs send it
	// (WxJava's sendMarkdownV2: content at most 4096 bytes) [secondary: the
	// official robot page was not read for it].
	case "text", "markdown", "markdown_v2", "image", "news", "file", "voice", "template_card":
	default:
		return nil, 40008, "invalid message type " + strconv.Quote(msgType) + " (a robot posts text, markdown, markdown_v2, image, news, file, voice or template_card)"
	}
	payload, ok := raw[msgType]
	if !ok || string(payload) == "null" {
		return nil, 40058, "invalid parameter: the " + msgType + " object is missing"
	}
	var p map[string]any
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, 47001, "Warning: wrong json format. data format error: " + msgType + " must be an object"
	}
	str := func(k string) string { s, _ := p[k].(string); return s }
	switch msgType {
	case "text":
		var t struct {
			Content string   `json:"content"`
			Users   []string `json:"mentioned_list"`
			Mobiles []string `json:"mentioned_mobile_list"`
		}
		if err := json.Unmarshal(payload, &t); err != nil {
			return nil, 47001, "Warning: wrong json format. data format error: mentioned_list and mentioned_mobile_list are arrays of strings"
		}
		if t.Content == "" {
			return nil, 44004, errmsgFor(44004)
		}
		if len(t.Content) > robotTextLimit {
			return nil, 45002, "content size out of limit (text content is at most 2048 bytes)"
		}
		mentioned = append(append(mentioned, t.Users...), t.Mobiles...)
	case "markdown", "markdown_v2":
		c := str("content")
		if c == "" {
			return nil, 44004, errmsgFor(44004)
		}
		if len(c) > robotMDLimit {
			return nil, 45002, "content size out of limit (" + msgType + " content is at most 4096 bytes)"
		}
	case "image":
		b64, sum := str("base64"), str("md5")
		if b64 == "" || sum == "" {
			return nil, 40058, "invalid parameter: image needs base64 (the image, base64-encoded) and md5 (of the image before encoding)"
		}
		data, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			// [unconfirmed] code for a body that is not base64.
			return nil, 40058, "invalid parameter: image.base64 is not standard base64"
		}
		if len(data) > robotImageLimit {
			// [unconfirmed] code; the 2 MB limit is documented.
			return nil, 40009, "invalid image size: a robot image is at most 2 MB"
		}
		if ct := http.DetectContentType(data); ct != "image/jpeg" && ct != "image/png" {
			return nil, 40009, "invalid image: a robot image is a JPG or PNG, this is " + ct
		}
		got := md5.Sum(data)
		if !strings.EqualFold(hex.EncodeToString(got[:]), sum) {
			// 301019 "media md5 not match" is what the real webhook answers
			// (reported by SDK users, e.g. lenye/pmsg issue 2).
			return nil, 301019, "media md5 not match: image.md5 must be the md5 of the image bytes before base64 (got md5 of the decoded image " + hex.EncodeToString(got[:]) + ")"
		}
	case "news":
		arts, _ := p["articles"].([]any)
		if len(arts) == 0 {
			return nil, 40058, "invalid parameter: news.articles is empty"
		}
		if len(arts) > 8 {
			return nil, 45008, errmsgFor(45008)
		}
		for _, a := range arts {
			m, _ := a.(map[string]any)
			if t, _ := m["title"].(string); t == "" {
				return nil, 41016, errmsgFor(41016)
			}
			if u, _ := m["url"].(string); u == "" {
				return nil, 40058, "invalid parameter: news.articles[].url is required for a robot"
			}
		}
	case "file", "voice":
		id := str("media_id")
		if id == "" {
			return nil, 40058, "invalid parameter: " + msgType + ".media_id is missing (upload the file with webhook/upload_media first)"
		}
		m, ok := e.st.Media[id]
		if !ok || m.Platform != "robot" || m.Robot != robotFingerprint(rb.Key) || m.Type != msgType || !e.now().Before(m.Created.Add(mediaTTL)) {
			return nil, 40007, "invalid media_id: a robot " + msgType + " needs a media_id this robot uploaded with webhook/upload_media?type=" + msgType + " in the last 3 days"
		}
	case "template_card":
		// A robot posts the two notice cards only: nobody receives a
		// robot's button clicks.
		if ct := str("card_type"); ct != "text_notice" && ct != "news_notice" {
			return nil, 40058, "invalid parameter: template_card.card_type " + strconv.Quote(ct) + ": a robot posts text_notice or news_notice cards"
		}
	}
	return mentioned, 0, ""
}

// robotQuotaOK counts one post of the robot and reports whether it is
// within 20 a minute. Callers hold e.mu.
func (e *Emulator) robotQuotaOK(key string) bool {
	now := e.now()
	k := "robot\x00" + robotFingerprint(key)
	calls := e.calls[k]
	cut := 0
	for cut < len(calls) && !calls[cut].After(now.Add(-time.Minute)) {
		cut++
	}
	calls = calls[cut:]
	if len(calls) >= robotPerMinute {
		e.calls[k] = calls
		return false
	}
	e.calls[k] = append(calls, now)
	return true
}

// robotUpload serves POST /cgi-bin/webhook/upload_media?key=&type=file|voice
// (multipart field media).
func (e *Emulator) robotUpload(q *request) {
	e.mu.Lock()
	rb := q.robot()
	e.mu.Unlock()
	if rb == nil {
		return
	}
	typ := q.query("type")
	limit := map[string]int{"file": robotFileLimit, "voice": robotVoiceLimit}[typ]
	if limit == 0 {
		q.failMsg(40004, "invalid media type: webhook/upload_media takes type=file or type=voice")
		return
	}
	data, filename, ctype, ok := q.readMedia()
	if !ok {
		return
	}
	if len(data) <= 5 || len(data) > limit {
		q.failMsg(40006, fmt.Sprintf("invalid file size: a robot %s must be more than 5 bytes and at most %d bytes", typ, limit))
		return
	}
	if filename == "" || !utf8.ValidString(filename) {
		filename = "media" + extFor(ctype)
	}
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	id := "3" + randString(63, alnum+"-_")
	if e.cfg.dataDir != "" {
		if err := e.saveMedia(id, data); err != nil {
			e.log.Error("emulator: saving media", "err", err)
			q.fail(-1)
			return
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	e.sweep(now)
	e.evictMedia(len(data))
	e.st.Media[id] = &mediaRec{Platform: "robot", Robot: robotFingerprint(rb.Key), Type: typ, Filename: filename, ContentType: ctype, Data: data, Created: now}
	e.dirty = true
	q.ok(map[string]any{"type": typ, "media_id": id, "created_at": strconv.FormatInt(now.Unix(), 10)})
}

// appChat finds chat id for the app of q (call with e.mu held); it answers
// the error itself. Tencent answers 86001 "chatid invalid" for a chat that
// does not exist (developers report it for appchat/send; 86003 "chatid not
// found" is in the errcode list but was not seen), so the emulator does too.
func (q *request) appChat(id string) *appChatRec {
	c := q.e.st.AppChats[id]
	switch {
	case id == "":
		q.failMsg(86001, "chatid invalid: chatid is missing")
		return nil
	case c == nil:
		q.failMsg(86001, "chatid invalid: no group chat has this chatid (appchat/create answers it)")
		return nil
	case c.AgentID != q.agentID:
		// [unconfirmed] 86008: only the app that created a chat may use it.
		q.failMsg(86008, "no privilege to operate this chat: it was created by another app")
		return nil
	}
	return c
}

// checkChatMembers resolves userids to members (lower-case); it answers
// 86007 itself for unknown or inactive ones.
func (q *request) checkChatMembers(ids []string) ([]string, bool) {
	var out, bad []string
	for _, id := range ids {
		u := q.e.userByID(id)
		if u == nil || (u.Status != 0 && u.Status != 1) {
			bad = append(bad, id)
			continue
		}
		out = append(out, u.UserID)
	}
	if len(bad) > 0 {
		// [unconfirmed] code for members that name nobody.
		q.failMsg(86007, "invalid chat member: "+strings.Join(bad, "|")+" is not an active member of the corp")
		return nil, false
	}
	return out, true
}

func validChatID(id string) bool {
	if id == "" || len(id) > appChatIDLimit {
		return false
	}
	for _, c := range id {
		if !(('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')) {
			return false
		}
	}
	return true
}

func dedupFold(ids []string) []string {
	var out []string
	for _, id := range ids {
		if !containsFold(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// cutChatName keeps the first 50 characters of a chat name: Tencent cuts
// a longer name rather than refusing it ("最多50个utf8字符，超过将截断",
// the create and update pages).
func cutChatName(name string) string {
	if utf8.RuneCountInString(name) <= appChatNameLimit {
		return name
	}
	return string([]rune(name)[:appChatNameLimit])
}

// appChatCreate serves POST /cgi-bin/appchat/create.
func (e *Emulator) appChatCreate(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	var b struct {
		Name     string   `json:"name"`
		Owner    string   `json:"owner"`
		UserList []string `json:"userlist"`
		ChatID   string   `json:"chatid"`
	}
	if !q.decodeJSON(&b) {
		return
	}
	users := dedupFold(b.UserList)
	if len(users) < appChatMinUsers || len(users) > appChatMaxUsers {
		q.failMsg(86006, fmt.Sprintf("invalid chat member list size: a group chat has %d to %d members, userlist has %d", appChatMinUsers, appChatMaxUsers, len(users)))
		return
	}
	users, ok := q.checkChatMembers(users)
	if !ok {
		return
	}
	b.Name = cutChatName(b.Name)
	owner := users[0] // Tencent picks a random member; the emulator the first
	if b.Owner != "" {
		if !containsFold(users, b.Owner) {
			q.failMsg(86005, "invalid chat owner: owner "+b.Owner+" must be in userlist")
			return
		}
		owner = e.userByID(b.Owner).UserID
	}
	id := b.ChatID
	if id != "" && !validChatID(id) {
		q.failMsg(86001, "chatid invalid: a chatid is 1 to 32 characters of 0-9, a-z and A-Z")
		return
	}
	if id != "" && e.st.AppChats[id] != nil {
		q.failMsg(86215, "chatid already exists: pick another chatid or leave it empty")
		return
	}
	for id == "" || e.st.AppChats[id] != nil {
		id = "wr" + randString(30, alnum)
	}
	e.st.AppChats[id] = &appChatRec{ChatID: id, Name: b.Name, Owner: owner, Users: users, AgentID: q.agentID, Created: e.now()}
	e.dirty = true
	q.ok(map[string]any{"chatid": id})
}

// appChatUpdate serves POST /cgi-bin/appchat/update.
func (e *Emulator) appChatUpdate(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	var b struct {
		ChatID string   `json:"chatid"`
		Name   *string  `json:"name"`
		Owner  string   `json:"owner"`
		Add    []string `json:"add_user_list"`
		Del    []string `json:"del_user_list"`
	}
	if !q.decodeJSON(&b) {
		return
	}
	c := q.appChat(b.ChatID)
	if c == nil {
		return
	}
	add, ok := q.checkChatMembers(dedupFold(b.Add))
	if !ok {
		return
	}
	users := append([]string(nil), c.Users...)
	for _, u := range add {
		if !containsFold(users, u) {
			users = append(users, u)
		}
	}
	kept := users[:0]
	for _, u := range users {
		if !containsFold(b.Del, u) {
			kept = append(kept, u)
		}
	}
	users = kept
	if len(users) < appChatMinUsers || len(users) > appChatMaxUsers {
		q.failMsg(86006, fmt.Sprintf("invalid chat member list size: the chat would have %d members; a group chat has %d to %d", len(users), appChatMinUsers, appChatMaxUsers))
		return
	}
	owner := c.Owner
	if b.Owner != "" {
		owner = b.Owner
	}
	if !containsFold(users, owner) {
		q.failMsg(86005, "invalid chat owner: the owner "+owner+" must stay a member of the chat (name a new owner to remove this one)")
		return
	}
	if b.Name != nil && *b.Name != "" {
		c.Name = cutChatName(*b.Name)
	}
	c.Owner = e.userByID(owner).UserID
	c.Users = users
	e.dirty = true
	q.ok(nil)
}

// appChatGet serves GET /cgi-bin/appchat/get?chatid=.
func (e *Emulator) appChatGet(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	c := q.appChat(q.query("chatid"))
	if c == nil {
		return
	}
	q.ok(map[string]any{"chat_info": map[string]any{"chatid": c.ChatID, "name": c.Name, "owner": c.Owner, "userlist": c.Users, "chat_type": 0}})
}

// appChatSend serves POST /cgi-bin/appchat/send.
func (e *Emulator) appChatSend(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	var raw map[string]json.RawMessage
	if !q.decodeJSON(&raw) {
		return
	}
	var b struct {
		ChatID  string `json:"chatid"`
		MsgType string `json:"msgtype"`
	}
	body, _ := json.Marshal(raw)
	if err := json.Unmarshal(body, &b); err != nil {
		q.failMsg(47001, "Warning: wrong json format. data format error: "+jsonFieldHint(err))
		return
	}
	c := q.appChat(b.ChatID)
	if c == nil {
		return
	}
	if b.MsgType == "template_card" || b.MsgType == "miniprogram_notice" {
		q.failMsg(40008, "invalid message type "+strconv.Quote(b.MsgType)+": a group chat takes text, image, voice, video, file, textcard, news, mpnews or markdown")
		return
	}
	if code, text := checkWeComPayload(e, b.MsgType, raw); code != 0 {
		q.failMsg(code, text)
		return
	}
	e.addOutbox(OutboxMessage{
		Platform: "wecom", API: q.r.URL.Path, AgentID: q.agentID, MsgID: strconv.FormatInt(e.nextMsgID(), 10),
		ToUsers: append([]string(nil), c.Users...), MsgType: b.MsgType, Body: bytes.Clone(body), Time: e.now(), ChatID: c.ChatID,
	})
	q.ok(nil)
}
