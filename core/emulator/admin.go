package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wwkit/wwkit/core/httpguard"
)

// serveAdmin serves the loopback-only admin API under /__emulator/.
func (e *Emulator) serveAdmin(q *request) {
	if ip := net.ParseIP(q.clientIP()); ip == nil || !ip.IsLoopback() {
		q.adminError(http.StatusForbidden, "emulator: the admin API answers loopback clients only")
		return
	}
	if !httpguard.LoopbackHost(q.r.Host) {
		// A page on another site that rebinds its DNS name to 127.0.0.1
		// would reach the admin API with its own Host; refuse it.
		q.adminError(http.StatusForbidden, "emulator: the admin API answers requests addressed to localhost or a loopback IP only")
		return
	}
	path := strings.TrimPrefix(q.r.URL.Path, "/__emulator/")
	method := q.r.Method
	if path == "jssdk/verify" {
		// The H5 debug page calls the verifier from the browser; it changes
		// no state, so any origin may call it.
		h := q.w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
		h.Set("Access-Control-Allow-Headers", "Content-Type")
		if method == http.MethodOptions {
			q.w.WriteHeader(http.StatusNoContent)
			return
		}
	} else if method == http.MethodPost && !httpguard.IsJSONType(q.r.Header.Get("Content-Type")) {
		// Requiring JSON makes a cross-site form or fetch need a CORS
		// preflight, which the admin API never grants.
		q.adminError(http.StatusUnsupportedMediaType, "emulator: admin POSTs must send Content-Type: application/json")
		return
	}
	// The patterns match method and path; a method or path with no
	// endpoint gets the same JSON 404 as before there was a mux.
	_, pattern := adminMux().Handler(q.r)
	h, ok := adminRoutes[pattern]
	if !ok {
		q.adminError(http.StatusNotFound, "emulator: no admin endpoint "+method+" /__emulator/"+path+"; see docs/emulator.md")
		return
	}
	h(q)
}

// adminRoutes are the admin endpoints, keyed by their http.ServeMux
// pattern; docs/emulator.md lists them.
var adminRoutes = map[string]func(q *request){
	"GET /__emulator/stats":              adminStatsGet,
	"DELETE /__emulator/stats":           adminStatsDelete,
	"GET /__emulator/state":              adminStateGet,
	"GET /__emulator/faults":             adminFaultsGet,
	"POST /__emulator/faults":            adminFaultsPost,
	"DELETE /__emulator/faults":          adminFaultsDelete,
	"GET /__emulator/clock":              adminClockGet,
	"POST /__emulator/clock":             adminClockPost,
	"GET /__emulator/outbox":             adminOutboxGet,
	"DELETE /__emulator/outbox":          adminOutboxDelete,
	"POST /__emulator/tokens/invalidate": adminTokensInvalidatePost,
	"POST /__emulator/tokens/expire":     adminTokensExpirePost,
	"POST /__emulator/callbacks":         adminCallbacksPost,
	"POST /__emulator/callbacks/verify":  adminCallbacksVerifyPost,
	"POST /__emulator/jssdk/verify":      adminJSSDKVerifyPost,
	"POST /__emulator/qrcode/scan":       adminQRCodeScanPost,
	"POST /__emulator/oauth/code":        adminOAuthCodePost,
	"POST /__emulator/suite/ticket":      adminSuiteTicketPost,
	"POST /__emulator/suite/install":     adminSuiteInstallPost,
	"POST /__emulator/suite/change":      adminSuiteChangePost,
	"POST /__emulator/suite/cancel":      adminSuiteCancelPost,
}

// adminMux routes an admin request to its pattern in adminRoutes.
var adminMux = sync.OnceValue(func() *http.ServeMux {
	mux := http.NewServeMux()
	for pattern := range adminRoutes {
		mux.Handle(pattern, http.NotFoundHandler()) // only Handler's pattern is used
	}
	return mux
})

// adminStatsGet serves GET /__emulator/stats.
func adminStatsGet(q *request) {
	e := q.e
	q.adminOK(map[string]any{"calls": e.Stats()})
}

