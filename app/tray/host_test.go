package tray

import (
	"strings"
	"testing"
)

func TestTrayHostWithoutSession(t *testing.T) {
	if !linuxLike() {
		t.Skip("the tray host check only asks D-Bus on Linux and BSDs")
	}
	tests := []struct {
		name, addr, want string
	}{
		{"no session", "", "no D-Bus session"},
		{"dead session", "unix:path=/nonexistent/wwkit-test-bus", "cannot reach the D-Bus session"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", tt.addr)
			ok, why := TrayHost()
			if ok || !strings.Contains(why, tt.want) {
				t.Fatalf("TrayHost() = %v, %q; want false with %q", ok, why, tt.want)
			}
		})
	}
}
