package secrets

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wwkit/wwkit/app/internal/wwkittest"
)

// wwkitBin is the headless wwkit binary, built once and run as a user would.
var wwkitBin string

func TestMain(m *testing.M) { wwkittest.Main(m, &wwkitBin) }

// lockedBuffer collects a running process's output.
type lockedBuffer = wwkittest.LockedBuffer

// proc is a long-running wwkit process (emulator or serve) whose first
// stdout JSON object was decoded into banner.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr *lockedBuffer
}

// start runs wwkit with args and env, decodes its first JSON object on stdout
// into banner and keeps collecting the rest of its output.
func start(t *testing.T, env []string, banner any, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(wwkitBin, args...)
	cmd.Env = append(cleanEnv(), env...)
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, stdout: &lockedBuffer{}, stderr: &lockedBuffer{}}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	dec := json.NewDecoder(io.TeeReader(pipe, p.stdout))
	if err := dec.Decode(banner); err != nil {
		t.Fatalf("wwkit %s: reading its JSON banner: %v\nstderr: %s", args[0], err, p.stderr.Bytes())
	}
	go io.Copy(p.stdout, pipe)
	return p
}

// stop ends the process with SIGTERM (a clean shutdown flushes state).
func (p *proc) stop(t *testing.T) {
	t.Helper()
	if p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("wwkit %s after SIGTERM: %v\nstderr: %s", p.cmd.Args[1], err, p.stderr.Bytes())
		}
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		t.Errorf("wwkit %s did not stop within 15 s of SIGTERM", p.cmd.Args[1])
	}
}

// cleanEnv is the test's environment without WWKIT_* variables, so the
// user's own configuration never leaks into the run.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WWKIT_") {
			out = append(out, kv)
		}
	}
	return out
}

// cliRun is one finished CLI invocation.
type cliRun struct {
	stdout, stderr []byte
	code           int
}

func runCLI(t *testing.T, dir string, env []string, stdin []byte, args ...string) cliRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, wwkitBin, args...)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), env...)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("wwkit %v: %v", args, err)
	}
	return cliRun{out.Bytes(), errb.Bytes(), code}
}
