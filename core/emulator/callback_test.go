package emulator_test

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/jssdk"
	"github.com/wwkit/wwkit/core/message"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// callbackApp is a minimal callback server written with core/wxcrypt and
// core/message, the way a wwkit user writes one: it verifies, decrypts,
// records the message and answers an encrypted text reply "收到: <content>".
type callbackApp struct {
	t     *testing.T
	crypt *wxcrypt.Crypt
	token string
	mp    bool
	quiet bool // decryption failures are expected (wrong key on purpose)
	mu    sync.Mutex
	got   []*message.Message
	query []url.Values
}

func (a *callbackApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	a.mu.Lock()
	a.query = append(a.query, q)
	a.mu.Unlock()
	if r.Method == http.MethodGet { // URL verification
		if a.mp {
			if plainSig(a.token, q.Get("timestamp"), q.Get("nonce")) != q.Get("signature") {
				http.Error(w, "bad signature", http.StatusForbidden)
				return
			}
			io.WriteString(w, q.Get("echostr"))
			return
		}
		echo, err := a.crypt.VerifyURL(q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce"), q.Get("echostr"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		w.Write(echo)
		return
	}
	body, _ := io.ReadAll(r.Body)
	if a.mp && plainSig(a.token, q.Get("timestamp"), q.Get("nonce")) != q.Get("signature") {
		http.Error(w, "bad signature", http.StatusForbidden)
		return
	}
	plain, err := a.crypt.DecryptBody(q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce"), body)
	if err != nil {
		if !a.quiet {
			a.t.Errorf("callback app: decrypt: %v", err)
		}
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	m, err := message.Parse(plain)
	if err != nil {
		a.t.Errorf("callback app: parse: %v", err)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	a.mu.Lock()
	a.got = append(a.got, m)
	a.mu.Unlock()
	content := m.Event
	if tm, ok := m.Body.(*message.Text); ok {
		content = tm.Content
	}
	reply := message.NewTextReply(m.FromUserName, m.ToUserName, time.Now().Unix(), "收到: "+content)
	env, err := a.crypt.EncryptReply(reply, q.Get("timestamp"), q.Get("nonce"))
	if err != nil {
		a.t.Errorf("callback app: encrypt reply: %v", err)
		return
	}
	w.Write(env)
}

func plainSig(token, ts, nonce string) string {
	s := []string{token, ts, nonce}
	sort.Strings(s)
	sum := sha1.Sum([]byte(strings.Join(s, "")))
	return hex.EncodeToString(sum[:])
}

func newCallbackApp(t *testing.T, token, key, receiveID string, mp bool) (*callbackApp, string) {
	c, err := wxcrypt.New(token, key, receiveID)
	if err != nil {
		t.Fatal(err)
	}
	a := &callbackApp{t: t, crypt: c, token: token, mp: mp}
	srv := httptest.NewServer(a)
	t.Cleanup(srv.Close)
	return a, srv.URL + "/callback"
}

func TestCallbackPushWeCom(t *testing.T) {
	fx := emulator.DefaultFixture()
	app := fx.WeCom.Apps[0]
	cb, u := newCallbackApp(t, app.Token, app.EncodingAESKey, fx.WeCom.CorpID, false)
	fx.WeCom.Apps[0].CallbackURL = u
	e := start(t, emulator.WithFixture(fx))

	r := e.admin(http.MethodPost, "callbacks", map[string]any{"from": "lisi", "content": "你好 <&>"})
	if r["ok"] != true || r["status"] != float64(200) {
		t.Fatalf("push: %v", r)
	}
	if r.str("replyMsgType") != "text" || r.str("replyContent") != "收到: 你好 <&>" {
		t.Fatalf("decrypted reply: %v", r)
	}
	if len(cb.got) != 1 {
		t.Fatalf("callback app got %d messages", len(cb.got))
	}
	m := cb.got[0]
	if m.FromUserName != "lisi" || m.ToUserName != fx.WeCom.CorpID || m.AgentID != emulator.DefaultAgentID || m.MsgType != "text" || m.MsgID == 0 {
		t.Fatalf("pushed message: %+v", m)
	}
	// An event.
	r = e.admin(http.MethodPost, "callbacks", map[string]any{"event": "click", "eventKey": "MENU_1"})
	if r["ok"] != true || cb.got[1].Event != "click" || cb.got[1].EventKey != "MENU_1" || r.str("replyContent") != "收到: click" {
		t.Fatalf("event push: %v / %+v", r, cb.got[1])
	}
	// URL verification (saving the callback config).
	v := e.admin(http.MethodPost, "callbacks/verify", map[string]any{})
	if v["ok"] != true || v.str("body") != v.str("expected") {
		t.Fatalf("verify: %v", v)
	}
	// An app that answers with a wrong key gives a reply error, not a panic.
	other, u2 := newCallbackApp(t, app.Token, strings.Repeat("A", 43), fx.WeCom.CorpID, false)
	other.quiet = true
	r = e.admin(http.MethodPost, "callbacks", map[string]any{"content": "x", "url": u2})
	if r["ok"] != false {
		t.Fatalf("a callback server with the wrong key must fail: %v", r)
	}
	// Nothing listening: reported, not fatal.
	r = e.admin(http.MethodPost, "callbacks", map[string]any{"content": "x", "url": "http://127.0.0.1:1/cb"})
	if r["ok"] != false || r.str("error") == "" {
		t.Fatalf("unreachable: %v", r)
	}
}

func TestCallbackPushMPAndQRCodeScan(t *testing.T) {
	fx := emulator.DefaultFixture()
	cb, u := newCallbackApp(t, fx.MP.Token, fx.MP.EncodingAESKey, fx.MP.AppID, true)
	fx.MP.CallbackURL = u
	e := start(t, emulator.WithFixture(fx))
	mt := e.mpToken()
	follower := fx.MP.Followers[0].OpenID

	// Customer-service messages need an interaction in the last 48 h.
	cs := map[string]any{"touser": follower, "msgtype": "text", "text": map[string]any{"content": "客服消息"}}
	wantCode(t, "custom/send without interaction", e.post("/mp/cgi-bin/message/custom/send", tok(mt), cs), 45015)
	r := e.admin(http.MethodPost, "callbacks", map[string]any{"platform": "mp", "from": follower, "content": "hi"})
	if r["ok"] != true || r.str("replyContent") != "收到: hi" {
		t.Fatalf("mp push: %v", r)
	}
	q := cb.query[len(cb.query)-1]
	if q.Get("encrypt_type") != "aes" || q.Get("openid") != follower || q.Get("msg_signature") == "" {
		t.Fatalf("mp query: %v", q)
	}
	wantCode(t, "custom/send after interaction", e.post("/mp/cgi-bin/message/custom/send", tok(mt), cs), 0)
	e.advance(49 * time.Hour)
	mt = e.mpToken()
	wantCode(t, "custom/send after 48 h", e.post("/mp/cgi-bin/message/custom/send", tok(mt), cs), 45015)

	// Parametric QR code: create, show, scan by a non-follower → subscribe.
	qr := e.post("/mp/cgi-bin/qrcode/create", tok(mt), map[string]any{"expire_seconds": 600, "action_name": "QR_STR_SCENE",
		"action_info": map[string]any{"scene": map[string]any{"scene_str": "shop-7"}}})
	if qr.str("ticket") == "" || qr["expire_seconds"] != float64(600) || qr.str("url") == "" {
		t.Fatalf("qrcode/create: %v", qr)
	}
	res, png := e.do(http.MethodGet, "/mp/cgi-bin/showqrcode", url.Values{"ticket": {qr.str("ticket")}}, nil, "")
	if res.StatusCode != 200 || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Fatalf("showqrcode: %d %q", res.StatusCode, png[:min(8, len(png))])
	}
	var stranger string
	for _, f := range fx.MP.Followers {
		if !f.Subscribed {
			stranger = f.OpenID
		}
	}
	r = e.admin(http.MethodPost, "qrcode/scan", map[string]any{"ticket": qr.str("ticket"), "openid": stranger})
	last := cb.got[len(cb.got)-1]
	sub, ok := last.Body.(*message.Subscribe)
	if r["ok"] != true || last.Event != "subscribe" || !ok || last.EventKey != "qrscene_shop-7" || sub.Ticket != qr.str("ticket") {
		t.Fatalf("scan by a non-follower: %v / %+v", r, last)
	}
	// Now a follower: a second scan (by the code's content this time) is
	// SCAN without the prefix.
	e.admin(http.MethodPost, "qrcode/scan", map[string]any{"url": qr.str("url"), "openid": stranger})
	last = cb.got[len(cb.got)-1]
	if last.Event != "SCAN" || last.EventKey != "shop-7" {
		t.Fatalf("scan by a follower: %+v", last)
	}
	info := e.get("/mp/cgi-bin/user/info", url.Values{"access_token": {mt}, "openid": {stranger}})
	if info["subscribe"] != float64(1) {
		t.Fatalf("after subscribe, user/info: %v", info)
	}
	// Expired codes: 404 image, scan refused.
	e.advance(601 * time.Second)
	res, _ = e.do(http.MethodGet, "/mp/cgi-bin/showqrcode", url.Values{"ticket": {qr.str("ticket")}}, nil, "")
	if res.StatusCode != 404 {
		t.Fatalf("expired showqrcode: %d", res.StatusCode)
	}
	// MP URL verification echoes echostr.
	if v := e.admin(http.MethodPost, "callbacks/verify", map[string]any{"platform": "mp"}); v["ok"] != true {
		t.Fatalf("mp verify: %v", v)
	}
}

func TestJSSDKVerify(t *testing.T) {
	fx := emulator.DefaultFixture()
	fx.WeCom.Apps[0].TrustedDomains = []string{"h5.example.com"}
	e := start(t, emulator.WithFixture(fx))
	wt := e.wecomToken()
	corpTicket := e.get("/wecom/cgi-bin/get_jsapi_ticket", tok(wt)).str("ticket")
	agentTicket := e.get("/wecom/cgi-bin/ticket/get", with(tok(wt), "type", "agent_config")).str("ticket")
	mpTicket := e.get("/mp/cgi-bin/ticket/getticket", with(tok(e.mpToken()), "type", "jsapi")).str("ticket")
	if corpTicket == "" || agentTicket == "" || mpTicket == "" || corpTicket == agentTicket {
		t.Fatalf("tickets: %q %q %q", corpTicket, agentTicket, mpTicket)
	}
	page := "https://h5.example.com/app/index.html?from=singlemessage"
	ts := int64(1767323045)
	sig := func(ticket, u string) string { return jssdk.Sign(ticket, "n0nce", ts, u) }
	tests := []struct {
		name string
		req  map[string]any
		want string
	}{
		{"config ok", map[string]any{"appId": fx.WeCom.CorpID, "url": page + "#/home", "timestamp": ts, "nonceStr": "n0nce", "signature": sig(corpTicket, page)}, "config:ok"},
		{"string timestamp", map[string]any{"appId": fx.WeCom.CorpID, "url": page, "timestamp": fmt.Sprint(ts), "nonceStr": "n0nce", "signature": sig(corpTicket, page)}, "config:ok"},
		{"agentConfig ok", map[string]any{"api": "agentConfig", "corpid": fx.WeCom.CorpID, "agentid": fmt.Sprint(emulator.DefaultAgentID), "url": page, "timestamp": ts, "nonceStr": "n0nce", "signature": sig(agentTicket, page)}, "agentConfig:ok"},
		{"agentConfig with corp ticket", map[string]any{"api": "agentConfig", "corpid": fx.WeCom.CorpID, "agentid": emulator.DefaultAgentID, "url": page, "timestamp": ts, "nonceStr": "n0nce", "signature": sig(corpTicket, page)}, "agentConfig:fail_ticket no available more info at https://open.work.weixin.qq.com/devtool/query?e=42012"},
		{"config with agent ticket", map[string]any{"appId": fx.WeCom.CorpID, "url": page, "timestamp": ts, "nonceStr": "n0nce", "signature": sig(agentTicket, page)}, "config:invalid signature"},
		{"wrong nonce", map[string]any{"appId": fx.WeCom.CorpID, "url": page, "timestamp": ts, "nonceStr": "other", "signature": sig(corpTicket, page)}, "config:invalid signature"},
		{"untrusted domain", map[string]any{"appId": fx.WeCom.CorpID, "url": "https://evil.example.net/", "timestamp": ts, "nonceStr": "n0nce", "signature": sig(corpTicket, "https://evil.example.net/")}, "config:not match any reliable domain. more info at https://open.work.weixin.qq.com/devtool/query?e=80001"},
		{"mp config ok", map[string]any{"appId": fx.MP.AppID, "url": page, "timestamp": ts, "nonceStr": "n0nce", "signature": sig(mpTicket, page)}, "config:ok"},
		{"mp unknown appid", map[string]any{"appId": "wx0000000000000000", "url": page, "timestamp": ts, "nonceStr": "n0nce", "signature": sig(mpTicket, page)}, "config:fail,Error: 系统错误,错误码:40013,invalid appid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.admin(http.MethodPost, "jssdk/verify", tt.req)
			if r.str("errMsg") != tt.want || (r["ok"] == true) != strings.HasSuffix(tt.want, ":ok") {
				t.Fatalf("errMsg %q (ok %v, reason %q), want %q", r.str("errMsg"), r["ok"], r.str("reason"), tt.want)
			}
		})
	}
	// The signature of a URL with its fragment gets a pointed reason.
	r := e.admin(http.MethodPost, "jssdk/verify", map[string]any{"appId": fx.WeCom.CorpID, "url": page + "#x", "timestamp": ts, "nonceStr": "n0nce",
		"signature": rawSig(corpTicket, "n0nce", ts, page+"#x")})
	if r.str("errMsg") != "config:invalid signature" || !strings.Contains(r.str("reason"), "fragment") {
		t.Fatalf("fragment hint: %v", r)
	}
	// Tickets expire with the clock.
	e.advance(7201 * time.Second)
	r = e.admin(http.MethodPost, "jssdk/verify", tests[0].req)
	if r.str("errMsg") != "config:invalid signature" {
		t.Fatalf("expired ticket: %v", r)
	}
}

func rawSig(ticket, nonce string, ts int64, u string) string {
	sum := sha1.Sum([]byte(fmt.Sprintf("jsapi_ticket=%s&noncestr=%s&timestamp=%d&url=%s", ticket, nonce, ts, u)))
	return hex.EncodeToString(sum[:])
}

func TestMPUsersTagsTemplatesMenus(t *testing.T) {
	fx := emulator.DefaultFixture()
	fx.MP.PageSize = 2
	e := start(t, emulator.WithFixture(fx))
	mt := e.mpToken()
	var subscribed []string
	for _, f := range fx.MP.Followers {
		if f.Subscribed {
			subscribed = append(subscribed, f.OpenID)
		}
	}
	// Paging with next_openid.
	var seen []string
	next := ""
	for i := 0; i < 10; i++ {
		r := e.get("/mp/cgi-bin/user/get", url.Values{"access_token": {mt}, "next_openid": {next}})
		if r["total"] != float64(len(subscribed)) {
			t.Fatalf("total %v, want %d", r["total"], len(subscribed))
		}
		if r["count"] == float64(0) {
			break
		}
		for _, id := range r["data"].(map[string]any)["openid"].([]any) {
			seen = append(seen, id.(string))
		}
		next = r.str("next_openid")
	}
	if strings.Join(seen, ",") != strings.Join(subscribed, ",") {
		t.Fatalf("paging gave %v, want %v", seen, subscribed)
	}
	// Tags.
	created := e.post("/mp/cgi-bin/tags/create", tok(mt), map[string]any{"tag": map[string]any{"name": "新标签"}})
	tag, _ := created["tag"].(map[string]any)
	if tag == nil || tag["id"].(float64) < 100 {
		t.Fatalf("tags/create: %v", created)
	}
	wantCode(t, "duplicate tag", e.post("/mp/cgi-bin/tags/create", tok(mt), map[string]any{"tag": map[string]any{"name": "新标签"}}), 45157)
	wantCode(t, "tagging", e.post("/mp/cgi-bin/tags/members/batchtagging", tok(mt), map[string]any{"openid_list": subscribed[:2], "tagid": tag["id"]}), 0)
	ids := e.post("/mp/cgi-bin/tags/getidlist", tok(mt), map[string]any{"openid": subscribed[0]})
	if !strings.Contains(fmt.Sprint(ids["tagid_list"]), fmt.Sprint(tag["id"])) {
		t.Fatalf("getidlist: %v", ids)
	}
	members := e.post("/mp/cgi-bin/user/tag/get", tok(mt), map[string]any{"tagid": tag["id"]})
	if members["count"] != float64(2) {
		t.Fatalf("user/tag/get: %v", members)
	}
	wantCode(t, "reserved tag", e.post("/mp/cgi-bin/tags/delete", tok(mt), map[string]any{"tag": map[string]any{"id": 2}}), 45058)
	wantCode(t, "delete tag", e.post("/mp/cgi-bin/tags/delete", tok(mt), map[string]any{"tag": map[string]any{"id": tag["id"]}}), 0)
	if got := e.get("/mp/cgi-bin/tags/get", tok(mt)); strings.Contains(fmt.Sprint(got), "新标签") {
		t.Fatalf("deleted tag still listed: %v", got)
	}
	// Template messages.
	tpl := map[string]any{"touser": subscribed[0], "template_id": fx.MP.Templates[0].ID, "data": map[string]any{"first": map[string]any{"value": "您好"}}}
	r := e.post("/mp/cgi-bin/message/template/send", tok(mt), tpl)
	if r.code() != 0 || r["msgid"] == nil {
		t.Fatalf("template/send: %v", r)
	}
	tpl["template_id"] = "nope"
	wantCode(t, "unknown template", e.post("/mp/cgi-bin/message/template/send", tok(mt), tpl), 40037)
	tpl["touser"], tpl["template_id"] = "onot-a-follower", fx.MP.Templates[0].ID
	wantCode(t, "unknown openid", e.post("/mp/cgi-bin/message/template/send", tok(mt), tpl), 40003)
	// Menus, MP and WeCom.
	menu := map[string]any{"button": []any{
		map[string]any{"type": "click", "name": "今日歌曲", "key": "V1001_TODAY_MUSIC"},
		map[string]any{"name": "菜单", "sub_button": []any{map[string]any{"type": "view", "name": "搜索", "url": "https://www.soso.com/"}}},
	}}
	wantCode(t, "mp menu get before create", e.get("/mp/cgi-bin/menu/get", tok(mt)), 46003)
	wantCode(t, "mp menu create", e.post("/mp/cgi-bin/menu/create", tok(mt), menu), 0)
	got := e.get("/mp/cgi-bin/menu/get", tok(mt))
	if !strings.Contains(fmt.Sprint(got["menu"]), "V1001_TODAY_MUSIC") {
		t.Fatalf("mp menu/get: %v", got)
	}
	wt := e.wecomToken()
	aq := with(tok(wt), "agentid", fmt.Sprint(emulator.DefaultAgentID))
	wantCode(t, "wecom menu create", e.post("/wecom/cgi-bin/menu/create", aq, menu), 0)
	if got := e.get("/wecom/cgi-bin/menu/get", aq); got.code() != 0 || !strings.Contains(fmt.Sprint(got["button"]), "搜索") {
		t.Fatalf("wecom menu/get: %v", got)
	}
	wantCode(t, "wecom menu delete", e.get("/wecom/cgi-bin/menu/delete", aq), 0)
	wantCode(t, "wecom menu after delete", e.get("/wecom/cgi-bin/menu/get", aq), 46003)
	four := map[string]any{"button": []any{menu["button"].([]any)[0], menu["button"].([]any)[0], menu["button"].([]any)[0], menu["button"].([]any)[0]}}
	wantCode(t, "four buttons", e.post("/wecom/cgi-bin/menu/create", aq, four), 40016)
	wantCode(t, "missing agentid", e.post("/wecom/cgi-bin/menu/create", tok(wt), menu), 41011)
	if ip := e.get("/mp/cgi-bin/getcallbackip", tok(mt)); ip["ip_list"] == nil {
		t.Fatalf("getcallbackip: %v", ip)
	}
}

func TestPersistenceAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	e1, err := emulator.Start("127.0.0.1:0", emulator.WithDataDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	env1 := &env{t: t, srv: e1, fx: e1.Emulator().Fixture(), hc: http.DefaultClient}
	tk := env1.wecomToken()
	up := upload(env1, "/wecom/cgi-bin/media/upload", with(tok(tk), "type", "file"), "media", "a.txt", []byte("persisted media"))
	env1.post("/wecom/cgi-bin/message/send", tok(tk), map[string]any{"touser": "zhangsan", "msgtype": "text", "agentid": emulator.DefaultAgentID, "text": map[string]any{"content": "hi"}})
	if err := e1.Close(); err != nil {
		t.Fatal(err)
	}
	stateFile, err := os.ReadFile(dir + "/state.json")
	if err != nil {
		t.Fatalf("no state file: %v", err)
	}
	if strings.Contains(string(stateFile), "persisted media") || strings.Contains(string(stateFile), "cGVyc2lzdGVkIG1lZGlh") {
		t.Fatal("media bytes belong in dir/media, not in state.json (it is rewritten on every change)")
	}
	e2, err := emulator.Start("127.0.0.1:0", emulator.WithDataDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	env2 := &env{t: t, srv: e2, fx: e2.Emulator().Fixture(), hc: http.DefaultClient}
	if again := env2.wecomToken(); again != tk {
		t.Fatal("the token did not survive a restart")
	}
	_, body := env2.do(http.MethodGet, "/wecom/cgi-bin/media/get", with(tok(tk), "media_id", up.str("media_id")), nil, "")
	if string(body) != "persisted media" {
		t.Fatalf("media after restart: %q", body)
	}
	if n := len(e2.Emulator().Outbox()); n != 1 {
		t.Fatalf("outbox after restart has %d messages", n)
	}
	// A corrupt state file is refused with a pointed error.
	bad := t.TempDir()
	os.WriteFile(bad+"/state.json", []byte("not json"), 0o600)
	if _, err := emulator.New(emulator.WithDataDir(bad)); err == nil || !strings.Contains(err.Error(), "state file") {
		t.Fatalf("corrupt state: %v", err)
	}
}

func TestAdminIsLoopbackOnly(t *testing.T) {
	emu, err := emulator.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"203.0.113.9:5555", "[2001:db8::1]:80", "garbage"} {
		req := httptest.NewRequest(http.MethodGet, "/__emulator/state", nil)
		req.RemoteAddr = addr
		rec := httptest.NewRecorder()
		emu.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("admin from %s: %d", addr, rec.Code)
		}
	}
	// DNS rebinding: loopback peer, foreign Host.
	req := httptest.NewRequest(http.MethodGet, "http://evil.example/__emulator/state", nil)
	req.RemoteAddr = "127.0.0.1:40000"
	rec := httptest.NewRecorder()
	emu.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Errorf("admin with Host evil.example: %d", rec.Code)
	}
	// Cross-site "simple" POSTs (no JSON content type) are refused.
	req = httptest.NewRequest(http.MethodPost, "http://localhost:8787/__emulator/faults", strings.NewReader(`{"path":"/wecom/cgi-bin/gettoken","errcode":-1}`))
	req.RemoteAddr = "127.0.0.1:40000"
	req.Header.Set("Content-Type", "text/plain")
	rec = httptest.NewRecorder()
	emu.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain admin POST: %d", rec.Code)
	}
	// jssdk/verify answers CORS preflights for the H5 debug page.
	req = httptest.NewRequest(http.MethodOptions, "http://127.0.0.1:8787/__emulator/jssdk/verify", nil)
	req.RemoteAddr = "127.0.0.1:40000"
	rec = httptest.NewRecorder()
	emu.ServeHTTP(rec, req)
	if rec.Code != http.StatusNoContent || rec.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("preflight: %d %v", rec.Code, rec.Header())
	}
	req = httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8787/__emulator/state", nil)
	req.RemoteAddr = "127.0.0.1:40000"
	rec = httptest.NewRecorder()
	emu.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"corpId"`) || !strings.Contains(rec.Body.String(), `"encodingAESKey"`) {
		t.Fatalf("state from loopback: %d %s", rec.Code, rec.Body.String()[:min(200, rec.Body.Len())])
	}
}

func TestLoadFixture(t *testing.T) {
	dir := t.TempDir()
	good := dir + "/good.json"
	os.WriteFile(good, []byte(`{"wecom":{"corpId":"ww1234567890abcdef","apps":[{"agentId":5,"name":"x","secret":"s","token":"t","encodingAESKey":"`+strings.Repeat("a", 43)+`","callbackURL":""}],"departments":[],"users":[{"userid":"u1","name":"甲","department":[1]}]},"mp":{"appId":"","appSecret":""}}`), 0o600)
	fx, err := emulator.LoadFixture(good)
	if err != nil || fx.WeCom.Apps[0].AgentID != 5 {
		t.Fatalf("LoadFixture: %v %+v", err, fx)
	}
	cases := map[string]string{
		"unknown field": `{"wecom":{"corpId":"ww1","bogus":1}}`,
		"bad aes key":   `{"wecom":{"corpId":"ww1","apps":[{"agentId":1,"secret":"s","encodingAESKey":"short"}]}}`,
		"dup agent":     `{"wecom":{"corpId":"ww1","apps":[{"agentId":1,"secret":"s"},{"agentId":1,"secret":"t"}]}}`,
		"no corp":       `{"wecom":{}}`,
		"not json":      `{`,
	}
	for name, body := range cases {
		p := dir + "/" + strings.ReplaceAll(name, " ", "_") + ".json"
		os.WriteFile(p, []byte(body), 0o600)
		if _, err := emulator.LoadFixture(p); err == nil || !strings.HasPrefix(err.Error(), "emulator: ") {
			t.Errorf("%s: err %v", name, err)
		}
	}
}

func TestCallbackRetriesResendTheSameMessage(t *testing.T) {
	fx := emulator.DefaultFixture()
	app := fx.WeCom.Apps[0]
	cb, _ := newCallbackApp(t, app.Token, app.EncodingAESKey, fx.WeCom.CorpID, false) // its handler answers behind the flaky front
	var mu sync.Mutex
	var bodies []string
	failures := 2
	flaky := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		fail := len(bodies) <= failures
		mu.Unlock()
		if fail {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		r.Body = io.NopCloser(strings.NewReader(string(b)))
		cb.ServeHTTP(w, r)
	}))
	t.Cleanup(flaky.Close)
	fx.WeCom.Apps[0].CallbackURL = flaky.URL
	e := start(t, emulator.WithFixture(fx))
	r := e.admin(http.MethodPost, "callbacks", map[string]any{"content": "重试", "retries": 3})
	if r["ok"] != true || r["attempts"] != float64(3) || r.str("replyContent") != "收到: 重试" {
		t.Fatalf("retried push: %v", r)
	}
	if len(bodies) != 3 || bodies[0] != bodies[2] {
		t.Fatalf("the retries must resend the same request: %d bodies", len(bodies))
	}
	// Without retries one failure is reported as is.
	mu.Lock()
	bodies, failures = nil, 1
	mu.Unlock()
	r = e.admin(http.MethodPost, "callbacks", map[string]any{"content": "x"})
	if r["ok"] != false || r["attempts"] != float64(1) || r["status"] != float64(503) || r.str("reply") != "" {
		t.Fatalf("single failing attempt: %v", r)
	}
}

func TestMPCustomServiceWindows(t *testing.T) {
	fx := emulator.DefaultFixture()
	fx.MP.EncryptMode = "plain" // 明文模式: the app reads plain XML and answers "success"
	var pushed []string
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		pushed = append(pushed, string(b))
		io.WriteString(w, "success")
	}))
	t.Cleanup(app.Close)
	fx.MP.CallbackURL = app.URL
	e := start(t, emulator.WithFixture(fx))
	mt := e.mpToken()
	openid := fx.MP.Followers[1].OpenID
	cs := map[string]any{"touser": openid, "msgtype": "text", "text": map[string]any{"content": "客服"}}
	send := func() int { return e.post("/mp/cgi-bin/message/custom/send", tok(mt), cs).code() }

	// A menu click opens 3 messages within one minute.
	if r := e.admin(http.MethodPost, "callbacks", map[string]any{"platform": "mp", "from": openid, "event": "CLICK", "eventKey": "K"}); r["ok"] != true {
		t.Fatalf("push: %v", r)
	}
	if !strings.Contains(pushed[0], "<Event><![CDATA[CLICK]]></Event>") || strings.Contains(pushed[0], "<Encrypt>") {
		t.Fatalf("plain-mode push: %s", pushed[0])
	}
	for i := 0; i < 3; i++ {
		if c := send(); c != 0 {
			t.Fatalf("event window send %d: %d", i+1, c)
		}
	}
	if c := send(); c != 45047 {
		t.Fatalf("4th send after an event: %d, want 45047", c)
	}
	e.advance(61 * time.Second)
	if c := send(); c != 45015 {
		t.Fatalf("after the event window: %d, want 45015", c)
	}
	// A message opens 5 within 48 h.
	e.admin(http.MethodPost, "callbacks", map[string]any{"platform": "mp", "from": openid, "content": "在吗"})
	for i := 0; i < 5; i++ {
		if c := send(); c != 0 {
			t.Fatalf("message window send %d: %d", i+1, c)
		}
	}
	if c := send(); c != 45047 {
		t.Fatalf("6th send: %d, want 45047", c)
	}
	if n := len(e.srv.Emulator().Outbox()); n != 8 {
		t.Fatalf("outbox has %d messages, want 8", n)
	}
}

func TestFixtureFileAndMPCompatMode(t *testing.T) {
	fx, err := emulator.LoadFixture("testdata/fixture.json")
	if err != nil {
		t.Fatal(err)
	}
	var got []byte
	var q url.Values
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		q = r.URL.Query()
		// 兼容模式 lets the app answer in plaintext.
		w.Write(message.NewTextReply("oFixtureUser000000000000001", "gh_0123456789ab", 1, "plain reply"))
	}))
	t.Cleanup(app.Close)
	fx.MP.CallbackURL = app.URL
	e := start(t, emulator.WithFixture(fx))
	// Both apps get their own tokens; 127.0.0.1 is in app 1000005's trusted IPs.
	for _, a := range fx.WeCom.Apps {
		r := e.get("/wecom/cgi-bin/gettoken", url.Values{"corpid": {fx.WeCom.CorpID}, "corpsecret": {a.Secret}})
		wantCode(t, a.Name, r, 0)
	}
	r := e.admin(http.MethodPost, "callbacks", map[string]any{"platform": "mp", "content": "兼容"})
	if r["ok"] != true || r.str("replyContent") != "plain reply" {
		t.Fatalf("compat push: %v", r)
	}
	body := string(got)
	if !strings.Contains(body, "<Content><![CDATA[兼容]]></Content>") || !strings.Contains(body, "<Encrypt><![CDATA[") || q.Get("encrypt_type") != "aes" {
		t.Fatalf("compat body must carry plaintext and Encrypt: %s (query %v)", body, q)
	}
	c, err := wxcrypt.New(fx.MP.Token, fx.MP.EncodingAESKey, fx.MP.AppID)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := c.DecryptBody(q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce"), got)
	if err != nil || !strings.Contains(string(plain), "兼容") {
		t.Fatalf("the Encrypt part of a compat body: %v %s", err, plain)
	}
	// The fixture's template ids and domains apply.
	mt := e.mpToken()
	tpl := map[string]any{"touser": "oFixtureUser000000000000001", "template_id": "TPL_ORDER_SHIPPED"}
	wantCode(t, "fixture template", e.post("/mp/cgi-bin/message/template/send", tok(mt), tpl), 0)
	res, _ := e.do(http.MethodGet, "/mp/connect/oauth2/authorize", url.Values{"appid": {fx.MP.AppID}, "redirect_uri": {"https://evil.example.net/"},
		"response_type": {"code"}, "scope": {"snsapi_base"}, "openid": {"oFixtureUser000000000000001"}}, nil, "")
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("redirect outside the MP domains: %d", res.StatusCode)
	}
}
