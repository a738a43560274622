package emulator_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/wwkit/wwkit/core/emulator"
)

// fixtureWith returns the default fixture with extra JSON merged into its
// wecom and mp objects, so a test can use fixture fields by their JSON names.
func fixtureWith(t *testing.T, wecom, mp map[string]any) *emulator.Fixture {
	t.Helper()
	b, err := json.Marshal(emulator.DefaultFixture())
	if err != nil {
		t.Fatal(err)
	}
	// Top-level keys are not all objects (suites is a list).
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for name, over := range map[string]map[string]any{"wecom": wecom, "mp": mp} {
		var part map[string]any
		if err := json.Unmarshal(m[name], &part); err != nil {
			t.Fatal(err)
		}
		for k, v := range over {
			part[k] = v
		}
		m[name], _ = json.Marshal(part)
	}
	b, _ = json.Marshal(m)
	var fx emulator.Fixture
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	return &fx
}

// ridRE is the trailer of Official Account error messages: ", rid: " and
// three groups of 8 hex digits ("invalid code, rid: 64b79592-1db719b6-187cfe77").
var ridRE = regexp.MustCompile(`^(.+), rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$`)

// Tencent answers a reused web-authorization code with 40163 "code been
// used" (an unknown or expired one stays 40029).
func TestMPReusedCodeAnswers40163(t *testing.T) {
	e := start(t)
	mp := e.fx.MP
	app := url.Values{"appid": {mp.AppID}, "secret": {mp.AppSecret}, "grant_type": {"authorization_code"}}
	code := e.admin(http.MethodPost, "oauth/code", map[string]any{"platform": "mp", "openid": mp.Followers[0].OpenID}).str("code")
	wantCode(t, "first use", e.get("/mp/sns/oauth2/access_token", with(app, "code", code)), 0)
	r := e.get("/mp/sns/oauth2/access_token", with(app, "code", code))
	wantCode(t, "second use", r, 40163)
	if m := ridRE.FindStringSubmatch(r.str("errmsg")); m == nil || m[1] != "code been used" {
		t.Fatalf("errmsg %q, want \"code been used, rid: …\"", r.str("errmsg"))
	}
	wantCode(t, "unknown code", e.get("/mp/sns/oauth2/access_token", with(app, "code", "nope")), 40029)
	// WeCom documents 40029 for a reused code: it keeps answering that.
	wc := e.admin(http.MethodPost, "oauth/code", map[string]any{"platform": "wecom", "userid": "zhangsan"}).str("code")
	tk := e.wecomToken()
	wantCode(t, "wecom first use", e.get("/wecom/cgi-bin/auth/getuserinfo", with(tok(tk), "code", wc)), 0)
	wantCode(t, "wecom second use", e.get("/wecom/cgi-bin/auth/getuserinfo", with(tok(tk), "code", wc)), 40029)
}

// MP error texts carry a comma before "rid:".
func TestMPErrmsgHasCommaBeforeRid(t *testing.T) {
	e := start(t)
	for _, tc := range []struct {
		path string
		q    url.Values
		msg  string
	}{
		{"/mp/sns/oauth2/access_token", url.Values{"appid": {e.fx.MP.AppID}, "secret": {e.fx.MP.AppSecret}, "grant_type": {"authorization_code"}, "code": {"nope"}}, "invalid code"},
		{"/mp/cgi-bin/user/info", tok("not-a-token"), "invalid access_token"},
	} {
		r := e.get(tc.path, tc.q)
		if m := ridRE.FindStringSubmatch(r.str("errmsg")); m == nil || m[1] != tc.msg {
			t.Errorf("%s: errmsg %q, want %q + \", rid: …\"", tc.path, r.str("errmsg"), tc.msg)
		}
	}
}

// is_snapshotuser is 1 for the virtual user of the snapshot page (快照页模式)
// and absent for everyone else, as Tencent documents.
func TestSNSTokenIsSnapshotUser(t *testing.T) {
	fx := fixtureWith(t, nil, map[string]any{"followers": []map[string]any{
		{"openid": "oSnapshot0000000000000000000", "nickname": "微信用户", "snapshotUser": true},
		{"openid": "oRegular00000000000000000000", "nickname": "小明", "subscribed": true},
	}})
	e := start(t, emulator.WithFixture(fx))
	app := url.Values{"appid": {fx.MP.AppID}, "secret": {fx.MP.AppSecret}, "grant_type": {"authorization_code"}}
	for _, tc := range []struct {
		openid string
		want   any
	}{{"oSnapshot0000000000000000000", float64(1)}, {"oRegular00000000000000000000", nil}} {
		code := e.admin(http.MethodPost, "oauth/code", map[string]any{"platform": "mp", "openid": tc.openid}).str("code")
		r := e.get("/mp/sns/oauth2/access_token", with(app, "code", code))
		wantCode(t, tc.openid, r, 0)
		if r["is_snapshotuser"] != tc.want {
			t.Errorf("%s: is_snapshotuser = %v, want %v (answer %v)", tc.openid, r["is_snapshotuser"], tc.want, r)
		}
	}
}

// A non-member who is a customer of a member gets external_userid next to
// openid from auth/getuserinfo; other non-members get openid only.
func TestNonMemberCustomerGetsExternalUserID(t *testing.T) {
	e := start(t)
	var st struct {
		WeCom struct {
			ExternalContacts []struct {
				ExternalUserID string `json:"externalUserId"`
				OpenID         string `json:"openid"`
			} `json:"externalContacts"`
		} `json:"wecom"`
	}
	_, raw := e.do(http.MethodGet, "/__emulator/state", nil, nil, "")
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	var ext, openid string
	for _, c := range st.WeCom.ExternalContacts {
		if c.OpenID != "" {
			ext, openid = c.ExternalUserID, c.OpenID
			break
		}
	}
	if openid == "" {
		t.Fatalf("the default fixture has no external contact (客户) with a WeCom openid: %.300s", raw)
	}
	tk := e.wecomToken()
	code := e.admin(http.MethodPost, "oauth/code", map[string]any{"platform": "wecom", "userid": openid}).str("code")
	r := e.get("/wecom/cgi-bin/auth/getuserinfo", with(tok(tk), "code", code))
	if r.code() != 0 || r.str("openid") != openid || r.str("external_userid") != ext || r.str("userid") != "" {
		t.Fatalf("customer: %v, want openid %s and external_userid %s", r, openid, ext)
	}
	guest := "o" + "GuestNotACustomer0000000000"
	code = e.admin(http.MethodPost, "oauth/code", map[string]any{"platform": "wecom", "userid": guest}).str("code")
	r = e.get("/wecom/cgi-bin/auth/getuserinfo", with(tok(tk), "code", code))
	if _, has := r["external_userid"]; r.str("openid") != guest || has {
		t.Fatalf("guest: %v", r)
	}
}

// Tencent's hosts answer an unknown path with HTTP 200 and an errcode body,
// never an HTTP 404.
func TestUnknownPathAnswersErrcode(t *testing.T) {
	e := start(t)
	for _, p := range []string{"/wecom/cgi-bin/nope", "/mp/cgi-bin/nope"} {
		res, raw := e.do(http.MethodGet, p, nil, nil, "")
		r := e.decode(raw)
		if res.StatusCode != http.StatusOK || r.code() != 40066 {
			t.Errorf("%s: HTTP %d, answer %s; want HTTP 200 with errcode 40066", p, res.StatusCode, raw)
		}
	}
}
