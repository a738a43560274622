package server_test

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// signIn walks the dev server's OAuth for profile with the scope asked of
// /api/oauth/start, picking the emulated user whose id is who on the
// emulator's authorize page, and returns the callback's JSON answer, the
// raw body and the client holding the session cookie.
func signIn(t *testing.T, e *env, profile, scope, who string) (map[string]any, string, *http.Client) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := noRedirect(jar)
	q := url.Values{"profile": {profile}}
	if scope != "" {
		q.Set("scope", scope)
	}
	resp, err := c.Get(e.srv.URL() + "/api/oauth/start?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 302 {
		t.Fatalf("start: %d %s", resp.StatusCode, loc)
	}
	au, _ := url.Parse(loc)
	if want := scope; want != "" && au.Query().Get("scope") != want {
		t.Fatalf("the authorize URL asks for scope %q, want %q: %s", au.Query().Get("scope"), want, loc)
	}
	resp, err = c.Get(strings.SplitN(loc, "#", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`href="([^"]+)"[^>]*>[^<]*<span class="meta">` + regexp.QuoteMeta(who) + `</span>`).FindSubmatch(page)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("authorize page: %d, no link for %s:\n%s", resp.StatusCode, who, page)
	}
	pick, _ := resp.Request.URL.Parse(html.UnescapeString(string(m[1])))
	resp, err = c.Get(pick.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cb := resp.Header.Get("Location")
	if resp.StatusCode != 302 || !strings.Contains(cb, "/api/oauth/callback?") {
		t.Fatalf("authorize: %d %s", resp.StatusCode, cb)
	}
	req, _ := http.NewRequest(http.MethodGet, cb, nil)
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var ans map[string]any
	if resp.StatusCode != 200 || json.Unmarshal(body, &ans) != nil {
		t.Fatalf("callback: %d %s", resp.StatusCode, body)
	}
	return ans, string(body), c
}

// TestOAuthScopes checks that the dev server honours the scope a page asks
// for: snsapi_userinfo gives an Official Account page the follower's
// sns/userinfo profile, snsapi_privateinfo gives a WeCom page the granted
// scope and the fact of a user_ticket (the ticket stays on the server), and
// a scope of the other platform is refused with the ones to use.
func TestOAuthScopes(t *testing.T) {
	e := start(t, nil)
	f := e.st.MP.Followers[0]

	ans, body, c := signIn(t, e, "mp", "snsapi_userinfo", f.OpenID)
	ui, _ := ans["userinfo"].(map[string]any)
	if ans["openid"] != f.OpenID || ans["scope"] != "snsapi_userinfo" || ui == nil || ui["nickname"] != f.Nickname || ui["city"] != f.City {
		t.Fatalf("mp snsapi_userinfo: %s", body)
	}
	if strings.Contains(body, "access_token") || strings.Contains(body, "refresh_token") {
		t.Errorf("the user access_token reached the page: %s", body)
	}
	var sess map[string]any
	if code := getJSON(t, c, e.srv.URL()+"/api/session", &sess); code != 200 || sess["scope"] != "snsapi_userinfo" || sess["userinfo"] == nil {
		t.Errorf("session after snsapi_userinfo: %d %v", code, sess)
	}

	ans, body, _ = signIn(t, e, "mp", "", f.OpenID)
	if ans["scope"] != "snsapi_base" || ans["userinfo"] != nil {
		t.Errorf("mp default scope: %s", body)
	}

	member := e.st.WeCom.Users[0].UserID
	ans, body, _ = signIn(t, e, "wecom", "snsapi_privateinfo", member)
	if ans["userid"] != member || ans["scope"] != "snsapi_privateinfo" || ans["userTicket"] != true {
		t.Fatalf("wecom snsapi_privateinfo: %s", body)
	}
	if strings.Contains(body, "user_ticket") {
		t.Errorf("the user_ticket reached the page: %s", body)
	}
	ans, body, _ = signIn(t, e, "wecom", "snsapi_base", member)
	if ans["scope"] != "snsapi_base" || ans["userTicket"] != nil {
		t.Errorf("wecom snsapi_base: %s", body)
	}

	for _, tc := range []struct{ profile, scope, hint string }{
		{"mp", "snsapi_privateinfo", "snsapi_userinfo"},
		{"wecom", "snsapi_userinfo", "snsapi_privateinfo"},
		{"wecom", "snsapi_login", "snsapi_base"},
	} {
		var a map[string]any
		code := getJSON(t, noRedirect(nil), e.srv.URL()+"/api/oauth/start?profile="+tc.profile+"&scope="+tc.scope, &a)
		if msg, _ := a["error"].(string); code != 400 || !strings.Contains(msg, tc.hint) {
			t.Errorf("%s scope %s: %d %v, want 400 naming %s", tc.profile, tc.scope, code, a, tc.hint)
		}
	}
}
