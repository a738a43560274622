package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/jssdk"
	"github.com/wwkit/wwkit/core/token"
)

// checkPageURL accepts only http(s) page URLs on the profile's trusted
// domains, so the signature endpoints are no signing oracle for other sites.
func checkPageURL(p *profile, raw string) (string, bool) {
	if raw == "" {
		return "server: url is required: pass location.href.split('#')[0]", false
	}
	if len(raw) > 4096 {
		return "server: url longer than 4096 bytes", false
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "server: url must be an absolute http(s) page URL, the page's location.href without #fragment", false
	}
	if !trusted(p.TrustedDomains, u) {
		return "server: " + u.Host + " is not a trusted domain (可信域名) of profile " + p.Name +
			"; add it to the profile's trusted domains (and to the admin console)", false
	}
	return "", true
}

func trusted(domains []string, u *url.URL) bool {
	host := strings.ToLower(u.Hostname())
	for _, d := range domains {
		d = strings.ToLower(strings.TrimSpace(d))
		if d == "" {
			continue
		}
		withPort := strings.Contains(d, "]:") || (!strings.HasPrefix(d, "[") && strings.Count(d, ":") == 1)
		if withPort {
			if strings.ToLower(u.Host) == d {
				return true
			}
			continue
		}
		if host == strings.Trim(d, "[]") {
			return true
		}
	}
	return false
}

// SignAnswer is the JSON of GET /api/jssdk/config and
// /api/jssdk/agent-config: appId for wx.config, corpId and agentId for
// wx.agentConfig; the string to sign and the ticket's fingerprint only
// for a profile with debug on.
type SignAnswer struct {
	OK                bool   `json:"ok"`
	AppID             string `json:"appId,omitempty"`
	CorpID            string `json:"corpId,omitempty"`
	AgentID           int64  `json:"agentId,omitempty"`
	Timestamp         int64  `json:"timestamp"`
	NonceStr          string `json:"nonceStr"`
	Signature         string `json:"signature"`
	URL               string `json:"url"`
	StringToSign      string `json:"stringToSign,omitempty"`
	TicketFingerprint string `json:"ticketFingerprint,omitempty"`
	TicketExpires     int64  `json:"ticketExpires,omitempty"`
}

// handleJSSDKConfig signs wx.config: the corp jsapi_ticket (WeCom) or the
// Official Account jsapi_ticket.
func (s *Server) handleJSSDKConfig(w http.ResponseWriter, r *http.Request) {
	s.sign(w, r, false)
}

// handleAgentConfig signs wx.agentConfig with the app's agent_config ticket
// (WeCom only).
func (s *Server) handleAgentConfig(w http.ResponseWriter, r *http.Request) {
	s.sign(w, r, true)
}

func (s *Server) sign(w http.ResponseWriter, r *http.Request, agent bool) {
	p, ok := s.signProfile(w, r)
	if !ok {
		return
	}
	if agent && p.Platform != PlatformWeCom {
		fail(w, http.StatusBadRequest, "server: wx.agentConfig exists only in WeCom; profile "+p.Name+" is an Official Account")
		return
	}
	pageURL := r.URL.Query().Get("url")
	if msg, ok := checkPageURL(p, pageURL); !ok {
		fail(w, http.StatusBadRequest, msg)
		return
	}
	var t token.Result
	var err error
	switch {
	case agent:
		t, err = p.wecom.AgentTicket(r.Context())
	case p.Platform == PlatformWeCom:
		t, err = p.wecom.JSAPITicket(r.Context())
	default:
		t, err = p.mp.JSAPITicket(r.Context())
	}
	if err != nil {
		s.log.Warn("server: getting the ticket failed", "profile", p.Name, "err", err)
		fail(w, http.StatusBadGateway, err.Error())
		return
	}
	cfg, toSign, err := s.signer.Config(p.appID(), t.Value, pageURL)
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	ans := SignAnswer{OK: true, Timestamp: cfg.Timestamp, NonceStr: cfg.NonceStr, Signature: cfg.Signature, URL: strings.SplitN(pageURL, "#", 2)[0]}
	if agent {
		ans.CorpID, ans.AgentID = p.CorpID, p.AgentID
	} else {
		ans.AppID = cfg.AppID
	}
	if p.Debug {
		ans.StringToSign = toSign
		ans.TicketFingerprint = token.Fingerprint(t.Value)
		ans.TicketExpires = t.Expires.Unix()
	}
	writeJSON(w, http.StatusOK, ans)
}

