package api_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/api"
)

// The sidebar (会话侧边栏) APIs against the emulator's seeded customers and
// customer group.
func TestCustomerContactAPIs(t *testing.T) {
	s := startEmulator(t)
	c := newWeCom(t, s)
	ctx := context.Background()
	fx := s.Emulator().Fixture()

	list, err := c.ListExternalContacts(ctx, "zhaoliu")
	if err != nil || len(list.ExternalUserIDs) != 2 {
		t.Fatalf("zhaoliu's customers: %+v %v", list, err)
	}
	if _, err := c.ListExternalContacts(ctx, "lisi"); !api.IsCode(err, 84061) {
		t.Fatalf("a member without customers: %v, want 84061", err)
	}
	if _, err := c.ListExternalContacts(ctx, "nobody"); !api.IsCode(err, 60111) {
		t.Fatalf("unknown member: %v, want 60111", err)
	}

	var buyer string
	for _, ec := range fx.WeCom.ExternalContacts {
		if ec.Type == 2 {
			buyer = ec.ExternalUserID
		}
	}
	d, err := c.GetExternalContact(ctx, buyer, "")
	if err != nil {
		t.Fatal(err)
	}
	e := d.ExternalContact
	if e.ExternalUserID != buyer || e.Name != "刘建国" || e.Type != 2 || e.CorpFullName != "深圳市星河贸易有限公司" || e.Position != "采购经理" {
		t.Fatalf("external_contact: %+v", e)
	}
	if len(d.FollowUser) != 2 || d.FollowUser[0].UserID != "zhaoliu" || d.FollowUser[0].Remark != "刘经理" || d.FollowUser[0].CreateTime == 0 {
		t.Fatalf("follow_user: %+v", d.FollowUser)
	}
	if _, err := c.GetExternalContact(ctx, "wmNOSUCHCUSTOMER", ""); !api.IsCode(err, 40096) {
		t.Fatalf("unknown customer: %v, want 40096", err)
	}

	chatID := fx.WeCom.GroupChats[0].ChatID
	g, err := c.GetGroupChat(ctx, &api.GroupChatRequest{ChatID: chatID, NeedName: 1})
	if err != nil {
		t.Fatal(err)
	}
	gc := g.GroupChat
	if gc.ChatID != chatID || gc.Name != "星河贸易采购对接群" || gc.Owner != "zhaoliu" || len(gc.MemberList) != 4 || len(gc.AdminList) != 1 {
		t.Fatalf("group_chat: %+v", gc)
	}
	var customers int
	for _, m := range gc.MemberList {
		if m.Name == "" {
			t.Fatalf("need_name=1 but member %s has no name", m.UserID)
		}
		if m.Type == 2 {
			customers++
		}
	}
	if customers != 2 || gc.MemberList[1].Invitor == nil || gc.MemberList[1].Invitor.UserID != "zhaoliu" {
		t.Fatalf("members: %+v", gc.MemberList)
	}
	g, err = c.GetGroupChat(ctx, &api.GroupChatRequest{ChatID: chatID})
	if err != nil || g.GroupChat.MemberList[0].Name != "" {
		t.Fatalf("without need_name names are omitted: %+v %v", g, err)
	}
	if _, err := c.GetGroupChat(ctx, &api.GroupChatRequest{ChatID: "wrNOSUCHCHAT"}); !api.IsCode(err, 40050) {
		t.Fatalf("unknown chat: %v, want 40050", err)
	}
}

func TestJSSDKVoiceAndUploadImage(t *testing.T) {
	s := startEmulator(t)
	c := newWeCom(t, s)
	ctx := context.Background()
	voice := append([]byte("#!AMR\n"), bytes.Repeat([]byte{7}, 200)...)
	up, err := c.UploadMedia(ctx, "voice", "note.amr", bytes.NewReader(voice))
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.GetJSSDKMedia(ctx, up.MediaID)
	if err != nil || m.ContentType != "voice/speex" || !bytes.Equal(m.Body, voice) || m.Filename != "note.speex" {
		t.Fatalf("media/get/jssdk: %+v %v", m, err)
	}
	img, err := c.UploadMedia(ctx, "image", "a.png", bytes.NewReader(append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 100)...)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetJSSDKMedia(ctx, img.MediaID); !api.IsCode(err, 40007) {
		t.Fatalf("an image is not a JS-SDK voice: %v, want 40007", err)
	}

	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{2}, 300)...)
	u, err := c.UploadImage(ctx, "chart.png", bytes.NewReader(png))
	if err != nil || !strings.HasPrefix(u.URL, "https://wework.qpic.cn/") {
		t.Fatalf("wecom uploadimg: %+v %v", u, err)
	}
	if _, err := c.UploadImage(ctx, "notes.txt", strings.NewReader("plain text, not an image")); !api.IsCode(err, 40005) {
		t.Fatalf("uploadimg of text: %v, want 40005", err)
	}
	fx := s.Emulator().Fixture()
	mp, err := api.NewMP(api.MPApp{AppID: fx.MP.AppID, Secret: fx.MP.AppSecret}, api.WithBaseURL(s.MPBaseURL()))
	if err != nil {
		t.Fatal(err)
	}
	mu, err := mp.UploadImage(ctx, "chart.png", bytes.NewReader(png))
	if err != nil || !strings.HasPrefix(mu.URL, "http://mmbiz.qpic.cn/") {
		t.Fatalf("mp uploadimg: %+v %v", mu, err)
	}
	big := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{3}, 1<<20+10)...)
	if _, err := mp.UploadImage(ctx, "big.png", bytes.NewReader(big)); !api.IsCode(err, 40006) {
		t.Fatalf("mp uploadimg over 1 MB: %v, want 40006", err)
	}
}
