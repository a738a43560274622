// Package instance keeps one wwkit tray per user: the first process listens
// on a Unix socket in the user's runtime directory; a second one connects,
// asks the first to show itself and exits. It is plain Go (Go supports Unix
// sockets on Linux, macOS and Windows 10+).
package instance

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ErrRunning is returned by Acquire when another instance holds the socket;
// it has been asked to focus.
var ErrRunning = errors.New("instance: another wwkit tray is running for this user; it was asked to show itself")

// focusMsg is the only request a second instance sends.
const focusMsg = "focus"

// Lock is the held single-instance socket.
type Lock struct {
	ln   net.Listener
	path string
	once sync.Once
	done chan struct{}
}

// DefaultPath is the socket path: $XDG_RUNTIME_DIR/wwkit-tray.sock, else
// the temp dir with the user id in the name.
func DefaultPath() string {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "wwkit-tray.sock")
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("wwkit-tray-%d.sock", os.Getuid()))
}

// Acquire takes the single-instance socket at path. onFocus is called (from
// another goroutine) every time a second instance starts. When another live
// instance holds path, Acquire asks it to focus and returns ErrRunning. A
// stale socket left by a crashed instance is replaced.
func Acquire(path string, onFocus func()) (*Lock, error) {
	ln, err := net.Listen("unix", path)
	if err != nil {
		if c, derr := net.DialTimeout("unix", path, time.Second); derr == nil {
			_ = c.SetDeadline(time.Now().Add(time.Second))
			_, _ = fmt.Fprintln(c, focusMsg)
			_ = c.Close()
			return nil, ErrRunning
		}
		// Nobody answers: a stale socket file. Replace it.
		if rerr := os.Remove(path); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			return nil, fmt.Errorf("instance: %s is in the way and cannot be removed (%v); remove it by hand", path, rerr)
		}
		if ln, err = net.Listen("unix", path); err != nil {
			return nil, fmt.Errorf("instance: listening on %s: %w; check that its directory is writable", path, err)
		}
	}
	l := &Lock{ln: ln, path: path, done: make(chan struct{})}
	go l.serve(onFocus)
	return l, nil
}

func (l *Lock) serve(onFocus func()) {
	defer close(l.done)
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return
		}
		_ = c.SetDeadline(time.Now().Add(time.Second))
		line, _ := bufio.NewReader(c).ReadString('\n')
		_ = c.Close()
		if strings.TrimSpace(line) == focusMsg && onFocus != nil {
			onFocus()
		}
	}
}

// Release closes the socket and removes its file. It is safe to call twice.
func (l *Lock) Release() {
	if l == nil {
		return
	}
	l.once.Do(func() {
		_ = l.ln.Close()
		<-l.done
		_ = os.Remove(l.path)
	})
}
