package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

func (e *Emulator) routes() {
	get, post := http.MethodGet, http.MethodPost
	e.mux = map[string]route{
		"/wecom/cgi-bin/gettoken":                      {get, e.wecomGetToken},
		"/wecom/cgi-bin/get_jsapi_ticket":              {get, e.wecomCorpTicket},
		"/wecom/cgi-bin/ticket/get":                    {get, e.wecomAgentTicket},
		"/wecom/cgi-bin/auth/getuserinfo":              {get, e.wecomGetUserInfo},
		"/wecom/cgi-bin/user/getuserinfo":              {get, e.wecomGetUserInfoLegacy},
		"/wecom/cgi-bin/user/get":                      {get, e.wecomUserGet},
		"/wecom/cgi-bin/message/send":                  {post, e.wecomMessageSend},
		"/wecom/cgi-bin/message/recall":                {post, e.wecomRecall},
		"/wecom/cgi-bin/getcallbackip":                 {get, e.wecomCallbackIP},
		"/wecom/cgi-bin/agent/get":                     {get, e.wecomAgentGet},
		"/wecom/cgi-bin/externalcontact/get":           {get, e.wecomExternalContactGet},
		"/wecom/cgi-bin/externalcontact/list":          {get, e.wecomExternalContactList},
		"/wecom/cgi-bin/externalcontact/groupchat/get": {post, e.wecomGroupChatGet},
		"/wecom/cgi-bin/media/get/jssdk":               {get, e.wecomMediaGetJSSDK},
		"/wecom/cgi-bin/media/uploadimg":               {post, func(q *request) { e.mediaUploadImg(q, "wecom") }},
		"/mp/cgi-bin/media/uploadimg":                  {post, func(q *request) { e.mediaUploadImg(q, "mp") }},
		"/wecom/cgi-bin/media/upload":                  {post, func(q *request) { e.mediaUpload(q, "wecom") }},
		"/wecom/cgi-bin/media/get":                     {get, func(q *request) { e.mediaGet(q, "wecom") }},
		"/wecom/cgi-bin/menu/create":                   {post, func(q *request) { e.menuCreate(q, "wecom") }},
		"/wecom/cgi-bin/menu/get":                      {get, func(q *request) { e.menuGet(q, "wecom") }},
		"/wecom/cgi-bin/menu/delete":                   {get, func(q *request) { e.menuDelete(q, "wecom") }},
		"/wecom/connect/oauth2/authorize":              {get, func(q *request) { e.authorizePage(q, "wecom") }},
		"/mp/cgi-bin/token":                            {get, e.mpToken},
		"/mp/cgi-bin/stable_token":                     {post, e.mpStableToken},
		"/mp/cgi-bin/ticket/getticket":                 {get, e.mpAuthed(e.mpTicket)},
		"/mp/sns/oauth2/access_token":                  {get, e.mpSNSAccessToken},
		"/mp/sns/oauth2/refresh_token":                 {get, e.mpSNSRefresh},
		"/mp/sns/userinfo":                             {get, e.mpSNSUserInfo},
		"/mp/cgi-bin/qrcode/create":                    {post, e.mpAuthed(e.mpQRCreate)},
		"/mp/cgi-bin/showqrcode":                       {get, e.mpShowQR},
		"/mp/cgi-bin/message/template/send":            {post, e.mpAuthed(e.mpTemplateSend)},
		"/mp/cgi-bin/message/custom/send":              {post, e.mpAuthed(e.mpCustomSend)},
		"/mp/cgi-bin/menu/create":                      {post, func(q *request) { e.menuCreate(q, "mp") }},
		"/mp/cgi-bin/menu/get":                         {get, func(q *request) { e.menuGet(q, "mp") }},
		"/mp/cgi-bin/menu/delete":                      {get, func(q *request) { e.menuDelete(q, "mp") }},
		"/mp/cgi-bin/user/info":                        {get, e.mpAuthed(e.mpUserInfo)},
		"/mp/cgi-bin/user/get":                         {get, e.mpAuthed(e.mpUserGet)},
		"/mp/cgi-bin/tags/create":                      {post, e.mpAuthed(e.mpTagCreate)},
		"/mp/cgi-bin/tags/get":                         {get, e.mpAuthed(e.mpTagGet)},
		"/mp/cgi-bin/tags/update":                      {post, e.mpAuthed(e.mpTagUpdate)},
		"/mp/cgi-bin/tags/delete":                      {post, e.mpAuthed(e.mpTagDelete)},
		"/mp/cgi-bin/tags/members/batchtagging":        {post, e.mpAuthed(func(q *request) { e.mpTagMembers(q, true) })},
		"/mp/cgi-bin/tags/members/batchuntagging":      {post, e.mpAuthed(func(q *request) { e.mpTagMembers(q, false) })},
		"/mp/cgi-bin/tags/getidlist":                   {post, e.mpAuthed(e.mpTagIDList)},
		"/mp/cgi-bin/user/tag/get":                     {post, e.mpAuthed(e.mpTagUsers)},
		"/mp/cgi-bin/media/upload":                     {post, func(q *request) { e.mediaUpload(q, "mp") }},
		"/mp/cgi-bin/media/get":                        {get, func(q *request) { e.mediaGet(q, "mp") }},
		"/mp/cgi-bin/getcallbackip":                    {get, e.mpAuthed(e.mpCallbackIP)},
		"/mp/connect/oauth2/authorize":                 {get, func(q *request) { e.authorizePage(q, "mp") }},
	}
	e.contactRoutes()
	e.groupRoutes()
	e.suiteRoutes()
	e.mpManageRoutes()
}

