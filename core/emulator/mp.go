package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"
)

// mpToken serves GET /cgi-bin/token?grant_type=client_credential&appid=&secret=.
func (e *Emulator) mpToken(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	appID, secret := q.query("appid"), q.query("secret")
	switch {
	case q.query("grant_type") != "client_credential":
		q.fail(40002)
		return
	case appID == "":
		q.failMsg(41002, "appid missing")
		return
	case secret == "":
		q.failMsg(41004, "appsecret missing")
		return
	case appID != e.fx.MP.AppID:
		q.failMsg(40013, "invalid appid")
		return
	case secret != e.fx.MP.AppSecret:
		q.failMsg(40001, "AppSecret error or access_token is invalid")
		return
	case !ipAllowed(q.clientIP(), e.fx.MP.IPWhitelist):
		q.failMsg(40164, "invalid ip "+q.clientIP()+" ipv6 ::ffff:"+q.clientIP()+", not in whitelist")
		return
	}
	if !q.rateOK(mpKey) {
		return
	}
	tok, ttl := e.issueToken(mpKey)
	q.json(map[string]any{"access_token": tok, "expires_in": int(ttl.Seconds())})
}

// mpStableToken serves POST /cgi-bin/stable_token [unconfirmed]: a token
// isolated from cgi-bin/token, the same one until it expires; force_refresh
// replaces it at once (at most 20 times a day).
func (e *Emulator) mpStableToken(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var b struct {
		GrantType    string `json:"grant_type"`
		AppID        string `json:"appid"`
		Secret       string `json:"secret"`
		ForceRefresh bool   `json:"force_refresh"`
	}
	if !q.decodeJSON(&b) {
		return
	}
	switch {
	case b.GrantType != "client_credential":
		q.fail(40002)
		return
	case b.AppID == "":
		q.failMsg(41002, "appid missing")
		return
	case b.AppID != e.fx.MP.AppID:
		q.failMsg(40013, "invalid appid")
		return
	case b.Secret != e.fx.MP.AppSecret:
		q.fail(40125)
		return
	case !ipAllowed(q.clientIP(), e.fx.MP.IPWhitelist):
		q.failMsg(40164, "invalid ip "+q.clientIP()+", not in whitelist")
		return
	}
	if !q.rateOK(mpStableKey) {
		return
	}
	if b.ForceRefresh {
		if !q.rateOKFor("/mp/cgi-bin/stable_token#force_refresh", mpStableKey) { // its own, smaller limit
			return
		}
		if cur := e.st.Current[mpStableKey]; cur != "" {
			delete(e.st.Tokens, cur)
			delete(e.st.Current, mpStableKey)
		}
	}
	tok, ttl := e.issueToken(mpStableKey)
	q.json(map[string]any{"access_token": tok, "expires_in": int(ttl.Seconds())})
}

// mpTicket serves GET /cgi-bin/ticket/getticket?type=jsapi|wx_card.
func (e *Emulator) mpTicket(q *request) {
	typ := q.query("type")
	if typ != "jsapi" && typ != "wx_card" {
		q.failMsg(40097, "invalid args: type must be jsapi or wx_card")
		return
	}
	t, ttl := e.issueTicket(mpKey, typ)
	q.ok(map[string]any{"ticket": t, "expires_in": int(ttl.Seconds())})
}

func (e *Emulator) follower(openid string) *Follower {
	for i := range e.fx.MP.Followers {
		if e.fx.MP.Followers[i].OpenID == openid {
			return &e.fx.MP.Followers[i]
		}
	}
	return nil
}

// checkApp verifies appid (+ secret when withSecret) of sns calls.
func (q *request) checkApp(withSecret bool) bool {
	fx := q.e.fx.MP
	switch {
	case q.query("appid") == "":
		q.failMsg(41002, "appid missing")
	case q.query("appid") != fx.AppID:
		q.failMsg(40013, "invalid appid")
	case withSecret && q.query("secret") == "":
		q.failMsg(41004, "appsecret missing")
	case withSecret && q.query("secret") != fx.AppSecret:
		q.fail(40125)
	default:
		return true
	}
	return false
}

