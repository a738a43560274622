package desktop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/emulator"
)

// TestSuiteService runs the suite view's calls against the in-process
// emulator's suite: no ticket yet (a warning), then a pushed ticket and an
// install (create_auth through the dev server), the corp listed, wx.config
// and wx.agentConfig signed for it and accepted by the emulator's verifier,
// a test message sent from the suite's app in that corp, and after
// cancel_auth a coded problem naming the cancellation. No DTO carries the
// ticket, the suite Secret or the permanent code.
func TestSuiteService(t *testing.T) {
	a := startApp(t, Config{})
	var leaks leakCheck
	emu := a.session().srv.Emulator().Emulator()
	fsu := emu.Fixture().Suites[0]
	corpID := emu.Fixture().WeCom.CorpID

	l, err := a.Suites.List()
	if err != nil || len(l) != 1 || l[0].SuiteID != fsu.SuiteID || l[0].TicketWarning == "" || len(l[0].Corps) != 0 {
		t.Fatalf("List before any push = %+v, %v", l, err)
	}
	if _, err := a.Suites.Sign(l[0].Name, corpID, SignConfig, "http://127.0.0.1/p"); !isProblem(err, "suite.corp") {
		t.Fatalf("Sign before the install: %v", err)
	}

	ctx := context.Background()
	push, err := emu.PushSuiteTicket(ctx, "", "")
	if err != nil || push.Result.Status != 200 {
		t.Fatalf("ticket push: %+v %v", push, err)
	}
	inst, err := emu.InstallSuite(ctx, emulator.InstallRequest{})
	if err != nil || inst.Result.Status != 200 {
		t.Fatalf("install: %+v %v", inst, err)
	}
	l, err = a.Suites.List()
	if err != nil || l[0].TicketWarning != "" || l[0].TicketAt == nil || len(l[0].Corps) != 1 {
		t.Fatalf("List after the install = %+v, %v", l, err)
	}
	leaks.add(t, l)
	c := l[0].Corps[0]
	if c.CorpID != corpID || c.AgentID != fsu.AgentID || c.State != "active" {
		t.Fatalf("corp %+v", c)
	}

	page := "http://127.0.0.1/suite/page"
	for _, kind := range []string{SignConfig, SignAgentConfig} {
		d, err := a.Suites.Sign(l[0].Name, corpID, kind, page)
		if err != nil || d.Error != nil {
			t.Fatalf("Sign %s = %+v, %v", kind, d, err)
		}
		leaks.add(t, d)
		verifySuiteSigned(t, emu, d, corpID, fsu.AgentID)
	}

	to := emu.Fixture().WeCom.Users[0].UserID
	sent, err := a.Suites.SendText(l[0].Name, corpID, to, "第三方应用测试消息")
	if err != nil || !sent.OK {
		t.Fatalf("SendText = %+v, %v", sent, err)
	}
	leaks.add(t, sent)
	found := false
	for _, m := range emu.Outbox() {
		if m.MsgID == sent.MsgID && m.AgentID == fsu.AgentID {
			found = true
		}
	}
	if !found {
		t.Fatalf("message %s from agent %d not in the emulator's outbox", sent.MsgID, fsu.AgentID)
	}
	if _, err := a.Suites.SendText(l[0].Name, corpID, "", "x"); !isProblem(err, "msg.noRecipient") {
		t.Fatalf("SendText without recipient: %v", err)
	}

	if _, err := emu.CancelSuiteAuth(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Suites.Sign(l[0].Name, corpID, SignConfig, page); !isProblem(err, "suite.cancelled") {
		t.Fatalf("Sign after cancel_auth: %v", err)
	}
	if l, err = a.Suites.List(); err != nil || l[0].Corps[0].State != "cancelled" || l[0].Corps[0].CancelledAt == nil {
		t.Fatalf("List after cancel_auth = %+v, %v", l, err)
	}
	st := emu.State()
	secrets := map[string]string{"suite secret": fsu.Secret, "suite ticket": push.SuiteTicket}
	for _, g := range st.Suites[0].Grants {
		secrets["permanent code"] = g.PermanentCode
	}
	leaks.assertNone(t, secrets)
}

// verifySuiteSigned checks that a suite Sign answer names the corp (and, for
// wx.agentConfig, the AgentID the corp gave the app) and that the
// emulator's verifier accepts its signature for d.URL.
func verifySuiteSigned(t *testing.T, emu *emulator.Emulator, d SignDTO, corpID string, agentID int64) {
	t.Helper()
	b, _ := json.Marshal(d.Config)
	var cfg struct {
		AppID, CorpID, AgentID string
		Timestamp              int64
		NonceStr, Signature    string
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	req := emulator.VerifyRequest{API: d.Kind, URL: d.URL, Timestamp: json.RawMessage(fmt.Sprint(cfg.Timestamp)), NonceStr: cfg.NonceStr, Signature: cfg.Signature}
	if d.Kind == SignAgentConfig {
		if cfg.CorpID != corpID || cfg.AgentID != fmt.Sprint(agentID) {
			t.Fatalf("agentConfig for corp %q agent %q, want %s and %d", cfg.CorpID, cfg.AgentID, corpID, agentID)
		}
		req.CorpID, req.AgentID = corpID, json.RawMessage(fmt.Sprint(agentID))
	} else {
		if cfg.AppID != corpID {
			t.Fatalf("config for appId %q, want the corp %s", cfg.AppID, corpID)
		}
		req.AppID = corpID
	}
	if res := emu.VerifyJSSDK(req); !res.OK {
		t.Fatalf("the emulator rejects the %s signed for the corp: %+v", d.Kind, res)
	}
}

func isProblem(err error, code string) bool {
	var p *Problem
	return errors.As(err, &p) && p.Code == code
}

// TestSuiteSignAttached: a window attached to another process's dev server
// (wwkit tray) lists that server's suite and signs wx.config and
// wx.agentConfig for an authorised corp through it, accepted by the
// emulator's verifier, with the ticket masked; sending still needs the
// server in the window, and a corp that cancelled is refused by the server.
func TestSuiteSignAttached(t *testing.T) {
	dir := t.TempDir()
	owner := startApp(t, Config{DataDir: dir, Addr: "127.0.0.1:0"})
	emu := owner.session().srv.Emulator().Emulator()
	fsu := emu.Fixture().Suites[0]
	corpID := emu.Fixture().WeCom.CorpID
	ctx := context.Background()
	push, err := emu.PushSuiteTicket(ctx, "", "")
	if err != nil || push.Result.Status != 200 {
		t.Fatalf("ticket push: %+v %v", push, err)
	}
	if inst, err := emu.InstallSuite(ctx, emulator.InstallRequest{}); err != nil || inst.Result.Status != 200 {
		t.Fatalf("install: %+v %v", inst, err)
	}
	win := startApp(t, Config{DataDir: dir, Attach: owner.ServerURL()})
	if win.session().srv != nil {
		t.Fatal("the attached window runs its own dev server")
	}
	l, err := win.Suites.List()
	if err != nil || len(l) != 1 || len(l[0].Corps) != 1 || l[0].Corps[0].CorpID != corpID {
		t.Fatalf("attached List = %+v, %v", l, err)
	}
	if _, err := win.Suites.Sign(l[0].Name, "", SignConfig, "http://127.0.0.1/p"); !isProblem(err, "suite.noCorp") {
		t.Fatalf("attached Sign without a corp: %v", err)
	}
	var leaks leakCheck
	page := "http://127.0.0.1/suite/attached?x=1#frag"
	for _, kind := range []string{SignConfig, SignAgentConfig} {
		d, err := win.Suites.Sign(l[0].Name, corpID, kind, page)
		if err != nil || d.Error != nil {
			t.Fatalf("attached Sign %s = %+v, %v", kind, d, err)
		}
		leaks.add(t, d)
		verifySuiteSigned(t, emu, d, corpID, fsu.AgentID)
	}
	if _, err := win.Suites.SendText(l[0].Name, corpID, "zhangsan", "x"); !isProblem(err, "suite.attached") {
		t.Fatalf("attached SendText: %v, want suite.attached", err)
	}
	if _, err := emu.CancelSuiteAuth(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := win.Suites.Sign(l[0].Name, corpID, SignConfig, page); !isProblem(err, "attach.request") || !strings.Contains(err.Error(), "410") {
		t.Fatalf("attached Sign after cancel_auth: %v, want the server's 410", err)
	}
	secrets := map[string]string{"suite secret": fsu.Secret, "suite ticket": push.SuiteTicket}
	for _, g := range emu.State().Suites[0].Grants {
		secrets["permanent code"] = g.PermanentCode
	}
	leaks.assertNone(t, secrets)
}

// TestMaskTicketParam: the ticket in a string to sign from an attached
// server is masked, the rest kept.
func TestMaskTicketParam(t *testing.T) {
	const tk = "kgt8ON7yVITDhtdwci0qeZo2c5oOMRp1CxbsmA8Xo2YJ2tBgXpKdVz0wMcuRGc8ZSuhbJvqfPb1MX6ROyTAs-Q"
	got := maskTicketParam("jsapi_ticket=" + tk + "&noncestr=abc&timestamp=1&url=http://a/")
	if strings.Contains(got, tk) || !strings.HasPrefix(got, "jsapi_ticket=") || !strings.HasSuffix(got, "&noncestr=abc&timestamp=1&url=http://a/") {
		t.Fatalf("masked %q", got)
	}
	if maskTicketParam("") != "" || maskTicketParam("noncestr=a") != "noncestr=a" {
		t.Fatal("a string without a ticket changed")
	}
}
