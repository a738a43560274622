package callback

import (
	"context"
	"sync"
	"time"

	"github.com/wwkit/wwkit/core/message"
)

// Entry is one handled callback, as a Store records it.
type Entry struct {
	Key        string           // Key(Message) unless WithKey
	Message    *message.Message // the parsed message
	Plain      []byte           // the plaintext message XML
	Reply      []byte           // the passive reply XML, nil for none
	ReceivedAt time.Time
}

// Store remembers handled callbacks so that Tencent's retries (the same
// MsgId, sent again when an answer took more than 5 s) are answered like
// the first without running the Func again. NewMemoryStore is one; a
// durable inbox (the SQLite inbox of wwkit serve) is another.
type Store interface {
	// Lookup returns the reply stored for key and whether key was seen.
	Lookup(ctx context.Context, key string) (reply []byte, seen bool, err error)
	// Save records e. If e.Key is already recorded it keeps the first
	// record and returns its reply; otherwise it returns e.Reply.
	Save(ctx context.Context, e Entry) (reply []byte, err error)
}

// MemoryStore is a Store in memory that keeps the most recent keys, up to
// a bound. It is safe for concurrent use.
type MemoryStore struct {
	mu    sync.Mutex
	max   int
	order []string
	seen  map[string][]byte
}

// NewMemoryStore returns a MemoryStore that remembers the last max keys
// (at least 1). Tencent retries within seconds, so a few thousand cover
// every retry of a busy app.
func NewMemoryStore(max int) *MemoryStore {
	if max < 1 {
		max = 1
	}
	return &MemoryStore{max: max, seen: map[string][]byte{}}
}

// Lookup implements Store.
func (s *MemoryStore) Lookup(_ context.Context, key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.seen[key]
	return r, ok, nil
}

// Save implements Store.
func (s *MemoryStore) Save(_ context.Context, e Entry) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.seen[e.Key]; ok {
		return r, nil
	}
	if len(s.order) >= s.max {
		delete(s.seen, s.order[0])
		s.order = s.order[1:]
	}
	s.order = append(s.order, e.Key)
	s.seen[e.Key] = e.Reply
	return e.Reply, nil
}
