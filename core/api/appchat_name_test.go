package api_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wwkit/wwkit/core/api"
)

// appchat/create and appchat/update take a name of at most 50 UTF-8
// characters and cut a longer one ("最多50个utf8字符，超过将截断",
// document/path/90245 and 98913): a long name is not an error.
func TestAppChatLongNameIsCut(t *testing.T) {
	s := startEmulator(t)
	c := newWeCom(t, s)
	ctx := context.Background()
	long := strings.Repeat("群", 45) + strings.Repeat("聊", 15) // 60 characters
	want := []rune(long)[:50]

	created, err := c.CreateAppChat(ctx, &api.AppChatCreate{Name: long, UserList: []string{"zhangsan", "lisi"}})
	if err != nil {
		t.Fatalf("appchat/create with a 60-character name: %v, want success (the name is cut)", err)
	}
	got, err := c.GetAppChat(ctx, created.ChatID)
	if err != nil || got.ChatInfo.Name != string(want) {
		t.Fatalf("appchat/get name = %q (%d characters, %v), want the first 50 characters", got.ChatInfo.Name, utf8.RuneCountInString(got.ChatInfo.Name), err)
	}

	longer := strings.Repeat("新", 70)
	if _, err := c.UpdateAppChat(ctx, &api.AppChatUpdate{ChatID: created.ChatID, Name: longer}); err != nil {
		t.Fatalf("appchat/update with a 70-character name: %v, want success (the name is cut)", err)
	}
	got, err = c.GetAppChat(ctx, created.ChatID)
	if err != nil || got.ChatInfo.Name != strings.Repeat("新", 50) {
		t.Fatalf("appchat/get after update: name %q (%v), want 50 × 新", got.ChatInfo.Name, err)
	}
}
