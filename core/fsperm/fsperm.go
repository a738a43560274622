// Package fsperm keeps files that hold messages, tokens or secrets private
// to the current user: mode 0600 (files) and 0700 (directories) on Unix, an
// ACL granting only the current user (and SYSTEM) on Windows. It also
// tightens files and directories an older version created too open.
package fsperm

import (
	"errors"
	"io/fs"
	"os"
)

// Dir creates path (and its parents) when missing and restricts it to the
// current user.
func Dir(path string) error {
	if err := os.MkdirAll(path, 0o700); err != nil {
		return err
	}
	return restrict(path, true)
}

// File restricts an existing file to the current user; a missing file is
// no error (a SQLite -wal or -shm file comes and goes).
func File(path string) error {
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return restrict(path, false)
}

// Private reports whether path is readable by the current user only (on
// Windows: always true when the ACL could be read; the check is the mode on
// Unix).
func Private(path string) (bool, error) {
	return private(path)
}
