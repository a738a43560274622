package api_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/token"
	"github.com/wwkit/wwkit/core/token/redistoken"
	"github.com/wwkit/wwkit/internal/redistest"
)

// Fault tests of the suite chain (suite_ticket → suite_access_token →
// corp token → tickets) against the emulator over HTTP. They live here
// rather than in core/token because they need the Suite client and the
// helper-process pattern of TestMultiProcessRedis.

const (
	pSuiteToken = "/wecom/cgi-bin/service/get_suite_token"
	pCorpToken  = "/wecom/cgi-bin/service/get_corp_token"
	pPreAuth    = "/wecom/cgi-bin/service/get_pre_auth_code"
	pCorpTicket = "/wecom/cgi-bin/get_jsapi_ticket"
)

// installed pushes a ticket, installs the suite and returns the grant.
func installed(t *testing.T, s *emulator.Server, suite *api.Suite, recv *suiteReceiver) (corpID, permanentCode string, agentID int64) {
	t.Helper()
	adminPost(t, s, "suite/ticket", map[string]any{"url": recv.URL})
	adminPost(t, s, "suite/install", map[string]any{"url": recv.URL})
	pc, err := suite.GetPermanentCode(context.Background(), &api.AuthCodeBody{AuthCode: recv.last("create_auth").AuthCode})
	if err != nil {
		t.Fatal(err)
	}
	return pc.AuthCorpInfo.CorpID, pc.PermanentCode, pc.AuthInfo.Agent[0].AgentID
}

