package desktop

import (
	"path/filepath"
	"testing"

	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/internal/redistest"
)

// TestTokenStores: a profile's store setting decides where its tokens are
// cached, and the inspector says so: Redis and file:PATH are shared by two
// Apps (one fetches, the other reads the cache), memory is not.
func TestTokenStores(t *testing.T) {
	corp, err := emulator.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer corp.Close()
	fx := emulator.DefaultFixture()
	redisURL := redistest.Start(t).URL()
	shared := filepath.Join(t.TempDir(), "shared-tokens.json")
	for _, tc := range []struct{ store, kind string }{{redisURL, "redis"}, {"file:" + shared, "file"}, {"", "memory"}} {
		t.Run(tc.kind, func(t *testing.T) {
			in := ProfileInput{Name: "corp", Platform: "mp", AppID: fx.MP.AppID, Secret: fx.MP.AppSecret, APIBaseURL: corp.MPBaseURL(), Store: tc.store}
			a := startApp(t, Config{})
			b := startApp(t, Config{})
			for _, app := range []*App{a, b} {
				p, err := app.Profiles.Add(in)
				if err != nil {
					t.Fatal(err)
				}
				if p.TokenStore != tc.kind {
					t.Errorf("token store %q, want %q", p.TokenStore, tc.kind)
				}
			}
			first, err := a.Tokens.Fetch("corp")
			if err != nil || first[0].Source != tc.kind+" (remote)" || first[0].Store != tc.kind {
				t.Fatalf("first = %+v, %v", first, err)
			}
			second, err := b.Tokens.Fetch("corp")
			if err != nil {
				t.Fatal(err)
			}
			wantOrigin := "cache"
			if tc.kind == "memory" {
				wantOrigin = "remote"
			}
			if second[0].Origin != wantOrigin || second[0].Source != tc.kind+" ("+wantOrigin+")" {
				t.Errorf("second App: %+v, want origin %s", second[0], wantOrigin)
			}
			if tc.kind != "memory" && second[0].Fingerprint != first[0].Fingerprint {
				t.Errorf("a shared store served another token: %s vs %s", second[0].Fingerprint, first[0].Fingerprint)
			}
		})
	}
}
