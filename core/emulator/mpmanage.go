package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Official Account management APIs: customer-service accounts (客服账号),
// personalised menus (个性化菜单), permanent material (永久素材) and batch
// follower reads. Field names and errcodes follow Tencent's current API
// pages (developers.weixin.qq.com/doc/service/api/…); where a page does not
// name the errcode for a case, the code used is marked [unconfirmed] here
// and in docs/emulator.md.

func (e *Emulator) mpManageRoutes() {
	get, post := http.MethodGet, http.MethodPost
	for p, r := range map[string]route{
		"/mp/customservice/kfaccount/add":        {post, e.mpAuthed(e.mpKFAdd)},
		"/mp/customservice/kfaccount/update":     {post, e.mpAuthed(e.mpKFUpdate)},
		"/mp/customservice/kfaccount/del":        {post, e.mpAuthed(e.mpKFDel)},
		"/mp/cgi-bin/customservice/getkflist":    {get, e.mpAuthed(e.mpKFList)},
		"/mp/cgi-bin/menu/addconditional":        {post, e.mpAuthed(e.mpMenuAddConditional)},
		"/mp/cgi-bin/menu/delconditional":        {post, e.mpAuthed(e.mpMenuDelConditional)},
		"/mp/cgi-bin/menu/trymatch":              {post, e.mpAuthed(e.mpMenuTryMatch)},
		"/mp/cgi-bin/get_current_selfmenu_info":  {get, e.mpAuthed(e.mpSelfMenuInfo)},
		"/mp/cgi-bin/user/info/batchget":         {post, e.mpAuthed(e.mpUserBatchGet)},
		"/mp/cgi-bin/material/add_material":      {post, e.mpMaterialAdd},
		"/mp/cgi-bin/material/get_material":      {post, e.mpMaterialGet},
		"/mp/cgi-bin/material/batchget_material": {post, e.mpAuthed(e.mpMaterialList)},
		"/mp/cgi-bin/material/del_material":      {post, e.mpAuthed(e.mpMaterialDel)},
		"/mp/cgi-bin/material/get_materialcount": {get, e.mpAuthed(e.mpMaterialCount)},
		"/mp/__material/video":                   {get, e.mpMaterialVideo},
	} {
		e.mux[p] = r
	}
}

// --- customer-service accounts (客服账号) ---

var kfPrefix = regexp.MustCompile(`^[A-Za-z0-9_]{1,10}$`)

// kfSuffix is the part after @ every kf_account of this account carries.
func (e *Emulator) kfSuffix() string {
	if e.fx.MP.WeChatID != "" {
		return e.fx.MP.WeChatID
	}
	return e.fx.MP.OriginalID
}

func (e *Emulator) kfIndex(account string) int {
	for i, k := range e.fx.MP.KFAccounts {
		if k.Account == account {
			return i
		}
	}
	return -1
}

type kfBody struct {
	KFAccount string `json:"kf_account"`
	Nickname  string `json:"nickname"`
}

// kfStart decodes a kfaccount body after the 65400 check.
func (e *Emulator) kfStart(q *request, b *kfBody) bool {
	if e.fx.MP.KFDisabled {
		q.fail(65400)
		return false
	}
	return q.decodeJSON(b)
}

// checkKFNick answers 65403 for a nickname the doc does not allow (1 to 16
// characters).
func checkKFNick(q *request, nick string) bool {
	if n := utf8.RuneCountInString(nick); n == 0 || n > 16 {
		q.failMsg(65403, fmt.Sprintf("illegal nickname: nickname must be 1 to 16 characters, has %d", n))
		return false
	}
	return true
}

