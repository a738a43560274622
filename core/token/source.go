package token

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Fetched is what a Fetcher got from upstream.
type Fetched struct {
	Value     string
	ExpiresIn time.Duration
	// Parent is the access_token a ticket was fetched with (empty for
	// tokens); the ticket is refetched when that token changes.
	Parent string
}

// Fetcher gets a fresh value from upstream (gettoken, get_jsapi_ticket, …).
type Fetcher func(ctx context.Context) (Fetched, error)

// Origin says where a value came from.
type Origin string

const (
	FromCache  Origin = "cache"
	FromRemote Origin = "remote"
)

// Result is a value with its expiry and origin.
type Result struct {
	Value   string
	Expires time.Time
	Origin  Origin
}

// Provider is the smallest interface an API client needs for its token. A
// Source implements it; so can a user's central token service (a client of
// an internal service that hands out tokens), which then owns refreshing.
type Provider interface {
	// Token returns a current value.
	Token(ctx context.Context) (string, error)
	// Invalidate tells the provider that upstream rejected bad (40014,
	// 42001, …); it must drop bad only if it is still the current value.
	Invalidate(ctx context.Context, bad string) error
}

// Config configures a Source.
type Config struct {
	Key    string  // cache key, unique per app and kind (see Key)
	Store  Store   // defaults to a new MemoryStore
	Fetch  Fetcher // required
	Parent *Source // for tickets: the access_token source they depend on
	// EarlyRefresh is how long before expiry a value is refreshed (plus up to
	// half of it again as jitter). Default 5 minutes, capped at a quarter of
	// the lifetime for short-lived values.
	EarlyRefresh time.Duration
	// LockTTL is the lease of a cross-process refresh lock in a store that
	// expires locks (Redis): the holder renews it every LockTTL/3 while its
	// refresh runs, so a holder that dies or exits mid-refresh blocks the
	// others for at most LockTTL. Default 1 s (see docs/tokens.md).
	LockTTL time.Duration
	// LockWait bounds one refresh (the upstream call included) and how long
	// a caller waits for another process's refresh before it gives up with
	// an error. Default 20 s.
	LockWait time.Duration
	Now      func() time.Time
	Logger   *slog.Logger
}

// Source hands out one cached value (a token or a ticket) and refreshes it
// single-flight in the process and under the store's lock across processes.
type Source struct {
	cfg    Config
	locker Locker
	slot   *memSlot // the entry's slot when the store is a *MemoryStore (fast path)

	// hot marks the entry in slot as fresh without reading the clock: it is
	// set after a fresh read and cleared by a timer at RefreshAt. A hit is
	// then two atomic loads and pointer comparisons (time.Now costs more
	// than the 100 ns budget on some VMs).
	hot      atomic.Pointer[hotEntry]
	realTime bool
	hotMu    sync.Mutex
	hotTimer *time.Timer

	mu       sync.Mutex
	inflight *call
	bg       bool // a background early refresh is running
}

type hotEntry struct {
	e, parent *Entry
}

type call struct {
	done chan struct{}
	res  Result
	err  error
}

// DefaultLockTTL is the default lease of a Redis refresh lock.
const DefaultLockTTL = time.Second

type noBackgroundKey struct{}

// NoBackgroundRefresh marks ctx as coming from a short-lived program (a CLI
// run): a Get with it returns a cached value that is inside its early-refresh
// window without starting a background refresh. Such a program would exit
// in the middle of that refresh, holding the refresh lock; the long-running
// processes sharing the store refresh the value instead. A value that has
// expired is still refreshed, in the foreground.
func NoBackgroundRefresh(ctx context.Context) context.Context {
	return context.WithValue(ctx, noBackgroundKey{}, true)
}

// Key builds a cache key from parts, e.g. Key("wecom", corpID, agentID,
// Fingerprint(secret), "access_token").
func Key(parts ...string) string {
	n := len("wwkit")
	for _, p := range parts {
		n += 1 + len(p)
	}
	b := make([]byte, 0, n)
	b = append(b, "wwkit"...)
	for _, p := range parts {
		b = append(b, ':')
		b = append(b, p...)
	}
	return string(b)
}