// Cookies of the OAuth flow.
const (
	stateCookie   = "wwkit_oauth"
	sessionCookie = "wwkit_session"
	sessionTTL    = 12 * time.Hour
)

type oauthState struct {
	State    string `json:"s"`
	Redirect string `json:"r,omitempty"`
	Profile  string `json:"p"`
	Scope    string `json:"sc,omitempty"`
	Exp      int64  `json:"e"`
}

type session struct {
	Subject string `json:"sub"` // userid (WeCom member) or openid
	Kind    string `json:"k"`   // userid or openid
	Profile string `json:"p"`
	Exp     int64  `json:"e"`
	// Scope is the scope the user granted (snsapi_base when the server
	// gave nothing more, whatever was asked).
	Scope string `json:"sc,omitempty"`
	// UserTicket says WeCom returned a user_ticket (snsapi_privateinfo, a
	// member in the app's visible range); the ticket itself stays here,
	// since it reads the member's private fields.
	UserTicket bool `json:"ut,omitempty"`
	// TicketRef is the handle under which the server keeps the ticket
	// (userdetail.go); the ticket itself never enters the cookie.
	TicketRef string `json:"tr,omitempty"`
	// UserInfo is the MP sns/userinfo profile (snsapi_userinfo).
	UserInfo *snsProfile `json:"ui,omitempty"`
}

// snsProfile is what sns/userinfo tells a page about the WeChat user; the
// user access_token that fetched it never leaves the server.
type snsProfile struct {
	Nickname   string `json:"nickname"`
	Sex        int    `json:"sex"`
	Province   string `json:"province,omitempty"`
	City       string `json:"city,omitempty"`
	Country    string `json:"country,omitempty"`
	HeadImgURL string `json:"headimgurl,omitempty"`
	UnionID    string `json:"unionid,omitempty"`
}

// answer is what the callback and /api/session tell the page.
func (sess *session) answer() map[string]any {
	out := map[string]any{"ok": true, "profile": sess.Profile, sess.Kind: sess.Subject, "scope": sess.Scope}
	if sess.UserTicket {
		out["userTicket"] = true
	}
	if sess.UserInfo != nil {
		out["userinfo"] = sess.UserInfo
	}
	return out
}

// oauthScope checks the scope a page asked for against the profile's
// platform: WeCom knows snsapi_base and snsapi_privateinfo (which needs the
// agentid), the Official Account snsapi_base and snsapi_userinfo.
func oauthScope(p *profile, scope string) (string, error) {
	if scope == "" {
		return p.OAuthScope, nil
	}
	switch {
	case scope == "snsapi_base":
	case p.Platform == PlatformWeCom && scope == "snsapi_privateinfo":
		if p.AgentID == 0 {
			return "", fmt.Errorf("server: scope snsapi_privateinfo needs the app's AgentID in profile %s (WeCom otherwise treats it as snsapi_base)", p.Name)
		}
	case p.Platform == PlatformMP && scope == "snsapi_userinfo":
	case p.Platform == PlatformWeCom:
		return "", fmt.Errorf("server: scope %q is not a WeCom scope; use snsapi_base (userid only) or snsapi_privateinfo (asks the member's consent, gives a user_ticket)", scope)
	default:
		return "", fmt.Errorf("server: scope %q is not an Official Account scope; use snsapi_base (openid only) or snsapi_userinfo (asks consent, gives nickname and avatar)", scope)
	}
	return scope, nil
}

