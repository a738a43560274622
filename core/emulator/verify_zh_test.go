package emulator

import (
	"os"
	"regexp"
	"testing"
)

// TestReasonsHaveChinese: every reason VerifyJSSDK can give (the string
// literals of verify.go, with sample values for the variable parts) has a
// Chinese text.
func TestReasonsHaveChinese(t *testing.T) {
	samples := []string{
		"api must be config or agentConfig",
		`corpid "wwx" is not the emulated corp (ww123)`,
		`appId "wxq" is neither the emulated corp id nor the Official Account appid`,
		"url must be the absolute location.href of the page",
		"agentid must be the AgentID of an app of the emulated corp",
		"h5.example.com is not in the Official Account's JS接口安全域名 list",
		"h5.example.com is not a trusted domain (可信域名) of the app",
		"timestamp (seconds), nonceStr and signature are all required",
		"signed with the corp jsapi_ticket; wx.agentConfig needs the app ticket from ticket/get?type=agent_config",
		"signed with the app (agent_config) ticket; wx.config needs the corp ticket from get_jsapi_ticket",
		"no valid jsapi ticket: fetch one from the emulator (tickets expire after 7200 s, and the clock may have been advanced)",
		"the URL was signed with its #fragment; sign location.href.split('#')[0]",
		"the URL was signed URL-encoded; decode the transport encoding once and sign the raw URL",
		"the signature must be lowercase hex",
		"the signature does not match any valid jsapi ticket for this URL, nonceStr and timestamp; check the URL",
	}
	for _, s := range samples {
		zh := reasonZh(s)
		if zh == "" || zh == s {
			t.Errorf("no Chinese for reason %q", s)
		}
	}
	// Every literal reason in verify.go is among the samples' shapes.
	src, err := os.ReadFile("verify.go")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	// Only whole literals: a reason built with + is among the samples.
	for _, m := range regexp.MustCompile(`fail\([^,]+, "([^"]+)"\)`).FindAllStringSubmatch(string(src), -1) {
		n++
		if reasonZh(m[1]) == "" {
			t.Errorf("verify.go reason %q has no Chinese in reasonsZh", m[1])
		}
	}
	if n < 5 {
		t.Fatalf("found %d reasons in verify.go; the scan is broken", n)
	}
}
