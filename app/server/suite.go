package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wwkit/wwkit/app/inbox"
	"github.com/wwkit/wwkit/app/suite"
	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/callback"
	"github.com/wwkit/wwkit/core/message"
	"github.com/wwkit/wwkit/core/token"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// PlatformSuite is the inbox platform of a suite's instruction callbacks.
const PlatformSuite = "suite"

// Suite is a service provider's third-party app (服务商 / 第三方应用) the
// server is the callback URL of. Its instruction callback (指令回调,
// receiveid = SuiteID) is /suite/NAME/callback: the server stores every
// pushed suite_ticket, exchanges the auth_code of create_auth for the
// corp's permanent code (永久授权码), re-reads change_auth and marks
// cancel_auth. Its data callback (数据回调, receiveid = the authorised
// corp's CorpID) is /suite/NAME/data. The signature endpoints sign for an
// authorised corp with ?profile=NAME&corp=CORPID.
type Suite struct {
	Name           string
	SuiteID        string
	Secret         string // suite Secret; never logged nor shown
	Token          string // suite callback Token
	EncodingAESKey string // suite callback EncodingAESKey
	// TrustedDomains are the hosts pages of the suite's app may be signed
	// for, in every authorised corp.
	TrustedDomains []string
	APIBaseURL     string // "" for Tencent's host
	// Store is where the suite_ticket and the suite and corp tokens are
	// cached (memory when nil); a shared one (file, Redis) lets other
	// processes use the ticket this server received.
	Store token.Store
	// Debug adds the string to sign to the signature answers (see
	// Profile.Debug).
	Debug bool
	// Emulated marks the emulator's suite: its credentials are public, so
	// callbacks come from this machine only (see Config.EmulatorLAN).
	Emulated bool
}

// suiteRT is a served suite with its crypto, API client and durable state.
type suiteRT struct {
	Suite
	crypt *wxcrypt.Crypt // receiveid = SuiteID
	data  *wxcrypt.Crypt // receiveid checked after decryption (a corp id)
	api   *api.Suite
	state *suite.Store

	mu    sync.Mutex
	corps map[string]*profile // signing profiles of authorised corps, by corp id + code fingerprint
}

var suiteNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func (s *Server) buildSuite(sf Suite, hc *http.Client) (*suiteRT, error) {
	if !suiteNameRE.MatchString(sf.Name) {
		return nil, fmt.Errorf("server: suite name %q: use letters, digits, - or _", sf.Name)
	}
	if sf.SuiteID == "" || sf.Secret == "" {
		return nil, fmt.Errorf("server: suite %s needs its SuiteID and suite Secret", sf.Name)
	}
	su := &suiteRT{Suite: sf, corps: map[string]*profile{}}
	var err error
	if su.crypt, err = wxcrypt.New(sf.Token, sf.EncodingAESKey, sf.SuiteID); err != nil {
		return nil, fmt.Errorf("server: suite %s: callback settings: %w", sf.Name, err)
	}
	if su.data, err = wxcrypt.New(sf.Token, sf.EncodingAESKey, ""); err != nil {
		return nil, fmt.Errorf("server: suite %s: callback settings: %w", sf.Name, err)
	}
	opts := []api.Option{api.WithHTTPClient(hc), api.WithLogger(s.log), api.WithCallObserver(s.calls.Add), api.WithClock(s.now)}
	if sf.APIBaseURL != "" {
		opts = append(opts, api.WithBaseURL(sf.APIBaseURL))
	}
	if sf.Store != nil {
		opts = append(opts, api.WithStore(sf.Store))
	}
	if su.api, err = api.NewSuite(api.SuiteApp{SuiteID: sf.SuiteID, Secret: sf.Secret}, opts...); err != nil {
		return nil, fmt.Errorf("server: suite %s: %w", sf.Name, err)
	}
	if su.state, err = suite.Open(s.cfg.DataDir, sf.SuiteID); err != nil {
		return nil, err
	}
	// A restarted server (memory store) keeps using the ticket it stored
	// before, while it is valid.
	if t, _, err := su.state.Ticket(s.now()); err == nil {
		if _, err := su.api.Ticket(context.Background()); err != nil {
			if err := su.api.SetTicket(context.Background(), t); err != nil {
				s.log.Warn("server: the stored suite_ticket could not be handed to the suite client", "suite", sf.Name, "err", err)
			}
		}
	}
	return su, nil
}