// handleOAuthStart redirects to the authorize page (网页授权) with a random
// state bound to a signed cookie.
func (s *Server) handleOAuthStart(w http.ResponseWriter, r *http.Request) {
	p, ok := s.profileFor(r)
	if !ok {
		fail(w, http.StatusNotFound, "server: unknown profile; see GET /api/profiles")
		return
	}
	redirect := r.URL.Query().Get("redirect")
	if redirect != "" && !s.safeRedirect(p, redirect) {
		fail(w, http.StatusBadRequest, "server: redirect must be a path on this server or a URL on a trusted domain")
		return
	}
	scope, err := oauthScope(p, r.URL.Query().Get("scope"))
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	var rb [16]byte
	if _, err := rand.Read(rb[:]); err != nil {
		fail(w, http.StatusInternalServerError, "server: no randomness for the OAuth state")
		return
	}
	st := oauthState{State: hex.EncodeToString(rb[:]), Redirect: redirect, Profile: p.Name, Scope: scope, Exp: s.now().Add(10 * time.Minute).Unix()}
	s.setSigned(w, stateCookie, st, 10*time.Minute)
	cb := s.cfg.PublicURL + "/api/oauth/callback?profile=" + url.QueryEscape(p.Name)
	var agentID int64
	if p.Platform == PlatformWeCom {
		agentID = p.AgentID
	}
	var target string
	if p.AuthorizeURL == "" {
		target, err = api.AuthorizeURL(p.appID(), cb, scope, st.State, agentID)
		if err != nil {
			fail(w, http.StatusInternalServerError, err.Error())
			return
		}
	} else {
		q := url.Values{"appid": {p.appID()}, "redirect_uri": {cb}, "response_type": {"code"}, "scope": {scope}, "state": {st.State}}
		if agentID != 0 {
			q.Set("agentid", strconv.FormatInt(agentID, 10))
		}
		target = p.AuthorizeURL + "?" + q.Encode() + "#wechat_redirect"
	}
	http.Redirect(w, r, target, http.StatusFound)
}

// handleOAuthCallback exchanges the code for the user's identity (once: the
// state cookie is cleared) and sets the signed session cookie.
func (s *Server) handleOAuthCallback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	code, state := q.Get("code"), q.Get("state")
	if code == "" || state == "" {
		fail(w, http.StatusBadRequest, "server: the OAuth callback needs code and state (the user may have refused authorisation)")
		return
	}
	var st oauthState
	if !s.readSigned(r, stateCookie, &st) || !subtleEq(st.State, state) || st.Exp < s.now().Unix() {
		s.log.Warn("server: OAuth callback with a state that does not match the cookie; start again at /api/oauth/start")
		fail(w, http.StatusForbidden, "server: OAuth state does not match this browser's cookie (expired, reused or forged); start again at /api/oauth/start")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	p, ok := s.profiles[st.Profile]
	if !ok {
		fail(w, http.StatusNotFound, "server: unknown profile in the OAuth state")
		return
	}
	sess := session{Profile: p.Name, Exp: s.now().Add(sessionTTL).Unix()}
	if p.Platform == PlatformWeCom {
		info, err := p.wecom.GetUserInfo(r.Context(), code)
		if err != nil {
			s.log.Warn("server: OAuth code exchange failed", "profile", p.Name, "err", err)
			fail(w, http.StatusBadGateway, err.Error())
			return
		}
		sess.Subject, sess.Kind, sess.Scope = info.UserID, "userid", "snsapi_base"
		if info.UserID == "" {
			sess.Subject, sess.Kind = info.OpenID, "openid"
		}
		// A user_ticket comes only with snsapi_privateinfo for a member
		// in the app's visible range: that, not what was asked, is the
		// scope granted.
		if info.UserTicket != "" {
			sess.Scope, sess.UserTicket = "snsapi_privateinfo", true
			s.holdUserTicket(p, &sess, info)
		}
	} else {
		tok, err := p.mp.OAuthAccessToken(r.Context(), code)
		if err != nil {
			s.log.Warn("server: OAuth code exchange failed", "profile", p.Name, "err", err)
			fail(w, http.StatusBadGateway, err.Error())
			return
		}
		sess.Subject, sess.Kind, sess.Scope = tok.OpenID, "openid", tok.Scope
		if sess.Scope == "" {
			sess.Scope = "snsapi_base"
		}
		if strings.Contains(tok.Scope, "snsapi_userinfo") {
			u, err := p.mp.SNSUserInfo(r.Context(), tok.AccessToken, tok.OpenID, "zh_CN")
			if err != nil {
				s.log.Warn("server: sns/userinfo failed", "profile", p.Name, "err", err)
				fail(w, http.StatusBadGateway, err.Error())
				return
			}
			sess.UserInfo = &snsProfile{Nickname: u.Nickname, Sex: u.Sex, Province: u.Province, City: u.City,
				Country: u.Country, HeadImgURL: u.HeadImgURL, UnionID: u.UnionID}
		}
	}
	s.setSigned(w, sessionCookie, sess, sessionTTL)
	s.lastSignIn.Store(p.Name, sess.Kind+":"+sess.Subject)
	s.log.Info("server: OAuth session started", "profile", p.Name, "kind", sess.Kind, "scope", sess.Scope)
	if st.Redirect != "" {
		http.Redirect(w, r, st.Redirect, http.StatusFound)
		return
	}
	writeJSON(w, http.StatusOK, sess.answer())
}

