package api

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/wwkit/wwkit/core/token"
)

// SuiteApp identifies a third-party app (第三方应用) of a service provider
// (服务商): its SuiteID and Secret from the provider console.
type SuiteApp struct {
	SuiteID string
	Secret  string
}

// SuiteTicketTTL is how long a suite_ticket stays usable: the provider
// platform pushes a new one every 10 minutes and each is valid 30 minutes
// (推送suite_ticket).
const SuiteTicketTTL = 30 * time.Minute

// ErrNoSuiteTicket is returned (wrapped) when a suite_access_token is needed
// and no suite_ticket has been stored yet, or the stored one is older than
// SuiteTicketTTL.
var ErrNoSuiteTicket = errors.New("api: no suite_ticket yet: the provider platform pushes one every 10 minutes to the suite callback URL; check it is reachable")

// Suite is a client of the third-party (suite) APIs of WeCom for one suite:
// service/get_suite_token, get_pre_auth_code, set_session_info,
// get_permanent_code, get_auth_info and get_corp_token. Calls carry
// ?suite_access_token=, cached in the client's store like every token and
// refreshed on 40082 / 42009.
//
// The suite_ticket the platform pushes to the suite callback URL (指令回调)
// is stored with SetTicket in the same store, so every process sharing the
// store (Redis, file) uses the ticket any of them received.
//
// Corp returns a WeCom client for one authorised corp, whose access_token
// comes from get_corp_token; tickets and JS-SDK signing then work as for a
// self-built app. Suite is safe for concurrent use.
type Suite struct {
	*client
	opts      []Option
	suiteID   string
	access    *token.Source
	ticketKey string
}

// NewSuite returns a client for app. By default it talks to
// https://qyapi.weixin.qq.com and caches tokens and the suite_ticket in
// memory; use WithStore to share them between processes.
func NewSuite(app SuiteApp, opts ...Option) (*Suite, error) {
	if app.SuiteID == "" || app.Secret == "" {
		return nil, errors.New("api: a suite needs its SuiteID and suite Secret (服务商后台 → 应用管理 → 第三方应用 → 应用信息); set suite_id and suite_secret in the profile")
	}
	cl, err := newClient("wecom", WeComBaseURL, opts)
	if err != nil {
		return nil, err
	}
	if cl.opt.provider != nil {
		return nil, errors.New("api: WithTokenProvider supplies an app's access_token; a Suite fetches its suite_access_token itself from the suite_ticket (share it between processes with WithStore)")
	}
	cl.tokenParam, cl.kind = "suite_access_token", "Suite"
	cl.appID, cl.secret = app.SuiteID, app.Secret
	s := &Suite{client: cl, opts: opts, suiteID: app.SuiteID}
	prefix := []string{"suite", app.SuiteID, token.Fingerprint(app.Secret)}
	// The ticket is per suite, not per secret: a reset secret keeps it.
	s.ticketKey = token.Key("suite", app.SuiteID, "suite_ticket")
	s.access, err = cl.newSource(append(prefix, "suite_access_token"), nil, s.fetchToken)
	if err != nil {
		return nil, err
	}
	cl.tokens = s.access
	return s, nil
}

// SuiteID returns the suite id.
func (s *Suite) SuiteID() string { return s.suiteID }

// Tokens returns the suite_access_token provider.
func (s *Suite) Tokens() token.Provider { return s.access }

// AccessToken returns the cached suite_access_token, fetching it with the
// stored suite_ticket when needed.
func (s *Suite) AccessToken(ctx context.Context) (token.Result, error) { return s.access.Get(ctx) }

