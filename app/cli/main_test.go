package cli_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/app/internal/wwkittest"
)

// wwkitBin is the headless wwkit binary built once for the CLI tests, which
// run it as a user would.
var wwkitBin string

func TestMain(m *testing.M) { wwkittest.Main(m, &wwkitBin) }

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

// TestDesktopBuildSplit checks the two builds of one binary: the desktop
// tags pull in app/desktop (the desktop and tray subcommands, Wails, Fyne),
// while the headless build links none of it and has neither subcommand. It
// uses go list rather than a build so it needs no cgo or GTK headers; the
// desktop binary itself is built by make desktop.
func TestDesktopBuildSplit(t *testing.T) {
	deps := func(env []string, args ...string) string {
		cmd := exec.Command("go", append([]string{"list", "-deps"}, append(args, "github.com/wwkit/wwkit")...)...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go list %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	headless := deps([]string{"CGO_ENABLED=0"})
	for _, p := range []string{"github.com/wwkit/wwkit/app/desktop", "github.com/wailsapp/", "fyne.io/"} {
		if strings.Contains(headless, p) {
			t.Errorf("the headless build links %s", p)
		}
	}
	if !strings.Contains(headless, "github.com/wwkit/wwkit/app/cli\n") {
		t.Fatalf("go list output lacks app/cli; the check proves nothing:\n%s", headless)
	}
	desktop := deps([]string{"CGO_ENABLED=1"}, "-tags", "desktop,production,webkit2_41")
	if !strings.Contains(desktop, "github.com/wwkit/wwkit/app/desktop\n") {
		t.Errorf("the desktop build does not link app/desktop")
	}
	r := runWWKit(t, "", nil, "--help")
	for _, sub := range []string{"desktop", "tray"} {
		if strings.Contains(r.Stdout, "\n  "+sub+" ") {
			t.Errorf("headless build has the desktop-only %q subcommand", sub)
		}
	}
}
