package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/api"
)

// get_permanent_code takes an auth_code of 64 to 512 bytes; Tencent
// answers a shorter one with 40058 "auth_code exceed min length 64"
// (a response quoted on Tencent's developer community), not 40078, and a
// well-formed code it never issued with 40078 "invalid auth_code".
func TestPermanentCodeAuthCodeLength(t *testing.T) {
	s, suite, recv := startSuite(t)
	ctx := context.Background()
	adminPost(t, s, "suite/ticket", map[string]any{"url": recv.URL})

	_, err := suite.GetPermanentCode(ctx, &api.AuthCodeBody{AuthCode: "short-code"})
	if errcodeOf(t, err) != 40058 || !strings.Contains(err.Error(), "min length 64") {
		t.Fatalf("a 10-byte auth_code: %v, want 40058 naming the 64-byte minimum", err)
	}
	_, err = suite.GetPermanentCode(ctx, &api.AuthCodeBody{AuthCode: strings.Repeat("x", 513)})
	if errcodeOf(t, err) != 40058 || !strings.Contains(err.Error(), "512") {
		t.Fatalf("a 513-byte auth_code: %v, want 40058 naming the 512-byte maximum", err)
	}
	_, err = suite.GetPermanentCode(ctx, &api.AuthCodeBody{AuthCode: strings.Repeat("x", 64)})
	if errcodeOf(t, err) != 40078 {
		t.Fatalf("a 64-byte auth_code never issued: %v, want 40078", err)
	}
}