// Suites returns the served suites, by name.
func (s *Server) Suites() []Suite {
	names := make([]string, 0, len(s.suites))
	for n := range s.suites {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]Suite, len(names))
	for i, n := range names {
		out[i] = s.suites[n].Suite
		out[i].Secret, out[i].Token, out[i].EncodingAESKey, out[i].Store = "", "", "", nil
	}
	return out
}

// suiteFor returns the suite named by the {suite} path value.
func (s *Server) suiteFor(w http.ResponseWriter, r *http.Request) (*suiteRT, bool) {
	su, ok := s.suites[r.PathValue("suite")]
	if !ok {
		names := make([]string, 0, len(s.suites))
		for n := range s.suites {
			names = append(names, n)
		}
		sort.Strings(names)
		s.reject(w, r, nil, rejection{kind: RejectProfile, status: http.StatusNotFound, verdict: VerdictUnknownProfile,
			logMsg: "server: suite callback for an unknown suite rejected; check the callback URL", answer: "server: unknown suite; see GET /api/suites",
			detail: "the callback URL names no suite this server serves (" + strings.Join(names, ", ") + "); set it to /suite/NAME/callback"})
		return nil, false
	}
	if su.Emulated && !s.cfg.EmulatorLAN && !loopbackPeer(r) {
		s.reject(w, r, nil, rejection{kind: RejectPeer, status: http.StatusForbidden, verdict: VerdictLANPeer,
			logMsg: "server: emulator-mode suite callback from another machine refused",
			answer: "server: the emulator's suite takes callbacks from this machine only (its credentials are public); pass wwkit serve --emulator-lan to accept them from the LAN"})
		return nil, false
	}
	return su, true
}

// handleSuiteCallback is the suite's instruction callback URL (指令回调):
// the URL check, then suite_ticket, create_auth, change_auth, cancel_auth,
// reset_permanent_code and the rest, each answered with "success" once it
// is stored (anything else makes the platform push again).
func (s *Server) handleSuiteCallback(w http.ResponseWriter, r *http.Request) {
	su, ok := s.suiteFor(w, r)
	if !ok {
		return
	}
	if r.Method == http.MethodGet {
		out, err := callback.VerifyURL(su.crypt, false, r.URL.Query(), s.now(), s.cfg.MaxSkew)
		if err != nil {
			s.rejectSuite(w, r, nil, err)
			return
		}
		s.log.Info("server: suite callback URL verified", "suite", su.Name)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(out)
		return
	}
	body, ok := s.readCallbackBody(w, r)
	if !ok {
		return
	}
	req, err := callback.Open(su.crypt, false, r.URL.Query(), body, s.now(), s.cfg.MaxSkew)
	if err != nil {
		s.rejectSuite(w, r, body, err)
		return
	}
	m, err := callback.ParseMessage(req.Plain)
	if err != nil {
		s.rejectSuite(w, r, body, err)
		return
	}
	info, ok := m.Body.(*message.SuiteInfo)
	if !ok {
		s.rejectSuite(w, r, body, &callback.Error{Kind: callback.KindMessage, Status: http.StatusBadRequest,
			Err:    errors.New("server: the suite instruction callback carries no InfoType"),
			Detail: "decrypted, but the message has no InfoType: app messages and events go to the data callback URL /suite/" + su.Name + "/data"})
		return
	}
	if info.SuiteID != "" && info.SuiteID != su.SuiteID {
		s.rejectSuite(w, r, body, &callback.Error{Kind: callback.KindMessage, Status: http.StatusBadRequest,
			Err:    errors.New("server: the instruction callback is for another suite"),
			Detail: "SuiteId " + clip(info.SuiteID) + " is not " + su.SuiteID + ": two suites share one Token and EncodingAESKey and this URL"})
		return
	}
	if err := s.applySuiteInfo(r.Context(), su, info); err != nil {
		// Not acknowledged: the platform pushes again.
		s.log.Error("server: handling the suite instruction failed; not acknowledged, so the platform pushes again",
			"suite", su.Name, "infoType", info.InfoType, "corp", info.AuthCorpID, "err", err)
		http.Error(w, "server: handling the instruction failed", http.StatusInternalServerError)
		return
	}
	rec := inbox.Record{Key: suiteKey(su.Name, info, req.Plain), Profile: su.Name, Platform: PlatformSuite, ReceivedAt: s.now(),
		MsgType: "suite", Event: info.InfoType, From: info.AuthCorpID, To: su.SuiteID, CreateTime: info.TimeStamp,
		XML: maskSuiteXML(string(req.Plain)), Reply: message.SuiteAck}
	// The inbox's journal writer publishes a new record to the live views.
	if _, _, err := s.inbox.Put(r.Context(), rec); err != nil {
		s.log.Error("server: storing the suite instruction in the inbox failed; it was handled", "suite", su.Name, "err", err)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, message.SuiteAck)
}

