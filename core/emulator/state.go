package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// state is everything the emulator remembers between calls. It is what
// --data persists (the fixture is not: it comes from the fixture file).
type state struct {
	Tokens         map[string]*tokenRec       `json:"tokens"`         // access_token → record
	Current        map[string]string          `json:"current"`        // app key → its newest token
	Tickets        map[string]*tokenRec       `json:"tickets"`        // ticket → record (App is app key + "|" + kind)
	CurrentTickets map[string]string          `json:"currentTickets"` // app key|kind → newest ticket
	Codes          map[string]*codeRec        `json:"codes"`          // OAuth codes
	SNSTokens      map[string]*snsRec         `json:"snsTokens"`      // MP web access tokens
	SNSRefresh     map[string]*snsRec         `json:"snsRefresh"`     // MP refresh tokens
	Media          map[string]*mediaRec       `json:"media"`
	Outbox         []OutboxMessage            `json:"outbox"`
	Menus          map[string]json.RawMessage `json:"menus"` // "wecom:AGENTID" or "mp"
	QRCodes        map[string]*qrRec          `json:"qrcodes"`
	Interactions   map[string]*interaction    `json:"interactions"` // MP openid → customer-service windows
	UserTickets    map[string]*userTicketRec  `json:"userTickets"`  // WeCom user_ticket → member
	CardCodes      map[string]*cardCodeRec    `json:"cardCodes"`    // template card response_code → the card it updates
	AppChats       map[string]*appChatRec     `json:"appChats"`     // chatid → group chat an app created
	Seq            int64                      `json:"seq"`

	// The provider platform (第三方应用).
	SuiteTickets map[string]*suiteCodeRec `json:"suiteTickets"` // suite_ticket → suite
	PreAuthCodes map[string]*suiteCodeRec `json:"preAuthCodes"`
	AuthCodes    map[string]*suiteCodeRec `json:"authCodes"`
	SuiteAuths   map[string]*suiteAuth    `json:"suiteAuths"` // suite id|corp id → grant
	// CondMenus are the MP personalised menus (个性化菜单), oldest first.
	CondMenus []*condMenu `json:"condMenus,omitempty"`
	MPMenuID  int64       `json:"mpMenuId,omitempty"` // the default menu's menuid, given once personalised menus exist
	// Materials are the MP permanent materials (永久素材) by media_id; their
	// bytes are kept like media bytes.
	Materials map[string]*materialRec `json:"materials"`
}

func newState() *state {
	s := &state{}
	s.init()
	return s
}

// init fills nil maps (after loading an older or partial state file).
func (s *state) init() {
	if s.Tokens == nil {
		s.Tokens = map[string]*tokenRec{}
	}
	if s.Current == nil {
		s.Current = map[string]string{}
	}
	if s.Tickets == nil {
		s.Tickets = map[string]*tokenRec{}
	}
	if s.CurrentTickets == nil {
		s.CurrentTickets = map[string]string{}
	}
	if s.Codes == nil {
		s.Codes = map[string]*codeRec{}
	}
	if s.SNSTokens == nil {
		s.SNSTokens = map[string]*snsRec{}
	}
	if s.SNSRefresh == nil {
		s.SNSRefresh = map[string]*snsRec{}
	}
	if s.Media == nil {
		s.Media = map[string]*mediaRec{}
	}
	if s.Menus == nil {
		s.Menus = map[string]json.RawMessage{}
	}
	if s.QRCodes == nil {
		s.QRCodes = map[string]*qrRec{}
	}
	if s.Interactions == nil {
		s.Interactions = map[string]*interaction{}
	}
	if s.SuiteTickets == nil {
		s.SuiteTickets = map[string]*suiteCodeRec{}
	}
	if s.PreAuthCodes == nil {
		s.PreAuthCodes = map[string]*suiteCodeRec{}
	}
	if s.AuthCodes == nil {
		s.AuthCodes = map[string]*suiteCodeRec{}
	}
	if s.SuiteAuths == nil {
		s.SuiteAuths = map[string]*suiteAuth{}
	}
	if s.UserTickets == nil {
		s.UserTickets = map[string]*userTicketRec{}
	}
	if s.CardCodes == nil {
		s.CardCodes = map[string]*cardCodeRec{}
	}
	if s.AppChats == nil {
		s.AppChats = map[string]*appChatRec{}
	}
	if s.Materials == nil {
		s.Materials = map[string]*materialRec{}
	}
}

type tokenRec struct {
	App        string    `json:"app"`
	Issued     time.Time `json:"issued"`
	Expires    time.Time `json:"expires"`
	Superseded bool      `json:"superseded,omitempty"` // MP: a newer token was issued
}

