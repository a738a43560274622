package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator/fixture"
)

// A group robot also posts markdown_v2 (the fuller markdown: tables,
// lists, code blocks; content at most 4096 bytes). Tencent's robot takes
// it, so the emulator must too rather than answering 40008.
func TestRobotMarkdownV2(t *testing.T) {
	ctx := context.Background()
	s := startEmulator(t)
	r := newRobot(t, s, fixture.RobotKey)
	msg := &api.RobotMessage{MsgType: "markdown_v2", MarkdownV2: &api.Content{Content: "| 服务 | 状态 |\n| :-- | :-- |\n| api | 正常 |"}}
	if _, err := r.SendWebhook(ctx, msg); err != nil {
		t.Fatalf("markdown_v2: %v", err)
	}
	m := lastOutbox(t, s, "/wecom/cgi-bin/webhook/send")
	if m.MsgType != "markdown_v2" || !strings.Contains(string(m.Body), `"markdown_v2":{"content":"| 服务 | 状态 |`) {
		t.Fatalf("outbox = %s %s", m.MsgType, m.Body)
	}
	long := &api.RobotMessage{MsgType: "markdown_v2", MarkdownV2: &api.Content{Content: strings.Repeat("a", 4097)}}
	if _, err := r.SendWebhook(ctx, long); errcodeOf(t, err) != 45002 {
		t.Fatalf("markdown_v2 of 4097 bytes: %v, want 45002", err)
	}
	empty := &api.RobotMessage{MsgType: "markdown_v2", MarkdownV2: &api.Content{}}
	if _, err := r.SendWebhook(ctx, empty); errcodeOf(t, err) != 44004 {
		t.Fatalf("empty markdown_v2: %v, want 44004", err)
	}
}
