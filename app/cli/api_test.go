package cli_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/internal/redistest"
)

// apiEmulator runs an emulator in the test process: the binary under test
// talks to it like to a separately started `wwkit emulator`.
func apiEmulator(t *testing.T) *emulator.Server {
	t.Helper()
	s, err := emulator.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		http.DefaultTransport.(*http.Transport).CloseIdleConnections()
		s.Close()
	})
	return s
}

func apiJSON(t *testing.T, r result) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &v); err != nil {
		t.Fatalf("stdout is not JSON (%v): %q\nstderr: %s", err, r.Stdout, r.Stderr)
	}
	if _, ok := v["ok"].(bool); !ok {
		t.Fatalf("JSON without \"ok\": %s", r.Stdout)
	}
	return v
}

func TestTokenCommandDefaultProfile(t *testing.T) {
	for _, kind := range []string{"access", "jsapi", "agent", "mp-access", "mp-jsapi"} {
		t.Run(kind, func(t *testing.T) {
			r := runWWKit(t, "", nil, "token", "--kind", kind, "--json")
			if r.Code != 0 {
				t.Fatalf("exit %d: %s %s", r.Code, r.Stdout, r.Stderr)
			}
			v := apiJSON(t, r)
			if v["ok"] != true || v["source"] != "remote" || !strings.Contains(v["value"].(string), "…") || v["expiresIn"].(float64) <= 0 {
				t.Fatalf("unexpected output: %v", v)
			}
			if !strings.Contains(r.Stderr, "in-process emulator") {
				t.Fatalf("stderr does not say an in-process emulator was started: %q", r.Stderr)
			}
		})
	}
}

func TestTokenCommandAgainstEmulator(t *testing.T) {
	s := apiEmulator(t)
	fx := s.Emulator().Fixture()
	cache := filepath.Join(t.TempDir(), "tokens.json")
	base := []string{"--wecom-base-url", s.WeComBaseURL(), "--store", "file:" + cache}
	first := runWWKit(t, "", nil, append([]string{"token", "--json"}, base...)...)
	second := runWWKit(t, "", nil, append([]string{"token", "--json"}, base...)...)
	v1, v2 := apiJSON(t, first), apiJSON(t, second)
	if v1["source"] != "remote" || v2["source"] != "cache" || v1["fingerprint"] != v2["fingerprint"] {
		t.Fatalf("file store across runs: %v then %v", v1, v2)
	}
	if n := s.Emulator().Stats()["/wecom/cgi-bin/gettoken"]; n != 1 {
		t.Fatalf("two runs sharing a file cache made %d gettoken calls, want 1", n)
	}
	if strings.Contains(first.Stderr, "in-process") {
		t.Fatal("started an in-process emulator despite --wecom-base-url")
	}
	// The full token never appears: compare with the value the API hands out.
	c, _ := api.NewWeCom(api.WeComApp{CorpID: fx.WeCom.CorpID, AgentID: fx.WeCom.Apps[0].AgentID, Secret: fx.WeCom.Apps[0].Secret}, api.WithBaseURL(s.WeComBaseURL()))
	tok, err := c.AccessToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(cache)
	for _, out := range []string{first.Stdout, first.Stderr, second.Stdout, second.Stderr} {
		if strings.Contains(out, tok.Value) || strings.Contains(out, fx.WeCom.Apps[0].Secret) {
			t.Fatal("the CLI printed a full token or the secret")
		}
	}
	if !strings.Contains(string(b), tok.Value) {
		t.Fatal("the file cache does not hold the token the server hands out (the check above would prove nothing)")
	}
	fi, _ := os.Stat(cache)
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("cache file mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestTokenCommandErrors(t *testing.T) {
	s := apiEmulator(t)
	for _, tc := range []struct {
		name     string
		env      []string
		args     []string
		wantCode int
		wantOut  string
		hidden   string
	}{
		{"bad kind", nil, []string{"token", "--kind", "nope"}, 2, "--kind", ""},
		{"bad store", nil, []string{"token", "--store", "ftp://x"}, 2, "--store", ""},
		{"wrong secret from env", []string{"WWKIT_SECRET=wrong-secret-do-not-print-1234"}, []string{"token", "--json", "--wecom-base-url", s.WeComBaseURL()}, 1, "40001", "wrong-secret-do-not-print-1234"},
		{"unknown profile", nil, []string{"token", "--profile", "nope"}, 1, "no profile", ""},
		{"unreachable server", nil, []string{"token", "--json", "--wecom-base-url", "http://127.0.0.1:1/wecom"}, 1, "connection refused", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runWWKit(t, "", tc.env, tc.args...)
			all := r.Stdout + r.Stderr
			if r.Code != tc.wantCode || !strings.Contains(all, tc.wantOut) {
				t.Fatalf("exit %d (want %d), output %q (want %q)", r.Code, tc.wantCode, all, tc.wantOut)
			}
			if tc.hidden != "" && strings.Contains(all, tc.hidden) {
				t.Fatalf("the secret was printed: %s", all)
			}
			if strings.Contains(strings.Join(tc.args, " "), "--json") && tc.wantCode == 1 {
				if v := apiJSON(t, r); v["ok"] != false {
					t.Fatalf("failure JSON without ok:false: %v", v)
				}
			}
		})
	}
}

