// Package wwkittest serves the tests that run the headless wwkit binary as a
// user would (app/cli, app/reliability/...): it builds the binary once per
// test binary, and gives them a buffer that a running process and the test
// can share.
package wwkittest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
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
