package instance

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSecondInstanceFocusesFirst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tray.sock")
	focused := make(chan struct{}, 4)
	first, err := Acquire(path, func() { focused <- struct{}{} })
	if err != nil {
		t.Fatal(err)
	}
	defer first.Release()
	for i := 0; i < 2; i++ {
		if _, err := Acquire(path, nil); !errors.Is(err, ErrRunning) {
			t.Fatalf("second Acquire = %v, want ErrRunning", err)
		}
		select {
		case <-focused:
		case <-time.After(5 * time.Second):
			t.Fatal("the first instance was not asked to focus")
		}
	}
	first.Release()
	first.Release() // twice is fine
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("socket file left after Release: %v", err)
	}
	again, err := Acquire(path, nil)
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	again.Release()
}

func TestStaleSocketReplaced(t *testing.T) {
	tests := []struct {
		name  string
		setup func(path string) error
	}{
		{"plain file", func(p string) error { return os.WriteFile(p, []byte("x"), 0o600) }},
		{"nothing", func(string) error { return nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "tray.sock")
			if err := tt.setup(path); err != nil {
				t.Fatal(err)
			}
			l, err := Acquire(path, nil)
			if err != nil {
				t.Fatalf("Acquire over a stale file: %v", err)
			}
			l.Release()
		})
	}
}

func TestUnwritableDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "tray.sock")
	if _, err := Acquire(path, nil); err == nil || errors.Is(err, ErrRunning) {
		t.Fatalf("Acquire in a missing directory = %v, want an error", err)
	}
}

func TestNilRelease(t *testing.T) {
	var l *Lock
	l.Release()
}
