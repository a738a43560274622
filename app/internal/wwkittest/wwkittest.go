// Package wwkittest serves the tests that run the headless wwkit binary as a
// user would (app/cli, app/reliability/...): it builds the binary once per
// test binary, and gives them a buffer that a running process and the test
// can share.
package wwkittest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Main builds the headless wwkit binary (CGO_ENABLED=0, like `make build`)
// into a temporary directory, stores its path in *bin, runs the tests and
// exits with their status; call it from TestMain. A failed build ends the
// test binary with the compiler's output.
func Main(m *testing.M, bin *string) {
	dir, err := os.MkdirTemp("", "wwkit-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	*bin = filepath.Join(dir, "wwkit")
	build := exec.Command("go", "build", "-o", *bin, "github.com/wwkit/wwkit")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building wwkit: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// LockedBuffer is a bytes.Buffer safe for a process writing (as its Stdout
// or Stderr) while the test reads.
type LockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns what was written so far.
func (l *LockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Bytes returns a copy of what was written so far.
func (l *LockedBuffer) Bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]byte(nil), l.b.Bytes()...)
}

// Redis starts a real redis-server on a free loopback port for the test (no
// persistence, stopped at cleanup) and returns its redis:// URL. A missing
// redis-server fails the test with the fix, unless WWKIT_SKIP_REDIS=1 skips
// it. (core/internal/redistest does the same for core's tests, which app/
// cannot import.)
func Redis(t testing.TB) string {
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