func TestAPICommands(t *testing.T) {
	s := apiEmulator(t)
	em := s.Emulator()
	fx := em.Fixture()
	dir := t.TempDir()
	file := filepath.Join(dir, "report.txt")
	os.WriteFile(file, []byte("weekly report: all green"), 0o600)
	menu := filepath.Join(dir, "menu.json")
	os.WriteFile(menu, []byte(`{"button":[{"type":"click","name":"今日","key":"today"},{"name":"更多","sub_button":[{"type":"view","name":"官网","url":"https://example.com/"}]}]}`), 0o600)
	card := `{"card_type":"text_notice","main_title":{"title":"发布","desc":"v1.2"},"card_action":{"type":1,"url":"https://example.com"}}`
	code, err := em.IssueCode("wecom", "lisi", "snsapi_base", fx.WeCom.Apps[0].AgentID)
	if err != nil {
		t.Fatal(err)
	}
	base := []string{"--wecom-base-url", s.WeComBaseURL(), "--mp-base-url", s.MPBaseURL(), "--json"}
	// media upload first: its media_id feeds later steps
	up := runWWKit(t, "", nil, append([]string{"media", "upload", "--type", "file", file}, base...)...)
	mediaID, _ := apiJSON(t, up)["media_id"].(string)
	if up.Code != 0 || mediaID == "" {
		t.Fatalf("media upload: %s %s", up.Stdout, up.Stderr)
	}
	out := filepath.Join(dir, "got.txt")
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		check func(v map[string]any) bool
	}{
		{"send text", "", []string{"send", "--to-user", "zhangsan|lisi", "--content", "部署完成"}, func(v map[string]any) bool { return v["msgid"] != "" }},
		{"send markdown from stdin", "**上线** 完成", []string{"send", "--to-party", "2", "--type", "markdown", "--content", "-"}, nil},
		{"send textcard", "", []string{"send", "--to-user", "@all", "--type", "textcard", "--title", "周报", "--description", "进展", "--url", "https://example.com/r"}, nil},
		{"send news", "", []string{"send", "--to-tag", "1", "--type", "news", "--title", "新闻", "--url", "https://example.com/n", "--picurl", "https://example.com/p.png"}, nil},
		{"send file", "", []string{"send", "--to-user", "zhangsan", "--type", "file", "--media-id", mediaID}, nil},
		{"send template_card", card, []string{"send", "--to-user", "zhangsan", "--type", "template_card", "--card", "-"}, nil},
		{"send with invalid users", "", []string{"send", "--to-user", "zhangsan|ghost", "--content", "x"}, func(v map[string]any) bool { return v["invaliduser"] == "ghost" }},
		{"media get", "", []string{"media", "get", mediaID, "-o", out}, func(v map[string]any) bool { b, _ := os.ReadFile(out); return string(b) == "weekly report: all green" }},
		{"menu create", "", []string{"menu", "create", "--file", menu}, func(v map[string]any) bool { return v["buttons"] == 2.0 }},
		{"menu get", "", []string{"menu", "get"}, func(v map[string]any) bool { return len(v["button"].([]any)) == 2 }},
		{"menu delete", "", []string{"menu", "delete"}, nil},
		{"user get", "", []string{"user", "get", "zhangsan"}, func(v map[string]any) bool { return v["user"].(map[string]any)["name"] == "张三" }},
		{"oauth url", "", []string{"oauth", "url", "--redirect-uri", "https://h5.example.com/cb", "--state", "s1"}, func(v map[string]any) bool {
			// on the emulator profile the URL is the emulator's own sign-in page, and it answers
			u := v["url"].(string)
			if !strings.HasPrefix(u, s.WeComBaseURL()+"/connect/oauth2/authorize?appid="+fx.WeCom.CorpID) || !strings.HasSuffix(u, "#wechat_redirect") {
				return false
			}
			res, err := http.Get(u)
			if err != nil {
				return false
			}
			res.Body.Close()
			return res.StatusCode == http.StatusOK
		}},
		{"oauth user", "", []string{"oauth", "user", "--code", code}, func(v map[string]any) bool { return v["userid"] == "lisi" }},
		{"mp qrcode", "", []string{"mp", "qrcode", "create", "--scene", "42", "--expire", "600"}, func(v map[string]any) bool {
			return v["action_name"] == "QR_SCENE" && v["ticket"] != "" && strings.HasPrefix(v["image_url"].(string), "https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=")
		}},
		{"mp template", "", []string{"mp", "template", "send", "--to", fx.MP.Followers[0].OpenID, "--template-id", fx.MP.Templates[0].ID, "--data", "first=订单已发货", "--url", "https://example.com/o/1"}, func(v map[string]any) bool { return v["msgid"].(float64) > 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runWWKit(t, tc.stdin, nil, append(tc.args, base...)...)
			if r.Code != 0 {
				t.Fatalf("exit %d\nstdout %s\nstderr %s", r.Code, r.Stdout, r.Stderr)
			}
			v := apiJSON(t, r)
			if v["ok"] != true || (tc.check != nil && !tc.check(v)) {
				t.Fatalf("unexpected output: %s", r.Stdout)
			}
		})
	}
	// the emulator received the sends
	var texts int
	for _, m := range em.Outbox() {
		if m.Platform == "wecom" && strings.Contains(string(m.Body), "部署完成") {
			texts++
		}
	}
	if texts != 1 {
		t.Fatalf("outbox has %d copies of the text message, want 1", texts)
	}
}

