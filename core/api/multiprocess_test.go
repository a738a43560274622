package api_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/token/redistoken"
	"github.com/wwkit/wwkit/internal/redistest"
)

// TestHelperProcess is not a test: TestMultiProcessRedis re-executes the test
// binary with WWKIT_HELPER_PROCESS=1 to get separate processes sharing one
// Redis. Each runs 100 goroutines that call user/get (which needs the token)
// and reports failures on stderr.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("WWKIT_HELPER_PROCESS") != "1" {
		t.Skip("helper process for TestMultiProcessRedis")
	}
	agent, _ := strconv.ParseInt(os.Getenv("WWKIT_HELPER_AGENT"), 10, 64)
	store, err := redistoken.Open(os.Getenv("WWKIT_HELPER_REDIS"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	c, err := api.NewWeCom(api.WeComApp{CorpID: os.Getenv("WWKIT_HELPER_CORP"), AgentID: agent, Secret: os.Getenv("WWKIT_HELPER_SECRET")},
		api.WithBaseURL(os.Getenv("WWKIT_HELPER_BASE")), api.WithStore(store), api.WithRetry(3, time.Millisecond))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	// All processes start their goroutines at the same wall-clock instant.
	start, _ := strconv.ParseInt(os.Getenv("WWKIT_HELPER_START"), 10, 64)
	time.Sleep(time.Until(time.UnixMilli(start)))
	var wg sync.WaitGroup
	var fails atomic.Int64
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.GetUser(context.Background(), "zhangsan"); err != nil {
				fails.Add(1)
				fmt.Fprintln(os.Stderr, "helper:", err)
			}
		}()
	}
	wg.Wait()
	if fails.Load() > 0 {
		os.Exit(4)
	}
	os.Exit(0)
}

// TestMultiProcessRedis: 4 processes × 100 goroutines sharing Redis make one
// gettoken call per expiry window; after expiry, exactly one more. Expiry
// comes two ways: the emulator's clock is moved past it (the cached token is
// still fresh by the processes' clocks, so every holder gets 42001 and the
// compare-and-delete + lock let one process refresh), or the token really
// expires (a 3 s TTL; the Redis TTL drops the entry and one process fetches).
func TestMultiProcessRedis(t *testing.T) {
	if os.Getenv("WWKIT_HELPER_PROCESS") == "1" {
		t.Skip("inside a helper")
	}
	for _, tc := range []struct {
		name   string
		opts   []emulator.Option
		expire func(s *emulator.Server)
	}{
		{"emulator clock passes expiry", nil, func(s *emulator.Server) { s.Emulator().Advance(2*time.Hour + time.Minute) }},
		{"token TTL runs out", []emulator.Option{emulator.WithTokenTTL(3 * time.Second)}, func(*emulator.Server) { time.Sleep(3100 * time.Millisecond) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := redistest.Start(t)
			s := startEmulator(t, tc.opts...)
			runHelpers(t, rs.URL(), s)
			if n := calls(s, pGetToken); n != 1 {
				t.Fatalf("4 processes × 100 goroutines made %d gettoken calls, want 1", n)
			}
			if n := calls(s, pUserGet); n != 400 {
				t.Fatalf("user/get calls %d, want 400", n)
			}
			tc.expire(s)
			runHelpers(t, rs.URL(), s)
			if n := calls(s, pGetToken); n != 2 {
				t.Fatalf("after expiry: %d gettoken calls in total, want 2", n)
			}
		})
	}
}

// runHelpers runs 4 helper processes at once and fails on any failed call.
func runHelpers(t *testing.T, redisURL string, s *emulator.Server) {
	t.Helper()
	fx := s.Emulator().Fixture()
	app := fx.WeCom.Apps[0]
	start := time.Now().Add(300 * time.Millisecond).UnixMilli()
	var wg sync.WaitGroup
	errs := make([]string, 4)
	for i := range 4 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(),
			"WWKIT_HELPER_PROCESS=1",
			"WWKIT_HELPER_REDIS="+redisURL,
			"WWKIT_HELPER_BASE="+s.WeComBaseURL(),
			"WWKIT_HELPER_CORP="+fx.WeCom.CorpID,
			"WWKIT_HELPER_AGENT="+strconv.FormatInt(app.AgentID, 10),
			"WWKIT_HELPER_SECRET="+app.Secret,
			"WWKIT_HELPER_START="+strconv.FormatInt(start, 10),
		)
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := cmd.CombinedOutput()
			if err != nil {
				errs[i] = fmt.Sprintf("process %d: %v\n%s", i, err, out)
			}
		}()
	}
	wg.Wait()
	if msg := strings.Join(errs, ""); msg != "" {
		t.Fatal(msg)
	}
}
