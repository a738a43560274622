package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/emulator"
)

// TestAPICommandErrors runs every command that calls the API against an
// emulator answering that call with an injected errcode: each must exit 1
// with {"ok":false,"error":{"kind":"api",…},"errcode":…} on stdout, never
// panic or print a half success.
func TestAPICommandErrors(t *testing.T) {
	s := apiEmulator(t)
	em := s.Emulator()
	fx := em.Fixture()
	dir := t.TempDir()
	file := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(file, []byte("hello, media"), 0o644); err != nil {
		t.Fatal(err)
	}
	menu := filepath.Join(dir, "menu.json")
	if err := os.WriteFile(menu, []byte(`{"button":[{"type":"click","name":"今日","key":"today"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	base := []string{"--json", "--wecom-base-url", s.WeComBaseURL(), "--mp-base-url", s.MPBaseURL()}
	for _, tc := range []struct {
		name    string
		path    string
		errcode int
		args    []string
	}{
		{"token", "/wecom/cgi-bin/gettoken", 40013, []string{"token"}},
		{"token jsapi", "/wecom/cgi-bin/get_jsapi_ticket", 45009, []string{"token", "--kind", "jsapi"}},
		{"token mp", "/mp/cgi-bin/token", 40125, []string{"token", "--kind", "mp-access"}},
		{"send", "/wecom/cgi-bin/message/send", 81013, []string{"send", "--to-user", "zhangsan", "--content", "hi"}},
		{"media upload", "/wecom/cgi-bin/media/upload", 40005, []string{"media", "upload", file}},
		{"media upload mp", "/mp/cgi-bin/media/upload", 40004, []string{"media", "upload", "--mp", "--type", "image", file}},
		{"media get", "/wecom/cgi-bin/media/get", 40007, []string{"media", "get", "BADID"}},
		{"media get mp", "/mp/cgi-bin/media/get", 40007, []string{"media", "get", "--mp", "BADID"}},
		{"menu create", "/wecom/cgi-bin/menu/create", 40017, []string{"menu", "create", "--file", menu}},
		{"menu get", "/wecom/cgi-bin/menu/get", 46003, []string{"menu", "get"}},
		{"menu delete mp", "/mp/cgi-bin/menu/delete", 45009, []string{"menu", "delete", "--mp"}},
		{"user get", "/wecom/cgi-bin/user/get", 60111, []string{"user", "get", "zhangsan"}},
		{"oauth user", "/wecom/cgi-bin/auth/getuserinfo", 40029, []string{"oauth", "user", "--code", "CODE"}},
		{"mp qrcode", "/mp/cgi-bin/qrcode/create", 45009, []string{"mp", "qrcode", "create", "--scene", "1"}},
		{"mp template", "/mp/cgi-bin/message/template/send", 40037, []string{"mp", "template", "send", "--to", fx.MP.Followers[0].OpenID, "--template-id", "nope", "--data", "first=x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			em.ClearFaults()
			em.InjectFault(emulator.Fault{Path: tc.path, Errcode: tc.errcode, Count: 5})
			r := runWWKit(t, "", nil, append(tc.args, base...)...)
			if r.Code != 1 {
				t.Fatalf("exit %d, want 1\nstdout %s\nstderr %s", r.Code, r.Stdout, r.Stderr)
			}
			v := apiJSON(t, r)
			e, _ := v["error"].(map[string]any)
			if v["ok"] != false || e["kind"] != "api" || v["errcode"] != float64(tc.errcode) || e["errcode"] != float64(tc.errcode) {
				t.Fatalf("want ok:false, error.kind api and errcode %d, got %s", tc.errcode, r.Stdout)
			}
		})
	}
}

// TestUsageErrorJSON checks that every command taking --json answers a
// wrong command line with exit 2 and {"ok":false,"error":{"kind":"usage"}},
// whether the mistake is an unknown flag, a missing argument or a check in
// the command's own code.
func TestUsageErrorJSON(t *testing.T) {
	for _, args := range [][]string{
		{"token", "--json", "--no-such-flag"},
		{"token", "--json", "--kind", "nope"},
		{"send", "--json"},
		{"send", "--json", "--to-user", "a", "--type", "nope"},
		{"media", "upload", "--json"},
		{"media", "get", "--json"},
		{"media", "get", "A", "B", "--json"},
		{"menu", "create", "--json", "--bogus"},
		{"menu", "get", "--json", "extra"},
		{"user", "get", "--json"},
		{"oauth", "user", "--json", "--bogus"},
		{"oauth", "user", "--json", "--code", ""},
		{"errcode", "--json"},
		{"mp", "qrcode", "create", "--json", "--bogus"},
		{"mp", "template", "send", "--json", "--bogus"},
		{"jssdk", "check", "--json", "--bogus"},
		{"sign", "--json", "--bogus"},
		{"crypt", "decrypt", "--json", "--bogus"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := runWWKit(t, "", nil, args...)
			if r.Code != 2 {
				t.Fatalf("exit %d, want 2\nstdout %s\nstderr %s", r.Code, r.Stdout, r.Stderr)
			}
			v := apiJSON(t, r)
			e, _ := v["error"].(map[string]any)
			if v["ok"] != false || e["kind"] != "usage" || e["message"] == "" {
				t.Fatalf("want a usage error as JSON, got %s", r.Stdout)
			}
		})
	}
}

// TestMenuMatchruleRejected checks that a conditional menu is not sent as
// the default menu (which would silently replace it).
func TestMenuMatchruleRejected(t *testing.T) {
	s := apiEmulator(t)
	menu := `{"button":[{"type":"click","name":"今日","key":"today"}],"matchrule":{"tag_id":"2"}}`
	r := runWWKit(t, menu, nil, "menu", "create", "--mp", "--json", "--mp-base-url", s.MPBaseURL())
	if r.Code != 2 || !strings.Contains(r.Stdout, "addconditional") {
		t.Fatalf("exit %d, stdout %s", r.Code, r.Stdout)
	}
	if n := s.Emulator().Stats()["/mp/cgi-bin/menu/create"]; n != 0 {
		t.Fatalf("the conditional menu reached menu/create (%d calls)", n)
	}
}

// TestErrcodeCommand checks `wwkit errcode` in both languages and its
// errors.
func TestErrcodeCommand(t *testing.T) {
	r := runWWKit(t, "", nil, "errcode", "40163", "--json")
	v := apiJSON(t, r)
	if r.Code != 0 || v["ok"] != true || v["meaningZH"] == "" || v["check"] == "" {
		t.Fatalf("exit %d: %s", r.Code, r.Stdout)
	}
	r = runWWKit(t, "", nil, "errcode", "301002")
	if r.Code != 0 || !strings.Contains(r.Stdout, "含义") {
		t.Fatalf("exit %d: %s", r.Code, r.Stdout)
	}
	// 40003 is an openid for an Official Account, a userid for WeCom.
	r = runWWKit(t, "", nil, "errcode", "40003", "--platform", "mp", "--json")
	if v := apiJSON(t, r); r.Code != 0 || v["meaning"] != "invalid openid" || v["platform"] != "mp" {
		t.Fatalf("errcode 40003 --platform mp: exit %d %s", r.Code, r.Stdout)
	}
	r = runWWKit(t, "", nil, "errcode", "40003", "--platform", "wecom")
	if r.Code != 0 || !strings.Contains(r.Stdout, "invalid userid") || strings.Contains(r.Stdout, "openid") {
		t.Fatalf("errcode 40003 --platform wecom: exit %d %s", r.Code, r.Stdout)
	}
	r = runWWKit(t, "", nil, "errcode", "40003")
	if r.Code != 0 || !strings.Contains(r.Stdout, "invalid userid") || !strings.Contains(r.Stdout, "invalid openid") {
		t.Fatalf("errcode 40003 without a platform should give both meanings: exit %d %s", r.Code, r.Stdout)
	}
	if r = runWWKit(t, "", nil, "errcode", "40003", "--platform", "qq", "--json"); r.Code != 2 || apiJSON(t, r)["ok"] != false {
		t.Fatalf("--platform qq: exit %d %s", r.Code, r.Stdout)
	}
	if r = runWWKit(t, "", nil, "errcode", "abc", "--json"); r.Code != 2 {
		t.Fatalf("non-numeric code: exit %d", r.Code)
	}
	if r = runWWKit(t, "", nil, "errcode", "123456789", "--json"); r.Code != 1 || apiJSON(t, r)["ok"] != false {
		t.Fatalf("unknown code: exit %d %s", r.Code, r.Stdout)
	}
}
