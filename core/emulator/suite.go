package emulator

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The provider platform (服务商): the service/* APIs of third-party apps
// (第三方应用), the suite_ticket pushes and installs by the fixture corp.
// Lifetimes are the documented ones: suite_ticket 30 minutes (pushed every
// 10), pre_auth_code 1200 s, auth_code 10 minutes and single use.
const (
	suiteTicketTTL  = 30 * time.Minute
	preAuthCodeTTL  = 1200 * time.Second
	authCodeTTL     = 10 * time.Minute
	suiteTicketTick = 10 * time.Minute
)

// suiteCodeRec is a suite_ticket, pre_auth_code or auth_code.
type suiteCodeRec struct {
	Suite    string    `json:"suite"`
	Corp     string    `json:"corp,omitempty"`
	State    string    `json:"state,omitempty"`
	AuthType int       `json:"authType,omitempty"`
	Used     bool      `json:"used,omitempty"`
	Expires  time.Time `json:"expires"`
}

// suiteAuth is a corp's grant to a suite (永久授权).
type suiteAuth struct {
	Suite         string `json:"suite"`
	Corp          string `json:"corp"`
	PermanentCode string `json:"permanentCode"`
	Cancelled     bool   `json:"cancelled,omitempty"`
	AuthType      int    `json:"authType,omitempty"`
}

func suiteKey(id string) string { return "suite:" + id }

func (e *Emulator) suiteByID(id string) *Suite {
	for i := range e.fx.Suites {
		if e.fx.Suites[i].SuiteID == id {
			return &e.fx.Suites[i]
		}
	}
	return nil
}

// suiteApp is the app an installed suite is in the fixture corp, or nil
// when key names no suite with an active grant. Callers hold e.mu.
func (e *Emulator) suiteApp(key string) *App {
	for _, su := range e.fx.Suites {
		if wecomKey(su.AgentID) != key {
			continue
		}
		if a := e.st.SuiteAuths[su.SuiteID+"|"+e.fx.WeCom.CorpID]; a == nil || a.Cancelled {
			return nil
		}
		return &App{AgentID: su.AgentID, Name: su.Name, TrustedDomains: su.TrustedDomains}
	}
	return nil
}

// corpApps lists the fixture corp's apps and the suites it has installed.
// Callers hold e.mu.
func (e *Emulator) corpApps() []App {
	out := append([]App(nil), e.fx.WeCom.Apps...)
	for _, su := range e.fx.Suites {
		if a := e.suiteApp(wecomKey(su.AgentID)); a != nil {
			out = append(out, *a)
		}
	}
	return out
}

func (e *Emulator) suiteRoutes() {
	get, post := http.MethodGet, http.MethodPost
	e.mux["/wecom/cgi-bin/service/get_suite_token"] = route{post, e.suiteGetToken}
	e.mux["/wecom/cgi-bin/service/get_pre_auth_code"] = route{get, e.suiteAuthed(e.suitePreAuthCode)}
	e.mux["/wecom/cgi-bin/service/set_session_info"] = route{post, e.suiteAuthed(e.suiteSessionInfo)}
	e.mux["/wecom/cgi-bin/service/get_permanent_code"] = route{post, e.suiteAuthed(e.suitePermanentCode)}
	e.mux["/wecom/cgi-bin/service/get_auth_info"] = route{post, e.suiteAuthed(e.suiteAuthInfo)}
	e.mux["/wecom/cgi-bin/service/get_corp_token"] = route{post, e.suiteAuthed(e.suiteCorpToken)}
	e.mux["/wecom/cgi-bin/service/auth/getuserinfo3rd"] = route{get, e.suiteAuthed(e.suiteUserInfo)}
}

// suiteGetToken serves POST /cgi-bin/service/get_suite_token.
func (e *Emulator) suiteGetToken(q *request) {
	var b struct {
		SuiteID     string `json:"suite_id"`
		SuiteSecret string `json:"suite_secret"`
		SuiteTicket string `json:"suite_ticket"`
	}
	if !q.decodeJSON(&b) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	su := e.suiteByID(b.SuiteID)
	switch {
	case su == nil:
		q.failMsg(40083, "invalid suite_id "+strconv.Quote(b.SuiteID)+" (the emulated provider has "+e.suiteIDs()+")")
		return
	case b.SuiteSecret != su.Secret:
		// [unconfirmed] which code a wrong suite_secret gets.
		q.failMsg(40001, "invalid credential, suite_secret is wrong")
		return
	}
	t := e.st.SuiteTickets[b.SuiteTicket]
	switch {
	case b.SuiteTicket == "" || t == nil || t.Suite != su.SuiteID:
		q.failMsg(40085, "invalid suite ticket (use the newest suite_ticket pushed to this suite's callback URL)")
		return
	case !e.now().Before(t.Expires):
		q.failMsg(40085, "invalid suite ticket (expired: a suite_ticket lives 30 minutes)")
		return
	}
	if !q.rateOK(suiteKey(su.SuiteID)) {
		return
	}
	tok, ttl := e.issueToken(suiteKey(su.SuiteID))
	q.ok(map[string]any{"suite_access_token": tok, "expires_in": int(ttl.Seconds())})
}

func (e *Emulator) suiteIDs() string {
	var ids []string
	for _, su := range e.fx.Suites {
		ids = append(ids, su.SuiteID)
	}
	if len(ids) == 0 {
		return "no suites; add one under suites in the fixture"
	}
	return strings.Join(ids, ", ")
}

// suiteAuthed checks ?suite_access_token= and runs h with e.mu held and
// q.app naming the suite.
func (e *Emulator) suiteAuthed(h func(q *request, su *Suite)) func(q *request) {
	return func(q *request) {
		e.mu.Lock()
		defer e.mu.Unlock()
		tok := q.query("suite_access_token")
		if tok == "" {
			q.failMsg(41001, "suite_access_token missing")
			return
		}
		rec, ok := e.st.Tokens[tok]
		if !ok || !strings.HasPrefix(rec.App, "suite:") {
			q.failMsg(40082, "invalid suite_access_token")
			return
		}
		if !e.now().Before(rec.Expires) {
			q.fail(42009)
			return
		}
		su := e.suiteByID(strings.TrimPrefix(rec.App, "suite:"))
		if su == nil {
			q.failMsg(40082, "invalid suite_access_token (the suite left the fixture)")
			return
		}
		q.app = rec.App
		h(q, su)
	}
}

// suitePreAuthCode serves GET /cgi-bin/service/get_pre_auth_code.
func (e *Emulator) suitePreAuthCode(q *request, su *Suite) {
	code := randString(64, alnum)
	e.st.PreAuthCodes[code] = &suiteCodeRec{Suite: su.SuiteID, Expires: e.now().Add(preAuthCodeTTL)}
	e.sweepSuite()
	e.dirty = true
	q.ok(map[string]any{"pre_auth_code": code, "expires_in": int(preAuthCodeTTL.Seconds())})
}

// preAuth finds a pre_auth_code of su; it answers 40077/42007 itself.
// Callers hold e.mu.
func (q *request) preAuth(su *Suite, code string) *suiteCodeRec {
	r := q.e.st.PreAuthCodes[code]
	switch {
	case code == "" || r == nil || r.Suite != su.SuiteID:
		q.failMsg(40077, "invalid pre_auth_code (get one with get_pre_auth_code)")
		return nil
	case !q.e.now().Before(r.Expires):
		q.failMsg(42007, "pre_auth_code expired (it lives 1200 s)")
		return nil
	}
	return r
}

// suiteSessionInfo serves POST /cgi-bin/service/set_session_info.
func (e *Emulator) suiteSessionInfo(q *request, su *Suite) {
	var b struct {
		PreAuthCode string `json:"pre_auth_code"`
		SessionInfo struct {
			AuthType int `json:"auth_type"`
		} `json:"session_info"`
	}
	if !q.decodeJSON(&b) {
		return
	}
	r := q.preAuth(su, b.PreAuthCode)
	if r == nil {
		return
	}
	if b.SessionInfo.AuthType != 0 && b.SessionInfo.AuthType != 1 {
		q.failMsg(40058, "invalid parameter: session_info.auth_type must be 0 (formal) or 1 (test install)")
		return
	}
	r.AuthType = b.SessionInfo.AuthType
	e.dirty = true
	q.ok(nil)
}

// corpInfo is auth_corp_info of the fixture corp.
func (e *Emulator) corpInfo() map[string]any {
	name := "示例科技"
	for _, d := range e.fx.WeCom.Departments {
		if d.ParentID == 0 {
			name = d.Name
			break
		}
	}
	return map[string]any{"corpid": e.fx.WeCom.CorpID, "corp_name": name, "corp_full_name": name, "corp_type": "verified", "subject_type": 1, "corp_user_max": 200}
}

func (e *Emulator) authInfo(su *Suite) map[string]any {
	return map[string]any{"agent": []any{map[string]any{
		"agentid": su.AgentID, "name": su.Name, "appid": 1, "auth_mode": 0,
		"privilege": map[string]any{"level": 1, "allow_party": []int64{1}, "allow_user": []string{}, "allow_tag": []int64{}},
	}}}
}

// suitePermanentCode serves POST /cgi-bin/service/get_permanent_code.
func (e *Emulator) suitePermanentCode(q *request, su *Suite) {
	var b struct {
		AuthCode string `json:"auth_code"`
	}
	if !q.decodeJSON(&b) {
		return
	}
	r := e.st.AuthCodes[b.AuthCode]
	switch {
	case b.AuthCode == "":
		q.failMsg(41008, "missing auth_code")
		return
	case len(b.AuthCode) < 64:
		// The code and text developers quote from Tencent for a short code;
		// the page gives the range: 64 to 512 bytes.
		q.failMsg(40058, "auth_code exceed min length 64. Invalid input invalid Request Parameter (an auth_code is 64 to 512 bytes: take it from the create_auth callback or the install redirect, not the pre_auth_code)")
		return
	case len(b.AuthCode) > 512:
		// [unconfirmed] code and text for a too long code, by symmetry.
		q.failMsg(40058, "auth_code exceed max length 512. Invalid input invalid Request Parameter (an auth_code is 64 to 512 bytes)")
		return
	case r == nil || r.Suite != su.SuiteID:
		q.failMsg(40078, "invalid auth_code (not issued for this suite)")
		return
	case r.Used:
		q.failMsg(40078, "invalid auth_code (already used: an auth_code is single use; keep the permanent_code from the first exchange)")
		return
	case !e.now().Before(r.Expires):
		q.failMsg(40078, "invalid auth_code (expired: an auth_code lives 10 minutes)")
		return
	}
	r.Used = true
	a := &suiteAuth{Suite: su.SuiteID, Corp: r.Corp, PermanentCode: randString(43, alnum+"-_"), AuthType: r.AuthType}
	key := su.SuiteID + "|" + r.Corp
	if old := e.st.SuiteAuths[key]; old != nil {
		e.dropCorpTokens(su) // a new grant replaces the old one and its tokens
	}
	e.st.SuiteAuths[key] = a
	tok, ttl := e.issueToken(wecomKey(su.AgentID))
	e.dirty = true
	users := e.fx.WeCom.Users
	admin := map[string]any{}
	if len(users) > 0 {
		admin = map[string]any{"userid": users[0].UserID, "name": users[0].Name}
	}
	q.ok(map[string]any{
		"access_token": tok, "expires_in": int(ttl.Seconds()), "permanent_code": a.PermanentCode,
		"auth_corp_info": e.corpInfo(), "auth_info": e.authInfo(su), "auth_user_info": admin, "state": r.State,
	})
}

// grant checks auth_corpid + permanent_code; it answers 40084 itself.
// Callers hold e.mu.
func (q *request) grant(su *Suite) *suiteAuth {
	var b struct {
		AuthCorpID    string `json:"auth_corpid"`
		PermanentCode string `json:"permanent_code"`
	}
	if !q.decodeJSON(&b) {
		return nil
	}
	a := q.e.st.SuiteAuths[su.SuiteID+"|"+b.AuthCorpID]
	switch {
	case b.AuthCorpID == "" || b.PermanentCode == "":
		q.failMsg(40058, "invalid parameter: auth_corpid and permanent_code are required")
		return nil
	case a == nil || a.PermanentCode != b.PermanentCode:
		q.failMsg(40084, "invalid permanent_code (not the one this suite got for corp "+b.AuthCorpID+")")
		return nil
	case a.Cancelled:
		q.failMsg(40084, "invalid permanent_code (corp "+b.AuthCorpID+" cancelled the authorization: cancel_auth)")
		return nil
	}
	return a
}

// suiteAuthInfo serves POST /cgi-bin/service/get_auth_info.
func (e *Emulator) suiteAuthInfo(q *request, su *Suite) {
	if q.grant(su) == nil {
		return
	}
	q.ok(map[string]any{"auth_corp_info": e.corpInfo(), "auth_info": e.authInfo(su)})
}

// suiteCorpToken serves POST /cgi-bin/service/get_corp_token: the corp
// token is the access_token of the suite's app in the fixture corp, which
// every corp endpoint of the emulator accepts.
func (e *Emulator) suiteCorpToken(q *request, su *Suite) {
	if q.grant(su) == nil {
		return
	}
	if !q.rateOKFor("/wecom/cgi-bin/gettoken", wecomKey(su.AgentID)) {
		return
	}
	tok, ttl := e.issueToken(wecomKey(su.AgentID))
	q.ok(map[string]any{"access_token": tok, "expires_in": int(ttl.Seconds())})
}

// suiteUserInfo serves GET /cgi-bin/service/auth/getuserinfo3rd: an OAuth
// code issued for the suite's app (the authorize page with appid = SuiteID,
// or POST /__emulator/oauth/code with its agentId) gives the member.
func (e *Emulator) suiteUserInfo(q *request, su *Suite) {
	if e.suiteApp(wecomKey(su.AgentID)) == nil {
		q.failMsg(50001, "user unauthorized: the emulated corp has not installed suite "+su.SuiteID)
		return
	}
	rec := q.takeCode("wecom")
	if rec == nil {
		return
	}
	if rec.AgentID != su.AgentID {
		q.failMsg(40029, "invalid code: it was issued for another app (agentid "+strconv.FormatInt(rec.AgentID, 10)+"), not this suite's")
		return
	}
	out := map[string]any{"corpid": e.fx.WeCom.CorpID}
	if rec.UserID != "" {
		out["userid"] = rec.UserID
		// open_userid is stable per (provider, member) [emulated: per suite].
		out["open_userid"] = "wo" + derive("open_userid/"+su.SuiteID+"/"+rec.UserID, 30, alnum)
		if rec.Scope == "snsapi_privateinfo" {
			out["user_ticket"] = e.issueUserTicket(rec.UserID, su.AgentID)
			out["expires_in"] = int(userTicketTTL.Seconds())
		}
	} else {
		out["openid"] = rec.OpenID
	}
	q.ok(out)
}

// installedSuite returns the suite with id if the fixture corp has an
// active grant for it. Callers hold e.mu.
func (e *Emulator) installedSuite(id string) *Suite {
	su := e.suiteByID(id)
	if su == nil || e.suiteApp(wecomKey(su.AgentID)) == nil {
		return nil
	}
	return su
}

// dropCorpTokens invalidates the corp tokens and tickets of su's app.
// Callers hold e.mu.
func (e *Emulator) dropCorpTokens(su *Suite) {
	key := wecomKey(su.AgentID)
	for t, r := range e.st.Tokens {
		if r.App == key {
			delete(e.st.Tokens, t)
		}
	}
	delete(e.st.Current, key)
	for t, r := range e.st.Tickets {
		if strings.HasPrefix(r.App, key+"|") {
			delete(e.st.Tickets, t)
		}
	}
	for k := range e.st.CurrentTickets {
		if strings.HasPrefix(k, key+"|") {
			delete(e.st.CurrentTickets, k)
		}
	}
}

// sweepSuite drops codes and tickets that expired a day ago. Callers hold e.mu.
func (e *Emulator) sweepSuite() {
	old := e.now().Add(-24 * time.Hour)
	for _, m := range []map[string]*suiteCodeRec{e.st.SuiteTickets, e.st.PreAuthCodes, e.st.AuthCodes} {
		for k, r := range m {
			if r.Expires.Before(old) {
				delete(m, k)
			}
		}
	}
}

// SuitePush is the outcome of a push to a suite's instruction callback URL.
type SuitePush struct {
	SuiteID     string          `json:"suiteId"`
	InfoType    string          `json:"infoType"`
	SuiteTicket string          `json:"suiteTicket,omitempty"`
	AuthCode    string          `json:"authCode,omitempty"`
	CorpID      string          `json:"corpId,omitempty"`
	Result      *CallbackResult `json:"result"`
}

// pickSuite returns the suite with id, or the first one for "". Callers hold e.mu.
func (e *Emulator) pickSuite(id string) (*Suite, error) {
	if id == "" && len(e.fx.Suites) > 0 {
		return &e.fx.Suites[0], nil
	}
	if su := e.suiteByID(id); su != nil {
		return su, nil
	}
	return nil, fmt.Errorf("emulator: no suite %q in the fixture (it has %s)", id, e.suiteIDs())
}

// pushSuite encrypts xml with receiveid = SuiteID and posts it to the suite's
// instruction callback URL (or override). An answer other than HTTP 200 is
// reported in the result; the platform retries such pushes [the emulator
// does not].
func (e *Emulator) pushSuite(ctx context.Context, su Suite, override, xml, ts string) (*CallbackResult, error) {
	t := pushTarget{platform: "wecom", url: su.CallbackURL, token: su.Token, aesKey: su.EncodingAESKey, receiveID: su.SuiteID, toUser: su.SuiteID, mode: "safe"}
	if override != "" {
		t.url = override
	}
	if t.url == "" {
		return nil, fmt.Errorf("emulator: suite %s has no callbackURL; set suites[].callbackURL in the fixture or pass url", su.SuiteID)
	}
	return e.push(ctx, t, []byte(xml), ts, "", 0)
}

func suiteXML(su Suite, infoType, ts string, fields ...[2]string) string {
	var b strings.Builder
	b.WriteString("<xml><SuiteId>" + cdata(su.SuiteID) + "</SuiteId><InfoType>" + cdata(infoType) + "</InfoType><TimeStamp>" + ts + "</TimeStamp>")
	for _, f := range fields {
		b.WriteString("<" + f[0] + ">" + cdata(f[1]) + "</" + f[0] + ">")
	}
	b.WriteString("</xml>")
	return b.String()
}

// PushSuiteTicket issues a new suite_ticket for the suite (the first one
// when suiteID is "") and pushes it (InfoType suite_ticket) to its
// instruction callback URL, or to url when not empty. The ticket is valid
// for get_suite_token for 30 minutes whether or not the push arrived.
func (e *Emulator) PushSuiteTicket(ctx context.Context, suiteID, url string) (*SuitePush, error) {
	e.mu.Lock()
	su, err := e.pickSuite(suiteID)
	if err != nil {
		e.mu.Unlock()
		return nil, err
	}
	s := *su
	ticket := randString(64, alnum+"-_")
	now := e.now()
	e.st.SuiteTickets[ticket] = &suiteCodeRec{Suite: s.SuiteID, Expires: now.Add(suiteTicketTTL)}
	e.sweepSuite()
	e.dirty = true
	e.mu.Unlock()
	e.persistIfDirty()
	ts := strconv.FormatInt(now.Unix(), 10)
	res, err := e.pushSuite(ctx, s, url, suiteXML(s, "suite_ticket", ts, [2]string{"SuiteTicket", ticket}), ts)
	if err != nil {
		return nil, err
	}
	return &SuitePush{SuiteID: s.SuiteID, InfoType: "suite_ticket", SuiteTicket: ticket, Result: res}, nil
}

// InstallRequest is a test corp installing a suite (授权安装).
type InstallRequest struct {
	SuiteID string `json:"suiteId"` // default: the first suite
	CorpID  string `json:"corpId"`  // default (and only choice): the fixture corp
	// PreAuthCode, when set, must be a valid pre_auth_code of the suite (as
	// when the admin opens the install URL); its auth_type is kept.
	PreAuthCode string `json:"preAuthCode"`
	State       string `json:"state"`
	URL         string `json:"url"` // overrides the suite's callback URL
}

// InstallSuite lets the fixture corp install a suite: it issues an auth_code
// (10 minutes, single use) and pushes create_auth with it and State.
func (e *Emulator) InstallSuite(ctx context.Context, req InstallRequest) (*SuitePush, error) {
	e.mu.Lock()
	su, err := e.pickSuite(req.SuiteID)
	if err != nil {
		e.mu.Unlock()
		return nil, err
	}
	s := *su
	if req.CorpID != "" && req.CorpID != e.fx.WeCom.CorpID {
		e.mu.Unlock()
		return nil, fmt.Errorf("emulator: corp %q cannot install: the emulator has one test corp, %s", req.CorpID, e.fx.WeCom.CorpID)
	}
	authType := 0
	if req.PreAuthCode != "" {
		r := e.st.PreAuthCodes[req.PreAuthCode]
		if r == nil || r.Suite != s.SuiteID || !e.now().Before(r.Expires) {
			e.mu.Unlock()
			return nil, errors.New("emulator: preAuthCode is unknown, of another suite or expired (1200 s); get a new one with get_pre_auth_code")
		}
		authType = r.AuthType
	}
	code := randString(64, alnum+"-_")
	now := e.now()
	e.st.AuthCodes[code] = &suiteCodeRec{Suite: s.SuiteID, Corp: e.fx.WeCom.CorpID, State: req.State, AuthType: authType, Expires: now.Add(authCodeTTL)}
	e.dirty = true
	e.mu.Unlock()
	e.persistIfDirty()
	ts := strconv.FormatInt(now.Unix(), 10)
	fields := [][2]string{{"AuthCode", code}}
	if req.State != "" {
		fields = append(fields, [2]string{"State", req.State})
	}
	res, err := e.pushSuite(ctx, s, req.URL, suiteXML(s, "create_auth", ts, fields...), ts)
	if err != nil {
		return nil, err
	}
	return &SuitePush{SuiteID: s.SuiteID, InfoType: "create_auth", AuthCode: code, CorpID: e.Fixture().WeCom.CorpID, Result: res}, nil
}

// CancelSuiteAuth cancels the fixture corp's grant to a suite: its
// permanent_code and corp tokens stop working (40084, 40014) and cancel_auth
// is pushed.
func (e *Emulator) CancelSuiteAuth(ctx context.Context, suiteID, url string) (*SuitePush, error) {
	e.mu.Lock()
	su, err := e.pickSuite(suiteID)
	if err != nil {
		e.mu.Unlock()
		return nil, err
	}
	s := *su
	corp := e.fx.WeCom.CorpID
	a := e.st.SuiteAuths[s.SuiteID+"|"+corp]
	if a == nil || a.Cancelled {
		e.mu.Unlock()
		return nil, fmt.Errorf("emulator: corp %s has no active authorization of suite %s to cancel", corp, s.SuiteID)
	}
	a.Cancelled = true
	e.dropCorpTokens(su)
	e.dirty = true
	now := e.now()
	e.mu.Unlock()
	e.persistIfDirty()
	ts := strconv.FormatInt(now.Unix(), 10)
	res, err := e.pushSuite(ctx, s, url, suiteXML(s, "cancel_auth", ts, [2]string{"AuthCorpId", corp}), ts)
	if err != nil {
		return nil, err
	}
	return &SuitePush{SuiteID: s.SuiteID, InfoType: "cancel_auth", CorpID: corp, Result: res}, nil
}

// ChangeSuiteAuth pushes change_auth for the fixture corp's active grant, as
// when the corp's admin changes the authorised scope; the provider is
// expected to call get_auth_info again. The emulated grant itself does not
// change.
func (e *Emulator) ChangeSuiteAuth(ctx context.Context, suiteID, url string) (*SuitePush, error) {
	e.mu.Lock()
	su, err := e.pickSuite(suiteID)
	if err != nil {
		e.mu.Unlock()
		return nil, err
	}
	s := *su
	corp := e.fx.WeCom.CorpID
	if a := e.st.SuiteAuths[s.SuiteID+"|"+corp]; a == nil || a.Cancelled {
		e.mu.Unlock()
		return nil, fmt.Errorf("emulator: corp %s has no active authorization of suite %s to change; install it first (POST /__emulator/suite/install)", corp, s.SuiteID)
	}
	now := e.now()
	e.mu.Unlock()
	ts := strconv.FormatInt(now.Unix(), 10)
	res, err := e.pushSuite(ctx, s, url, suiteXML(s, "change_auth", ts, [2]string{"AuthCorpId", corp}), ts)
	if err != nil {
		return nil, err
	}
	return &SuitePush{SuiteID: s.SuiteID, InfoType: "change_auth", CorpID: corp, Result: res}, nil
}

// suiteTicker pushes suite_tickets every 10 minutes while a Server runs.
type suiteTicker struct {
	mu   sync.Mutex
	stop chan struct{}
	done chan struct{}
}

// startSuiteTickets starts the periodic suite_ticket pushes (wall clock),
// like the platform's every-10-minutes schedule. The first push is one
// interval after the start; ask for one sooner through the admin API.
func (e *Emulator) startSuiteTickets(every time.Duration) {
	p := &e.suiteTick
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop != nil || every <= 0 {
		return
	}
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	go func(stop, done chan struct{}) {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			e.mu.Lock()
			suites := append([]Suite(nil), e.fx.Suites...)
			e.mu.Unlock()
			for _, su := range suites {
				if su.CallbackURL == "" {
					continue
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				if _, err := e.PushSuiteTicket(ctx, su.SuiteID, ""); err != nil {
					e.log.Warn("emulator: suite_ticket push failed", "suite", su.SuiteID, "error", err.Error())
				}
				cancel()
			}
		}
	}(p.stop, p.done)
}

// stopSuiteTickets stops the periodic pushes and waits for one in flight.
func (e *Emulator) stopSuiteTickets() {
	p := &e.suiteTick
	p.mu.Lock()
	stop, done := p.stop, p.done
	p.stop = nil
	p.mu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
}

type suiteAdminBody struct {
	SuiteID string `json:"suiteId"`
	URL     string `json:"url"`
}

func (q *request) suitePushResult(p *SuitePush, err error) {
	if err != nil {
		q.adminError(http.StatusBadRequest, err.Error())
		return
	}
	r := p.Result
	q.adminResult(r.Error == "" && r.Status == http.StatusOK, p)
}

// adminSuiteTicketPost serves POST /__emulator/suite/ticket.
func adminSuiteTicketPost(q *request) {
	var b suiteAdminBody
	if !q.adminDecodeOptional(&b) {
		return
	}
	q.suitePushResult(q.e.PushSuiteTicket(q.r.Context(), b.SuiteID, b.URL))
}

// adminSuiteInstallPost serves POST /__emulator/suite/install.
func adminSuiteInstallPost(q *request) {
	var b InstallRequest
	if !q.adminDecodeOptional(&b) {
		return
	}
	q.suitePushResult(q.e.InstallSuite(q.r.Context(), b))
}

// adminSuiteChangePost serves POST /__emulator/suite/change.
func adminSuiteChangePost(q *request) {
	var b suiteAdminBody
	if !q.adminDecodeOptional(&b) {
		return
	}
	q.suitePushResult(q.e.ChangeSuiteAuth(q.r.Context(), b.SuiteID, b.URL))
}

// adminSuiteCancelPost serves POST /__emulator/suite/cancel.
func adminSuiteCancelPost(q *request) {
	var b suiteAdminBody
	if !q.adminDecodeOptional(&b) {
		return
	}
	q.suitePushResult(q.e.CancelSuiteAuth(q.r.Context(), b.SuiteID, b.URL))
}