// mpKFAdd serves POST /customservice/kfaccount/add.
func (e *Emulator) mpKFAdd(q *request) {
	var b kfBody
	if !e.kfStart(q, &b) {
		return
	}
	prefix, suffix, found := strings.Cut(b.KFAccount, "@")
	switch {
	case !found || !kfPrefix.MatchString(prefix):
		q.failMsg(65404, "illegal custom service account: kf_account must be prefix@"+e.kfSuffix()+", the prefix 1 to 10 letters, digits or _")
		return
	case suffix != e.kfSuffix():
		// [unconfirmed] the doc says the suffix is the account's 微信号; the
		// code for another suffix is assumed to be the same 65404.
		q.failMsg(65404, "illegal custom service account: the part after @ must be this account's WeChat ID (微信号) "+e.kfSuffix())
		return
	case !checkKFNick(q, b.Nickname):
		return
	case e.kfIndex(b.KFAccount) >= 0:
		q.fail(65406)
		return
	case len(e.fx.MP.KFAccounts) >= 100:
		q.fail(65405)
		return
	}
	id := int64(1001)
	for _, k := range e.fx.MP.KFAccounts {
		if k.ID >= id {
			id = k.ID + 1
		}
	}
	e.fx.MP.KFAccounts = append(e.fx.MP.KFAccounts, KFAccount{Account: b.KFAccount, Nickname: b.Nickname, ID: id})
	q.ok(nil)
}

// mpKFUpdate serves POST /customservice/kfaccount/update.
func (e *Emulator) mpKFUpdate(q *request) {
	var b kfBody
	if !e.kfStart(q, &b) {
		return
	}
	i := e.kfIndex(b.KFAccount)
	if i < 0 {
		q.failMsg(65401, "invalid custom service account: no account "+strconv.Quote(b.KFAccount)+"; list them with getkflist")
		return
	}
	if !checkKFNick(q, b.Nickname) {
		return
	}
	e.fx.MP.KFAccounts[i].Nickname = b.Nickname
	q.ok(nil)
}

// mpKFDel serves POST /customservice/kfaccount/del.
func (e *Emulator) mpKFDel(q *request) {
	var b kfBody
	if !e.kfStart(q, &b) {
		return
	}
	i := e.kfIndex(b.KFAccount)
	if i < 0 {
		q.failMsg(65401, "invalid custom service account: no account "+strconv.Quote(b.KFAccount)+"; list them with getkflist")
		return
	}
	e.fx.MP.KFAccounts = append(e.fx.MP.KFAccounts[:i:i], e.fx.MP.KFAccounts[i+1:]...)
	q.ok(nil)
}

// mpKFList serves GET /cgi-bin/customservice/getkflist.
func (e *Emulator) mpKFList(q *request) {
	list := []map[string]any{}
	for _, k := range e.fx.MP.KFAccounts {
		m := map[string]any{"kf_account": k.Account, "kf_nick": k.Nickname, "kf_id": strconv.FormatInt(k.ID, 10),
			"kf_headimgurl": k.HeadImgURL}
		if k.WX != "" {
			m["kf_wx"] = k.WX
		}
		list = append(list, m)
	}
	q.json(map[string]any{"kf_list": list})
}

// --- personalised menus (个性化菜单) ---

// condMenu is one personalised menu.
type condMenu struct {
	MenuID int64           `json:"menuid"`
	Button json.RawMessage `json:"button"`
	Rule   matchRule       `json:"matchrule"`
}

// matchRule is a personalised menu's matchrule; the server takes its fields
// as strings or numbers, and so does the emulator.
type matchRule struct {
	TagID              flexStr `json:"tag_id,omitempty"`
	GroupID            flexStr `json:"group_id,omitempty"`
	Sex                flexStr `json:"sex,omitempty"`
	Country            flexStr `json:"country,omitempty"`
	Province           flexStr `json:"province,omitempty"`
	City               flexStr `json:"city,omitempty"`
	ClientPlatformType flexStr `json:"client_platform_type,omitempty"`
	Language           flexStr `json:"language,omitempty"`
}

// private reports whether the rule uses a field the privacy change of the
// personalised menu made the server refuse (sex, region, language).
func (r matchRule) private() bool {
	return r.Sex != "" || r.Country != "" || r.Province != "" || r.City != "" || r.Language != ""
}