// adminStatsDelete serves DELETE /__emulator/stats.
func adminStatsDelete(q *request) {
	e := q.e
	e.ResetStats()
	q.adminOK(nil)
}

// adminStateGet serves GET /__emulator/state.
func adminStateGet(q *request) {
	e := q.e
	q.adminOK(e.State())
}

// adminFaultsGet serves GET /__emulator/faults.
func adminFaultsGet(q *request) {
	e := q.e
	e.mu.Lock()
	list := make([]Fault, 0, len(e.faults))
	for _, f := range e.faults {
		list = append(list, *f)
	}
	e.mu.Unlock()
	q.adminOK(map[string]any{"faults": list})
}

// adminFaultsPost serves POST /__emulator/faults.
func adminFaultsPost(q *request) {
	e := q.e
	var f Fault
	if !q.adminDecode(&f) {
		return
	}
	if !strings.HasPrefix(f.Path, "/wecom/") && !strings.HasPrefix(f.Path, "/mp/") {
		q.adminError(http.StatusBadRequest, "emulator: fault path must be an emulated API path such as /wecom/cgi-bin/gettoken")
		return
	}
	if f.Errcode == 0 && f.Status == 0 && f.DelayMs <= 0 {
		q.adminError(http.StatusBadRequest, "emulator: a fault needs errcode, status or delayMs")
		return
	}
	if f.Status != 0 && (f.Status < 100 || f.Status > 599) || f.DelayMs > 60000 {
		q.adminError(http.StatusBadRequest, "emulator: status must be an HTTP status (100-599) and delayMs at most 60000")
		return
	}
	e.InjectFault(f)
	q.adminOK(nil)
}

// adminFaultsDelete serves DELETE /__emulator/faults.
func adminFaultsDelete(q *request) {
	e := q.e
	e.ClearFaults()
	q.adminOK(nil)
}

// adminClockGet serves GET /__emulator/clock.
func adminClockGet(q *request) {
	e := q.e
	q.adminOK(map[string]any{"now": e.Now().Unix()})
}

// adminClockPost serves POST /__emulator/clock.
func adminClockPost(q *request) {
	e := q.e
	var b struct {
		Seconds int64 `json:"seconds"`
	}
	if !q.adminDecode(&b) {
		return
	}
	if b.Seconds < 0 || b.Seconds > 10*365*24*3600 {
		q.adminError(http.StatusBadRequest, "emulator: seconds must be between 0 and ten years; the clock only moves forward")
		return
	}
	e.Advance(time.Duration(b.Seconds) * time.Second)
	q.adminOK(map[string]any{"now": e.Now().Unix()})
}

// adminOutboxGet serves GET /__emulator/outbox.
func adminOutboxGet(q *request) {
	e := q.e
	q.adminOK(map[string]any{"messages": e.Outbox()})
}

// adminOutboxDelete serves DELETE /__emulator/outbox.
func adminOutboxDelete(q *request) {
	e := q.e
	e.mu.Lock()
	e.st.Outbox = nil
	e.dirty = true
	e.mu.Unlock()
	e.persistIfDirty()
	q.adminOK(nil)
}

// adminTokensInvalidatePost serves POST /__emulator/tokens/invalidate.
func adminTokensInvalidatePost(q *request) {
	e := q.e
	var b struct {
		Platform string `json:"platform"`
		AgentID  int64  `json:"agentId"`
	}
	if !q.adminDecodeOptional(&b) {
		return
	}
	n := e.InvalidateTokens(b.Platform, b.AgentID)
	e.persistIfDirty()
	q.adminOK(map[string]any{"invalidated": n})
}

// adminTokensExpirePost serves POST /__emulator/tokens/expire.
func adminTokensExpirePost(q *request) {
	e := q.e
	e.ExpireTokens()
	e.persistIfDirty()
	q.adminOK(nil)
}

// adminCallbacksPost serves POST /__emulator/callbacks.
func adminCallbacksPost(q *request) {
	e := q.e
	var b CallbackRequest
	if !q.adminDecode(&b) {
		return
	}
	res, err := e.PushCallback(q.r.Context(), b)
	if err != nil {
		q.adminError(http.StatusBadRequest, err.Error())
		return
	}
	q.adminResult(res.Error == "" && res.ReplyError == "" && res.Status == http.StatusOK, res)
}