// handleSession answers who the session cookie belongs to.
func (s *Server) handleSession(w http.ResponseWriter, r *http.Request) {
	var sess session
	if !s.readSigned(r, sessionCookie, &sess) || sess.Exp < s.now().Unix() {
		fail(w, http.StatusUnauthorized, "server: no session; sign in through /api/oauth/start")
		return
	}
	ans := sess.answer()
	ans["expires"] = sess.Exp
	writeJSON(w, http.StatusOK, ans)
}

func (s *Server) safeRedirect(p *profile, raw string) bool {
	if strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "//") && !strings.Contains(raw, "\\") {
		return true
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	if pu, err := url.Parse(s.cfg.PublicURL); err == nil && strings.EqualFold(pu.Host, u.Host) {
		return true
	}
	return trusted(p.TrustedDomains, u)
}

// setSigned sets a cookie holding v as JSON with an HMAC-SHA256.
func (s *Server) setSigned(w http.ResponseWriter, name string, v any, ttl time.Duration) {
	b, _ := json.Marshal(v)
	payload := base64.RawURLEncoding.EncodeToString(b)
	val := payload + "." + s.mac(name, payload)
	http.SetCookie(w, &http.Cookie{Name: name, Value: val, Path: "/", MaxAge: int(ttl.Seconds()), HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: strings.HasPrefix(s.cfg.PublicURL, "https://")})
}

func (s *Server) readSigned(r *http.Request, name string, v any) bool {
	c, err := r.Cookie(name)
	if err != nil || len(c.Value) > 4096 {
		return false
	}
	payload, mac, ok := strings.Cut(c.Value, ".")
	if !ok || !subtleEq(mac, s.mac(name, payload)) {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return false
	}
	return json.Unmarshal(b, v) == nil
}

