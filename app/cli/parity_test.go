package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/app/cli"
	"github.com/wwkit/wwkit/core/emulator"
)

// leafCommands returns every runnable command of the headless tree, the
// one the binary under test was built from.
func leafCommands(t *testing.T) []*cobra.Command {
	t.Helper()
	root := cli.NewRoot(&cli.Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }})
	var out []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" || sub.Name() == "completion" {
				continue
			}
			if sub.HasSubCommands() {
				walk(sub)
			} else {
				out = append(out, sub)
			}
		}
	}
	walk(root)
	if len(out) < 30 {
		t.Fatalf("the tree has %d leaf commands; the walk is broken", len(out))
	}
	return out
}

// commandPath is "mp tag add" for `wwkit mp tag add`.
func commandPath(c *cobra.Command) string {
	return strings.TrimPrefix(c.CommandPath(), "wwkit ")
}

// pngBytes is a small real PNG.
func pngBytes(t *testing.T) []byte {
	t.Helper()
	cmd := exec.Command(wwkitBin, "qr", "https://example.com/", "--png", "-", "--size", "64")
	b, err := cmd.Output()
	if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatalf("wwkit qr --png -: %v", err)
	}
	return b
}

// TestUsageErrorJSONEveryCommand runs every command of the tree with --json
// and a flag it does not have: each must exit 2 with
// {"ok":false,"error":{"kind":"usage",…}} on stdout. A command without
// --json must be listed here with the reason.
func TestUsageErrorJSONEveryCommand(t *testing.T) {
	noJSON := map[string]string{
		"version": "prints one line; --json would add nothing a script needs",
	}
	for _, c := range leafCommands(t) {
		path := commandPath(c)
		t.Run(path, func(t *testing.T) {
			if c.Flags().Lookup("json") == nil {
				if noJSON[path] == "" {
					t.Fatalf("wwkit %s has no --json; add it, or list the command in noJSON with the reason", path)
				}
				return
			}
			r := runWWKit(t, "", nil, append(strings.Fields(path), "--json", "--no-such-flag")...)
			if r.Code != 2 {
				t.Fatalf("exit %d, want 2\nstdout %s\nstderr %s", r.Code, r.Stdout, r.Stderr)
			}
			v := apiJSON(t, r)
			e, _ := v["error"].(map[string]any)
			if v["ok"] != false || e["kind"] != "usage" || !strings.Contains(e["message"].(string), "no-such-flag") {
				t.Fatalf("want a usage error as JSON naming the flag, got %s", r.Stdout)
			}
			if !strings.Contains(r.Stderr, "Usage:") {
				t.Errorf("no help on stderr: %s", r.Stderr)
			}
		})
	}
}

// TestEveryCommandHasHelpAndExamples checks that every command explains
// itself: a short line and at least one example.
func TestEveryCommandHasHelpAndExamples(t *testing.T) {
	for _, c := range leafCommands(t) {
		if c.Short == "" {
			t.Errorf("wwkit %s has no short help", commandPath(c))
		}
		if strings.TrimSpace(c.Example) == "" && commandPath(c) != "version" {
			t.Errorf("wwkit %s has no example in --help", commandPath(c))
		}
	}
}

