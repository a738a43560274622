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

func TestDisplayAddr(t *testing.T) {
	tests := []struct {
		in, network, addr string
		ok                bool
	}{
		{":0", "unix", "/tmp/.X11-unix/X0", true},
		{":99.0", "unix", "/tmp/.X11-unix/X99", true},
		{"unix:1", "unix", "/tmp/.X11-unix/X1", true},
		{"localhost:10.0", "tcp", "localhost:6010", true},
		{"[::1]:2", "tcp", "[::1]:6002", true},
		{"/tmp/launch-x/org.xquartz:0", "unix", "/tmp/launch-x/org.xquartz:0", true},
		{"", "", "", false},
		{"nocolon", "", "", false},
		{":x", "", "", false},
		{":-1", "", "", false},
		{":99999999999999999999", "", "", false},
	}
	for _, tt := range tests {
		n, a, ok := displayAddr(tt.in)
		if n != tt.network || a != tt.addr || ok != tt.ok {
			t.Errorf("displayAddr(%q) = %q, %q, %v; want %q, %q, %v", tt.in, n, a, ok, tt.network, tt.addr, tt.ok)
		}
	}
}

func TestDisplayMissing(t *testing.T) {
	if !linuxLike() {
		t.Skip("the display check is for X11 systems")
	}
	tests := []struct{ display, want string }{
		{"", "DISPLAY is empty"},
		{"garbage", "not of the form"},
		{"unix:59000", "does not answer"},
	}
	for _, tt := range tests {
		t.Setenv("DISPLAY", tt.display)
		if ok, why := Display(); ok || !strings.Contains(why, tt.want) {
			t.Errorf("DISPLAY=%q: Display() = %v, %q; want false with %q", tt.display, ok, why, tt.want)
		}
	}
}
