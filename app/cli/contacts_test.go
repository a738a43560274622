package cli_test

import (
	"strings"
	"testing"
)

// The directory commands against the emulator's seeded org, run as the
// built binary: reads, writes the next command sees, the errcodes and the
// usage errors that never reach the API.
func TestContactCommands(t *testing.T) {
	s := apiEmulator(t)
	base := []string{"--wecom-base-url", s.WeComBaseURL()}
	run := func(args ...string) (int, string, string) {
		r := runWWKit(t, "", nil, append(args, base...)...)
		return r.Code, r.Stdout, r.Stderr
	}

	code, out, errOut := run("department", "list")
	if code != 0 || !strings.Contains(out, "示例科技") || !strings.Contains(out, "研发部") || !strings.Contains(out, "市场部") {
		t.Fatalf("department list: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = run("user", "simplelist", "1", "--recursive")
	if code != 0 || strings.Count(out, "\n") != 6 || !strings.Contains(out, "zhaoliu") || !strings.Contains(out, "赵六") {
		t.Fatalf("user simplelist --recursive: exit %d\n%s%s", code, out, errOut)
	}
	r := runWWKit(t, "", nil, append([]string{"user", "list", "3", "--json"}, base...)...)
	v := apiJSON(t, r)
	if l, _ := v["userlist"].([]any); r.Code != 0 || len(l) != 2 {
		t.Fatalf("user list 3 --json: exit %d %s", r.Code, r.Stdout)
	}

	r = runWWKit(t, "", nil, append([]string{"department", "create", "--name", "前端组", "--parent", "2", "--json"}, base...)...)
	v = apiJSON(t, r)
	if r.Code != 0 || v["id"] != float64(4) {
		t.Fatalf("department create: exit %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
	if code, out, errOut = run("user", "create", "zhouba", "--name", "周八", "--mobile", "13800000008", "--department", "4", "--position", "前端工程师"); code != 0 || out != "created zhouba\n" {
		t.Fatalf("user create: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = run("user", "update", "zhouba", "--position", "前端负责人"); code != 0 || out != "updated zhouba\n" {
		t.Fatalf("user update: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = run("user", "get", "zhouba"); code != 0 || !strings.Contains(out, "前端负责人") || !strings.Contains(out, "周八") {
		t.Fatalf("user get after update: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = run("user", "getuserid", "--mobile", "13800000008"); code != 0 || out != "zhouba\n" {
		t.Fatalf("user getuserid: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = run("user", "getuserid", "--email", "zhangsan@example.com", "--email-type", "personal"); code != 0 || out != "zhangsan\n" {
		t.Fatalf("user getuserid --email: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = run("department", "update", "4", "--name", "大前端组"); code != 0 {
		t.Fatalf("department update: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = run("department", "get", "4"); code != 0 || !strings.Contains(out, "大前端组") || !strings.Contains(out, "parent:  2") {
		t.Fatalf("department get: exit %d\n%s%s", code, out, errOut)
	}
	// A department with a member cannot go: the errcode is explained.
	if code, _, errOut = run("department", "delete", "4"); code != 1 || !strings.Contains(errOut, "errcode 60005") || !strings.Contains(errOut, "members") {
		t.Fatalf("delete a department with members: exit %d %s", code, errOut)
	}
	if code, out, errOut = run("user", "delete", "zhouba"); code != 0 || out != "deleted zhouba\n" {
		t.Fatalf("user delete: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = run("department", "delete", "4"); code != 0 || out != "deleted department 4\n" {
		t.Fatalf("department delete: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut = run("user", "get", "zhouba"); code != 1 || !strings.Contains(errOut, "errcode 60111") {
		t.Fatalf("user get after delete: exit %d %s", code, errOut)
	}

	if code, out, errOut = run("tag", "add", "1", "wangwu", "nobody"); code != 0 || !strings.Contains(out, "tag 1 updated") || !strings.Contains(out, "invalid members (unknown or outside the visible range): nobody") {
		t.Fatalf("tag add: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = run("tag", "get", "1"); code != 0 || !strings.Contains(out, "tag: 值班") || !strings.Contains(out, "member wangwu 王五") {
		t.Fatalf("tag get: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = run("tag", "remove", "1", "wangwu"); code != 0 {
		t.Fatalf("tag remove: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = run("tag", "list"); code != 0 || !strings.Contains(out, "值班") {
		t.Fatalf("tag list: exit %d\n%s%s", code, out, errOut)
	}

	// Usage errors name the flag and the fix, exit 2, and call nothing.
	before := s.Emulator().Stats()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"user", "create", "wujiu", "--name", "吴九"}, "--mobile or --email"},
		{[]string{"user", "create", "wujiu", "--mobile", "13800000009"}, "--name"},
		{[]string{"user", "update", "wujiu"}, "at least one field"},
		{[]string{"user", "simplelist", "研发部"}, "numeric department id"},
		{[]string{"user", "create", "wujiu", "--name", "吴九", "--mobile", "1", "--department", "2,x"}, "--department"},
		{[]string{"user", "getuserid"}, "exactly one of --mobile or --email"},
		{[]string{"user", "getuserid", "--email", "a@b.c", "--email-type", "work"}, "corp"},
		{[]string{"department", "create", "--name", "测试组"}, "--parent"},
		{[]string{"department", "delete", "0"}, "numeric department id"},
		{[]string{"tag", "add", "1"}, "at least one USERID"},
		{[]string{"tag", "get", "值班"}, "numeric tag id"},
	} {
		code, _, errOut := run(tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d %q, want 2 naming %q", tc.args, code, errOut, tc.want)
		}
	}
	after := s.Emulator().Stats()
	for _, p := range []string{"/wecom/cgi-bin/user/create", "/wecom/cgi-bin/user/update", "/wecom/cgi-bin/department/create", "/wecom/cgi-bin/user/getuserid", "/wecom/cgi-bin/department/delete"} {
		if after[p] != before[p] {
			t.Errorf("a usage error reached the API: %s called %d more times", p, after[p]-before[p])
		}
	}
}
