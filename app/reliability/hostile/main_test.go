package hostile

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wwkit/wwkit/app/internal/wwkittest"
)

// wwkitBin is the headless wwkit binary, built once and run as a user would.
var wwkitBin string

func TestMain(m *testing.M) { wwkittest.Main(m, &wwkitBin) }

// cred is one emulated profile's callback settings from the serve banner.
type cred struct {
	ReceiveID, Token, AESKey string
	AgentID                  int64
}

// served is a running `wwkit serve` with the emulator in-process.
type served struct {
	URL    string
	Data   string
	WeCom  cred
	MP     cred
	stderr *lockedBuffer
	cmd    *exec.Cmd
}

// lockedBuffer collects a running process's output.
type lockedBuffer = wwkittest.LockedBuffer

// startServe runs `wwkit serve --json` on a free loopback port and reads the
// emulated callback credentials from what it prints.
func startServe(t *testing.T) *served {
	t.Helper()
	data := t.TempDir()
	cmd := exec.Command(wwkitBin, "serve", "--addr", "127.0.0.1:0", "--json", "--data", data, "--log-level", "debug")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &served{Data: data, stderr: &lockedBuffer{}, cmd: cmd}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	var info struct {
		URL      string `json:"url"`
		Emulator struct {
			WeCom struct {
				CorpID string `json:"corpId"`
				Apps   []struct {
					AgentID        int64  `json:"agentId"`
					Token          string `json:"token"`
					EncodingAESKey string `json:"encodingAESKey"`
				} `json:"apps"`
			} `json:"wecom"`
			MP struct {
				AppID          string `json:"appId"`
				Token          string `json:"token"`
				EncodingAESKey string `json:"encodingAESKey"`
			} `json:"mp"`
		} `json:"emulator"`
	}
	if err := json.NewDecoder(stdout).Decode(&info); err != nil {
		t.Fatalf("reading the serve banner: %v\nstderr: %s", err, s.stderr)
	}
	go io.Copy(io.Discard, stdout)
	if len(info.Emulator.WeCom.Apps) == 0 || info.URL == "" {
		t.Fatalf("serve banner without the emulated app: %+v", info)
	}
	app := info.Emulator.WeCom.Apps[0]
	s.URL = info.URL
	s.WeCom = cred{ReceiveID: info.Emulator.WeCom.CorpID, Token: app.Token, AESKey: app.EncodingAESKey, AgentID: app.AgentID}
	s.MP = cred{ReceiveID: info.Emulator.MP.AppID, Token: info.Emulator.MP.Token, AESKey: info.Emulator.MP.EncodingAESKey}
	return s
}

// client has timeouts so a hung server fails the test instead of CI.
var client = &http.Client{Timeout: 60 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// healthz returns the inbox count and fails the test when the server does not
// answer: every hostile case must leave it alive.
func (s *served) healthz(t *testing.T) int64 {
	t.Helper()
	resp, err := client.Get(s.URL + "/healthz")
	if err != nil {
		t.Fatalf("the server is down: %v\nstderr tail: %s", err, tail(s.stderr.String(), 2000))
	}
	defer resp.Body.Close()
	var h struct {
		OK    bool  `json:"ok"`
		Inbox int64 `json:"inbox"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil || !h.OK {
		t.Fatalf("/healthz: status %d, %v", resp.StatusCode, err)
	}
	return h.Inbox
}

// checkNoPanic fails when the server printed a Go panic or recovered one.
func (s *served) checkNoPanic(t *testing.T) {
	t.Helper()
	out := s.stderr.String()
	for _, bad := range []string{"panic:", "goroutine ", "handler panicked"} {
		if strings.Contains(out, bad) {
			t.Errorf("the server printed %q:\n%s", bad, tail(out, 4000))
		}
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// loadJSON reads a testdata file into v, refusing unknown fields so a typo in
// a case is an error rather than a silently ignored expectation.
func loadJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			t.Fatalf("testdata/%s: offset %d: %v", name, se.Offset, err)
		}
		t.Fatalf("testdata/%s: %v", name, err)
	}
}
