package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/wwkit/wwkit/core/api"
)

// The sidebar (会话侧边栏) endpoints: a page opened from a chat with a
// customer gets the external_userid from getCurExternalContact (or the
// chat_id from getCurExternalChat) and asks its server who that is. The
// answer is customer data, so the rules are stricter than for media:
// besides the page guard, the caller must be signed in (网页授权) as a member
// of the profile's corp, and sees only customers they follow and groups
// they are in, with their own remark, never their colleagues'.

var (
	externalUserIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)
	chatIDRE         = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)
)

// sidebarMember returns the profile and the signed-in member, or answers
// the error itself.
func (s *Server) sidebarMember(w http.ResponseWriter, r *http.Request) (*profile, string, bool) {
	p, ok := s.profileFor(r)
	if !ok {
		fail(w, http.StatusNotFound, "server: unknown profile; see GET /api/profiles")
		return nil, "", false
	}
	if p.Platform != PlatformWeCom || p.wecom == nil {
		fail(w, http.StatusBadRequest, "server: customer contact (客户联系) is a WeCom API; use a WeCom profile")
		return nil, "", false
	}
	var sess session
	if !s.readSigned(r, sessionCookie, &sess) || sess.Exp < s.now().Unix() || sess.Kind != "userid" || sess.Profile != p.Name {
		fail(w, http.StatusUnauthorized, "server: sign in as a member first (网页授权, /api/oauth/start): the sidebar shows a member only their own customers")
		return nil, "", false
	}
	return p, sess.Subject, true
}

// handleCustomer answers POST /api/customer {"externalUserId"} with the
// customer as the signed-in member sees them (externalcontact/get).
func (s *Server) handleCustomer(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ExternalUserID string `json:"externalUserId"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&req); err != nil || !externalUserIDRE.MatchString(req.ExternalUserID) {
		fail(w, http.StatusBadRequest, `server: the body must be {"externalUserId":"…"} with the userId of getCurExternalContact`)
		return
	}
	p, member, ok := s.sidebarMember(w, r)
	if !ok {
		return
	}
	d, err := p.wecom.GetExternalContact(r.Context(), req.ExternalUserID, "")
	if err != nil {
		s.apiFail(w, p, "externalcontact/get", err)
		return
	}
	var mine *api.FollowUser
	for i := range d.FollowUser {
		if strings.EqualFold(d.FollowUser[i].UserID, member) {
			mine = &d.FollowUser[i]
		}
	}
	if mine == nil {
		s.log.Warn("server: sidebar asked for a customer the member does not follow", "profile", p.Name, "member", member)
		fail(w, http.StatusForbidden, "server: "+member+" has not added this customer; the sidebar shows a member only their own customers")
		return
	}
	e := d.ExternalContact
	tags := []string{}
	for _, t := range mine.Tags {
		tags = append(tags, t.TagName)
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true,
		"customer": map[string]any{"externalUserId": e.ExternalUserID, "name": e.Name, "type": e.Type, "gender": e.Gender,
			"corpName": firstNonEmpty(e.CorpFullName, e.CorpName), "position": e.Position},
		"followUser": map[string]any{"userId": mine.UserID, "remark": mine.Remark, "description": mine.Description,
			"createTime": mine.CreateTime, "addWay": mine.AddWay, "tags": tags},
	})
}

// handleCustomerGroup answers POST /api/customer/group {"chatId"} with the
// customer group, to a member of it (externalcontact/groupchat/get).
func (s *Server) handleCustomerGroup(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ChatID string `json:"chatId"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&req); err != nil || !chatIDRE.MatchString(req.ChatID) {
		fail(w, http.StatusBadRequest, `server: the body must be {"chatId":"…"} with the chatId of getCurExternalChat`)
		return
	}
	p, member, ok := s.sidebarMember(w, r)
	if !ok {
		return
	}
	g, err := p.wecom.GetGroupChat(r.Context(), &api.GroupChatRequest{ChatID: req.ChatID, NeedName: 1})
	if err != nil {
		s.apiFail(w, p, "externalcontact/groupchat/get", err)
		return
	}
	gc := g.GroupChat
	in := false
	members := make([]map[string]any, 0, len(gc.MemberList))
	for _, m := range gc.MemberList {
		if m.Type == 1 && strings.EqualFold(m.UserID, member) {
			in = true
		}
		members = append(members, map[string]any{"name": firstNonEmpty(m.GroupNickname, m.Name), "type": m.Type})
	}
	if !in {
		fail(w, http.StatusForbidden, "server: "+member+" is not in this customer group")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "group": map[string]any{"chatId": gc.ChatID, "name": gc.Name,
		"owner": gc.Owner, "notice": gc.Notice, "members": members}})
}

// handleSimSidebar tells the bridge simulator which chat the simulated
// sidebar is open on: the signed-in member's first customer and group of
// the emulator's fixture (or the fixture's first ones when signed out).
func (s *Server) handleSimSidebar(w http.ResponseWriter, r *http.Request) {
	p, ok := s.profileFor(r)
	if !ok || !p.Emulated || s.emu == nil {
		fail(w, http.StatusNotFound, "server: the simulator endpoints exist only for emulated profiles")
		return
	}
	var sess session
	member := ""
	if s.readSigned(r, sessionCookie, &sess) && sess.Exp >= s.now().Unix() && sess.Kind == "userid" {
		member = sess.Subject
	}
	fx := s.emu.Emulator().Fixture()
	ext, chat := "", ""
	for _, c := range fx.WeCom.ExternalContacts {
		for _, f := range c.FollowUsers {
			if ext == "" && (member == "" || strings.EqualFold(f.UserID, member)) {
				ext = c.ExternalUserID
			}
		}
	}
	for _, g := range fx.WeCom.GroupChats {
		for _, m := range g.Members {
			if chat == "" && m.Type == 1 && (member == "" || strings.EqualFold(m.UserID, member)) {
				chat = g.ChatID
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "externalUserId": ext, "chatId": chat})
}

// apiFail answers an API failure: the errcode and its explanation, never the
// token (APIError carries only method and path).
func (s *Server) apiFail(w http.ResponseWriter, p *profile, what string, err error) {
	s.log.Warn("server: sidebar API call failed", "profile", p.Name, "api", what, "err", err)
	var ae *api.APIError
	if errors.As(err, &ae) {
		writeJSON(w, http.StatusBadGateway, map[string]any{"ok": false, "error": err.Error(), "errcode": ae.Code})
		return
	}
	fail(w, http.StatusBadGateway, err.Error())
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
