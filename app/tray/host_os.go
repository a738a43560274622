package tray

import "runtime"

// linuxLike reports whether the tray goes through D-Bus StatusNotifierItem.
func linuxLike() bool {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		return true
	}
	return false
}
