package token

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/wwkit/wwkit/internal/redistest"
)

// stores returns one fresh instance of every store kind, the Redis one backed
// by a real redis-server.
func stores(t *testing.T) map[string]func() Store {
	t.Helper()
	srv := redistest.Start(t)
	dir := t.TempDir()
	return map[string]func() Store{
		"memory": func() Store { return NewMemory() },
		"file":   func() Store { return NewFile(filepath.Join(dir, "cache.json")) },
		"redis": func() Store {
			s, err := openRedis(srv.URL())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
	}
}

func entry(v string, ttl time.Duration) Entry {
	now := time.Now()
	return Entry{Value: v, Expires: now.Add(ttl), RefreshAt: now.Add(ttl / 2), FP: Fingerprint(v)}
}

func TestStores(t *testing.T) {
	ctx := context.Background()
	for name, mk := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := mk()
			key := Key("test", name, "k")
			if _, ok, err := s.Get(ctx, key); ok || err != nil {
				t.Fatalf("empty store Get: ok %v err %v", ok, err)
			}
			want := entry("TOKEN-one-0123456789", time.Hour)
			if err := s.Set(ctx, key, want, nil); err != nil {
				t.Fatal(err)
			}
			got, ok, err := s.Get(ctx, key)
			if !ok || err != nil || got.Value != want.Value || got.FP != want.FP || !got.Expires.Equal(want.Expires.Truncate(time.Millisecond)) && !got.Expires.Equal(want.Expires) {
				t.Fatalf("Get after Set = %+v %v %v, want %+v", got, ok, err, want)
			}
			// compare-and-delete with another value keeps the entry
			if d, err := s.Delete(ctx, key, "TOKEN-other"); d || err != nil {
				t.Fatalf("Delete(other) = %v, %v; want false, nil", d, err)
			}
			if _, ok, _ := s.Get(ctx, key); !ok {
				t.Fatal("Delete with a different value removed the entry")
			}
			// the suffix of the value must not match either
			if d, _ := s.Delete(ctx, key, "0123456789"); d {
				t.Fatal("Delete matched a suffix of the value")
			}
			if d, err := s.Delete(ctx, key, want.Value); !d || err != nil {
				t.Fatalf("Delete(current) = %v, %v; want true, nil", d, err)
			}
			if _, ok, _ := s.Get(ctx, key); ok {
				t.Fatal("entry still there after Delete")
			}
			// empty and malformed values are refused
			for _, bad := range []string{"", "has space", "new\nline", strings.Repeat("x", 4096)} {
				if err := s.Set(ctx, key, entry(bad, time.Hour), nil); err == nil {
					t.Errorf("Set(%q) accepted a malformed value", bad)
				}
			}
			if _, ok, _ := s.Get(ctx, key); ok {
				t.Fatal("a malformed value was cached")
			}
			// expired entries are not served
			if err := s.Set(ctx, key, entry("TOKEN-short-lived", 30*time.Millisecond), nil); err != nil {
				t.Fatal(err)
			}
			time.Sleep(60 * time.Millisecond)
			if _, ok, _ := s.Get(ctx, key); ok {
				t.Fatal("expired entry served")
			}
		})
	}
}

func TestFileStoreModeAndCorruption(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "cache.json")
	s := NewFile(path)
	if err := s.Set(ctx, "k", entry("TOKEN-file-abcdef", time.Hour), nil); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("cache file mode %v, want 0600", fi.Mode().Perm())
	}
	for _, junk := range []string{"{not json", `{"k":"1\tbad"}`, `{"k":"1\t99999999999999\t0\tdeadbeef\t\tTOKEN-x"}`} {
		if err := os.WriteFile(path, []byte(junk), 0o600); err != nil {
			t.Fatal(err)
		}
		if e, ok, err := s.Get(ctx, "k"); ok || err != nil {
			t.Fatalf("corrupt file %q served %+v (err %v)", junk, e, err)
		}
	}
}

