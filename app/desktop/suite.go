package desktop

import (
	"context"
	"errors"
	neturl "net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/app/suite"
	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/jssdk"
	"github.com/wwkit/wwkit/core/token"
)

// SuiteService shows the third-party apps (第三方应用) the dev server is the
// callback URL of: the last suite_ticket's age, the corps that installed
// the app, and signing and a test message for one of those corps.
type SuiteService struct {
	app    *App
	signer *jssdk.Signer // nil: jssdk.NewSigner()
}

// SuiteDTO is one suite: never its Secret, the ticket or a permanent code.
type SuiteDTO struct {
	Name        string `json:"name"`
	SuiteID     string `json:"suiteId"`
	CallbackURL string `json:"callbackURL"`
	DataURL     string `json:"dataURL"`
	// TicketAt is when the last suite_ticket arrived; TicketAgeSeconds its
	// age when the list was read; TicketWarning is set when it is older
	// than 20 minutes or missing.
	TicketAt          *time.Time     `json:"ticketAt,omitempty" ts_type:"string"`
	TicketAgeSeconds  int64          `json:"ticketAgeSeconds"`
	TicketFingerprint string         `json:"ticketFingerprint,omitempty"`
	TicketWarning     string         `json:"ticketWarning,omitempty"`
	Corps             []SuiteCorpDTO `json:"corps"`
}

// SuiteCorpDTO is one corp that installed a suite.
type SuiteCorpDTO struct {
	CorpID      string     `json:"corpId"`
	CorpName    string     `json:"corpName"`
	AgentID     int64      `json:"agentId"`
	State       string     `json:"state"` // active or cancelled
	InstalledAt *time.Time `json:"installedAt,omitempty" ts_type:"string"`
	CancelledAt *time.Time `json:"cancelledAt,omitempty" ts_type:"string"`
}

// List returns the suites the dev server serves (the emulator's when it
// runs in process), read from the server in process or through the
// attached server's GET /api/suites.
func (s *SuiteService) List() ([]SuiteDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	sess, err := s.app.current()
	if err != nil {
		return nil, err
	}
	var st []server.SuiteStatus
	if sess.srv != nil {
		if st, err = sess.srv.SuiteStatuses(); err != nil {
			return nil, failWrap("suite.read", err)
		}
	} else {
		var ans struct {
			Suites []server.SuiteStatus `json:"suites"`
		}
		if err := s.app.getJSON(ctx, sess.url+"/api/suites", &ans); err != nil {
			return nil, err
		}
		st = ans.Suites
	}
	out := make([]SuiteDTO, 0, len(st))
	for _, x := range st {
		d := SuiteDTO{Name: x.Name, SuiteID: x.SuiteID, CallbackURL: x.CallbackURL, DataURL: x.DataURL, TicketAt: x.TicketAt,
			TicketAgeSeconds: x.TicketAgeSec, TicketFingerprint: x.TicketFP, TicketWarning: x.TicketWarning, Corps: []SuiteCorpDTO{}}
		for _, c := range x.Corps {
			cd := SuiteCorpDTO{CorpID: c.CorpID, CorpName: c.CorpName, AgentID: c.AgentID, State: c.State}
			if !c.InstalledAt.IsZero() {
				at := c.InstalledAt
				cd.InstalledAt = &at
			}
			if !c.CancelledAt.IsZero() {
				at := c.CancelledAt
				cd.CancelledAt = &at
			}
			d.Corps = append(d.Corps, cd)
		}
		out = append(out, d)
	}
	return out, nil
}

// corp returns the in-process server's authorised corp; the calls that
// need its client are not offered for an attached server.
func (s *SuiteService) corp(name, corpID string) (server.SuiteCorp, error) {
	sess, err := s.app.current()
	if err != nil {
		return server.SuiteCorp{}, err
	}
	if sess.srv == nil {
		return server.SuiteCorp{}, fail("suite.attached")
	}
	if strings.TrimSpace(corpID) == "" {
		return server.SuiteCorp{}, fail("suite.noCorp", "name", name)
	}
	c, err := sess.srv.SuiteCorp(name, corpID)
	if err != nil {
		var ce *suite.CancelledError
		if errors.As(err, &ce) {
			return server.SuiteCorp{}, failWrap("suite.cancelled", err, "corp", corpID, "at", ce.At.Local().Format(time.DateTime))
		}
		return server.SuiteCorp{}, failWrap("suite.corp", err, "corp", corpID, "name", name)
	}
	return c, nil
}

