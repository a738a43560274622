package cli_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/emulator"
)

// TestAPICommandErrors runs every command that calls the API against an
// emulator told, through its fault admin API, to answer that call with an
// errcode: each must exit 1 with {"ok":false,"error":{"kind":"api",…},
// "errcode":…} on stdout, never panic or print a half success. The table
// must name every command of the tree that takes the API connection flags,
// so a command added later without a row fails here.
func TestAPICommandErrors(t *testing.T) {
	s := apiEmulator(t)
	em := s.Emulator()
	fx := em.Fixture()
	dir := t.TempDir()
	file := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(file, []byte("hello, media"), 0o644); err != nil {
		t.Fatal(err)
	}
	png := filepath.Join(dir, "a.png")
	if err := os.WriteFile(png, pngBytes(t), 0o644); err != nil {
		t.Fatal(err)
	}
	menu := filepath.Join(dir, "menu.json")
	if err := os.WriteFile(menu, []byte(`{"button":[{"type":"click","name":"今日","key":"today"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	condMenu := filepath.Join(dir, "vip.json")
	if err := os.WriteFile(condMenu, []byte(`{"button":[{"type":"click","name":"会员","key":"vip"}],"matchrule":{"tag_id":"100"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	openID := fx.MP.Followers[0].OpenID
	// The suite commands read the suite_ticket and permanent codes wwkit
	// serve stores; the emulator issues the ticket even when its push
	// reaches no server.
	suiteData := suiteDataDir(t, em, "PERMANENT-CODE-NOT-CHECKED")
	base := []string{"--json", "--wecom-base-url", s.WeComBaseURL(), "--mp-base-url", s.MPBaseURL()}
	covered := map[string]bool{}
	for _, tc := range []struct {
		cmd     string // the command path, checked against the tree
		path    string
		errcode int
		args    []string
	}{
		{"token", "/wecom/cgi-bin/gettoken", 40013, []string{"token"}},
		{"token", "/wecom/cgi-bin/get_jsapi_ticket", 45009, []string{"token", "--kind", "jsapi"}},
		{"token", "/mp/cgi-bin/token", 40125, []string{"token", "--kind", "mp-access"}},
		{"send", "/wecom/cgi-bin/message/send", 81013, []string{"send", "--to-user", "zhangsan", "--content", "hi"}},
		{"send", "/wecom/cgi-bin/message/send", 40058, []string{"send", "--to-user", "zhangsan", "--type", "miniprogram_notice", "--appid", "wx1", "--title", "t"}},
		{"media upload", "/wecom/cgi-bin/media/upload", 40005, []string{"media", "upload", file}},
		{"media upload", "/mp/cgi-bin/media/upload", 40004, []string{"media", "upload", "--mp", "--type", "image", file}},
		{"media get", "/wecom/cgi-bin/media/get", 40007, []string{"media", "get", "BADID"}},
		{"media get", "/mp/cgi-bin/media/get", 40007, []string{"media", "get", "--mp", "BADID"}},
		{"media jssdk", "/wecom/cgi-bin/media/get/jssdk", 40007, []string{"media", "jssdk", "BADID", "-o", filepath.Join(dir, "v.speex")}},
		{"media uploadimg", "/wecom/cgi-bin/media/uploadimg", 40006, []string{"media", "uploadimg", png}},
		{"menu create", "/wecom/cgi-bin/menu/create", 40017, []string{"menu", "create", "--file", menu}},
		{"menu get", "/wecom/cgi-bin/menu/get", 46003, []string{"menu", "get"}},
		{"menu delete", "/mp/cgi-bin/menu/delete", 45009, []string{"menu", "delete", "--mp"}},
		{"user get", "/wecom/cgi-bin/user/get", 60111, []string{"user", "get", "zhangsan"}},
		{"user simplelist", "/wecom/cgi-bin/user/simplelist", 60011, []string{"user", "simplelist", "1"}},
		{"user list", "/wecom/cgi-bin/user/list", 60123, []string{"user", "list", "2", "--recursive"}},
		{"user create", "/wecom/cgi-bin/user/create", 60102, []string{"user", "create", "zhouba", "--name", "周八", "--mobile", "13800000008"}},
		{"user update", "/wecom/cgi-bin/user/update", 60111, []string{"user", "update", "zhouba", "--position", "前端"}},
		{"user delete", "/wecom/cgi-bin/user/delete", 60111, []string{"user", "delete", "zhouba"}},
		{"user getuserid", "/wecom/cgi-bin/user/getuserid", 46004, []string{"user", "getuserid", "--mobile", "13999999999"}},
		{"user getuserid", "/wecom/cgi-bin/user/get_userid_by_email", 46004, []string{"user", "getuserid", "--email", "a@example.com"}},
		{"department list", "/wecom/cgi-bin/department/list", 60011, []string{"department", "list"}},
		{"department get", "/wecom/cgi-bin/department/get", 60123, []string{"department", "get", "9"}},
		{"department create", "/wecom/cgi-bin/department/create", 60008, []string{"department", "create", "--name", "研发部", "--parent", "1"}},
		{"department update", "/wecom/cgi-bin/department/update", 60004, []string{"department", "update", "2", "--parent", "9"}},
		{"department delete", "/wecom/cgi-bin/department/delete", 60006, []string{"department", "delete", "2"}},
		{"tag list", "/wecom/cgi-bin/tag/list", 45009, []string{"tag", "list"}},
		{"tag get", "/wecom/cgi-bin/tag/get", 40068, []string{"tag", "get", "42"}},
		{"tag add", "/wecom/cgi-bin/tag/addtagusers", 40070, []string{"tag", "add", "1", "nobody"}},
		{"tag remove", "/wecom/cgi-bin/tag/deltagusers", 40068, []string{"tag", "remove", "42", "lisi"}},
		{"customer list", "/wecom/cgi-bin/externalcontact/list", 84061, []string{"customer", "list", "zhaoliu"}},
		{"customer get", "/wecom/cgi-bin/externalcontact/get", 84061, []string{"customer", "get", "wmNOSUCH"}},
		{"customer group", "/wecom/cgi-bin/externalcontact/groupchat/get", 60011, []string{"customer", "group", "wrNOSUCH"}},
		{"oauth user", "/wecom/cgi-bin/auth/getuserinfo", 40029, []string{"oauth", "user", "--code", "CODE"}},
		{"oauth user", "/mp/sns/oauth2/access_token", 40163, []string{"oauth", "user", "--mp", "--code", "CODE"}},
		{"oauth refresh", "/mp/sns/oauth2/refresh_token", 42002, []string{"oauth", "refresh", "--refresh-token", "RT"}},
		{"oauth userinfo", "/mp/sns/userinfo", 48001, []string{"oauth", "userinfo", "--access-token", "AT", "--openid", openID}},
		{"mp qrcode create", "/mp/cgi-bin/qrcode/create", 45009, []string{"mp", "qrcode", "create", "--scene", "1"}},
		{"mp template send", "/mp/cgi-bin/message/template/send", 40037, []string{"mp", "template", "send", "--to", openID, "--template-id", "nope", "--data", "first=x"}},
		{"mp custom send", "/mp/cgi-bin/message/custom/send", 45015, []string{"mp", "custom", "send", "--to", openID, "--content", "hi"}},
		{"mp custom send", "/mp/cgi-bin/message/custom/send", 43004, []string{"mp", "custom", "send", "--to", openID, "--type", "image", "--media-id", "M"}},
		{"mp follower list", "/mp/cgi-bin/user/get", 40013, []string{"mp", "follower", "list"}},
		{"mp follower get", "/mp/cgi-bin/user/info", 40003, []string{"mp", "follower", "get", openID}},
		{"mp follower tags", "/mp/cgi-bin/tags/getidlist", 40003, []string{"mp", "follower", "tags", openID}},
		{"mp tag list", "/mp/cgi-bin/tags/get", 45009, []string{"mp", "tag", "list"}},
		{"mp tag create", "/mp/cgi-bin/tags/create", 45157, []string{"mp", "tag", "create", "重复"}},
		{"mp tag rename", "/mp/cgi-bin/tags/update", 45058, []string{"mp", "tag", "rename", "2", "新名"}},
		{"mp tag delete", "/mp/cgi-bin/tags/delete", 45159, []string{"mp", "tag", "delete", "999"}},
		{"mp tag add", "/mp/cgi-bin/tags/members/batchtagging", 45059, []string{"mp", "tag", "add", "100", openID}},
		{"mp tag remove", "/mp/cgi-bin/tags/members/batchuntagging", 40032, []string{"mp", "tag", "remove", "100", openID}},
		{"mp tag followers", "/mp/cgi-bin/user/tag/get", 45159, []string{"mp", "tag", "followers", "999"}},
		{"robot send", "/wecom/cgi-bin/webhook/send", 93000, []string{"robot", "send", "--content", "hi"}},
		{"robot send", "/wecom/cgi-bin/webhook/upload_media", 40006, []string{"robot", "send", "--type", "file", "--file", file}},
		{"robot upload", "/wecom/cgi-bin/webhook/upload_media", 93000, []string{"robot", "upload", file}},
		{"appchat create", "/wecom/cgi-bin/appchat/create", 86215, []string{"appchat", "create", "--users", "zhangsan,lisi", "--chatid", "c1"}},
		{"appchat update", "/wecom/cgi-bin/appchat/update", 86001, []string{"appchat", "update", "c1", "--add", "wangwu"}},
		{"appchat get", "/wecom/cgi-bin/appchat/get", 86008, []string{"appchat", "get", "c1"}},
		{"appchat send", "/wecom/cgi-bin/appchat/send", 86001, []string{"appchat", "send", "c1", "--content", "hi"}},
		{"card update", "/wecom/cgi-bin/message/update_template_card", 40058, []string{"card", "update", "--response-code", "RC", "--all", "--button-text", "done"}},
		{"suite install-url", "/wecom/cgi-bin/service/get_pre_auth_code", 45009, []string{"suite", "install-url", "--redirect-uri", "https://isv.example.com/done", "--data", suiteData}},
		{"suite install-url", "/wecom/cgi-bin/service/get_suite_token", 40085, []string{"suite", "install-url", "--redirect-uri", "https://isv.example.com/done", "--data", suiteData}},
		{"suite corp-token", "/wecom/cgi-bin/service/get_corp_token", 40084, []string{"suite", "corp-token", fx.WeCom.CorpID, "--data", suiteData}},
		{"mp follower batchget", "/mp/cgi-bin/user/info/batchget", 40032, []string{"mp", "follower", "batchget", openID}},
		{"mp kf list", "/mp/cgi-bin/customservice/getkflist", 65400, []string{"mp", "kf", "list"}},
		{"mp kf add", "/mp/customservice/kfaccount/add", 65406, []string{"mp", "kf", "add", "kf01@" + fx.MP.OriginalID, "--nickname", "客服"}},
		{"mp kf update", "/mp/customservice/kfaccount/update", 65401, []string{"mp", "kf", "update", "kf01@" + fx.MP.OriginalID, "--nickname", "客服"}},
		{"mp kf delete", "/mp/customservice/kfaccount/del", 65401, []string{"mp", "kf", "delete", "kf01@" + fx.MP.OriginalID}},
		{"mp menu addconditional", "/mp/cgi-bin/menu/addconditional", 65303, []string{"mp", "menu", "addconditional", "--file", condMenu}},
		{"mp menu delconditional", "/mp/cgi-bin/menu/delconditional", 65301, []string{"mp", "menu", "delconditional", "208379533"}},
		{"mp menu trymatch", "/mp/cgi-bin/menu/trymatch", 65302, []string{"mp", "menu", "trymatch", openID}},
		{"mp menu current", "/mp/cgi-bin/get_current_selfmenu_info", 45009, []string{"mp", "menu", "current"}},
		{"mp material add", "/mp/cgi-bin/material/add_material", 40005, []string{"mp", "material", "add", png, "--type", "image"}},
		{"mp material get", "/mp/cgi-bin/material/get_material", 40007, []string{"mp", "material", "get", "BADID", "-o", filepath.Join(dir, "m.bin")}},
		{"mp material list", "/mp/cgi-bin/material/batchget_material", 40004, []string{"mp", "material", "list", "--type", "image"}},
		{"mp material delete", "/mp/cgi-bin/material/del_material", 40007, []string{"mp", "material", "delete", "BADID"}},
		{"mp material count", "/mp/cgi-bin/material/get_materialcount", 45009, []string{"mp", "material", "count"}},
	} {
		covered[tc.cmd] = true
		t.Run(tc.cmd+" "+strconv.Itoa(tc.errcode), func(t *testing.T) {
			if !strings.HasPrefix(strings.Join(tc.args, " "), tc.cmd) {
				t.Fatalf("row %q runs %v", tc.cmd, tc.args)
			}
			adminFault(t, s, http.MethodDelete, nil)
			adminFault(t, s, http.MethodPost, map[string]any{"path": tc.path, "errcode": tc.errcode, "count": 5})
			r := runWWKit(t, "", nil, append(tc.args, base...)...)
			if r.Code != 1 {
				t.Fatalf("exit %d, want 1\nstdout %s\nstderr %s", r.Code, r.Stdout, r.Stderr)
			}
			v := apiJSON(t, r)
			e, _ := v["error"].(map[string]any)
			if v["ok"] != false || e["kind"] != "api" || v["errcode"] != float64(tc.errcode) || e["errcode"] != float64(tc.errcode) {
				t.Fatalf("want ok:false, error.kind api and errcode %d, got %s", tc.errcode, r.Stdout)
			}
			if n := em.Stats()[tc.path]; n == 0 {
				t.Fatalf("the command never called %s", tc.path)
			}
			// Without --json: exit 1, the errcode explained on stderr,
			// nothing on stdout that looks like a success.
			adminFault(t, s, http.MethodPost, map[string]any{"path": tc.path, "errcode": tc.errcode, "count": 5})
			r = runWWKit(t, "", nil, append(tc.args, base[1:]...)...)
			if r.Code != 1 || !strings.Contains(r.Stderr, "errcode "+strconv.Itoa(tc.errcode)) || strings.Contains(r.Stderr, "panic") {
				t.Fatalf("text mode: exit %d, want 1 with the errcode on stderr\nstdout %s\nstderr %s", r.Code, r.Stdout, r.Stderr)
			}
		})
	}
	// Commands that take the connection flags but call no API.
	noCall := map[string]string{
		"oauth url": "builds the authorize URL from the profile",
		"serve":     "a server: the API errors it meets are answered over HTTP (app/server tests)",
	}
	for _, c := range leafCommands(t) {
		path := commandPath(c)
		if c.Flags().Lookup("wecom-base-url") == nil || noCall[path] != "" {
			continue
		}
		if !covered[path] {
			t.Errorf("wwkit %s takes the API connection flags but has no row in this table", path)
		}
	}
}

// adminFault calls the emulator's fault admin API (POST adds a fault,
// DELETE clears them) as a script would.
func adminFault(t *testing.T, s *emulator.Server, method string, body any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.URL+"/__emulator/faults", rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("%s /__emulator/faults: %d %s", method, resp.StatusCode, b)
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