// wecomGetToken serves GET /cgi-bin/gettoken?corpid=&corpsecret=.
func (e *Emulator) wecomGetToken(q *request) {
	corpID, secret := q.query("corpid"), q.query("corpsecret")
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case corpID == "":
		q.fail(41002)
		return
	case secret == "":
		q.fail(41004)
		return
	case corpID != e.fx.WeCom.CorpID:
		q.fail(40013)
		return
	}
	var app *App
	for i := range e.fx.WeCom.Apps {
		if e.fx.WeCom.Apps[i].Secret == secret {
			app = &e.fx.WeCom.Apps[i]
		}
	}
	if app == nil {
		q.failMsg(40001, "invalid secret")
		return
	}
	if !ipAllowed(q.clientIP(), app.TrustedIPs) {
		q.failMsg(60020, "not allow to access from your ip, from ip: "+q.clientIP())
		return
	}
	if !q.rateOK(wecomKey(app.AgentID)) {
		return
	}
	tok, ttl := e.issueToken(wecomKey(app.AgentID))
	q.ok(map[string]any{"access_token": tok, "expires_in": int(ttl.Seconds())})
}

// wecomCorpTicket serves GET /cgi-bin/get_jsapi_ticket (the corp ticket).
func (e *Emulator) wecomCorpTicket(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	t, ttl := e.issueTicket(q.app, "corp")
	q.ok(map[string]any{"ticket": t, "expires_in": int(ttl.Seconds())})
}

// wecomAgentTicket serves GET /cgi-bin/ticket/get?type=agent_config.
func (e *Emulator) wecomAgentTicket(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	if q.query("type") != "agent_config" {
		q.failMsg(40058, "invalid parameter: type must be agent_config")
		return
	}
	t, ttl := e.issueTicket(q.app, "agent_config")
	q.ok(map[string]any{"ticket": t, "expires_in": int(ttl.Seconds())})
}

