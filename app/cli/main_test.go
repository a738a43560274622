package cli_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// wwkitBin is the headless wwkit binary built once for the CLI tests, which
// run it as a user would.
var wwkitBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "wwkit-cli-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	wwkitBin = filepath.Join(dir, "wwkit")
	build := exec.Command("go", "build", "-o", wwkitBin, "github.com/wwkit/wwkit")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building wwkit: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the binary produced.
type result struct {
	Stdout, Stderr string
	Code           int
}

// runWWKit runs the built binary with args, the given stdin and extra
// environment variables ("K=V"), and returns its output and exit status.
func runWWKit(t *testing.T, stdin string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(wwkitBin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running wwkit %v: %v", args, err)
	}
	return result{Stdout: out.String(), Stderr: errb.String(), Code: code}
}

func TestRootHelpAndUsageErrors(t *testing.T) {
	r := runWWKit(t, "", nil, "--help")
	if r.Code != 0 || !strings.Contains(r.Stdout, "WeCom") {
		t.Fatalf("--help: code %d, stdout %q", r.Code, r.Stdout)
	}
	r = runWWKit(t, "", nil, "no-such-command")
	if r.Code != 2 || !strings.Contains(r.Stderr, "unknown command") {
		t.Fatalf("unknown command: code %d, stderr %q", r.Code, r.Stderr)
	}
	r = runWWKit(t, "", nil, "--no-such-flag")
	if r.Code != 2 || !strings.Contains(r.Stderr, "unknown flag") {
		t.Fatalf("unknown flag: code %d, stderr %q", r.Code, r.Stderr)
	}
}

// TestDesktopBuildSubcommands builds the desktop flavour's command tree (the
// desktop tag without cgo-only parts) and checks it adds desktop and tray,
// while the headless binary has neither.
func TestDesktopBuildSubcommands(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "wwkit-desktop")
	build := exec.Command("go", "build", "-tags", "desktop", "-o", bin, "github.com/wwkit/wwkit")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("desktop-tag build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--help").CombinedOutput()
	if err != nil {
		t.Fatalf("desktop wwkit --help: %v\n%s", err, out)
	}
	for _, sub := range []string{"desktop", "tray"} {
		if !strings.Contains(string(out), "\n  "+sub+" ") {
			t.Errorf("desktop build lacks the %q subcommand:\n%s", sub, out)
		}
	}
	r := runWWKit(t, "", nil, "--help")
	for _, sub := range []string{"desktop", "tray"} {
		if strings.Contains(r.Stdout, "\n  "+sub+" ") {
			t.Errorf("headless build has the desktop-only %q subcommand", sub)
		}
	}
}
