package desktop

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/token"
)

// Token kinds shown by the token inspector.
const (
	KindAccessToken = "access_token" // WeCom or MP access_token
	KindJSAPITicket = "jsapi_ticket" // WeCom corp jsapi_ticket (wx.config) or MP jsapi_ticket
	KindAgentTicket = "agent_ticket" // WeCom app ticket (wx.agentConfig)
)

// TokenService is the token inspector: per profile, the access_token and
// the tickets with masked values, expiry, when they were obtained, where
// they came from and the last error; Refresh and Invalidate; the log of
// recent API calls.
type TokenService struct {
	app   *App
	calls *api.CallLog // recent API calls and simulated callbacks (the App's HTTP client adds them)

	mu     sync.Mutex
	status map[string]*tokenState // key: profile + "/" + kind
}

// keep drops the status of the profiles a new session has no clients for;
// the others' survives a reload.
func (s *TokenService) keep(cls map[string]*clients) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for key := range s.status {
		if cls[strings.SplitN(key, "/", 2)[0]] == nil {
			delete(s.status, key)
		}
	}
}

// TokenDTO is the status of one token or ticket.
type TokenDTO struct {
	Profile     string      `json:"profile"`
	Kind        string      `json:"kind"`
	Value       string      `json:"value"`       // masked, "" when never fetched
	Fingerprint string      `json:"fingerprint"` // token.Fingerprint of the value, to compare across tools
	ExpiresAt   *time.Time  `json:"expiresAt,omitempty" ts_type:"string"`
	ObtainedAt  *time.Time  `json:"obtainedAt,omitempty" ts_type:"string"` // when this process last fetched it from the server
	Source      string      `json:"source"`                                // store and origin, e.g. "memory (cache)", "file (remote)"
	Store       string      `json:"store"`                                 // where it is cached: memory, file or redis
	Origin      string      `json:"origin,omitempty"`                      // cache (served from the store) or remote (fetched from the server)
	Label       string      `json:"label"`                                 // what it is, e.g. "corp jsapi_ticket (wx.config)"
	LastError   *ErrcodeDTO `json:"lastError,omitempty"`                   // the last errcode answered for it
	Failure     string      `json:"failure,omitempty"`                     // the last non-errcode failure (network, …)
}

// tokenState is what the inspector remembers about one token.
type tokenState struct {
	res        token.Result
	obtainedAt time.Time
	lastErr    *ErrcodeDTO
	failure    string
}

// kinds lists the token kinds of a platform.
func kinds(c *clients) []string {
	if c.wecom != nil {
		return []string{KindAccessToken, KindJSAPITicket, KindAgentTicket}
	}
	return []string{KindAccessToken, KindJSAPITicket}
}

// get fetches (from cache or server) one token of a profile.
func (c *clients) get(ctx context.Context, kind string) (token.Result, error) {
	switch {
	case c.wecom != nil && kind == KindAccessToken:
		return c.wecom.AccessToken(ctx)
	case c.wecom != nil && kind == KindJSAPITicket:
		return c.wecom.JSAPITicket(ctx)
	case c.wecom != nil && kind == KindAgentTicket:
		return c.wecom.AgentTicket(ctx)
	case c.mp != nil && kind == KindAccessToken:
		return c.mp.AccessToken(ctx)
	case c.mp != nil && kind == KindJSAPITicket:
		return c.mp.JSAPITicket(ctx)
	}
	return token.Result{}, fail("token.kind", "kind", kind)
}

func (c *clients) provider() token.Provider {
	if c.wecom != nil {
		return c.wecom.Tokens()
	}
	return c.mp.Tokens()
}

// List returns the status of every token of the profile ("" = active)
// without fetching anything.
func (s *TokenService) List(profile string) ([]TokenDTO, error) {
	p, c, err := s.app.profile(profile)
	if err != nil {
		return nil, err
	}
	out := make([]TokenDTO, 0, 3)
	for _, k := range kinds(c) {
		out = append(out, s.dto(p.Name, k))
	}
	return out, nil
}