// applySuiteInfo does what an instruction asks, durably, before it is
// acknowledged.
func (s *Server) applySuiteInfo(ctx context.Context, su *suiteRT, info *message.SuiteInfo) error {
	now := s.now()
	switch info.InfoType {
	case message.InfoSuiteTicket:
		if err := su.state.SetTicket(info.SuiteTicket, now); err != nil {
			return err
		}
		if err := su.api.SetTicket(ctx, info.SuiteTicket); err != nil {
			return err
		}
		s.log.Info("server: suite_ticket stored", "suite", su.Name, "ticket", token.Fingerprint(info.SuiteTicket))
	case message.InfoCreateAuth, message.InfoResetPermanentCode:
		if info.AuthCode == "" {
			// Nothing to exchange, now or on a push again: acknowledged.
			s.log.Error("server: "+info.InfoType+" without AuthCode acknowledged; there is no auth_code to exchange for a permanent code (the push is malformed)",
				"suite", su.Name, "corp", info.AuthCorpID)
			return nil
		}
		return s.exchangeAuthCode(ctx, su, info.AuthCode, now)
	case message.InfoChangeAuth:
		return s.refreshAuthInfo(ctx, su, info.AuthCorpID, now)
	case message.InfoCancelAuth:
		if info.AuthCorpID == "" {
			s.log.Error("server: cancel_auth without AuthCorpId acknowledged; it names no corp to cancel (the push is malformed)", "suite", su.Name)
			return nil
		}
		if err := su.state.CancelCorp(info.AuthCorpID, now); err != nil {
			return err
		}
		su.dropCorp(info.AuthCorpID)
		s.log.Info("server: corp cancelled the authorisation", "suite", su.Name, "corp", info.AuthCorpID)
	}
	return nil
}

// exchangeAuthCode turns the auth_code of create_auth (or
// reset_permanent_code) into the corp's permanent code and stores it. An
// auth_code is single use: a redelivered push whose code was already
// exchanged is acknowledged without a second call.
func (s *Server) exchangeAuthCode(ctx context.Context, su *suiteRT, code string, now time.Time) error {
	if code == "" {
		return errors.New("server: the create_auth push has no AuthCode")
	}
	fp := token.Fingerprint(code)
	if su.state.UsedAuthCode(fp) {
		s.log.Info("server: create_auth redelivered; its auth_code was already exchanged", "suite", su.Name)
		return nil
	}
	pc, err := su.api.GetPermanentCode(ctx, &api.AuthCodeBody{AuthCode: code})
	if err != nil {
		return fmt.Errorf("get_permanent_code: %w", err)
	}
	c := suite.Corp{CorpID: pc.AuthCorpInfo.CorpID, CorpName: pc.AuthCorpInfo.CorpName, PermanentCode: pc.PermanentCode}
	if len(pc.AuthInfo.Agent) > 0 {
		c.AgentID = pc.AuthInfo.Agent[0].AgentID
	}
	if err := su.state.PutCorp(c, now, fp); err != nil {
		return err
	}
	su.dropCorp(c.CorpID)
	s.log.Info("server: corp authorised the suite; permanent code stored", "suite", su.Name, "corp", c.CorpID, "agentId", c.AgentID)
	return nil
}