func (r matchRule) empty() bool {
	return !r.private() && r.TagID == "" && r.GroupID == "" && r.ClientPlatformType == ""
}

// matches reports whether follower f sees a menu with this rule: every field
// set must match. A rule with a private field never matches: the doc says
// such menus stopped taking effect.
func (r matchRule) matches(f *Follower) bool {
	if r.private() || r.empty() {
		return false
	}
	hasTag := func(id flexStr) bool {
		for _, t := range f.TagIDs {
			if strconv.FormatInt(t, 10) == string(id) {
				return true
			}
		}
		return false
	}
	if r.TagID != "" && !hasTag(r.TagID) {
		return false
	}
	// Groups (分组) became tags with the same ids [unconfirmed].
	if r.GroupID != "" && !hasTag(r.GroupID) {
		return false
	}
	if r.ClientPlatformType != "" && string(r.ClientPlatformType) != strconv.Itoa(f.ClientPlatform) {
		return false
	}
	return true
}

// flexStr takes a JSON string or number as a string.
type flexStr string

func (s *flexStr) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var v string
		err := json.Unmarshal(b, &v)
		*s = flexStr(v)
		return err
	}
	if string(b) == "null" {
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*s = flexStr(n.String())
	return nil
}

// checkMenuButtons validates a menu's buttons as menu/create does and
// answers the errcode; it reports whether they are good.
func checkMenuButtons(q *request, buttons []button) bool {
	if len(buttons) == 0 || len(buttons) > 3 {
		q.fail(40016)
		return false
	}
	for _, b := range buttons {
		if c := checkButton("mp", b, 1); c != 0 {
			q.fail(c)
			return false
		}
	}
	return true
}

// nextMenuID returns a fresh menuid. Callers hold e.mu.
func (e *Emulator) nextMenuID() int64 {
	e.st.Seq++
	return 400000000 + e.st.Seq
}

// mpMenuAddConditional serves POST /cgi-bin/menu/addconditional.
func (e *Emulator) mpMenuAddConditional(q *request) {
	var b struct {
		Button    []button  `json:"button"`
		MatchRule matchRule `json:"matchrule"`
	}
	if !q.decodeJSON(&b) {
		return
	}
	if _, ok := e.st.Menus[mpKey]; !ok {
		q.failMsg(65303, "there is no selfmenu, please create selfmenu first: create the default menu with menu/create before a personalised one")
		return
	}
	if !checkMenuButtons(q, b.Button) {
		return
	}
	r := b.MatchRule
	switch {
	case r.empty():
		q.failMsg(65304, "match rule empty: set matchrule.tag_id or matchrule.client_platform_type")
		return
	case r.private():
		q.failMsg(65320, "matchrule uses sex, country, province, city or language, which personalised menus no longer take; match by tag_id (tag the followers first)")
		return
	case r.ClientPlatformType != "" && r.ClientPlatformType != "1" && r.ClientPlatformType != "2" && r.ClientPlatformType != "3":
		// [unconfirmed] code for an out-of-range platform.
		q.failMsg(40097, "invalid args: matchrule.client_platform_type must be 1 (iOS), 2 (Android) or 3 (others)")
		return
	}
	for _, id := range []flexStr{r.TagID, r.GroupID} {
		if id == "" {
			continue
		}
		n, err := strconv.ParseInt(string(id), 10, 64)
		if err != nil || e.tagIndex(n) < 0 {
			// [unconfirmed] code for a tag that does not exist.
			q.failMsg(45159, "invalid tag id: matchrule.tag_id "+string(id)+" is not a tag of this account; list them with tags/get")
			return
		}
	}
	buttons, _ := json.Marshal(b.Button)
	m := &condMenu{MenuID: e.nextMenuID(), Button: buttons, Rule: r}
	e.st.CondMenus = append(e.st.CondMenus, m)
	e.dirty = true
	// The menuid comes back as a string.
	q.json(map[string]any{"menuid": strconv.FormatInt(m.MenuID, 10)})
}

