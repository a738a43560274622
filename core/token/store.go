package token

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Entry is one cached value.
type Entry struct {
	Value     string    // the token or ticket
	Expires   time.Time // when upstream stops accepting it
	RefreshAt time.Time // when callers start refreshing it (before Expires, with jitter)
	FP        string    // Fingerprint(Value)
	ParentFP  string    // tickets: Fingerprint of the access_token the ticket was fetched with
}

// Store is where a Source keeps its entries. Implementations must be safe for
// concurrent use. Users can plug in their own cache; a Store that also
// implements Locker coordinates refreshes across processes.
type Store interface {
	// Get returns the entry under key; ok is false when there is none or it
	// has expired.
	Get(ctx context.Context, key string) (e Entry, ok bool, err error)
	// Set stores e under key until e.Expires. When lock is not nil the caller
	// holds it, and the store must refuse the write (ErrLockLost) if the lock
	// is no longer the caller's.
	Set(ctx context.Context, key string, e Entry, lock *Lock) error
	// Delete removes the entry under key only if its Value equals value
	// (compare-and-delete) and reports whether it did.
	Delete(ctx context.Context, key, value string) (bool, error)
}

// MultiGetter is implemented by stores that read several keys in one round
// trip (Redis MGET): a ticket hit then reads the ticket and the token it
// depends on with one call instead of two.
type MultiGetter interface {
	GetMulti(ctx context.Context, keys []string) ([]Entry, []bool, error)
}

// Locker is implemented by stores shared between processes. TryLock does not
// block: acquired is false when someone else holds the lock.
type Locker interface {
	TryLock(ctx context.Context, key string, ttl time.Duration) (l *Lock, acquired bool, err error)
	Unlock(ctx context.Context, l *Lock) error
}

// Renewer is implemented by Lockers whose locks expire (a lease): Renew
// extends a held lock to ttl from now and reports whether l still held it.
// A Source renews its lock every LockTTL/3 while it refreshes.
type Renewer interface {
	Renew(ctx context.Context, l *Lock, ttl time.Duration) (held bool, err error)
}

// Lock is a held lock. Fence is a counter that grows with every acquisition
// of the same key (in stores that keep one), for logs and fencing.
type Lock struct {
	Key   string
	Fence int64
	id    string
	h     any // store-specific handle (the open lock file)
}

// NewLock returns a held lock for a Locker implemented in another package
// (the Redis store): owner identifies the holder, and writes, renewals and
// unlocks must check it.
func NewLock(key string, fence int64, owner string) *Lock {
	return &Lock{Key: key, Fence: fence, id: owner}
}

// Owner returns the holder's identity given to NewLock.
func (l *Lock) Owner() string { return l.id }

// EncodeEntry is the record format of the shared stores (file, Redis): one
// line of tab-separated fields, the value last.
func EncodeEntry(e Entry) string { return encode(e) }

// DecodeEntry reads a record written by EncodeEntry; a record it cannot
// read (another format, a bad value) is an error, to be treated as absent.
func DecodeEntry(s string) (Entry, error) { return decode(s) }

// ErrLockLost is returned by Store.Set when the writer no longer owns the
// refresh lock (it expired, or the Redis server restarted); the value was not
// written.
var ErrLockLost = errors.New("token: the refresh lock was lost before the write (expired or the store restarted); the value was not cached, retry")

// Fingerprint returns a short, non-reversible identifier of a secret value
// (the first 8 bytes of its SHA-256, in hex), safe to log and to use in keys.
func Fingerprint(v string) string {
	if v == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:8])
}

// Mask shows a secret value as "abcd…wxyz" (or "****" when short), for
// output meant for people.
func Mask(v string) string {
	if len(v) < 12 {
		if v == "" {
			return ""
		}
		return "****"
	}
	return v[:4] + "…" + v[len(v)-4:]
}

// maxValueLen bounds a cached value: WeCom documents ≤512 bytes for tokens.
const maxValueLen = 2048

// ValidValue reports whether v looks like a token or ticket: non-empty, at
// most 2048 bytes of printable ASCII without spaces. Anything else is never
// cached.
func ValidValue(v string) error {
	if v == "" {
		return errors.New("token: upstream returned an empty value; it was not cached")
	}
	if len(v) > maxValueLen {
		return fmt.Errorf("token: upstream returned a %d-byte value (limit %d); it was not cached", len(v), maxValueLen)
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c <= ' ' || c > '~' {
			return fmt.Errorf("token: upstream returned a value with a non-printable or space byte at %d; it was not cached", i)
		}
	}
	return nil
}

// encode serialises an entry for the shared stores: a version, times in Unix
// milliseconds, fingerprints, and the value last (values hold no tabs).
func encode(e Entry) string {
	var b strings.Builder
	b.Grow(64 + len(e.Value))
	b.WriteString("1\t")
	b.WriteString(strconv.FormatInt(e.Expires.UnixMilli(), 10))
	b.WriteByte('\t')
	b.WriteString(strconv.FormatInt(e.RefreshAt.UnixMilli(), 10))
	b.WriteByte('\t')
	b.WriteString(e.FP)
	b.WriteByte('\t')
	b.WriteString(e.ParentFP)
	b.WriteByte('\t')
	b.WriteString(e.Value)
	return b.String()
}

// decode parses what encode wrote; a malformed record is an error, never a
// value.
func decode(s string) (Entry, error) {
	parts := strings.SplitN(s, "\t", 6)
	if len(parts) != 6 || parts[0] != "1" {
		return Entry{}, errors.New("token: malformed cache record (unknown format); ignore it and refresh")
	}
	exp, err1 := strconv.ParseInt(parts[1], 10, 64)
	ref, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return Entry{}, errors.New("token: malformed cache record (bad times); ignore it and refresh")
	}
	e := Entry{Expires: time.UnixMilli(exp), RefreshAt: time.UnixMilli(ref), FP: parts[3], ParentFP: parts[4], Value: parts[5]}
	if ValidValue(e.Value) != nil || e.FP != Fingerprint(e.Value) {
		return Entry{}, errors.New("token: malformed cache record (bad value); ignore it and refresh")
	}
	return e, nil
}
