// Package redistest starts a real redis-server on a free loopback port for
// tests, in a temporary directory, with persistence off, and stops it when the
// test ends. There is no mock: the tests of the Redis token store run against
// the real server that `make setup` installs (Debian package redis-server).
package redistest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Server is a running redis-server.
type Server struct {
	Addr string // host:port on 127.0.0.1
	Port int
	dir  string
	cmd  *exec.Cmd
	t    testing.TB
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
	s := &Server{dir: t.TempDir(), t: t}
	s.Port = freePort(t)
	s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port))
	s.start(bin)
	t.Cleanup(s.Stop)
	return s
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("redistest: no free loopback port: %v", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

func (s *Server) start(bin string) {
	s.t.Helper()
	s.cmd = exec.Command(bin,
		"--port", strconv.Itoa(s.Port),
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--dir", s.dir,
		"--daemonize", "no",
		"--protected-mode", "yes",
	)
	s.cmd.Stdout = nil
	s.cmd.Stderr = nil
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("redistest: starting redis-server: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if ping(s.Addr) == nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.Stop()
	s.t.Fatalf("redistest: redis-server on %s did not answer PING within 5s", s.Addr)
}

// URL is the redis:// URL of the server.
func (s *Server) URL() string { return "redis://" + s.Addr + "/0" }

// Stop kills the server and waits for it; it is safe to call twice.
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Restart stops the server and starts a fresh one on the same port (all data
// is lost, as after a crash with persistence off).
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	bin, _ := exec.LookPath("redis-server")
	s.start(bin)
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
		return fmt.Errorf("redistest: unexpected PING reply %q", line)
	}
	return nil
}