// mpMenuDelConditional serves POST /cgi-bin/menu/delconditional.
func (e *Emulator) mpMenuDelConditional(q *request) {
	var b struct {
		MenuID flexStr `json:"menuid"`
	}
	if !q.decodeJSON(&b) {
		return
	}
	for i, m := range e.st.CondMenus {
		if strconv.FormatInt(m.MenuID, 10) == string(b.MenuID) {
			e.st.CondMenus = append(e.st.CondMenus[:i:i], e.st.CondMenus[i+1:]...)
			e.dirty = true
			q.ok(nil)
			return
		}
	}
	q.failMsg(65301, "no menuid "+strconv.Quote(string(b.MenuID))+": list the personalised menus with menu/get (conditionalmenu)")
}

// mpMenuTryMatch serves POST /cgi-bin/menu/trymatch: the newest matching
// personalised menu, else the default menu.
func (e *Emulator) mpMenuTryMatch(q *request) {
	var b struct {
		UserID string `json:"user_id"`
	}
	if !q.decodeJSON(&b) {
		return
	}
	var f *Follower
	for i := range e.fx.MP.Followers {
		if fl := &e.fx.MP.Followers[i]; b.UserID != "" && (fl.OpenID == b.UserID || fl.WeChatID == b.UserID) {
			f = fl
		}
	}
	if f == nil {
		q.failMsg(65302, "no such user: user_id must be a follower's openid or WeChat ID (微信号)")
		return
	}
	def, ok := e.st.Menus[mpKey]
	if !ok {
		q.fail(46003)
		return
	}
	for i := len(e.st.CondMenus) - 1; i >= 0; i-- {
		if m := e.st.CondMenus[i]; m.Rule.matches(f) {
			q.json(map[string]any{"button": m.Button})
			return
		}
	}
	var menu map[string]any
	_ = json.Unmarshal(def, &menu)
	q.json(map[string]any{"button": menu["button"]})
}

// mpSelfMenuInfo serves GET /cgi-bin/get_current_selfmenu_info: the
// default menu's API configuration with sub-buttons as sub_button.list;
// personalised menus are not part of it. Without a menu it answers
// is_menu_open 0 and no selfmenu_info [unconfirmed shape].
func (e *Emulator) mpSelfMenuInfo(q *request) {
	stored, ok := e.st.Menus[mpKey]
	if !ok {
		q.json(map[string]any{"is_menu_open": 0})
		return
	}
	var menu struct {
		Button []button `json:"button"`
	}
	_ = json.Unmarshal(stored, &menu)
	var out []map[string]any
	for _, b := range menu.Button {
		top := selfMenuButton(b)
		if len(b.SubButton) > 0 {
			var list []map[string]any
			for _, s := range b.SubButton {
				list = append(list, selfMenuButton(s))
			}
			top = map[string]any{"name": b.Name, "sub_button": map[string]any{"list": list}}
		}
		out = append(out, top)
	}
	q.json(map[string]any{"is_menu_open": 1, "selfmenu_info": map[string]any{"button": out}})
}