// takeCode consumes an OAuth code of platform; it answers 41008/40029 itself.
// Callers hold e.mu.
func (q *request) takeCode(platform string) *codeRec {
	code := q.query("code")
	if code == "" {
		q.fail(41008)
		return nil
	}
	rec, ok := q.e.st.Codes[code]
	if ok && rec.Platform == "mp" && platform == "mp" && rec.Used && q.e.now().Before(rec.Expires) {
		// The Official Account server tells a reused code apart from an
		// unknown one; WeCom documents 40029 for both.
		q.fail(40163)
		return nil
	}
	if !ok || rec.Platform != platform || rec.Used || !q.e.now().Before(rec.Expires) {
		q.fail(40029)
		return nil
	}
	rec.Used = true
	q.e.dirty = true
	return rec
}

func (e *Emulator) wecomGetUserInfo(q *request)       { e.wecomUserInfo(q, false) }
func (e *Emulator) wecomGetUserInfoLegacy(q *request) { e.wecomUserInfo(q, true) }

// wecomUserInfo serves auth/getuserinfo and the legacy user/getuserinfo
// (capitalised field names).
func (e *Emulator) wecomUserInfo(q *request, legacy bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	rec := q.takeCode("wecom")
	if rec == nil {
		return
	}
	if rec.AgentID != 0 && rec.AgentID != q.agentID {
		q.failMsg(50001, "redirect_uri domain or agentid does not match the app of this access_token")
		return
	}
	out := map[string]any{}
	if rec.UserID != "" {
		if legacy {
			out["UserId"] = rec.UserID
			out["DeviceId"] = ""
		} else {
			out["userid"] = rec.UserID
		}
		if rec.Scope == "snsapi_privateinfo" {
			out["user_ticket"] = e.issueUserTicket(rec.UserID, q.agentID)
			out["expires_in"] = int(userTicketTTL.Seconds())
		}
	} else {
		if legacy {
			out["OpenId"] = rec.OpenID
			out["DeviceId"] = ""
		} else {
			out["openid"] = rec.OpenID
			// A customer of the corp also gets external_userid. Tencent
			// adds it only when a follow-up member is in the app's visible
			// range; the emulator has no visible ranges, so every app sees it.
			if c := e.customerByOpenID(rec.OpenID); c != nil {
				out["external_userid"] = c.ExternalUserID
			}
		}
	}
	q.ok(out)
}

// customerByOpenID finds the customer whose per-corp openid is openid.
func (e *Emulator) customerByOpenID(openid string) *ExternalContact {
	for i := range e.fx.WeCom.ExternalContacts {
		if c := &e.fx.WeCom.ExternalContacts[i]; c.OpenID != "" && c.OpenID == openid {
			return c
		}
	}
	return nil
}

func (e *Emulator) userByID(id string) *User {
	for i := range e.fx.WeCom.Users {
		if strings.EqualFold(e.fx.WeCom.Users[i].UserID, id) {
			return &e.fx.WeCom.Users[i]
		}
	}
	return nil
}