type codeRec struct {
	Platform string    `json:"platform"` // wecom or mp
	UserID   string    `json:"userid,omitempty"`
	OpenID   string    `json:"openid,omitempty"`
	Scope    string    `json:"scope"`
	AgentID  int64     `json:"agentId,omitempty"`
	Expires  time.Time `json:"expires"`
	Used     bool      `json:"used"`
}

// interaction holds the customer-service message (客服消息) windows a
// follower opened: a message allows 5 replies within 48 h, an event (follow,
// menu click, QR scan) 3 replies within 1 minute.
type interaction struct {
	Msg   csWindow `json:"msg"`
	Event csWindow `json:"event"`
}

type csWindow struct {
	Start time.Time `json:"start"`
	Used  int       `json:"used"`
}

// Customer-service windows.
const (
	msgWindow   = 48 * time.Hour
	msgQuota    = 5
	eventWindow = time.Minute
	eventQuota  = 3
)

type snsRec struct {
	OpenID  string    `json:"openid"`
	Scope   string    `json:"scope"`
	Expires time.Time `json:"expires"`
}

type mediaRec struct {
	Platform    string    `json:"platform"`        // wecom, mp, or robot (webhook/upload_media)
	Robot       string    `json:"robot,omitempty"` // fingerprint of the uploading robot's key: its media_id works only with it
	Type        string    `json:"type"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"contentType"`
	Data        []byte    `json:"-"` // persisted in dataDir/media/<id>, not in state.json
	Created     time.Time `json:"created"`
}

type qrRec struct {
	Ticket     string    `json:"ticket"`
	ActionName string    `json:"actionName"`
	SceneID    int64     `json:"sceneId,omitempty"`
	SceneStr   string    `json:"sceneStr,omitempty"`
	Expires    time.Time `json:"expires,omitempty"` // zero for permanent codes
	URL        string    `json:"url"`
}

func (q *qrRec) scene() string {
	if q.SceneStr != "" {
		return q.SceneStr
	}
	return fmt.Sprint(q.SceneID)
}

// OutboxMessage is one message an app sent to users (message/send,
// message/template/send, message/custom/send), as GET /__emulator/outbox
// lists it.
type OutboxMessage struct {
	Platform string          `json:"platform"` // wecom or mp
	API      string          `json:"api"`      // the path that sent it
	AgentID  int64           `json:"agentId,omitempty"`
	MsgID    string          `json:"msgid"`
	ToUsers  []string        `json:"toUsers"`           // resolved recipients (userids or openids)
	Dropped  []string        `json:"dropped,omitempty"` // over the per-member frequency limit, silently not delivered
	MsgType  string          `json:"msgtype"`
	Body     json.RawMessage `json:"body"`
	Time     time.Time       `json:"time"`
	Recalled bool            `json:"recalled,omitempty"` // message/recall was called for it
	// ChatID is the group chat (appchat/send) the message went to.
	ChatID string `json:"chatId,omitempty"`
	// Robot names the group robot (webhook/send) that posted it; never
	// its key, which is a secret.
	Robot string `json:"robot,omitempty"`
	// Mentioned lists who a robot text message mentions (@): userids,
	// mobiles, or "@all".
	Mentioned []string `json:"mentioned,omitempty"`
	// Updates is the msgid of the template card an
	// update_template_card changed.
	Updates string `json:"updates,omitempty"`
}

// appKey names an app for token bookkeeping: tokens are per app, never per corp.
func wecomKey(agentID int64) string { return fmt.Sprintf("wecom:%d", agentID) }

const (
	mpKey       = "mp"        // cgi-bin/token
	mpStableKey = "mp-stable" // cgi-bin/stable_token, isolated from cgi-bin/token
)

func isMPApp(app string) bool { return app == mpKey || app == mpStableKey }

var mpTokenShape = regexp.MustCompile(`^[0-9]{2}_[A-Za-z0-9_-]{100,}$`)

// issueToken returns the app's token: WeCom returns the same token until it
// expires; MP issues a new one on every call and keeps the previous valid for
// five more minutes. Callers hold e.mu.
func (e *Emulator) issueToken(app string) (string, time.Duration) {
	now := e.now()
	ttl := e.cfg.ttl
	cur := e.st.Current[app]
	// The same token is reused while at least a whole second of it is left,
	// and its lifetime is rounded down: expires_in never promises more than
	// the token has (rounding to nearest answered expires_in 0, or 1 for a
	// token with 0.6 s left, in its last second).
	if rec, ok := e.st.Tokens[cur]; ok && app != mpKey && !rec.Superseded && rec.Expires.Sub(now) >= time.Second {
		return cur, rec.Expires.Sub(now).Truncate(time.Second)
	}
	if rec, ok := e.st.Tokens[cur]; ok && app == mpKey && now.Before(rec.Expires) {
		rec.Superseded = true
		if limit := now.Add(mpTokenOverlap); limit.Before(rec.Expires) {
			rec.Expires = limit
		}
	}
	var tok string
	if isMPApp(app) {
		tok = "86_" + randString(136, alnum+"-_")
	} else {
		tok = randString(214, alnum+"-_")
	}
	e.st.Tokens[tok] = &tokenRec{App: app, Issued: now, Expires: now.Add(ttl)}
	e.st.Current[app] = tok
	e.sweep(now)
	e.dirty = true
	return tok, ttl
}

