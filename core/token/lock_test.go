package token

import (
	"context"
	"os"
	"os/exec"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/wwkit/wwkit/internal/redistest"
)

const abandonKey = "wwkit:abandoned"

// TestAbandonedLockHelper is the process TestAbandonedLock starts: it finds
// its cached token inside the early-refresh window, so Get starts a
// background refresh that takes the Redis lock, and the process exits while
// upstream has not answered yet, without closing its store (as a program
// that is killed, or returns from main, does).
func TestAbandonedLockHelper(t *testing.T) {
	url := os.Getenv("WWKIT_TOKEN_ABANDON_REDIS")
	if url == "" {
		t.Skip("helper process of TestAbandonedLock")
	}
	st, err := openRedis(url)
	if err != nil {
		t.Fatal(err)
	}
	src, _ := New(Config{Key: abandonKey, Store: st, Fetch: func(ctx context.Context) (Fetched, error) {
		<-ctx.Done() // upstream never answers before the exit
		return Fetched{}, ctx.Err()
	}})
	if _, err := src.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	for {
		if n, _ := st.Client().Exists(context.Background(), abandonKey+":lock").Result(); n == 1 {
			os.Exit(0)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestAbandonedLock reproduces a `wwkit token` run that exits in the middle
// of a background refresh, holding the refresh lock: the other processes
// must not stall for long once the value expires. The lock left behind
// lives at most one lease (LockTTL), and a waiter takes over when it ends,
// well inside WeCom's 5 s callback budget.
func TestAbandonedLock(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	st, _ := openRedis(srv.URL())
	defer st.Close()
	now := time.Now()
	// Cached, valid for a minute, already past its RefreshAt.
	e := Entry{Value: "TOKEN-old-aaaaaaaa", Expires: now.Add(time.Minute), RefreshAt: now.Add(-time.Second), FP: Fingerprint("TOKEN-old-aaaaaaaa")}
	if err := st.Set(ctx, abandonKey, e, nil); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestAbandonedLockHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "WWKIT_TOKEN_ABANDON_REDIS="+srv.URL())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	left, err := st.Client().PTTL(ctx, abandonKey+":lock").Result()
	if err != nil {
		t.Fatal(err)
	}
	if left <= 0 {
		t.Fatalf("the helper left no lock behind (PTTL %v): the test reproduces nothing", left)
	}
	if left > DefaultLockTTL {
		t.Errorf("the abandoned lock still lives %v, more than one lease (%v): every process waits that long for it", left, DefaultLockTTL)
	}
	// The value expires (deleted here); a caller in another process must
	// refresh it and finds the lock abandoned.
	if err := st.Client().Del(ctx, abandonKey).Err(); err != nil {
		t.Fatal(err)
	}
	var fetches atomic.Int64
	src, _ := New(Config{Key: abandonKey, Store: st, Fetch: func(context.Context) (Fetched, error) {
		fetches.Add(1)
		return Fetched{Value: "TOKEN-new-bbbbbbbb", ExpiresIn: time.Hour}, nil
	}})
	// The caller that starts a refresh waits for it whatever its context
	// says (others may be joining it), so the stall is measured: a liveness
	// bound of five leases, not a speed figure.
	start := time.Now()
	v, err := src.Token(ctx)
	if err != nil || v != "TOKEN-new-bbbbbbbb" || fetches.Load() != 1 {
		t.Fatalf("after the lock was abandoned: %q, %v (fetches %d); want the new token", v, err, fetches.Load())
	}
	if stall := time.Since(start); stall > 5*DefaultLockTTL {
		t.Errorf("the caller stalled %v behind the abandoned lock, more than WeCom's 5 s callback budget", stall.Round(time.Millisecond))
	}
}

// TestLockRenewedWhileRefreshing: a refresh that takes several leases keeps
// its lock (renewed every LockTTL/3), so nobody else fetches meanwhile and
// its fenced write succeeds; the lock is gone afterwards.
func TestLockRenewedWhileRefreshing(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	a, _ := openRedis(srv.URL())
	b, _ := openRedis(srv.URL())
	defer a.Close()
	defer b.Close()
	var fetches atomic.Int64
	slow := func(context.Context) (Fetched, error) {
		fetches.Add(1)
		time.Sleep(4 * 150 * time.Millisecond) // four leases
		return Fetched{Value: "TOKEN-slow-cccccccc", ExpiresIn: time.Hour}, nil
	}
	srcA, _ := New(Config{Key: "wwkit:renew", Store: a, Fetch: slow, LockTTL: 150 * time.Millisecond})
	srcB, _ := New(Config{Key: "wwkit:renew", Store: b, Fetch: slow, LockTTL: 150 * time.Millisecond})
	done := make(chan error, 1)
	go func() { _, err := srcA.Token(ctx); done <- err }()
	for {
		if n, _ := a.Client().Exists(ctx, "wwkit:renew:lock").Result(); n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	v, err := srcB.Token(ctx)
	if err != nil || v != "TOKEN-slow-cccccccc" {
		t.Fatalf("waiter: %q %v", v, err)
	}
	if err := <-done; err != nil {
		t.Fatalf("owner: %v (its lease was not renewed)", err)
	}
	if n := fetches.Load(); n != 1 {
		t.Errorf("%d fetches, want 1: the lease lapsed while its owner was alive", n)
	}
	if n, _ := a.Client().Exists(ctx, "wwkit:renew:lock").Result(); n != 0 {
		t.Error("the lock is still held after the refresh")
	}
}

// TestCloseReleasesLocks: closing a Redis store while one of its refreshes
// waits for upstream releases that lock at once, and the refresh's late
// write is refused instead of overwriting a newer value.
func TestCloseReleasesLocks(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	st, _ := openRedis(srv.URL())
	started := make(chan struct{})
	release := make(chan struct{})
	src, _ := New(Config{Key: "wwkit:close", Store: st, Fetch: func(context.Context) (Fetched, error) {
		close(started)
		<-release
		return Fetched{Value: "TOKEN-late-dddddddd", ExpiresIn: time.Hour}, nil
	}})
	done := make(chan error, 1)
	go func() { _, err := src.Token(ctx); done <- err }()
	<-started
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	probe := redis.NewClient(&redis.Options{Addr: srv.Addr})
	defer probe.Close()
	if n, _ := probe.Exists(ctx, "wwkit:close:lock").Result(); n != 0 {
		t.Error("Close left the refresh lock held")
	}
	close(release)
	if err := <-done; err == nil {
		t.Error("the refresh cut off by Close reported success")
	}
}

// TestNoBackgroundRefresh: a short-lived caller gets the cached value in the
// early window without starting a refresh, so it holds no lock at exit; an
// expired value is still refreshed.
func TestNoBackgroundRefresh(t *testing.T) {
	srv := redistest.Start(t)
	ctx := NoBackgroundRefresh(context.Background())
	st, _ := openRedis(srv.URL())
	defer st.Close()
	now := time.Now()
	e := Entry{Value: "TOKEN-cached-eeeeeeee", Expires: now.Add(time.Minute), RefreshAt: now.Add(-time.Second), FP: Fingerprint("TOKEN-cached-eeeeeeee")}
	if err := st.Set(ctx, "wwkit:cli", e, nil); err != nil {
		t.Fatal(err)
	}
	var fetches atomic.Int64
	src, _ := New(Config{Key: "wwkit:cli", Store: st, Fetch: func(context.Context) (Fetched, error) {
		fetches.Add(1)
		return Fetched{Value: "TOKEN-fresh-ffffffff", ExpiresIn: time.Hour}, nil
	}})
	if v, err := src.Token(ctx); err != nil || v != e.Value {
		t.Fatalf("early window: %q %v", v, err)
	}
	time.Sleep(20 * time.Millisecond) // a background refresh would have started by now
	if n, _ := st.Client().Exists(ctx, "wwkit:cli:lock").Result(); n != 0 || fetches.Load() != 0 {
		t.Fatalf("a short-lived caller started a refresh (lock %d, fetches %d)", n, fetches.Load())
	}
	if _, err := st.Client().Del(ctx, "wwkit:cli").Result(); err != nil {
		t.Fatal(err)
	}
	if v, err := src.Token(ctx); err != nil || v != "TOKEN-fresh-ffffffff" {
		t.Fatalf("expired: %q %v; want a foreground refresh", v, err)
	}
}
