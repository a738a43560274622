package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/app/suite"
	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

const (
	testSuiteID  = "wwsuitetest0001"
	testSuiteTok = "suiteToken"
	testSuiteKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
)

// suitePush posts an instruction callback the way the provider platform
// does: encrypted with receiveid = SuiteID and signed.
func suitePush(t *testing.T, base, name, plain, receiveID string) (int, string) {
	t.Helper()
	return suitePost(t, base+"/suite/"+name+"/callback", testSuiteTok, testSuiteKey, plain, receiveID)
}

// suitePost encrypts plain for receiveID and posts it signed to u.
func suitePost(t *testing.T, u, tok, key, plain, receiveID string) (int, string) {
	t.Helper()
	c, err := wxcrypt.New(tok, key, receiveID)
	if err != nil {
		t.Fatal(err)
	}
	ts := fmt.Sprint(time.Now().Unix())
	body, sig, err := c.EncryptRequest([]byte(plain), receiveID, "", ts, "n1")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(u+"?msg_signature="+sig+"&timestamp="+ts+"&nonce=n1", "text/xml", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func ticketXML(ticket string, ts int64) string {
	return fmt.Sprintf(`<xml><SuiteId><![CDATA[%s]]></SuiteId><InfoType> <![CDATA[suite_ticket]]></InfoType><TimeStamp>%d</TimeStamp><SuiteTicket><![CDATA[%s]]></SuiteTicket></xml>`, testSuiteID, ts, ticket)
}

// TestSuiteInstructionCallback drives the suite callback URL over real
// HTTP: URL check, suite_ticket stored durably (another Store sees it) and
// masked in the inbox, a wrong receiveid refused, cancel_auth marking the
// corp so signing for it names the cancellation.
func TestSuiteInstructionCallback(t *testing.T) {
	data := t.TempDir()
	e := start(t, func(c *server.Config) {
		c.DataDir = data
		c.Suites = []server.Suite{{Name: "isv", SuiteID: testSuiteID, Secret: "suite-secret-value", Token: testSuiteTok, EncodingAESKey: testSuiteKey,
			TrustedDomains: []string{"127.0.0.1"}, APIBaseURL: "http://127.0.0.1:1"}}
	})
	base := e.srv.URL()
	recs, cancel := e.srv.Subscribe()
	defer cancel()

	// URL check (验证URL有效性): the decrypted echostr comes back.
	c, _ := wxcrypt.New(testSuiteTok, testSuiteKey, testSuiteID)
	echo, err := c.Encrypt([]byte("1616140317555161061"))
	if err != nil {
		t.Fatal(err)
	}
	ts := fmt.Sprint(time.Now().Unix())
	resp, err := http.Get(base + "/suite/isv/callback?msg_signature=" + c.Sign(ts, "n", echo) + "&timestamp=" + ts + "&nonce=n&echostr=" + url.QueryEscape(echo))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "1616140317555161061" {
		t.Fatalf("URL check: %d %q", resp.StatusCode, b)
	}

	const ticket = "TICKET-abcdefghijklmnop-0001"
	if code, body := suitePush(t, base, "isv", ticketXML(ticket, time.Now().Unix()), testSuiteID); code != 200 || body != "success" {
		t.Fatalf("suite_ticket push: %d %q", code, body)
	}
	st, err := suite.Open(data, testSuiteID)
	if err != nil {
		t.Fatal(err)
	}
	if got, _, err := st.Ticket(time.Now()); err != nil || got != ticket {
		t.Fatalf("stored ticket %q %v", got, err)
	}
	select {
	case r := <-recs:
		if r.Platform != server.PlatformSuite || r.Event != "suite_ticket" || r.Profile != "isv" || strings.Contains(r.XML, ticket) || !strings.Contains(r.XML, "masked sha256:") {
			t.Fatalf("inbox record: %+v", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the suite_ticket push did not reach the inbox")
	}

	// Encrypted for another receiveid (a corp id): -40005, refused.
	if code, _ := suitePush(t, base, "isv", ticketXML("T2", time.Now().Unix()), "wwothercorp"); code != 400 {
		t.Fatalf("wrong receiveid: %d", code)
	}
	if got, _, _ := st.Ticket(time.Now()); got != ticket {
		t.Fatalf("a refused push changed the ticket to %q", got)
	}
	// An unknown suite name is a 404 naming the route.
	if code, _ := suitePush(t, base, "nope", ticketXML("T3", time.Now().Unix()), testSuiteID); code != 404 {
		t.Fatalf("unknown suite: %d", code)
	}

	// A stored corp, then cancel_auth: signing for it names the cancellation.
	if err := st.PutCorp(suite.Corp{CorpID: "wwcorpA", AgentID: 1000005, PermanentCode: "PC-A"}, time.Now(), ""); err != nil {
		t.Fatal(err)
	}
	cancelXML := fmt.Sprintf(`<xml><SuiteId><![CDATA[%s]]></SuiteId><InfoType><![CDATA[cancel_auth]]></InfoType><TimeStamp>%d</TimeStamp><AuthCorpId><![CDATA[wwcorpA]]></AuthCorpId></xml>`, testSuiteID, time.Now().Unix())
	if code, body := suitePush(t, base, "isv", cancelXML, testSuiteID); code != 200 || body != "success" {
		t.Fatalf("cancel_auth: %d %q", code, body)
	}
	var a signAnswer
	page := url.QueryEscape(base + "/")
	if code := getJSON(t, nil, base+"/api/jssdk/config?profile=isv&corp=wwcorpA&url="+page, &a); code != http.StatusGone || !strings.Contains(a.Error, "corp wwcorpA cancelled the authorisation") {
		t.Fatalf("sign for a cancelled corp: %d %+v", code, a)
	}
	if code := getJSON(t, nil, base+"/api/jssdk/config?profile=isv&corp=wwnever&url="+page, &a); code != 404 || !strings.Contains(a.Error, "wwnever has not authorised") {
		t.Fatalf("sign for an unknown corp: %d %+v", code, a)
	}
	if code := getJSON(t, nil, base+"/api/jssdk/config?profile=isv&url="+page, &a); code != 400 || !strings.Contains(a.Error, "pass ?corp=CORPID") {
		t.Fatalf("sign for a suite without corp: %d %+v", code, a)
	}

	// Status for the CLI and the desktop: never the ticket, the secret or a permanent code.
	var sts struct {
		OK     bool                 `json:"ok"`
		Suites []server.SuiteStatus `json:"suites"`
	}
	raw := getRaw(t, base+"/api/suites")
	for _, secret := range []string{ticket, "suite-secret-value", "PC-A", testSuiteKey} {
		if strings.Contains(raw, secret) {
			t.Fatalf("/api/suites shows a secret: %s", raw)
		}
	}
	getJSON(t, nil, base+"/api/suites", &sts)
	var isv *server.SuiteStatus
	for i := range sts.Suites {
		if sts.Suites[i].Name == "isv" {
			isv = &sts.Suites[i]
		}
	}
	if isv == nil || isv.TicketFP == "" || isv.TicketWarning != "" || len(isv.Corps) != 1 || isv.Corps[0].State != suite.StateCancelled {
		t.Fatalf("/api/suites: %s", raw)
	}
	for _, secret := range []string{ticket, "suite-secret-value", "PC-A", testSuiteKey} {
		if strings.Contains(e.logs.String(), secret) {
			t.Fatalf("the log shows a secret %q", secret)
		}
	}
}

// emuAdmin calls the in-process emulator's admin API over HTTP, as a test
// script would.
func emuAdmin(t *testing.T, e *env, path string, body any, v any) int {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(e.emu.URL+path, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if v != nil {
		if err := json.Unmarshal(out, v); err != nil {
			t.Fatalf("POST %s: %d %s: %v", path, resp.StatusCode, out, err)
		}
	}
	return resp.StatusCode
}

// TestSuiteEndToEnd is the third-party flow offline, over real HTTP
// between the emulator (the provider platform and Tencent's API) and the
// dev server: the platform pushes a suite_ticket → the server stores it →
// the test corp installs (emulator admin API) → create_auth → the server
// exchanges the auth_code and stores the permanent code → wx.config and
// wx.agentConfig signed for that corp are accepted by the emulator's
// verifier; then cancel_auth → signing names the cancellation.
func TestSuiteEndToEnd(t *testing.T) {
	data := t.TempDir()
	e := start(t, func(c *server.Config) { c.DataDir = data })
	fx := e.emu.Emulator().Fixture()
	if len(fx.Suites) == 0 {
		t.Fatal("the emulator fixture has no suite")
	}
	fsu := fx.Suites[0]
	base := e.srv.URL()

	// 1. suite_ticket pushed by the platform, stored by the server.
	var push emulator.SuitePush
	raw := map[string]any{}
	if code := emuAdmin(t, e, "/__emulator/suite/ticket", map[string]any{}, &raw); code != 200 || raw["ok"] != true {
		t.Fatalf("suite_ticket push: %d %v", code, raw)
	}
	b, _ := json.Marshal(raw)
	if err := json.Unmarshal(b, &push); err != nil || push.SuiteTicket == "" || push.Result == nil || push.Result.Status != 200 {
		t.Fatalf("suite_ticket push: %s %v", b, err)
	}
	st, err := suite.Open(data, fsu.SuiteID)
	if err != nil {
		t.Fatal(err)
	}
	ticket, _, err := st.Ticket(time.Now())
	if err != nil {
		t.Fatalf("no stored ticket after the push (%s): %v", b, err)
	}
	if ticket != push.SuiteTicket {
		t.Fatalf("stored ticket %q, pushed %q", ticket, push.SuiteTicket)
	}

	// 2. The test corp installs: create_auth → permanent code stored.
	raw = map[string]any{}
	if code := emuAdmin(t, e, "/__emulator/suite/install", map[string]any{"state": "e2e"}, &raw); code != 200 || raw["ok"] != true {
		t.Fatalf("install: %d %v", code, raw)
	}
	corp, err := st.Corp(fx.WeCom.CorpID)
	if err != nil {
		t.Fatalf("no authorised corp after create_auth: %v\nlogs: %s", err, e.logs.String())
	}
	if corp.PermanentCode == "" || corp.AgentID != fsu.AgentID || corp.State != suite.StateActive {
		t.Fatalf("stored corp %+v, want agent %d", corp.Public(), fsu.AgentID)
	}
	if strings.Contains(e.logs.String(), corp.PermanentCode) {
		t.Fatal("the permanent code is in the log")
	}

	// A redelivered create_auth (the platform pushes again when the answer
	// was lost) is acknowledged without a second get_permanent_code: the
	// auth_code is single use (40078), and the stored corp stays.
	var inst emulator.SuitePush
	b, _ = json.Marshal(raw)
	if err := json.Unmarshal(b, &inst); err != nil || inst.AuthCode == "" {
		t.Fatalf("install answer: %s", b)
	}
	exchanges := e.emu.Emulator().Stats()["/wecom/cgi-bin/service/get_permanent_code"]
	cb := base + "/suite/suite/callback"
	again := fmt.Sprintf(`<xml><SuiteId><![CDATA[%s]]></SuiteId><InfoType><![CDATA[create_auth]]></InfoType><TimeStamp>%d</TimeStamp><AuthCode><![CDATA[%s]]></AuthCode><State><![CDATA[e2e]]></State></xml>`,
		fsu.SuiteID, time.Now().Unix(), inst.AuthCode)
	if code, body := suitePost(t, cb, fsu.Token, fsu.EncodingAESKey, again, fsu.SuiteID); code != 200 || body != "success" {
		t.Fatalf("redelivered create_auth: %d %q", code, body)
	}
	if n := e.emu.Emulator().Stats()["/wecom/cgi-bin/service/get_permanent_code"]; n != exchanges {
		t.Fatalf("the redelivered auth_code was exchanged again (%d calls, was %d)", n, exchanges)
	}
	if c2, err := st.Corp(fx.WeCom.CorpID); err != nil || c2.PermanentCode != corp.PermanentCode {
		t.Fatalf("after the redelivery: %+v %v", c2.Public(), err)
	}

	// change_auth: the server re-reads get_auth_info with the stored code.
	infos := e.emu.Emulator().Stats()["/wecom/cgi-bin/service/get_auth_info"]
	change := fmt.Sprintf(`<xml><SuiteId><![CDATA[%s]]></SuiteId><InfoType><![CDATA[change_auth]]></InfoType><TimeStamp>%d</TimeStamp><AuthCorpId><![CDATA[%s]]></AuthCorpId></xml>`,
		fsu.SuiteID, time.Now().Unix(), fx.WeCom.CorpID)
	if code, body := suitePost(t, cb, fsu.Token, fsu.EncodingAESKey, change, fsu.SuiteID); code != 200 || body != "success" {
		t.Fatalf("change_auth: %d %q", code, body)
	}
	if n := e.emu.Emulator().Stats()["/wecom/cgi-bin/service/get_auth_info"]; n != infos+1 {
		t.Fatalf("change_auth made %d get_auth_info calls", n-infos)
	}
	if c2, _ := st.Corp(fx.WeCom.CorpID); c2.ChangedAt.IsZero() || c2.AgentID != fsu.AgentID || c2.CorpName == "" {
		t.Fatalf("after change_auth: %+v", c2.Public())
	}

	// The data callback (receiveid = the corp): stored under suite:CORPID;
	// one encrypted for a corp that never authorised is refused.
	recs, cancelSub := e.srv.Subscribe()
	defer cancelSub()
	msg := fmt.Sprintf(`<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content><MsgId>7000001</MsgId><AgentID>%d</AgentID></xml>`,
		fx.WeCom.CorpID, time.Now().Unix(), fsu.AgentID)
	if code, body := suitePost(t, base+"/suite/suite/data", fsu.Token, fsu.EncodingAESKey, msg, fx.WeCom.CorpID); code != 200 || body != "" {
		t.Fatalf("data callback: %d %q", code, body)
	}
	select {
	case r := <-recs:
		if r.Profile != "suite:"+fx.WeCom.CorpID || r.MsgType != "text" || r.From != "zhangsan" {
			t.Fatalf("data callback record: %+v", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the data callback did not reach the inbox")
	}
	if code, _ := suitePost(t, base+"/suite/suite/data", fsu.Token, fsu.EncodingAESKey, msg, "wwnotauthorised"); code != http.StatusForbidden {
		t.Fatalf("data callback for a corp that never authorised: %d", code)
	}

	// 3. The H5 page "in" that corp: both signatures, accepted by the verifier.
	page := base + "/?profile=suite&corp=" + fx.WeCom.CorpID
	for _, api := range []string{"config", "agentConfig"} {
		path := "/api/jssdk/config"
		if api == "agentConfig" {
			path = "/api/jssdk/agent-config"
		}
		var a signAnswer
		if code := getJSON(t, nil, base+path+"?profile=suite&corp="+fx.WeCom.CorpID+"&url="+url.QueryEscape(page+"#/x"), &a); code != 200 || !a.OK {
			t.Fatalf("%s: %d %+v", api, code, a)
		}
		req := map[string]any{"api": api, "url": page, "timestamp": a.Timestamp, "nonceStr": a.NonceStr, "signature": a.Signature}
		if api == "agentConfig" {
			if a.CorpID != fx.WeCom.CorpID || a.AgentID != fsu.AgentID {
				t.Fatalf("agentConfig for corp %s agent %d, want %s %d", a.CorpID, a.AgentID, fx.WeCom.CorpID, fsu.AgentID)
			}
			req["corpid"], req["agentid"] = a.CorpID, a.AgentID
		} else {
			req["appId"] = a.AppID
		}
		var res emulator.JSSDKVerifyResult
		if code := emuAdmin(t, e, "/__emulator/jssdk/verify", req, &res); code != 200 || !res.OK {
			t.Fatalf("the emulator's verifier rejects the %s signed for the corp: %d %+v", api, code, res)
		}
		// The verifier is no rubber stamp: the same signature for another
		// agent (the self-built app) is refused.
		if api == "agentConfig" {
			req["agentid"] = fx.WeCom.Apps[0].AgentID
			if emuAdmin(t, e, "/__emulator/jssdk/verify", req, &res); res.OK {
				t.Fatalf("the verifier accepts the suite agent's signature for agent %d", fx.WeCom.Apps[0].AgentID)
			}
		}
	}

	// 4. cancel_auth: the corp is marked, signing names the cancellation.
	raw = map[string]any{}
	if code := emuAdmin(t, e, "/__emulator/suite/cancel", map[string]any{}, &raw); code != 200 || raw["ok"] != true {
		t.Fatalf("cancel: %d %v", code, raw)
	}
	var a signAnswer
	if code := getJSON(t, nil, base+"/api/jssdk/config?profile=suite&corp="+fx.WeCom.CorpID+"&url="+url.QueryEscape(page), &a); code != http.StatusGone ||
		!strings.Contains(a.Error, "corp "+fx.WeCom.CorpID+" cancelled the authorisation") {
		t.Fatalf("after cancel_auth: %d %+v", code, a)
	}
}

// TestSuiteChangeAuthUnknownCorp: change_auth for a corp whose create_auth
// this server never stored (it installed the app before the server ran, or
// with another data directory) cannot be re-read — get_auth_info needs the
// corp's permanent code, and no call gives one without an auth_code — so
// the push is acknowledged, not refused: a refusal only makes the platform
// push the same thing again. The server logs a warning naming the corp and
// the fix, stores nothing, and the push is in the inbox. The same for a
// corp that cancelled.
func TestSuiteChangeAuthUnknownCorp(t *testing.T) {
	data := t.TempDir()
	e := start(t, func(c *server.Config) { c.DataDir = data })
	em := e.emu.Emulator()
	fx := em.Fixture()
	fsu := fx.Suites[0]
	cb := e.srv.URL() + "/suite/suite/callback"
	recs, cancelSub := e.srv.Subscribe()
	defer cancelSub()

	// The corp installs while the platform's pushes go to another server,
	// which exchanges the auth_code: the grant exists, this server never
	// saw its create_auth.
	ctx := context.Background()
	elsewhere := "http://127.0.0.1:1/elsewhere"
	tp, err := em.PushSuiteTicket(ctx, fsu.SuiteID, elsewhere)
	if err != nil {
		t.Fatal(err)
	}
	other, err := api.NewSuite(api.SuiteApp{SuiteID: fsu.SuiteID, Secret: fsu.Secret}, api.WithBaseURL(e.emu.URL+"/wecom"))
	if err != nil {
		t.Fatal(err)
	}
	if err := other.SetTicket(ctx, tp.SuiteTicket); err != nil {
		t.Fatal(err)
	}
	inst, err := em.InstallSuite(ctx, emulator.InstallRequest{SuiteID: fsu.SuiteID, URL: elsewhere})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.GetPermanentCode(ctx, &api.AuthCodeBody{AuthCode: inst.AuthCode}); err != nil {
		t.Fatal(err)
	}
	infos := em.Stats()["/wecom/cgi-bin/service/get_auth_info"]
	raw := map[string]any{}
	code := emuAdmin(t, e, "/__emulator/suite/change", map[string]any{}, &raw)
	var push emulator.SuitePush
	b, _ := json.Marshal(raw)
	if err := json.Unmarshal(b, &push); err != nil || push.Result == nil {
		t.Fatalf("change_auth push: %d %s %v", code, b, err)
	}
	if push.Result.Status != 200 || push.Result.RawReply != "success" {
		t.Fatalf("change_auth for a corp this server does not know: HTTP %d %q, want 200 success (a refusal is pushed again, and cannot succeed)\nlogs: %s",
			push.Result.Status, push.Result.RawReply, e.logs.String())
	}
	if n := em.Stats()["/wecom/cgi-bin/service/get_auth_info"]; n != infos {
		t.Fatalf("get_auth_info called %d times without a permanent code", n-infos)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, `"level":"WARN"`) || !strings.Contains(logs, `"corp":"`+fx.WeCom.CorpID+`"`) || !strings.Contains(logs, "install the app again") {
		t.Fatalf("no warning naming the corp and the fix:\n%s", logs)
	}
	st, err := suite.Open(data, fsu.SuiteID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Corp(fx.WeCom.CorpID); err == nil {
		t.Fatal("change_auth stored a corp without its permanent code")
	}
	deadline := time.After(5 * time.Second)
	for seen := false; !seen; {
		select {
		case r := <-recs:
			seen = r.Event == "change_auth" && r.From == fx.WeCom.CorpID
		case <-deadline:
			t.Fatal("the change_auth push is not in the inbox")
		}
	}

	// A corp that cancelled: nothing to re-read either; acknowledged.
	if err := st.CancelCorp("wwcancelled", time.Now()); err != nil {
		t.Fatal(err)
	}
	change := fmt.Sprintf(`<xml><SuiteId><![CDATA[%s]]></SuiteId><InfoType><![CDATA[change_auth]]></InfoType><TimeStamp>%d</TimeStamp><AuthCorpId><![CDATA[wwcancelled]]></AuthCorpId></xml>`,
		fsu.SuiteID, time.Now().Unix())
	if code, body := suitePost(t, cb, fsu.Token, fsu.EncodingAESKey, change, fsu.SuiteID); code != 200 || body != "success" {
		t.Fatalf("change_auth for a cancelled corp: %d %q", code, body)
	}
	if !strings.Contains(e.logs.String(), `"corp":"wwcancelled"`) {
		t.Fatalf("no warning naming the cancelled corp:\n%s", e.logs.String())
	}
	// One without AuthCorpId names no corp to re-read: acknowledged too.
	bare := fmt.Sprintf(`<xml><SuiteId><![CDATA[%s]]></SuiteId><InfoType><![CDATA[change_auth]]></InfoType><TimeStamp>%d</TimeStamp></xml>`, fsu.SuiteID, time.Now().Unix())
	if code, body := suitePost(t, cb, fsu.Token, fsu.EncodingAESKey, bare, fsu.SuiteID); code != 200 || body != "success" {
		t.Fatalf("change_auth without AuthCorpId: %d %q", code, body)
	}
	if !strings.Contains(e.logs.String(), "change_auth without AuthCorpId") {
		t.Fatalf("no warning for change_auth without AuthCorpId:\n%s", e.logs.String())
	}
}

// TestSuiteMalformedPushesAcknowledged: a create_auth without AuthCode or a
// cancel_auth without AuthCorpId can never be handled, so refusing it would
// only make the platform push it again forever: it is acknowledged, the log
// says what was missing, and nothing stored changes.
func TestSuiteMalformedPushesAcknowledged(t *testing.T) {
	data := t.TempDir()
	e := start(t, func(c *server.Config) { c.DataDir = data })
	fsu := e.emu.Emulator().Fixture().Suites[0]
	cb := e.srv.URL() + "/suite/suite/callback"
	for _, tc := range []struct{ infoType, logs string }{
		{"create_auth", "create_auth without AuthCode"},
		{"reset_permanent_code", "reset_permanent_code without AuthCode"},
		{"cancel_auth", "cancel_auth without AuthCorpId"},
	} {
		push := fmt.Sprintf(`<xml><SuiteId><![CDATA[%s]]></SuiteId><InfoType><![CDATA[%s]]></InfoType><TimeStamp>%d</TimeStamp></xml>`,
			fsu.SuiteID, tc.infoType, time.Now().Unix())
		if code, body := suitePost(t, cb, fsu.Token, fsu.EncodingAESKey, push, fsu.SuiteID); code != 200 || body != "success" {
			t.Fatalf("%s with nothing to act on: %d %q, want 200 success", tc.infoType, code, body)
		}
		if !strings.Contains(e.logs.String(), tc.logs) {
			t.Fatalf("no log saying %q:\n%s", tc.logs, e.logs.String())
		}
	}
	st, err := suite.Open(data, fsu.SuiteID)
	if err != nil {
		t.Fatal(err)
	}
	if state, err := st.Load(); err != nil || len(state.Corps) != 0 {
		t.Fatalf("after the malformed pushes: %v, corps %v; want none stored", err, state)
	}
}