// snsGrant issues a web access token + refresh token for openid/scope.
func (e *Emulator) snsGrant(q *request, openid, scope, refresh string) {
	now := e.now()
	at := "86_" + randString(110, alnum+"-_")
	e.st.SNSTokens[at] = &snsRec{OpenID: openid, Scope: scope, Expires: now.Add(e.cfg.ttl)}
	if refresh == "" {
		refresh = "86_" + randString(110, alnum+"-_")
		e.st.SNSRefresh[refresh] = &snsRec{OpenID: openid, Scope: scope, Expires: now.Add(snsRefreshTTL)}
	}
	e.dirty = true
	out := map[string]any{"access_token": at, "expires_in": int(e.cfg.ttl.Seconds()), "refresh_token": refresh,
		"openid": openid, "scope": scope}
	if f := e.follower(openid); f != nil && f.UnionID != "" {
		out["unionid"] = f.UnionID
	}
	if f := e.follower(openid); f != nil && f.SnapshotUser {
		// Sent only for the snapshot page's virtual user, always as 1.
		out["is_snapshotuser"] = 1
	}
	q.json(out)
}

// mpSNSAccessToken serves GET /sns/oauth2/access_token.
func (e *Emulator) mpSNSAccessToken(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.checkApp(true) {
		return
	}
	if q.query("grant_type") != "authorization_code" {
		q.fail(40002)
		return
	}
	rec := q.takeCode("mp")
	if rec == nil {
		return
	}
	e.snsGrant(q, rec.OpenID, rec.Scope, "")
}

// mpSNSRefresh serves GET /sns/oauth2/refresh_token.
func (e *Emulator) mpSNSRefresh(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.checkApp(false) {
		return
	}
	if q.query("grant_type") != "refresh_token" {
		q.fail(40002)
		return
	}
	rt := q.query("refresh_token")
	rec, ok := e.st.SNSRefresh[rt]
	switch {
	case rt == "" || !ok:
		q.fail(40030)
		return
	case !e.now().Before(rec.Expires):
		q.fail(42002)
		return
	}
	e.snsGrant(q, rec.OpenID, rec.Scope, rt)
}

// mpSNSUserInfo serves GET /sns/userinfo?access_token=WEB_TOKEN&openid=.
func (e *Emulator) mpSNSUserInfo(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	at := q.query("access_token")
	if at == "" {
		q.fail(41001)
		return
	}
	rec, ok := e.st.SNSTokens[at]
	switch {
	case !ok:
		q.fail(40001)
		return
	case !e.now().Before(rec.Expires):
		q.fail(42001)
		return
	case q.query("openid") == "":
		q.fail(41009)
		return
	case q.query("openid") != rec.OpenID:
		q.fail(40003)
		return
	case rec.Scope != "snsapi_userinfo":
		q.failMsg(48001, "api unauthorized: sns/userinfo needs scope snsapi_userinfo")
		return
	}
	f := e.follower(rec.OpenID)
	out := map[string]any{"openid": rec.OpenID, "nickname": "微信用户", "sex": 0, "province": "", "city": "",
		"country": "", "headimgurl": "", "privilege": []string{}}
	if f != nil {
		out["nickname"], out["sex"], out["province"], out["city"], out["country"], out["headimgurl"] =
			f.Nickname, f.Sex, f.Province, f.City, f.Country, f.HeadImgURL
		if f.UnionID != "" {
			out["unionid"] = f.UnionID
		}
	}
	q.json(out)
}

