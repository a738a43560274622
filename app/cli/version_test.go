package cli

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"
)

func TestReadVersionPrefersStamps(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.9.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-01-02T03:04:05Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	read := func() (*debug.BuildInfo, bool) { return bi, true }

	got := readVersion("v1.2.3", "abc1234", "2026-12-04T21:45:00Z", read)
	if got.Version != "v1.2.3" || got.Commit != "abc1234" || got.Date != "2026-12-04T21:45:00Z" || got.Dirty {
		t.Fatalf("stamped build: got %+v, want the -ldflags values and no dirty flag", got)
	}
	if s := got.String(); s != "v1.2.3 (commit abc1234, built 2026-12-04T21:45:00Z, go1.26.8)" {
		t.Fatalf("stamped String() = %q", s)
	}

	got = readVersion("", "", "", read)
	if got.Version != "v0.9.0" || got.Commit != "0123456789abcdef0123" || got.Date != "2026-01-02T03:04:05Z" || !got.Dirty {
		t.Fatalf("unstamped build: got %+v, want the module version and vcs settings", got)
	}
	if s := got.String(); s != "v0.9.0 (commit 0123456789ab-dirty, built 2026-01-02T03:04:05Z, go1.26.8)" {
		t.Fatalf("unstamped String() = %q", s)
	}

	got = readVersion("", "", "", func() (*debug.BuildInfo, bool) { return nil, false })
	if got.Version != "(devel)" || got.Commit != "" || got.Date != "" {
		t.Fatalf("no build info: got %+v, want (devel) and nothing else", got)
	}
}

func TestVersionCommandAndFlagAgree(t *testing.T) {
	var a, b, errb bytes.Buffer
	if code := Run(&Env{Stdout: &a, Stderr: &errb}, []string{"version"}); code != ExitOK {
		t.Fatalf("wwkit version: exit %d, stderr %q", code, errb.String())
	}
	if code := Run(&Env{Stdout: &b, Stderr: &errb}, []string{"--version"}); code != ExitOK {
		t.Fatalf("wwkit --version: exit %d, stderr %q", code, errb.String())
	}
	if a.String() != b.String() || !strings.HasPrefix(a.String(), "wwkit ") || !strings.HasSuffix(a.String(), ")\n") {
		t.Fatalf("wwkit version printed %q, --version printed %q; want the same \"wwkit VERSION (…)\" line", a.String(), b.String())
	}
	if strings.Contains(a.String(), "dev ") || strings.HasPrefix(a.String(), "wwkit dev") {
		t.Fatalf("version still prints the old placeholder: %q", a.String())
	}
}
