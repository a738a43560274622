package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/wwkit/wwkit/app/server"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

type serveInfo struct {
	OK        bool   `json:"ok"`
	URL       string `json:"url"`
	PublicURL string `json:"publicURL"`
	PageURL   string `json:"pageURL"`
	Callbacks []struct {
		Profile     string `json:"profile"`
		CallbackURL string `json:"callbackURL"`
	} `json:"callbacks"`
	Emulator struct {
		URL string `json:"url"`
	} `json:"emulator"`
}

// startServe runs `wwkit serve --json` on a free port with data dir data and
// returns the process and what it printed.
func startServe(t *testing.T, data string, extra ...string) (*exec.Cmd, serveInfo, *bytes.Buffer) {
	t.Helper()
	return startServeEnv(t, data, nil, extra...)
}

// startServeEnv is startServe with extra environment variables ("K=V").
func startServeEnv(t *testing.T, data string, env []string, extra ...string) (*exec.Cmd, serveInfo, *bytes.Buffer) {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--json", "--data", data}, extra...)
	cmd := exec.Command(wwkitBin, args...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &bytes.Buffer{}
	cmd.Stderr = &lockedWriter{w: stderr}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	var info serveInfo
	if err := json.NewDecoder(stdout).Decode(&info); err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("reading the serve banner: %v\nstderr: %s", err, stderr)
	}
	go io.Copy(io.Discard, stdout)
	return cmd, info, stderr
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestServeStartsAndStops(t *testing.T) {
	cmd, info, _ := startServe(t, t.TempDir())
	if !info.OK || info.URL == "" || info.Emulator.URL == "" || len(info.Callbacks) != 2 || !strings.HasSuffix(info.Callbacks[0].CallbackURL, "/callback/wecom") {
		t.Fatalf("banner: %+v", info)
	}
	resp, err := http.Get(info.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]any
	json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if h["ok"] != true || h["emulator"] != true {
		t.Errorf("healthz: %v", h)
	}
	// A callback pushed by the in-process emulator reaches the server.
	resp, err = http.Post(info.Emulator.URL+"/__emulator/callbacks", "application/json", strings.NewReader(`{"content":"from the emulator"}`))
	if err != nil {
		t.Fatal(err)
	}
	var push map[string]any
	json.NewDecoder(resp.Body).Decode(&push)
	resp.Body.Close()
	if push["ok"] != true || push["replyContent"] != "from the emulator" {
		t.Errorf("push: %v", push)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("after SIGTERM: %v", err)
	}
}

func TestServeUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--reply", "shout"},
		{"serve", "--log-level", "loud"},
		{"serve", "--public-url", "not a url"},
		{"serve", "extra-arg"},
	} {
		r := runWWKit(t, "", nil, args...)
		if r.Code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, r.Code, r.Stderr)
		}
	}
	// A real profile without its callback settings is refused before listening.
	r := runWWKit(t, "", nil, "serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(),
		"--corp-id", "ww0123456789abcdef", "--agent-id", "1000002", "--secret", "s", "--trusted-domain", "dev.example.com")
	if r.Code == 0 || !strings.Contains(r.Stderr, "EncodingAESKey") {
		t.Errorf("real profile without callback settings: exit %d\n%s", r.Code, r.Stderr)
	}
}