// TestTokenCommandRedisStore: 4 concurrent wwkit processes sharing Redis make
// one gettoken call; a later run is served from the cache.
func TestTokenCommandRedisStore(t *testing.T) {
	url := redistest.Start(t).URL()
	s := apiEmulator(t)
	args := []string{"token", "--json", "--wecom-base-url", s.WeComBaseURL(), "--store", url}
	var wg sync.WaitGroup
	results := make([]result, 4)
	for i := range results {
		wg.Add(1)
		go func() { defer wg.Done(); results[i] = runWWKit(t, "", nil, args...) }()
	}
	wg.Wait()
	fps := map[any]bool{}
	for _, r := range results {
		v := apiJSON(t, r)
		if v["ok"] != true {
			t.Fatalf("a run failed: %s %s", r.Stdout, r.Stderr)
		}
		fps[v["fingerprint"]] = true
	}
	if len(fps) != 1 {
		t.Fatalf("concurrent runs saw %d different tokens", len(fps))
	}
	if v := apiJSON(t, runWWKit(t, "", nil, args...)); v["source"] != "cache" {
		t.Fatalf("a later run was not served from Redis: %v", v)
	}
	if n := s.Emulator().Stats()["/wecom/cgi-bin/gettoken"]; n != 1 {
		t.Fatalf("gettoken calls %d, want 1", n)
	}
}

