package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/emulator/fixture"
)

func errcodeOf(t *testing.T, err error) int {
	t.Helper()
	var ae *api.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want an *APIError, got %v", err)
	}
	return ae.Code
}

func pngImage(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// lastOutbox returns the newest outbox message sent through path.
func lastOutbox(t *testing.T, s *emulator.Server, path string) emulator.OutboxMessage {
	t.Helper()
	out := s.Emulator().Outbox()
	for i := len(out) - 1; i >= 0; i-- {
		if out[i].API == path {
			return out[i]
		}
	}
	t.Fatalf("nothing in the outbox from %s", path)
	return emulator.OutboxMessage{}
}

// TestUpdateTemplateCard sends an interactive card, updates it once with
// its response_code, and checks a second use, another app's code, a notice
// card without action_menu and an expired code are refused.
func TestUpdateTemplateCard(t *testing.T) {
	ctx := context.Background()
	s := startEmulator(t)
	c := newWeCom(t, s)
	card := json.RawMessage(`{"card_type":"button_interaction","main_title":{"title":"审批"},"task_id":"task-1","button_list":[{"text":"同意","key":"yes"}]}`)
	sent, err := c.SendMessage(ctx, &api.Message{ToUser: "zhangsan|lisi", MsgType: "template_card", AgentID: c.AgentID(), TemplateCard: card})
	if err != nil {
		t.Fatal(err)
	}
	if sent.ResponseCode == "" {
		t.Fatal("no response_code for an interactive card")
	}
	t.Run("grey out for one member", func(t *testing.T) {
		res, err := c.UpdateTemplateCard(ctx, &api.UpdateTemplateCard{UserIDs: []string{"zhangsan", "nobody"}, AgentID: c.AgentID(), ResponseCode: sent.ResponseCode, Button: &api.ReplaceButton{ReplaceName: "已处理"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.InvalidUser) != 1 || res.InvalidUser[0] != "nobody" {
			t.Errorf("invaliduser = %v, want [nobody]", res.InvalidUser)
		}
		m := lastOutbox(t, s, "/wecom/cgi-bin/message/update_template_card")
		if m.Updates != sent.MsgID || len(m.ToUsers) != 1 || m.ToUsers[0] != "zhangsan" {
			t.Errorf("outbox entry = %+v", m)
		}
	})
	t.Run("used twice", func(t *testing.T) {
		_, err := c.UpdateTemplateCard(ctx, &api.UpdateTemplateCard{AtAll: 1, AgentID: c.AgentID(), ResponseCode: sent.ResponseCode, Button: &api.ReplaceButton{ReplaceName: "x"}})
		if errcodeOf(t, err) != 40058 || !strings.Contains(err.Error(), "already used") {
			t.Errorf("second use: %v", err)
		}
		if n := calls(s, "/wecom/cgi-bin/message/update_template_card"); n != 2 {
			t.Errorf("%d calls: a refused update must not be resent", n)
		}
	})
	t.Run("unknown code", func(t *testing.T) {
		_, err := c.UpdateTemplateCard(ctx, &api.UpdateTemplateCard{AtAll: 1, AgentID: c.AgentID(), ResponseCode: "nope", Button: &api.ReplaceButton{ReplaceName: "x"}})
		if errcodeOf(t, err) != 40058 {
			t.Errorf("unknown code: %v", err)
		}
	})
	t.Run("notice card without action_menu has no code", func(t *testing.T) {
		r, err := c.SendMessage(ctx, &api.Message{ToUser: "zhangsan", MsgType: "template_card", AgentID: c.AgentID(), TemplateCard: json.RawMessage(`{"card_type":"text_notice","main_title":{"title":"通知"}}`)})
		if err != nil || r.ResponseCode != "" {
			t.Errorf("text_notice: %+v %v", r, err)
		}
		r, err = c.SendMessage(ctx, &api.Message{ToUser: "zhangsan", MsgType: "template_card", AgentID: c.AgentID(), TemplateCard: json.RawMessage(`{"card_type":"text_notice","main_title":{"title":"通知"},"action_menu":{"desc":"更多","action_list":[{"text":"不再提醒","key":"mute"}]}}`)})
		if err != nil || r.ResponseCode == "" {
			t.Fatalf("text_notice with action_menu: %+v %v", r, err)
		}
		// A notice card has no buttons to grey out, but can be replaced.
		_, err = c.UpdateTemplateCard(ctx, &api.UpdateTemplateCard{AtAll: 1, AgentID: c.AgentID(), ResponseCode: r.ResponseCode, Button: &api.ReplaceButton{ReplaceName: "x"}})
		if errcodeOf(t, err) != 40058 {
			t.Errorf("button on a notice card: %v", err)
		}
		_, err = c.UpdateTemplateCard(ctx, &api.UpdateTemplateCard{AtAll: 1, AgentID: c.AgentID(), ResponseCode: r.ResponseCode, TemplateCard: json.RawMessage(`{"card_type":"text_notice","main_title":{"title":"已更新"}}`)})
		if err != nil {
			t.Errorf("replace a notice card: %v", err)
		}
	})
	t.Run("expired after 72 hours", func(t *testing.T) {
		r, err := c.SendMessage(ctx, &api.Message{ToUser: "lisi", MsgType: "template_card", AgentID: c.AgentID(), TemplateCard: card})
		if err != nil {
			t.Fatal(err)
		}
		s.Emulator().Advance(71 * time.Hour)
		// The access_token expired meanwhile; the client refreshes it.
		s.Emulator().Advance(time.Hour + time.Second)
		_, err = c.UpdateTemplateCard(ctx, &api.UpdateTemplateCard{AtAll: 1, AgentID: c.AgentID(), ResponseCode: r.ResponseCode, Button: &api.ReplaceButton{ReplaceName: "x"}})
		if errcodeOf(t, err) != 40058 {
			t.Errorf("expired code: %v", err)
		}
	})
}

func newRobot(t *testing.T, s *emulator.Server, key string, opts ...api.Option) *api.Robot {
	t.Helper()
	r, err := api.NewRobot(s.WeComBaseURL()+"/cgi-bin/webhook/send?key="+key, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRobotWebhook posts every robot message type to the emulator and the
// bad ones it must refuse with Tencent's codes.
func TestRobotWebhook(t *testing.T) {
	ctx := context.Background()
	s := startEmulator(t)
	var mu sync.Mutex
	var log []api.Call
	r := newRobot(t, s, fixture.RobotKey, api.WithCallObserver(func(c api.Call) { mu.Lock(); log = append(log, c); mu.Unlock() }))
	pic := pngImage(t)
	up, err := r.UploadWebhookMedia(ctx, "file", "报表.csv", strings.NewReader("a,b\n1,2\n"))
	if err != nil || up.MediaID == "" {
		t.Fatalf("upload_media: %+v %v", up, err)
	}
	good := []struct {
		name string
		msg  *api.RobotMessage
	}{
		{"text", &api.RobotMessage{MsgType: "text", Text: &api.RobotText{Content: "发布完成", MentionedList: []string{"zhangsan", "@all"}, MentionedMobileList: []string{"13800000002"}}}},
		{"markdown", &api.RobotMessage{MsgType: "markdown", Markdown: &api.Content{Content: "# 构建\n> <font color=\"info\">成功</font>"}}},
		{"image", &api.RobotMessage{MsgType: "image", Image: api.NewRobotImage(pic)}},
		{"news", &api.RobotMessage{MsgType: "news", News: &api.News{Articles: []api.Article{{Title: "周报", URL: "https://example.com/r"}}}}},
		{"file", &api.RobotMessage{MsgType: "file", File: &api.MediaRef{MediaID: up.MediaID}}},
		{"template_card", &api.RobotMessage{MsgType: "template_card", TemplateCard: json.RawMessage(`{"card_type":"text_notice","main_title":{"title":"告警"},"card_action":{"type":1,"url":"https://example.com"}}`)}},
	}
	for _, g := range good {
		if _, err := r.SendWebhook(ctx, g.msg); err != nil {
			t.Errorf("%s: %v", g.name, err)
			continue
		}
		m := lastOutbox(t, s, "/wecom/cgi-bin/webhook/send")
		if m.MsgType != g.name || m.Robot == "" || len(m.ToUsers) == 0 {
			t.Errorf("%s: outbox %+v", g.name, m)
		}
		if bytes.Contains(m.Body, []byte(fixture.RobotKey)) {
			t.Errorf("%s: the outbox holds the webhook key", g.name)
		}
	}
	if m := s.Emulator().Outbox(); len(m) > 0 {
		var text emulator.OutboxMessage
		for _, x := range m {
			if x.MsgType == "text" && x.Robot != "" {
				text = x
			}
		}
		if strings.Join(text.Mentioned, ",") != "zhangsan,@all,13800000002" {
			t.Errorf("mentioned = %v", text.Mentioned)
		}
	}

	bad := pngImage(t)
	wrongMD5 := api.NewRobotImage(bad)
	wrongMD5.MD5 = strings.Repeat("0", 32)
	other := newRobot(t, s, "00000000-0000-0000-0000-000000000000")
	for _, tc := range []struct {
		name string
		r    *api.Robot
		msg  *api.RobotMessage
		code int
	}{
		{"unknown key", other, &api.RobotMessage{MsgType: "text", Text: &api.RobotText{Content: "x"}}, 93000},
		{"bad md5", r, &api.RobotMessage{MsgType: "image", Image: wrongMD5}, 301019},
		{"not base64", r, &api.RobotMessage{MsgType: "image", Image: &api.RobotImage{Base64: "%%%", MD5: wrongMD5.MD5}}, 40058},
		{"not an image", r, &api.RobotMessage{MsgType: "image", Image: api.NewRobotImage([]byte("plain text, not a picture"))}, 40009},
		{"empty text", r, &api.RobotMessage{MsgType: "text", Text: &api.RobotText{}}, 44004},
		{"long text", r, &api.RobotMessage{MsgType: "text", Text: &api.RobotText{Content: strings.Repeat("字", 700)}}, 45002},
		{"news without url", r, &api.RobotMessage{MsgType: "news", News: &api.News{Articles: []api.Article{{Title: "t"}}}}, 40058},
		{"file of another kind", r, &api.RobotMessage{MsgType: "file", File: &api.MediaRef{MediaID: "nope"}}, 40007},
		{"interactive card", r, &api.RobotMessage{MsgType: "template_card", TemplateCard: json.RawMessage(`{"card_type":"button_interaction"}`)}, 40058},
		{"unknown type", r, &api.RobotMessage{MsgType: "mpnews"}, 40008},
	} {
		_, err := tc.r.SendWebhook(ctx, tc.msg)
		if got := errcodeOf(t, err); got != tc.code {
			t.Errorf("%s: errcode %d, want %d (%v)", tc.name, got, tc.code, err)
		}
		if err != nil && strings.Contains(err.Error(), fixture.RobotKey) {
			t.Errorf("%s: the error holds the webhook key", tc.name)
		}
	}
	if _, err := other.UploadWebhookMedia(ctx, "file", "a.txt", strings.NewReader("hello world")); errcodeOf(t, err) != 93000 {
		t.Errorf("upload with an unknown key: %v", err)
	}
	if _, err := r.UploadWebhookMedia(ctx, "image", "a.png", bytes.NewReader(pic)); errcodeOf(t, err) != 40004 {
		t.Errorf("upload type image: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(log) == 0 {
		t.Fatal("no calls recorded")
	}
	for _, c := range log {
		b, _ := json.Marshal(c)
		if strings.Contains(string(b), fixture.RobotKey) || strings.Contains(string(b), fixture.RobotKey[:8]) {
			t.Errorf("a call record holds the webhook key: %s", b)
		}
	}
}

// TestRobotRateLimit: a robot posts at most 20 messages a minute.
func TestRobotRateLimit(t *testing.T) {
	ctx := context.Background()
	s := startEmulator(t)
	r := newRobot(t, s, fixture.RobotKey, api.WithRetry(0, time.Millisecond))
	for i := range 20 {
		if err := r.Text(ctx, "ping"); err != nil {
			t.Fatalf("post %d: %v", i+1, err)
		}
	}
	if err := r.Text(ctx, "ping"); errcodeOf(t, err) != 45009 {
		t.Fatalf("post 21: %v", err)
	}
	s.Emulator().Advance(time.Minute + time.Second)
	if err := r.Text(ctx, "ping"); err != nil {
		t.Fatalf("after a minute: %v", err)
	}
}

func TestNewRobotInput(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "empty"},
		{"https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "no key"},
		{"https://qyapi.weixin.qq.com/other?key=abc", "/cgi-bin/webhook/send"},
		{"abc def", "characters"},
	} {
		_, err := api.NewRobot(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewRobot(%q) = %v, want an error about %q", tc.in, err, tc.want)
		}
	}
	if _, err := api.NewRobot("693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa"); err != nil {
		t.Errorf("a bare key: %v", err)
	}
}

// TestAppChat creates, reads, changes and posts to a group chat, and checks
// the documented limits.
func TestAppChat(t *testing.T) {
	ctx := context.Background()
	s := startEmulator(t)
	c := newWeCom(t, s)
	created, err := c.CreateAppChat(ctx, &api.AppChatCreate{Name: "项目群", Owner: "zhangsan", UserList: []string{"zhangsan", "lisi"}, ChatID: "proj1"})
	if err != nil || created.ChatID != "proj1" {
		t.Fatalf("create: %+v %v", created, err)
	}
	gen, err := c.CreateAppChat(ctx, &api.AppChatCreate{UserList: []string{"wangwu", "zhaoliu"}})
	if err != nil || gen.ChatID == "" {
		t.Fatalf("create with a generated chatid: %+v %v", gen, err)
	}
	if _, err := c.UpdateAppChat(ctx, &api.AppChatUpdate{ChatID: "proj1", Name: "项目群2", AddUserList: []string{"wangwu"}, DelUserList: []string{"lisi"}}); err != nil {
		t.Fatal(err)
	}
	info, err := c.GetAppChat(ctx, "proj1")
	if err != nil {
		t.Fatal(err)
	}
	if got := info.ChatInfo; got.Name != "项目群2" || got.Owner != "zhangsan" || strings.Join(got.UserList, ",") != "zhangsan,wangwu" {
		t.Errorf("chat_info = %+v", got)
	}
	if _, err := c.SendAppChat(ctx, &api.AppChatMessage{ChatID: "proj1", MsgType: "text", Text: &api.Content{Content: "大家好"}}); err != nil {
		t.Fatal(err)
	}
	m := lastOutbox(t, s, "/wecom/cgi-bin/appchat/send")
	if m.ChatID != "proj1" || strings.Join(m.ToUsers, ",") != "zhangsan,wangwu" {
		t.Errorf("outbox = %+v", m)
	}
	for _, tc := range []struct {
		name string
		call func() error
		code int
	}{
		{"one member", func() error {
			_, err := c.CreateAppChat(ctx, &api.AppChatCreate{UserList: []string{"zhangsan"}})
			return err
		}, 86006},
		{"unknown member", func() error {
			_, err := c.CreateAppChat(ctx, &api.AppChatCreate{UserList: []string{"zhangsan", "ghost"}})
			return err
		}, 86007},
		{"owner not a member", func() error {
			_, err := c.CreateAppChat(ctx, &api.AppChatCreate{Owner: "wangwu", UserList: []string{"zhangsan", "lisi"}})
			return err
		}, 86005},
		{"chatid taken", func() error {
			_, err := c.CreateAppChat(ctx, &api.AppChatCreate{UserList: []string{"zhangsan", "lisi"}, ChatID: "proj1"})
			return err
		}, 86215},
		{"malformed chatid", func() error {
			_, err := c.CreateAppChat(ctx, &api.AppChatCreate{UserList: []string{"zhangsan", "lisi"}, ChatID: "has space"})
			return err
		}, 86001},
		{"get a chat that does not exist", func() error {
			_, err := c.GetAppChat(ctx, "nochat")
			return err
		}, 86001},
		{"send to a chat that does not exist", func() error {
			_, err := c.SendAppChat(ctx, &api.AppChatMessage{ChatID: "nochat", MsgType: "text", Text: &api.Content{Content: "x"}})
			return err
		}, 86001},
		{"remove the owner", func() error {
			_, err := c.UpdateAppChat(ctx, &api.AppChatUpdate{ChatID: "proj1", AddUserList: []string{"lisi"}, DelUserList: []string{"zhangsan"}})
			return err
		}, 86005},
		{"below two members", func() error {
			_, err := c.UpdateAppChat(ctx, &api.AppChatUpdate{ChatID: "proj1", DelUserList: []string{"wangwu"}})
			return err
		}, 86006},
		{"template card to a chat", func() error {
			_, err := c.SendAppChat(ctx, &api.AppChatMessage{ChatID: "proj1", MsgType: "template_card"})
			return err
		}, 40008},
		{"empty text", func() error {
			_, err := c.SendAppChat(ctx, &api.AppChatMessage{ChatID: "proj1", MsgType: "text", Text: &api.Content{}})
			return err
		}, 44004},
	} {
		if got := errcodeOf(t, tc.call()); got != tc.code {
			t.Errorf("%s: errcode %d, want %d", tc.name, got, tc.code)
		}
	}
	if n := calls(s, "/wecom/cgi-bin/appchat/send"); n != 4 {
		t.Errorf("%d appchat/send calls, want 4: a refused send is not resent", n)
	}
}

// TestAppChatOtherApp: a chat belongs to the app that created it.
func TestAppChatOtherApp(t *testing.T) {
	ctx := context.Background()
	fx := emulator.DefaultFixture()
	second := fx.WeCom.Apps[0]
	second.AgentID, second.Name, second.Secret = 1000003, "第二个应用", strings.Repeat("S", 43)
	fx.WeCom.Apps = append(fx.WeCom.Apps, second)
	s := startEmulator(t, emulator.WithFixture(fx))
	a := newWeCom(t, s)
	b, err := api.NewWeCom(api.WeComApp{CorpID: fx.WeCom.CorpID, AgentID: second.AgentID, Secret: second.Secret}, api.WithBaseURL(s.WeComBaseURL()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateAppChat(ctx, &api.AppChatCreate{UserList: []string{"zhangsan", "lisi"}, ChatID: "mine"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.GetAppChat(ctx, "mine"); errcodeOf(t, err) != 86008 {
		t.Errorf("another app's chat: %v", err)
	}
}
