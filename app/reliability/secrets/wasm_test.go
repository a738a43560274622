package secrets

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// wasmModule builds the WASM verifier as `make wasm` does and captures it,
// plus wasm/dist/wwkit.wasm when a build is there. The verifier must not
// link the API client, the token stores or the emulator (whose default
// fixture holds credentials).
func wasmModule(t *testing.T, a *auditor, dir string) {
	out := filepath.Join(dir, "wwkit.wasm")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, "github.com/wwkit/wwkit/wasm")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the WASM verifier: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	a.capture("WASM module", "go build ./wasm (GOOS=js)", b)
	if dist, err := os.ReadFile("../../../wasm/dist/wwkit.wasm"); err == nil {
		a.capture("WASM module", "wasm/dist/wwkit.wasm", dist)
	}
	list := exec.Command("go", "list", "-deps", "github.com/wwkit/wwkit/wasm")
	list.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	deps, err := list.CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps ./wasm: %v\n%s", err, deps)
	}
	if !strings.Contains(string(deps), "github.com/wwkit/wwkit/core/jssdk\n") {
		t.Fatalf("go list output lacks core/jssdk; the check proves nothing:\n%s", deps)
	}
	for _, p := range []string{"github.com/wwkit/wwkit/core/api", "github.com/wwkit/wwkit/core/token", "github.com/wwkit/wwkit/core/emulator", "github.com/wwkit/wwkit/app/"} {
		if strings.Contains(string(deps), p) {
			t.Errorf("the WASM module links %s", p)
		}
	}
}