// TestNewCommandUsageErrors checks the checks in the new commands' own
// code: exit 2, JSON with kind usage, and a message naming the fix.
func TestNewCommandUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"mp", "custom", "send", "--content", "x"}, "--to"},
		{[]string{"mp", "custom", "send", "--to", "o1", "--type", "video", "--media-id", "M"}, "--thumb-media-id"},
		{[]string{"mp", "custom", "send", "--to", "o1", "--type", "msgmenu"}, "--menu"},
		{[]string{"mp", "custom", "send", "--to", "o1", "--type", "msgmenu", "--menu", "novalue"}, "ID=TEXT"},
		{[]string{"mp", "custom", "send", "--to", "o1", "--type", "fax"}, "miniprogrampage"},
		{[]string{"mp", "follower", "get"}, "accepts 1 arg"},
		{[]string{"mp", "tag", "add", "100"}, "arg"},
		{[]string{"mp", "tag", "delete", "abc"}, "tag id"},
		{[]string{"mp", "tag", "create", strings.Repeat("长", 11)}, "30 bytes"},
		{[]string{"oauth", "user", "--code", ""}, "--code"},
		{[]string{"oauth", "user", "--code", "C", "--userinfo"}, "--mp"},
		{[]string{"oauth", "refresh"}, "--refresh-token"},
		{[]string{"oauth", "userinfo", "--openid", "o1"}, "--access-token"},
		{[]string{"oauth", "userinfo", "--access-token", "A", "--openid", "o1", "--lang", "fr"}, "zh_CN"},
		{[]string{"send", "--to-user", "a", "--type", "voice"}, "--media-id"},
		{[]string{"send", "--to-user", "a", "--type", "mpnews", "--title", "t"}, "--thumb-media-id"},
		{[]string{"send", "--to-user", "a", "--type", "mpnews", "--articles", "{}"}, "JSON array"},
		{[]string{"send", "--to-user", "a", "--type", "miniprogram_notice", "--title", "t"}, "--appid"},
		{[]string{"send", "--to-user", "a", "--type", "miniprogram_notice", "--appid", "wx", "--title", "t", "--item", "x"}, "key=value"},
		{[]string{"qr"}, "accepts 1 arg"},
		{[]string{"qr", " "}, "empty"},
		{[]string{"qr", "https://x.example/", "--level", "ultra"}, "--level"},
		{[]string{"qr", "https://x.example/", "--size", "10"}, "--size"},
		{[]string{"qr", "https://x.example/", "--png", "-"}, "--json"},
		{[]string{"errcode", "40003", "--platform", "qq"}, "wecom or mp"},
		{[]string{"serve", "--reply", "image:"}, "image:MEDIA_ID"},
		{[]string{"serve", "--reply", "gif:x"}, "unknown rule"},
		{[]string{"mp", "tag", "lst"}, `unknown command "lst"`},
		{[]string{"mp", "kf", "add", "kf01"}, "kf_account"},
		{[]string{"mp", "kf", "add", "kf01@gh_1"}, "nickname"},
		{[]string{"mp", "kf", "update", "kf01@gh_1", "--nickname", strings.Repeat("客", 17)}, "16"},
		{[]string{"mp", "kf", "delete"}, "accepts 1 arg"},
		{[]string{"mp", "menu", "delconditional", " "}, "MENUID"},
		{[]string{"mp", "menu", "trymatch"}, "accepts 1 arg"},
		{[]string{"mp", "material", "add", "x.png"}, "--type"},
		{[]string{"mp", "material", "add", "x.mp4", "--type", "video"}, "--title"},
		{[]string{"mp", "material", "list", "--type", "file"}, "--type"},
		{[]string{"mp", "material", "list", "--type", "image", "--count", "0"}, "--count"},
		{[]string{"mp", "material", "get", "M", "-o", "-"}, "pick one"},
		{[]string{"mp", "follower", "batchget"}, "requires at least 1 arg"},
		{[]string{"mp", "follower", "batchget", "o1", "--lang", "fr"}, "zh_CN"},
		{[]string{"mp", "template", "send", "--to", "o1", "--template-id", "T", "--miniprogram-page", "p"}, "--miniprogram-appid"},
		{[]string{"mp"}, "unknown flag: --json"},
		{[]string{"no-such-command"}, "unknown command"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--reply", "music:https://m.example.com/a.mp3|THUMB"}, "Official Accounts only"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := runWWKit(t, "", nil, append(tc.args, "--json")...)
			if r.Code != 2 {
				t.Fatalf("exit %d, want 2\nstdout %s\nstderr %s", r.Code, r.Stdout, r.Stderr)
			}
			v := apiJSON(t, r)
			e, _ := v["error"].(map[string]any)
			if v["ok"] != false || e["kind"] != "usage" || !strings.Contains(e["message"].(string), tc.want) {
				t.Fatalf("want a usage error naming %q, got %s", tc.want, r.Stdout)
			}
		})
	}
}