func TestVerboseLogsAreMasked(t *testing.T) {
	s := apiEmulator(t)
	fx := s.Emulator().Fixture()
	r := runWWKit(t, "", nil, "token", "--kind", "jsapi", "--verbose", "--wecom-base-url", s.WeComBaseURL())
	if r.Code != 0 || !strings.Contains(r.Stderr, "token refreshed") || !strings.Contains(r.Stderr, "path=/cgi-bin/get_jsapi_ticket") {
		t.Fatalf("verbose run: %d\n%s", r.Code, r.Stderr)
	}
	c, _ := api.NewWeCom(api.WeComApp{CorpID: fx.WeCom.CorpID, AgentID: fx.WeCom.Apps[0].AgentID, Secret: fx.WeCom.Apps[0].Secret}, api.WithBaseURL(s.WeComBaseURL()))
	tok, err := c.AccessToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.Stderr, tok.Value) || strings.Contains(r.Stderr, fx.WeCom.Apps[0].Secret) || strings.Contains(r.Stderr, "access_token=") {
		t.Fatalf("verbose output leaks the token or secret:\n%s", r.Stderr)
	}
}

// TestMediaGetFallsBackToRangeChunks: a plain download answered with errcode
// 830002 (file too large) is retried as a chunked Range download.
func TestMediaGetFallsBackToRangeChunks(t *testing.T) {
	s := apiEmulator(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "in.bin")
	os.WriteFile(src, []byte(strings.Repeat("large file ", 50)), 0o600)
	base := []string{"--wecom-base-url", s.WeComBaseURL(), "--json"}
	up := apiJSON(t, runWWKit(t, "", nil, append([]string{"media", "upload", src}, base...)...))
	id, _ := up["media_id"].(string)
	s.Emulator().InjectFault(emulator.Fault{Path: "/wecom/cgi-bin/media/get", Errcode: 830002, Count: 1})
	out := filepath.Join(dir, "out.bin")
	r := runWWKit(t, "", nil, append([]string{"media", "get", id, "-o", out}, base...)...)
	v := apiJSON(t, r)
	got, _ := os.ReadFile(out)
	if v["ok"] != true || v["chunked"] != true || string(got) != strings.Repeat("large file ", 50) {
		t.Fatalf("fallback: %s %s (got %d bytes)", r.Stdout, r.Stderr, len(got))
	}
}

// TestTokenCommandLeavesNoLock: `wwkit token` finding the shared token in
// its early-refresh window answers from the cache and exits without a
// background refresh, so it leaves no refresh lock in Redis for the other
// processes to wait on (upstream is slow here: such a refresh would still
// be running at the exit).
func TestTokenCommandLeavesNoLock(t *testing.T) {
	rs := redistest.Start(t)
	s := apiEmulator(t)
	args := []string{"token", "--json", "--wecom-base-url", s.WeComBaseURL(), "--store", rs.URL()}
	if v := apiJSON(t, runWWKit(t, "", nil, args...)); v["ok"] != true {
		t.Fatalf("first run: %v", v)
	}
	ctx := context.Background()
	probe := redis.NewClient(&redis.Options{Addr: rs.Addr})
	defer probe.Close()
	keys, err := probe.Keys(ctx, "*access_token").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("cached token keys: %v %v", keys, err)
	}
	// Move the cached record's RefreshAt (its third tab-separated field)
	// into the past: the token is valid but due for an early refresh.
	rec, err := probe.Get(ctx, keys[0]).Result()
	if err != nil {
		t.Fatal(err)
	}
	f := strings.SplitN(rec, "\t", 6)
	if len(f) != 6 {
		t.Fatalf("unexpected cache record format: %d fields", len(f))
	}
	f[2] = strconv.FormatInt(time.Now().Add(-time.Second).UnixMilli(), 10)
	if err := probe.Set(ctx, keys[0], strings.Join(f, "\t"), redis.KeepTTL).Err(); err != nil {
		t.Fatal(err)
	}
	// Whether a background refresh takes the lock before the process exits
	// is a race, so the run is repeated.
	for i := 0; i < 10; i++ {
		s.Emulator().InjectFault(emulator.Fault{Path: "/wecom/cgi-bin/gettoken", DelayMs: 3000})
		if v := apiJSON(t, runWWKit(t, "", nil, args...)); v["ok"] != true || v["source"] != "cache" {
			t.Fatalf("run %d: %v", i+2, v)
		}
		if locks, err := probe.Keys(ctx, "*:lock").Result(); err != nil || len(locks) != 0 {
			t.Fatalf("run %d of wwkit token exited and left refresh locks %v (%v): other processes wait for them", i+2, locks, err)
		}
	}
}
