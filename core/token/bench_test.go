package token

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/wwkit/wwkit/internal/redistest"
)

func warmSource(b *testing.B, store Store, key string, parent *Source) *Source {
	b.Helper()
	fetch := func(ctx context.Context) (Fetched, error) {
		f := Fetched{Value: "TOKEN-bench-0123456789abcdef", ExpiresIn: 2 * time.Hour}
		if parent != nil {
			p, err := parent.Token(ctx)
			if err != nil {
				return Fetched{}, err
			}
			f.Value, f.Parent = "TICKET-bench-0123456789", p
		}
		return f, nil
	}
	s, err := New(Config{Key: key, Store: store, Fetch: fetch, Parent: parent})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Token(context.Background()); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkTokenHitMemory: a cached access_token from the memory store
// (target ≤ 100 ns, 0 allocs).
func BenchmarkTokenHitMemory(b *testing.B) {
	s := warmSource(b, NewMemory(), "wwkit:bench:access", nil)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if v, err := s.Token(ctx); err != nil || v == "" {
			b.Fatal(err)
		}
	}
}

// BenchmarkTicketHitMemory: a cached ticket, including the check that it was
// fetched with the current token.
func BenchmarkTicketHitMemory(b *testing.B) {
	st := NewMemory()
	tok := warmSource(b, st, "wwkit:bench:access", nil)
	s := warmSource(b, st, "wwkit:bench:ticket", tok)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if v, err := s.Token(ctx); err != nil || v == "" {
			b.Fatal(err)
		}
	}
}

// countHook counts commands sent to Redis (a pipeline counts each command).
type countHook struct{ n atomic.Int64 }

func (h *countHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *countHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmd)
	}
}
func (h *countHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n.Add(int64(len(cmds)))
		return next(ctx, cmds)
	}
}

// BenchmarkTokenHitRedis: a cached access_token from a real redis-server on
// loopback; reports Redis round trips per hit (target: 1).
func BenchmarkTokenHitRedis(b *testing.B) {
	benchRedis(b, false)
}

// BenchmarkTicketHitRedis: a cached ticket from Redis (the ticket and the
// token it depends on: 2 round trips).
func BenchmarkTicketHitRedis(b *testing.B) {
	benchRedis(b, true)
}

func benchRedis(b *testing.B, ticket bool) {
	srv := redistest.Start(b)
	st, err := openRedis(srv.URL())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	s := warmSource(b, st, "wwkit:bench:access", nil)
	if ticket {
		s = warmSource(b, st, "wwkit:bench:ticket", s)
	}
	h := &countHook{}
	st.Client().AddHook(h)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if v, err := s.Token(ctx); err != nil || v == "" {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(h.n.Load())/float64(b.N), "redis-calls/op")
}

// BenchmarkRedisGETBaseline is one bare GET of the same record with the same
// client: the floor a Redis hit can reach.
func BenchmarkRedisGETBaseline(b *testing.B) {
	srv := redistest.Start(b)
	st, err := openRedis(srv.URL())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	warmSource(b, st, "wwkit:bench:access", nil)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := st.Client().Get(ctx, "wwkit:bench:access").Err(); err != nil {
			b.Fatal(err)
		}
	}
}