// New returns a Source.
func New(cfg Config) (*Source, error) {
	if cfg.Key == "" {
		return nil, errors.New("token: Config.Key is empty; build one with token.Key")
	}
	if cfg.Fetch == nil {
		return nil, errors.New("token: Config.Fetch is nil; give the function that calls upstream")
	}
	if cfg.Store == nil {
		cfg.Store = NewMemory()
	}
	if cfg.EarlyRefresh <= 0 {
		cfg.EarlyRefresh = 5 * time.Minute
	}
	if cfg.LockTTL <= 0 {
		cfg.LockTTL = DefaultLockTTL
	}
	if cfg.LockWait <= 0 {
		cfg.LockWait = 20 * time.Second
	}
	realTime := cfg.Now == nil
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Source{cfg: cfg, realTime: realTime}
	s.locker, _ = cfg.Store.(Locker)
	if ms, ok := cfg.Store.(*MemoryStore); ok {
		s.slot = ms.slot(cfg.Key)
	}
	return s, nil
}

// Key returns the cache key.
func (s *Source) Key() string { return s.cfg.Key }

// Token implements Provider.
func (s *Source) Token(ctx context.Context) (string, error) {
	r, err := s.Get(ctx)
	return r.Value, err
}

// Get returns the cached value when it is fresh (and, for a ticket, was
// fetched with the current token); otherwise it refreshes, single-flight.
// Between RefreshAt and Expires the cached value is returned and one
// background refresh is started.
func (s *Source) Get(ctx context.Context) (Result, error) {
	if h := s.hot.Load(); h != nil && s.slot.p.Load() == h.e && (h.parent == nil || s.cfg.Parent.slot.p.Load() == h.parent) {
		// Fast path: the entry is still the one seen fresh and its RefreshAt
		// timer has not fired.
		return Result{Value: h.e.Value, Expires: h.e.Expires, Origin: FromCache}, nil
	}
	r, err := s.get(ctx)
	if err == nil && r.Origin != "" {
		s.armHot(r.Value)
	}
	return r, err
}

// armHot enables the fast path for the entry now in the slot when it holds
// value and is fresh (memory store, real clock only).
func (s *Source) armHot(value string) {
	if s.slot == nil || !s.realTime {
		return
	}
	e := s.slot.p.Load()
	if e == nil || e.Value != value {
		return
	}
	d := time.Until(e.RefreshAt)
	if d <= 0 {
		return
	}
	h := &hotEntry{e: e}
	if p := s.cfg.Parent; p != nil {
		if p.slot == nil {
			return
		}
		h.parent = p.slot.p.Load()
		if h.parent == nil || h.parent.FP != e.ParentFP {
			return
		}
	}
	s.hotMu.Lock()
	defer s.hotMu.Unlock()
	if cur := s.hot.Load(); cur != nil && cur.e == h.e && cur.parent == h.parent {
		return
	}
	if s.hotTimer != nil {
		s.hotTimer.Stop()
	}
	s.hot.Store(h)
	s.hotTimer = time.AfterFunc(d, func() { s.hot.CompareAndSwap(h, nil) })
}

// get is Get without the fast path.
func (s *Source) get(ctx context.Context) (Result, error) {
	var (
		e, pe      Entry
		ok, pok    bool
		err        error
		haveParent bool
	)
	if p := s.cfg.Parent; p != nil && p.cfg.Store == s.cfg.Store {
		if mg, isMG := s.cfg.Store.(MultiGetter); isMG {
			// A ticket and its token in one round trip (Redis MGET).
			es, oks, err := mg.GetMulti(ctx, []string{s.cfg.Key, p.cfg.Key})
			if err != nil {
				return Result{}, err
			}
			e, ok, pe, pok, haveParent = es[0], oks[0], es[1], oks[1], true
		}
	}
	if !haveParent {
		if e, ok, err = s.cfg.Store.Get(ctx, s.cfg.Key); err != nil {
			return Result{}, err
		}
	}
	if ok {
		parentOK := true
		if s.cfg.Parent != nil {
			if !haveParent {
				if pe, pok, err = s.cfg.Parent.cfg.Store.Get(ctx, s.cfg.Parent.cfg.Key); err != nil {
					return Result{}, err
				}
			}
			parentOK = pok && pe.FP == e.ParentFP
		}
		if parentOK {
			now := s.cfg.Now()
			if now.Before(e.RefreshAt) {
				return Result{Value: e.Value, Expires: e.Expires, Origin: FromCache}, nil
			}
			if now.Before(e.Expires) {
				if ctx.Value(noBackgroundKey{}) == nil {
					s.refreshInBackground()
				}
				return Result{Value: e.Value, Expires: e.Expires, Origin: FromCache}, nil
			}
		}
	}
	return s.refresh(ctx)
}

