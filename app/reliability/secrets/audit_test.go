package secrets

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"github.com/wwkit/wwkit/app/server"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/emulator"
)

// Distinctive values: nothing else in the tree or the emulator produces them.
const (
	corpSecret   = "AuditCorpSecret-q7Zr8Xp5Kd2Lm7Nv4Bt9Yc6Hj1Fg0Sw3"
	mpSecret     = "a0d17ec5ec0ffee5ab1e5eedfacade42"
	wecomCBToken = "AuditCbTok7Qx2W"
	mpCBToken    = "AuditMpTok4Zk9R"
	adminToken   = "AuditAdminToken-Vb5Nq8Ws2Ex"
)

// aesKeyFor derives a valid 43-character EncodingAESKey from a label.
func aesKeyFor(label string) string {
	sum := sha256.Sum256([]byte("wwkit secrets audit " + label))
	return strings.TrimRight(base64.StdEncoding.EncodeToString(sum[:]), "=")
}

var (
	wecomAESKey = aesKeyFor("wecom")
	mpAESKey    = aesKeyFor("mp")
)

// TestSecretsAudit runs the main flows with known secrets and scans every
// output for them. See the package documentation.
func TestSecretsAudit(t *testing.T) {
	a := &auditor{}
	for _, s := range []secret{
		{"WeCom corp secret", corpSecret}, {"MP AppSecret", mpSecret},
		{"WeCom callback Token", wecomCBToken}, {"MP callback Token", mpCBToken},
		{"WeCom EncodingAESKey", wecomAESKey}, {"MP EncodingAESKey", mpAESKey},
		{"admin token", adminToken},
	} {
		a.addSecret(s.Name, s.Value)
	}
	for _, k := range []struct{ name, v string }{{"WeCom EncodingAESKey", wecomAESKey}, {"MP EncodingAESKey", mpAESKey}} {
		if s, ok := aesKeySecret(k.name, k.v); ok {
			a.addSecret(s.Name, s.Value)
		} else {
			t.Fatalf("%s %q does not decode", k.name, k.v)
		}
	}
	// The emulator's default fixture values are compiled into the binary;
	// they must not reach the WASM module or the page either.
	def := emulator.DefaultFixture()
	a.addSecret("default fixture corp secret", def.WeCom.Apps[0].Secret)
	a.addSecret("default fixture EncodingAESKey", def.WeCom.Apps[0].EncodingAESKey)
	a.addSecret("default fixture MP AppSecret", def.MP.AppSecret)
	a.addSecret("default fixture MP EncodingAESKey", def.MP.EncodingAESKey)
	a.addSecret("default fixture callback Token", def.WeCom.Apps[0].Token)
	a.addSecret("default fixture MP callback Token", def.MP.Token)
	for _, r := range def.WeCom.Robots {
		a.addSecret("default fixture robot webhook key", r.Key)
	}
	for _, s := range def.Suites {
		a.addSecret("default fixture suite secret", s.Secret)
		a.addSecret("default fixture suite callback Token", s.Token)
		a.addSecret("default fixture suite EncodingAESKey", s.EncodingAESKey)
	}

	dir := t.TempDir()
	// Tencent's side: an emulator with this run's secrets. Its own output
	// is Tencent's, not wwkit's, and is not scanned.
	fx := emulator.DefaultFixture()
	fx.WeCom.CorpID = "ww5ec2e7a0d17ab1e5"
	fx.WeCom.Apps[0].Secret = corpSecret
	fx.WeCom.Apps[0].Token = wecomCBToken
	fx.WeCom.Apps[0].EncodingAESKey = wecomAESKey
	fx.MP.AppID = "wx5ec2e7a0d17ab1e5"
	fx.MP.AppSecret = mpSecret
	fx.MP.Token = mpCBToken
	fx.MP.EncodingAESKey = mpAESKey
	fxFile := filepath.Join(dir, "fixture.json")
	b, err := json.Marshal(fx)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fxFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	emuData := filepath.Join(dir, "emulator")
	var emuInfo struct {
		URL          string `json:"url"`
		WeComBaseURL string `json:"wecomBaseURL"`
		MPBaseURL    string `json:"mpBaseURL"`
	}
	emu := start(t, nil, &emuInfo, "emulator", "--addr", "127.0.0.1:0", "--fixture", fxFile, "--data", emuData, "--json")
	defer emu.stop(t)

	// The real-profile environment: every secret from WWKIT_* variables,
	// the API hosts pointed at the emulator.
	env := []string{
		"HOME=" + dir,
		"WWKIT_WECOM_BASE_URL=" + emuInfo.WeComBaseURL, "WWKIT_MP_BASE_URL=" + emuInfo.MPBaseURL,
		"WWKIT_CORP_ID=" + fx.WeCom.CorpID, "WWKIT_AGENT_ID=" + strconv.FormatInt(fx.WeCom.Apps[0].AgentID, 10),
		"WWKIT_SECRET=" + corpSecret, "WWKIT_MP_APPID=" + fx.MP.AppID, "WWKIT_MP_SECRET=" + mpSecret,
		"WWKIT_CALLBACK_TOKEN=" + wecomCBToken, "WWKIT_ENCODING_AES_KEY=" + wecomAESKey,
		"WWKIT_MP_CALLBACK_TOKEN=" + mpCBToken, "WWKIT_MP_ENCODING_AES_KEY=" + mpAESKey,
		"WWKIT_ADMIN_TOKEN=" + adminToken,
	}

	serveData := filepath.Join(dir, "serve")
	serveFlows(t, a, env, emuInfo.URL, serveData)
	serveEmulatorFlows(t, a, dir)
	cliFlows(t, a, env, dir, emuInfo.URL)
	desktopFlows(t, a, fx, emuInfo.WeComBaseURL, emuInfo.MPBaseURL, emuInfo.URL, filepath.Join(dir, "desktop"))
	wasmModule(t, a, dir)

	// Every token and ticket the emulator issued during the run.
	emu.stop(t)
	issued := issuedTokens(t, emuData)
	if issued < 4 {
		t.Errorf("the emulator issued %d tokens and tickets; the flows did not fetch them", issued)
	}
	for _, s := range readIssued(t, emuData) {
		a.addSecret(s.Name, s.Value)
	}

	// Debug signature answers in emulator mode carry the issued ticket (the
	// allowed exception): finding it proves the issued values are searched.
	if n := a.hits("serve (emulator mode) browser-facing responses"); n < 1 {
		t.Errorf("the emulator-mode signature answers show no issued ticket; the audit does not see the issued values")
	}
	if n := a.hits("desktop Reveal (explicit)"); n < 3 {
		t.Errorf("the scan finds %d secrets in the explicit reveals; it should find each revealed secret", n)
	}
	findings, stats, nNeedles := a.scan()
	var names []string
	for n := range stats {
		names = append(names, n)
	}
	sort.Strings(names)
	total := 0
	for _, n := range names {
		st := stats[n]
		total += st.bytes
		t.Logf("scanned %-34s %5d items %9d bytes %7d lines", n, st.items, st.bytes, st.lines)
	}
	nIssued := 0
	for _, s := range a.secrets {
		if strings.Contains(s.Name, "issued ") {
			nIssued++
		}
	}
	t.Logf("%d secrets (%d of them tokens, tickets and OAuth tokens issued during the run) in %d encoded forms, %d bytes scanned, %d findings",
		len(a.secrets), nIssued, nNeedles, total, len(findings))
	for _, f := range findings {
		t.Error(f)
	}
}

