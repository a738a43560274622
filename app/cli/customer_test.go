package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCustomerCommands(t *testing.T) {
	s := apiEmulator(t)
	fx := s.Emulator().Fixture()
	base := []string{"--wecom-base-url", s.WeComBaseURL()}
	r := runWWKit(t, "", nil, append([]string{"customer", "list", "zhaoliu", "--json"}, base...)...)
	v := apiJSON(t, r)
	ids, _ := v["external_userid"].([]any)
	if r.Code != 0 || len(ids) != 2 {
		t.Fatalf("customer list: exit %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
	buyer := fx.WeCom.ExternalContacts[1].ExternalUserID
	r = runWWKit(t, "", nil, append([]string{"customer", "get", buyer}, base...)...)
	if r.Code != 0 || !strings.Contains(r.Stdout, "刘建国") || !strings.Contains(r.Stdout, "深圳市星河贸易有限公司") || !strings.Contains(r.Stdout, "followed by zhaoliu") {
		t.Fatalf("customer get: exit %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
	r = runWWKit(t, "", nil, append([]string{"customer", "get", "wmNOSUCH", "--json"}, base...)...)
	if v := apiJSON(t, r); r.Code != 1 || v["ok"] != false || !strings.Contains(r.Stdout, "40096") {
		t.Fatalf("unknown customer: exit %d %s", r.Code, r.Stdout)
	}
	r = runWWKit(t, "", nil, append([]string{"customer", "group", fx.WeCom.GroupChats[0].ChatID}, base...)...)
	if r.Code != 0 || !strings.Contains(r.Stdout, "星河贸易采购对接群") || !strings.Contains(r.Stdout, "customer 陈晓燕") {
		t.Fatalf("customer group: exit %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
}

func TestMediaUploadImgAndJSSDK(t *testing.T) {
	s := apiEmulator(t)
	dir := t.TempDir()
	png := filepath.Join(dir, "chart.png")
	if err := os.WriteFile(png, append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{9}, 64)...), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args   []string
		prefix string
	}{
		{[]string{"--wecom-base-url", s.WeComBaseURL()}, "https://wework.qpic.cn/"},
		{[]string{"--mp", "--mp-base-url", s.MPBaseURL()}, "http://mmbiz.qpic.cn/"},
	} {
		r := runWWKit(t, "", nil, append([]string{"media", "uploadimg", png, "--json"}, tc.args...)...)
		if v := apiJSON(t, r); r.Code != 0 || !strings.HasPrefix(v["url"].(string), tc.prefix) {
			t.Fatalf("uploadimg %v: exit %d %s %s", tc.args, r.Code, r.Stdout, r.Stderr)
		}
	}
	voice := filepath.Join(dir, "note.amr")
	data := append([]byte("#!AMR\n"), bytes.Repeat([]byte{5}, 64)...)
	if err := os.WriteFile(voice, data, 0o644); err != nil {
		t.Fatal(err)
	}
	base := []string{"--wecom-base-url", s.WeComBaseURL()}
	r := runWWKit(t, "", nil, append([]string{"media", "upload", "--type", "voice", voice}, base...)...)
	if r.Code != 0 {
		t.Fatalf("upload voice: %s %s", r.Stdout, r.Stderr)
	}
	out := filepath.Join(dir, "v.speex")
	r = runWWKit(t, "", nil, append([]string{"media", "jssdk", strings.TrimSpace(r.Stdout), "-o", out}, base...)...)
	if got, err := os.ReadFile(out); r.Code != 0 || err != nil || !bytes.Equal(got, data) {
		t.Fatalf("media jssdk: exit %d %s %v", r.Code, r.Stderr, err)
	}
}