// parentMatches reports whether a ticket entry was fetched with the parent's
// current token (always true for tokens).
func (s *Source) parentMatches(ctx context.Context, e Entry) (bool, error) {
	if s.cfg.Parent == nil {
		return true, nil
	}
	pe, ok, err := s.cfg.Parent.cfg.Store.Get(ctx, s.cfg.Parent.cfg.Key)
	if err != nil {
		return false, err
	}
	return ok && pe.FP == e.ParentFP, nil
}

// Invalidate implements Provider: it drops bad only if the store still holds
// it, so a caller that failed with an old token does not throw away the new
// one another caller already fetched.
func (s *Source) Invalidate(ctx context.Context, bad string) error {
	if bad == "" {
		return nil
	}
	dropped, err := s.cfg.Store.Delete(ctx, s.cfg.Key, bad)
	if err != nil {
		return err
	}
	s.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, "token invalidated", slog.String("key", s.cfg.Key), slog.String("value_fp", Fingerprint(bad)), slog.Bool("dropped", dropped))
	return nil
}

func (s *Source) refreshInBackground() {
	s.mu.Lock()
	if s.bg || s.inflight != nil {
		s.mu.Unlock()
		return
	}
	s.bg = true
	s.mu.Unlock()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), s.cfg.LockWait)
		defer cancel()
		_, err := s.refreshOnce(ctx)
		if err != nil {
			s.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "token early refresh failed; the cached value is still valid", slog.String("key", s.cfg.Key), slog.String("error", err.Error()))
		}
		s.mu.Lock()
		s.bg = false
		s.mu.Unlock()
	}()
}

// refresh joins the in-flight refresh of this Source or starts one.
func (s *Source) refresh(ctx context.Context) (Result, error) {
	return s.refreshOnce(ctx)
}

func (s *Source) refreshOnce(ctx context.Context) (Result, error) {
	s.mu.Lock()
	if c := s.inflight; c != nil {
		s.mu.Unlock()
		select {
		case <-c.done:
			return c.res, c.err
		case <-ctx.Done():
			return Result{}, fmt.Errorf("token: waiting for the refresh of %s: %w", s.cfg.Key, ctx.Err())
		}
	}
	c := &call{done: make(chan struct{})}
	s.inflight = c
	s.mu.Unlock()

	// The refresh runs on a context that is not cancelled when this caller
	// gives up, since other callers wait for it; it is bounded by LockWait.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.LockWait)
	c.res, c.err = s.doRefresh(rctx)
	cancel()
	if c.err == nil && c.res.Value == "" {
		// Never hand out an empty value, whatever path produced it.
		c.res, c.err = Result{}, fmt.Errorf("token: refresh of %s produced no value; retry", s.cfg.Key)
	}

	s.mu.Lock()
	s.inflight = nil
	s.mu.Unlock()
	close(c.done)
	return c.res, c.err
}

// fresh reports whether e can be served without refreshing: before its
// RefreshAt and, for a ticket, fetched with the current token.
func (s *Source) fresh(ctx context.Context, e Entry) (bool, error) {
	if !s.cfg.Now().Before(e.RefreshAt) {
		return false, nil
	}
	return s.parentMatches(ctx, e)
}

// doRefresh takes the cross-process lock (when the store has one), re-reads
// the store, and fetches only if the value is still not fresh.
//
// A background early refresh takes the same path: when another process holds
// the lock it waits for that refresh, so whoever joined it gets a real value
// or an error, never an empty result.
func (s *Source) doRefresh(ctx context.Context) (Result, error) {
	deadline := time.Now().Add(s.cfg.LockWait)
	wait := 5 * time.Millisecond
	for {
		e, ok, err := s.cfg.Store.Get(ctx, s.cfg.Key)
		if err != nil {
			return Result{}, err
		}
		if ok {
			if f, err := s.fresh(ctx, e); err != nil {
				return Result{}, err
			} else if f {
				return Result{Value: e.Value, Expires: e.Expires, Origin: FromCache}, nil
			}
		}
		if s.locker == nil {
			return s.fetchAndStore(ctx, nil)
		}
		l, acquired, err := s.locker.TryLock(ctx, s.cfg.Key, s.cfg.LockTTL)
		if err != nil {
			return Result{}, err
		}
		if acquired {
			stop := s.renew(l)
			r, err := s.lockedRefresh(ctx, l)
			stop()
			if uerr := s.locker.Unlock(context.WithoutCancel(ctx), l); uerr != nil && err == nil {
				s.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "token unlock failed; the lock expires by itself", slog.String("key", s.cfg.Key), slog.String("error", uerr.Error()))
			}
			return r, err
		}
		if time.Now().After(deadline) {
			return Result{}, fmt.Errorf("token: gave up waiting %v for another process to refresh %s (its lock is held); retry", s.cfg.LockWait, s.cfg.Key)
		}
		select {
		case <-ctx.Done():
			return Result{}, fmt.Errorf("token: waiting for another process to refresh %s: %w", s.cfg.Key, ctx.Err())
		case <-time.After(wait + rand.N(wait)):
		}
		if wait < 50*time.Millisecond {
			wait *= 2
		}
	}
}

