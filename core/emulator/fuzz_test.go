package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/wwkit/wwkit/core/emulator"
)

// lockedBuffer collects log output from concurrent handlers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serve runs one request through the handler from a loopback address.
func serve(h http.Handler, method, target string, body []byte, ctype string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "http://127.0.0.1:8787/", bytes.NewReader(body))
	if u, err := url.ParseRequestURI(target); err == nil {
		req.URL = u
	}
	req.RemoteAddr = "127.0.0.1:12345"
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// fuzzPaths are the emulated endpoints the fuzzer aims at.
var fuzzPaths = []string{
	"/wecom/cgi-bin/gettoken", "/wecom/cgi-bin/get_jsapi_ticket", "/wecom/cgi-bin/ticket/get",
	"/wecom/cgi-bin/auth/getuserinfo", "/wecom/cgi-bin/user/getuserinfo", "/wecom/cgi-bin/user/get",
	"/wecom/cgi-bin/message/send", "/wecom/cgi-bin/media/upload", "/wecom/cgi-bin/media/get",
	"/wecom/cgi-bin/menu/create", "/wecom/cgi-bin/menu/get", "/wecom/cgi-bin/menu/delete",
	"/wecom/connect/oauth2/authorize", "/wecom/cgi-bin/message/recall", "/mp/cgi-bin/token", "/mp/cgi-bin/stable_token", "/mp/cgi-bin/ticket/getticket",
	"/mp/sns/oauth2/access_token", "/mp/sns/oauth2/refresh_token", "/mp/sns/userinfo",
	"/mp/cgi-bin/qrcode/create", "/mp/cgi-bin/showqrcode", "/mp/cgi-bin/message/template/send",
	"/mp/cgi-bin/message/custom/send", "/mp/cgi-bin/menu/create", "/mp/cgi-bin/user/info", "/mp/cgi-bin/user/get",
	"/mp/cgi-bin/tags/create", "/mp/cgi-bin/tags/update", "/mp/cgi-bin/tags/delete",
	"/mp/cgi-bin/tags/members/batchtagging", "/mp/cgi-bin/tags/getidlist", "/mp/cgi-bin/user/tag/get",
	"/mp/connect/oauth2/authorize", "/__emulator/jssdk/verify", "/__emulator/oauth/code",
	"/__emulator/qrcode/scan",
	"/wecom/cgi-bin/user/simplelist", "/wecom/cgi-bin/user/list", "/wecom/cgi-bin/user/create",
	"/wecom/cgi-bin/user/update", "/wecom/cgi-bin/user/delete", "/wecom/cgi-bin/user/getuserid",
	"/wecom/cgi-bin/user/get_userid_by_email", "/wecom/cgi-bin/department/list", "/wecom/cgi-bin/department/get",
	"/wecom/cgi-bin/department/create", "/wecom/cgi-bin/department/update", "/wecom/cgi-bin/department/delete",
	"/wecom/cgi-bin/auth/getuserdetail", "/wecom/cgi-bin/tag/list", "/wecom/cgi-bin/tag/get",
	"/wecom/cgi-bin/tag/addtagusers", "/wecom/cgi-bin/tag/deltagusers",
	"/wecom/cgi-bin/message/update_template_card", "/wecom/cgi-bin/webhook/send", "/wecom/cgi-bin/webhook/upload_media",
	"/wecom/cgi-bin/appchat/create", "/wecom/cgi-bin/appchat/update", "/wecom/cgi-bin/appchat/get", "/wecom/cgi-bin/appchat/send",
	// The provider platform; SUITETOKEN is a valid suite_access_token.
	"/wecom/cgi-bin/service/get_suite_token", "/wecom/cgi-bin/service/get_pre_auth_code",
	"/wecom/cgi-bin/service/set_session_info", "/wecom/cgi-bin/service/get_permanent_code",
	"/wecom/cgi-bin/service/get_auth_info", "/wecom/cgi-bin/service/get_corp_token",
	"/wecom/cgi-bin/service/auth/getuserinfo3rd",
	// /__emulator/faults and /clock are left out on purpose: a fuzzed delay
	// fault would stall the run and a clock jump would expire the tokens.
	// So are /__emulator/suite/*: they push to a callback URL (a fuzzed
	// "url" could be any host).
}