type counter struct {
	n     atomic.Int64
	delay time.Duration
	value func(n int64) string
}

func (c *counter) fetch(ctx context.Context) (Fetched, error) {
	n := c.n.Add(1)
	if c.delay > 0 {
		time.Sleep(c.delay)
	}
	v := fmt.Sprintf("TOKEN-%d-abcdefgh", n)
	if c.value != nil {
		v = c.value(n)
	}
	return Fetched{Value: v, ExpiresIn: 2 * time.Hour}, nil
}

func TestSingleFlight(t *testing.T) {
	for name, mk := range stores(t) {
		t.Run(name, func(t *testing.T) {
			c := &counter{delay: 20 * time.Millisecond}
			src, err := New(Config{Key: Key("sf", name), Store: mk(), Fetch: c.fetch})
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			var bad atomic.Int64
			for range 500 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					v, err := src.Token(context.Background())
					if err != nil || v != "TOKEN-1-abcdefgh" {
						bad.Add(1)
					}
				}()
			}
			wg.Wait()
			if got := c.n.Load(); got != 1 {
				t.Fatalf("500 concurrent callers made %d fetches, want 1", got)
			}
			if bad.Load() != 0 {
				t.Fatalf("%d callers got an error or another value", bad.Load())
			}
		})
	}
}

// TestAcrossSources simulates processes: several Sources with their own store
// clients (their own single-flight) share one Redis or one file.
func TestAcrossSources(t *testing.T) {
	srv := redistest.Start(t)
	dir := t.TempDir()
	kinds := map[string]func() Store{
		"redis": func() Store { s, _ := openRedis(srv.URL()); t.Cleanup(func() { s.Close() }); return s },
		"file":  func() Store { return NewFile(filepath.Join(dir, "c.json")) },
	}
	for name, mk := range kinds {
		t.Run(name, func(t *testing.T) {
			c := &counter{delay: 30 * time.Millisecond}
			var wg sync.WaitGroup
			var bad atomic.Int64
			for range 4 {
				src, _ := New(Config{Key: Key("across", name), Store: mk(), Fetch: c.fetch})
				for range 50 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if v, err := src.Token(context.Background()); err != nil || v != "TOKEN-1-abcdefgh" {
							bad.Add(1)
						}
					}()
				}
			}
			wg.Wait()
			if got := c.n.Load(); got != 1 {
				t.Fatalf("4 sources × 50 callers made %d fetches, want 1", got)
			}
			if bad.Load() != 0 {
				t.Fatalf("%d callers got an error or another value", bad.Load())
			}
		})
	}
}

func TestInvalidateIsCompareAndDelete(t *testing.T) {
	for name, mk := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			c := &counter{}
			src, _ := New(Config{Key: Key("inv", name), Store: mk(), Fetch: c.fetch})
			v1, _ := src.Token(ctx)
			if err := src.Invalidate(ctx, v1); err != nil {
				t.Fatal(err)
			}
			v2, _ := src.Token(ctx)
			if v2 == v1 || c.n.Load() != 2 {
				t.Fatalf("after invalidating %s got %s with %d fetches", v1, v2, c.n.Load())
			}
			// a late caller reporting the old value must not drop the new one
			for range 10 {
				if err := src.Invalidate(ctx, v1); err != nil {
					t.Fatal(err)
				}
			}
			v3, _ := src.Token(ctx)
			if v3 != v2 || c.n.Load() != 2 {
				t.Fatalf("stale invalidation caused a refresh: %s → %s, %d fetches", v2, v3, c.n.Load())
			}
		})
	}
}