// TestMPFollowersAndTags walks the follower and tag commands against the
// emulator: list, read, tag, list by tag, untag, rename, delete.
func TestMPFollowersAndTags(t *testing.T) {
	s := apiEmulator(t)
	fx := s.Emulator().Fixture()
	base := []string{"--json", "--mp-base-url", s.MPBaseURL()}
	run := func(args ...string) map[string]any {
		t.Helper()
		r := runWWKit(t, "", nil, append(args, base...)...)
		if r.Code != 0 {
			t.Fatalf("wwkit %v: exit %d\n%s\n%s", args, r.Code, r.Stdout, r.Stderr)
		}
		return apiJSON(t, r)
	}
	v := run("mp", "follower", "list", "--all")
	ids, _ := v["openids"].([]any)
	if len(ids) == 0 || v["total"].(float64) < float64(len(ids)) {
		t.Fatalf("follower list: %v", v)
	}
	openID := fx.MP.Followers[0].OpenID
	if v = run("mp", "follower", "get", openID); v["openid"] != openID || v["subscribe"] != 1.0 {
		t.Fatalf("follower get: %v", v)
	}
	v = run("mp", "tag", "create", "回访客户")
	id, _ := v["id"].(float64)
	if id < 100 {
		t.Fatalf("tag create: %v", v)
	}
	tid := strings.TrimSuffix(strings.TrimSuffix(jsonNum(id), ".0"), ".")
	run("mp", "tag", "add", tid, openID)
	if v = run("mp", "follower", "tags", openID); !containsNum(v["tagid_list"], id) {
		t.Fatalf("follower tags after add: %v", v)
	}
	if v = run("mp", "tag", "followers", tid); !containsStr(v["openids"], openID) {
		t.Fatalf("tag followers: %v", v)
	}
	run("mp", "tag", "rename", tid, "老客户")
	v = run("mp", "tag", "list")
	var found bool
	for _, tg := range v["tags"].([]any) {
		m := tg.(map[string]any)
		if m["id"] == id {
			found = m["name"] == "老客户" && m["count"] == 1.0
		}
	}
	if !found {
		t.Fatalf("tag list after rename: %v", v)
	}
	run("mp", "tag", "remove", tid, openID)
	if v = run("mp", "follower", "tags", openID); containsNum(v["tagid_list"], id) {
		t.Fatalf("follower tags after remove: %v", v)
	}
	run("mp", "tag", "delete", tid)
	r := runWWKit(t, "", nil, append([]string{"mp", "tag", "followers", tid}, base...)...)
	if r.Code != 1 || apiJSON(t, r)["errcode"] != 45159.0 {
		t.Fatalf("a deleted tag: exit %d %s", r.Code, r.Stdout)
	}
	// Text output, and 40003 explained as an Official Account means it.
	r = runWWKit(t, "", nil, "mp", "follower", "get", "o-not-a-follower", "--mp-base-url", s.MPBaseURL())
	if r.Code != 1 || !strings.Contains(r.Stderr, "invalid openid") || strings.Contains(r.Stderr, "userid") {
		t.Fatalf("bad openid: exit %d %s", r.Code, r.Stderr)
	}
}

func jsonNum(f float64) string { b, _ := json.Marshal(f); return string(b) }

func containsNum(list any, n float64) bool {
	l, _ := list.([]any)
	for _, x := range l {
		if x == n {
			return true
		}
	}
	return false
}