// adminCallbacksVerifyPost serves POST /__emulator/callbacks/verify.
func adminCallbacksVerifyPost(q *request) {
	e := q.e
	var b struct {
		Platform string `json:"platform"`
		AgentID  int64  `json:"agentId"`
		URL      string `json:"url"`
	}
	if !q.adminDecodeOptional(&b) {
		return
	}
	res, err := e.VerifyCallbackURL(q.r.Context(), b.Platform, b.AgentID, b.URL)
	if err != nil {
		q.adminError(http.StatusBadRequest, err.Error())
		return
	}
	q.adminResult(res.OK, res)
}

// adminJSSDKVerifyPost serves POST /__emulator/jssdk/verify.
func adminJSSDKVerifyPost(q *request) {
	e := q.e
	var b VerifyRequest
	if !q.adminDecode(&b) {
		return
	}
	q.adminJSON(http.StatusOK, e.VerifyJSSDK(b))
}

// adminQRCodeScanPost serves POST /__emulator/qrcode/scan.
func adminQRCodeScanPost(q *request) {
	e := q.e
	var b struct {
		Ticket string `json:"ticket"`
		URL    string `json:"url"` // the QR code's content, instead of the ticket
		OpenID string `json:"openid"`
	}
	if !q.adminDecode(&b) {
		return
	}
	if b.Ticket == "" && b.URL != "" {
		b.Ticket = e.ticketForURL(b.URL)
	}
	res, err := e.ScanQRCode(q.r.Context(), b.Ticket, b.OpenID)
	if err != nil {
		q.adminError(http.StatusBadRequest, err.Error())
		return
	}
	q.adminResult(res.Error == "" && res.ReplyError == "" && res.Status == http.StatusOK, res)
}

// adminOAuthCodePost serves POST /__emulator/oauth/code.
func adminOAuthCodePost(q *request) {
	e := q.e
	var b struct {
		Platform string `json:"platform"`
		UserID   string `json:"userid"`
		OpenID   string `json:"openid"`
		Scope    string `json:"scope"`
		AgentID  int64  `json:"agentId"`
	}
	if !q.adminDecode(&b) {
		return
	}
	subject := b.UserID
	if subject == "" {
		subject = b.OpenID
	}
	if b.Platform == "" {
		b.Platform = "wecom"
	}
	code, err := e.IssueCode(b.Platform, subject, b.Scope, b.AgentID)
	if err != nil {
		q.adminError(http.StatusBadRequest, err.Error())
		return
	}
	e.persistIfDirty()
	q.adminOK(map[string]any{"code": code})
}

func (q *request) adminJSON(status int, v any) {
	q.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	q.w.WriteHeader(status)
	enc := json.NewEncoder(q.w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func (q *request) adminOK(fields any) {
	out := map[string]any{"ok": true}
	if m, ok := fields.(map[string]any); ok {
		for k, v := range m {
			out[k] = v
		}
	} else if fields != nil {
		b, _ := json.Marshal(fields)
		_ = json.Unmarshal(b, &out)
		out["ok"] = true
	}
	q.adminJSON(http.StatusOK, out)
}

// adminResult answers a struct result with "ok" set to ok.
func (q *request) adminResult(ok bool, v any) {
	out := map[string]any{}
	b, _ := json.Marshal(v)
	_ = json.Unmarshal(b, &out)
	out["ok"] = ok
	q.adminJSON(http.StatusOK, out)
}

func (q *request) adminError(status int, msg string) {
	q.adminJSON(status, map[string]any{"ok": false, "error": msg})
}

func (q *request) adminDecode(v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(q.w, q.r.Body, maxJSONBody))
	if err != nil {
		q.adminError(http.StatusRequestEntityTooLarge, "emulator: admin request body larger than 1 MiB")
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		q.adminError(http.StatusBadRequest, "emulator: the request body must be JSON: "+err.Error())
		return false
	}
	return true
}

// adminDecodeOptional is adminDecode that accepts an empty body.
func (q *request) adminDecodeOptional(v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(q.w, q.r.Body, maxJSONBody))
	if err != nil {
		q.adminError(http.StatusRequestEntityTooLarge, "emulator: admin request body larger than 1 MiB")
		return false
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return true
	}
	if err := json.Unmarshal(body, v); err != nil {
		q.adminError(http.StatusBadRequest, "emulator: the request body must be JSON: "+err.Error())
		return false
	}
	return true
}

