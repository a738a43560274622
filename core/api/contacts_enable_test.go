package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/api"
)

// user/update's enable (启用/禁用成员: 1 enable, 0 disable) is a documented
// body field: the client must be able to send 0, and leave it out when
// unset so an update of other fields does not re-enable a member.
func TestUpdateUserEnable(t *testing.T) {
	zero := 0
	b, err := json.Marshal(&api.User{UserID: "lisi", Enable: &zero})
	if err != nil || !strings.Contains(string(b), `"enable":0`) {
		t.Fatalf("User with Enable 0 marshals to %s (%v), want \"enable\":0", b, err)
	}
	if b, _ := json.Marshal(&api.User{UserID: "lisi"}); strings.Contains(string(b), "enable") {
		t.Fatalf("User without Enable marshals to %s, want no enable", b)
	}

	s := startEmulator(t)
	c := newWeCom(t, s)
	ctx := context.Background()
	if _, err := c.UpdateUser(ctx, &api.User{UserID: "lisi", Enable: &zero}); err != nil {
		t.Fatal(err)
	}
	u, err := c.GetUser(ctx, "lisi")
	if err != nil || u.Status != 2 {
		t.Fatalf("user/get after enable 0: status %d (%v), want 2 (disabled)", u.Status, err)
	}
	one := 1
	if _, err := c.UpdateUser(ctx, &api.User{UserID: "lisi", Enable: &one}); err != nil {
		t.Fatal(err)
	}
	if u, err := c.GetUser(ctx, "lisi"); err != nil || u.Status != 1 {
		t.Fatalf("user/get after enable 1: status %d (%v), want 1", u.Status, err)
	}
}

// user/create's to_invite (默认 true) decides whether WeCom sends the new
// member an invitation; false must be sendable and nil must send nothing.
func TestCreateUserToInvite(t *testing.T) {
	no := false
	b, err := json.Marshal(&api.User{UserID: "zhouba", ToInvite: &no})
	if err != nil || !strings.Contains(string(b), `"to_invite":false`) {
		t.Fatalf("User with ToInvite false marshals to %s (%v)", b, err)
	}
	if b, _ := json.Marshal(&api.User{UserID: "zhouba"}); strings.Contains(string(b), "to_invite") {
		t.Fatalf("User without ToInvite marshals to %s", b)
	}
	s := startEmulator(t)
	c := newWeCom(t, s)
	if _, err := c.CreateUser(context.Background(), &api.User{UserID: "zhouba", Name: "周八", Mobile: "13800000008", ToInvite: &no}); err != nil {
		t.Fatalf("user/create with to_invite false: %v", err)
	}
}
