package token

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// FileStore keeps entries in one JSON file so that separate CLI runs share a
// cache. The file is 0600 and replaced atomically (write to a temporary file,
// then rename); read-modify-write cycles and refreshes take file locks
// (flock on Unix) so concurrent processes neither lose updates nor refresh
// twice.
type FileStore struct {
	path string
	now  func() time.Time
}

// NewFile returns a FileStore at path (created on first write, with its
// directory, mode 0700).
func NewFile(path string) *FileStore { return &FileStore{path: path, now: time.Now} }

// Path is the cache file.
func (s *FileStore) Path() string { return s.path }

func (s *FileStore) read() (map[string]string, error) {
	b, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("token: reading cache file: %w", err)
	}
	m := map[string]string{}
	if len(b) > 0 && json.Unmarshal(b, &m) != nil {
		// A corrupt cache is dropped, never served.
		return map[string]string{}, nil
	}
	return m, nil
}

func (s *FileStore) write(m map[string]string) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("token: encoding cache file: %w", err)
	}
	dir := filepath.Dir(s.path)
	f, err := os.CreateTemp(dir, ".wwkit-cache-*")
	if err != nil {
		return fmt.Errorf("token: writing cache file (check the directory is writable): %w", err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("token: writing cache file: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("token: writing cache file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("token: writing cache file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("token: writing cache file: %w", err)
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return fmt.Errorf("token: replacing cache file: %w", err)
	}
	ok = true
	return nil
}

// update runs fn on the decoded file under the file's write lock.
func (s *FileStore) update(ctx context.Context, fn func(map[string]string) (bool, error)) error {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return fmt.Errorf("token: creating cache directory: %w", err)
	}
	h, err := lockFile(ctx, s.path+".lock", true)
	if err != nil {
		return err
	}
	defer h.unlock()
	m, err := s.read()
	if err != nil {
		return err
	}
	changed, err := fn(m)
	if err != nil || !changed {
		return err
	}
	return s.write(m)
}

// Get implements Store (a plain read: the file is always replaced whole).
func (s *FileStore) Get(_ context.Context, key string) (Entry, bool, error) {
	m, err := s.read()
	if err != nil {
		return Entry{}, false, err
	}
	v, ok := m[key]
	if !ok {
		return Entry{}, false, nil
	}
	e, err := decode(v)
	if err != nil || !s.now().Before(e.Expires) {
		return Entry{}, false, nil
	}
	return e, true, nil
}

// Set implements Store. Expired entries of other keys are pruned on the way.
func (s *FileStore) Set(ctx context.Context, key string, e Entry, _ *Lock) error {
	if err := ValidValue(e.Value); err != nil {
		return err
	}
	now := s.now()
	return s.update(ctx, func(m map[string]string) (bool, error) {
		for k, v := range m {
			if old, err := decode(v); err != nil || !now.Before(old.Expires) {
				delete(m, k)
			}
		}
		m[key] = encode(e)
		return true, nil
	})
}

// Delete implements Store (compare-and-delete under the file lock).
func (s *FileStore) Delete(ctx context.Context, key, value string) (bool, error) {
	deleted := false
	err := s.update(ctx, func(m map[string]string) (bool, error) {
		if v, ok := m[key]; ok {
			if e, err := decode(v); err != nil || e.Value == value {
				delete(m, key)
				deleted = err == nil
				return true, nil
			}
		}
		return false, nil
	})
	return deleted, err
}

// TryLock implements Locker with a per-key lock file next to the cache. The
// kernel releases it if the process dies, so ttl is not needed.
func (s *FileStore) TryLock(ctx context.Context, key string, _ time.Duration) (*Lock, bool, error) {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return nil, false, fmt.Errorf("token: creating cache directory: %w", err)
	}
	name := s.path + "." + Fingerprint(key) + ".lock"
	h, ok, err := tryLockFile(name)
	if err != nil || !ok {
		return nil, false, err
	}
	return &Lock{Key: key, h: h}, true, nil
}

// Unlock implements Locker.
func (s *FileStore) Unlock(_ context.Context, l *Lock) error {
	if h, ok := l.h.(*fileLock); ok {
		h.unlock()
	}
	return nil
}

// lockFile takes the lock on name, waiting (polling) until ctx is done.
func lockFile(ctx context.Context, name string, _ bool) (*fileLock, error) {
	for {
		h, ok, err := tryLockFile(name)
		if err != nil {
			return nil, err
		}
		if ok {
			return h, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("token: waiting for the cache file lock: %w", ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}
