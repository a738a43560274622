package api

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/wwkit/wwkit/core/token"
)

// WeComApp identifies one WeCom self-built app (自建应用): the corp id
// (企业ID), the app's AgentID and its Secret. Each app has its own secret and
// its own access_token.
type WeComApp struct {
	CorpID  string
	AgentID int64
	Secret  string
}

// WeCom is a client of the WeCom server API for one app. It is safe for
// concurrent use.
type WeCom struct {
	*client
	access      *token.Source // nil when a token.Provider was given
	jsapi       *token.Source
	agentTicket *token.Source
}

// NewWeCom returns a client for app. By default it talks to
// https://qyapi.weixin.qq.com and caches tokens in memory.
func NewWeCom(app WeComApp, opts ...Option) (*WeCom, error) {
	cl, err := newClient("wecom", WeComBaseURL, opts)
	if err != nil {
		return nil, err
	}
	// With a token provider the secret stays with whoever runs it.
	if app.CorpID == "" || (app.Secret == "" && cl.opt.provider == nil) {
		return nil, errors.New("api: WeCom needs the CorpID (企业ID) and the app Secret (or a token provider); set them in the profile or with --corp-id/--secret")
	}
	c := &WeCom{client: cl}
	c.appID, c.secret, c.agentID = app.CorpID, app.Secret, app.AgentID
	// Keys are per app: corp + agent + secret fingerprint, never per corp.
	prefix := []string{"wecom", app.CorpID, strconv.FormatInt(app.AgentID, 10), token.Fingerprint(app.Secret)}
	if c.opt.provider != nil {
		c.tokens = c.opt.provider
	} else {
		c.access, err = c.newSource(append(prefix, "access_token"), nil, func(ctx context.Context) (token.Fetched, error) {
			r, err := c.GetToken(ctx)
			if err != nil {
				return token.Fetched{}, err
			}
			return token.Fetched{Value: r.AccessToken, ExpiresIn: time.Duration(r.ExpiresIn) * time.Second}, nil
		})
		if err != nil {
			return nil, err
		}
		c.tokens = c.access
	}
	c.jsapi, err = c.newSource(append(prefix, "jsapi_ticket"), c.access, ticketFetcher(c.GetJSAPITicketRaw))
	if err != nil {
		return nil, err
	}
	c.agentTicket, err = c.newSource(append(prefix, "agent_ticket"), c.access, ticketFetcher(c.GetAgentTicketRaw))
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (c *client) newSource(key []string, parent *token.Source, f token.Fetcher) (*token.Source, error) {
	return token.New(token.Config{
		Key:          token.Key(key...),
		Store:        c.opt.store,
		Fetch:        f,
		Parent:       parent,
		EarlyRefresh: c.opt.early,
		Now:          c.opt.now,
		Logger:       c.log,
	})
}

// ticketFetcher adapts a ticket API to a token.Fetcher that records the
// access_token the ticket was fetched with.
func ticketFetcher(get func(context.Context) (*TicketResponse, error)) token.Fetcher {
	return func(ctx context.Context) (token.Fetched, error) {
		var used string
		r, err := get(context.WithValue(ctx, usedTokenKey{}, &used))
		if err != nil {
			return token.Fetched{}, err
		}
		return token.Fetched{Value: r.Ticket, ExpiresIn: time.Duration(r.ExpiresIn) * time.Second, Parent: used}, nil
	}
}

// AgentID returns the app's AgentID.
func (c *WeCom) AgentID() int64 { return c.agentID }

// CorpID returns the corp id.
func (c *WeCom) CorpID() string { return c.appID }

// Tokens returns the access_token provider (to share it or invalidate).
func (c *WeCom) Tokens() token.Provider { return c.tokens }

// AccessToken returns the cached access_token, refreshing it when needed.
func (c *WeCom) AccessToken(ctx context.Context) (token.Result, error) {
	if c.access == nil {
		v, err := c.tokens.Token(ctx)
		return token.Result{Value: v, Origin: "provider"}, err
	}
	return c.access.Get(ctx)
}

// JSAPITicket returns the corp jsapi_ticket (for wx.config), refetched
// whenever the access_token it was fetched with changes.
func (c *WeCom) JSAPITicket(ctx context.Context) (token.Result, error) { return c.jsapi.Get(ctx) }

// AgentTicket returns the app ticket (for wx.agentConfig).
func (c *WeCom) AgentTicket(ctx context.Context) (token.Result, error) {
	return c.agentTicket.Get(ctx)
}

// Send sends m from this app, filling AgentID when it is zero.
func (c *WeCom) Send(ctx context.Context, m *Message) (*SendResult, error) {
	if m.AgentID == 0 {
		m.AgentID = c.agentID
	}
	return c.SendMessage(ctx, m)
}
