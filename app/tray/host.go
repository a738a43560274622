package tray

import (
	"os"

	"github.com/godbus/dbus/v5"
)

// statusNotifierWatcher is the D-Bus name a StatusNotifierItem tray host
// (KDE, GNOME with the AppIndicator extension, waybar, …) owns; Fyne's Linux
// tray registers with it.
const statusNotifierWatcher = "org.kde.StatusNotifierWatcher"

// TrayHost reports whether a system tray host is there to show the icon,
// and why not when it is not. On Linux it asks the session bus for a
// StatusNotifierWatcher; without a session bus there is none. It never
// panics and opens no GUI. On other systems it returns true (Windows and
// macOS always have a tray / menu bar).
func TrayHost() (bool, string) {
	if !linuxLike() {
		return true, ""
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return false, "no D-Bus session (DBUS_SESSION_BUS_ADDRESS is empty)"
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return false, "cannot reach the D-Bus session: " + err.Error()
	}
	defer conn.Close()
	var has bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, statusNotifierWatcher).Store(&has); err != nil {
		return false, "cannot ask the D-Bus session for a tray host: " + err.Error()
	}
	if !has {
		return false, "no StatusNotifierWatcher on the D-Bus session (the desktop has no tray, or GNOME lacks the AppIndicator extension)"
	}
	return true, ""
}
