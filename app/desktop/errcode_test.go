package desktop

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/api"
)

// TestErrcodeDTOPlatform checks that the window explains an errcode as the
// server that answered means it: 40003 from an Official Account is an
// invalid openid, from WeCom an invalid userid.
func TestErrcodeDTOPlatform(t *testing.T) {
	mp, ok := asErrcode(fmt.Errorf("wrapped: %w", &api.APIError{Code: 40003, Msg: "invalid openid", Platform: api.PlatformMP}))
	if !ok || mp.Meaning != "invalid openid" || !strings.Contains(mp.MeaningZH, "OpenID") || strings.Contains(mp.Explanation, "userid") {
		t.Errorf("MP 40003: %+v", mp)
	}
	we, ok := asErrcode(&api.APIError{Code: 40003, Platform: api.PlatformWeCom})
	if !ok || we.Meaning != "invalid userid" || !strings.Contains(we.MeaningZH, "UserID") {
		t.Errorf("WeCom 40003: %+v", we)
	}
}
