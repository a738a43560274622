package emulator_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/emulator"
)

// TestAdminRoutes checks the admin API's routing: each endpoint answers its
// method, and another method or an unknown path gets the JSON 404 naming
// what was asked, never the mux's plain-text page.
func TestAdminRoutes(t *testing.T) {
	s, err := emulator.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct {
		method, path string
		status       int
		want         string
	}{
		{"GET", "/__emulator/stats", 200, `"ok": true`},
		{"GET", "/__emulator/clock", 200, `"now"`},
		{"DELETE", "/__emulator/faults", 200, `"ok": true`},
		{"PUT", "/__emulator/faults", 404, "no admin endpoint PUT /__emulator/faults"},
		{"DELETE", "/__emulator/clock", 404, "no admin endpoint DELETE /__emulator/clock"},
		{"GET", "/__emulator/nope", 404, "no admin endpoint GET /__emulator/nope"},
		{"GET", "/__emulator/stats/", 404, "no admin endpoint GET /__emulator/stats/"},
	} {
		req, _ := http.NewRequest(tc.method, s.URL+tc.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		derr := json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		b, _ := json.MarshalIndent(body, "", "  ")
		if resp.StatusCode != tc.status || derr != nil || !strings.Contains(string(b), tc.want) {
			t.Errorf("%s %s: %d %s (%v), want %d with %q", tc.method, tc.path, resp.StatusCode, b, derr, tc.status, tc.want)
		}
	}
}
