package secrets

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// serveEmulatorFlows runs `wwkit serve` as `make run` does — no profile, the
// emulator in-process with its default fixture — and drives the routes only
// this mode has (the page's bridge simulator: /api/sim/jssdk/verify and
// /api/sim/media/upload) besides the page, signatures, OAuth, callbacks,
// media and the admin API. The default fixture's secrets and the tokens its
// emulator issues are the secrets here. By design the banner prints the
// fixture credentials (stdout is not scanned) and, debug being on for the
// emulator, signature answers carry stringToSign with the jsapi_ticket: the
// issued tickets are allowed in /api/jssdk/* answers and nowhere else.
func serveEmulatorFlows(t *testing.T, a *auditor, dir string) {
	data := filepath.Join(dir, "serve-emulator")
	var info struct {
		URL      string `json:"url"`
		Emulator struct {
			URL string `json:"url"`
		} `json:"emulator"`
	}
	srv := start(t, []string{"HOME=" + dir}, &info, "serve", "--addr", "127.0.0.1:0", "--json", "--data", data, "--log-level", "debug", "--no-qr")
	base, emuURL := info.URL, info.Emulator.URL
	r := newRecorder(t, a)
	r.token = readToken(t, data)
	r.surface = "serve (emulator mode) browser-facing responses"
	r.adminSurface = "serve (emulator mode) admin API responses"
	r.allow = func(path string) []string {
		if strings.HasPrefix(path, "/api/jssdk/") {
			return []string{"emulator-mode issued ticket*"}
		}
		return nil
	}
	page := base + "/index.html?from=audit"
	r.get(base + "/")
	for _, q := range []string{"", "&profile=mp"} {
		st, _, b := r.get(base + "/api/jssdk/config?url=" + url.QueryEscape(page) + q)
		if st != 200 {
			t.Errorf("emulator mode: jssdk config%s: %d %s", q, st, b)
			continue
		}
		var cfg map[string]any
		_ = json.Unmarshal(b, &cfg)
		cfg["url"] = page
		body, _ := json.Marshal(cfg)
		if st, _, b := r.post(base+"/api/sim/jssdk/verify", "application/json", body); st != 200 || !bytes.Contains(b, []byte(`"ok":true`)) {
			t.Errorf("emulator mode: sim verify%s: %d %s", q, st, b)
		}
	}
	r.get(base + "/api/jssdk/agent-config?url=" + url.QueryEscape(page))
	r.post(base+"/api/sim/jssdk/verify", "application/json", []byte(`{"url":"`+page+`","appId":"x","timestamp":1,"nonceStr":"n","signature":"00"}`))

	// The simulator's uploadImage, then the server's media fetch.
	png, err := os.ReadFile(pngFile(t, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	var mb bytes.Buffer
	mw := multipart.NewWriter(&mb)
	fw, _ := mw.CreateFormFile("media", "audit.png")
	fw.Write(png)
	mw.Close()
	st, _, b := r.post(base+"/api/sim/media/upload", mw.FormDataContentType(), mb.Bytes())
	var up struct {
		MediaID string `json:"media_id"`
	}
	if err := json.Unmarshal(b, &up); st != 200 || err != nil || up.MediaID == "" {
		t.Errorf("emulator mode: sim upload: %d %s", st, b)
	} else if st, _, b := r.post(base+"/api/media/fetch", "application/json", []byte(`{"serverId":"`+up.MediaID+`"}`)); st != 200 {
		t.Errorf("emulator mode: media fetch: %d %s", st, b)
	}

	// OAuth through the emulator's authorize page.
	st, h, _ := r.get(base + "/api/oauth/start?redirect=%2F")
	if st == http.StatusFound {
		loc, _ := url.Parse(h.Get("Location"))
		state := loc.Query().Get("state")
		code := postJSON(t, emuURL+"/__emulator/oauth/code", map[string]any{"platform": "wecom", "userid": "zhangsan"})
		if c, _ := code["code"].(string); c != "" {
			r.get(base + "/api/oauth/callback?code=" + url.QueryEscape(c) + "&state=" + url.QueryEscape(state))
			r.get(base + "/api/session")
		}
	} else {
		t.Errorf("emulator mode: oauth start: %d", st)
	}

	// Callbacks from the in-process emulator, then the admin API.
	for _, p := range []string{"wecom", "mp"} {
		if res := postJSON(t, emuURL+"/__emulator/callbacks", map[string]any{"platform": p, "content": "audit " + p}); res["ok"] != true {
			t.Errorf("emulator mode: callback push %s: %v", p, res)
		}
	}
	r.post(base+"/callback/wecom?msg_signature=00&timestamp="+strconv.FormatInt(time.Now().Unix(), 10)+"&nonce=n", "text/xml",
		[]byte("<xml><Encrypt><![CDATA[AAAA]]></Encrypt></xml>"))
	for _, p := range []string{"/api/inbox", "/api/tokens", "/api/calls", "/api/media", "/api/profiles"} {
		r.get(base + p)
	}
	r.post(base+"/api/send", "application/json", []byte(`{"to":"zhangsan","content":"audit send"}`))
	scanDirExcept(t, a, "serve (emulator mode) data dir", data, "emulator")
	srv.stop(t)
	a.capture("serve (emulator mode) logs (stderr, debug)", "wwkit serve stderr", srv.stderr.Bytes())
	for _, s := range readIssued(t, filepath.Join(data, "emulator")) {
		a.addSecret("emulator-mode "+s.Name, s.Value)
	}
	t.Logf("serve (emulator mode): %d HTTP responses captured", r.n)
}

// scanDirExcept is scanDir without the named top-level directory (the
// in-process emulator's state stands for Tencent's servers).
func scanDirExcept(t *testing.T, a *auditor, surface, root, except string) {
	t.Helper()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == except {
			continue
		}
		p := filepath.Join(root, e.Name())
		if e.IsDir() {
			scanDir(t, a, surface, p)
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		a.capture(surface, e.Name(), b)
	}
}