func (s *Server) mac(name, payload string) string {
	m := hmac.New(sha256.New, s.cfg.SessionKey)
	m.Write([]byte(name))
	m.Write([]byte{0})
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func subtleEq(a, b string) bool { return hmac.Equal([]byte(a), []byte(b)) }

// LastSignIn is who last signed in through this server's OAuth (网页授权) for
// profile: kind is "userid" or "openid"; "" when nobody has.
func (s *Server) LastSignIn(profile string) (subject, kind string) {
	v, ok := s.lastSignIn.Load(profile)
	if !ok {
		return "", ""
	}
	kind, subject, _ = strings.Cut(v.(string), ":")
	return subject, kind
}

// maxCheckBody bounds a signature check request: a page's wx.config
// parameters and two URLs.
const maxCheckBody = 32 << 10

type checkAnswer struct {
	OK     bool         `json:"ok"`
	Result jssdk.Result `json:"result"`
}

// handleJSSDKCheck (POST on the signing endpoints) checks the parameters a
// page passed to wx.config / wx.agentConfig against the ticket this server
// signs with, for the page's real location.href (and landing URL), and
// names the mistake when they differ (fragment kept, &amp;, SPA landing
// URL, …). The page gets findings only: the ticket, the string to sign
// (which contains it) and the access_token never leave the server. The
// answer says no more than the signing endpoint already does for the same
// trusted-domain URL.
func (s *Server) handleJSSDKCheck(w http.ResponseWriter, r *http.Request) {
	agent := strings.HasSuffix(r.URL.Path, "/agent-config")
	p, ok := s.signProfile(w, r)
	if !ok {
		return
	}
	if agent && p.Platform != PlatformWeCom {
		fail(w, http.StatusBadRequest, "server: wx.agentConfig exists only in WeCom; profile "+p.Name+" is an Official Account")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCheckBody))
	if err != nil {
		fail(w, http.StatusRequestEntityTooLarge, "server: the check request is over 32 KB; send the wx.config parameters and location.href only")
		return
	}
	in, err := jssdk.ParseInput(body)
	if err != nil {
		fail(w, http.StatusBadRequest, "server: the check request is not the verifier's JSON input: "+err.Error())
		return
	}
	if msg, ok := checkPageURL(p, in.URL); !ok {
		fail(w, http.StatusBadRequest, msg)
		return
	}
	// The page never chooses the tickets or the clock.
	in.Ticket, in.AgentTicket, in.PreviousTicket, in.Now = "", "", "", s.now().Unix()
	in.Kind = "config"
	if agent {
		in.Kind = "agentConfig"
	}
	if p.Platform == PlatformWeCom {
		in.Platform = "wecom"
	} else {
		in.Platform = "mp"
	}
	var tickets []string
	var primary error
	switch {
	case p.Platform == PlatformWeCom:
		// Both kinds, so a config signed with the other ticket is named.
		corp, cerr := p.wecom.JSAPITicket(r.Context())
		app, aerr := p.wecom.AgentTicket(r.Context())
		if cerr == nil {
			in.Ticket = corp.Value
			tickets = append(tickets, corp.Value)
		}
		if aerr == nil {
			in.AgentTicket = app.Value
			tickets = append(tickets, app.Value)
		}
		primary = cerr
		if agent {
			primary = aerr
		}
	default:
		t, terr := p.mp.JSAPITicket(r.Context())
		if terr == nil {
			in.Ticket = t.Value
			tickets = append(tickets, t.Value)
		}
		primary = terr
	}
	if primary != nil {
		s.log.Warn("server: getting the ticket for a signature check failed", "profile", p.Name, "err", primary)
		fail(w, http.StatusBadGateway, primary.Error())
		return
	}
	res := jssdk.Check(in)
	res.StringToSign = ""
	for i := range res.Findings {
		f := &res.Findings[i]
		for _, t := range tickets {
			if len(t) < 8 {
				continue // no real ticket is this short; nothing to redact safely
			}
			fp := "ticket " + token.Fingerprint(t)
			f.Message = strings.ReplaceAll(f.Message, t, fp)
			f.MessageZh = strings.ReplaceAll(f.MessageZh, t, fp)
			f.Fix = strings.ReplaceAll(f.Fix, t, fp)
		}
	}
	writeJSON(w, http.StatusOK, checkAnswer{OK: true, Result: res})
}
