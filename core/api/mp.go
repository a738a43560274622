package api

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/wwkit/wwkit/core/token"
)

// MPApp identifies a WeChat Official Account (公众号): AppID and AppSecret.
type MPApp struct {
	AppID  string
	Secret string
}

// MP is a client of the Official Account server API. It is safe for
// concurrent use.
type MP struct {
	*client
	access *token.Source
	jsapi  *token.Source
}

// NewMP returns a client for app. By default it talks to
// https://api.weixin.qq.com and caches tokens in memory. The MP access_token
// is one per AppID (a new fetch supersedes the previous one), so its cache
// key is the AppID: share a redistoken.Store between instances.
func NewMP(app MPApp, opts ...Option) (*MP, error) {
	cl, err := newClient("mp", MPBaseURL, opts)
	if err != nil {
		return nil, err
	}
	// With a token provider the secret stays with whoever runs it.
	if app.AppID == "" || (app.Secret == "" && cl.opt.provider == nil) {
		return nil, errors.New("api: the Official Account client needs the AppID and AppSecret (or a token provider); set them in the profile or with --mp-appid/--mp-secret")
	}
	c := &MP{client: cl}
	c.appID, c.secret = app.AppID, app.Secret
	if c.opt.provider != nil {
		c.tokens = c.opt.provider
	} else {
		c.access, err = c.newSource([]string{"mp", app.AppID, "access_token"}, nil, func(ctx context.Context) (token.Fetched, error) {
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
	c.jsapi, err = c.newSource([]string{"mp", app.AppID, "jsapi_ticket"}, c.access, ticketFetcher(c.GetJSAPITicketRaw))
	if err != nil {
		return nil, err
	}
	return c, nil
}

// AppID returns the account's AppID.
func (c *MP) AppID() string { return c.appID }

// Tokens returns the access_token provider.
func (c *MP) Tokens() token.Provider { return c.tokens }

// AccessToken returns the cached access_token, refreshing it when needed.
func (c *MP) AccessToken(ctx context.Context) (token.Result, error) {
	if c.access == nil {
		v, err := c.tokens.Token(ctx)
		return token.Result{Value: v, Origin: "provider"}, err
	}
	return c.access.Get(ctx)
}

// JSAPITicket returns the jsapi_ticket, refetched whenever the access_token
// it was fetched with changes.
func (c *MP) JSAPITicket(ctx context.Context) (token.Result, error) { return c.jsapi.Get(ctx) }

// ShowQRCodeURL is the image URL of a QR code ticket (host mp.weixin.qq.com,
// no token needed).
func ShowQRCodeURL(ticket string) string {
	return "https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=" + url.QueryEscape(ticket)
}

// StableToken fetches the account's stable access_token
// (cgi-bin/stable_token) [unconfirmed in this project's spec]: unlike
// cgi-bin/token it does not supersede the token other instances hold.
// forceRefresh asks for a new one (limited to 20 a day).
func (c *MP) StableToken(ctx context.Context, forceRefresh bool) (*TokenResponse, error) {
	return c.StableTokenRaw(ctx, &StableTokenRequest{GrantType: "client_credential", AppID: c.appID, Secret: c.secret, ForceRefresh: forceRefresh})
}