// TestSuiteTokenExpiresMidFlight: the suite_access_token expires at the
// emulator while the client still holds it as fresh. A service call gets
// 42009 and the client fetches one new suite token; a corp call whose corp
// token expired too gets 42001, asks get_corp_token, which answers 42009,
// and the chain recovers with one more get_suite_token. 40082 (an invalid
// suite token) is handled the same way.
func TestSuiteTokenExpiresMidFlight(t *testing.T) {
	s, suite, recv := startSuite(t)
	ctx := context.Background()
	corpID, pcode, agentID := installed(t, s, suite, recv)
	corp, err := suite.Corp(corpID, pcode, agentID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := corp.GetUser(ctx, "zhangsan"); err != nil {
		t.Fatal(err)
	}
	if n := calls(s, pSuiteToken); n != 1 {
		t.Fatalf("get_suite_token calls %d before the expiry, want 1", n)
	}

	s.Emulator().ExpireTokens()
	if _, err := suite.GetPreAuthCode(ctx); err != nil {
		t.Fatalf("service call after the suite token expired: %v", err)
	}
	if n := calls(s, pSuiteToken); n != 2 {
		t.Fatalf("get_suite_token calls %d after a 42009, want 2", n)
	}

	s.Emulator().ExpireTokens()
	if _, err := corp.GetUser(ctx, "zhangsan"); err != nil {
		t.Fatalf("corp call after both tokens expired: %v", err)
	}
	// get_corp_token: the first corp call's, the one refused with 42009
	// and its retry with the new suite token.
	if n, c := calls(s, pSuiteToken), calls(s, pCorpToken); n != 3 || c != 3 {
		t.Fatalf("after expiring both: get_suite_token %d (want 3), get_corp_token %d (want 3)", n, c)
	}

	s.Emulator().InjectFault(emulator.Fault{Path: pPreAuth, Errcode: 40082, Count: 1})
	if _, err := suite.GetPreAuthCode(ctx); err != nil {
		t.Fatalf("after a 40082: %v", err)
	}
	if n := calls(s, pSuiteToken); n != 4 {
		t.Fatalf("get_suite_token calls %d after a 40082, want 4", n)
	}
	// A second 40082 in a row is an error, not a loop.
	s.Emulator().InjectFault(emulator.Fault{Path: pPreAuth, Errcode: 40082, Count: 2})
	if _, err := suite.GetPreAuthCode(ctx); !api.IsCode(err, 40082) {
		t.Fatalf("two 40082 in a row: %v, want the 40082", err)
	}
}

// waitForCall waits until the emulator has received a call of path (it is
// counted on arrival, before an injected delay).
func waitForCall(t *testing.T, s *emulator.Server, path string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for calls(s, path) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no call of %s within 10 s", path)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestSuiteTicketDuringRefresh: a new suite_ticket arrives while
// get_suite_token is running.
func TestSuiteTicketDuringRefresh(t *testing.T) {
	ctx := context.Background()
	t.Run("the old ticket is refused: retried with the new one", func(t *testing.T) {
		s, suite, recv := startSuite(t)
		adminPost(t, s, "suite/ticket", map[string]any{"url": recv.URL})
		old, _ := suite.Ticket(ctx)
		s.Emulator().InjectFault(emulator.Fault{Path: pSuiteToken, DelayMs: 1500, Errcode: 40085, Count: 1})
		done := make(chan error, 1)
		go func() { _, err := suite.AccessToken(ctx); done <- err }()
		waitForCall(t, s, pSuiteToken)
		adminPost(t, s, "suite/ticket", map[string]any{"url": recv.URL})
		if err := <-done; err != nil {
			t.Fatalf("refresh with a ticket that changed mid-flight: %v", err)
		}
		if n := calls(s, pSuiteToken); n != 2 {
			t.Fatalf("get_suite_token calls %d, want 2 (the refused one and one with the new ticket)", n)
		}
		if cur, _ := suite.Ticket(ctx); cur == old || cur != recv.last("suite_ticket").SuiteTicket {
			t.Fatal("the stored ticket is not the newest pushed")
		}
	})
	t.Run("the old ticket is still valid: its token is kept", func(t *testing.T) {
		s, suite, recv := startSuite(t)
		adminPost(t, s, "suite/ticket", map[string]any{"url": recv.URL})
		s.Emulator().InjectFault(emulator.Fault{Path: pSuiteToken, DelayMs: 1500, Count: 1})
		done := make(chan error, 1)
		go func() { _, err := suite.AccessToken(ctx); done <- err }()
		waitForCall(t, s, pSuiteToken)
		adminPost(t, s, "suite/ticket", map[string]any{"url": recv.URL})
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if cur, _ := suite.Ticket(ctx); cur != recv.last("suite_ticket").SuiteTicket {
			t.Fatal("the refresh overwrote the newer ticket")
		}
		if _, err := suite.GetPreAuthCode(ctx); err != nil {
			t.Fatal(err)
		}
		if n := calls(s, pSuiteToken); n != 1 {
			t.Fatalf("get_suite_token calls %d, want 1", n)
		}
		// The next push after the token was stored drops it: one more fetch.
		adminPost(t, s, "suite/ticket", map[string]any{"url": recv.URL})
		if _, err := suite.GetPreAuthCode(ctx); err != nil {
			t.Fatal(err)
		}
		if n := calls(s, pSuiteToken); n != 2 {
			t.Fatalf("get_suite_token calls %d after a new ticket, want 2", n)
		}
	})
}

// TestSuiteTicketSharedThroughStore: a ticket stored by one process is
// read by another through a file or Redis store, and a missing one is the
// documented error.
func TestSuiteTicketSharedThroughStore(t *testing.T) {
	ctx := context.Background()
	rs := redistest.Start(t)
	for _, tc := range []struct {
		name string
		open func(t *testing.T) (token.Store, token.Store)
	}{
		{"file", func(t *testing.T) (token.Store, token.Store) {
			p := filepath.Join(t.TempDir(), "tokens.json")
			return token.NewFile(p), token.NewFile(p)
		}},
		{"redis", func(t *testing.T) (token.Store, token.Store) {
			a, err := redistoken.Open(rs.URL())
			if err != nil {
				t.Fatal(err)
			}
			b, err := redistoken.Open(rs.URL())
			if err != nil {
				t.Fatal(err)
			}
			return a, b
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sa, sb := tc.open(t)
			app := api.SuiteApp{SuiteID: "wwsuite" + tc.name, Secret: "secret-0123456789"}
			a, _ := api.NewSuite(app, api.WithStore(sa))
			b, _ := api.NewSuite(app, api.WithStore(sb))
			if _, err := b.Ticket(ctx); err == nil || !strings.Contains(err.Error(), "no suite_ticket yet") {
				t.Fatalf("no ticket: %v", err)
			}
			if err := a.SetTicket(ctx, "ticket-from-process-a"); err != nil {
				t.Fatal(err)
			}
			if got, err := b.Ticket(ctx); err != nil || got != "ticket-from-process-a" {
				t.Fatalf("process b reads %q, %v", got, err)
			}
			if at, ok, err := b.TicketAge(ctx); err != nil || !ok || time.Since(at) > time.Minute {
				t.Fatalf("ticket age: %v %v %v", at, ok, err)
			}
		})
	}
}

// TestSuiteHelperProcess is not a test: TestSuiteMultiProcessRedis runs it
// in separate processes sharing Redis. Each runs 50 goroutines that read a
// member and the corp jsapi_ticket of the authorised corp.
func TestSuiteHelperProcess(t *testing.T) {
	if os.Getenv("WWKIT_SUITE_HELPER") != "1" {
		t.Skip("helper process for TestSuiteMultiProcessRedis")
	}
	store, err := redistoken.Open(os.Getenv("WWKIT_HELPER_REDIS"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	suite, err := api.NewSuite(api.SuiteApp{SuiteID: os.Getenv("WWKIT_HELPER_SUITE"), Secret: os.Getenv("WWKIT_HELPER_SECRET")},
		api.WithBaseURL(os.Getenv("WWKIT_HELPER_BASE")), api.WithStore(store), api.WithRetry(3, time.Millisecond))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	agent, _ := strconv.ParseInt(os.Getenv("WWKIT_HELPER_AGENT"), 10, 64)
	corp, err := suite.Corp(os.Getenv("WWKIT_HELPER_CORP"), os.Getenv("WWKIT_HELPER_PCODE"), agent)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	start, _ := strconv.ParseInt(os.Getenv("WWKIT_HELPER_START"), 10, 64)
	time.Sleep(time.Until(time.UnixMilli(start)))
	var wg sync.WaitGroup
	var fails atomic.Int64
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			if _, err := corp.GetUser(ctx, "zhangsan"); err != nil {
				fails.Add(1)
				fmt.Fprintln(os.Stderr, "helper:", err)
			}
			if _, err := corp.JSAPITicket(ctx); err != nil {
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

// TestSuiteMultiProcessRedis: two processes × 50 goroutines sharing Redis,
// with only the suite_ticket in it (stored by the callback receiver), make
// one get_suite_token, one get_corp_token for the authorised corp and one
// get_jsapi_ticket, counted at the emulator.
func TestSuiteMultiProcessRedis(t *testing.T) {
	if os.Getenv("WWKIT_SUITE_HELPER") == "1" || os.Getenv("WWKIT_HELPER_PROCESS") == "1" {
		t.Skip("inside a helper")
	}
	rs := redistest.Start(t)
	store, err := redistoken.Open(rs.URL())
	if err != nil {
		t.Fatal(err)
	}
	fx := emulator.DefaultFixture()
	s := startEmulator(t, emulator.WithFixture(fx))
	su := fx.Suites[0]
	app := api.SuiteApp{SuiteID: su.SuiteID, Secret: su.Secret}
	// The callback receiver stores tickets in Redis; the install runs with
	// a client of its own (memory store), so Redis starts with the ticket
	// only.
	shared, err := api.NewSuite(app, api.WithBaseURL(s.WeComBaseURL()), api.WithStore(store))
	if err != nil {
		t.Fatal(err)
	}
	recv := newSuiteReceiver(t, su, shared)
	own, err := api.NewSuite(app, api.WithBaseURL(s.WeComBaseURL()))
	if err != nil {
		t.Fatal(err)
	}
	adminPost(t, s, "suite/ticket", map[string]any{"url": recv.URL})
	ticket, err := shared.Ticket(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := own.SetTicket(context.Background(), ticket); err != nil {
		t.Fatal(err)
	}
	adminPost(t, s, "suite/install", map[string]any{"url": recv.URL})
	pc, err := own.GetPermanentCode(context.Background(), &api.AuthCodeBody{AuthCode: recv.last("create_auth").AuthCode})
	if err != nil {
		t.Fatal(err)
	}
	// The install's suite token is not in Redis, and the corp token in
	// the get_permanent_code answer is not cached: count from here.
	s.Emulator().ResetStats()

	start := time.Now().Add(300 * time.Millisecond).UnixMilli()
	var wg sync.WaitGroup
	errs := make([]string, 2)
	for i := range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSuiteHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(),
			"WWKIT_SUITE_HELPER=1",
			"WWKIT_HELPER_REDIS="+rs.URL(),
			"WWKIT_HELPER_BASE="+s.WeComBaseURL(),
			"WWKIT_HELPER_SUITE="+su.SuiteID,
			"WWKIT_HELPER_SECRET="+su.Secret,
			"WWKIT_HELPER_CORP="+pc.AuthCorpInfo.CorpID,
			"WWKIT_HELPER_PCODE="+pc.PermanentCode,
			"WWKIT_HELPER_AGENT="+strconv.FormatInt(pc.AuthInfo.Agent[0].AgentID, 10),
			"WWKIT_HELPER_START="+strconv.FormatInt(start, 10),
		)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[i] = fmt.Sprintf("process %d: %v\n%s", i, err, out)
			}
		}()
	}
	wg.Wait()
	if msg := strings.Join(errs, ""); msg != "" {
		t.Fatal(msg)
	}
	if n, c, j, u := calls(s, pSuiteToken), calls(s, pCorpToken), calls(s, pCorpTicket), calls(s, pUserGet); n != 1 || c != 1 || j != 1 || u != 100 {
		t.Fatalf("2 processes × 50 goroutines: get_suite_token %d, get_corp_token %d, get_jsapi_ticket %d, user/get %d; want 1, 1, 1, 100", n, c, j, u)
	}
}
