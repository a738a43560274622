package cli

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultServeData(t *testing.T) {
	home := func() (string, error) { return "/home/li", nil }
	config := func() (string, error) { return `C:\Users\li\AppData\Roaming`, nil }
	none := func() (string, error) { return "", errors.New("$HOME is not defined") }

	if got, err := defaultServeData("windows", home, config); err != nil || got != filepath.Join(`C:\Users\li\AppData\Roaming`, "wwkit", "serve") {
		t.Errorf("windows: %q, %v; want %%AppData%%\\wwkit\\serve", got, err)
	}
	// No home directory on Windows does not matter: %AppData% is used.
	if _, err := defaultServeData("windows", none, config); err != nil {
		t.Errorf("windows without a home dir: %v", err)
	}
	for _, goos := range []string{"linux", "darwin"} {
		if got, err := defaultServeData(goos, home, config); err != nil || got != filepath.Join("/home/li", ".wwkit", "serve") {
			t.Errorf("%s: %q, %v; want ~/.wwkit/serve", goos, got, err)
		}
	}
	for _, c := range []struct {
		goos       string
		home, conf func() (string, error)
		want       string
	}{
		{"windows", home, none, "%AppData%"},
		{"linux", none, config, "home directory"},
	} {
		_, err := defaultServeData(c.goos, c.home, c.conf)
		var ee *ExitError
		if !errors.As(err, &ee) || ee.Code != ExitUsage || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "--data") {
			t.Errorf("%s with no directory: %v; want a usage error naming %s and --data", c.goos, err, c.want)
		}
	}
}