// refreshAuthInfo re-reads an authorised corp's grant after change_auth
// (the agent or its visible range changed).
//
// A corp with no create_auth stored here (it installed the app before this
// server, or this data directory, received the pushes) cannot be re-read:
// get_auth_info needs its permanent code, and only an auth_code gives one.
// Refusing the push would only make the platform push it again, so it is
// acknowledged with a warning naming the corp and the fix. The same for a
// corp that cancelled: its grant is gone.
func (s *Server) refreshAuthInfo(ctx context.Context, su *suiteRT, corpID string, now time.Time) error {
	c, err := su.state.Corp(corpID)
	var unknown *suite.NotAuthorisedError
	var cancelled *suite.CancelledError
	switch {
	case corpID == "":
		s.log.Warn("server: change_auth without AuthCorpId acknowledged; nothing to re-read", "suite", su.Name)
		return nil
	case errors.As(err, &unknown):
		s.log.Warn("server: change_auth for a corp whose install this server never stored; acknowledged without get_auth_info, which needs the corp's permanent code. "+
			"Its create_auth went to another server or data directory: copy "+filepath.Base(su.state.Path())+" from that data directory into "+filepath.Dir(su.state.Path())+
			", or have the corp's admin install the app again (a new create_auth)",
			"suite", su.Name, "corp", corpID)
		return nil
	case errors.As(err, &cancelled):
		s.log.Warn("server: change_auth for a corp that cancelled the authorisation; acknowledged, nothing to re-read until it installs the app again",
			"suite", su.Name, "corp", corpID)
		return nil
	case err != nil:
		return err
	}
	ai, err := su.api.GetAuthInfo(ctx, &api.AuthCorpBody{AuthCorpID: corpID, PermanentCode: c.PermanentCode})
	if err != nil {
		return fmt.Errorf("get_auth_info: %w", err)
	}
	if err := su.state.ChangeCorp(corpID, now, func(c *suite.Corp) {
		if n := ai.AuthCorpInfo.CorpName; n != "" {
			c.CorpName = n
		}
		if len(ai.AuthInfo.Agent) > 0 {
			c.AgentID = ai.AuthInfo.Agent[0].AgentID
		}
	}); err != nil {
		return err
	}
	su.dropCorp(corpID)
	s.log.Info("server: corp changed the authorisation", "suite", su.Name, "corp", corpID)
	return nil
}

// handleSuiteData is the suite's data callback URL (数据回调): messages and
// events of the app in the authorised corps, encrypted with receiveid =
// the corp's CorpID. They go to the inbox under the profile NAME:CORPID
// and are answered with an empty body (no passive reply).
func (s *Server) handleSuiteData(w http.ResponseWriter, r *http.Request) {
	su, ok := s.suiteFor(w, r)
	if !ok {
		return
	}
	if r.Method == http.MethodGet {
		// The URL check is signed like any callback; its receiveid is the
		// SuiteID (when the data URL is saved) or an authorised corp's.
		out, err := callback.VerifyURL(su.data, false, r.URL.Query(), s.now(), s.cfg.MaxSkew)
		if err == nil {
			q := r.URL.Query()
			_, rid, oerr := su.data.Open(q.Get("echostr"))
			if oerr != nil || !su.knownReceiver(rid) {
				err = &callback.Error{Kind: callback.KindDecrypt, Status: http.StatusForbidden,
					Err:    errors.New("server: the data callback URL check is for neither this suite nor a corp that authorised it"),
					Detail: "receiveid " + clip(rid) + " is neither the SuiteID nor an authorised corp"}
			}
		}
		if err != nil {
			s.rejectSuite(w, r, nil, err)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(out)
		return
	}
	body, ok := s.readCallbackBody(w, r)
	if !ok {
		return
	}
	req, err := callback.Open(su.data, false, r.URL.Query(), body, s.now(), s.cfg.MaxSkew)
	if err != nil {
		s.rejectSuite(w, r, body, err)
		return
	}
	env, _ := wxcrypt.ParseEnvelope(body)
	_, corpID, _ := su.data.Open(env.Encrypt)
	if _, cerr := su.state.Corp(corpID); cerr != nil && corpID != su.SuiteID {
		s.rejectSuite(w, r, body, &callback.Error{Kind: callback.KindDecrypt, Status: http.StatusForbidden, Err: cerr,
			Detail: "the data callback's receiveid " + clip(corpID) + " is no corp that authorised this suite: " + cerr.Error()})
		return
	}
	m, err := callback.ParseMessage(req.Plain)
	if err != nil {
		s.rejectSuite(w, r, body, err)
		return
	}
	name := su.Name + ":" + corpID
	rec := inbox.Record{Key: dedupKey(name, m, req.Plain), Profile: name, Platform: PlatformWeCom, ReceivedAt: s.now(),
		MsgType: m.MsgType, Event: m.Event, From: m.FromUserName, To: m.ToUserName, MsgID: m.MsgIDText, AgentID: m.AgentID,
		CreateTime: m.CreateTime, XML: maskSuiteXML(string(req.Plain))}
	// The inbox's journal writer publishes a new record to the live views.
	if _, _, err := s.inbox.Put(r.Context(), rec); err != nil {
		s.log.Error("server: storing the callback failed; it was not acknowledged", "suite", su.Name, "err", err)
		http.Error(w, "server: storing the callback failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (su *suiteRT) knownReceiver(id string) bool {
	if id == su.SuiteID {
		return true
	}
	_, err := su.state.Corp(id)
	return err == nil
}

// readCallbackBody reads a callback body of at most callback.MaxBody.
func (s *Server) readCallbackBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := callback.ReadBody(w, r)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.rejectSuite(w, r, nil, &callback.Error{Kind: callback.KindTooLarge, Status: http.StatusRequestEntityTooLarge,
				Err: errors.New("callback: body larger than 1 MiB"), Detail: "the body is over 1 MiB; suite callbacks are a few KiB"})
			return nil, false
		}
		http.Error(w, "callback: reading the body failed", http.StatusBadRequest)
		return nil, false
	}
	return body, true
}

