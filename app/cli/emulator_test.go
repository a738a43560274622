package cli_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startEmulator runs `wwkit emulator args…` and returns the process and the
// first stdout line carrying the base URL.
func startEmulator(t *testing.T, args ...string) (*exec.Cmd, *bufio.Reader, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(wwkitBin, append([]string{"emulator", "--addr", "127.0.0.1:0"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return cmd, bufio.NewReader(out), &stderr
}

func stopEmulator(t *testing.T, cmd *exec.Cmd, stderr *bytes.Buffer) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("emulator exit after SIGTERM: %v; stderr %s", err, stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("emulator did not stop within 10 s of SIGTERM")
	}
}

func TestEmulatorCommandServesAndStops(t *testing.T) {
	cmd, out, stderr := startEmulator(t)
	first, err := out.ReadString('\n')
	if err != nil {
		t.Fatalf("reading the banner: %v; stderr %s", err, stderr)
	}
	const prefix = "wwkit emulator listening on "
	if !strings.HasPrefix(first, prefix) {
		t.Fatalf("first line %q", first)
	}
	base := strings.TrimSpace(strings.TrimPrefix(first, prefix))
	var banner strings.Builder
	for {
		line, err := out.ReadString('\n')
		banner.WriteString(line)
		if err != nil || strings.Contains(line, "Ctrl+C") {
			break
		}
	}
	text := banner.String()
	for _, want := range []string{base + "/wecom", base + "/mp", "corp id", "EncodingAESKey", "appsecret", "1000002"} {
		if !strings.Contains(text, want) {
			t.Errorf("banner lacks %q:\n%s", want, text)
		}
	}
	// Read the credentials from the admin state and call gettoken over HTTP.
	res, err := http.Get(base + "/__emulator/state")
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		WeCom struct {
			CorpID string `json:"corpId"`
			Apps   []struct {
				Secret string `json:"secret"`
			} `json:"apps"`
		} `json:"wecom"`
	}
	json.NewDecoder(res.Body).Decode(&st)
	res.Body.Close()
	if st.WeCom.CorpID == "" || len(st.WeCom.Apps) == 0 || !strings.Contains(text, st.WeCom.CorpID) {
		t.Fatalf("state: %+v", st)
	}
	res, err = http.Get(base + "/wecom/cgi-bin/gettoken?" + url.Values{"corpid": {st.WeCom.CorpID}, "corpsecret": {st.WeCom.Apps[0].Secret}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var tok struct {
		Errcode     int    `json:"errcode"`
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.Errcode != 0 || tok.AccessToken == "" || tok.ExpiresIn != 7200 {
		t.Fatalf("gettoken: %s", body)
	}
	stopEmulator(t, cmd, stderr)
	if !strings.Contains(stderr.String(), "stopped") {
		t.Errorf("stderr after stop: %q", stderr)
	}
}

func TestEmulatorCommandJSONAndPersistence(t *testing.T) {
	data := t.TempDir()
	cmd, out, stderr := startEmulator(t, "--json", "--data", data)
	var info struct {
		OK           bool   `json:"ok"`
		URL          string `json:"url"`
		WeComBaseURL string `json:"wecomBaseURL"`
		MPBaseURL    string `json:"mpBaseURL"`
		MP           struct {
			AppID     string `json:"appId"`
			AppSecret string `json:"appSecret"`
		} `json:"mp"`
	}
	if err := json.NewDecoder(out).Decode(&info); err != nil {
		t.Fatalf("--json output: %v; stderr %s", err, stderr)
	}
	if !info.OK || info.WeComBaseURL != info.URL+"/wecom" || info.MPBaseURL != info.URL+"/mp" || info.MP.AppID == "" {
		t.Fatalf("--json: %+v", info)
	}
	res, err := http.Get(info.MPBaseURL + "/cgi-bin/token?" + url.Values{"grant_type": {"client_credential"}, "appid": {info.MP.AppID}, "secret": {info.MP.AppSecret}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	stopEmulator(t, cmd, stderr)
	if _, err := os.Stat(filepath.Join(data, "state.json")); err != nil {
		t.Fatalf("--data did not persist state: %v", err)
	}
}

func TestEmulatorCommandErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"wecom":{}}`), 0o600)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"extra argument", []string{"emulator", "now"}, 2, "unknown command"},
		{"bad fixture", []string{"emulator", "--fixture", bad}, 1, "corpId is empty"},
		{"missing fixture", []string{"emulator", "--fixture", filepath.Join(dir, "nope.json")}, 1, "reading fixture"},
		{"bad address", []string{"emulator", "--addr", "256.0.0.1:99999"}, 1, "listening on"},
		{"bad ttl", []string{"emulator", "--token-ttl", "-1s"}, 2, "--token-ttl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runWWKit(t, "", nil, tt.args...)
			if r.Code != tt.code || !strings.Contains(r.Stderr, tt.want) {
				t.Fatalf("code %d, stderr %q; want code %d and %q", r.Code, r.Stderr, tt.code, tt.want)
			}
		})
	}
}

func TestEmulatorCommandFixture(t *testing.T) {
	fixture := filepath.Join(t.TempDir(), "corp.json")
	os.WriteFile(fixture, []byte(`{"wecom":{"corpId":"wwfeedfacecafebeef","apps":[{"agentId":42,"name":"测试","secret":"s3cr3t","token":"tk","encodingAESKey":"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG","callbackURL":""}],"departments":[{"id":1,"name":"总部","parentId":0}],"users":[{"userid":"ming","name":"小明","department":[1]}]},"mp":{"appId":"","appSecret":""}}`), 0o600)
	cmd, out, stderr := startEmulator(t, "--json", "--fixture", fixture)
	var info struct {
		URL   string `json:"url"`
		WeCom struct {
			CorpID string `json:"corpId"`
			Apps   []struct {
				AgentID int64 `json:"agentId"`
			} `json:"apps"`
		} `json:"wecom"`
	}
	if err := json.NewDecoder(out).Decode(&info); err != nil {
		t.Fatalf("--json output: %v; stderr %s", err, stderr)
	}
	if info.WeCom.CorpID != "wwfeedfacecafebeef" || len(info.WeCom.Apps) != 1 || info.WeCom.Apps[0].AgentID != 42 {
		t.Fatalf("fixture not applied: %+v", info)
	}
	res, err := http.Get(info.URL + "/wecom/cgi-bin/gettoken?corpid=wwfeedfacecafebeef&corpsecret=s3cr3t")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), `"errcode":0`) {
		t.Fatalf("gettoken with the fixture's secret: %s", body)
	}
	stopEmulator(t, cmd, stderr)
}
