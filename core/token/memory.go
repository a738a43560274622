package token

import (
	"context"
	"sync"
	"time"
)

// MemoryStore keeps entries in the process. It is the default and the
// fastest: a hit is a read-locked map lookup.
type MemoryStore struct {
	mu    sync.RWMutex
	m     map[string]Entry
	locks map[string]bool
	now   func() time.Time
}

// NewMemory returns an empty MemoryStore.
func NewMemory() *MemoryStore {
	return &MemoryStore{m: map[string]Entry{}, locks: map[string]bool{}, now: time.Now}
}

// Get implements Store.
func (s *MemoryStore) Get(_ context.Context, key string) (Entry, bool, error) {
	s.mu.RLock()
	e, ok := s.m[key]
	s.mu.RUnlock()
	if !ok || !s.now().Before(e.Expires) {
		return Entry{}, false, nil
	}
	return e, true, nil
}

// Set implements Store.
func (s *MemoryStore) Set(_ context.Context, key string, e Entry, _ *Lock) error {
	if err := ValidValue(e.Value); err != nil {
		return err
	}
	s.mu.Lock()
	s.m[key] = e
	s.mu.Unlock()
	return nil
}

// Delete implements Store.
func (s *MemoryStore) Delete(_ context.Context, key, value string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.m[key]; ok && e.Value == value {
		delete(s.m, key)
		return true, nil
	}
	return false, nil
}

// TryLock implements Locker, for Sources of the same key sharing one
// MemoryStore. The ttl is not needed: a process cannot die holding it.
func (s *MemoryStore) TryLock(_ context.Context, key string, _ time.Duration) (*Lock, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.locks[key] {
		return nil, false, nil
	}
	s.locks[key] = true
	return &Lock{Key: key}, true, nil
}

// Unlock implements Locker.
func (s *MemoryStore) Unlock(_ context.Context, l *Lock) error {
	s.mu.Lock()
	delete(s.locks, l.Key)
	s.mu.Unlock()
	return nil
}
