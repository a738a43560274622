package emulator_test

import (
	"testing"

	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/message"
)

// create_user and update_user carry IsLeaderInDept ("1,0": one flag per
// department, in Department's order) as the change_contact page lists it,
// the same flags user/get answers in is_leader_in_dept.
func TestContactEventIsLeaderInDept(t *testing.T) {
	fx := emulator.DefaultFixture()
	for i := range fx.WeCom.Departments {
		if fx.WeCom.Departments[i].ID == 3 {
			fx.WeCom.Departments[i].Leaders = []string{"zhouba"}
		}
	}
	app := fx.WeCom.Apps[0]
	cb, u := newCallbackApp(t, app.Token, app.EncodingAESKey, fx.WeCom.CorpID, false)
	fx.WeCom.Apps[0].CallbackURL = u
	e := start(t, emulator.WithFixture(fx))
	tk := tok(e.wecomToken())

	wantCode(t, "user/create", e.post("/wecom/cgi-bin/user/create", tk, map[string]any{"userid": "zhouba", "name": "周八", "mobile": "13800000008", "department": []int{2, 3}}), 0)
	got := waitMessages(t, cb, 1)
	cc, ok := got[0].Body.(*message.ChangeContact)
	if !ok || cc.ChangeType != "create_user" {
		t.Fatalf("push: %+v", got[0].Body)
	}
	if v, ok := cc.Fields["IsLeaderInDept"]; !ok || v != "0,1" {
		t.Fatalf("create_user IsLeaderInDept = %q (present %v), want \"0,1\" (leader of department 3 only); fields %v", v, ok, cc.Fields)
	}
}
