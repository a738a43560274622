package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// customer finds a customer by external_userid. Callers hold e.mu.
func (e *Emulator) customer(id string) *ExternalContact {
	for i := range e.fx.WeCom.ExternalContacts {
		if c := &e.fx.WeCom.ExternalContacts[i]; c.ExternalUserID == id {
			return c
		}
	}
	return nil
}

// wecomExternalContactGet serves GET /cgi-bin/externalcontact/get
// (获取客户详情): external_contact and the follow_user list.
func (e *Emulator) wecomExternalContactGet(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	c := e.customer(q.query("external_userid"))
	if c == nil {
		q.fail(40096)
		return
	}
	ext := map[string]any{"external_userid": c.ExternalUserID, "name": c.Name, "type": c.Type, "gender": c.Gender,
		"avatar": c.Avatar}
	if c.UnionID != "" {
		ext["unionid"] = c.UnionID
	}
	if c.Type == 2 {
		ext["position"], ext["corp_name"], ext["corp_full_name"] = c.Position, c.CorpName, c.CorpFullName
	}
	follow := make([]map[string]any, 0, len(c.FollowUsers))
	for _, f := range c.FollowUsers {
		tags := make([]map[string]any, 0, len(f.Tags))
		for _, t := range f.Tags {
			tag := map[string]any{"group_name": t.GroupName, "tag_name": t.TagName, "type": t.Type}
			if t.TagID != "" {
				tag["tag_id"] = t.TagID
			}
			tags = append(tags, tag)
		}
		m := map[string]any{"userid": f.UserID, "remark": f.Remark, "description": f.Description, "createtime": f.CreateTime,
			"tags": tags, "remark_mobiles": orEmpty(f.RemarkMobiles), "add_way": f.AddWay}
		if f.RemarkCorpName != "" {
			m["remark_corp_name"] = f.RemarkCorpName
		}
		if f.State != "" {
			m["state"] = f.State
		}
		follow = append(follow, m)
	}
	// follow_user comes in pages of 500 with next_cursor; the fixture is
	// smaller, so the answer is one page.
	q.ok(map[string]any{"external_contact": ext, "follow_user": follow})
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// wecomExternalContactList serves GET /cgi-bin/externalcontact/list?userid=
// (获取客户列表): the external_userids a member has added.
func (e *Emulator) wecomExternalContactList(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	uid := q.query("userid")
	u := e.userByID(uid)
	if uid == "" || u == nil {
		q.fail(60111)
		return
	}
	var ids []string
	for _, c := range e.fx.WeCom.ExternalContacts {
		for _, f := range c.FollowUsers {
			if strings.EqualFold(f.UserID, u.UserID) {
				ids = append(ids, c.ExternalUserID)
				break
			}
		}
	}
	if len(ids) == 0 {
		q.fail(84061) // the member has no customers
		return
	}
	q.ok(map[string]any{"external_userid": ids})
}

// wecomGroupChatGet serves POST /cgi-bin/externalcontact/groupchat/get
// (获取客户群详情) with {"chat_id", "need_name"}.
func (e *Emulator) wecomGroupChatGet(q *request) {
	var req struct {
		ChatID   string `json:"chat_id"`
		NeedName int    `json:"need_name"`
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") || !q.decodeJSON(&req) {
		return
	}
	var g *GroupChat
	for i := range e.fx.WeCom.GroupChats {
		if e.fx.WeCom.GroupChats[i].ChatID == req.ChatID {
			g = &e.fx.WeCom.GroupChats[i]
		}
	}
	if req.ChatID == "" || g == nil {
		q.fail(40050) // [unconfirmed] code for an unknown customer group
		return
	}
	members := make([]map[string]any, 0, len(g.Members))
	for _, m := range g.Members {
		mm := map[string]any{"userid": m.UserID, "type": m.Type, "join_time": m.JoinTime, "join_scene": m.JoinScene,
			"group_nickname": m.GroupNickname}
		if m.Invitor != "" {
			mm["invitor"] = map[string]string{"userid": m.Invitor}
		}
		if m.UnionID != "" {
			mm["unionid"] = m.UnionID
		}
		if req.NeedName == 1 { // names only on request, like Tencent
			mm["name"] = m.Name
		}
		members = append(members, mm)
	}
	admins := make([]map[string]string, 0, len(g.Admins))
	for _, a := range g.Admins {
		admins = append(admins, map[string]string{"userid": a})
	}
	q.ok(map[string]any{"group_chat": map[string]any{"chat_id": g.ChatID, "name": g.Name, "owner": g.Owner,
		"create_time": g.CreateTime, "notice": g.Notice, "member_list": members, "admin_list": admins,
		"member_version": deriveHex("member-version-"+g.ChatID, 32)}})
}

// wecomMediaGetJSSDK serves GET /cgi-bin/media/get/jssdk?media_id=
// (获取高清语音素材): the voice a page uploaded with wx.uploadVoice, as
// speex. The emulator has no uploadVoice of its own, so any voice media
// uploaded through media/upload stands in, served with its bytes as they
// are and Content-Type voice/speex.
func (e *Emulator) wecomMediaGetJSSDK(q *request) {
	e.mu.Lock()
	if !q.auth("wecom") {
		e.mu.Unlock()
		return
	}
	id := q.query("media_id")
	m, ok := e.st.Media[id]
	valid := ok && m.Platform == "wecom" && m.Type == "voice" && e.now().Before(m.Created.Add(mediaTTL))
	var rec mediaRec
	if valid {
		rec = *m
	}
	e.mu.Unlock()
	if !valid {
		q.fail(40007)
		return
	}
	name := strings.TrimSuffix(rec.Filename, path.Ext(rec.Filename)) + ".speex"
	h := q.w.Header()
	h.Set("Content-Type", "voice/speex")
	h.Set("Content-disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	http.ServeContent(q.w, q.r, "", time.Time{}, bytes.NewReader(rec.Data))
}

// uploadImgLimits bound media/uploadimg (上传图片): JPG/PNG only, 2 MB on
// WeCom, 1 MB on the Official Account.
var uploadImgLimits = map[string]int{"wecom": 2 << 20, "mp": 1 << 20}

// mediaUploadImg serves POST /cgi-bin/media/uploadimg: an image for rich
// messages (图文消息内的图片), answered with a permanent URL. The URL has the
// shape of Tencent's image CDN and is derived from the bytes; it does not
// resolve offline, and the emulator does not keep the image.
func (e *Emulator) mediaUploadImg(q *request, platform string) {
	e.mu.Lock()
	ok := q.auth(platform)
	e.mu.Unlock()
	if !ok {
		return
	}
	data, _, _, ok := q.readMedia()
	if !ok {
		return
	}
	ctype := http.DetectContentType(data)
	if ctype != "image/jpeg" && ctype != "image/png" {
		q.failMsg(40005, "invalid file type: uploadimg takes JPG or PNG images only, got "+ctype)
		return
	}
	if len(data) <= 5 || len(data) > uploadImgLimits[platform] {
		q.failMsg(40006, fmt.Sprintf("invalid file size: uploadimg images are at most %d bytes", uploadImgLimits[platform]))
		return
	}
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:16])
	if platform == "wecom" {
		q.ok(map[string]any{"url": "https://wework.qpic.cn/wwpic/" + h + "/0"})
		return
	}
	format := strings.TrimPrefix(ctype, "image/")
	// The Official Account answers {"url"} without errcode on success.
	q.json(map[string]any{"url": "http://mmbiz.qpic.cn/mmbiz_" + format + "/" + h + "/0?wx_fmt=" + format})
}
