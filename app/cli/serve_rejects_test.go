package cli_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// TestServeLogsRejections: a callback signed with another Token leaves one
// log line on serve's stderr with the doctor's verdict and the command that
// replays it, and no secret.
func TestServeLogsRejections(t *testing.T) {
	cmd, info, stderr := startServe(t, t.TempDir())
	fx := emulator.DefaultFixture()
	app := fx.WeCom.Apps[0]
	c, err := wxcrypt.New("AnotherToken", app.EncodingAESKey, fx.WeCom.CorpID)
	if err != nil {
		t.Fatal(err)
	}
	ts := fmt.Sprint(time.Now().Unix())
	body, sig, err := c.EncryptRequest([]byte("<xml><MsgType>text</MsgType></xml>"), fx.WeCom.CorpID, fmt.Sprint(app.AgentID), ts, "n1")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(info.URL+"/callback/wecom?msg_signature="+sig+"&timestamp="+ts+"&nonce=n1", "text/xml", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("status %d, want 403", resp.StatusCode)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	var lines []map[string]any
	for _, l := range strings.Split(stderr.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && m["path"] == "/callback/wecom" {
			lines = append(lines, m)
		}
	}
	if len(lines) != 1 {
		t.Fatalf("%d log lines for the refused callback, want 1:\n%s", len(lines), stderr)
	}
	l := lines[0]
	if l["level"] != "WARN" || l["verdict"] != wxcrypt.VerdictToken || !strings.Contains(fmt.Sprint(l["why"]), "Token") ||
		!strings.HasPrefix(fmt.Sprint(l["doctor"]), "wwkit crypt doctor ") || !strings.Contains(fmt.Sprint(l["doctor"]), "--msg-signature "+sig) {
		t.Errorf("log line %v", l)
	}
	for _, secret := range []string{app.Token, app.EncodingAESKey, app.Secret} {
		if strings.Contains(stderr.String(), secret) {
			t.Errorf("stderr shows a secret %q", secret[:4])
		}
	}
}

// TestServeQRWarning: on a loopback listener the banner warns that a phone
// cannot open the QR code's URL and names the fix; --json carries the same
// warning as data.
func TestServeQRWarning(t *testing.T) {
	cmd := exec.Command(wwkitBin, "serve", "--addr", "127.0.0.1:0", "--json", "--data", t.TempDir())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var info struct {
		QRWarnings []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"qrWarnings"`
	}
	err = json.NewDecoder(stdout).Decode(&info)
	_ = cmd.Process.Signal(syscall.SIGTERM)
	_ = cmd.Wait()
	if err != nil || len(info.QRWarnings) != 1 || info.QRWarnings[0].Code != "loopback" {
		t.Errorf("--json qrWarnings: %+v %v", info, err)
	}
	banner := runUntil(t, []string{"serve", "--addr", "127.0.0.1:0", "--no-qr", "--data", t.TempDir()}, "Press Ctrl+C")
	if !strings.Contains(banner, "WARNING: a phone cannot open this URL") || !strings.Contains(banner, "--addr 0.0.0.0:") {
		t.Errorf("banner without the QR warning:\n%s", banner)
	}
}

// runUntil runs wwkit with args until its stdout contains marker, then
// stops it and returns what it printed.
func runUntil(t *testing.T, args []string, marker string) string {
	t.Helper()
	cmd := exec.Command(wwkitBin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	var b strings.Builder
	buf := make([]byte, 4096)
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(b.String(), marker) && time.Now().Before(deadline) {
		n, err := stdout.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}
