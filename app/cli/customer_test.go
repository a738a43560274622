package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
