package faults

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/wwkit/wwkit/app/server"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The real processes the suite drives: redis-server (internal/redistest,
// restarted mid-run on the same port) and the wwkit binary running `serve`
// (SIGKILLed mid-burst).

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("faults: no free loopback port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// wwkitBinary builds the headless wwkit binary once per test process, as a
// user would run it.
func wwkitBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "wwkit-faults")
		if err != nil {
			buildErr = err
			return
		}
		binDir, binPath = dir, filepath.Join(dir, "wwkit")
		cmd := exec.Command("go", "build", "-o", binPath, "github.com/wwkit/wwkit")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("faults: building wwkit: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// devServer is `wwkit serve` on a fixed port and data dir, restartable.
type devServer struct {
	t    testing.TB
	bin  string
	port int
	data string
	mu   sync.Mutex
	cmd  *exec.Cmd
	logs bytes.Buffer // stderr of every run
}

func startDevServer(t testing.TB) *devServer {
	t.Helper()
	d := &devServer{t: t, bin: wwkitBinary(t), port: freePort(t), data: t.TempDir()}
	if err := d.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.kill() })
	return d
}

func (d *devServer) url() string { return fmt.Sprintf("http://127.0.0.1:%d", d.port) }

func (d *devServer) start() error {
	cmd := exec.Command(d.bin, "serve", "--addr", fmt.Sprintf("127.0.0.1:%d", d.port), "--json", "--no-qr", "--data", d.data, "--log-level", "warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = &lockedWriter{mu: &d.mu, w: &d.logs}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("faults: starting wwkit serve: %w", err)
	}
	var banner struct {
		OK bool `json:"ok"`
	}
	if err := json.NewDecoder(stdout).Decode(&banner); err != nil || !banner.OK {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return fmt.Errorf("faults: wwkit serve did not print its banner (%v); stderr:\n%s", err, d.stderr())
	}
	go io.Copy(io.Discard, stdout)
	d.mu.Lock()
	d.cmd = cmd
	d.mu.Unlock()
	return nil
}

func (d *devServer) stderr() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.logs.String()
}

// kill sends SIGKILL and waits for the process.
func (d *devServer) kill() {
	d.mu.Lock()
	cmd := d.cmd
	d.cmd = nil
	d.mu.Unlock()
	if cmd != nil && cmd.Process != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// inboxEntry is the part of GET /api/inbox the suite checks.
type inboxEntry struct {
	ID         int64 `json:"id"`
	MsgID      int64 `json:"msgId,string"` // the server sends MsgIds as strings
	Deliveries int   `json:"deliveries"`
}

// inbox pages through GET /api/inbox and returns every entry.
func (d *devServer) inbox() ([]inboxEntry, error) {
	var all []inboxEntry
	before := int64(0)
	for {
		u := d.url() + "/api/inbox?limit=1000"
		if before > 0 {
			u += fmt.Sprintf("&before=%d", before)
		}
		tok, err := server.ReadClientToken(d.data)
		if err != nil {
			return nil, err
		}
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set(server.ClientTokenHeader, tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		var page struct {
			Entries []inboxEntry `json:"entries"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("faults: reading the inbox: %w", err)
		}
		if len(page.Entries) == 0 {
			return all, nil
		}
		all = append(all, page.Entries...)
		before = page.Entries[len(page.Entries)-1].ID
	}
}