func containsStr(list any, s string) bool {
	l, _ := list.([]any)
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// TestMPCustomSendEveryType sends each customer-service message type inside
// a window the follower opened, and finds each in the emulator's outbox
// with the payload the API documents.
func TestMPCustomSendEveryType(t *testing.T) {
	s := apiEmulator(t)
	em := s.Emulator()
	openID := em.Fixture().MP.Followers[0].OpenID
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "success") }))
	defer sink.Close()
	base := []string{"--json", "--mp-base-url", s.MPBaseURL(), "--to", openID}
	for _, tc := range []struct {
		msgType string
		args    []string
		want    string // a fragment of the sent body
	}{
		{"text", []string{"--content", "您好"}, `"content":"您好"`},
		{"image", []string{"--media-id", "IMG"}, `"image":{"media_id":"IMG"}`},
		{"voice", []string{"--media-id", "VOI"}, `"voice":{"media_id":"VOI"}`},
		{"video", []string{"--media-id", "VID", "--thumb-media-id", "TH", "--title", "演示"}, `"thumb_media_id":"TH"`},
		{"music", []string{"--music-url", "https://m.example.com/a.mp3", "--thumb-media-id", "TH"}, `"musicurl":"https://m.example.com/a.mp3"`},
		{"news", []string{"--title", "新品", "--url", "https://h5.example.com/n"}, `"title":"新品"`},
		{"mpnews", []string{"--media-id", "NEWS"}, `"mpnews":{"media_id":"NEWS"}`},
		{"mpnewsarticle", []string{"--article-id", "ART"}, `"article_id":"ART"`},
		{"msgmenu", []string{"--menu-head", "满意吗", "--menu", "101=满意", "--menu", "102=不满意"}, `{"id":"102","content":"不满意"}`},
		{"wxcard", []string{"--card-id", "CARD"}, `"card_id":"CARD"`},
		{"miniprogrampage", []string{"--title", "订单", "--appid", "wxa", "--pagepath", "pages/o", "--thumb-media-id", "TH"}, `"pagepath":"pages/o"`},
	} {
		t.Run(tc.msgType, func(t *testing.T) {
			// A message from the follower opens the window for 5 replies.
			if _, err := em.PushCallback(context.Background(), emulator.CallbackRequest{Platform: "mp", From: openID, Content: "在吗", URL: sink.URL}); err != nil {
				t.Fatal(err)
			}
			r := runWWKit(t, "", nil, append(append([]string{"mp", "custom", "send", "--type", tc.msgType}, tc.args...), base...)...)
			if r.Code != 0 || apiJSON(t, r)["ok"] != true {
				t.Fatalf("exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
			}
			var sent bool
			for _, m := range em.Outbox() {
				if m.Platform == "mp" && strings.Contains(string(m.Body), tc.want) && strings.Contains(string(m.Body), `"msgtype":"`+tc.msgType+`"`) {
					sent = true
				}
			}
			if !sent {
				t.Fatalf("the outbox has no %s message with %s", tc.msgType, tc.want)
			}
		})
	}
}

