package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/emulator"
)

// TestReplyRules pushes a user's text message through the emulator to
// servers with each passive reply rule and reads the decrypted reply.
func TestReplyRules(t *testing.T) {
	for _, tc := range []struct {
		rule, platform, msgType string
		want                    []string
	}{
		{"image:IMG_MEDIA_1", "wecom", "image", []string{"<Image><MediaId><![CDATA[IMG_MEDIA_1]]></MediaId></Image>"}},
		{"voice:VOICE_1", "mp", "voice", []string{"<Voice><MediaId><![CDATA[VOICE_1]]></MediaId></Voice>"}},
		{"video:VID_1|演示|一段视频", "wecom", "video", []string{"<MediaId><![CDATA[VID_1]]></MediaId>", "<Title><![CDATA[演示]]></Title>", "<Description><![CDATA[一段视频]]></Description>"}},
		{"news:本周活动|点击查看|https://h5.example.com/e|https://h5.example.com/e.jpg", "mp", "news", []string{"<ArticleCount>1</ArticleCount>", "<Title><![CDATA[本周活动]]></Title>", "<Url><![CDATA[https://h5.example.com/e]]></Url>", "<PicUrl><![CDATA[https://h5.example.com/e.jpg]]></PicUrl>"}},
		{"news:只有标题", "wecom", "news", []string{"<Title><![CDATA[只有标题]]></Title>"}},
		{"text:收到", "mp", "text", []string{"<Content><![CDATA[收到]]></Content>"}},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			e := start(t, func(c *server.Config) { c.EmulatorReply = tc.rule })
			res, err := e.emu.Emulator().PushCallback(context.Background(), emulator.CallbackRequest{Platform: tc.platform, Content: "hi"})
			if err != nil || res.Status != 200 || res.ReplyError != "" {
				t.Fatalf("push: %+v %v", res, err)
			}
			if res.ReplyType != tc.msgType {
				t.Fatalf("reply type %q, want %q: %s", res.ReplyType, tc.msgType, res.Reply)
			}
			for _, w := range tc.want {
				if !strings.Contains(res.Reply, w) {
					t.Errorf("reply lacks %s:\n%s", w, res.Reply)
				}
			}
		})
	}
	// An MP-only rule on the emulator's WeCom profile, and rules that are
	// not rules at all, are refused with the list of rules.
	for _, rule := range []string{"music:https://m.example.com/a.mp3|THUMB", "image:", "video:", "news:", "bogus:x", "image:A|B", "rm -rf"} {
		_, err := server.New(server.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Emulator: true, EmulatorReply: rule})
		if err == nil || !strings.Contains(err.Error(), "image:MEDIA_ID") {
			t.Errorf("rule %q: %v, want an error listing the rules", rule, err)
		}
	}
	if err := server.ValidReply(server.PlatformMP, "music:https://m.example.com/a.mp3|THUMB|歌名"); err != nil {
		t.Errorf("music on an Official Account: %v", err)
	}
}
