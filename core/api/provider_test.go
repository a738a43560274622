package api_test

import (
	"context"
	"sync"
	"testing"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
)

// centralService stands for a user's central token service: it hands out the
// token it holds and records what the client reports as rejected.
type centralService struct {
	mu          sync.Mutex
	fetch       func() string
	current     string
	invalidated []string
}

func (c *centralService) Token(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.current == "" {
		c.current = c.fetch()
	}
	return c.current, nil
}

func (c *centralService) Invalidate(ctx context.Context, bad string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.invalidated = append(c.invalidated, bad)
	if c.current == bad {
		c.current = ""
	}
	return nil
}

func TestTokenProviderHook(t *testing.T) {
	s := startEmulator(t)
	fx := s.Emulator().Fixture()
	// the "service" gets its tokens with a plain client of its own
	upstream := newWeCom(t, s)
	svc := &centralService{fetch: func() string {
		r, err := upstream.GetToken(context.Background())
		if err != nil {
			t.Error(err)
			return ""
		}
		return r.AccessToken
	}}
	c, err := api.NewWeCom(wecomApp(fx, 0), api.WithBaseURL(s.WeComBaseURL()), api.WithTokenProvider(svc))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.GetUser(ctx, "zhangsan"); err != nil {
		t.Fatal(err)
	}
	first, _ := svc.Token(ctx)
	s.Emulator().InjectFault(emulator.Fault{Path: pUserGet, Errcode: 40014, Count: 1})
	if _, err := c.GetUser(ctx, "zhangsan"); err != nil {
		t.Fatal(err)
	}
	if len(svc.invalidated) != 1 || svc.invalidated[0] != first {
		t.Fatalf("the provider was told %d rejections, want 1 naming the token sent", len(svc.invalidated))
	}
	// tickets are still cached by wwkit, fetched with the provider's token
	if r, err := c.JSAPITicket(ctx); err != nil || r.Value == "" {
		t.Fatalf("ticket with a provider: %+v %v", r, err)
	}
}

// TestTokenProviderNeedsNoSecret checks that a client fed by a token
// provider is built and works without the app secret, which the provider's
// owner keeps.
func TestTokenProviderNeedsNoSecret(t *testing.T) {
	s := startEmulator(t)
	fx := s.Emulator().Fixture()
	upstream := newWeCom(t, s)
	svc := &centralService{fetch: func() string {
		r, err := upstream.GetToken(context.Background())
		if err != nil {
			t.Error(err)
			return ""
		}
		return r.AccessToken
	}}
	app := wecomApp(fx, 0)
	app.Secret = ""
	c, err := api.NewWeCom(app, api.WithBaseURL(s.WeComBaseURL()), api.WithTokenProvider(svc))
	if err != nil {
		t.Fatalf("NewWeCom with a provider and no secret: %v", err)
	}
	if _, err := c.GetUser(context.Background(), "zhangsan"); err != nil {
		t.Fatal(err)
	}
	if _, err := api.NewWeCom(app, api.WithBaseURL(s.WeComBaseURL())); err == nil {
		t.Fatal("NewWeCom without a secret or a provider: no error")
	}
}