// Sign signs url for an authorised corp of the suite: kind "config" with
// the corp's jsapi_ticket or "agentConfig" with the agent ticket of the
// AgentID the corp gave the app. An errcode is data (SignDTO.Error).
func (s *SuiteService) Sign(name, corpID, kind, url string) (SignDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	if strings.TrimSpace(url) == "" {
		return SignDTO{}, fail("sign.noURL")
	}
	if kind == "" {
		kind = SignConfig
	}
	if kind != SignConfig && kind != SignAgentConfig {
		return SignDTO{}, fail("sign.kind", "kind", kind)
	}
	if sess, err := s.app.current(); err == nil && sess.srv == nil {
		if strings.TrimSpace(corpID) == "" {
			return SignDTO{}, fail("suite.noCorp", "name", name)
		}
		return s.signAttached(ctx, sess.url, name, corpID, kind, url)
	}
	c, err := s.corp(name, corpID)
	if err != nil {
		return SignDTO{}, err
	}
	d := SignDTO{Profile: name + ":" + c.CorpID, Kind: kind, URL: url}
	var res token.Result
	if kind == SignConfig {
		res, err = c.Client.JSAPITicket(ctx)
	} else {
		res, err = c.Client.AgentTicket(ctx)
	}
	if err != nil {
		if ec, ok := asErrcode(err); ok {
			d.Error = &ec
			return d, nil
		}
		return SignDTO{}, failWrap("sign.ticket", err, "ticket", kind, "name", d.Profile)
	}
	signer := s.signer
	if signer == nil {
		signer = jssdk.NewSigner()
	}
	var plain string
	if kind == SignConfig {
		cfg, sts, err := signer.Config(c.CorpID, res.Value, url)
		if err != nil {
			return SignDTO{}, failWrap("sign.url", err)
		}
		d.Config, plain = cfg, sts
	} else {
		cfg, sts, err := signer.AgentConfig(c.CorpID, strconv.FormatInt(c.AgentID, 10), res.Value, url)
		if err != nil {
			return SignDTO{}, failWrap("sign.url", err)
		}
		d.Config, plain = cfg, sts
	}
	d.StringToSign = maskIn(plain, res.Value)
	d.TicketFingerprint = token.Fingerprint(res.Value)
	return d, nil
}

// signAttached has the attached dev server sign for the corp: the suite's
// state (its permanent codes) is in that server's data directory, so it
// signs with its GET /api/jssdk/config (or agent-config) ?profile=&corp=,
// which also applies the profile's trusted domains. The string to sign is
// there when the suite profile has debug on; its ticket is masked here.
func (s *SuiteService) signAttached(ctx context.Context, base, name, corpID, kind, pageURL string) (SignDTO, error) {
	path := "/api/jssdk/config"
	if kind == SignAgentConfig {
		path = "/api/jssdk/agent-config"
	}
	q := neturl.Values{"profile": {name}, "corp": {corpID}, "url": {pageURL}}
	var ans server.SignAnswer
	if err := s.app.getJSON(ctx, base+path+"?"+q.Encode(), &ans); err != nil {
		return SignDTO{}, err
	}
	d := SignDTO{Profile: name + ":" + corpID, Kind: kind, URL: pageURL, TicketFingerprint: ans.TicketFingerprint,
		StringToSign: maskTicketParam(ans.StringToSign)}
	if kind == SignConfig {
		d.Config = jssdk.Config{AppID: ans.AppID, Timestamp: ans.Timestamp, NonceStr: ans.NonceStr, Signature: ans.Signature}
	} else {
		d.Config = jssdk.AgentConfig{CorpID: ans.CorpID, AgentID: strconv.FormatInt(ans.AgentID, 10), Timestamp: ans.Timestamp, NonceStr: ans.NonceStr, Signature: ans.Signature}
	}
	return d, nil
}

// maskTicketParam masks the value of jsapi_ticket= in a string to sign, as
// maskIn does when the ticket itself is known.
func maskTicketParam(sts string) string {
	const key = "jsapi_ticket="
	i := strings.Index(sts, key)
	if i < 0 {
		return sts
	}
	v := sts[i+len(key):]
	end := strings.IndexByte(v, '&')
	if end < 0 {
		end = len(v)
	}
	return sts[:i+len(key)] + maskIn(v[:end], v[:end]) + v[end:]
}

// SendText sends a test text message from the suite's app in an
// authorised corp (message/send with the corp's access_token and the
// AgentID it gave the app). An errcode is data (SendDTO.Error).
func (s *SuiteService) SendText(name, corpID, toUser, content string) (SendDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	ctx, x := withExchanges(ctx)
	if strings.TrimSpace(toUser) == "" {
		return SendDTO{}, fail("msg.noRecipient")
	}
	if content == "" {
		return SendDTO{}, fail("msg.emptyText")
	}
	c, err := s.corp(name, corpID)
	if err != nil {
		return SendDTO{}, err
	}
	res, err := c.Client.Send(ctx, &api.Message{ToUser: toUser, MsgType: "text", Text: &api.Content{Content: content}})
	if err != nil {
		if ec, ok := asErrcode(err); ok {
			return SendDTO{Error: &ec, Exchanges: x.all()}, nil
		}
		return SendDTO{}, failWrap("msg.sendFailed", err)
	}
	return SendDTO{OK: true, MsgID: res.MsgID, InvalidUser: res.InvalidUser, Exchanges: x.all()}, nil
}