// FuzzServeHTTP sends arbitrary queries and bodies to every endpoint, with a
// valid token substituted for TOKEN. Properties: no handler panics (the
// recover middleware would log it), no HTTP 500, and every JSON answer
// parses.
func FuzzServeHTTP(f *testing.F) {
	seeds := []struct {
		query, body string
	}{
		{"access_token=TOKEN&agentid=1000002", `{"touser":"zhangsan","msgtype":"text","agentid":1000002,"text":{"content":"hi"}}`},
		{"access_token=TOKEN", `{"button":[{"type":"click","name":"a","key":"k","sub_button":[{"name":"x"}]}]}`},
		{"access_token=TOKEN", `{"action_name":"QR_LIMIT_SCENE","action_info":{"scene":{"scene_id":-5}}}`},
		{"access_token=TOKEN&type=image&media_id=x", "--b\r\nContent-Disposition: form-data; name=\"media\"; filename=\"a\"\r\n\r\nxxxxxxx\r\n--b--\r\n"},
		{"appid=APPID&redirect_uri=http%3A%2F%2Fa%2F&response_type=code&scope=snsapi_base&userid=zhangsan", ""},
		{"", `{"api":"agentConfig","corpid":"x","agentid":{},"timestamp":[1],"url":"http://a/#"}`},
		{"access_token=TOKEN", `{"tag":{"id":1e99,"name":"\u0000"}}`},
		{"access_token=%zz;;&&==", "\xff\xfe"},
		{"access_token=TOKEN", `{"seconds":-1}`},
		{"access_token=TOKEN&department_id=1&fetch_child=1&id=2", `{"userid":"zhouba","name":"周八","mobile":"13800000008","department":[2,99]}`},
		{"access_token=TOKEN&id=1", `{"id":4,"name":"a\\b","parentid":4,"order":-1}`},
		{"access_token=TOKEN&tagid=1", `{"tagid":1,"userlist":["lisi","x"],"partylist":[3,-1]}`},
		{"key=ROBOTKEY&type=file", `{"msgtype":"image","image":{"base64":"iVBORw0KGgo=","md5":"x"}}`},
		{"key=ROBOTKEY", `{"msgtype":"text","text":{"content":"hi","mentioned_list":"zhangsan"}}`},
		{"access_token=TOKEN&chatid=c1", `{"chatid":"c1","name":"群","owner":"lisi","userlist":["zhangsan","lisi"],"add_user_list":["x"],"msgtype":"text","text":{"content":"x"}}`},
		{"access_token=TOKEN", `{"agentid":1000002,"response_code":"x","atall":1,"button":{"replace_name":"y"},"partyids":[1e30]}`},
		{"suite_access_token=SUITETOKEN", `{"pre_auth_code":"x","session_info":{"appid":[1e99],"auth_type":-1}}`},
		{"suite_access_token=SUITETOKEN", `{"auth_corpid":"","permanent_code":[]}`},
		{"suite_access_token=SUITETOKEN&code=x", `{"auth_code":null}`},
		{"", `{"suite_id":{},"suite_secret":"x","suite_ticket":"\u0000"}`},
	}
	for i, s := range seeds {
		for _, p := range []int{i, i * 3, i*7 + 1} {
			f.Add(uint8(p%len(fuzzPaths)), uint8(i%2), s.query, []byte(s.body))
		}
	}
	var logs lockedBuffer
	emu, err := emulator.New(emulator.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelError}))))
	if err != nil {
		f.Fatal(err)
	}
	fx := emu.Fixture()
	tokens := map[string]string{}
	for _, p := range []struct{ prefix, target string }{
		{"/wecom/", "/wecom/cgi-bin/gettoken?" + url.Values{"corpid": {fx.WeCom.CorpID}, "corpsecret": {fx.WeCom.Apps[0].Secret}}.Encode()},
		{"/mp/", "/mp/cgi-bin/token?" + url.Values{"grant_type": {"client_credential"}, "appid": {fx.MP.AppID}, "secret": {fx.MP.AppSecret}}.Encode()},
	} {
		var r struct {
			AccessToken string `json:"access_token"`
		}
		json.Unmarshal(serve(emu, http.MethodGet, p.target, nil, "").Body.Bytes(), &r)
		tokens[p.prefix] = r.AccessToken
	}
	// A suite_access_token: a ticket is issued (the push itself goes to a
	// closed port) and exchanged.
	su := fx.Suites[0]
	push, err := emu.PushSuiteTicket(context.Background(), "", "http://127.0.0.1:1/")
	if err != nil {
		f.Fatal(err)
	}
	var st struct {
		SuiteAccessToken string `json:"suite_access_token"`
	}
	stBody, _ := json.Marshal(map[string]string{"suite_id": su.SuiteID, "suite_secret": su.Secret, "suite_ticket": push.SuiteTicket})
	json.Unmarshal(serve(emu, http.MethodPost, "/wecom/cgi-bin/service/get_suite_token", stBody, "application/json").Body.Bytes(), &st)
	if st.SuiteAccessToken == "" {
		f.Fatal("no suite_access_token for the fuzz seeds")
	}
	f.Fuzz(func(t *testing.T, pathIdx, methodIdx uint8, query string, body []byte) {
		path := fuzzPaths[int(pathIdx)%len(fuzzPaths)]
		prefix := "/mp/"
		if strings.HasPrefix(path, "/wecom/") {
			prefix = "/wecom/"
		}
		query = strings.ReplaceAll(query, "SUITETOKEN", url.QueryEscape(st.SuiteAccessToken))
		query = strings.ReplaceAll(query, "TOKEN", url.QueryEscape(tokens[prefix]))
		query = strings.ReplaceAll(query, "APPID", fx.WeCom.CorpID)
		query = strings.ReplaceAll(query, "ROBOTKEY", fx.WeCom.Robots[0].Key)
		method := []string{http.MethodGet, http.MethodPost}[methodIdx%2]
		ctype := "application/json"
		if strings.HasPrefix(string(body), "--b") {
			ctype = "multipart/form-data; boundary=b"
		}
		rec := serve(emu, method, path+"?"+query, body, ctype)
		if rec.Code == http.StatusInternalServerError {
			t.Fatalf("%s %s?%s: HTTP 500: %s", method, path, query, rec.Body.String())
		}
		if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %s: invalid JSON answer %q", method, path, rec.Body.String())
		}
		if strings.Contains(logs.String(), "panic") {
			t.Fatalf("%s %s?%s with %q: handler panicked: %s", method, path, query, body, logs.String())
		}
	})
}

