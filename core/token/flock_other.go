//go:build !unix

package token

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// fileLock on systems without flock is an exclusive-create lock file. Unlike
// flock it survives a crash of its holder; delete the .lock file by hand then.
type fileLock struct{ name string }

func tryLockFile(name string) (*fileLock, bool, error) {
	f, err := os.OpenFile(name+".x", os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("token: creating lock file: %w", err)
	}
	f.Close()
	return &fileLock{name: name + ".x"}, true, nil
}

func (l *fileLock) unlock() { os.Remove(l.name) }