// SetTicket stores a suite_ticket pushed to the suite callback URL (InfoType
// suite_ticket). It is kept for SuiteTicketTTL in the client's store. When
// it differs from the stored one, the cached suite_access_token is dropped,
// so the next call fetches one with the newest ticket: a token is then
// never older than the ticket it came from, at the cost of one
// get_suite_token per push (every 10 minutes).
func (s *Suite) SetTicket(ctx context.Context, ticket string) error {
	if err := token.ValidValue(ticket); err != nil {
		return fmt.Errorf("api: suite_ticket not stored: %w", err)
	}
	old, had, err := s.opt.store.Get(ctx, s.ticketKey)
	if err != nil {
		return fmt.Errorf("api: reading the stored suite_ticket: %w", err)
	}
	now := s.now()
	e := token.Entry{Value: ticket, Expires: now.Add(SuiteTicketTTL), RefreshAt: now.Add(SuiteTicketTTL), FP: token.Fingerprint(ticket)}
	if err := s.opt.store.Set(ctx, s.ticketKey, e, nil); err != nil {
		return fmt.Errorf("api: storing the suite_ticket: %w", err)
	}
	if had && old.Value == ticket {
		return nil
	}
	if cur, ok, err := s.opt.store.Get(ctx, s.access.Key()); err == nil && ok {
		if err := s.access.Invalidate(ctx, cur.Value); err != nil {
			return fmt.Errorf("api: suite_ticket stored; dropping the suite_access_token of the previous ticket: %w", err)
		}
	}
	return nil
}

// Ticket returns the stored suite_ticket, or an error wrapping
// ErrNoSuiteTicket.
func (s *Suite) Ticket(ctx context.Context) (string, error) {
	e, ok, err := s.opt.store.Get(ctx, s.ticketKey)
	if err != nil {
		return "", fmt.Errorf("api: reading the stored suite_ticket: %w", err)
	}
	if !ok || !s.now().Before(e.Expires) {
		return "", fmt.Errorf("%w (suite %s)", ErrNoSuiteTicket, s.suiteID)
	}
	return e.Value, nil
}

// TicketAge returns when the stored suite_ticket was received (its expiry
// minus SuiteTicketTTL); ok is false when there is none.
func (s *Suite) TicketAge(ctx context.Context) (received time.Time, ok bool, err error) {
	e, ok, err := s.opt.store.Get(ctx, s.ticketKey)
	if err != nil || !ok {
		return time.Time{}, false, err
	}
	return e.Expires.Add(-SuiteTicketTTL), true, nil
}

func (c *client) now() time.Time {
	if c.opt.now != nil {
		return c.opt.now()
	}
	return time.Now()
}

// fetchToken is the suite_access_token Fetcher. 40085 (invalid
// suite_ticket) is retried once when a newer ticket arrived while the call
// ran.
func (s *Suite) fetchToken(ctx context.Context) (token.Fetched, error) {
	for attempt := 0; ; attempt++ {
		t, err := s.Ticket(ctx)
		if err != nil {
			return token.Fetched{}, err
		}
		r, err := s.GetSuiteTokenRaw(ctx, &SuiteTokenRequest{SuiteID: s.suiteID, SuiteSecret: s.secret, SuiteTicket: t})
		if err != nil {
			if IsCode(err, 40085) && attempt == 0 {
				if t2, err2 := s.Ticket(ctx); err2 == nil && t2 != t {
					continue
				}
			}
			return token.Fetched{}, err
		}
		return token.Fetched{Value: r.SuiteAccessToken, ExpiresIn: time.Duration(r.ExpiresIn) * time.Second}, nil
	}
}

// GetCorpToken fetches the access_token of an authorised corp (uncached;
// Corp returns a client that caches it).
func (s *Suite) GetCorpToken(ctx context.Context, corpID, permanentCode string) (*TokenResponse, error) {
	if corpID == "" || permanentCode == "" {
		return nil, errors.New("api: get_corp_token needs the authorised corp id (auth_corpid) and the permanent_code from get_permanent_code")
	}
	return s.GetCorpTokenRaw(ctx, &AuthCorpBody{AuthCorpID: corpID, PermanentCode: permanentCode})
}