// Fetch gets every token of the profile (from the cache when still valid)
// and returns their status. An errcode is recorded in the token's LastError,
// not returned as an error.
func (s *TokenService) Fetch(profile string) ([]TokenDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	p, c, err := s.app.profile(profile)
	if err != nil {
		return nil, err
	}
	out := make([]TokenDTO, 0, 3)
	for _, k := range kinds(c) {
		d, err := s.fetch(ctx, p.Name, c, k)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// Refresh drops the cached access_token of the profile and fetches every
// token again. Tickets are tied to the access_token they were fetched
// with, so they are fetched again too.
func (s *TokenService) Refresh(profile string) ([]TokenDTO, error) {
	if err := s.Invalidate(profile); err != nil {
		return nil, err
	}
	return s.Fetch(profile)
}

// Invalidate drops the cached access_token of the profile (as a client does
// after 40014/42001); the next Fetch gets new values from the server.
func (s *TokenService) Invalidate(profile string) error {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	p, c, err := s.app.profile(profile)
	if err != nil {
		return err
	}
	cur, err := c.get(ctx, KindAccessToken)
	if err != nil {
		if _, ok := asErrcode(err); ok {
			return nil // nothing cached to drop
		}
		return failWrap("token.invalidate", err, "name", p.Name)
	}
	if err := c.provider().Invalidate(ctx, cur.Value); err != nil {
		return failWrap("token.invalidate", err, "name", p.Name)
	}
	s.mu.Lock()
	for _, k := range kinds(c) {
		if st := s.status[p.Name+"/"+k]; st != nil {
			st.res = token.Result{}
		}
	}
	s.mu.Unlock()
	return nil
}

// Calls returns the recent API calls, newest first (at most limit; all when
// limit ≤ 0). An attached window adds the calls the attached dev server
// made (GET /api/calls).
func (s *TokenService) Calls(limit int) []api.Call {
	a := s.app
	all := s.calls.Recent(0)
	if l := a.session(); l != nil && l.attached {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		var remote struct {
			Calls []api.Call `json:"calls"`
		}
		if err := a.getJSON(ctx, l.url+"/api/calls", &remote); err == nil {
			all = append(all, remote.Calls...)
			sort.SliceStable(all, func(i, j int) bool { return all[i].Time.After(all[j].Time) })
		}
		cancel()
	}
	if limit > 0 && limit < len(all) {
		all = all[:limit]
	}
	return all
}

func (s *TokenService) fetch(ctx context.Context, profile string, c *clients, kind string) (TokenDTO, error) {
	res, err := c.get(ctx, kind)
	key := profile + "/" + kind
	a := s.app
	s.mu.Lock()
	st := s.status[key]
	if st == nil {
		st = &tokenState{}
		s.status[key] = st
	}
	switch {
	case err == nil:
		if res.Origin != token.FromCache || st.obtainedAt.IsZero() {
			st.obtainedAt = a.now()
		}
		st.res, st.lastErr, st.failure = res, nil, ""
	default:
		if ec, ok := asErrcode(err); ok {
			st.lastErr = &ec
		} else if ctx.Err() != nil {
			s.mu.Unlock()
			return TokenDTO{}, failWrap("token.timeout", ctx.Err(), "kind", kind, "name", profile)
		} else {
			st.failure = err.Error()
		}
	}
	s.mu.Unlock()
	return s.dto(profile, kind), nil
}

// tokenLabel names a kind on a platform.
func tokenLabel(c *clients, kind string) string {
	switch {
	case kind == KindAccessToken:
		return "access_token"
	case kind == KindJSAPITicket && c != nil && c.wecom != nil:
		return "corp jsapi_ticket (wx.config)"
	case kind == KindJSAPITicket:
		return "MP jsapi_ticket (wx.config)"
	case kind == KindAgentTicket:
		return "agent ticket (wx.agentConfig)"
	}
	return kind
}

func (s *TokenService) dto(profile, kind string) TokenDTO {
	var c *clients
	if l := s.app.session(); l != nil {
		c = l.clients[profile]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	store := "memory"
	if c != nil && c.store != "" {
		store = c.store
	}
	d := TokenDTO{Profile: profile, Kind: kind, Source: store, Store: store, Label: tokenLabel(c, kind)}
	st := s.status[profile+"/"+kind]
	if st == nil {
		return d
	}
	if v := st.res.Value; v != "" {
		d.Value, d.Fingerprint = token.Mask(v), token.Fingerprint(v)
		if !st.res.Expires.IsZero() {
			t := st.res.Expires
			d.ExpiresAt = &t
		}
		d.Origin = string(st.res.Origin)
		d.Source = store + " (" + d.Origin + ")"
	}
	if !st.obtainedAt.IsZero() {
		t := st.obtainedAt
		d.ObtainedAt = &t
	}
	if st.lastErr != nil {
		e := *st.lastErr
		d.LastError = &e
	}
	d.Failure = st.failure
	return d
}
