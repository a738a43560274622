package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wwkit/wwkit/app/suite"
	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
)

// suiteDataDir is a wwkit serve data directory as the server leaves it
// after the emulator's suite_ticket push and the fixture corp's install:
// the ticket (issued by the emulator) and the corp with permanentCode.
func suiteDataDir(t *testing.T, em *emulator.Emulator, permanentCode string) string {
	t.Helper()
	fx := em.Fixture()
	push, err := em.PushSuiteTicket(context.Background(), "", "http://127.0.0.1:1/nobody")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	st, err := suite.Open(dir, push.SuiteID)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetTicket(push.SuiteTicket, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := st.PutCorp(suite.Corp{CorpID: fx.WeCom.CorpID, AgentID: fx.Suites[0].AgentID, PermanentCode: permanentCode}, time.Now(), ""); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestSuiteCommands runs the suite commands against the emulator's provider
// platform: status, ticket and corps from the data directory (never the
// ticket or the permanent code), install-url with a real pre_auth_code,
// corp-token through get_corp_token with a permanent code the emulator
// issued, and the errors: no ticket, a cancelled corp, a profile that is no
// suite.
func TestSuiteCommands(t *testing.T) {
	s := apiEmulator(t)
	em := s.Emulator()
	fx := em.Fixture()
	// A real permanent code: the fixture corp installs and the auth_code
	// is exchanged, as wwkit serve does on create_auth.
	ctx := context.Background()
	tp, err := em.PushSuiteTicket(ctx, "", "http://127.0.0.1:1/nobody")
	if err != nil {
		t.Fatal(err)
	}
	c, err := api.NewSuite(api.SuiteApp{SuiteID: fx.Suites[0].SuiteID, Secret: fx.Suites[0].Secret}, api.WithBaseURL(s.WeComBaseURL()))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetTicket(ctx, tp.SuiteTicket); err != nil {
		t.Fatal(err)
	}
	inst, err := em.InstallSuite(ctx, emulator.InstallRequest{URL: "http://127.0.0.1:1/nobody"})
	if err != nil {
		t.Fatal(err)
	}
	pc, err := c.GetPermanentCode(ctx, &api.AuthCodeBody{AuthCode: inst.AuthCode})
	if err != nil {
		t.Fatal(err)
	}
	data := suiteDataDir(t, em, pc.PermanentCode)
	conn := []string{"--wecom-base-url", s.WeComBaseURL(), "--mp-base-url", s.MPBaseURL(), "--data", data}

	r := runWWKit(t, "", nil, "suite", "status", "--data", data, "--json")
	v := apiJSON(t, r)
	if r.Code != 0 || v["ok"] != true || v["ticketFingerprint"] == nil || v["warning"] != nil {
		t.Fatalf("status: %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
	corps, _ := v["corps"].([]any)
	if len(corps) != 1 || corps[0].(map[string]any)["corpId"] != fx.WeCom.CorpID || corps[0].(map[string]any)["agentId"] != float64(fx.Suites[0].AgentID) {
		t.Fatalf("status corps: %s", r.Stdout)
	}
	for _, args := range [][]string{{"suite", "status", "--data", data}, {"suite", "ticket", "--data", data}, {"suite", "corps", "--data", data, "--json"}} {
		r := runWWKit(t, "", nil, args...)
		if r.Code != 0 {
			t.Fatalf("%v: %d %s %s", args, r.Code, r.Stdout, r.Stderr)
		}
		for _, secret := range []string{tp.SuiteTicket, pc.PermanentCode} {
			if strings.Contains(r.Stdout+r.Stderr, secret) {
				t.Fatalf("%v prints a secret: %s", args, r.Stdout)
			}
		}
	}

	r = runWWKit(t, "", nil, append([]string{"suite", "install-url", "--redirect-uri", "https://isv.example.com/done", "--state", "s1", "--test-install", "--json"}, conn...)...)
	v = apiJSON(t, r)
	u, _ := v["installURL"].(string)
	if r.Code != 0 || !strings.HasPrefix(u, "https://open.work.weixin.qq.com/3rdapp/install?suite_id="+fx.Suites[0].SuiteID+"&pre_auth_code=") ||
		!strings.HasSuffix(u, "&redirect_uri=https%3A%2F%2Fisv.example.com%2Fdone&state=s1") || v["authType"] != float64(1) {
		t.Fatalf("install-url: %d %s %s", r.Code, r.Stdout, r.Stderr)
	}

	for _, kind := range []string{"access", "jsapi", "agent"} {
		r = runWWKit(t, "", nil, append([]string{"suite", "corp-token", fx.WeCom.CorpID, "--kind", kind, "--json"}, conn...)...)
		v = apiJSON(t, r)
		if r.Code != 0 || v["corpId"] != fx.WeCom.CorpID || v["fingerprint"] == "" || !strings.Contains(v["value"].(string), "…") {
			t.Fatalf("corp-token %s: %d %s %s", kind, r.Code, r.Stdout, r.Stderr)
		}
	}

	// A corp that cancelled: the command names it, no API call needed.
	st, _ := suite.Open(data, fx.Suites[0].SuiteID)
	if err := st.CancelCorp(fx.WeCom.CorpID, time.Now()); err != nil {
		t.Fatal(err)
	}
	r = runWWKit(t, "", nil, append([]string{"suite", "corp-token", fx.WeCom.CorpID, "--json"}, conn...)...)
	if r.Code != 1 || !strings.Contains(r.Stdout, "corp "+fx.WeCom.CorpID+" cancelled the authorisation") {
		t.Fatalf("cancelled corp: %d %s %s", r.Code, r.Stdout, r.Stderr)
	}

	// No ticket yet: the message says where it comes from.
	empty := t.TempDir()
	r = runWWKit(t, "", nil, "suite", "ticket", "--data", empty, "--json")
	if r.Code != 1 || !strings.Contains(r.Stdout, "no suite_ticket yet: the provider platform pushes one every 10 minutes") {
		t.Fatalf("no ticket: %d %s", r.Code, r.Stdout)
	}
	r = runWWKit(t, "", nil, "suite", "status", "--data", empty, "--json")
	if v := apiJSON(t, r); r.Code != 0 || !strings.Contains(v["warning"].(string), "no suite_ticket yet") {
		t.Fatalf("status without ticket: %d %s", r.Code, r.Stdout)
	}
	// The commands that call the API say the same, before any call.
	calls := em.Stats()["/wecom/cgi-bin/service/get_suite_token"]
	noTicket := []string{"--wecom-base-url", s.WeComBaseURL(), "--mp-base-url", s.MPBaseURL(), "--data", empty, "--json"}
	for _, args := range [][]string{
		{"suite", "install-url", "--redirect-uri", "https://isv.example.com/done"},
		{"suite", "corp-token", fx.WeCom.CorpID},
	} {
		r = runWWKit(t, "", nil, append(args, noTicket...)...)
		if r.Code != 1 || !strings.Contains(r.Stdout, "no suite_ticket yet: the provider platform pushes one every 10 minutes to the suite callback URL; check it is reachable") ||
			!strings.Contains(r.Stdout, "POST /__emulator/suite/ticket") {
			t.Fatalf("%v without ticket: %d %s %s", args, r.Code, r.Stdout, r.Stderr)
		}
	}
	if n := em.Stats()["/wecom/cgi-bin/service/get_suite_token"]; n != calls {
		t.Fatalf("get_suite_token called %d times without a ticket", n-calls)
	}
	// The emulator's hint is for the emulator's suite only.
	isv := filepath.Join(t.TempDir(), "wwkit.toml")
	if err := os.WriteFile(isv, []byte("[profiles.isv]\nkind = \"suite\"\nsuite_id = \"wwisv0001\"\nsuite_secret = \"isv-secret\"\ntoken = \"isvtoken\"\nencoding_aes_key = \"jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runWWKit(t, "", nil, "suite", "ticket", "--config", isv, "--profile", "isv", "--data", empty, "--json")
	if r.Code != 1 || !strings.Contains(r.Stdout, "no suite_ticket yet") || strings.Contains(r.Stdout, "__emulator") {
		t.Fatalf("a real suite without ticket: %d %s %s", r.Code, r.Stdout, r.Stderr)
	}

	// A profile that is no suite: a usage error naming the fix.
	cfg := filepath.Join(t.TempDir(), "wwkit.toml")
	if err := os.WriteFile(cfg, []byte("[profiles.app]\ncorp_id = \"ww1\"\nagent_id = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runWWKit(t, "", nil, "suite", "corps", "--config", cfg, "--profile", "app", "--data", data, "--json")
	if r.Code != 2 || !strings.Contains(r.Stdout, `add kind = \"suite\"`) {
		t.Fatalf("app profile: %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
	r = runWWKit(t, "", nil, "suite", "corp-token", "--json", "--data", data)
	if r.Code != 2 || !strings.Contains(r.Stdout, "takes one CORPID") {
		t.Fatalf("corp-token without corp: %d %s", r.Code, r.Stdout)
	}
}

// TestServeSuiteProfile runs `wwkit serve --profile isv` with a kind =
// "suite" profile against a separately started emulator: the platform's
// suite_ticket and create_auth pushes are stored, the page is signed for
// the installed corp (the emulator's verifier accepts it), and another
// process — `wwkit suite corps` and `wwkit suite corp-token` — reads what
// the server stored (the data directory and the shared file token store).
func TestServeSuiteProfile(t *testing.T) {
	emu, err := emulator.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	em := emu.Emulator()
	fsu := em.Fixture().Suites[0]
	dir := t.TempDir()
	data := filepath.Join(dir, "serve")
	cfg := filepath.Join(dir, "wwkit.toml")
	toml := "[profiles.isv]\nkind = \"suite\"\nsuite_id = \"" + fsu.SuiteID + "\"\nsuite_secret_env = \"ISV_SECRET\"\ntoken = \"" + fsu.Token +
		"\"\nencoding_aes_key = \"" + fsu.EncodingAESKey + "\"\nwecom_base_url = \"" + emu.WeComBaseURL() + "\"\ntrusted_domains = [\"127.0.0.1\"]\nstore = \"file:" +
		filepath.Join(dir, "tokens.json") + "\"\n"
	if err := os.WriteFile(cfg, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"ISV_SECRET=" + fsu.Secret}
	_, info, stderr := startServeEnv(t, data, env, "--config", cfg, "--profile", "isv")
	cb := info.URL + "/suite/isv/callback"
	ctx := context.Background()
	push, err := em.PushSuiteTicket(ctx, "", cb)
	if err != nil || push.Result.Status != 200 {
		t.Fatalf("ticket push: %+v %v\nstderr: %s", push, err, stderr)
	}
	inst, err := em.InstallSuite(ctx, emulator.InstallRequest{URL: cb})
	if err != nil || inst.Result.Status != 200 {
		t.Fatalf("install: %+v %v\nstderr: %s", inst, err, stderr)
	}
	corp := inst.CorpID

	page := info.URL + "/?profile=isv&corp=" + corp
	resp, err := http.Get(info.URL + "/api/jssdk/agent-config?profile=isv&corp=" + corp + "&url=" + url.QueryEscape(page))
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		OK        bool   `json:"ok"`
		CorpID    string `json:"corpId"`
		AgentID   int64  `json:"agentId"`
		Timestamp int64  `json:"timestamp"`
		NonceStr  string `json:"nonceStr"`
		Signature string `json:"signature"`
	}
	json.NewDecoder(resp.Body).Decode(&a)
	resp.Body.Close()
	v := em.VerifyJSSDK(emulator.VerifyRequest{API: "agentConfig", URL: page, CorpID: a.CorpID, AgentID: json.RawMessage(fmt.Sprint(a.AgentID)),
		Timestamp: json.RawMessage(fmt.Sprint(a.Timestamp)), NonceStr: a.NonceStr, Signature: a.Signature})
	if !a.OK || a.AgentID != fsu.AgentID || !v.OK {
		t.Fatalf("agentConfig for the corp: %+v, emulator says %+v", a, v)
	}

	getenv := env
	r := runWWKit(t, "", getenv, "suite", "corps", "--config", cfg, "--profile", "isv", "--data", data, "--json")
	if v := apiJSON(t, r); r.Code != 0 || !strings.Contains(r.Stdout, corp) || v["suiteId"] != fsu.SuiteID {
		t.Fatalf("corps: %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
	r = runWWKit(t, "", getenv, "suite", "corp-token", corp, "--kind", "agent", "--config", cfg, "--profile", "isv", "--data", data, "--json")
	if v := apiJSON(t, r); r.Code != 0 || v["source"] != "cache" {
		t.Fatalf("corp-token from the shared store: %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
}