// Outbox returns the messages apps have sent to users, oldest first.
func (e *Emulator) Outbox() []OutboxMessage {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]OutboxMessage{}, e.st.Outbox...)
}

// State is the debugging view of GET /__emulator/state: the emulated
// credentials, users and the tokens and tickets currently valid.
type State struct {
	Now   int64      `json:"now"`
	WeCom WeComState `json:"wecom"`
	MP    MPState    `json:"mp"`
	// Suites are the provider platform's third-party apps.
	Suites []SuiteState `json:"suites,omitempty"`
}

// SuiteState is a suite as State shows it: its credentials, the newest
// valid suite_ticket, the current suite_access_token and the corps'
// grants.
type SuiteState struct {
	SuiteID          string       `json:"suiteId"`
	Name             string       `json:"name"`
	Secret           string       `json:"secret"`
	Token            string       `json:"token"`
	EncodingAESKey   string       `json:"encodingAESKey"`
	CallbackURL      string       `json:"callbackURL"`
	AgentID          int64        `json:"agentId"`
	SuiteTicket      *Issued      `json:"suiteTicket,omitempty"`
	SuiteAccessToken *Issued      `json:"suiteAccessToken,omitempty"`
	Grants           []GrantState `json:"grants,omitempty"`
}

// GrantState is a corp's authorization of a suite.
type GrantState struct {
	CorpID        string `json:"corpId"`
	PermanentCode string `json:"permanentCode"`
	Cancelled     bool   `json:"cancelled,omitempty"`
}

// WeComState is the WeCom half of State.
type WeComState struct {
	CorpID      string       `json:"corpId"`
	Apps        []AppState   `json:"apps"`
	Departments []Department `json:"departments"`
	Users       []User       `json:"users"`
	// Customers (客户) and customer groups (客户群) of the fixture.
	ExternalContacts []ExternalContact `json:"externalContacts,omitempty"`
	GroupChats       []GroupChat       `json:"groupChats,omitempty"`
	// Robots are the group robots, without their webhook keys (secrets:
	// the default fixture's key is in docs/emulator.md and
	// fixture.RobotKey). AppChats are the group chats apps created.
	Robots   []RobotState   `json:"robots,omitempty"`
	AppChats []AppChatState `json:"appChats,omitempty"`
}

// RobotState is a group robot as State shows it: no key.
type RobotState struct {
	Name     string   `json:"name"`
	ChatName string   `json:"chatName"`
	Members  []string `json:"members"`
}

// AppChatState is a group chat created with appchat/create.
type AppChatState struct {
	ChatID  string   `json:"chatid"`
	Name    string   `json:"name"`
	Owner   string   `json:"owner"`
	Users   []string `json:"userlist"`
	AgentID int64    `json:"agentId"`
}

// AppState is one app with its current token and tickets.
type AppState struct {
	AgentID        int64   `json:"agentId"`
	Name           string  `json:"name"`
	Secret         string  `json:"secret"`
	Token          string  `json:"token"`
	EncodingAESKey string  `json:"encodingAESKey"`
	CallbackURL    string  `json:"callbackURL"`
	AccessToken    *Issued `json:"accessToken,omitempty"`
	JSAPITicket    *Issued `json:"jsapiTicket,omitempty"`
	AgentTicket    *Issued `json:"agentConfigTicket,omitempty"`
}

// Issued is a token or ticket and when it expires.
type Issued struct {
	Value     string `json:"value"`
	ExpiresAt int64  `json:"expiresAt"`
}

