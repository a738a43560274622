//go:build desktop

package desktop

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/app/cli"
)

// Without a reachable display the window command says why and exits with an
// error instead of GTK's "failed to init GTK" panic, and starts nothing.
func TestWindowWithoutDisplayIsAnError(t *testing.T) {
	t.Setenv("WAYLAND_DISPLAY", "")
	for _, d := range []string{"", ":59999"} {
		t.Setenv("DISPLAY", d)
		var out, errb bytes.Buffer
		dir := t.TempDir()
		err := runWindow(context.Background(), &cli.Env{Stdout: &out, Stderr: &errb}, windowFlags{dataDir: dir, addr: "127.0.0.1:0"})
		if err == nil || !strings.Contains(err.Error(), "cannot open a window") || !strings.Contains(err.Error(), "wwkit serve") {
			t.Fatalf("DISPLAY=%q: err = %v", d, err)
		}
		if strings.Contains(errb.String(), "dev server on") {
			t.Fatalf("DISPLAY=%q: the dev server started before the display check: %s", d, errb.String())
		}
	}
}
