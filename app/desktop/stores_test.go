package desktop

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/emulator"
)

// startRedis starts a real redis-server for the test. Missing redis-server
// fails the test unless WWKIT_SKIP_REDIS=1.
func startRedis(t *testing.T) string {
	t.Helper()
	if os.Getenv("WWKIT_SKIP_REDIS") == "1" {
		t.Skip("WWKIT_SKIP_REDIS=1")
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatal("redis-server is not installed; run `make setup` (installs the Debian package redis-server) or set WWKIT_SKIP_REDIS=1")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "redis://" + addr + "/0"
		}
	}
	t.Fatal("redis-server did not start within 5s")
	return ""
}

// TestTokenStores: a profile's store setting decides where its tokens are
// cached, and the inspector says so: Redis and file:PATH are shared by two
// Apps (one fetches, the other reads the cache), memory is not.
func TestTokenStores(t *testing.T) {
	corp, err := emulator.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer corp.Close()
	fx := emulator.DefaultFixture()
	redisURL := startRedis(t)
	shared := filepath.Join(t.TempDir(), "shared-tokens.json")
	for _, tc := range []struct{ store, kind string }{{redisURL, "redis"}, {"file:" + shared, "file"}, {"", "memory"}} {
		t.Run(tc.kind, func(t *testing.T) {
			in := ProfileInput{Name: "corp", Platform: "mp", AppID: fx.MP.AppID, Secret: fx.MP.AppSecret, APIBaseURL: corp.MPBaseURL(), Store: tc.store}
			a := startApp(t, Config{})
			b := startApp(t, Config{})
			for _, app := range []*App{a, b} {
				p, err := app.Profiles.Add(in)
				if err != nil {
					t.Fatal(err)
				}
				if p.TokenStore != tc.kind {
					t.Errorf("token store %q, want %q", p.TokenStore, tc.kind)
				}
			}
			first, err := a.Tokens.Fetch("corp")
			if err != nil || first[0].Source != tc.kind+" (remote)" || first[0].Store != tc.kind {
				t.Fatalf("first = %+v, %v", first, err)
			}
			second, err := b.Tokens.Fetch("corp")
			if err != nil {
				t.Fatal(err)
			}
			wantOrigin := "cache"
			if tc.kind == "memory" {
				wantOrigin = "remote"
			}
			if second[0].Origin != wantOrigin || second[0].Source != tc.kind+" ("+wantOrigin+")" {
				t.Errorf("second App: %+v, want origin %s", second[0], wantOrigin)
			}
			if tc.kind != "memory" && second[0].Fingerprint != first[0].Fingerprint {
				t.Errorf("a shared store served another token: %s vs %s", second[0].Fingerprint, first[0].Fingerprint)
			}
		})
	}
}
