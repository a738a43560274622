package cli_test

import (
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/wwkit/wwkit/core/emulator"
)

// TestScripts runs the command-line scripts in testdata/script: each is a
// user's session with the built wwkit binary (on PATH as wwkit), one
// command and what it printed at a time. Every script gets its own
// emulator on loopback, reached over real HTTP:
//
//	$WECOM  its WeCom base URL (for --wecom-base-url)
//	$MP     its Official Account base URL (for --mp-base-url)
//	$EMU    its root URL (the admin API is under $EMU/__emulator/)
//
// `wwkit ARGS` runs the binary (`! wwkit` expects a failure), `status N`
// asserts the exit status of the last run (1 failure, 2 usage), and
// `calls PATH N` asserts how many times the emulator served PATH, so a
// script can check that a usage error reached no API. testscript gives
// each script a clean environment, so a developer's own WWKIT_* variables
// do not leak in.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(e *testscript.Env) error {
			s, err := emulator.Start("127.0.0.1:0")
			if err != nil {
				return err
			}
			e.Defer(func() {
				http.DefaultTransport.(*http.Transport).CloseIdleConnections()
				s.Close()
			})
			e.Values["emulator"] = s
			e.Values["status"] = new(int)
			e.Setenv("PATH", filepath.Dir(wwkitBin)+string(os.PathListSeparator)+os.Getenv("PATH"))
			e.Setenv("WECOM", s.WeComBaseURL())
			e.Setenv("MP", s.MPBaseURL())
			e.Setenv("EMU", s.URL)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"wwkit": func(ts *testscript.TestScript, neg bool, args []string) {
				err := ts.Exec("wwkit", args...)
				code := 0
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					code = ee.ExitCode()
				} else if err != nil {
					ts.Fatalf("running wwkit: %v", err)
				}
				*ts.Value("status").(*int) = code
				if (code != 0) != neg {
					ts.Fatalf("wwkit exited %d", code)
				}
			},
			"status": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 1 || neg {
					ts.Fatalf("usage: status N")
				}
				want, err := strconv.Atoi(args[0])
				if err != nil {
					ts.Fatalf("status: N %q: %v", args[0], err)
				}
				if got := *ts.Value("status").(*int); got != want {
					ts.Fatalf("wwkit exited %d, want %d", got, want)
				}
			},
			"calls": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: calls PATH N")
				}
				s := ts.Value("emulator").(*emulator.Server)
				got := s.Emulator().Stats()[args[0]]
				want, err := strconv.Atoi(args[1])
				if err != nil {
					ts.Fatalf("calls: N %q: %v", args[1], err)
				}
				if (got == want) == neg {
					ts.Fatalf("emulator served %s %d times, want %s%d", args[0], got, map[bool]string{true: "not ", false: ""}[neg], want)
				}
			},
		},
	})
}
