package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
)

func newMPClient(t *testing.T, s *emulator.Server) *api.MP {
	t.Helper()
	fx := s.Emulator().Fixture()
	c, err := api.NewMP(api.MPApp{AppID: fx.MP.AppID, Secret: fx.MP.AppSecret}, api.WithBaseURL(s.MPBaseURL()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wantCode fails unless err is an *APIError with code whose text names
// every one of words (the field and the fix).
func wantCode(t *testing.T, what string, err error, code int, words ...string) {
	t.Helper()
	var ae *api.APIError
	if !errors.As(err, &ae) || ae.Code != code {
		t.Fatalf("%s: got %v, want errcode %d", what, err, code)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: error %q does not mention %q", what, err, w)
		}
	}
}

func TestMPKFAccounts(t *testing.T) {
	s := startEmulator(t)
	c := newMPClient(t, s)
	ctx := context.Background()
	suffix := s.Emulator().State().MP.WeChatID

	acc := "kf01@" + suffix
	if _, err := c.AddKFAccount(ctx, &api.KFAccountBody{KFAccount: acc, Nickname: "客服小李"}); err != nil {
		t.Fatal(err)
	}
	_, err := c.AddKFAccount(ctx, &api.KFAccountBody{KFAccount: acc, Nickname: "客服小李"})
	wantCode(t, "adding twice", err, 65406)
	_, err = c.AddKFAccount(ctx, &api.KFAccountBody{KFAccount: "kf01", Nickname: "x"})
	wantCode(t, "no @", err, 65404, "kf_account", "prefix@")
	_, err = c.AddKFAccount(ctx, &api.KFAccountBody{KFAccount: "toolongprefix1@" + suffix, Nickname: "x"})
	wantCode(t, "prefix of 14", err, 65404, "1 to 10")
	_, err = c.AddKFAccount(ctx, &api.KFAccountBody{KFAccount: "kf02@someone_else", Nickname: "x"})
	wantCode(t, "other suffix", err, 65404, suffix)
	_, err = c.AddKFAccount(ctx, &api.KFAccountBody{KFAccount: "kf02@" + suffix, Nickname: strings.Repeat("客", 17)})
	wantCode(t, "nickname of 17", err, 65403, "nickname", "16")

	if _, err := c.UpdateKFAccount(ctx, &api.KFAccountBody{KFAccount: acc, Nickname: "小李"}); err != nil {
		t.Fatal(err)
	}
	_, err = c.UpdateKFAccount(ctx, &api.KFAccountBody{KFAccount: "nobody@" + suffix, Nickname: "x"})
	wantCode(t, "update unknown", err, 65401, "getkflist")

	list, err := c.ListKFAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var found *api.KFInfo
	for i := range list.KFList {
		if list.KFList[i].KFAccount == acc {
			found = &list.KFList[i]
		}
	}
	if len(list.KFList) != 2 || found == nil || found.KFNick != "小李" || found.KFID == "" {
		t.Fatalf("getkflist = %+v", list)
	}

	if _, err := c.DeleteKFAccount(ctx, &api.KFAccount{KFAccount: acc}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteKFAccount(ctx, &api.KFAccount{KFAccount: acc})
	wantCode(t, "delete twice", err, 65401)
	if got := s.Emulator().State().MP.KFAccounts; len(got) != 1 {
		t.Errorf("state keeps %d accounts after the delete, want the seeded 1", len(got))
	}
}

func TestMPKFDisabled(t *testing.T) {
	fx := emulator.DefaultFixture()
	fx.MP.KFDisabled = true
	s := startEmulator(t, emulator.WithFixture(fx))
	_, err := newMPClient(t, s).AddKFAccount(context.Background(), &api.KFAccountBody{KFAccount: "kf01@" + fx.MP.OriginalID, Nickname: "x"})
	wantCode(t, "disabled", err, 65400, "新版客服")
}

func TestCheckKFAccount(t *testing.T) {
	for _, tc := range []struct {
		acc, nick, want string
	}{
		{"kf01@gh_123", "客服", ""},
		{"kf_01@my-wx", "a", ""},
		{"kf01", "客服", "prefix@"},
		{"kf-01@gh_1", "客服", "prefix@"},
		{"abcdefghijk@gh_1", "客服", "1 to 10"},
		{"kf01@gh_1", "", "nickname"},
		{"kf01@gh_1", strings.Repeat("客", 17), "nickname"},
	} {
		err := api.CheckKFAccount(api.KFAccountBody{KFAccount: tc.acc, Nickname: tc.nick})
		if (err == nil) != (tc.want == "") || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckKFAccount(%q, %q) = %v, want %q", tc.acc, tc.nick, err, tc.want)
		}
	}
}

func TestMPConditionalMenus(t *testing.T) {
	s := startEmulator(t)
	c := newMPClient(t, s)
	ctx := context.Background()
	fx := s.Emulator().Fixture()
	vip := fx.MP.Followers[0]   // tags 100, iOS
	other := fx.MP.Followers[2] // no tags, iOS
	btn := func(name string) []api.Button { return []api.Button{{Type: "click", Name: name, Key: "K_" + name}} }

	_, err := c.AddConditionalMenu(ctx, &api.ConditionalMenu{Button: btn("vip"), MatchRule: api.MatchRule{TagID: "100"}})
	wantCode(t, "no default menu", err, 65303, "menu/create")
	if cur, err := c.GetCurrentSelfMenu(ctx); err != nil || cur.IsMenuOpen != 0 {
		t.Fatalf("get_current_selfmenu_info without a menu = %+v, %v", cur, err)
	}

	def := &api.Menu{Button: []api.Button{{Type: "click", Name: "default", Key: "K_default"},
		{Name: "更多", SubButton: []api.Button{{Type: "view", Name: "官网", URL: "https://example.com/"}}}}}
	if _, err := c.CreateMenu(ctx, def); err != nil {
		t.Fatal(err)
	}
	_, err = c.AddConditionalMenu(ctx, &api.ConditionalMenu{Button: btn("x")})
	wantCode(t, "empty rule", err, 65304, "tag_id")
	_, err = c.AddConditionalMenu(ctx, &api.ConditionalMenu{Button: btn("x"), MatchRule: api.MatchRule{Sex: "1"}})
	wantCode(t, "sex rule", err, 65320, "tag_id")
	_, err = c.AddConditionalMenu(ctx, &api.ConditionalMenu{Button: btn("x"), MatchRule: api.MatchRule{Language: "en"}})
	wantCode(t, "language rule", err, 65320)
	_, err = c.AddConditionalMenu(ctx, &api.ConditionalMenu{Button: btn("x"), MatchRule: api.MatchRule{TagID: "999"}})
	wantCode(t, "unknown tag", err, 45159, "tag_id")
	_, err = c.AddConditionalMenu(ctx, &api.ConditionalMenu{Button: btn("x"), MatchRule: api.MatchRule{ClientPlatformType: "4"}})
	wantCode(t, "platform 4", err, 40097, "client_platform_type")

	ios, err := c.AddConditionalMenu(ctx, &api.ConditionalMenu{Button: btn("ios"), MatchRule: api.MatchRule{ClientPlatformType: "1"}})
	if err != nil {
		t.Fatal(err)
	}
	vipMenu, err := c.AddConditionalMenu(ctx, &api.ConditionalMenu{Button: btn("vip"), MatchRule: api.MatchRule{TagID: "100"}})
	if err != nil || vipMenu.MenuID == "" || vipMenu.MenuID == ios.MenuID {
		t.Fatalf("addconditional = %+v, %v", vipMenu, err)
	}
	seen := func(user string) string {
		t.Helper()
		m, err := c.TryMatchMenu(ctx, &api.TryMatchRequest{UserID: user})
		if err != nil {
			t.Fatal(err)
		}
		return m.Button[0].Name
	}
	// The newest matching menu wins: the VIP follower is on iOS too.
	if got := seen(vip.OpenID); got != "vip" {
		t.Errorf("VIP follower sees %q, want vip", got)
	}
	if got := seen(other.OpenID); got != "ios" {
		t.Errorf("iOS follower without tags sees %q, want ios", got)
	}
	if got := seen(fx.MP.Followers[1].OpenID); got != "vip" { // tags 100, Android
		t.Errorf("Android VIP sees %q", got)
	}
	_, err = c.TryMatchMenu(ctx, &api.TryMatchRequest{UserID: "o-nobody"})
	wantCode(t, "unknown user", err, 65302, "openid")

	got, err := c.GetMenu(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.ConditionalMenu) != 2 || got.Menu.MenuID == "" || got.ConditionalMenu[1].MatchRule.TagID != "100" || got.ConditionalMenu[1].MenuID != vipMenu.MenuID {
		t.Fatalf("menu/get = %+v", got)
	}

	// The menu in use is the default one: personalised menus are not part
	// of get_current_selfmenu_info, and sub-buttons come as sub_button.list.
	cur, err := c.GetCurrentSelfMenu(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if b := cur.SelfMenuInfo.Button; cur.IsMenuOpen != 1 || len(b) != 2 || b[0].Key != "K_default" || b[1].SubButton == nil ||
		len(b[1].SubButton.List) != 1 || b[1].SubButton.List[0].URL != "https://example.com/" {
		t.Fatalf("get_current_selfmenu_info = %+v", cur)
	}
	if _, err := c.DeleteConditionalMenu(ctx, &api.MenuIDBody{MenuID: vipMenu.MenuID}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteConditionalMenu(ctx, &api.MenuIDBody{MenuID: vipMenu.MenuID})
	wantCode(t, "delete twice", err, 65301, "menuid")
	if got := seen(vip.OpenID); got != "ios" {
		t.Errorf("after deleting the VIP menu the VIP follower sees %q, want ios", got)
	}

	// Deleting the default menu deletes the personalised ones.
	if _, err := c.DeleteMenu(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Emulator().State().MP.ConditionalMenus); n != 0 {
		t.Errorf("%d personalised menus survive menu/delete", n)
	}
	_, err = c.AddConditionalMenu(ctx, &api.ConditionalMenu{Button: btn("vip"), MatchRule: api.MatchRule{TagID: "100"}})
	wantCode(t, "after menu/delete", err, 65303)
}

func TestMPBatchGetFollowers(t *testing.T) {
	s := startEmulator(t)
	c := newMPClient(t, s)
	ctx := context.Background()
	fx := s.Emulator().Fixture()
	ids := []string{fx.MP.Followers[0].OpenID, fx.MP.Followers[4].OpenID}
	req, err := api.BatchFollowerRequest(ids, "zh_CN")
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.BatchGetFollowers(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.UserInfoList) != 2 || got.UserInfoList[0].OpenID != ids[0] || got.UserInfoList[0].Subscribe != 1 ||
		got.UserInfoList[1].Subscribe != 0 || len(got.UserInfoList[0].TagIDList) != 1 {
		t.Fatalf("batchget = %+v", got)
	}

	many := make([]string, 101)
	for i := range many {
		many[i] = ids[0]
	}
	if _, err := api.BatchFollowerRequest(many, ""); err == nil || !strings.Contains(err.Error(), "100") {
		t.Errorf("101 openids: %v", err)
	}
	// The server refuses them too, for callers that build the body themselves.
	big := &api.FollowerBatchRequest{}
	for _, id := range many {
		big.UserList = append(big.UserList, api.FollowerRef{OpenID: id})
	}
	_, err = c.BatchGetFollowers(ctx, big)
	wantCode(t, "101 openids", err, 40032, "user_list", "100")
	_, err = c.BatchGetFollowers(ctx, &api.FollowerBatchRequest{UserList: []api.FollowerRef{{OpenID: ids[0]}, {OpenID: "o-nobody"}}})
	wantCode(t, "unknown openid", err, 40003, "user_list[1]")
}

func TestMPMaterial(t *testing.T) {
	s := startEmulator(t)
	c := newMPClient(t, s)
	ctx := context.Background()
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 100)...)

	img, err := c.AddMaterial(ctx, "image", "", "logo.png", bytes.NewReader(png))
	if err != nil {
		t.Fatal(err)
	}
	if img.MediaID == "" || !strings.Contains(img.URL, "wx_fmt=png") {
		t.Fatalf("add image = %+v", img)
	}
	mp4 := bytes.Repeat([]byte{1}, 64)
	_, err = c.AddMaterial(ctx, "video", "", "clip.mp4", bytes.NewReader(mp4))
	wantCode(t, "video without description", err, 40097, "description", "title")
	vid, err := c.AddMaterial(ctx, "video", api.VideoDescription("开业视频", "门店开业"), "clip.mp4", bytes.NewReader(mp4))
	if err != nil {
		t.Fatal(err)
	}
	if vid.URL != "" {
		t.Errorf("a video answered url %q; only images do", vid.URL)
	}
	_, err = c.AddMaterial(ctx, "file", "", "a.pdf", bytes.NewReader(mp4))
	wantCode(t, "type file", err, 40004, "thumb")
	_, err = c.AddMaterial(ctx, "thumb", "", "t.jpg", bytes.NewReader(bytes.Repeat([]byte{1}, 65<<10)))
	wantCode(t, "thumb of 65 KB", err, 40006, "65536")
	_, err = c.AddMaterial(ctx, "voice", "", "a.ogg", bytes.NewReader(mp4))
	wantCode(t, "voice ogg", err, 40005, ".ogg")

	got, err := c.GetMaterial(ctx, &api.MediaIDRef{MediaID: img.MediaID})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Body, png) || got.Filename != "logo.png" || got.ContentType != "image/png" {
		t.Errorf("get image = %q %q %d bytes", got.Filename, got.ContentType, len(got.Body))
	}
	gv, err := c.GetMaterial(ctx, &api.MediaIDRef{MediaID: vid.MediaID})
	if err != nil {
		t.Fatal(err)
	}
	if gv.Title != "开业视频" || gv.Description != "门店开业" || gv.DownURL == "" || gv.Body != nil {
		t.Fatalf("get video = %+v", gv)
	}
	resp, err := http.Get(gv.DownURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(body, mp4) {
		t.Errorf("down_url served %d bytes, want the video", len(body))
	}

	// Temporary media ids are not materials.
	tmp, err := c.UploadMedia(ctx, "image", "x.png", bytes.NewReader(png))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetMaterial(ctx, &api.MediaIDRef{MediaID: tmp.MediaID})
	wantCode(t, "temporary id", err, 40007, "batchget_material")

	for i := range 3 {
		if _, err := c.AddMaterial(ctx, "image", "", fmt.Sprintf("p%d.png", i), bytes.NewReader(png)); err != nil {
			t.Fatal(err)
		}
	}
	list, err := c.BatchGetMaterial(ctx, &api.MaterialListRequest{Type: "image", Offset: 1, Count: 2})
	if err != nil {
		t.Fatal(err)
	}
	if list.TotalCount != 4 || list.ItemCount != 2 || len(list.Item) != 2 || list.Item[0].URL == "" {
		t.Fatalf("batchget = %+v", list)
	}
	_, err = c.BatchGetMaterial(ctx, &api.MaterialListRequest{Type: "image", Count: 21})
	wantCode(t, "count 21", err, 40097, "count")
	n, err := c.GetMaterialCount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n.ImageCount != 4 || n.VideoCount != 1 || n.VoiceCount != 0 {
		t.Errorf("count = %+v", n)
	}

	if _, err := c.DeleteMaterial(ctx, &api.MediaIDRef{MediaID: img.MediaID}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteMaterial(ctx, &api.MediaIDRef{MediaID: img.MediaID})
	wantCode(t, "delete twice", err, 40007, img.MediaID)
	if n := len(s.Emulator().State().MP.Materials); n != 4 {
		t.Errorf("state lists %d materials, want 4", n)
	}
	// The admin API shows the same, without the bytes.
	resp, err = http.Get(s.URL + "/__emulator/state")
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		MP struct {
			Materials []struct {
				MediaID, Type, Title string
				Size                 int
			} `json:"materials"`
			KFAccounts       []struct{ Account string } `json:"kfAccounts"`
			ConditionalMenus []json.RawMessage          `json:"conditionalMenus"`
		} `json:"mp"`
	}
	err = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	titled := 0
	for _, m := range st.MP.Materials {
		if m.Title == "开业视频" && m.Type == "video" && m.Size == len(mp4) {
			titled++
		}
	}
	if len(st.MP.Materials) != 4 || titled != 1 || len(st.MP.KFAccounts) != 1 || st.MP.ConditionalMenus == nil {
		t.Errorf("GET /__emulator/state: %+v", st.MP)
	}
}

// TestMPMaterialPersists checks that permanent material survives a restart
// with --data, bytes included.
func TestMPMaterialPersists(t *testing.T) {
	dir := t.TempDir()
	s := startEmulator(t, emulator.WithDataDir(dir))
	c := newMPClient(t, s)
	ctx := context.Background()
	data := bytes.Repeat([]byte("amr!"), 20)
	v, err := c.AddMaterial(ctx, "voice", "", "hi.amr", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateMenu(ctx, &api.Menu{Button: []api.Button{{Type: "click", Name: "a", Key: "a"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddConditionalMenu(ctx, &api.ConditionalMenu{Button: []api.Button{{Type: "click", Name: "b", Key: "b"}}, MatchRule: api.MatchRule{TagID: "100"}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2 := startEmulator(t, emulator.WithDataDir(dir))
	c2 := newMPClient(t, s2)
	got, err := c2.GetMaterial(ctx, &api.MediaIDRef{MediaID: v.MediaID})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Body, data) {
		t.Errorf("after a restart the voice has %d bytes", len(got.Body))
	}
	if m, err := c2.GetMenu(ctx); err != nil || len(m.ConditionalMenu) != 1 {
		t.Errorf("after a restart menu/get = %+v, %v", m, err)
	}
}

func TestMPTemplateMiniProgram(t *testing.T) {
	fx := emulator.DefaultFixture()
	fx.MP.MiniPrograms = []emulator.MiniProgram{{AppID: "wx0123456789abcdef", Pages: []string{"pages/index/index", "pages/order/detail"}}}
	s := startEmulator(t, emulator.WithFixture(fx))
	c := newMPClient(t, s)
	ctx := context.Background()
	f := fx.MP.Followers[0]
	send := func(mp *api.MiniProgram) error {
		_, err := c.SendTemplate(ctx, &api.TemplateMessage{ToUser: f.OpenID, TemplateID: fx.MP.Templates[0].ID, MiniProgram: mp,
			Data: map[string]api.TemplateValue{"thing1": {Value: "已发货"}}})
		return err
	}
	if err := send(&api.MiniProgram{AppID: "wx0123456789abcdef", PagePath: "pages/order/detail?id=7"}); err != nil {
		t.Fatal(err)
	}
	if err := send(&api.MiniProgram{AppID: "wx0123456789abcdef"}); err != nil {
		t.Fatalf("without pagepath (the home page): %v", err)
	}
	wantCode(t, "unlinked appid", send(&api.MiniProgram{AppID: "wxffffffffffffffff", PagePath: "pages/index/index"}), 40166, "miniprogram.appid", "关联小程序")
	wantCode(t, "bad appid", send(&api.MiniProgram{AppID: "abc"}), 40166, "miniprogram.appid")
	wantCode(t, "unknown page", send(&api.MiniProgram{AppID: "wx0123456789abcdef", PagePath: "pages/nope"}), 40165, "miniprogram.pagepath", "app.json")
}

func TestMPCustomTextMiniProgramLink(t *testing.T) {
	// The follower's message opens the customer-service window; the
	// account's callback URL just acknowledges it.
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "success") }))
	defer cb.Close()
	fx := emulator.DefaultFixture()
	fx.MP.CallbackURL = cb.URL
	fx.MP.MiniPrograms = []emulator.MiniProgram{{AppID: "wx0123456789abcdef", Pages: []string{"pages/index/index"}}}
	s := startEmulator(t, emulator.WithFixture(fx))
	c := newMPClient(t, s)
	ctx := context.Background()
	f := fx.MP.Followers[0]
	if _, err := s.Emulator().PushCallback(ctx, emulator.CallbackRequest{Platform: "mp", From: f.OpenID, Content: "你好"}); err != nil {
		t.Fatal(err)
	}
	send := func(content string) error {
		_, err := c.SendCustom(ctx, &api.CustomMessage{ToUser: f.OpenID, MsgType: "text", Text: &api.Content{Content: content}})
		return err
	}
	if err := send(`点击<a href="https://example.com" data-miniprogram-appid="wx0123456789abcdef" data-miniprogram-path="pages/index/index?x=1">查看订单</a>`); err != nil {
		t.Fatal(err)
	}
	if err := send(`<a href="https://example.com">普通链接</a>`); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "no path", send(`<a data-miniprogram-appid="wx0123456789abcdef">x</a>`), 40165, "data-miniprogram-path")
	wantCode(t, "unlinked", send(`<a data-miniprogram-appid="wxffffffffffffffff" data-miniprogram-path="pages/index/index">x</a>`), 40166, "data-miniprogram-appid")
	wantCode(t, "unknown page", send(`<a data-miniprogram-appid='wx0123456789abcdef' data-miniprogram-path='pages/x'>x</a>`), 40165, "data-miniprogram-path")
}

// TestMPTagsAndFollowers drives the tag and follower endpoints through the
// typed client against the emulator over HTTP: a tag is created, renamed,
// given two followers, read back from both sides, emptied and deleted, and
// the follower list pages through every follower.
func TestMPTagsAndFollowers(t *testing.T) {
	s := startEmulator(t)
	c := newMPClient(t, s)
	fx := s.Emulator().Fixture()
	ctx := context.Background()
	created, err := c.CreateTag(ctx, &api.TagBody{Tag: api.Tag{Name: "华东客户"}})
	if err != nil || created.Tag.ID == 0 || created.Tag.Name != "华东客户" {
		t.Fatalf("tags/create: %+v, %v", created, err)
	}
	id := created.Tag.ID
	if _, err := c.UpdateTag(ctx, &api.TagBody{Tag: api.Tag{ID: id, Name: "华东大客户"}}); err != nil {
		t.Fatalf("tags/update: %v", err)
	}
	a, b := fx.MP.Followers[2].OpenID, fx.MP.Followers[3].OpenID
	if _, err := c.TagFollowers(ctx, &api.TagMembers{TagID: id, OpenIDList: []string{a, b}}); err != nil {
		t.Fatalf("batchtagging: %v", err)
	}
	tags, err := c.GetTags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var found api.Tag
	for _, tg := range tags.Tags {
		if tg.ID == id {
			found = tg
		}
	}
	if found.Name != "华东大客户" || found.Count != 2 {
		t.Fatalf("tags/get shows %+v, want the renamed tag with 2 followers", found)
	}
	ids, err := c.GetFollowerTags(ctx, &api.OpenIDBody{OpenID: a})
	if err != nil || !slices.Contains(ids.TagIDList, id) {
		t.Fatalf("getidlist of a tagged follower: %+v, %v", ids, err)
	}
	members, err := c.GetTagFollowers(ctx, &api.TagFollowersRequest{TagID: id})
	if err != nil || members.Count != 2 || !slices.Contains(members.Data.OpenID, a) || !slices.Contains(members.Data.OpenID, b) {
		t.Fatalf("user/tag/get: %+v, %v", members, err)
	}
	if _, err := c.UntagFollowers(ctx, &api.TagMembers{TagID: id, OpenIDList: []string{a}}); err != nil {
		t.Fatalf("batchuntagging: %v", err)
	}
	if ids, err := c.GetFollowerTags(ctx, &api.OpenIDBody{OpenID: a}); err != nil || slices.Contains(ids.TagIDList, id) {
		t.Fatalf("getidlist after untagging: %+v, %v", ids, err)
	}
	if _, err := c.DeleteTag(ctx, &api.TagBody{Tag: api.Tag{ID: id}}); err != nil {
		t.Fatalf("tags/delete: %v", err)
	}
	if ids, err := c.GetFollowerTags(ctx, &api.OpenIDBody{OpenID: b}); err != nil || slices.Contains(ids.TagIDList, id) {
		t.Fatalf("a deleted tag is still on a follower: %+v, %v", ids, err)
	}
	var all []string
	next := ""
	for range 100 {
		page, err := c.ListFollowers(ctx, next)
		if err != nil {
			t.Fatalf("user/get: %v", err)
		}
		all = append(all, page.Data.OpenID...)
		if page.NextOpenID == "" || page.Count == 0 {
			break
		}
		next = page.NextOpenID
	}
	subscribed := 0
	for _, f := range fx.MP.Followers {
		if f.Subscribed {
			subscribed++
			if !slices.Contains(all, f.OpenID) {
				t.Errorf("user/get never listed %s", f.OpenID)
			}
		}
	}
	if len(all) != subscribed {
		t.Fatalf("user/get listed %d followers, the fixture has %d subscribed", len(all), subscribed)
	}
}
