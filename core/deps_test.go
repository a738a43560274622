package core_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// goList runs `go list` with extra environment and returns its lines.
func goList(t *testing.T, env []string, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", args, err, out)
	}
	return strings.Fields(string(out))
}

// TestCoreDependencies proves the layering rule of STYLE.md: core never
// imports app/, wasm/, frontend/, Wails, Fyne or syscall/js, in any build.
func TestCoreDependencies(t *testing.T) {
	forbidden := []string{
		"github.com/wwkit/wwkit/app",
		"github.com/wwkit/wwkit/wasm",
		"github.com/wwkit/wwkit/frontend",
		"github.com/wailsapp/",
		"fyne.io/",
		"syscall/js",
	}
	for _, tags := range []string{"", "desktop,production,webkit2_41"} {
		deps := goList(t, []string{"CGO_ENABLED=0"}, "-tags", tags, "-deps", "./core/...")
		if len(deps) < 10 {
			t.Fatalf("go list -deps ./core/... returned only %d packages; the check would prove nothing", len(deps))
		}
		for _, d := range deps {
			for _, f := range forbidden {
				if d == strings.TrimSuffix(f, "/") || strings.HasPrefix(d, f) {
					t.Errorf("core depends on %s (tags %q): core must stay free of app/, wasm/, Wails, Fyne and syscall/js", d, tags)
				}
			}
		}
	}
}

// TestCoreNoCgo checks that every core package builds with CGO_ENABLED=0.
func TestCoreNoCgo(t *testing.T) {
	cmd := exec.Command("go", "build", "./core/...")
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("core does not build without cgo: %v\n%s", err, out)
	}
}

// TestWASMBuild checks that the packages the WebAssembly verifier needs build
// for GOOS=js and stay free of the heavy packages that would blow its size
// budget.
func TestWASMBuild(t *testing.T) {
	pkgs := []string{"./core/jssdk", "./core/wxcrypt"}
	for _, p := range pkgs {
		if _, err := os.Stat("../" + p); err != nil {
			t.Fatalf("%s is missing: %v", p, err)
		}
	}
	env := []string{"GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0"}
	cmd := exec.Command("go", append([]string{"build"}, pkgs...)...)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("GOOS=js GOARCH=wasm go build %v: %v\n%s", pkgs, err, out)
	}
	deps := goList(t, env, append([]string{"-deps"}, pkgs...)...)
	for _, d := range deps {
		switch d {
		case "net/http", "encoding/xml":
			t.Errorf("%v import %s under GOOS=js; the WASM verifier must not carry it", pkgs, d)
		}
	}
}

// TestAPIWithoutRedis: the API client and core/token link no Redis client
// (go-redis, and go.uber.org/atomic it brings); a program that wants the
// Redis token store imports core/token/redistoken.
func TestAPIWithoutRedis(t *testing.T) {
	banned := []string{"github.com/redis/", "go.uber.org/atomic"}
	has := func(deps []string) []string {
		var found []string
		for _, d := range deps {
			for _, b := range banned {
				if strings.HasPrefix(d, b) {
					found = append(found, d)
				}
			}
		}
		return found
	}
	for _, pkg := range []string{"./core/api", "./core/token", "./core/callback"} {
		deps := goList(t, []string{"CGO_ENABLED=0"}, "-deps", pkg)
		if len(deps) < 10 {
			t.Fatalf("go list -deps %s returned only %d packages; the check would prove nothing", pkg, len(deps))
		}
		if found := has(deps); len(found) > 0 {
			t.Errorf("%s links %v: keep Redis in core/token/redistoken", pkg, found)
		}
	}
	// The same check finds go-redis where it belongs.
	if found := has(goList(t, []string{"CGO_ENABLED=0"}, "-deps", "./core/token/redistoken")); len(found) == 0 {
		t.Error("core/token/redistoken links no go-redis: the check above cannot see it")
	}
}
