//go:build unix

package token

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

type fileLock struct{ f *os.File }

// tryLockFile takes an exclusive flock on name without blocking.
func tryLockFile(name string) (*fileLock, bool, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("token: opening lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("token: locking %s: %w", name, err)
	}
	return &fileLock{f: f}, true, nil
}

func (l *fileLock) unlock() {
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	l.f.Close()
}