// recorder is an HTTP client that captures every response (status, headers,
// body) as a blob of the surface its path belongs to.
type recorder struct {
	t      *testing.T
	a      *auditor
	client *http.Client
	n      int
	// surface and adminSurface name the captures ("" for the defaults);
	// allow lists the secrets a path's answers may show.
	surface, adminSurface string
	allow                 func(path string) []string
	// token is the dev server's client token, sent to /api/* as its own
	// clients do.
	token string
}

func newRecorder(t *testing.T, a *auditor) *recorder {
	jar, _ := cookiejar.New(nil)
	return &recorder{t: t, a: a, client: &http.Client{Timeout: 30 * time.Second, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// surfaceOf sorts a dev-server path into the browser-facing routes and the
// admin API.
func surfaceOf(path string) string {
	for _, p := range []string{"/api/inbox", "/api/tokens", "/api/send", "/api/calls", "/api/media", "/api/profiles"} {
		if path == p || strings.HasPrefix(path, p+"/") || strings.HasPrefix(path, p+"?") {
			return "serve admin API responses"
		}
	}
	return "serve browser-facing responses"
}

func (r *recorder) do(req *http.Request) (int, http.Header, []byte) {
	r.t.Helper()
	if r.token != "" && strings.HasPrefix(req.URL.Path, "/api/") {
		req.Header.Set(server.ClientTokenHeader, r.token)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		r.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	var dump bytes.Buffer
	fmt.Fprintf(&dump, "%s %s\n", req.Method, req.URL.RequestURI())
	fmt.Fprintf(&dump, "HTTP %d\n", resp.StatusCode)
	_ = resp.Header.Write(&dump)
	dump.WriteString("\n")
	dump.Write(body)
	surface := surfaceOf(req.URL.Path)
	if r.surface != "" && surface == "serve browser-facing responses" {
		surface = r.surface
	} else if r.adminSurface != "" {
		surface = r.adminSurface
	}
	var allow []string
	if r.allow != nil {
		allow = r.allow(req.URL.Path)
	}
	r.a.capture(surface, req.Method+" "+req.URL.Path, dump.Bytes(), allow...)
	r.n++
	return resp.StatusCode, resp.Header, body
}

func (r *recorder) get(u string) (int, http.Header, []byte) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return r.do(req)
}

func (r *recorder) post(u, ctype string, body []byte) (int, http.Header, []byte) {
	req, _ := http.NewRequest(http.MethodPost, u, bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	return r.do(req)
}

func postJSON(t *testing.T, u string, v any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(v)
	resp, err := http.Post(u, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return out
}

// serveFlows runs `wwkit serve` on the real-profile configuration with debug
// logs and drives every route a browser, Tencent and the admin use.
func serveFlows(t *testing.T, a *auditor, env []string, emuURL, data string) {
	var info struct {
		URL string `json:"url"`
	}
	srv := start(t, env, &info, "serve", "--addr", "127.0.0.1:0", "--json", "--data", data, "--log-level", "debug",
		"--trusted-domain", "127.0.0.1", "--reply", "echo", "--no-qr")
	base := info.URL
	page := base + "/index.html?from=audit"
	r := newRecorder(t, a)
	r.token = readToken(t, data)

	// SSE: a live view open during the callbacks.
	sseCtx, sseCancel := context.WithCancel(context.Background())
	sseDone := make(chan []byte, 1)
	go func() {
		req, _ := http.NewRequestWithContext(sseCtx, http.MethodGet, base+"/api/inbox/stream", nil)
		req.Header.Set(server.ClientTokenHeader, r.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			sseDone <- nil
			return
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		_, _ = io.Copy(&buf, resp.Body)
		sseDone <- buf.Bytes()
	}()

	// The page and its assets.
	_, _, index := r.get(base + "/")
	r.get(base + "/healthz")
	assets := regexp.MustCompile(`(?:src|href)="(/[^"#?]+)"`).FindAllSubmatch(index, -1)
	for _, m := range assets {
		r.get(base + string(m[1]))
	}
	for _, f := range []string{"/wwkit.wasm", "/favicon.ico", "/WW_verify_none.txt"} {
		r.get(base + f)
	}
	// Signatures for the page, both profiles, and refusals.
	for _, q := range []string{"", "&profile=mp", "&profile=wecom"} {
		if st, _, b := r.get(base + "/api/jssdk/config?url=" + url.QueryEscape(page) + q); st != 200 {
			t.Errorf("jssdk config%s: %d %s", q, st, b)
		}
	}
	if st, _, b := r.get(base + "/api/jssdk/agent-config?url=" + url.QueryEscape(page)); st != 200 {
		t.Errorf("agent-config: %d %s", st, b)
	}
	r.get(base + "/api/jssdk/config?url=" + url.QueryEscape("https://evil.example/"))
	r.get(base + "/api/jssdk/agent-config?url=" + url.QueryEscape(page) + "&profile=mp")

	// OAuth, WeCom and MP: start → (the emulator's code) → callback → session.
	for _, prof := range []struct{ name, platform, subject, key string }{{"wecom", "wecom", "zhangsan", "userid"}, {"mp", "mp", "", "openid"}} {
		st, h, b := r.get(base + "/api/oauth/start?redirect=%2F&profile=" + prof.name)
		if st != http.StatusFound {
			t.Fatalf("oauth start %s: %d %s", prof.name, st, b)
		}
		loc, _ := url.Parse(h.Get("Location"))
		redirect, _ := url.Parse(loc.Query().Get("redirect_uri"))
		state := loc.Query().Get("state")
		if state == "" && redirect != nil {
			state = redirect.Query().Get("state")
		}
		subject := prof.subject
		if prof.platform == "mp" {
			subject = emulatorFollower(t, emuURL)
		}
		code := postJSON(t, emuURL+"/__emulator/oauth/code", map[string]any{"platform": prof.platform, prof.key: subject})
		c, _ := code["code"].(string)
		if c == "" {
			t.Fatalf("emulator oauth code for %s: %v", prof.name, code)
		}
		if st, _, b := r.get(base + "/api/oauth/callback?code=" + url.QueryEscape(c) + "&state=" + url.QueryEscape(state)); st >= 400 {
			t.Errorf("oauth callback %s: %d %s", prof.name, st, b)
		}
		if st, _, b := r.get(base + "/api/session"); st != 200 {
			t.Errorf("session after %s oauth: %d %s", prof.name, st, b)
		}
	}
	r.get(base + "/api/oauth/callback?code=x&state=forged")

	// Callbacks pushed by the emulator (Tencent) to the callback URLs:
	// URL verification, messages, a retried duplicate, an event.
	for _, p := range []struct{ platform, path string }{{"wecom", "/callback/wecom"}, {"mp", "/callback/mp"}} {
		v := postJSON(t, emuURL+"/__emulator/callbacks/verify", map[string]any{"platform": p.platform, "url": base + p.path})
		if v["ok"] != true {
			t.Errorf("callback URL verification %s: %v", p.platform, v)
		}
		for i, req := range []map[string]any{
			{"platform": p.platform, "content": "audit message " + p.platform, "url": base + p.path},
			{"platform": p.platform, "msgType": "event", "event": "click", "eventKey": "AUDIT", "url": base + p.path},
			{"platform": p.platform, "content": "audit retried", "url": base + p.path, "retries": 1},
		} {
			if res := postJSON(t, emuURL+"/__emulator/callbacks", req); res["ok"] != true {
				t.Errorf("callback push %s #%d: %v", p.platform, i, res)
			}
		}
	}
	// Callbacks with a wrong signature are refused (their logs are scanned).
	r.post(base+"/callback/wecom?msg_signature=00&timestamp="+strconv.FormatInt(time.Now().Unix(), 10)+"&nonce=n", "text/xml",
		[]byte("<xml><Encrypt><![CDATA[AAAA]]></Encrypt></xml>"))
	r.get(base + "/callback/mp?signature=00&timestamp=1&nonce=n&echostr=x")

	// Media: upload to the (emulated) Tencent side as a page would with
	// wx.uploadImage, then fetch it through the server.
	mediaID := uploadImage(t, env, emuURL)
	st, _, b := r.post(base+"/api/media/fetch", "application/json", []byte(`{"serverId":"`+mediaID+`"}`))
	if st != 200 {
		t.Errorf("media fetch: %d %s", st, b)
	} else {
		var m struct {
			URL string `json:"url"`
		}
		_ = json.Unmarshal(b, &m)
		r.get(base + m.URL)
	}
	r.post(base+"/api/media/fetch", "application/json", []byte(`{"serverId":"no-such-media"}`))

	// The admin API.
	for _, p := range []string{"/api/inbox", "/api/inbox?limit=2&profile=mp", "/api/inbox?view=rejected", "/api/tokens", "/api/calls", "/api/media", "/api/profiles"} {
		if st, _, b := r.get(base + p); st != 200 {
			t.Errorf("%s: %d %s", p, st, b)
		} else if strings.Contains(p, "rejected") && !strings.Contains(string(b), `"verdict":"token"`) {
			// The two refused callbacks above are in the scanned answer.
			t.Errorf("%s lists no refused callback: %s", p, b)
		}
	}
	r.post(base+"/api/send", "application/json", []byte(`{"to":"zhangsan","content":"audit send"}`))
	r.post(base+"/api/send?profile=mp", "application/json", []byte(`{"to":"`+emulatorFollower(t, emuURL)+`","content":"audit send"}`))
	// The admin API from a forwarded client, with and without the token.
	for _, auth := range []string{"", "Bearer wrong", "Bearer " + adminToken} {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/tokens", nil)
		req.Header.Set("X-Forwarded-For", "203.0.113.7")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		r.do(req)
	}
	r.get(base + "/api/tokens")

	// The inbox database while the server runs (WAL not yet checkpointed).
	scanDir(t, a, "serve data dir (running)", data)
	time.Sleep(300 * time.Millisecond)
	sseCancel()
	if sse := <-sseDone; len(sse) == 0 {
		t.Error("the SSE stream delivered nothing")
	} else {
		a.capture("serve browser-facing responses", "GET /api/inbox/stream (SSE)", sse)
	}
	srv.stop(t)
	scanDir(t, a, "serve data dir (stopped)", data)
	a.capture("serve logs (stderr, debug)", "wwkit serve stderr", srv.stderr.Bytes())
	a.capture("serve stdout (banner)", "wwkit serve stdout", srv.stdout.Bytes())
	if lines := bytes.Count(srv.stderr.Bytes(), []byte("\n")); lines < 10 {
		t.Errorf("wwkit serve logged %d lines at debug level; the audit saw too little", lines)
	}
	t.Logf("serve: %d HTTP responses captured", r.n)
}

// emulatorFollower is an openid of a following user of the fixture account.
func emulatorFollower(t *testing.T, emuURL string) string {
	t.Helper()
	resp, err := http.Get(emuURL + "/__emulator/state")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st struct {
		MP struct {
			Followers []struct {
				OpenID     string `json:"openid"`
				Subscribed bool   `json:"subscribed"`
			} `json:"followers"`
		} `json:"mp"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	for _, f := range st.MP.Followers {
		if f.Subscribed {
			return f.OpenID
		}
	}
	t.Fatal("the fixture account has no follower")
	return ""
}

// pngFile writes a small PNG and returns its path.
func pngFile(t *testing.T, dir string) string {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := 0; i < 8; i++ {
		img.Set(i, i, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "audit.png")
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// uploadImage uploads a PNG with the CLI (media upload) and returns its
// media_id, the serverId a page gets from wx.uploadImage.
func uploadImage(t *testing.T, env []string, emuURL string) string {
	t.Helper()
	dir := t.TempDir()
	res := runCLI(t, dir, env, nil, "media", "upload", "--type", "image", "--json", pngFile(t, dir))
	var out struct {
		OK      bool   `json:"ok"`
		MediaID string `json:"media_id"`
	}
	if err := json.Unmarshal(res.stdout, &out); err != nil || !out.OK || out.MediaID == "" {
		t.Fatalf("media upload: %s %s", res.stdout, res.stderr)
	}
	return out.MediaID
}

// scanDir captures every file under root (the inbox database, its -wal and
// -shm, media files, state).
func scanDir(t *testing.T, a *auditor, surface, root string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		a.capture(surface, rel, b)
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Errorf("%s: no files under %s", surface, root)
	}
}

// readIssued returns the access_tokens and tickets the emulator issued, from
// its persisted state.
func readIssued(t *testing.T, emuData string) []secret {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(emuData, "state.json"))
	if err != nil {
		t.Fatalf("the emulator's state (issued tokens): %v", err)
	}
	var file struct {
		State json.RawMessage `json:"state"`
	}
	if err := json.Unmarshal(b, &file); err != nil || len(file.State) == 0 {
		t.Fatalf("the emulator's state.json has no state object: %v", err)
	}
	b = file.State
	var st struct {
		Tokens     map[string]json.RawMessage `json:"tokens"`
		Tickets    map[string]json.RawMessage `json:"tickets"`
		SNSTokens  map[string]json.RawMessage `json:"snsTokens"`
		SNSRefresh map[string]json.RawMessage `json:"snsRefresh"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	var out []secret
	for name, m := range map[string]map[string]json.RawMessage{"issued access_token": st.Tokens, "issued ticket": st.Tickets,
		"issued MP web access_token": st.SNSTokens, "issued MP refresh_token": st.SNSRefresh} {
		for v := range m {
			out = append(out, secret{name + " " + v[:6] + "…", v})
		}
	}
	return out
}

func issuedTokens(t *testing.T, emuData string) int {
	n := 0
	for _, s := range readIssued(t, emuData) {
		if strings.HasPrefix(s.Name, "issued access_token") || strings.HasPrefix(s.Name, "issued ticket") {
			n++
		}
	}
	return n
}

// readToken reads the client token a wwkit serve on data wrote.
func readToken(t *testing.T, data string) string {
	t.Helper()
	tok, err := server.ReadClientToken(data)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
