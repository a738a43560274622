package server

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/wwkit/wwkit/core/api"
)

// The member's private fields (获取访问用户敏感信息). snsapi_privateinfo OAuth
// gives the server a user_ticket that reads them for 1800 s. The ticket is
// a credential for the member's mobile and email, so it never goes into the
// session cookie (which the browser holds): the server keeps it in memory
// under a random handle, and the cookie carries only the handle. A restart
// forgets the tickets; the member then signs in again.

// ticketVault holds user_tickets by handle. The zero value is ready.
type ticketVault struct {
	mu sync.Mutex
	m  map[string]heldTicket
}

type heldTicket struct {
	ticket, profile, userID string
	exp                     time.Time
}

// maxHeldTickets bounds the vault: a flood of sign-ins cannot grow it
// without limit (the oldest handles go first when it is full).
const maxHeldTickets = 10000

// put stores a ticket and returns its handle.
func (v *ticketVault) put(t heldTicket, now time.Time) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	h := hex.EncodeToString(b[:])
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.m == nil {
		v.m = map[string]heldTicket{}
	}
	for k, x := range v.m {
		if !now.Before(x.exp) {
			delete(v.m, k)
		}
	}
	for len(v.m) >= maxHeldTickets {
		oldest, first := "", time.Time{}
		for k, x := range v.m {
			if oldest == "" || x.exp.Before(first) {
				oldest, first = k, x.exp
			}
		}
		delete(v.m, oldest)
	}
	v.m[h] = t
	return h, nil
}

// get returns the live ticket of handle h.
func (v *ticketVault) get(h string, now time.Time) (heldTicket, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	t, ok := v.m[h]
	if !ok || !now.Before(t.exp) {
		delete(v.m, h)
		return heldTicket{}, false
	}
	return t, true
}

// holdUserTicket keeps the ticket of a snsapi_privateinfo sign-in and puts
// its handle into the session.
func (s *Server) holdUserTicket(p *profile, sess *session, info *api.UserInfo) {
	ttl := time.Duration(info.ExpiresIn) * time.Second
	if ttl <= 0 || ttl > 1800*time.Second {
		ttl = 1800 * time.Second
	}
	h, err := s.tickets.put(heldTicket{ticket: info.UserTicket, profile: p.Name, userID: info.UserID, exp: s.now().Add(ttl)}, s.now())
	if err != nil {
		s.log.Warn("server: no randomness for the user_ticket handle; private fields will not be readable", "err", err)
		return
	}
	sess.TicketRef = h
}

// handleUserDetail answers POST /api/oauth/userdetail with the signed-in
// member's private fields (auth/getuserdetail), read with the user_ticket
// the server kept from their snsapi_privateinfo sign-in.
func (s *Server) handleUserDetail(w http.ResponseWriter, r *http.Request) {
	p, ok := s.profileFor(r)
	if !ok {
		fail(w, http.StatusNotFound, "server: unknown profile; see GET /api/profiles")
		return
	}
	if p.Platform != PlatformWeCom || p.wecom == nil {
		fail(w, http.StatusBadRequest, "server: auth/getuserdetail is a WeCom API; use a WeCom profile (an Official Account page gets nickname and avatar from snsapi_userinfo)")
		return
	}
	var sess session
	if !s.readSigned(r, sessionCookie, &sess) || sess.Exp < s.now().Unix() || sess.Kind != "userid" || sess.Profile != p.Name {
		fail(w, http.StatusUnauthorized, "server: sign in as a member first: /api/oauth/start?scope=snsapi_privateinfo")
		return
	}
	t, ok := s.tickets.get(sess.TicketRef, s.now())
	if sess.TicketRef == "" || !ok || t.profile != p.Name || !strings.EqualFold(t.userID, sess.Subject) {
		fail(w, http.StatusUnauthorized, "server: no live user_ticket for this session: sign in again with /api/oauth/start?scope=snsapi_privateinfo "+
			"(a user_ticket lives 30 minutes, only members in the app's visible range get one, and this server keeps it in memory only)")
		return
	}
	d, err := p.wecom.GetUserDetail(r.Context(), &api.UserTicketBody{UserTicket: t.ticket})
	if err != nil {
		s.apiFail(w, p, "auth/getuserdetail", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "userid": d.UserID, "gender": d.Gender, "avatar": d.Avatar,
		"qrCode": d.QRCode, "mobile": d.Mobile, "email": d.Email, "bizMail": d.BizMail, "address": d.Address})
}