// BenchmarkGetToken measures a cached gettoken through the handler.
func BenchmarkGetToken(b *testing.B) {
	emu, err := emulator.New(emulator.WithRateLimit("/wecom/cgi-bin/gettoken", 0, 0))
	if err != nil {
		b.Fatal(err)
	}
	fx := emu.Fixture()
	target := "/wecom/cgi-bin/gettoken?" + url.Values{"corpid": {fx.WeCom.CorpID}, "corpsecret": {fx.WeCom.Apps[0].Secret}}.Encode()
	b.ReportAllocs()
	for b.Loop() {
		if rec := serve(emu, http.MethodGet, target, nil, ""); rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkMessageSend measures message/send to two users, one invalid.
func BenchmarkMessageSend(b *testing.B) {
	emu, err := emulator.New()
	if err != nil {
		b.Fatal(err)
	}
	fx := emu.Fixture()
	var tk struct {
		AccessToken string `json:"access_token"`
	}
	json.Unmarshal(serve(emu, http.MethodGet, "/wecom/cgi-bin/gettoken?"+url.Values{"corpid": {fx.WeCom.CorpID}, "corpsecret": {fx.WeCom.Apps[0].Secret}}.Encode(), nil, "").Body.Bytes(), &tk)
	target := "/wecom/cgi-bin/message/send?access_token=" + url.QueryEscape(tk.AccessToken)
	body := []byte(`{"touser":"zhangsan|nobody","msgtype":"text","agentid":1000002,"text":{"content":"你好"}}`)
	b.ReportAllocs()
	for b.Loop() {
		if rec := serve(emu, http.MethodPost, target, body, "application/json"); rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}

// TestConcurrentCallsShareOneToken hammers the emulator from many
// goroutines: WeCom hands every caller the same token, and the race detector
// watches the shared state.
func TestConcurrentCallsShareOneToken(t *testing.T) {
	emu, err := emulator.New()
	if err != nil {
		t.Fatal(err)
	}
	fx := emu.Fixture()
	target := "/wecom/cgi-bin/gettoken?" + url.Values{"corpid": {fx.WeCom.CorpID}, "corpsecret": {fx.WeCom.Apps[0].Secret}}.Encode()
	var wg sync.WaitGroup
	got := make([]string, 16)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var r struct {
				AccessToken string `json:"access_token"`
			}
			json.Unmarshal(serve(emu, http.MethodGet, target, nil, "").Body.Bytes(), &r)
			got[i] = r.AccessToken
			q := "?access_token=" + url.QueryEscape(r.AccessToken)
			serve(emu, http.MethodGet, "/wecom/cgi-bin/get_jsapi_ticket"+q, nil, "")
			serve(emu, http.MethodPost, "/wecom/cgi-bin/message/send"+q, []byte(`{"touser":"lisi","msgtype":"text","agentid":1000002,"text":{"content":"x"}}`), "application/json")
			serve(emu, http.MethodGet, "/__emulator/state", nil, "")
			emu.Advance(0)
		}()
	}
	wg.Wait()
	for _, g := range got {
		if g == "" || g != got[0] {
			t.Fatalf("tokens differ or are empty: %q vs %q", g, got[0])
		}
	}
	if n := len(emu.Outbox()); n != len(got) {
		t.Fatalf("outbox has %d messages, want %d", n, len(got))
	}
	if c := emu.Stats()["/wecom/cgi-bin/gettoken"]; c != len(got) {
		t.Fatalf("stats counted %d gettoken calls, want %d", c, len(got))
	}
}

// TestRequestLogHasNoSecrets: the request log names path, status and
// errcode, never the query with its secrets and tokens.
func TestRequestLogHasNoSecrets(t *testing.T) {
	var logs lockedBuffer
	emu, err := emulator.New(emulator.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	fx := emu.Fixture()
	rec := serve(emu, http.MethodGet, "/wecom/cgi-bin/gettoken?"+url.Values{"corpid": {fx.WeCom.CorpID}, "corpsecret": {fx.WeCom.Apps[0].Secret}}.Encode(), nil, "")
	var r struct {
		AccessToken string `json:"access_token"`
	}
	json.Unmarshal(rec.Body.Bytes(), &r)
	serve(emu, http.MethodGet, "/wecom/cgi-bin/user/get?access_token="+url.QueryEscape(r.AccessToken)+"&userid=nobody", nil, "")
	out := logs.String()
	if !strings.Contains(out, "path=/wecom/cgi-bin/gettoken") || !strings.Contains(out, "errcode=60111") {
		t.Fatalf("request log lacks path or errcode:\n%s", out)
	}
	for _, secret := range []string{fx.WeCom.Apps[0].Secret, r.AccessToken} {
		if secret == "" || strings.Contains(out, secret) {
			t.Fatalf("the log contains a secret or token (or none was issued):\n%s", out)
		}
	}
}
