//go:build !windows

package fsperm

import "os"

func restrict(path string, dir bool) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	want := os.FileMode(0o600)
	if dir {
		want = 0o700
	}
	if st.Mode().Perm()&^want == 0 {
		return nil
	}
	return os.Chmod(path, st.Mode().Perm()&want)
}

func private(path string) (bool, error) {
	st, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	return st.Mode().Perm()&0o077 == 0, nil
}
