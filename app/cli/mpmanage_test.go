package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMPManageCommands walks the customer-service account, personalised
// menu, permanent material and batch follower commands against the
// emulator over HTTP, with the mistakes users make: a personalised menu
// before the default one, an unknown media_id, a malformed kf_account and
// more than 100 openids.
func TestMPManageCommands(t *testing.T) {
	s := apiEmulator(t)
	st := s.Emulator().State()
	fx := s.Emulator().Fixture()
	base := []string{"--json", "--mp-base-url", s.MPBaseURL()}
	run := func(stdin string, args ...string) map[string]any {
		t.Helper()
		r := runWWKit(t, stdin, nil, append(args, base...)...)
		if r.Code != 0 {
			t.Fatalf("wwkit %v: exit %d\n%s\n%s", args, r.Code, r.Stdout, r.Stderr)
		}
		return apiJSON(t, r)
	}
	// fails runs a command that must fail with exit code and a JSON error
	// whose message names every one of words.
	fails := func(stdin string, code int, words []string, args ...string) map[string]any {
		t.Helper()
		r := runWWKit(t, stdin, nil, append(args, base...)...)
		if r.Code != code {
			t.Fatalf("wwkit %v: exit %d, want %d\n%s\n%s", args, r.Code, code, r.Stdout, r.Stderr)
		}
		v := apiJSON(t, r)
		e, _ := v["error"].(map[string]any)
		msg, _ := e["message"].(string)
		for _, w := range words {
			if !strings.Contains(msg, w) {
				t.Errorf("wwkit %v: error %q does not mention %q", args, msg, w)
			}
		}
		return v
	}

	// Customer-service accounts.
	acc := "kf01@" + st.MP.WeChatID
	run("", "mp", "kf", "add", acc, "--nickname", "客服小李")
	run("", "mp", "kf", "update", acc, "--nickname", "小李")
	v := run("", "mp", "kf", "list")
	if list, _ := v["kf_list"].([]any); len(list) != 2 || !strings.Contains(mustJSON(t, list), `"kf_nick":"小李"`) {
		t.Fatalf("kf list: %v", v)
	}
	fails("", 2, []string{"kf_account", "prefix@"}, "mp", "kf", "add", "kf01", "--nickname", "x")
	fails("", 2, []string{"nickname", "16"}, "mp", "kf", "add", "kf03@"+st.MP.WeChatID, "--nickname", strings.Repeat("客", 17))
	if v = fails("", 1, []string{"kf_account", st.MP.WeChatID}, "mp", "kf", "add", "kf03@not_this_account", "--nickname", "x"); v["errcode"] != 65404.0 {
		t.Errorf("another account's suffix: %v", v)
	}
	run("", "mp", "kf", "delete", acc)
	if v = fails("", 1, []string{"getkflist"}, "mp", "kf", "delete", acc); v["errcode"] != 65401.0 {
		t.Errorf("deleting twice: %v", v)
	}

	// Personalised menus.
	vip := `{"button":[{"type":"click","name":"会员","key":"vip"}],"matchrule":{"tag_id":"100"}}`
	if v = fails(vip, 1, []string{"menu/create"}, "mp", "menu", "addconditional"); v["errcode"] != 65303.0 {
		t.Fatalf("a personalised menu before the default one: %v", v)
	}
	fails(`{"button":[{"type":"click","name":"女","key":"f"}],"matchrule":{"sex":"2"}}`, 2, []string{"tag_id", "65320"}, "mp", "menu", "addconditional")
	fails(`{"button":[{"type":"click","name":"x","key":"x"}]}`, 2, []string{"matchrule", "menu create --mp"}, "mp", "menu", "addconditional")
	run(`{"button":[{"type":"click","name":"默认","key":"d"}]}`, "menu", "create", "--mp")
	v = run(vip, "mp", "menu", "addconditional")
	menuID, _ := v["menuid"].(string)
	if menuID == "" {
		t.Fatalf("addconditional: %v", v)
	}
	if v = run("", "mp", "menu", "trymatch", fx.MP.Followers[0].OpenID); !strings.Contains(mustJSON(t, v["button"]), "会员") {
		t.Errorf("the VIP follower sees %v", v)
	}
	if v = run("", "mp", "menu", "trymatch", fx.MP.Followers[2].OpenID); !strings.Contains(mustJSON(t, v["button"]), "默认") {
		t.Errorf("a follower without tags sees %v", v)
	}
	if v = run("", "menu", "get", "--mp"); !strings.Contains(mustJSON(t, v["conditionalmenu"]), menuID) {
		t.Errorf("menu get --mp does not list the personalised menu: %v", v)
	}
	// The menu in use is the default one, with sub-buttons as sub_button.list.
	if v = run("", "mp", "menu", "current"); v["is_menu_open"] != 1.0 || !strings.Contains(mustJSON(t, v["selfmenu_info"]), "默认") || strings.Contains(mustJSON(t, v), "会员") {
		t.Errorf("mp menu current: %v", v)
	}
	run("", "mp", "menu", "delconditional", menuID)
	if v = fails("", 1, []string{"menuid"}, "mp", "menu", "delconditional", menuID); v["errcode"] != 65301.0 {
		t.Errorf("deleting twice: %v", v)
	}

	// Permanent material.
	dir := t.TempDir()
	png := filepath.Join(dir, "logo.png")
	if err := os.WriteFile(png, pngBytes(t), 0o644); err != nil {
		t.Fatal(err)
	}
	mp4 := filepath.Join(dir, "clip.mp4")
	if err := os.WriteFile(mp4, bytes.Repeat([]byte{1}, 100), 0o644); err != nil {
		t.Fatal(err)
	}
	v = run("", "mp", "material", "add", png, "--type", "image")
	imgID, _ := v["media_id"].(string)
	if imgID == "" || v["url"] == nil {
		t.Fatalf("material add image: %v", v)
	}
	fails("", 2, []string{"--title"}, "mp", "material", "add", mp4, "--type", "video")
	vid := run("", "mp", "material", "add", mp4, "--type", "video", "--title", "开业", "--introduction", "门店开业")["media_id"].(string)
	out := filepath.Join(dir, "back.png")
	if v = run("", "mp", "material", "get", imgID, "-o", out); v["bytes"] != float64(len(pngBytes(t))) {
		t.Errorf("material get: %v", v)
	}
	if b, _ := os.ReadFile(out); !bytes.Equal(b, pngBytes(t)) {
		t.Errorf("material get wrote %d bytes, not the image", len(b))
	}
	if v = run("", "mp", "material", "get", vid); v["title"] != "开业" || v["down_url"] == "" {
		t.Errorf("material get video: %v", v)
	}
	if v = fails("", 1, []string{"media_id", "batchget_material"}, "mp", "material", "get", "NO_SUCH_ID"); v["errcode"] != 40007.0 {
		t.Errorf("unknown media_id: %v", v)
	}
	if v = run("", "mp", "material", "list", "--type", "image"); v["total_count"] != 1.0 || !strings.Contains(mustJSON(t, v["item"]), imgID) {
		t.Errorf("material list: %v", v)
	}
	fails("", 2, []string{"--count"}, "mp", "material", "list", "--type", "image", "--count", "21")
	if v = run("", "mp", "material", "count"); v["image_count"] != 1.0 || v["video_count"] != 1.0 {
		t.Errorf("material count: %v", v)
	}
	run("", "mp", "material", "delete", imgID)
	if v = run("", "mp", "material", "count"); v["image_count"] != 0.0 {
		t.Errorf("after delete: %v", v)
	}

	// Batch follower reads.
	ids := []string{fx.MP.Followers[0].OpenID, fx.MP.Followers[1].OpenID}
	if v = run("", append([]string{"mp", "follower", "batchget"}, ids...)...); len(v["user_info_list"].([]any)) != 2 {
		t.Errorf("batchget: %v", v)
	}
	many := make([]string, 101)
	for i := range many {
		many[i] = ids[0]
	}
	fails("", 2, []string{"101", "100", "split"}, append([]string{"mp", "follower", "batchget"}, many...)...)
	if v = fails("", 1, []string{"user_list[1]"}, "mp", "follower", "batchget", ids[0], "o-nobody"); v["errcode"] != 40003.0 {
		t.Errorf("unknown openid: %v", v)
	}

	// Template message with a mini program, checked before the call.
	fails("", 2, []string{"--miniprogram-appid"}, "mp", "template", "send", "--to", ids[0], "--template-id", "T", "--miniprogram-page", "pages/index/index")
	v = run("", "mp", "template", "send", "--to", ids[0], "--template-id", fx.MP.Templates[0].ID, "--data", "thing1=x",
		"--miniprogram-appid", "wx0123456789abcdef", "--miniprogram-page", "pages/index/index")
	if v["msgid"] == nil {
		t.Errorf("template send with a mini program: %v", v)
	}
	if v = fails("", 1, []string{"miniprogram.appid"}, "mp", "template", "send", "--to", ids[0], "--template-id", fx.MP.Templates[0].ID,
		"--data", "thing1=x", "--miniprogram-appid", "notanappid"); v["errcode"] != 40166.0 {
		t.Errorf("bad mini program appid: %v", v)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