// mpQRCreate serves POST /cgi-bin/qrcode/create.
func (e *Emulator) mpQRCreate(q *request) {
	var req struct {
		ExpireSeconds *int64 `json:"expire_seconds"`
		ActionName    string `json:"action_name"`
		ActionInfo    struct {
			Scene struct {
				SceneID  int64  `json:"scene_id"`
				SceneStr string `json:"scene_str"`
			} `json:"scene"`
		} `json:"action_info"`
	}
	if !q.decodeJSON(&req) {
		return
	}
	sc := req.ActionInfo.Scene
	rec := &qrRec{ActionName: req.ActionName}
	switch req.ActionName {
	case "QR_SCENE", "QR_LIMIT_SCENE":
		if sc.SceneID == 0 || sc.SceneID > 1<<32-1 || sc.SceneID < -(1<<31) ||
			req.ActionName == "QR_LIMIT_SCENE" && (sc.SceneID < 1 || sc.SceneID > 100000) {
			q.failMsg(40097, "invalid args: scene_id out of range")
			return
		}
		rec.SceneID = sc.SceneID
	case "QR_STR_SCENE", "QR_LIMIT_STR_SCENE":
		if sc.SceneStr == "" || len(sc.SceneStr) > 64 {
			q.failMsg(40097, "invalid args: scene_str must be 1 to 64 characters")
			return
		}
		rec.SceneStr = sc.SceneStr
	default:
		q.failMsg(40097, "invalid args: action_name must be QR_SCENE, QR_STR_SCENE, QR_LIMIT_SCENE or QR_LIMIT_STR_SCENE")
		return
	}
	out := map[string]any{}
	if req.ActionName == "QR_SCENE" || req.ActionName == "QR_STR_SCENE" {
		exp := int64(60) // default when omitted, per the current doc
		if req.ExpireSeconds != nil {
			exp = *req.ExpireSeconds
		}
		if exp <= 0 || exp > 2592000 {
			exp = 2592000
		}
		rec.Expires = e.now().Add(time.Duration(exp) * time.Second)
		out["expire_seconds"] = exp
	}
	// Real tickets are standard base64 with '+', '/' and '=', so a client
	// that forgets to URL-encode them for showqrcode fails here too.
	raw := make([]byte, 69)
	if _, err := rand.Read(raw); err != nil {
		q.fail(-1)
		return
	}
	rec.Ticket = "gQ" + base64.StdEncoding.EncodeToString(raw)[2:] + "=="
	rec.URL = "http://weixin.qq.com/q/" + randString(26, alnum+"-_")
	e.sweep(e.now())
	e.st.QRCodes[rec.Ticket] = rec
	e.dirty = true
	out["ticket"], out["url"] = rec.Ticket, rec.URL
	q.json(out)
}

// mpShowQR serves GET /cgi-bin/showqrcode?ticket= (no token), a PNG of the
// code's URL; unknown or expired tickets get 404.
func (e *Emulator) mpShowQR(q *request) {
	e.mu.Lock()
	rec, ok := e.st.QRCodes[q.query("ticket")]
	valid := ok && (rec.Expires.IsZero() || e.now().Before(rec.Expires))
	var content string
	if valid {
		content = rec.URL
	}
	e.mu.Unlock()
	if !valid {
		http.Error(q.w, "404 not found", http.StatusNotFound)
		return
	}
	png, err := qrcode.Encode(content, qrcode.Medium, 430)
	if err != nil {
		q.fail(-1)
		return
	}
	q.w.Header().Set("Content-Type", "image/png")
	q.w.Header().Set("Content-Length", strconv.Itoa(len(png)))
	_, _ = q.w.Write(png)
}

// canMessage answers 40003 / 45015 when openid cannot receive the message.
// Callers hold e.mu.
func (q *request) checkFollower(openid string, window bool) bool {
	f := q.e.follower(openid)
	if openid == "" || f == nil || !f.Subscribed {
		q.fail(40003)
		return false
	}
	if window {
		in := q.e.st.Interactions[openid]
		now := q.e.now()
		open := func(w *csWindow, d time.Duration) bool {
			return in != nil && !w.Start.IsZero() && now.Sub(w.Start) <= d
		}
		switch {
		case in == nil || !open(&in.Msg, msgWindow) && !open(&in.Event, eventWindow):
			q.failMsg(45015, "response out of time limit or subscription is canceled (the user has not sent a message in the last 48 hours or an event in the last minute; emulate one with POST /__emulator/callbacks)")
			return false
		case open(&in.Msg, msgWindow) && in.Msg.Used < msgQuota:
			in.Msg.Used++
		case open(&in.Event, eventWindow) && in.Event.Used < eventQuota:
			in.Event.Used++
		default:
			q.failMsg(45047, "out of response count limit (5 messages per user message in 48 h, 3 per event in 1 minute)")
			return false
		}
		q.e.dirty = true
	}
	return true
}