// renew keeps l's lease alive while the refresh runs, in stores whose locks
// expire (Renewer); the returned stop ends it. A lease that could not be
// renewed is left to expire: the fenced write then fails with ErrLockLost.
func (s *Source) renew(l *Lock) (stop func()) {
	r, ok := s.locker.(Renewer)
	if !ok {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(s.cfg.LockTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			ctx, cancel := context.WithTimeout(context.Background(), s.cfg.LockTTL/3)
			held, err := r.Renew(ctx, l, s.cfg.LockTTL)
			cancel()
			if err == nil && !held {
				s.cfg.Logger.LogAttrs(context.Background(), slog.LevelWarn, "token refresh lock lost while refreshing; the value will not be cached", slog.String("key", s.cfg.Key))
				return
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

func (s *Source) lockedRefresh(ctx context.Context, l *Lock) (Result, error) {
	// Someone may have refreshed between our read and our lock.
	e, ok, err := s.cfg.Store.Get(ctx, s.cfg.Key)
	if err != nil {
		return Result{}, err
	}
	if ok {
		if f, err := s.fresh(ctx, e); err != nil {
			return Result{}, err
		} else if f {
			return Result{Value: e.Value, Expires: e.Expires, Origin: FromCache}, nil
		}
	}
	return s.fetchAndStore(ctx, l)
}

func (s *Source) fetchAndStore(ctx context.Context, l *Lock) (Result, error) {
	// The lifetime counts from when the request was sent: upstream fixed
	// expires_in at some instant before its answer arrived, so counting from
	// the arrival would stretch the value's life by the answer's latency and
	// serve it after upstream expired it.
	var (
		start time.Time
		f     Fetched
	)
	for attempt := 0; ; attempt++ {
		start = s.cfg.Now()
		var err error
		if f, err = s.cfg.Fetch(ctx); err != nil {
			return Result{}, err
		}
		if err := ValidValue(f.Value); err != nil {
			return Result{}, err
		}
		if f.ExpiresIn <= 0 {
			return Result{}, fmt.Errorf("token: upstream returned expires_in %v for %s; it was not cached", f.ExpiresIn, s.cfg.Key)
		}
		took := s.cfg.Now().Sub(start)
		if took < f.ExpiresIn {
			break
		}
		// The value's whole remaining life (upstream hands out the same
		// token until it expires, with what is left) passed while the
		// answer was on its way: fetch once more, upstream then issues a
		// new one.
		if attempt == 1 {
			return Result{}, fmt.Errorf("token: the answer for %s took %v, longer than the value's lifetime (expires_in %v); it was not cached, retry", s.cfg.Key, took.Round(time.Millisecond), f.ExpiresIn)
		}
	}
	now := start
	early := s.cfg.EarlyRefresh
	if q := f.ExpiresIn / 4; early > q {
		early = q
	}
	jitter := time.Duration(0)
	if half := int64(early / 2); half > 0 {
		jitter = time.Duration(rand.Int64N(half))
	}
	e := Entry{
		Value:     f.Value,
		Expires:   now.Add(f.ExpiresIn),
		RefreshAt: now.Add(f.ExpiresIn - early - jitter),
		FP:        Fingerprint(f.Value),
		ParentFP:  Fingerprint(f.Parent),
	}
	if err := s.cfg.Store.Set(ctx, s.cfg.Key, e, l); err != nil {
		return Result{}, err
	}
	var fence int64
	if l != nil {
		fence = l.Fence
	}
	s.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, "token refreshed", slog.String("key", s.cfg.Key), slog.String("value", Mask(f.Value)), slog.Time("expires", e.Expires), slog.Int64("fence", fence))
	return Result{Value: e.Value, Expires: e.Expires, Origin: FromRemote}, nil
}