// issueTicket returns the current ticket of kind for app, issuing a new one
// when there is none or it expired.
func (e *Emulator) issueTicket(app, kind string) (string, time.Duration) {
	now := e.now()
	key := app + "|" + kind
	if t := e.st.CurrentTickets[key]; t != "" {
		if rec, ok := e.st.Tickets[t]; ok && rec.Expires.Sub(now) >= time.Second {
			return t, rec.Expires.Sub(now).Truncate(time.Second) // as for tokens
		}
	}
	var t string
	if app == mpKey {
		t = "kgt8ON7yVITDhtdwci0qe" + randString(65, alnum+"-_")
	} else {
		t = "HoagFKDcsGMVCIY2vOjf9" + randString(72, alnum+"-_")
	}
	e.st.Tickets[t] = &tokenRec{App: key, Issued: now, Expires: now.Add(e.cfg.ttl)}
	e.st.CurrentTickets[key] = t
	e.dirty = true
	return t, e.cfg.ttl
}

// validTickets returns the tickets of app|kind that are valid now.
func (e *Emulator) validTickets(app, kind string) []string {
	now := e.now()
	var out []string
	for t, rec := range e.st.Tickets {
		if rec.App == app+"|"+kind && now.Before(rec.Expires) {
			out = append(out, t)
		}
	}
	return out
}

// sweep drops records that expired more than a day ago, bounding memory.
func (e *Emulator) sweep(now time.Time) {
	old := now.Add(-24 * time.Hour)
	for k, r := range e.st.Tokens {
		if r.Expires.Before(old) {
			delete(e.st.Tokens, k)
		}
	}
	for k, r := range e.st.Tickets {
		if r.Expires.Before(old) {
			delete(e.st.Tickets, k)
		}
	}
	for k, r := range e.st.Codes {
		if !r.Expires.After(now) {
			delete(e.st.Codes, k)
		}
	}
	for k, r := range e.st.SNSTokens {
		if r.Expires.Before(old) {
			delete(e.st.SNSTokens, k)
		}
	}
	for k, r := range e.st.SNSRefresh {
		if r.Expires.Before(old) {
			delete(e.st.SNSRefresh, k)
		}
	}
	for k, r := range e.st.QRCodes {
		if !r.Expires.IsZero() && r.Expires.Before(old) {
			delete(e.st.QRCodes, k)
		}
	}
	for k, r := range e.st.Media {
		if r.Created.Add(mediaTTL).Before(old) {
			e.dropMedia(k)
		}
	}
}

// maxOutbox bounds the outbox; the oldest messages are dropped first.
const maxOutbox = 10000

// addOutbox records a sent message. Callers hold e.mu.
func (e *Emulator) addOutbox(m OutboxMessage) {
	if len(e.st.Outbox) >= maxOutbox {
		// Drop the oldest tenth at once, so a full outbox is copied once
		// per thousand messages rather than on every message.
		keep := maxOutbox * 9 / 10
		e.st.Outbox = append([]OutboxMessage(nil), e.st.Outbox[len(e.st.Outbox)-keep:]...)
	}
	e.st.Outbox = append(e.st.Outbox, m)
	e.dirty = true
}

// InvalidateTokens drops access tokens and tickets so the next API call with
// them answers 40014 (WeCom) or 40001 (MP), as when Tencent invalidates a
// token early. platform is "wecom", "mp" or "" for both; agentID 0 means
// every WeCom app.
func (e *Emulator) InvalidateTokens(platform string, agentID int64) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	match := func(app string) bool {
		switch {
		case isMPApp(app):
			return platform == "" || platform == "mp"
		case platform == "" || platform == "wecom":
			return agentID == 0 || app == wecomKey(agentID)
		}
		return false
	}
	for t, rec := range e.st.Tokens {
		if match(rec.App) {
			delete(e.st.Tokens, t)
			n++
		}
	}
	for app := range e.st.Current {
		if match(app) {
			delete(e.st.Current, app)
		}
	}
	e.dirty = true
	return n
}

// ExpireTokens moves every token's expiry to now, so the next call answers
// 42001 (access_token expired).
func (e *Emulator) ExpireTokens() {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	for _, rec := range e.st.Tokens {
		if rec.Expires.After(now) {
			rec.Expires = now
		}
	}
	e.dirty = true
}

