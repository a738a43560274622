// Package redistest starts a real redis-server on a free loopback port for
// tests, in a temporary directory, with persistence off, and stops it when the
// test ends. There is no mock: the tests of the Redis token store, the CLI,
// the desktop stores and the fault suite run against the real server that
// `make setup` installs (Debian package redis-server). It is the only
// redis-server starter of the repository.
package redistest

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a running redis-server.
type Server struct {
	Addr string // host:port on 127.0.0.1
	Port int
	bin  string
	dir  string
	mu   sync.Mutex
	cmd  *exec.Cmd
}

// Start runs redis-server for the duration of t. When redis-server is not
// installed the test fails with a message that `make setup` installs it,
// unless WWKIT_SKIP_REDIS=1 is set, in which case the test is skipped.
func Start(t testing.TB) *Server {
	t.Helper()
	if os.Getenv("WWKIT_SKIP_REDIS") == "1" {
		t.Skip("redistest: WWKIT_SKIP_REDIS=1, skipping the test that needs a real redis-server")
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redistest: redis-server is not installed; run `make setup` (installs the Debian package redis-server) or set WWKIT_SKIP_REDIS=1 to skip")
	}
	s := &Server{bin: bin, dir: t.TempDir()}
	s.Port = freePort(t)
	s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port))
	if err := s.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// URL is the redis:// URL of the server.
func (s *Server) URL() string { return "redis://" + s.Addr + "/0" }

// Stop kills the server and waits for it; it is safe to call twice and from
// any goroutine.
func (s *Server) Stop() {
	s.mu.Lock()
	cmd := s.cmd
	s.cmd = nil
	s.mu.Unlock()
	if cmd != nil && cmd.Process != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
}

// Restart kills the server (all data is lost, as after a crash with
// persistence off) and, after down, starts a fresh one on the same port. It
// returns an error instead of failing the test so that a fault-injection
// goroutine can call it.
func (s *Server) Restart(down time.Duration) error {
	s.Stop()
	time.Sleep(down)
	return s.start()
}

func (s *Server) start() error {
	cmd := exec.Command(s.bin,
		"--port", strconv.Itoa(s.Port),
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--dir", s.dir,
		"--daemonize", "no",
		"--protected-mode", "yes",
	)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("redistest: starting redis-server: %w", err)
	}
	s.mu.Lock()
	s.cmd = cmd
	s.mu.Unlock()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if ping(s.Addr) == nil {
			return nil
		}
	}
	s.Stop()
	return fmt.Errorf("redistest: redis-server on %s did not answer PING within 5s", s.Addr)
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("redistest: no free loopback port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// ping speaks just enough RESP to check the server is up.
func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(500 * time.Millisecond))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") {
		return errors.New("redistest: unexpected PING reply " + strconv.Quote(line))
	}
	return nil
}