// TestServeSIGKILLDuringBurst kills the server with SIGKILL in the middle of
// a burst of callbacks and restarts it on the same data directory: every
// callback that was acknowledged (HTTP 200) must be in the inbox.
func TestServeSIGKILLDuringBurst(t *testing.T) {
	data := t.TempDir()
	cmd, info, _ := startServe(t, data)
	fx := emulator.DefaultFixture()
	app := fx.WeCom.Apps[0]
	crypt, err := wxcrypt.New(app.Token, app.EncodingAESKey, fx.WeCom.CorpID)
	if err != nil {
		t.Fatal(err)
	}
	cbURL := info.URL + "/callback/wecom"
	var (
		mu    sync.Mutex
		acked []int64
		wg    sync.WaitGroup
	)
	stop := make(chan struct{})
	client := &http.Client{Timeout: 5 * time.Second}
	const workers = 8
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				msgID := int64(w)*1_000_000 + int64(i) + 1
				ts := fmt.Sprint(time.Now().Unix())
				plain := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>%s</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[burst %d]]></Content><MsgId>%d</MsgId><AgentID>%d</AgentID></xml>",
					fx.WeCom.CorpID, ts, msgID, msgID, app.AgentID)
				body, sig, err := crypt.EncryptRequest([]byte(plain), fx.WeCom.CorpID, fmt.Sprint(app.AgentID), ts, "n")
				if err != nil {
					t.Error(err)
					return
				}
				resp, err := client.Post(cbURL+"?msg_signature="+sig+"&timestamp="+ts+"&nonce=n", "text/xml", bytes.NewReader(body))
				if err != nil {
					return // the server is gone: this one was not acknowledged
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					mu.Lock()
					acked = append(acked, msgID)
					mu.Unlock()
				}
			}
		}(w)
	}
	// Kill once a good number of callbacks has been acknowledged.
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 300 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	close(stop)
	wg.Wait()
	mu.Lock()
	want := append([]int64(nil), acked...)
	mu.Unlock()
	if len(want) < 50 {
		t.Fatalf("only %d callbacks acknowledged before the kill", len(want))
	}

	_, info2, _ := startServe(t, data)
	stored := map[int64]bool{}
	before := int64(0)
	for {
		u := info2.URL + "/api/inbox?limit=1000"
		if before > 0 {
			u += fmt.Sprintf("&before=%d", before)
		}
		tok, err := server.ReadClientToken(data)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set(server.ClientTokenHeader, tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Entries []struct {
				ID    int64 `json:"id"`
				MsgID int64 `json:"msgId,string"`
			} `json:"entries"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Entries) == 0 {
			break
		}
		for _, e := range page.Entries {
			stored[e.MsgID] = true
			before = e.ID
		}
	}
	missing := 0
	for _, id := range want {
		if !stored[id] {
			missing++
		}
	}
	t.Logf("%d acknowledged before SIGKILL, %d stored after restart", len(want), len(stored))
	if missing > 0 {
		t.Errorf("%d of %d acknowledged callbacks are missing from the inbox after SIGKILL", missing, len(want))
	}
}

// TestServeAgainstSeparateEmulator runs serve with base URLs of an emulator
// started elsewhere (the profile path for non-in-process hosts): callbacks,
// signatures and the OAuth redirect go to that emulator.
func TestServeAgainstSeparateEmulator(t *testing.T) {
	emu, err := emulator.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	_, info, stderr := startServe(t, t.TempDir(), "--wecom-base-url", emu.WeComBaseURL(), "--mp-base-url", emu.MPBaseURL())
	if info.Emulator.URL != "" || len(info.Callbacks) != 2 {
		t.Fatalf("banner: %+v", info)
	}
	for _, p := range []string{"wecom", "mp"} {
		res, err := emu.Emulator().PushCallback(context.Background(), emulator.CallbackRequest{Platform: p, Content: "via " + p, URL: info.URL + "/callback/" + p})
		if err != nil || res.Status != 200 || res.Content != "via "+p {
			t.Errorf("%s push: %+v %v\nstderr: %s", p, res, err, stderr)
		}
	}
	page := info.URL + "/p?x=1"
	resp, err := http.Get(info.URL + "/api/jssdk/config?url=" + url.QueryEscape(page))
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		OK        bool   `json:"ok"`
		AppID     string `json:"appId"`
		Timestamp int64  `json:"timestamp"`
		NonceStr  string `json:"nonceStr"`
		Signature string `json:"signature"`
	}
	json.NewDecoder(resp.Body).Decode(&a)
	resp.Body.Close()
	v := emu.Emulator().VerifyJSSDK(emulator.VerifyRequest{URL: page, AppID: a.AppID, Timestamp: json.RawMessage(fmt.Sprint(a.Timestamp)), NonceStr: a.NonceStr, Signature: a.Signature})
	if !a.OK || !v.OK {
		t.Errorf("signature: %+v, emulator says %+v", a, v)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noFollow.Get(info.URL + "/api/oauth/start")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, emu.URL+"/wecom/connect/oauth2/authorize?") {
		t.Errorf("oauth start redirects to %q", loc)
	}
}
