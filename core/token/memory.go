package token

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// MemoryStore keeps entries in the process. It is the default and the
// fastest: each key has a slot holding an atomic pointer to its entry, and a
// Source on a MemoryStore reads its slot directly (one atomic load, no lock,
// no allocation).
type MemoryStore struct {
	mu    sync.RWMutex
	m     map[string]*memSlot
	locks map[string]bool
	now   func() time.Time
}

type memSlot struct{ p atomic.Pointer[Entry] }

// NewMemory returns an empty MemoryStore.
func NewMemory() *MemoryStore {
	return &MemoryStore{m: map[string]*memSlot{}, locks: map[string]bool{}, now: time.Now}
}

// slot returns the slot of key, creating it. Slots are never removed (one
// per app and kind), so a Source can keep a pointer to its own.
func (s *MemoryStore) slot(key string) *memSlot {
	s.mu.RLock()
	sl := s.m[key]
	s.mu.RUnlock()
	if sl != nil {
		return sl
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if sl = s.m[key]; sl == nil {
		sl = &memSlot{}
		s.m[key] = sl
	}
	return sl
}

// Get implements Store.
func (s *MemoryStore) Get(_ context.Context, key string) (Entry, bool, error) {
	s.mu.RLock()
	sl := s.m[key]
	s.mu.RUnlock()
	if sl == nil {
		return Entry{}, false, nil
	}
	e := sl.p.Load()
	if e == nil || !s.now().Before(e.Expires) {
		return Entry{}, false, nil
	}
	return *e, true, nil
}

// Set implements Store.
func (s *MemoryStore) Set(_ context.Context, key string, e Entry, _ *Lock) error {
	if err := ValidValue(e.Value); err != nil {
		return err
	}
	s.slot(key).p.Store(&e)
	return nil
}

// Delete implements Store.
func (s *MemoryStore) Delete(_ context.Context, key, value string) (bool, error) {
	s.mu.RLock()
	sl := s.m[key]
	s.mu.RUnlock()
	if sl == nil {
		return false, nil
	}
	for {
		e := sl.p.Load()
		if e == nil || e.Value != value {
			return false, nil
		}
		if sl.p.CompareAndSwap(e, nil) {
			return true, nil
		}
	}
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