// TestSendEveryType sends the WeCom app message types the send command
// gained, with real uploaded media where the emulator checks it.
func TestSendEveryType(t *testing.T) {
	s := apiEmulator(t)
	em := s.Emulator()
	dir := t.TempDir()
	base := []string{"--json", "--wecom-base-url", s.WeComBaseURL(), "--to-user", "zhangsan"}
	upload := func(typ, name string, data []byte) string {
		t.Helper()
		f := filepath.Join(dir, name)
		os.WriteFile(f, data, 0o644)
		r := runWWKit(t, "", nil, "media", "upload", "--type", typ, f, "--json", "--wecom-base-url", s.WeComBaseURL())
		id, _ := apiJSON(t, r)["media_id"].(string)
		if r.Code != 0 || id == "" {
			t.Fatalf("upload %s: %s %s", typ, r.Stdout, r.Stderr)
		}
		return id
	}
	voice := upload("voice", "a.amr", append([]byte("#!AMR\n"), bytes.Repeat([]byte{5}, 64)...))
	video := upload("video", "a.mp4", bytes.Repeat([]byte{7}, 128))
	img := upload("image", "a.png", pngBytes(t))
	articles := `[{"title":"一","thumb_media_id":"` + img + `","content":"<p>1</p>"},{"title":"二","thumb_media_id":"` + img + `","content":"<p>2</p>","digest":"摘要"}]`
	for _, tc := range []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"voice", "", []string{"--type", "voice", "--media-id", voice}, `"voice":{"media_id":"` + voice + `"}`},
		{"video", "", []string{"--type", "video", "--media-id", video, "--title", "演示"}, `"title":"演示"`},
		{"mpnews", "<p>正文</p>", []string{"--type", "mpnews", "--title", "公告", "--thumb-media-id", img, "--content", "-", "--author", "行政"}, `"author":"行政"`},
		{"mpnews articles", articles, []string{"--type", "mpnews", "--articles", "-"}, `"digest":"摘要"`},
		{"news articles", `[{"title":"甲","url":"https://h5.example.com/a"},{"title":"乙"}]`, []string{"--type", "news", "--articles", "-"}, `"title":"乙"`},
		{"miniprogram_notice", "", []string{"--type", "miniprogram_notice", "--appid", "wx123", "--page", "pages/index", "--title", "会议提醒", "--item", "时间=10:00", "--item", "地点=3楼", "--emphasis-first-item"},
			`"content_item":[{"key":"时间","value":"10:00"},{"key":"地点","value":"3楼"}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runWWKit(t, tc.stdin, nil, append(append([]string{"send"}, tc.args...), base...)...)
			if r.Code != 0 || apiJSON(t, r)["ok"] != true {
				t.Fatalf("exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
			}
			var sent bool
			for _, m := range em.Outbox() {
				if m.Platform == "wecom" && strings.Contains(string(m.Body), tc.want) {
					sent = true
				}
			}
			if !sent {
				t.Fatalf("the outbox has no message with %s", tc.want)
			}
		})
	}
	// The emulator checks an mpnews article as WeCom does.
	r := runWWKit(t, `[{"title":"x","thumb_media_id":"`+img+`"}]`, nil, append([]string{"send", "--type", "mpnews", "--articles", "-"}, base...)...)
	if r.Code != 1 || apiJSON(t, r)["errcode"] != 40058.0 || !strings.Contains(r.Stdout, "content") {
		t.Fatalf("mpnews without content: exit %d %s", r.Code, r.Stdout)
	}
}

// TestOAuthRefreshAndUserInfo exchanges an MP code with --userinfo and
// --show-tokens, refreshes the user token and reads the profile with it.
func TestOAuthRefreshAndUserInfo(t *testing.T) {
	s := apiEmulator(t)
	em := s.Emulator()
	f := em.Fixture().MP.Followers[0]
	code, err := em.IssueCode("mp", f.OpenID, "snsapi_userinfo", 0)
	if err != nil {
		t.Fatal(err)
	}
	base := []string{"--json", "--mp-base-url", s.MPBaseURL()}
	r := runWWKit(t, "", nil, append([]string{"oauth", "user", "--mp", "--code", code, "--userinfo", "--show-tokens"}, base...)...)
	v := apiJSON(t, r)
	ui, _ := v["userinfo"].(map[string]any)
	rt, _ := v["refresh_token"].(string)
	if r.Code != 0 || v["openid"] != f.OpenID || v["scope"] != "snsapi_userinfo" || ui["nickname"] != f.Nickname || len(rt) < 20 {
		t.Fatalf("oauth user --mp --userinfo: exit %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
	// Without --show-tokens the user tokens are masked.
	code2, _ := em.IssueCode("mp", f.OpenID, "snsapi_base", 0)
	r = runWWKit(t, "", nil, append([]string{"oauth", "user", "--mp", "--code", code2}, base...)...)
	if v := apiJSON(t, r); r.Code != 0 || !strings.Contains(v["access_token"].(string), "…") {
		t.Fatalf("masked tokens: %s", r.Stdout)
	}
	// The refresh token from the environment, as the docs suggest.
	r = runWWKit(t, "", []string{"WWKIT_SNS_REFRESH_TOKEN=" + rt}, append([]string{"oauth", "refresh", "--show-tokens"}, base...)...)
	v = apiJSON(t, r)
	at, _ := v["access_token"].(string)
	if r.Code != 0 || v["openid"] != f.OpenID || len(at) < 20 || v["refresh_token"] != rt {
		t.Fatalf("oauth refresh: exit %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
	r = runWWKit(t, "", nil, append([]string{"oauth", "userinfo", "--access-token", at, "--openid", f.OpenID}, base...)...)
	if v = apiJSON(t, r); r.Code != 0 || v["nickname"] != f.Nickname || v["city"] != f.City {
		t.Fatalf("oauth userinfo: exit %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
	r = runWWKit(t, "", nil, "oauth", "userinfo", "--access-token", at, "--openid", f.OpenID, "--mp-base-url", s.MPBaseURL())
	if r.Code != 0 || !strings.Contains(r.Stdout, "nickname: "+f.Nickname) {
		t.Fatalf("oauth userinfo text: exit %d %s", r.Code, r.Stdout)
	}
	// A base-scope token may not read the profile: 48001, explained.
	r = runWWKit(t, "", nil, append([]string{"oauth", "refresh", "--refresh-token", "nope"}, base...)...)
	if r.Code != 1 || apiJSON(t, r)["errcode"] != 40030.0 {
		t.Fatalf("bad refresh token: exit %d %s", r.Code, r.Stdout)
	}
}

// TestQRCommand draws a URL in the terminal and as a PNG, and decodes the
// PNG with zbarimg when it is installed (scripts/setup.sh installs it).
func TestQRCommand(t *testing.T) {
	const u = "https://h5.example.com/order/1?from=qr"
	r := runWWKit(t, "", nil, "qr", u)
	if r.Code != 0 || !strings.ContainsAny(r.Stdout, "█▀▄") || r.Stderr != "" {
		t.Fatalf("terminal QR: exit %d stderr %q", r.Code, r.Stderr)
	}
	png := filepath.Join(t.TempDir(), "q.png")
	r = runWWKit(t, "", nil, "qr", u, "--png", png, "--size", "300", "--json")
	v := apiJSON(t, r)
	if r.Code != 0 || v["png"] != png || v["warning"] != nil {
		t.Fatalf("png: exit %d %s", r.Code, r.Stdout)
	}
	b, err := os.ReadFile(png)
	if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatalf("not a PNG: %v", err)
	}
	if zbar, err := exec.LookPath("zbarimg"); err == nil {
		out, err := exec.Command(zbar, "-q", "--raw", png).Output()
		if err != nil || strings.TrimSpace(string(out)) != u {
			t.Fatalf("zbarimg read %q (%v), want %q", out, err, u)
		}
	} else {
		t.Log("zbarimg not installed: the PNG was not decoded")
	}
	// A loopback URL is drawn but warned about, in text and in JSON.
	r = runWWKit(t, "", nil, "qr", "http://127.0.0.1:8080/")
	if r.Code != 0 || !strings.Contains(r.Stderr, "LAN address") {
		t.Fatalf("loopback: exit %d stderr %q", r.Code, r.Stderr)
	}
	if v := apiJSON(t, runWWKit(t, "", nil, "qr", "http://localhost/", "--json")); v["warning"] == nil || v["text"] == "" {
		t.Fatalf("loopback JSON: %v", v)
	}
}

// TestServeReplyRule runs `wwkit serve --reply image:…` and pushes a
// message through its in-process emulator: the reply is that image.
func TestServeReplyRule(t *testing.T) {
	_, info, stderr := startServe(t, t.TempDir(), "--reply", "image:IMG_FOR_REPLY")
	resp, err := http.Post(info.Emulator.URL+"/__emulator/callbacks", "application/json", strings.NewReader(`{"platform":"mp","content":"来张图"}`))
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Reply     string `json:"reply"`
		ReplyType string `json:"replyMsgType"`
	}
	json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	if res.ReplyType != "image" || !strings.Contains(res.Reply, "<MediaId><![CDATA[IMG_FOR_REPLY]]></MediaId>") {
		t.Fatalf("reply %+v\nstderr %s", res, stderr)
	}
}