func TestEmptyAndMalformedNeverCached(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		value string
		exp   time.Duration
	}{
		{"empty", "", time.Hour},
		{"space", "a b", time.Hour},
		{"zero expiry", "TOKEN-ok-123456", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int64
			store := NewMemory()
			src, _ := New(Config{Key: "k", Store: store, Fetch: func(ctx context.Context) (Fetched, error) {
				n.Add(1)
				return Fetched{Value: tc.value, ExpiresIn: tc.exp}, nil
			}})
			for range 3 {
				v, err := src.Token(ctx)
				if err == nil || v != "" {
					t.Fatalf("Token() = %q, %v; want an error and no value", v, err)
				}
			}
			if n.Load() != 3 {
				t.Fatalf("fetches %d, want 3 (nothing cached)", n.Load())
			}
			if _, ok, _ := store.Get(ctx, "k"); ok {
				t.Fatal("a bad value was cached")
			}
		})
	}
}

func TestTicketFollowsToken(t *testing.T) {
	for name, mk := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			store := mk()
			tokens := &counter{}
			tok, _ := New(Config{Key: Key("tok", name), Store: store, Fetch: tokens.fetch})
			var tickets atomic.Int64
			tick, _ := New(Config{Key: Key("tick", name), Store: store, Parent: tok, Fetch: func(ctx context.Context) (Fetched, error) {
				p, err := tok.Token(ctx)
				if err != nil {
					return Fetched{}, err
				}
				n := tickets.Add(1)
				return Fetched{Value: fmt.Sprintf("TICKET-%d-for-%s", n, p), ExpiresIn: time.Hour * 2, Parent: p}, nil
			}})
			t1, _ := tick.Token(ctx)
			t1b, _ := tick.Token(ctx)
			if t1 != t1b || tickets.Load() != 1 {
				t.Fatalf("second ticket read refetched: %s %s (%d)", t1, t1b, tickets.Load())
			}
			old, _ := tok.Token(ctx)
			_ = tok.Invalidate(ctx, old)
			t2, _ := tick.Token(ctx)
			if t2 == t1 || tickets.Load() != 2 || !strings.HasSuffix(t2, "TOKEN-2-abcdefgh") {
				t.Fatalf("ticket not refetched after the token changed: %s → %s (%d fetches)", t1, t2, tickets.Load())
			}
			if t3, _ := tick.Token(ctx); t3 != t2 || tickets.Load() != 2 {
				t.Fatalf("ticket refetched although the token did not change")
			}
		})
	}
}