// Corp returns a WeCom client for an authorised corp. Its access_token comes
// from get_corp_token and is cached per (suite, corp) in the suite's store;
// the corp jsapi_ticket and the agent ticket of agentID (the AgentID the
// corp gave the suite's app, from auth_info) are cached like a self-built
// app's, so wx.config and wx.agentConfig are signed the same way. The
// client has no corp secret: its GetToken is not usable. Clients returned for
// the same corp share the suite's store, so asking again is cheap.
func (s *Suite) Corp(corpID, permanentCode string, agentID int64) (*WeCom, error) {
	if corpID == "" || permanentCode == "" {
		return nil, errors.New("api: Suite.Corp needs the authorised corp id and its permanent_code (from get_permanent_code after create_auth)")
	}
	// The suite's store, not a new default one: every corp client of this
	// suite shares the cached corp tokens and tickets.
	cl, err := newClient("wecom", WeComBaseURL, append(append([]Option(nil), s.opts...), WithStore(s.opt.store)))
	if err != nil {
		return nil, err
	}
	c := &WeCom{client: cl}
	c.appID, c.agentID = corpID, agentID
	// Keyed per (suite, corp), with the permanent code's fingerprint so a
	// reset code (reset_permanent_code) never reuses the old grant's token.
	prefix := []string{"suite", s.suiteID, "corp", corpID, token.Fingerprint(permanentCode)}
	c.access, err = c.newSource(append(prefix, "access_token"), nil, func(ctx context.Context) (token.Fetched, error) {
		r, err := s.GetCorpToken(ctx, corpID, permanentCode)
		if err != nil {
			return token.Fetched{}, err
		}
		return token.Fetched{Value: r.AccessToken, ExpiresIn: time.Duration(r.ExpiresIn) * time.Second}, nil
	})
	if err != nil {
		return nil, err
	}
	c.tokens = c.access
	c.jsapi, err = c.newSource(append(prefix, "jsapi_ticket"), c.access, ticketFetcher(c.GetJSAPITicketRaw))
	if err != nil {
		return nil, err
	}
	c.agentTicket, err = c.newSource(append(prefix, strconv.FormatInt(agentID, 10), "agent_ticket"), c.access, ticketFetcher(c.GetAgentTicketRaw))
	if err != nil {
		return nil, err
	}
	return c, nil
}

// InstallBaseURL is the page an admin opens to install a suite (从服务商网站发起授权).
const InstallBaseURL = "https://open.work.weixin.qq.com/3rdapp/install"

// InstallURL builds the install link (授权链接):
// https://open.work.weixin.qq.com/3rdapp/install?suite_id=&pre_auth_code=&redirect_uri=&state=.
// redirectURI must be absolute http(s) on the suite's redirect domain; after
// the install the browser returns there with ?auth_code=&state=. state is
// optional (a-zA-Z0-9, at most 128 bytes, as for OAuth).
func InstallURL(suiteID, preAuthCode, redirectURI, state string) (string, error) {
	if suiteID == "" || preAuthCode == "" {
		return "", errors.New("api: InstallURL needs the suite_id and a pre_auth_code from get_pre_auth_code")
	}
	u, err := url.Parse(redirectURI)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("api: InstallURL: redirect_uri %q must be an absolute http(s) URL on the suite's redirect domain (授权完成回调域名)", Redact(redirectURI))
	}
	if len(state) > 128 {
		return "", errors.New("api: InstallURL: state is longer than 128 bytes")
	}
	for i := 0; i < len(state); i++ {
		if c := state[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return "", fmt.Errorf("api: InstallURL: state may hold only a-zA-Z0-9 (byte %d is %q)", i, c)
		}
	}
	// suite_id, pre_auth_code, redirect_uri, state: the documented order.
	return InstallBaseURL + "?suite_id=" + url.QueryEscape(suiteID) + "&pre_auth_code=" + url.QueryEscape(preAuthCode) +
		"&redirect_uri=" + url.QueryEscape(redirectURI) + stateParam(state), nil
}

func stateParam(s string) string {
	if s == "" {
		return ""
	}
	return "&state=" + url.QueryEscape(s)
}

// Do calls a suite endpoint by method and path, for the service/* APIs the
// typed methods do not cover; the client adds ?suite_access_token=. See
// WeCom.Do for the parameters, the retry policy and the errors.
func (s *Suite) Do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	return s.client.call(ctx, method, path, query, body, out)
}
