package emulator_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/emulator"
)

// startIn starts an emulator persisting in dir, as `wwkit serve` and the
// desktop app do.
func startIn(t *testing.T, dir string) (*emulator.Server, *env) {
	t.Helper()
	srv, err := emulator.Start("127.0.0.1:0", emulator.WithDataDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	return srv, &env{t: t, srv: srv, fx: srv.Emulator().Fixture(), hc: http.DefaultClient}
}

func TestDirectorySurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	srv1, e1 := startIn(t, dir)
	aq := tok(e1.wecomToken())
	wantCode(t, "department create", e1.post("/wecom/cgi-bin/department/create", aq, map[string]any{"name": "前端组", "parentid": 2, "id": 40}), 0)
	wantCode(t, "user create", e1.post("/wecom/cgi-bin/user/create", aq, map[string]any{"userid": "zhouba", "name": "周八", "mobile": "13800000008", "department": []int{40}}), 0)
	wantCode(t, "user update", e1.post("/wecom/cgi-bin/user/update", aq, map[string]any{"userid": "lisi", "position": "架构师"}), 0)
	wantCode(t, "user delete", e1.get("/wecom/cgi-bin/user/delete", with(aq, "userid", "zhaoliu")), 0)
	wantCode(t, "tag add", e1.post("/wecom/cgi-bin/tag/addtagusers", aq, map[string]any{"tagid": 1, "userlist": []string{"zhouba"}}), 0)
	if err := srv1.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "directory.json")
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatalf("no directory file after a change: %v", err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
		}
		di, _ := os.Stat(dir)
		if di.Mode().Perm() != 0o700 {
			t.Errorf("%s has mode %v, want 0700", dir, di.Mode().Perm())
		}
	}

	srv2, e2 := startIn(t, dir)
	aq = tok(e2.wecomToken())
	if u := e2.get("/wecom/cgi-bin/user/get", with(aq, "userid", "zhouba")); u.code() != 0 || u.str("name") != "周八" {
		t.Fatalf("created member after restart: %v", u)
	}
	if u := e2.get("/wecom/cgi-bin/user/get", with(aq, "userid", "lisi")); u.str("position") != "架构师" {
		t.Fatalf("updated member after restart: %v", u)
	}
	wantCode(t, "deleted member after restart", e2.get("/wecom/cgi-bin/user/get", with(aq, "userid", "zhaoliu")), 60111)
	if d := e2.get("/wecom/cgi-bin/department/get", with(aq, "id", "40")); d.code() != 0 {
		t.Fatalf("created department after restart: %v", d)
	}
	tag := e2.get("/wecom/cgi-bin/tag/get", with(aq, "tagid", "1"))
	if !strings.Contains(string(mustJSON(t, tag["userlist"])), "zhouba") {
		t.Fatalf("tag members after restart: %v", tag)
	}
	// A change after the restart is saved on top of the restored directory.
	wantCode(t, "member delete", e2.get("/wecom/cgi-bin/user/delete", with(aq, "userid", "zhouba")), 0)
	srv2.Close()
	srv3, e3 := startIn(t, dir)
	defer srv3.Close()
	aq = tok(e3.wecomToken())
	wantCode(t, "member deleted after the second restart", e3.get("/wecom/cgi-bin/user/get", with(aq, "userid", "zhouba")), 60111)
	if u := e3.get("/wecom/cgi-bin/user/get", with(aq, "userid", "lisi")); u.str("position") != "架构师" {
		t.Fatalf("first change lost at the second restart: %v", u)
	}
}

func TestDirectoryFileRefusedNotReset(t *testing.T) {
	for _, tc := range []struct{ name, content, want string }{
		{"not json", "{not json", "is not a directory file"},
		{"other version", `{"version":9,"corpId":"x"}`, "version 9"},
		{"other corp", `{"version":1,"corpId":"wwother","departments":[],"users":[]}`, `corp "wwother"`},
		{"invalid directory", `{"version":1,"corpId":"` + emulator.DefaultFixture().WeCom.CorpID + `","departments":[{"id":1,"name":"a"}],"users":[{"userid":"","name":"x","department":[1]}]}`, "does not hold a valid directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "directory.json")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := emulator.New(emulator.WithDataDir(dir))
			if err == nil {
				t.Fatal("a directory file the emulator cannot use was accepted")
			}
			for _, s := range []string{path, tc.want, "move it away"} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			if b, _ := os.ReadFile(path); string(b) != tc.content {
				t.Errorf("the refused file was changed: %q", b)
			}
		})
	}
}

// TestNoDirectoryFileWithoutChanges: the fixture stays the source until
// the directory is changed, so editing the fixture still takes effect.
func TestNoDirectoryFileWithoutChanges(t *testing.T) {
	dir := t.TempDir()
	srv, e := startIn(t, dir)
	e.get("/wecom/cgi-bin/user/get", with(tok(e.wecomToken()), "userid", "zhangsan"))
	srv.Close()
	if _, err := os.Stat(filepath.Join(dir, "directory.json")); !os.IsNotExist(err) {
		t.Fatalf("directory.json written without a change: %v", err)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