// rejectSuite records and answers a refused suite callback.
func (s *Server) rejectSuite(w http.ResponseWriter, r *http.Request, body []byte, err error) {
	var ce *callback.Error
	if !errors.As(err, &ce) {
		ce = &callback.Error{Kind: callback.KindParams, Status: http.StatusBadRequest, Err: err}
	}
	rj := rejectionOf(r, body, ce)
	if rj.detail == "" {
		rj.detail = ce.Error()
	}
	s.reject(w, r, nil, rj)
}

// suiteKey is the inbox key of an instruction: the same push delivered
// twice is one record.
func suiteKey(name string, info *message.SuiteInfo, plain []byte) string {
	sum := sha256.Sum256(plain)
	return "suite:" + name + ":" + info.InfoType + ":" + strconv.FormatInt(info.TimeStamp, 10) + ":" + info.AuthCorpID + ":" + hex.EncodeToString(sum[:8])
}

var suiteSecretRE = regexp.MustCompile(`(?s)<(SuiteTicket|AuthCode|PermanentCode)>(.*?)</(SuiteTicket|AuthCode|PermanentCode)>`)

// maskSuiteXML replaces the suite_ticket and auth codes of a callback by
// their fingerprints before it enters the inbox and the live views: with
// the suite Secret they are credentials.
func maskSuiteXML(x string) string {
	return suiteSecretRE.ReplaceAllStringFunc(x, func(el string) string {
		m := suiteSecretRE.FindStringSubmatch(el)
		v := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(m[2]), "<![CDATA["), "]]>")
		return "<" + m[1] + "><![CDATA[masked sha256:" + token.Fingerprint(v) + "]]></" + m[3] + ">"
	})
}

// dropCorp forgets the cached signing profile of a corp whose grant
// changed.
func (su *suiteRT) dropCorp(corpID string) {
	su.mu.Lock()
	defer su.mu.Unlock()
	for k := range su.corps {
		if strings.HasPrefix(k, corpID+"/") {
			delete(su.corps, k)
		}
	}
}

// corpProfile returns the signing profile of an authorised corp: its
// CorpID, the AgentID the corp gave the suite's app, the suite's trusted
// domains and a WeCom client whose access_token comes from
// get_corp_token. A corp that cancelled gets the suite.CancelledError.
func (su *suiteRT) corpProfile(corpID string) (*profile, error) {
	c, err := su.state.Corp(corpID)
	if err != nil {
		return nil, err
	}
	key := corpID + "/" + token.Fingerprint(c.PermanentCode) + "/" + strconv.FormatInt(c.AgentID, 10)
	su.mu.Lock()
	defer su.mu.Unlock()
	if p, ok := su.corps[key]; ok {
		return p, nil
	}
	cl, err := su.api.Corp(corpID, c.PermanentCode, c.AgentID)
	if err != nil {
		return nil, err
	}
	p := &profile{Profile: Profile{Name: su.Name, Platform: PlatformWeCom, CorpID: corpID, AgentID: c.AgentID,
		TrustedDomains: su.TrustedDomains, APIBaseURL: su.APIBaseURL, Debug: su.Debug, Emulated: su.Emulated}, wecom: cl}
	su.corps[key] = p
	return p, nil
}

