package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/emulator/fixture"
)

// TestRobotCommand posts every robot message type through the binary to the
// emulator, and checks an unknown key fails without the key in any output.
func TestRobotCommand(t *testing.T) {
	s := apiEmulator(t)
	dir := t.TempDir()
	png := filepath.Join(dir, "chart.png")
	if err := os.WriteFile(png, pngBytes(t), 0o644); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "日报.csv")
	if err := os.WriteFile(report, []byte("a,b\n1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	base := []string{"--json", "--wecom-base-url", s.WeComBaseURL()}
	env := []string{"WWKIT_ROBOT_KEY=" + fixture.RobotKey}
	for _, args := range [][]string{
		{"robot", "send", "--content", "发布完成", "--mention", "zhangsan", "--mention-mobile", "13800000002"},
		{"robot", "send", "--type", "markdown", "--content", "# 构建\n成功"},
		{"robot", "send", "--type", "image", "--image", png},
		{"robot", "send", "--type", "news", "--title", "周报", "--url", "https://example.com/r"},
		{"robot", "send", "--type", "file", "--file", report},
		{"robot", "send", "--type", "template_card", "--card", `{"card_type":"text_notice","main_title":{"title":"告警"}}`},
	} {
		r := runWWKit(t, "", env, append(args, base...)...)
		if r.Code != 0 || apiJSON(t, r)["ok"] != true {
			t.Errorf("%v: exit %d\n%s\n%s", args, r.Code, r.Stdout, r.Stderr)
		}
	}
	var robotPosts int
	for _, m := range s.Emulator().Outbox() {
		if m.Robot != "" {
			robotPosts++
		}
	}
	if robotPosts != 6 {
		t.Errorf("%d robot posts in the outbox, want 6", robotPosts)
	}
	r := runWWKit(t, "", env, append([]string{"robot", "upload", report}, base...)...)
	if v := apiJSON(t, r); r.Code != 0 || v["media_id"] == "" {
		t.Errorf("robot upload: %s %s", r.Stdout, r.Stderr)
	}

	// An unknown key: exit 1 with 93000, the key nowhere in the output.
	bad := "0badbadb-0000-4000-8000-00000000cafe"
	for _, mode := range [][]string{base, base[1:]} {
		r = runWWKit(t, "", []string{"WWKIT_ROBOT_KEY=" + bad}, append([]string{"robot", "send", "--content", "hi", "--verbose"}, mode...)...)
		if r.Code != 1 || !strings.Contains(r.Stdout+r.Stderr, "93000") {
			t.Errorf("unknown key: exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
		}
		if strings.Contains(r.Stdout+r.Stderr, bad) || strings.Contains(r.Stdout+r.Stderr, bad[:8]) {
			t.Errorf("the webhook key was printed:\n%s\n%s", r.Stdout, r.Stderr)
		}
	}
	// The key as a whole webhook URL given with --key works too.
	r = runWWKit(t, "", nil, "robot", "send", "--json", "--content", "via URL", "--key", s.WeComBaseURL()+"/cgi-bin/webhook/send?key="+fixture.RobotKey)
	if r.Code != 0 {
		t.Errorf("--key URL: exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"robot", "send", "--type", "image"}, "--image"},
		{[]string{"robot", "send", "--type", "news", "--title", "t"}, "--url"},
		{[]string{"robot", "send", "--type", "file"}, "--file"},
		{[]string{"robot", "send", "--type", "mpnews"}, "a robot posts"},
		{[]string{"robot", "upload", "--type", "image", report}, "file or voice"},
	} {
		r := runWWKit(t, "", env, append(tc.args, base...)...)
		v := apiJSON(t, r)
		e, _ := v["error"].(map[string]any)
		if r.Code != 2 || e["kind"] != "usage" || !strings.Contains(e["message"].(string), tc.want) {
			t.Errorf("%v: exit %d, want a usage error naming %q: %s", tc.args, r.Code, tc.want, r.Stdout)
		}
	}
}

// TestRobotMarkdownV2 posts markdown_v2 (tables, lists, code blocks)
// through the binary: the emulator records it with its content; without
// --content it is a usage error naming the flag.
func TestRobotMarkdownV2(t *testing.T) {
	s := apiEmulator(t)
	base := []string{"--json", "--wecom-base-url", s.WeComBaseURL()}
	env := []string{"WWKIT_ROBOT_KEY=" + fixture.RobotKey}
	table := "| 服务 | 状态 |\n| :-- | :-- |\n| api | 正常 |"
	r := runWWKit(t, "", env, append([]string{"robot", "send", "--type", "markdown_v2", "--content", table}, base...)...)
	if v := apiJSON(t, r); r.Code != 0 || v["ok"] != true || v["msgtype"] != "markdown_v2" {
		t.Fatalf("markdown_v2: exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	var posted []string
	for _, m := range s.Emulator().Outbox() {
		if m.Robot != "" {
			posted = append(posted, m.MsgType+" "+string(m.Body))
		}
	}
	if len(posted) != 1 || !strings.HasPrefix(posted[0], "markdown_v2 ") || !strings.Contains(posted[0], "| api | 正常 |") {
		t.Fatalf("robot posts in the outbox: %q", posted)
	}
	r = runWWKit(t, "", env, append([]string{"robot", "send", "--type", "markdown_v2"}, base...)...)
	v := apiJSON(t, r)
	e, _ := v["error"].(map[string]any)
	if r.Code != 2 || e["kind"] != "usage" || !strings.Contains(e["message"].(string), "--type markdown_v2 needs --content") {
		t.Fatalf("markdown_v2 without --content: exit %d %s", r.Code, r.Stdout)
	}
}

// TestRobotCommandRealProfileNeedsKey: a profile of a real corp has no
// robot key by default; the command says how to give one.
func TestRobotCommandRealProfileNeedsKey(t *testing.T) {
	r := runWWKit(t, "", nil, "robot", "send", "--json", "--content", "x", "--corp-id", "wwreal", "--secret", "s3cret-value", "--wecom-base-url", "http://127.0.0.1:1")
	v := apiJSON(t, r)
	e, _ := v["error"].(map[string]any)
	if r.Code != 1 || !strings.Contains(e["message"].(string), "WWKIT_ROBOT_KEY") {
		t.Fatalf("exit %d: %s", r.Code, r.Stdout)
	}
}

// TestAppChatCommands runs create, update, get and send through the binary
// against one emulator, then a chat that does not exist.
func TestAppChatCommands(t *testing.T) {
	s := apiEmulator(t)
	base := []string{"--json", "--wecom-base-url", s.WeComBaseURL()}
	run := func(args ...string) map[string]any {
		t.Helper()
		r := runWWKit(t, "", nil, append(args, base...)...)
		v := apiJSON(t, r)
		if r.Code != 0 {
			t.Fatalf("%v: exit %d\n%s\n%s", args, r.Code, r.Stdout, r.Stderr)
		}
		return v
	}
	if v := run("appchat", "create", "--name", "发布值班", "--users", "zhangsan,lisi", "--owner", "lisi", "--chatid", "rel42"); v["chatid"] != "rel42" {
		t.Fatalf("create: %v", v)
	}
	run("appchat", "update", "rel42", "--add", "wangwu", "--name", "发布值班2")
	v := run("appchat", "get", "rel42")
	ci, _ := v["chat_info"].(map[string]any)
	if ci["name"] != "发布值班2" || ci["owner"] != "lisi" || len(ci["userlist"].([]any)) != 3 {
		t.Errorf("get: %v", v)
	}
	run("appchat", "send", "rel42", "--type", "markdown", "--content", "**今晚发布**")
	var found bool
	for _, m := range s.Emulator().Outbox() {
		found = found || (m.ChatID == "rel42" && m.MsgType == "markdown" && len(m.ToUsers) == 3)
	}
	if !found {
		t.Error("the chat message is not in the outbox")
	}
	r := runWWKit(t, "", nil, append([]string{"appchat", "send", "nochat", "--content", "x"}, base...)...)
	if v := apiJSON(t, r); r.Code != 1 || v["errcode"] != float64(86001) {
		t.Errorf("chat not found: exit %d %s", r.Code, r.Stdout)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"appchat", "create", "--users", "zhangsan"}, "at least 2"},
		{[]string{"appchat", "update", "rel42"}, "nothing to change"},
		{[]string{"appchat", "send", "rel42", "--type", "template_card"}, "group chat takes"},
	} {
		r := runWWKit(t, "", nil, append(tc.args, base...)...)
		v := apiJSON(t, r)
		e, _ := v["error"].(map[string]any)
		if r.Code != 2 || e["kind"] != "usage" || !strings.Contains(e["message"].(string), tc.want) {
			t.Errorf("%v: exit %d, want a usage error naming %q: %s", tc.args, r.Code, tc.want, r.Stdout)
		}
	}
}

// TestCardUpdateCommand sends an interactive card with wwkit send, updates
// it with its response_code, and checks the second use is refused.
func TestCardUpdateCommand(t *testing.T) {
	s := apiEmulator(t)
	base := []string{"--json", "--wecom-base-url", s.WeComBaseURL()}
	card := `{"card_type":"button_interaction","main_title":{"title":"审批"},"task_id":"t1","button_list":[{"text":"同意","key":"ok"}]}`
	r := runWWKit(t, "", nil, append([]string{"send", "--to-user", "zhangsan", "--type", "template_card", "--card", card}, base...)...)
	v := apiJSON(t, r)
	code, _ := v["response_code"].(string)
	if r.Code != 0 || code == "" {
		t.Fatalf("send: exit %d %s", r.Code, r.Stdout)
	}
	up := append([]string{"card", "update", "--response-code", code, "--all", "--button-text", "已审批"}, base...)
	r = runWWKit(t, "", nil, up...)
	if v := apiJSON(t, r); r.Code != 0 || v["ok"] != true {
		t.Fatalf("update: exit %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
	r = runWWKit(t, "", nil, up...)
	if v := apiJSON(t, r); r.Code != 1 || v["errcode"] != float64(40058) || !strings.Contains(r.Stdout, "already used") {
		t.Errorf("second update: exit %d %s", r.Code, r.Stdout)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"card", "update", "--all", "--button-text", "x"}, "--response-code"},
		{[]string{"card", "update", "--response-code", "C", "--all"}, "--button-text"},
		{[]string{"card", "update", "--response-code", "C", "--button-text", "x"}, "--all"},
		{[]string{"card", "update", "--response-code", "C", "--to-party", "x", "--button-text", "x"}, "--to-party"},
	} {
		r := runWWKit(t, "", nil, append(tc.args, base...)...)
		v := apiJSON(t, r)
		e, _ := v["error"].(map[string]any)
		if r.Code != 2 || e["kind"] != "usage" || !strings.Contains(e["message"].(string), tc.want) {
			t.Errorf("%v: exit %d, want a usage error naming %q: %s", tc.args, r.Code, tc.want, r.Stdout)
		}
	}
}