// wecomUserGet serves GET /cgi-bin/user/get?userid=.
func (e *Emulator) wecomUserGet(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	id := q.query("userid")
	if id == "" {
		q.failMsg(41009, "missing userid")
		return
	}
	u := e.userByID(id)
	if u == nil {
		q.fail(60111)
		return
	}
	if !q.userVisible(u) {
		q.fail(60011) // outside the app's visible range (可见范围)
		return
	}
	q.ok(e.userJSON(u))
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// splitIDs splits a "a|b|c" recipient list.
func splitIDs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "|") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// wecomMessageSend serves POST /cgi-bin/message/send.
func (e *Emulator) wecomMessageSend(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	var raw map[string]json.RawMessage
	if !q.decodeJSON(&raw) {
		return
	}
	var msg struct {
		ToUser  string          `json:"touser"`
		ToParty string          `json:"toparty"`
		ToTag   string          `json:"totag"`
		MsgType string          `json:"msgtype"`
		AgentID json.RawMessage `json:"agentid"`
	}
	body, _ := json.Marshal(raw)
	if err := json.Unmarshal(body, &msg); err != nil {
		q.failMsg(47001, "Warning: wrong json format. data format error: "+jsonFieldHint(err))
		return
	}
	agentID, ok := parseAgentID(msg.AgentID)
	if !ok {
		q.fail(41011)
		return
	}
	if agentID != q.agentID {
		q.failMsg(40056, "invalid agentid: the agentid does not belong to the app of this access_token")
		return
	}
	if code, text := checkWeComPayload(e, msg.MsgType, raw); code != 0 {
		q.failMsg(code, text)
		return
	}
	users, invalidUser, invalidParty, invalidTag := e.recipients(msg.ToUser, msg.ToParty, msg.ToTag)
	out := map[string]any{
		"invaliduser":    strings.Join(invalidUser, "|"),
		"invalidparty":   strings.Join(invalidParty, "|"),
		"invalidtag":     strings.Join(invalidTag, "|"),
		"unlicenseduser": "",
	}
	if len(users) == 0 {
		out["errcode"] = 81013
		out["errmsg"] = q.decorate(81013, errmsgFor(81013))
		q.json(out)
		return
	}
	// Per app and member at most 30 messages a minute and 1000 an hour;
	// Tencent drops the excess silently, so the answer stays ok.
	var delivered, dropped []string
	for _, u := range users {
		if e.memberQuotaOK(agentID, u) {
			delivered = append(delivered, u)
		} else {
			dropped = append(dropped, u)
		}
	}
	msgID := strconv.FormatInt(e.nextMsgID(), 10)
	e.addOutbox(OutboxMessage{
		Platform: "wecom", API: q.r.URL.Path, AgentID: agentID, MsgID: msgID,
		ToUsers: delivered, Dropped: dropped, MsgType: msg.MsgType, Body: body, Time: e.now(),
	})
	e.dirty = true
	out["msgid"] = msgID
	if msg.MsgType == "template_card" {
		var card struct {
			CardType   string          `json:"card_type"`
			ActionMenu json.RawMessage `json:"action_menu"`
		}
		_ = json.Unmarshal(raw["template_card"], &card)
		// Interactive cards, and notice cards with an action_menu, can be
		// updated with message/update_template_card.
		if interactiveCard(card.CardType) || (len(card.ActionMenu) > 0 && string(card.ActionMenu) != "null") {
			out["response_code"] = e.issueCardCode(agentID, msgID, card.CardType, delivered)
		}
	}
	q.ok(out)
}

// recipients resolves a message's touser, toparty and totag (call with
// e.mu held) into the active members it reaches, lower-case and sorted, and
// the ids that name nobody, as message/send reports them.
func (e *Emulator) recipients(toUser, toParty, toTag string) (users, invalidUser, invalidParty, invalidTag []string) {
	to := map[string]bool{}
	if strings.TrimSpace(toUser) == "@all" {
		for _, u := range e.fx.WeCom.Users {
			if u.Status == 0 || u.Status == 1 {
				to[strings.ToLower(u.UserID)] = true
			}
		}
	} else {
		for _, id := range splitIDs(toUser) {
			if u := e.userByID(id); u != nil && (u.Status == 0 || u.Status == 1) {
				to[strings.ToLower(u.UserID)] = true
			} else {
				invalidUser = append(invalidUser, strings.ToLower(id))
			}
		}
		for _, id := range splitIDs(toParty) {
			n, err := strconv.ParseInt(id, 10, 64)
			found := false
			if err == nil {
				for _, d := range e.fx.WeCom.Departments {
					if d.ID == n {
						found = true
					}
				}
			}
			if !found {
				invalidParty = append(invalidParty, id)
				continue
			}
			for _, u := range e.fx.WeCom.Users {
				if inDept(e.fx.WeCom.Departments, u.Department, n) && (u.Status == 0 || u.Status == 1) {
					to[strings.ToLower(u.UserID)] = true
				}
			}
		}
		for _, id := range splitIDs(toTag) {
			n, err := strconv.ParseInt(id, 10, 64)
			var tag *WeComTag
			for i := range e.fx.WeCom.Tags {
				if err == nil && e.fx.WeCom.Tags[i].ID == n {
					tag = &e.fx.WeCom.Tags[i]
				}
			}
			if tag == nil {
				invalidTag = append(invalidTag, id)
				continue
			}
			for _, uid := range tag.UserIDs {
				if u := e.userByID(uid); u != nil {
					to[strings.ToLower(u.UserID)] = true
				}
			}
		}
	}
	users = make([]string, 0, len(to))
	for u := range to {
		users = append(users, u)
	}
	sort.Strings(users)
	return users, invalidUser, invalidParty, invalidTag
}