// signProfile resolves the profile a signature request is for: a served
// profile by ?profile=, or an authorised corp of a suite by
// ?profile=SUITE&corp=CORPID. It answers the failure itself.
func (s *Server) signProfile(w http.ResponseWriter, r *http.Request) (*profile, bool) {
	q := r.URL.Query()
	name, corp := q.Get("profile"), q.Get("corp")
	su, isSuite := s.suites[name]
	if !isSuite && corp != "" && name == "" && len(s.suites) == 1 {
		for _, only := range s.suites {
			su, isSuite = only, true
		}
	}
	if !isSuite {
		if corp != "" {
			fail(w, http.StatusBadRequest, "server: ?corp= names an authorised corp of a suite; add ?profile=SUITE (see GET /api/suites)")
			return nil, false
		}
		p, ok := s.profileFor(r)
		if !ok {
			fail(w, http.StatusNotFound, "server: unknown profile; see GET /api/profiles")
		}
		return p, ok
	}
	if corp == "" {
		fail(w, http.StatusBadRequest, "server: profile "+su.Name+" is a suite (第三方应用): pass ?corp=CORPID, one of the corps that installed it (GET /api/suites lists them)")
		return nil, false
	}
	p, err := su.corpProfile(corp)
	if err != nil {
		status := http.StatusNotFound
		var ce *suite.CancelledError
		if errors.As(err, &ce) {
			status = http.StatusGone
		}
		fail(w, status, err.Error())
		return nil, false
	}
	return p, true
}

// SuiteStatus is what GET /api/suites tells about a suite: never the
// ticket, the Secret or a permanent code.
type SuiteStatus struct {
	Name          string       `json:"name"`
	SuiteID       string       `json:"suiteId"`
	CallbackURL   string       `json:"callbackURL"`
	DataURL       string       `json:"dataURL"`
	TicketAt      *time.Time   `json:"ticketAt,omitempty"`
	TicketAgeSec  int64        `json:"ticketAgeSeconds,omitempty"`
	TicketFP      string       `json:"ticketFingerprint,omitempty"`
	TicketWarning string       `json:"ticketWarning,omitempty"`
	Corps         []suite.Corp `json:"corps"`
}

// SuiteStatuses returns the served suites' status.
func (s *Server) SuiteStatuses() ([]SuiteStatus, error) {
	names := make([]string, 0, len(s.suites))
	for n := range s.suites {
		names = append(names, n)
	}
	sort.Strings(names)
	out := []SuiteStatus{}
	for _, n := range names {
		su := s.suites[n]
		st, err := su.state.Load()
		if err != nil {
			return nil, err
		}
		ss := SuiteStatus{Name: n, SuiteID: su.SuiteID, CallbackURL: s.cfg.PublicURL + "/suite/" + n + "/callback",
			DataURL: s.cfg.PublicURL + "/suite/" + n + "/data", Corps: []suite.Corp{}}
		if st.Ticket != "" {
			at := st.TicketAt
			ss.TicketAt, ss.TicketFP = &at, token.Fingerprint(st.Ticket)
			ss.TicketAgeSec = int64(s.now().Sub(at) / time.Second)
			ss.TicketWarning = suite.TicketWarning(s.now().Sub(at))
		} else {
			ss.TicketWarning = suite.ErrNoTicket.Error()
		}
		for _, c := range st.CorpList() {
			ss.Corps = append(ss.Corps, c.Public())
		}
		out = append(out, ss)
	}
	return out, nil
}

func (s *Server) handleSuites(w http.ResponseWriter, r *http.Request) {
	st, err := s.SuiteStatuses()
	if err != nil {
		fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "suites": st})
}

// SuiteCorp is an authorised corp of a served suite as an in-process
// caller (the desktop app) uses it: its CorpID, the AgentID the corp gave
// the suite's app, the suite's trusted domains and a WeCom client whose
// access_token comes from get_corp_token. An unknown suite or corp is an
// error naming it; a corp that cancelled is a *suite.CancelledError.
type SuiteCorp struct {
	CorpID         string
	AgentID        int64
	TrustedDomains []string
	Client         *api.WeCom
}

// SuiteCorp returns the authorised corp corpID of the suite named name.
func (s *Server) SuiteCorp(name, corpID string) (SuiteCorp, error) {
	su, ok := s.suites[name]
	if !ok {
		return SuiteCorp{}, fmt.Errorf("server: no suite %q is served (see GET /api/suites)", name)
	}
	p, err := su.corpProfile(corpID)
	if err != nil {
		return SuiteCorp{}, err
	}
	return SuiteCorp{CorpID: p.CorpID, AgentID: p.AgentID, TrustedDomains: append([]string(nil), p.TrustedDomains...), Client: p.wecom}, nil
}