// nextMsgID returns a fresh numeric message id.
func (e *Emulator) nextMsgID() int64 {
	e.st.Seq++
	return 7000000000000000000 + e.st.Seq*1000 + int64(e.now().Unix()%1000)
}

// persisted is the on-disk form of the state.
type persisted struct {
	Version int    `json:"version"`
	State   *state `json:"state"`
}

func (e *Emulator) statePath() string { return filepath.Join(e.cfg.dataDir, "state.json") }

// load reads dataDir/state.json and dataDir/directory.json if they exist.
func (e *Emulator) load() error {
	if err := os.MkdirAll(e.cfg.dataDir, 0o700); err != nil {
		return fmt.Errorf("emulator: creating data dir: %w", err)
	}
	if err := e.loadDirectory(); err != nil {
		return err
	}
	data, err := os.ReadFile(e.statePath())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("emulator: reading state: %w", err)
	}
	var p persisted
	if err := json.Unmarshal(data, &p); err != nil || p.State == nil {
		return fmt.Errorf("emulator: %s is not a state file written by the emulator; move it away or pick another --data dir", e.statePath())
	}
	p.State.init()
	for id, m := range p.State.Media {
		data, err := os.ReadFile(e.mediaPath(id))
		if err != nil {
			delete(p.State.Media, id) // its file is gone: the media expired or was removed
			continue
		}
		m.Data = data
	}
	for id, m := range p.State.Materials {
		data, err := os.ReadFile(e.mediaPath(id))
		if err != nil {
			delete(p.State.Materials, id)
			continue
		}
		m.Data = data
	}
	e.st = p.State
	return nil
}

// mediaPath is where --data keeps the bytes of media id (ids are
// [A-Za-z0-9_-] only, so they are safe file names).
func (e *Emulator) mediaPath(id string) string {
	return filepath.Join(e.cfg.dataDir, "media", filepath.Base(id))
}

// saveMedia writes media bytes to the data dir, atomically.
func (e *Emulator) saveMedia(id string, data []byte) error {
	dir := filepath.Join(e.cfg.dataDir, "media")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "upload-*.tmp")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), e.mediaPath(id)); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// dropMedia forgets media id and removes its file. Callers hold e.mu.
func (e *Emulator) dropMedia(id string) {
	delete(e.st.Media, id)
	if e.cfg.dataDir != "" {
		os.Remove(e.mediaPath(id))
	}
}

// persistIfDirty writes the state atomically when a call changed it.
//
// Writes are at most persistInterval apart: a burst of calls schedules one
// write at the end of the interval instead of rewriting the file per call.
func (e *Emulator) persistIfDirty() {
	if e.cfg.dataDir == "" {
		return
	}
	e.mu.Lock()
	if !e.dirty || e.flushPending {
		e.mu.Unlock()
		return
	}
	if wait := persistInterval - time.Since(e.lastFlush); wait > 0 {
		e.flushPending = true
		time.AfterFunc(wait, e.Flush)
		e.mu.Unlock()
		return
	}
	e.mu.Unlock()
	e.Flush()
}

// persistInterval is the shortest time between two state file writes.
const persistInterval = 200 * time.Millisecond

// Flush writes pending state to the data dir now (a no-op without
// WithDataDir). Server.Close calls it; users of New with a data dir call it
// before exiting.
func (e *Emulator) Flush() {
	if e.cfg.dataDir == "" {
		return
	}
	// persistMu orders the writes: the file never goes back to older state.
	e.persistMu.Lock()
	defer e.persistMu.Unlock()
	e.mu.Lock()
	e.flushPending = false
	if !e.dirty {
		e.mu.Unlock()
		return
	}
	e.dirty = false
	e.lastFlush = time.Now()
	data, err := json.Marshal(persisted{Version: 1, State: e.st})
	dir, derr := e.encodeDirectory()
	e.mu.Unlock()
	if derr != nil {
		e.log.Error("emulator: encoding the directory", "err", derr)
	} else if dir != nil {
		if err := writePrivate(e.directoryPath(), dir); err != nil {
			// Keep it pending: the next change or Flush tries again.
			e.mu.Lock()
			e.dirDirty, e.dirty = true, true
			e.mu.Unlock()
			e.log.Error("emulator: saving the directory", "file", e.directoryPath(), "err", err)
		}
	}
	if err != nil {
		e.log.Error("emulator: encoding state", "err", err)
		return
	}
	tmp, err := os.CreateTemp(e.cfg.dataDir, "state-*.tmp")
	if err != nil {
		e.log.Error("emulator: saving state", "err", err)
		return
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		e.log.Error("emulator: saving state", "err", errors.Join(werr, cerr))
		return
	}
	if err := os.Rename(tmp.Name(), e.statePath()); err != nil {
		os.Remove(tmp.Name())
		e.log.Error("emulator: saving state", "err", err)
	}
}