// selfMenuButton is one leaf button as get_current_selfmenu_info shows an
// API-set menu: its type, name and the field its type uses.
func selfMenuButton(b button) map[string]any {
	m := map[string]any{"type": b.Type, "name": b.Name}
	for k, v := range map[string]string{"key": b.Key, "url": b.URL, "appid": b.AppID, "pagepath": b.PagePath,
		"media_id": b.MediaID, "article_id": b.ArticleID} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

// mpMenuGetAnswer is the MP menu/get answer: the default menu, and once
// personalised menus exist the default menu's menuid and the list.
// Callers hold e.mu.
func (e *Emulator) mpMenuGetAnswer(stored json.RawMessage) map[string]any {
	var menu map[string]any
	_ = json.Unmarshal(stored, &menu)
	out := map[string]any{"menu": menu}
	if len(e.st.CondMenus) == 0 {
		return out
	}
	menu["menuid"] = e.st.MPMenuID
	var list []map[string]any
	for _, m := range e.st.CondMenus {
		list = append(list, map[string]any{"button": m.Button, "matchrule": m.Rule, "menuid": m.MenuID})
	}
	out["conditionalmenu"] = list
	return out
}

// --- followers ---

// followerInfo is the user/info answer for f.
func followerInfo(f *Follower) map[string]any {
	if !f.Subscribed {
		return map[string]any{"subscribe": 0, "openid": f.OpenID}
	}
	tags := f.TagIDs
	if tags == nil {
		tags = []int64{}
	}
	out := map[string]any{"subscribe": 1, "openid": f.OpenID, "language": "zh_CN",
		"subscribe_time": 1700000000, "remark": f.Remark, "groupid": 0, "tagid_list": tags,
		"subscribe_scene": "ADD_SCENE_QR_CODE", "qr_scene": 0, "qr_scene_str": ""}
	if f.UnionID != "" {
		out["unionid"] = f.UnionID
	}
	return out
}

// mpUserBatchGet serves POST /cgi-bin/user/info/batchget (1 to 100 openids).
func (e *Emulator) mpUserBatchGet(q *request) {
	var b struct {
		UserList []struct {
			OpenID string `json:"openid"`
			Lang   string `json:"lang"`
		} `json:"user_list"`
	}
	if !q.decodeJSON(&b) {
		return
	}
	if len(b.UserList) == 0 || len(b.UserList) > 100 {
		// [unconfirmed] the doc gives the limit, not the code.
		q.failMsg(40032, fmt.Sprintf("invalid openid list size: user_list has %d entries, it takes 1 to 100; split the list", len(b.UserList)))
		return
	}
	list := []map[string]any{}
	for i, u := range b.UserList {
		f := e.follower(u.OpenID)
		if u.OpenID == "" || f == nil {
			q.failMsg(40003, fmt.Sprintf("invalid openid: user_list[%d].openid %q is not a follower of this account", i, u.OpenID))
			return
		}
		list = append(list, followerInfo(f))
	}
	q.json(map[string]any{"user_info_list": list})
}

// --- permanent material (永久素材) ---

type materialRec struct {
	Type         string    `json:"type"`
	Filename     string    `json:"filename"`
	ContentType  string    `json:"contentType"`
	Data         []byte    `json:"-"` // persisted in dataDir/media/<id>, not in state.json
	Title        string    `json:"title,omitempty"`
	Introduction string    `json:"introduction,omitempty"`
	URL          string    `json:"url,omitempty"`
	Updated      time.Time `json:"updated"`
}

// materialFormats are the extensions each permanent material type takes.
var materialFormats = map[string][]string{
	"image": {".bmp", ".png", ".jpeg", ".jpg", ".gif"},
	"voice": {".mp3", ".wma", ".wav", ".amr"},
	"video": {".mp4"},
	"thumb": {".jpg", ".jpeg"},
}

// mpMaterialAdd serves POST /cgi-bin/material/add_material?type= (multipart
// field media; a video also sends the field description, JSON
// {"title","introduction"}).
func (e *Emulator) mpMaterialAdd(q *request) {
	e.mu.Lock()
	ok := q.auth("mp")
	e.mu.Unlock()
	if !ok {
		return
	}
	typ := q.query("type")
	limit, known := mediaLimits["mp"][typ]
	if !known {
		q.failMsg(40004, "invalid media type: type must be image, voice, video or thumb")
		return
	}
	data, filename, ctype, desc, ok := q.readMaterial()
	if !ok {
		return
	}
	if len(data) <= 5 || len(data) > limit {
		q.failMsg(40006, fmt.Sprintf("invalid file size: %s material must be more than 5 bytes and at most %d bytes", typ, limit))
		return
	}
	if ext := strings.ToLower(path.Ext(filename)); ext != "" {
		allowed := false
		for _, a := range materialFormats[typ] {
			allowed = allowed || a == ext
		}
		if !allowed {
			q.failMsg(40005, fmt.Sprintf("invalid file type: %s material takes %s, not %s", typ, strings.Join(materialFormats[typ], " "), ext))
			return
		}
	}
	rec := &materialRec{Type: typ, Filename: filename, ContentType: ctype, Data: data}
	if typ == "video" {
		var d struct {
			Title        string `json:"title"`
			Introduction string `json:"introduction"`
		}
		if desc == "" || json.Unmarshal([]byte(desc), &d) != nil || d.Title == "" {
			// [unconfirmed] code for a video without its description.
			q.failMsg(40097, `invalid args: a video needs the form field description, JSON {"title":"…","introduction":"…"} with a title`)
			return
		}
		rec.Title, rec.Introduction = d.Title, d.Introduction
	}
	if rec.ContentType == "" || rec.ContentType == "application/octet-stream" {
		if byExt := mime.TypeByExtension(path.Ext(filename)); byExt != "" {
			rec.ContentType = byExt
		} else {
			rec.ContentType = http.DetectContentType(data)
		}
	}
	if rec.Filename == "" || !utf8.ValidString(rec.Filename) {
		rec.Filename = "material" + extFor(rec.ContentType)
	}
	id := randString(43, alnum+"-_")
	if e.cfg.dataDir != "" {
		if err := e.saveMedia(id, data); err != nil {
			e.log.Error("emulator: saving material", "err", err)
			q.fail(-1)
			return
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	rec.Updated = e.now()
	out := map[string]any{"media_id": id}
	if typ == "image" {
		format := strings.TrimPrefix(extFor(rec.ContentType), ".")
		rec.URL = "http://mmbiz.qpic.cn/mmbiz_" + format + "/" + randString(40, alnum) + "/0?wx_fmt=" + format
		out["url"] = rec.URL
	}
	e.st.Materials[id] = rec
	e.dirty = true
	q.json(out)
}

// readMaterial reads the media file and the description field of an
// add_material upload, bounded; it answers the errcode itself on failure.
func (q *request) readMaterial() (data []byte, filename, ctype, desc string, ok bool) {
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, maxUploadBody)
	mr, err := q.r.MultipartReader()
	if err != nil {
		q.failMsg(41005, "media data missing: send multipart/form-data with the file in the field named media")
		return nil, "", "", "", false
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				q.fail(40006)
				return nil, "", "", "", false
			}
			q.failMsg(41005, "media data missing: the multipart body is malformed")
			return nil, "", "", "", false
		}
		switch part.FormName() {
		case "media":
			data, err = io.ReadAll(io.LimitReader(part, int64(maxFileSize)+1))
			if err != nil {
				q.fail(40006)
				return nil, "", "", "", false
			}
			filename, ctype = part.FileName(), part.Header.Get("Content-Type")
		case "description":
			b, _ := io.ReadAll(io.LimitReader(part, 4096))
			desc = string(b)
		}
		part.Close()
	}
	if data == nil {
		q.failMsg(41005, "media data missing: no multipart field named media")
		return nil, "", "", "", false
	}
	return data, filename, ctype, desc, true
}