// MPState is the Official Account half of State.
type MPState struct {
	AppID          string     `json:"appId"`
	AppSecret      string     `json:"appSecret"`
	OriginalID     string     `json:"originalId"`
	Token          string     `json:"token"`
	EncodingAESKey string     `json:"encodingAESKey"`
	CallbackURL    string     `json:"callbackURL"`
	EncryptMode    string     `json:"encryptMode"`
	Followers      []Follower `json:"followers"`
	Tags           []MPTag    `json:"tags"`
	Templates      []Template `json:"templates"`
	AccessToken    *Issued    `json:"accessToken,omitempty"`
	JSAPITicket    *Issued    `json:"jsapiTicket,omitempty"`
	// WeChatID is the kf_account suffix (公众号微信号).
	WeChatID     string        `json:"wechatId"`
	KFAccounts   []KFAccount   `json:"kfAccounts"`
	MiniPrograms []MiniProgram `json:"miniPrograms,omitempty"`
	// ConditionalMenus are the personalised menus, oldest first.
	ConditionalMenus []ConditionalMenuState `json:"conditionalMenus"`
	// Materials are the permanent materials, without their bytes.
	Materials []MaterialState `json:"materials"`
}

// ConditionalMenuState is one personalised menu in State.
type ConditionalMenuState struct {
	MenuID    int64           `json:"menuid"`
	Button    json.RawMessage `json:"button"`
	MatchRule json.RawMessage `json:"matchrule"`
}

// MaterialState is one permanent material in State.
type MaterialState struct {
	MediaID  string `json:"mediaId"`
	Type     string `json:"type"`
	Filename string `json:"filename"`
	Size     int    `json:"size"`
	Title    string `json:"title,omitempty"`
	URL      string `json:"url,omitempty"`
	Updated  int64  `json:"updated"`
}

