//go:build !windows

package fsperm

import (
	"os"
	"path/filepath"
	"testing"
)

// TestTightens checks that a directory and a file created world-readable
// (as an older wwkit or a umask of 022 leaves them) become 0700 / 0600.
func TestTightens(t *testing.T) {
	d := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(d, "inbox.db")
	if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Dir(d); err != nil {
		t.Fatal(err)
	}
	if err := File(f); err != nil {
		t.Fatal(err)
	}
	if err := File(f + "-wal"); err != nil {
		t.Fatalf("a missing file: %v", err)
	}
	for p, want := range map[string]os.FileMode{d: 0o700, f: 0o600} {
		st, _ := os.Stat(p)
		if st.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, st.Mode().Perm(), want)
		}
		if ok, _ := Private(p); !ok {
			t.Errorf("%s not private", p)
		}
	}
}
