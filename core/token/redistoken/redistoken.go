// Package redistoken is the Redis store of core/token: token.Source values
// shared by processes and machines, with the cross-process refresh lock.
// It lives apart from core/token so a program that does not use Redis
// (and core/api) links no Redis client. Its behaviour is tested by the
// tests of core/token, which run against this store and a real
// redis-server (see docs/tokens.md for the guarantees).
package redistoken

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/wwkit/wwkit/core/token"
)

// Store keeps entries in Redis with a TTL (PX) and coordinates refreshes
// across processes with a lock: SET lock NX PX with a random owner id, plus a
// fencing counter (INCR) returned as Lock.Fence. Writes made while holding the
// lock go through a Lua script that checks the caller still owns it.
//
// Locks are leases (Source.LockTTL, renewed while the refresh runs), and
// Close releases the locks this store still holds, so a program that closes
// its store on the way out never leaves one behind.
type Store struct {
	c redis.UniversalClient

	mu   sync.Mutex
	held map[*token.Lock]struct{}
}

// New wraps an existing go-redis client.
func New(c redis.UniversalClient) *Store {
	return &Store{c: c, held: map[*token.Lock]struct{}{}}
}

// Open connects to a redis:// or rediss:// URL.
func Open(url string) (*Store, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("token: bad redis URL (want redis://host:port/db): %w", err)
	}
	return New(redis.NewClient(opt)), nil
}

// Client returns the underlying go-redis client (to add hooks or close it).
func (s *Store) Client() redis.UniversalClient { return s.c }

// Close releases the refresh locks this store holds (a refresh still running
// then fails its fenced write with ErrLockLost) and closes the client.
func (s *Store) Close() error {
	s.mu.Lock()
	held := make([]*token.Lock, 0, len(s.held))
	for l := range s.held {
		held = append(held, l)
	}
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	for _, l := range held {
		_ = s.Unlock(ctx, l)
	}
	return s.c.Close()
}

// Get implements Store with one GET.
func (s *Store) Get(ctx context.Context, key string) (token.Entry, bool, error) {
	v, err := s.c.Get(ctx, key).Result()
	if errors.Is(err, redis.Nil) {
		return token.Entry{}, false, nil
	}
	if err != nil {
		return token.Entry{}, false, fmt.Errorf("token: redis GET: %w", err)
	}
	e, err := token.DecodeEntry(v)
	if err != nil {
		// A record we cannot read is treated as absent: it will be replaced.
		return token.Entry{}, false, nil
	}
	if !time.Now().Before(e.Expires) {
		return token.Entry{}, false, nil
	}
	return e, true, nil
}

// GetMulti implements MultiGetter with one MGET.
func (s *Store) GetMulti(ctx context.Context, keys []string) ([]token.Entry, []bool, error) {
	vals, err := s.c.MGet(ctx, keys...).Result()
	if err != nil {
		return nil, nil, fmt.Errorf("token: redis MGET: %w", err)
	}
	es, oks := make([]token.Entry, len(keys)), make([]bool, len(keys))
	now := time.Now()
	for i, v := range vals {
		str, isStr := v.(string)
		if !isStr {
			continue
		}
		if e, err := token.DecodeEntry(str); err == nil && now.Before(e.Expires) {
			es[i], oks[i] = e, true
		}
	}
	return es, oks, nil
}

var setIfOwner = redis.NewScript(`
if redis.call('GET', KEYS[2]) == ARGV[3] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`)

// Set implements Store. With a lock the write is fenced: it happens only if
// the lock key still holds this owner's id.
func (s *Store) Set(ctx context.Context, key string, e token.Entry, lock *token.Lock) error {
	if err := token.ValidValue(e.Value); err != nil {
		return err
	}
	ttl := time.Until(e.Expires)
	if ttl <= 0 {
		return errors.New("token: refusing to cache a value that has already expired")
	}
	ms := ttl.Milliseconds()
	if ms < 1 {
		ms = 1
	}
	if lock == nil {
		if err := s.c.Set(ctx, key, token.EncodeEntry(e), time.Duration(ms)*time.Millisecond).Err(); err != nil {
			return fmt.Errorf("token: redis SET: %w", err)
		}
		return nil
	}
	n, err := setIfOwner.Run(ctx, s.c, []string{key, lock.Key}, token.EncodeEntry(e), ms, lock.Owner()).Int()
	if err != nil {
		return fmt.Errorf("token: redis fenced SET: %w", err)
	}
	if n != 1 {
		return token.ErrLockLost
	}
	return nil
}

var deleteIfValue = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, -(#ARGV[1] + 1)) == ('\t' .. ARGV[1]) then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`)

// Delete implements Store as an atomic compare-and-delete in Lua.
func (s *Store) Delete(ctx context.Context, key, value string) (bool, error) {
	if value == "" {
		return false, nil
	}
	n, err := deleteIfValue.Run(ctx, s.c, []string{key}, value).Int()
	if err != nil {
		return false, fmt.Errorf("token: redis compare-and-delete: %w", err)
	}
	return n == 1, nil
}

var lockScript = redis.NewScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return 0`)

// TryLock implements Locker: SET key:lock <random id> NX PX ttl, and on
// success INCR key:fence.
func (s *Store) TryLock(ctx context.Context, key string, ttl time.Duration) (*token.Lock, bool, error) {
	var b [16]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	lk := key + ":lock"
	fence, err := lockScript.Run(ctx, s.c, []string{lk, key + ":fence"}, id, ttl.Milliseconds()).Int64()
	if err != nil {
		return nil, false, fmt.Errorf("token: redis lock: %w", err)
	}
	if fence == 0 {
		return nil, false, nil
	}
	l := token.NewLock(lk, fence, id)
	s.mu.Lock()
	s.held[l] = struct{}{}
	s.mu.Unlock()
	return l, true, nil
}

var renewScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`)

// Renew implements Renewer: the lease is extended only if this owner still
// holds the lock.
func (s *Store) Renew(ctx context.Context, l *token.Lock, ttl time.Duration) (bool, error) {
	n, err := renewScript.Run(ctx, s.c, []string{l.Key}, l.Owner(), ttl.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("token: redis lock renewal: %w", err)
	}
	return n == 1, nil
}

var unlockScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`)

// Unlock implements Locker; it releases the lock only if this owner still
// holds it.
func (s *Store) Unlock(ctx context.Context, l *token.Lock) error {
	s.mu.Lock()
	delete(s.held, l)
	s.mu.Unlock()
	if err := unlockScript.Run(ctx, s.c, []string{l.Key}, l.Owner()).Err(); err != nil {
		return fmt.Errorf("token: redis unlock: %w", err)
	}
	return nil
}

// The interfaces a token.Source discovers on its store.
var (
	_ token.Store       = (*Store)(nil)
	_ token.Locker      = (*Store)(nil)
	_ token.Renewer     = (*Store)(nil)
	_ token.MultiGetter = (*Store)(nil)
)