// inDept reports whether a member of depts belongs to dept or one of its
// sub-departments.
func inDept(all []Department, depts []int64, dept int64) bool {
	parent := map[int64]int64{}
	for _, d := range all {
		parent[d.ID] = d.ParentID
	}
	for _, d := range depts {
		for cur, hops := d, 0; cur != 0 && hops < 64; cur, hops = parent[cur], hops+1 {
			if cur == dept {
				return true
			}
		}
	}
	return false
}

func parseAgentID(raw json.RawMessage) (int64, bool) {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	if s == "" || s == "null" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

func jsonFieldHint(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "field " + te.Field + " has the wrong type"
	}
	return "malformed JSON"
}

// checkWeComPayload validates the message body of msgtype; it returns the
// errcode and text to answer, or 0. Each message type (消息类型) has its
// own check in wecomMsgChecks; what they share (a known type, its object
// present and an object) is checked here once.
func checkWeComPayload(e *Emulator, msgType string, raw map[string]json.RawMessage) (int, string) {
	check, known := wecomMsgChecks[msgType]
	if !known {
		return 40008, "invalid message type " + strconv.Quote(msgType)
	}
	payload, ok := raw[msgType]
	if !ok || string(payload) == "null" {
		return 40058, "invalid parameter: the " + msgType + " object is missing"
	}
	var p map[string]any
	if err := json.Unmarshal(payload, &p); err != nil {
		return 47001, "Warning: wrong json format. data format error: " + msgType + " must be an object"
	}
	return check(e, msgObject{typ: msgType, m: p})
}

// msgObject is the object of one message type in a message body (the
// "text" of {"msgtype":"text","text":{…}}).
type msgObject struct {
	typ string
	m   map[string]any
}

func (o msgObject) str(k string) string { s, _ := o.m[k].(string); return s }

// wecomMsgChecks are the message types the app message APIs accept, each
// with the check of its object.
var wecomMsgChecks = map[string]func(e *Emulator, o msgObject) (int, string){
	"text":               checkTextMsg,
	"markdown":           checkTextMsg,
	"image":              checkMediaMsg,
	"voice":              checkMediaMsg,
	"video":              checkMediaMsg,
	"file":               checkMediaMsg,
	"textcard":           checkTextCardMsg,
	"news":               checkNewsMsg,
	"mpnews":             checkNewsMsg,
	"miniprogram_notice": checkMiniProgramNotice,
	"template_card":      checkTemplateCard,
}

// checkTextMsg: text and markdown need content; text at most 2048 bytes.
func checkTextMsg(_ *Emulator, o msgObject) (int, string) {
	c := o.str("content")
	if c == "" {
		return 44004, errmsgFor(44004)
	}
	if len(c) > 2048 && o.typ == "text" {
		return 45002, "content size out of limit (text content is at most 2048 bytes)"
	}
	return 0, ""
}

// checkMediaMsg: image, voice, file and video name a temporary media of
// WeCom that has not expired.
func checkMediaMsg(e *Emulator, o msgObject) (int, string) {
	id := o.str("media_id")
	if id == "" {
		return 40058, "invalid parameter: " + o.typ + ".media_id is missing"
	}
	if m, ok := e.st.Media[id]; !ok || m.Platform != "wecom" || !e.now().Before(m.Created.Add(mediaTTL)) {
		return 40007, errmsgFor(40007)
	}
	return 0, ""
}