// State returns the current credentials, world and valid tokens.
func (e *Emulator) State() State {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	tok := func(app string) *Issued {
		t := e.st.Current[app]
		if rec, ok := e.st.Tokens[t]; ok && now.Before(rec.Expires) {
			return &Issued{Value: t, ExpiresAt: rec.Expires.Unix()}
		}
		return nil
	}
	ticket := func(key string) *Issued {
		t := e.st.CurrentTickets[key]
		if rec, ok := e.st.Tickets[t]; ok && now.Before(rec.Expires) {
			return &Issued{Value: t, ExpiresAt: rec.Expires.Unix()}
		}
		return nil
	}
	fx := e.fx.clone()
	s := State{Now: now.Unix()}
	s.WeCom = WeComState{CorpID: fx.WeCom.CorpID, Departments: fx.WeCom.Departments, Users: fx.WeCom.Users,
		ExternalContacts: fx.WeCom.ExternalContacts, GroupChats: fx.WeCom.GroupChats}
	for _, r := range fx.WeCom.Robots {
		s.WeCom.Robots = append(s.WeCom.Robots, RobotState{Name: r.Name, ChatName: r.ChatName, Members: r.Members})
	}
	for _, c := range e.st.AppChats {
		s.WeCom.AppChats = append(s.WeCom.AppChats, AppChatState{ChatID: c.ChatID, Name: c.Name, Owner: c.Owner, Users: append([]string(nil), c.Users...), AgentID: c.AgentID})
	}
	sort.Slice(s.WeCom.AppChats, func(i, j int) bool { return s.WeCom.AppChats[i].ChatID < s.WeCom.AppChats[j].ChatID })
	for _, a := range fx.WeCom.Apps {
		k := wecomKey(a.AgentID)
		s.WeCom.Apps = append(s.WeCom.Apps, AppState{AgentID: a.AgentID, Name: a.Name, Secret: a.Secret, Token: a.Token,
			EncodingAESKey: a.EncodingAESKey, CallbackURL: a.CallbackURL,
			AccessToken: tok(k), JSAPITicket: ticket(k + "|corp"), AgentTicket: ticket(k + "|agent_config")})
	}
	m := fx.MP
	s.MP = MPState{AppID: m.AppID, AppSecret: m.AppSecret, OriginalID: m.OriginalID, Token: m.Token,
		EncodingAESKey: m.EncodingAESKey, CallbackURL: m.CallbackURL, EncryptMode: m.EncryptMode,
		Followers: m.Followers, Tags: m.Tags, Templates: m.Templates,
		AccessToken: tok(mpKey), JSAPITicket: ticket(mpKey + "|jsapi"),
		WeChatID: e.kfSuffix(), KFAccounts: m.KFAccounts, MiniPrograms: m.MiniPrograms,
		ConditionalMenus: []ConditionalMenuState{}, Materials: []MaterialState{}}
	if s.MP.KFAccounts == nil {
		s.MP.KFAccounts = []KFAccount{}
	}
	for _, c := range e.st.CondMenus {
		rule, _ := json.Marshal(c.Rule)
		s.MP.ConditionalMenus = append(s.MP.ConditionalMenus, ConditionalMenuState{MenuID: c.MenuID, Button: c.Button, MatchRule: rule})
	}
	for id, mt := range e.st.Materials {
		s.MP.Materials = append(s.MP.Materials, MaterialState{MediaID: id, Type: mt.Type, Filename: mt.Filename,
			Size: len(mt.Data), Title: mt.Title, URL: mt.URL, Updated: mt.Updated.Unix()})
	}
	sort.Slice(s.MP.Materials, func(i, j int) bool { return s.MP.Materials[i].MediaID < s.MP.Materials[j].MediaID })
	for _, su := range fx.Suites {
		st := SuiteState{SuiteID: su.SuiteID, Name: su.Name, Secret: su.Secret, Token: su.Token, EncodingAESKey: su.EncodingAESKey,
			CallbackURL: su.CallbackURL, AgentID: su.AgentID, SuiteAccessToken: tok(suiteKey(su.SuiteID))}
		for t, rec := range e.st.SuiteTickets {
			if rec.Suite == su.SuiteID && now.Before(rec.Expires) && (st.SuiteTicket == nil || rec.Expires.Unix() > st.SuiteTicket.ExpiresAt) {
				st.SuiteTicket = &Issued{Value: t, ExpiresAt: rec.Expires.Unix()}
			}
		}
		for _, a := range e.st.SuiteAuths {
			if a.Suite == su.SuiteID {
				st.Grants = append(st.Grants, GrantState{CorpID: a.Corp, PermanentCode: a.PermanentCode, Cancelled: a.Cancelled})
			}
		}
		s.Suites = append(s.Suites, st)
	}
	return s
}

// ScanQRCode emulates openid scanning the parametric QR code of ticket: a
// follower's scan pushes a SCAN event, anyone else's a subscribe event with
// EventKey qrscene_<scene> (and makes them a follower).
func (e *Emulator) ScanQRCode(ctx context.Context, ticket, openid string) (*CallbackResult, error) {
	e.mu.Lock()
	rec, ok := e.st.QRCodes[ticket]
	valid := ok && (rec.Expires.IsZero() || e.now().Before(rec.Expires))
	var scene string
	if valid {
		scene = rec.scene()
	}
	if openid == "" {
		for _, f := range e.fx.MP.Followers {
			if !f.Subscribed {
				openid = f.OpenID
				break
			}
		}
	}
	f := e.follower(openid)
	subscribed := f != nil && f.Subscribed
	e.mu.Unlock()
	switch {
	case !valid:
		return nil, errors.New("emulator: the QR ticket is unknown or expired; create one with qrcode/create")
	case f == nil:
		return nil, errors.New("emulator: openid is not a user of the fixture account; pick one from GET /__emulator/state")
	}
	req := CallbackRequest{Platform: "mp", From: openid, MsgType: "event", Fields: map[string]string{"Ticket": ticket}}
	if subscribed {
		req.Event, req.EventKey = "SCAN", scene
	} else {
		req.Event, req.EventKey = "subscribe", "qrscene_"+scene
	}
	return e.PushCallback(ctx, req)
}

// ticketForURL finds the QR ticket whose code content is u.
func (e *Emulator) ticketForURL(u string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	for t, rec := range e.st.QRCodes {
		if rec.URL == u {
			return t
		}
	}
	return ""
}
