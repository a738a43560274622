package tray

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

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

// Display reports whether an X display is reachable, and why not. Fyne's
// Linux driver (GLFW, X11) panics when it cannot open one, so the tray
// checks first. On systems other than Linux and the BSDs it returns true.
func Display() (bool, string) {
	if !linuxLike() {
		return true, ""
	}
	d := os.Getenv("DISPLAY")
	if d == "" {
		return false, "no X display (DISPLAY is empty); run it in a desktop session or under xvfb-run"
	}
	network, addr, ok := displayAddr(d)
	if !ok {
		return false, fmt.Sprintf("DISPLAY=%q is not of the form [host]:N[.S]; fix DISPLAY", d)
	}
	c, err := net.DialTimeout(network, addr, 2*time.Second)
	if err != nil {
		return false, fmt.Sprintf("the X display %s does not answer (%v); check DISPLAY or start the X server", d, err)
	}
	_ = c.Close()
	return true, ""
}

// displayAddr turns DISPLAY into the X server's socket: ":N" is the Unix
// socket /tmp/.X11-unix/XN, "host:N" is TCP port 6000+N. A "unix:N" or
// path-like host ("/tmp/launch-…/org.xquartz:0") is a Unix socket too.
func displayAddr(d string) (network, addr string, ok bool) {
	i := strings.LastIndexByte(d, ':')
	if i < 0 {
		return "", "", false
	}
	host, num := d[:i], d[i+1:]
	if j := strings.IndexByte(num, '.'); j >= 0 {
		num = num[:j]
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || n > 59535 {
		return "", "", false
	}
	switch {
	case host == "" || host == "unix":
		return "unix", "/tmp/.X11-unix/X" + num, true
	case strings.HasPrefix(host, "/"):
		return "unix", d, true
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return "tcp", net.JoinHostPort(host, strconv.Itoa(6000+n)), true
}