// mpMaterialID decodes the {"media_id"} body of get/del_material and finds
// the material; it answers 40007 itself. Callers hold e.mu.
func (e *Emulator) mpMaterialID(q *request) (string, *materialRec, bool) {
	var b struct {
		MediaID string `json:"media_id"`
	}
	if !q.decodeJSON(&b) {
		return "", nil, false
	}
	m, ok := e.st.Materials[b.MediaID]
	if b.MediaID == "" || !ok {
		msg := "invalid media_id: media_id is missing"
		if b.MediaID != "" {
			msg = "invalid media_id: no permanent material " + strconv.Quote(b.MediaID) + "; list them with batchget_material (temporary media ids from media/upload are not materials)"
		}
		q.failMsg(40007, msg)
		return "", nil, false
	}
	return b.MediaID, m, true
}

// mpMaterialGet serves POST /cgi-bin/material/get_material: the bytes, or a
// video's title, description and down_url.
func (e *Emulator) mpMaterialGet(q *request) {
	e.mu.Lock()
	if !q.auth("mp") {
		e.mu.Unlock()
		return
	}
	id, m, ok := e.mpMaterialID(q)
	var rec materialRec
	if ok {
		rec = *m
	}
	e.mu.Unlock()
	if !ok {
		return
	}
	if rec.Type == "video" {
		q.json(map[string]any{"title": rec.Title, "description": rec.Introduction,
			"down_url": "http://" + q.r.Host + "/mp/__material/video?" + url.Values{"media_id": {id}}.Encode()})
		return
	}
	h := q.w.Header()
	h.Set("Content-Type", rec.ContentType)
	h.Set("Content-disposition", mime.FormatMediaType("attachment", map[string]string{"filename": rec.Filename}))
	http.ServeContent(q.w, q.r, "", time.Time{}, bytes.NewReader(rec.Data))
}

