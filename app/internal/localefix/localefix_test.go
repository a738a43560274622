package localefix

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The init and Restore are checked in a child process, where the
// environment can be set before the package initialises.
func TestInitShortensCLocaleAndRestoreUndoes(t *testing.T) {
	if os.Getenv("LOCALEFIX_CHILD") == "1" {
		during := os.Getenv("LANG")
		Restore()
		after := os.Getenv("LANG")
		os.Stdout.WriteString(during + "|" + after)
		return
	}
	for _, tc := range []struct{ lang, during string }{
		{"C.UTF-8", "C"},
		{"POSIX.utf8", "POSIX"},
		{"zh_CN.UTF-8", "zh_CN.UTF-8"},
		{"C", "C"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestInitShortensCLocaleAndRestoreUndoes$")
		cmd.Env = append(os.Environ(), "LOCALEFIX_CHILD=1", "LANG="+tc.lang, "LC_ALL=", "LC_MESSAGES=")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("LANG=%s: %v", tc.lang, err)
		}
		got := strings.SplitN(strings.SplitN(string(out), "\n", 2)[0], "PASS", 2)[0]
		if want := tc.during + "|" + tc.lang; got != want {
			t.Errorf("LANG=%s: during init|after Restore = %q, want %q", tc.lang, got, want)
		}
	}
}