// TestExpiryCountsFromTheRequest is the regression test for what the fault
// suite (app/reliability/faults) found: with a slow answer, the expiry was
// counted from when the answer arrived, so a token was served for up to the
// answer's latency after upstream had expired it (42001 for the callers).
func TestExpiryCountsFromTheRequest(t *testing.T) {
	var now atomic.Int64
	base := time.Now()
	clock := func() time.Time { return base.Add(time.Duration(now.Load())) }
	fetch := func(context.Context) (Fetched, error) {
		// upstream fixed expires_in somewhere in these 700 ms
		now.Add(int64(700 * time.Millisecond))
		return Fetched{Value: "TOKEN-slow-abcdefgh", ExpiresIn: time.Hour}, nil
	}
	src, err := New(Config{Key: "slow", Store: NewMemory(), Fetch: fetch, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	r, err := src.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if latest := base.Add(time.Hour); r.Expires.After(latest) {
		t.Fatalf("expires %v after the latest possible upstream expiry (latency counted as lifetime)", r.Expires.Sub(latest))
	}
}

// TestValueExpiredInFlightIsRefetched: an answer that took longer than the
// value's remaining life (the same token, in its last second, over a slow
// network) is not cached and not failed: the source fetches once more.
func TestValueExpiredInFlightIsRefetched(t *testing.T) {
	var now, calls atomic.Int64
	base := time.Now()
	clock := func() time.Time { return base.Add(time.Duration(now.Load())) }
	fetch := func(context.Context) (Fetched, error) {
		now.Add(int64(1200 * time.Millisecond))
		if calls.Add(1) == 1 {
			return Fetched{Value: "TOKEN-old-abcdefgh", ExpiresIn: time.Second}, nil
		}
		return Fetched{Value: "TOKEN-new-abcdefgh", ExpiresIn: time.Hour}, nil
	}
	src, err := New(Config{Key: "inflight", Store: NewMemory(), Fetch: fetch, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	r, err := src.Get(context.Background())
	if err != nil || r.Value != "TOKEN-new-abcdefgh" || calls.Load() != 2 {
		t.Fatalf("got %q, %v after %d fetches; want the new value after 2", r.Value, err, calls.Load())
	}
}

func TestEarlyRefreshInBackground(t *testing.T) {
	ctx := context.Background()
	var now atomic.Int64
	base := time.Now()
	clock := func() time.Time { return base.Add(time.Duration(now.Load())) }
	store := NewMemory()
	c := &counter{}
	src, _ := New(Config{Key: "early", Store: store, Fetch: c.fetch, Now: clock, EarlyRefresh: 10 * time.Minute})
	v1, _ := src.Token(ctx)
	now.Store(int64(2*time.Hour - time.Minute)) // past RefreshAt, before Expires
	store.now = clock
	v, err := src.Token(ctx)
	if err != nil || v != v1 {
		t.Fatalf("inside the early window got %q, %v; want the cached %q", v, err, v1)
	}
	deadline := time.Now().Add(2 * time.Second)
	for c.n.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if c.n.Load() != 2 {
		t.Fatalf("no background refresh (fetches %d)", c.n.Load())
	}
	time.Sleep(10 * time.Millisecond)
	if v, _ := src.Token(ctx); v == v1 {
		t.Fatal("value not replaced by the early refresh")
	}
}

// TestRedisRestartDuringRefresh restarts redis-server while a refresh is in
// flight: every caller either fails with an error or gets the new value;
// nobody gets an empty or stale one.
func TestRedisRestartDuringRefresh(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	st, _ := openRedis(srv.URL())
	defer st.Close()
	// seed a stale value that must never be served after it is invalidated
	stale := "TOKEN-stale-zzzzzz"
	if err := st.Set(ctx, "wwkit:restart", entry(stale, time.Hour), nil); err != nil {
		t.Fatal(err)
	}
	var fetches atomic.Int64
	started := make(chan struct{})
	src, _ := New(Config{Key: "wwkit:restart", Store: st, LockTTL: 2 * time.Second, Fetch: func(ctx context.Context) (Fetched, error) {
		if fetches.Add(1) == 1 {
			close(started)
			time.Sleep(200 * time.Millisecond) // redis restarts meanwhile
		}
		return Fetched{Value: fmt.Sprintf("TOKEN-new-%d-xxxx", fetches.Load()), ExpiresIn: time.Hour}, nil
	}})
	if err := src.Invalidate(ctx, stale); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var errs, oks atomic.Int64
	var badMu sync.Mutex
	var bad []string
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := src.Token(ctx)
			if err != nil {
				errs.Add(1)
				return
			}
			if v == "" || v == stale || !strings.HasPrefix(v, "TOKEN-new-") {
				badMu.Lock()
				bad = append(bad, v)
				badMu.Unlock()
				return
			}
			oks.Add(1)
		}()
	}
	<-started
	if err := srv.Restart(0); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if len(bad) > 0 {
		t.Fatalf("callers got stale or empty values: %q", bad)
	}
	// the first refresh lost its lock with the restart: its write is refused
	if errs.Load() == 0 {
		t.Fatalf("expected the in-flight refresh to fail with ErrLockLost after the restart (oks %d)", oks.Load())
	}
	// afterwards the source recovers
	v, err := src.Token(ctx)
	if err != nil || !strings.HasPrefix(v, "TOKEN-new-") {
		t.Fatalf("after restart Token() = %q, %v", v, err)
	}
}

func TestLockLostIsReported(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	st, _ := openRedis(srv.URL())
	defer st.Close()
	l, ok, err := st.TryLock(ctx, "k", 50*time.Millisecond)
	if !ok || err != nil || l.Fence != 1 {
		t.Fatalf("TryLock = %+v %v %v", l, ok, err)
	}
	if _, ok2, _ := st.TryLock(ctx, "k", time.Second); ok2 {
		t.Fatal("second TryLock acquired a held lock")
	}
	time.Sleep(80 * time.Millisecond)
	l2, ok, _ := st.TryLock(ctx, "k", time.Second)
	if !ok || l2.Fence != 2 {
		t.Fatalf("lock after expiry: %+v %v (want fence 2)", l2, ok)
	}
	if err := st.Set(ctx, "k", entry("TOKEN-late-writer", time.Hour), l); !errors.Is(err, ErrLockLost) {
		t.Fatalf("write with an expired lock: %v, want ErrLockLost", err)
	}
	if err := st.Set(ctx, "k", entry("TOKEN-owner-writer", time.Hour), l2); err != nil {
		t.Fatalf("write by the owner: %v", err)
	}
	_ = st.Unlock(ctx, l) // not the owner: must not release l2
	if _, ok, _ := st.TryLock(ctx, "k", time.Second); ok {
		t.Fatal("a stale Unlock released someone else's lock")
	}
}

func TestMaskAndFingerprint(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""}, {"short", "****"}, {"abcdefghijklmnop", "abcd…mnop"},
	} {
		if got := Mask(tc.in); got != tc.want {
			t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if fp := Fingerprint("secret-value"); len(fp) != 16 || strings.Contains(fp, "secret") {
		t.Errorf("Fingerprint = %q", fp)
	}
}

var _ = redis.Nil

// TestFastPathExpires checks the clock-free fast path of the memory store
// stops serving a value once its RefreshAt passes (real clock).
func TestFastPathExpires(t *testing.T) {
	c := &counter{}
	src, _ := New(Config{Key: "fast", Store: NewMemory(), Fetch: func(ctx context.Context) (Fetched, error) {
		f, _ := c.fetch(ctx)
		f.ExpiresIn = 400 * time.Millisecond // refresh window: the last 100–150 ms
		return f, nil
	}})
	ctx := context.Background()
	v1, _ := src.Token(ctx)
	if v, _ := src.Token(ctx); v != v1 || c.n.Load() != 1 {
		t.Fatalf("second read refetched")
	}
	time.Sleep(450 * time.Millisecond) // past expiry
	v2, err := src.Token(ctx)
	if err != nil || v2 == v1 || c.n.Load() != 2 {
		t.Fatalf("after expiry got %q (%v), fetches %d; want a new value", v2, err, c.n.Load())
	}
}

// TestEarlyRefreshWhileLockedElsewhere: a background early refresh finds the
// lock held by another process; a caller whose value then expires joins it
// and must get a real value (never an empty one).
func TestEarlyRefreshWhileLockedElsewhere(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	st, _ := openRedis(srv.URL())
	other, _ := openRedis(srv.URL())
	defer st.Close()
	defer other.Close()
	var now atomic.Int64
	base := time.Now()
	clock := func() time.Time { return base.Add(time.Duration(now.Load())) }
	c := &counter{}
	src, _ := New(Config{Key: "wwkit:early-locked", Store: st, Fetch: c.fetch, Now: clock, LockTTL: 2 * time.Second})
	v1, err := src.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	l, ok, err := other.TryLock(ctx, "wwkit:early-locked", 5*time.Second)
	if !ok || err != nil {
		t.Fatalf("other process lock: %v %v", ok, err)
	}
	now.Store(int64(2*time.Hour - time.Minute)) // early window
	if v, err := src.Token(ctx); v != v1 || err != nil {
		t.Fatalf("early window: %q %v", v, err)
	}
	now.Store(int64(2*time.Hour + time.Minute)) // expired by our clock
	go func() {
		time.Sleep(200 * time.Millisecond)
		_ = other.Unlock(ctx, l)
	}()
	v, err := src.Token(ctx)
	if err != nil || v == "" || v == v1 {
		t.Fatalf("after expiry got %q, %v; want the refreshed value", v, err)
	}
	if c.n.Load() != 2 {
		t.Fatalf("fetches %d, want 2", c.n.Load())
	}
}