func (e *Emulator) mpRecord(q *request, openid, msgType string, body []byte) string {
	id := e.nextMsgID()
	e.addOutbox(OutboxMessage{Platform: "mp", API: q.r.URL.Path, MsgID: strconv.FormatInt(id, 10),
		ToUsers: []string{openid}, MsgType: msgType, Body: body, Time: e.now()})
	e.dirty = true
	return strconv.FormatInt(id, 10)
}

// mpTemplateSend serves POST /cgi-bin/message/template/send.
func (e *Emulator) mpTemplateSend(q *request) {
	var raw json.RawMessage
	if !q.decodeJSON(&raw) {
		return
	}
	var req struct {
		ToUser      string                     `json:"touser"`
		TemplateID  string                     `json:"template_id"`
		Data        map[string]json.RawMessage `json:"data"`
		MiniProgram *struct {
			AppID    string `json:"appid"`
			PagePath string `json:"pagepath"`
		} `json:"miniprogram"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		q.failMsg(47001, "data format error: "+jsonFieldHint(err))
		return
	}
	if !q.checkFollower(req.ToUser, false) {
		return
	}
	if mp := req.MiniProgram; mp != nil {
		// pagepath is optional: without it the mini program's home page opens.
		if code, msg := e.checkMiniProgram("miniprogram.appid", "miniprogram.pagepath", mp.AppID, mp.PagePath); code != 0 {
			q.failMsg(code, msg)
			return
		}
	}
	known := len(e.fx.MP.Templates) == 0 && req.TemplateID != ""
	for _, t := range e.fx.MP.Templates {
		known = known || t.ID == req.TemplateID
	}
	if !known {
		q.fail(40037)
		return
	}
	id := e.mpRecord(q, req.ToUser, "template", raw)
	n, _ := strconv.ParseInt(id, 10, 64)
	q.ok(map[string]any{"msgid": n})
}

// mpCustomSend serves POST /cgi-bin/message/custom/send.
func (e *Emulator) mpCustomSend(q *request) {
	var raw map[string]json.RawMessage
	if !q.decodeJSON(&raw) {
		return
	}
	var touser, msgtype string
	_ = json.Unmarshal(raw["touser"], &touser)
	_ = json.Unmarshal(raw["msgtype"], &msgtype)
	known := map[string]bool{"text": true, "image": true, "voice": true, "video": true, "music": true, "news": true,
		"mpnews": true, "mpnewsarticle": true, "msgmenu": true, "wxcard": true, "miniprogrampage": true}
	if !known[msgtype] {
		q.fail(40008)
		return
	}
	if _, ok := raw[msgtype]; !ok {
		q.failMsg(40058, "invalid parameter: the "+msgtype+" object is missing")
		return
	}
	if code, msg := checkCustomPayload(msgtype, raw[msgtype]); code != 0 {
		q.failMsg(code, msg)
		return
	}
	if msgtype == "text" {
		if code, msg := e.checkTextLinks(raw["text"]); code != 0 {
			q.failMsg(code, msg)
			return
		}
	}
	if !q.checkFollower(touser, true) {
		return
	}
	body, _ := json.Marshal(raw)
	e.mpRecord(q, touser, msgtype, body)
	q.ok(nil)
}

// mpUserInfo serves GET /cgi-bin/user/info?openid=&lang=.
func (e *Emulator) mpUserInfo(q *request) {
	openid := q.query("openid")
	f := e.follower(openid)
	if openid == "" || f == nil {
		q.fail(40003)
		return
	}
	q.json(followerInfo(f))
}

// page returns up to size openids after next (exclusive) in list, MP style.
func page(list []string, next string, size int) ([]string, string) {
	start := 0
	if next != "" {
		start = len(list)
		for i, id := range list {
			if id == next {
				start = i + 1
				break
			}
		}
	}
	end := min(start+size, len(list))
	out := append([]string{}, list[start:end]...)
	nextOut := ""
	if len(out) > 0 {
		nextOut = out[len(out)-1]
	}
	return out, nextOut
}

func (e *Emulator) pageSize() int {
	if e.fx.MP.PageSize > 0 {
		return e.fx.MP.PageSize
	}
	return 10000
}

// mpUserGet serves GET /cgi-bin/user/get?next_openid=.
func (e *Emulator) mpUserGet(q *request) {
	var all []string
	for _, f := range e.fx.MP.Followers {
		if f.Subscribed {
			all = append(all, f.OpenID)
		}
	}
	next := q.query("next_openid")
	if next != "" && e.follower(next) == nil {
		q.fail(40003)
		return
	}
	ids, nextOut := page(all, next, e.pageSize())
	out := map[string]any{"total": len(all), "count": len(ids), "next_openid": nextOut}
	if len(ids) > 0 {
		out["data"] = map[string]any{"openid": ids}
	}
	q.json(out)
}

// mpCallbackIP serves GET /cgi-bin/getcallbackip.
func (e *Emulator) mpCallbackIP(q *request) {
	q.json(map[string]any{"ip_list": []string{"127.0.0.1"}})
}

// --- tags (用户标签) ---

func (e *Emulator) tagIndex(id int64) int {
	for i, t := range e.fx.MP.Tags {
		if t.ID == id {
			return i
		}
	}
	return -1
}

func (e *Emulator) tagCount(id int64) int {
	n := 0
	for _, f := range e.fx.MP.Followers {
		for _, t := range f.TagIDs {
			if t == id {
				n++
			}
		}
	}
	return n
}

type tagBody struct {
	Tag struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"tag"`
}

func (e *Emulator) checkTagName(q *request, name string, self int64) bool {
	if name == "" {
		q.fail(45157)
		return false
	}
	if len(name) > 30 {
		q.fail(45158)
		return false
	}
	for _, t := range e.fx.MP.Tags {
		if t.Name == name && t.ID != self {
			q.failMsg(45157, "invalid tag name: a tag with this name exists")
			return false
		}
	}
	return true
}

func (e *Emulator) mpTagCreate(q *request) {
	var b tagBody
	if !q.decodeJSON(&b) || !e.checkTagName(q, b.Tag.Name, -1) {
		return
	}
	if len(e.fx.MP.Tags) >= 100 {
		q.fail(45056)
		return
	}
	id := int64(100)
	for _, t := range e.fx.MP.Tags {
		if t.ID >= id {
			id = t.ID + 1
		}
	}
	e.fx.MP.Tags = append(e.fx.MP.Tags, MPTag{ID: id, Name: b.Tag.Name})
	q.json(map[string]any{"tag": map[string]any{"id": id, "name": b.Tag.Name}})
}

func (e *Emulator) mpTagGet(q *request) {
	tags := []map[string]any{}
	for _, t := range e.fx.MP.Tags {
		tags = append(tags, map[string]any{"id": t.ID, "name": t.Name, "count": e.tagCount(t.ID)})
	}
	q.json(map[string]any{"tags": tags})
}

// changeableTag reads a tags/update or tags/delete body and finds the tag:
// the system tags 0–2 cannot be changed (45058), an unknown id is 45159.
// The caller holds e.mu and has authenticated the request.
func (e *Emulator) changeableTag(q *request) (b tagBody, i int, ok bool) {
	if !q.decodeJSON(&b) {
		return b, -1, false
	}
	i = e.tagIndex(b.Tag.ID)
	switch {
	case b.Tag.ID >= 0 && b.Tag.ID <= 2:
		q.fail(45058)
		return b, -1, false
	case i < 0:
		q.fail(45159)
		return b, -1, false
	}
	return b, i, true
}

func (e *Emulator) mpTagUpdate(q *request) {
	b, i, ok := e.changeableTag(q)
	if !ok {
		return
	}
	if !e.checkTagName(q, b.Tag.Name, b.Tag.ID) {
		return
	}
	e.fx.MP.Tags[i].Name = b.Tag.Name
	q.ok(nil)
}

func (e *Emulator) mpTagDelete(q *request) {
	b, i, ok := e.changeableTag(q)
	if !ok {
		return
	}
	e.fx.MP.Tags = append(e.fx.MP.Tags[:i:i], e.fx.MP.Tags[i+1:]...)
	for j := range e.fx.MP.Followers {
		e.fx.MP.Followers[j].TagIDs = without(e.fx.MP.Followers[j].TagIDs, b.Tag.ID)
	}
	q.ok(nil)
}

func without(ids []int64, id int64) []int64 {
	out := ids[:0:0]
	for _, v := range ids {
		if v != id {
			out = append(out, v)
		}
	}
	return out
}

func (e *Emulator) mpTagMembers(q *request, add bool) {
	var b struct {
		OpenIDList []string `json:"openid_list"`
		TagID      int64    `json:"tagid"`
	}
	if !q.decodeJSON(&b) {
		return
	}
	if len(b.OpenIDList) == 0 || len(b.OpenIDList) > 50 {
		q.fail(40032)
		return
	}
	if e.tagIndex(b.TagID) < 0 {
		q.fail(45159)
		return
	}
	for _, id := range b.OpenIDList {
		if e.follower(id) == nil {
			q.fail(40003)
			return
		}
	}
	for _, id := range b.OpenIDList {
		f := e.follower(id)
		has := false
		for _, t := range f.TagIDs {
			has = has || t == b.TagID
		}
		switch {
		case add && !has:
			if len(f.TagIDs) >= 20 {
				q.fail(45059)
				return
			}
			f.TagIDs = append(f.TagIDs, b.TagID)
		case !add && has:
			f.TagIDs = without(f.TagIDs, b.TagID)
		}
	}
	q.ok(nil)
}

func (e *Emulator) mpTagIDList(q *request) {
	var b struct {
		OpenID string `json:"openid"`
	}
	if !q.decodeJSON(&b) {
		return
	}
	f := e.follower(b.OpenID)
	if f == nil {
		q.fail(40003)
		return
	}
	ids := append([]int64{}, f.TagIDs...)
	q.json(map[string]any{"tagid_list": ids})
}

func (e *Emulator) mpTagUsers(q *request) {
	var b struct {
		TagID      int64  `json:"tagid"`
		NextOpenID string `json:"next_openid"`
	}
	if !q.decodeJSON(&b) {
		return
	}
	if e.tagIndex(b.TagID) < 0 {
		q.fail(45159)
		return
	}
	var all []string
	for _, f := range e.fx.MP.Followers {
		for _, t := range f.TagIDs {
			if t == b.TagID {
				all = append(all, f.OpenID)
			}
		}
	}
	sort.Strings(all)
	ids, next := page(all, b.NextOpenID, e.pageSize())
	q.json(map[string]any{"count": len(ids), "data": map[string]any{"openid": ids}, "next_openid": next})
}

// checkCustomPayload checks the fields a customer-service message of
// msgtype needs (api-reference.md B7); it returns the errcode and text to
// answer, or 0.
func checkCustomPayload(msgtype string, payload json.RawMessage) (int, string) {
	var p map[string]any
	if json.Unmarshal(payload, &p) != nil || p == nil {
		return 47001, "data format error: " + msgtype + " must be an object"
	}
	str := func(k string) string { s, _ := p[k].(string); return s }
	var need []string
	switch msgtype {
	case "text":
		if str("content") == "" {
			return 44004, errmsgFor(44004)
		}
	case "image", "voice", "mpnews":
		need = []string{"media_id"}
	case "video":
		need = []string{"media_id", "thumb_media_id"}
	case "music":
		need = []string{"musicurl", "thumb_media_id"}
	case "mpnewsarticle":
		need = []string{"article_id"}
	case "wxcard":
		need = []string{"card_id"}
	case "miniprogrampage":
		need = []string{"title", "appid", "pagepath", "thumb_media_id"}
	case "news":
		arts, _ := p["articles"].([]any)
		if len(arts) != 1 {
			return 40058, "invalid parameter: a customer-service news message has exactly 1 article"
		}
		if a, _ := arts[0].(map[string]any); a == nil || a["title"] == nil || a["title"] == "" {
			return 41016, errmsgFor(41016)
		}
	case "msgmenu":
		list, _ := p["list"].([]any)
		if len(list) == 0 {
			return 40058, "invalid parameter: msgmenu.list is empty"
		}
		for _, it := range list {
			m, _ := it.(map[string]any)
			if id, _ := m["id"].(string); id == "" {
				return 40058, "invalid parameter: every msgmenu.list item needs id and content"
			}
			if c, _ := m["content"].(string); c == "" {
				return 40058, "invalid parameter: every msgmenu.list item needs id and content"
			}
		}
	}
	for _, k := range need {
		if str(k) == "" {
			return 40058, "invalid parameter: " + msgtype + "." + k + " is missing"
		}
	}
	return 0, ""
}

// mpAuthed wraps an Official Account API handler with what every one of
// them starts with: the emulator's lock for the whole call and the
// access_token check (an MP token, not expired, not superseded). h runs
// only when the token is good, with q.app set.
func (e *Emulator) mpAuthed(h func(q *request)) func(q *request) {
	return func(q *request) {
		e.mu.Lock()
		defer e.mu.Unlock()
		if !q.auth("mp") {
			return
		}
		h(q)
	}
}

var weappID = regexp.MustCompile(`^wx[0-9a-f]{16}$`)

// checkMiniProgram checks a mini program link (appid, pagepath) against the
// mini programs linked to the account: 40166 for an appid that is not one
// of them, 40165 for a page it does not have. The fields are named in the
// errmsg as the request spells them. Callers hold e.mu.
func (e *Emulator) checkMiniProgram(appidField, pathField, appid, pagepath string) (int, string) {
	if !weappID.MatchString(appid) {
		return 40166, "invalid weapp appid: " + appidField + " " + strconv.Quote(appid) + " is not a mini program AppID (wx + 16 hex digits)"
	}
	if len(e.fx.MP.MiniPrograms) == 0 {
		return 0, ""
	}
	for _, m := range e.fx.MP.MiniPrograms {
		if m.AppID != appid {
			continue
		}
		page, _, _ := strings.Cut(strings.TrimPrefix(pagepath, "/"), "?")
		if pagepath == "" || len(m.Pages) == 0 {
			return 0, ""
		}
		for _, p := range m.Pages {
			if strings.TrimPrefix(p, "/") == page {
				return 0, ""
			}
		}
		return 40165, "invalid weapp pagepath: " + pathField + " " + strconv.Quote(pagepath) + " is not a page of mini program " + appid + " (use a path from its app.json, e.g. pages/index/index)"
	}
	return 40166, "invalid weapp appid: " + appidField + " " + appid + " is not linked to this Official Account (关联小程序 in the MP console)"
}

var (
	anchorTag  = regexp.MustCompile(`(?is)<a\s[^>]*>`)
	anchorAttr = regexp.MustCompile(`(?is)([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')`)
)

// checkTextLinks checks the mini program links of a customer-service text
// message: an <a> with data-miniprogram-appid opens that mini program at
// data-miniprogram-path (required with the appid [unconfirmed]; the doc
// lists both); href is the fallback for clients older than 6.5.16.
func (e *Emulator) checkTextLinks(text json.RawMessage) (int, string) {
	var t struct {
		Content string `json:"content"`
	}
	_ = json.Unmarshal(text, &t)
	for _, tag := range anchorTag.FindAllString(t.Content, -1) {
		attrs := map[string]string{}
		for _, m := range anchorAttr.FindAllStringSubmatch(tag, -1) {
			attrs[strings.ToLower(m[1])] = m[2] + m[3]
		}
		appid, hasApp := attrs["data-miniprogram-appid"]
		pagepath, hasPath := attrs["data-miniprogram-path"]
		switch {
		case !hasApp && hasPath:
			return 40166, "invalid weapp appid: an <a> in text.content has data-miniprogram-path but no data-miniprogram-appid"
		case !hasApp:
			continue
		case !hasPath || pagepath == "":
			return 40165, "invalid weapp pagepath: an <a> with data-miniprogram-appid needs data-miniprogram-path (a page from the mini program's app.json)"
		}
		if code, msg := e.checkMiniProgram("data-miniprogram-appid", "data-miniprogram-path", appid, pagepath); code != 0 {
			return code, msg
		}
	}
	return 0, ""
}
