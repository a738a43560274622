package emulator_test

import (
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/message"
)

// Directory changes through the API push change_contact to the callback
// URL of each app that sees the change, encrypted like WeCom does; a
// callback server written with core/wxcrypt and core/message decrypts them
// into typed *message.ChangeContact events, in the order of the changes.
func TestContactChangeCallbacks(t *testing.T) {
	fx := emulator.DefaultFixture()
	all := fx.WeCom.Apps[0]
	cbAll, u := newCallbackApp(t, all.Token, all.EncodingAESKey, fx.WeCom.CorpID, false)
	fx.WeCom.Apps[0].CallbackURL = u
	// A second app that sees only 市场部 (department 3).
	market := all
	market.AgentID, market.Name, market.Secret = 1000003, "市场部应用", all.Secret+"-market"
	market.VisibleParties = []int64{3}
	cbMarket, u2 := newCallbackApp(t, market.Token, market.EncodingAESKey, fx.WeCom.CorpID, false)
	market.CallbackURL = u2
	fx.WeCom.Apps = append(fx.WeCom.Apps, market)
	e := start(t, emulator.WithFixture(fx))
	tk := tok(e.wecomToken())

	wantCode(t, "department/create", e.post("/wecom/cgi-bin/department/create", tk, map[string]any{"name": "前端组", "parentid": 2, "order": 5}), 0)
	wantCode(t, "user/create", e.post("/wecom/cgi-bin/user/create", tk, map[string]any{"userid": "zhouba", "name": "周八", "mobile": "13800000008", "department": []int{4}}), 0)
	wantCode(t, "user/update", e.post("/wecom/cgi-bin/user/update", tk, map[string]any{"userid": "zhouba", "department": []int{3}}), 0)
	wantCode(t, "user/delete", e.get("/wecom/cgi-bin/user/delete", with(tk, "userid", "zhouba")), 0)
	wantCode(t, "department/delete", e.get("/wecom/cgi-bin/department/delete", with(tk, "id", "4")), 0)
	wantCode(t, "a refused change pushes nothing", e.get("/wecom/cgi-bin/department/delete", with(tk, "id", "4")), 60123)
	wantCode(t, "tag/addtagusers", e.post("/wecom/cgi-bin/tag/addtagusers", tk, map[string]any{"tagid": 1, "userlist": []string{"wangwu", "lisi"}, "partylist": []int{3}}), 0)
	wantCode(t, "tag/deltagusers", e.post("/wecom/cgi-bin/tag/deltagusers", tk, map[string]any{"tagid": 1, "userlist": []string{"zhangsan"}}), 0)

	got := waitMessages(t, cbAll, 7)
	want := []struct{ typ, user, id, dept string }{
		{"create_party", "", "4", ""},
		{"create_user", "zhouba", "", "4"},
		{"update_user", "zhouba", "", "3"},
		{"delete_user", "zhouba", "", ""},
		{"delete_party", "", "4", ""},
	}
	for i, w := range want {
		m := got[i]
		cc, ok := m.Body.(*message.ChangeContact)
		if !ok || m.Event != "change_contact" || m.FromUserName != "sys" || m.AgentID != 1000002 {
			t.Fatalf("push %d: %+v (body %T)", i, m, m.Body)
		}
		if cc.ChangeType != w.typ || cc.UserID != w.user || cc.ID != w.id || cc.Department != w.dept {
			t.Errorf("push %d: %+v, want %+v", i, cc, w)
		}
	}
	// lisi was tagged already: only the real change is reported.
	if cc, _ := got[5].Body.(*message.ChangeContact); cc == nil || cc.ChangeType != "update_tag" || cc.TagID != "1" || cc.AddUserItems != "wangwu" || cc.AddPartyItems != "3" {
		t.Errorf("update_tag after addtagusers: %+v", got[5].Body)
	}
	if cc, _ := got[6].Body.(*message.ChangeContact); cc == nil || cc.ChangeType != "update_tag" || cc.DelUserItems != "zhangsan" || cc.AddUserItems != "" {
		t.Errorf("update_tag after deltagusers: %+v", got[6].Body)
	}
	if cc := got[1].Body.(*message.ChangeContact); cc.Name != "周八" || cc.Mobile != "13800000008" || cc.Status != "4" {
		t.Errorf("create_user carries the member: %+v", cc)
	}
	if cc := got[0].Body.(*message.ChangeContact); cc.Name != "前端组" || cc.ParentID != "2" || cc.Order != "5" {
		t.Errorf("create_party carries the department: %+v", cc)
	}

	// The 市场部 app saw only what was in 市场部: the member after the move
	// to department 3 and its deletion; tag changes go to every app.
	m := waitMessages(t, cbMarket, 4)
	if a, b := m[0].Body.(*message.ChangeContact), m[1].Body.(*message.ChangeContact); a.ChangeType != "update_user" || b.ChangeType != "delete_user" || m[0].AgentID != 1000003 {
		t.Fatalf("market app: %+v %+v", a, b)
	}
	time.Sleep(100 * time.Millisecond)
	cbMarket.mu.Lock()
	n := len(cbMarket.got)
	cbMarket.mu.Unlock()
	if n != 4 {
		t.Fatalf("market app got %d pushes, want 4: the move into 市场部, the delete and the two tag changes (creates outside its range are not its business)", n)
	}
}

// waitMessages waits up to 10 s for n messages at the callback app.
func waitMessages(t *testing.T, a *callbackApp, n int) []*message.Message {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		a.mu.Lock()
		got := append([]*message.Message(nil), a.got...)
		a.mu.Unlock()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("got %d callbacks, want %d", len(got), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
