package profile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/emulator/fixture"
)

// TestRobotKey: robot_key_env reads a group robot's webhook key, an empty
// variable is an error naming it, and a real key given as an override
// leaves the emulator (it must reach the real host), while the emulator's
// own key keeps the profile emulated.
func TestRobotKey(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "wwkit.toml")
	if err := os.WriteFile(cfg, []byte(`
[profiles.ops]
robot_key_env = "OPS_ROBOT_KEY"
`), 0o600); err != nil {
		t.Fatal(err)
	}
	key := "693a91f6-7c1e-4bc4-97a0-0ec2b1fa5aaa"
	p, err := Resolve(Overrides{ConfigPath: cfg, Name: "ops"}, func(k string) string { return map[string]string{"OPS_ROBOT_KEY": key}[k] })
	if err != nil || p.RobotKey != key || p.Emulated {
		t.Fatalf("robot_key_env: %+v, %v", p, err)
	}
	if _, err := Resolve(Overrides{ConfigPath: cfg, Name: "ops"}, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "OPS_ROBOT_KEY") {
		t.Errorf("empty robot_key_env: %v", err)
	}
	p, err = Resolve(Overrides{ConfigPath: "-", RobotKey: key}, func(string) string { return "" })
	if err != nil || p.RobotKey != key || p.Emulated {
		t.Errorf("a real key override: %+v, %v", p, err)
	}
	p, err = Resolve(Overrides{ConfigPath: "-", RobotKey: fixture.RobotKey}, func(string) string { return "" })
	if err != nil || p.RobotKey != fixture.RobotKey || !p.Emulated {
		t.Errorf("the emulator's key: %+v, %v", p, err)
	}
}