// mpMaterialVideo serves a video material's down_url (no token, like the
// CDN address the real server gives).
func (e *Emulator) mpMaterialVideo(q *request) {
	e.mu.Lock()
	m, ok := e.st.Materials[q.query("media_id")]
	var rec materialRec
	if ok {
		rec = *m
	}
	e.mu.Unlock()
	if !ok || rec.Type != "video" {
		http.Error(q.w, "404 not found", http.StatusNotFound)
		return
	}
	q.w.Header().Set("Content-Type", rec.ContentType)
	http.ServeContent(q.w, q.r, "", time.Time{}, bytes.NewReader(rec.Data))
}

// mpMaterialList serves POST /cgi-bin/material/batchget_material, newest
// first.
func (e *Emulator) mpMaterialList(q *request) {
	var b struct {
		Type   string `json:"type"`
		Offset int    `json:"offset"`
		Count  int    `json:"count"`
	}
	if !q.decodeJSON(&b) {
		return
	}
	switch {
	case b.Type != "image" && b.Type != "voice" && b.Type != "video" && b.Type != "news":
		q.failMsg(40004, "invalid media type: type must be image, voice, video or news")
		return
	case b.Count < 1 || b.Count > 20 || b.Offset < 0:
		// [unconfirmed] code for an out-of-range count.
		q.failMsg(40097, "invalid args: count must be 1 to 20 and offset at least 0")
		return
	}
	type item struct {
		id string
		m  *materialRec
	}
	var all []item
	for id, m := range e.st.Materials {
		if m.Type == b.Type {
			all = append(all, item{id, m})
		}
	}
	sort.Slice(all, func(i, j int) bool {
		if !all[i].m.Updated.Equal(all[j].m.Updated) {
			return all[i].m.Updated.After(all[j].m.Updated)
		}
		return all[i].id < all[j].id
	})
	items := []map[string]any{}
	for i := b.Offset; i < len(all) && len(items) < b.Count; i++ {
		it := map[string]any{"media_id": all[i].id, "name": all[i].m.Filename, "update_time": all[i].m.Updated.Unix()}
		if all[i].m.URL != "" {
			it["url"] = all[i].m.URL
		}
		items = append(items, it)
	}
	q.json(map[string]any{"total_count": len(all), "item_count": len(items), "item": items})
}

// mpMaterialDel serves POST /cgi-bin/material/del_material.
func (e *Emulator) mpMaterialDel(q *request) {
	id, _, ok := e.mpMaterialID(q)
	if !ok {
		return
	}
	delete(e.st.Materials, id)
	if e.cfg.dataDir != "" {
		_ = os.Remove(e.mediaPath(id))
	}
	e.dirty = true
	q.ok(nil)
}

// mpMaterialCount serves GET /cgi-bin/material/get_materialcount.
func (e *Emulator) mpMaterialCount(q *request) {
	n := map[string]int{}
	for _, m := range e.st.Materials {
		n[m.Type]++
	}
	q.json(map[string]any{"voice_count": n["voice"], "video_count": n["video"], "image_count": n["image"], "news_count": n["news"]})
}