func checkTextCardMsg(_ *Emulator, o msgObject) (int, string) {
	for _, k := range []string{"title", "description", "url"} {
		if o.str(k) == "" {
			return 40058, "invalid parameter: textcard." + k + " is missing"
		}
	}
	return 0, ""
}

// checkNewsMsg: news and mpnews carry 1 to 8 articles with a title.
func checkNewsMsg(_ *Emulator, o msgObject) (int, string) {
	arts, _ := o.m["articles"].([]any)
	if len(arts) == 0 {
		return 40058, "invalid parameter: " + o.typ + ".articles is empty"
	}
	if len(arts) > 8 {
		return 45008, errmsgFor(45008)
	}
	for _, a := range arts {
		m, _ := a.(map[string]any)
		if t, _ := m["title"].(string); t == "" {
			return 41016, errmsgFor(41016)
		}
		if o.typ != "mpnews" {
			continue
		}
		// An mpnews article is stored by WeCom: it needs its cover
		// image and its HTML body.
		for _, k := range []string{"thumb_media_id", "content"} {
			if v, _ := m[k].(string); v == "" {
				return 40058, "invalid parameter: mpnews.articles[]." + k + " is missing"
			}
		}
	}
	return 0, ""
}

func checkMiniProgramNotice(_ *Emulator, o msgObject) (int, string) {
	if o.str("appid") == "" || o.str("title") == "" {
		return 40058, "invalid parameter: miniprogram_notice needs appid and title"
	}
	return 0, ""
}

// checkTemplateCard: a known card_type; the interactive ones need the
// task_id their button callbacks carry.
func checkTemplateCard(_ *Emulator, o msgObject) (int, string) {
	ct := o.str("card_type")
	switch ct {
	case "text_notice", "news_notice":
	case "button_interaction", "vote_interaction", "multiple_interaction":
		if o.str("task_id") == "" {
			return 40058, "invalid parameter: template_card.task_id is required for " + ct
		}
	default:
		return 40058, "invalid parameter: template_card.card_type " + strconv.Quote(ct) + " is unknown"
	}
	return 0, ""
}

// wecomRecall serves POST /cgi-bin/message/recall {"msgid"} [secondary]:
// the message stays in the outbox, marked recalled.
func (e *Emulator) wecomRecall(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	var b struct {
		MsgID string `json:"msgid"`
	}
	if !q.decodeJSON(&b) {
		return
	}
	for i := range e.st.Outbox {
		m := &e.st.Outbox[i]
		if m.Platform == "wecom" && m.MsgID == b.MsgID && m.AgentID == q.agentID {
			if e.now().Sub(m.Time) > 24*time.Hour {
				q.failMsg(40058, "invalid parameter: only messages of the last 24 hours can be recalled")
				return
			}
			m.Recalled = true
			e.dirty = true
			q.ok(nil)
			return
		}
	}
	q.failMsg(40058, "invalid parameter: msgid is not a message this app sent")
}

// wecomCallbackIP serves GET /cgi-bin/getcallbackip.
func (e *Emulator) wecomCallbackIP(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	q.ok(map[string]any{"ip_list": []string{"127.0.0.1"}})
}

// memberQuotaOK counts one message from app agentID to member u and reports
// whether it is within 30 per minute and 1000 per hour. Callers hold e.mu.
func (e *Emulator) memberQuotaOK(agentID int64, u string) bool {
	now := e.now()
	k := fmt.Sprintf("member\x00%d\x00%s", agentID, u)
	calls := e.calls[k]
	cut := 0
	for cut < len(calls) && !calls[cut].After(now.Add(-time.Hour)) {
		cut++
	}
	calls = calls[cut:]
	lastMinute := 0
	for _, c := range calls {
		if c.After(now.Add(-time.Minute)) {
			lastMinute++
		}
	}
	if lastMinute >= 30 || len(calls) >= 1000 {
		e.calls[k] = calls
		return false
	}
	e.calls[k] = append(calls, now)
	return true
}
