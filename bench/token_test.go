package bench

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	wwtoken "github.com/wwkit/wwkit/core/token"
)

// BenchmarkTokenHitFile is a cached access_token served by a warmed
// token.Source over the file store (the CLI's cache shared between runs):
// every hit reads and decodes the cache file. core/token has the memory and
// Redis rows; the file row lives here so `make bench` covers all three
// stores.
func BenchmarkTokenHitFile(b *testing.B) {
	st := wwtoken.NewFile(filepath.Join(b.TempDir(), "cache.json"))
	s, err := wwtoken.New(wwtoken.Config{Key: "wwkit:bench:access", Store: st,
		Fetch: func(context.Context) (wwtoken.Fetched, error) {
			return wwtoken.Fetched{Value: "TOKEN-bench-0123456789abcdef", ExpiresIn: 2 * time.Hour}, nil
		}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.Token(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r, err := s.Get(ctx)
		if err != nil || r.Value == "" {
			b.Fatal(err)
		}
		if r.Origin != wwtoken.FromCache {
			b.Fatalf("hit came from %q, want the cache", r.Origin)
		}
	}
}
