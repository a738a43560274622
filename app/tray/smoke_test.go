//go:build traysmoke

package tray_test

// TestTraySmoke is the smoke test of the real tray binary (`make
// test-desktop` runs it through `make tray-smoke`, under Xvfb with a
// private D-Bus session):
//
//  1. without a tray host on the bus, `wwkit tray` prints its dev server
//     URL, /healthz answers, the missing host is reported once and the
//     fallback window "wwkit tray" is mapped; a second tray defers to the
//     first; SIGTERM ends it cleanly (status 0, "stopped", no panic, the
//     server gone);
//  2. with a tray host (this test owns org.kde.StatusNotifierWatcher), the
//     tray registers its icon instead of the window, its D-Bus menu
//     (com.canonical.dbusmenu) shows the dev server, token and callback
//     status, a callback pushed to the emulator shows as "1 new"; with
//     "Notify on callbacks" checked the next one reaches a real
//     notification daemon as a Notify call answered with an id; "Open
//     inspector" opens `wwkit desktop --attach` on the tray's server once;
//     the menu stops and starts the dev server (asking first), sends the
//     test message to the current user (never @all) and switches profile;
//     SIGTERM ends the tray and the inspector with it.
//
// WWKIT_TRAY_BIN names the desktop binary (default build/bin/wwkit from
// the repository root; `make desktop` builds it); WWKIT_TRAY_TIMEOUT the
// seconds each wait may take (default 20).

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

func smokeTimeout() time.Duration {
	if n, err := strconv.Atoi(os.Getenv("WWKIT_TRAY_TIMEOUT")); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	return 20 * time.Second
}

// trayProc is one running `wwkit tray` and its combined output.
type trayProc struct {
	t   *testing.T
	cmd *exec.Cmd
	log string // file with its stdout and stderr
	ret chan error
}

func (p *trayProc) output() string {
	b, _ := os.ReadFile(p.log)
	return string(b)
}

// waitFor polls until f returns true (at most the timeout); what names
// the wait in the failure.
func waitFor(t *testing.T, limit time.Duration, what string, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("tray-smoke: %s within %v", what, limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// lineValue waits for a log line matching re and returns its first group.
func (p *trayProc) lineValue(re *regexp.Regexp, what string) string {
	p.t.Helper()
	var v string
	waitFor(p.t, smokeTimeout(), what+"\n--- tray log\n"+p.output(), func() bool {
		select {
		case err := <-p.ret:
			p.ret <- err
			p.t.Fatalf("tray-smoke: wwkit tray exited (%v) before %s\n--- tray log\n%s", err, what, p.output())
		default:
		}
		if m := re.FindStringSubmatch(p.output()); m != nil {
			v = m[1]
			return true
		}
		return false
	})
	return v
}

// stop sends SIGTERM and expects exit status 0 within the timeout.
func (p *trayProc) stop() {
	p.t.Helper()
	start := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		p.t.Fatalf("tray-smoke: SIGTERM: %v", err)
	}
	select {
	case err := <-p.ret:
		if err != nil {
			p.t.Fatalf("tray-smoke: exit after SIGTERM: %v\n--- tray log\n%s", err, p.output())
		}
	case <-time.After(smokeTimeout()):
		p.t.Fatalf("tray-smoke: still running %v after SIGTERM\n--- tray log\n%s", smokeTimeout(), p.output())
	}
	p.t.Logf("tray-smoke: clean exit (status 0) %.2f s after SIGTERM", time.Since(start).Seconds())
}

type smoke struct {
	t    *testing.T
	bin  string
	data string
	env  []string
}

func (s *smoke) startTray(name string) *trayProc {
	s.t.Helper()
	log := filepath.Join(s.data, name+".log")
	f, err := os.Create(log)
	if err != nil {
		s.t.Fatal(err)
	}
	cmd := exec.Command(s.bin, "tray", "--data-dir", filepath.Join(s.data, name), "--addr", "127.0.0.1:0")
	cmd.Env, cmd.Stdout, cmd.Stderr = s.env, f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		s.t.Fatalf("tray-smoke: starting %s tray: %v", s.bin, err)
	}
	p := &trayProc{t: s.t, cmd: cmd, log: log, ret: make(chan error, 1)}
	go func() { p.ret <- cmd.Wait(); f.Close() }()
	s.t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
	})
	return p
}

func healthz(url string) (int, string, error) {
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url + "/healthz")
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String(), nil
}

func hasWindow(title string) bool {
	out, err := exec.Command("xwininfo", "-root", "-tree").Output()
	return err == nil && strings.Contains(string(out), `"`+title+`"`)
}

var (
	devServerLine = regexp.MustCompile(`(?m)^wwkit tray: dev server on (http[^ \n]*)`)
	emulatorLine  = regexp.MustCompile(`(?m)^wwkit tray: emulator on (http[^ \n]*)`)
)

func TestTraySmoke(t *testing.T) {
	bin := os.Getenv("WWKIT_TRAY_BIN")
	if bin == "" {
		bin = filepath.Join("..", "..", "build", "bin", "wwkit")
	}
	bin, _ = filepath.Abs(bin)
	if fi, err := os.Stat(bin); err != nil || fi.Mode()&0o111 == 0 {
		t.Fatalf("tray-smoke: %s is missing; run make desktop (or set WWKIT_TRAY_BIN)", bin)
	}
	if os.Getenv("DISPLAY") == "" || os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Fatal("tray-smoke: needs an X display and a private D-Bus session: run it with make tray-smoke (xvfb-run + dbus-run-session)")
	}
	data := t.TempDir()
	run := filepath.Join(data, "run") // private single-instance socket
	if err := os.Mkdir(run, 0o700); err != nil {
		t.Fatal(err)
	}
	// The labels below are English: pin the language (a fresh data dir
	// has no saved choice).
	env := []string{"LANGUAGE=", "LC_ALL=", "LC_MESSAGES=", "LANG=C.UTF-8", "XDG_RUNTIME_DIR=" + run}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "XDG_RUNTIME_DIR":
		default:
			env = append(env, kv)
		}
	}
	s := &smoke{t: t, bin: bin, data: data, env: env}
	t.Run("without a tray host", s.withoutHost)
	if t.Failed() {
		return
	}
	t.Run("with a tray host", s.withHost)
}

func (s *smoke) withoutHost(t *testing.T) {
	s.t = t
	start := time.Now()
	p := s.startTray("state")
	url := p.lineValue(devServerLine, "a 'wwkit tray: dev server on URL' line")
	t.Logf("tray-smoke: dev server on %s after %.2f s", url, time.Since(start).Seconds())

	code, body, err := healthz(url)
	if err != nil || code != 200 {
		t.Fatalf("tray-smoke: /healthz answered %d %q, %v", code, body, err)
	}
	t.Logf("tray-smoke: /healthz 200: %.200s", body)

	// No tray host in this D-Bus session: said once, and the window shown.
	waitFor(t, smokeTimeout(), "the missing tray host reported", func() bool {
		return strings.Contains(p.output(), "no system tray host")
	})
	if n := strings.Count(p.output(), "no system tray host"); n != 1 {
		t.Errorf("tray-smoke: the missing tray host was reported %d times, want once", n)
	}
	if _, err := exec.LookPath("xwininfo"); err == nil {
		waitFor(t, 5*time.Second, "a 'wwkit tray' window although there is no tray host", func() bool { return hasWindow("wwkit tray") })
		t.Log("tray-smoke: fallback window 'wwkit tray' is mapped")
	}

	// A second tray defers to the first and exits 0 at once.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	second := exec.CommandContext(ctx, s.bin, "tray", "--data-dir", filepath.Join(s.data, "state2"), "--addr", "127.0.0.1:0")
	second.Env = s.env
	out, err := second.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "already running") {
		t.Fatalf("tray-smoke: second tray: %v, output %q; want exit 0 saying the first is already running", err, out)
	}
	t.Logf("tray-smoke: second instance: %s", strings.TrimSpace(string(out)))

	p.stop()
	log := p.output()
	if strings.Contains(strings.ToLower(log), "panic") {
		t.Errorf("tray-smoke: the log mentions a panic:\n%s", log)
	}
	if !strings.Contains(log, "wwkit tray: stopped") {
		t.Errorf("tray-smoke: no 'stopped' line after SIGTERM:\n%s", log)
	}
	if _, _, err := healthz(url); err == nil {
		t.Error("tray-smoke: the dev server still answers after exit")
	}
}

// watcher is a minimal StatusNotifierWatcher: it owns the name and
// accepts registrations, which is what makes the tray choose its icon.
type watcher struct{ registered chan string }

func (w watcher) RegisterStatusNotifierItem(service string, sender dbus.Sender) *dbus.Error {
	select {
	case w.registered <- string(sender):
	default:
	}
	return nil
}

func (watcher) RegisterStatusNotifierHost(string) *dbus.Error { return nil }

// menuItem is one entry of the tray's D-Bus menu.
type menuItem struct {
	id    int32
	label string
}

// dbusLayout is com.canonical.dbusmenu's layout node: (ia{sv}av).
type dbusLayout struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []dbus.Variant
}

func flatten(n dbusLayout, out *[]menuItem) {
	if v, ok := n.Props["label"]; ok {
		if l, ok := v.Value().(string); ok {
			*out = append(*out, menuItem{n.ID, l})
		}
	}
	for _, c := range n.Children {
		var child dbusLayout
		if err := dbus.Store([]any{c.Value()}, &child); err == nil {
			flatten(child, out)
		}
	}
}

type trayMenu struct {
	t   *testing.T
	obj dbus.BusObject
	log func() string
}

func (m *trayMenu) items() []menuItem {
	var rev uint32
	var root dbusLayout
	err := m.obj.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{"label"}).Store(&rev, &root)
	if err != nil {
		return nil
	}
	var out []menuItem
	flatten(root, &out)
	return out
}

func (m *trayMenu) labels() []string {
	var l []string
	for _, it := range m.items() {
		l = append(l, it.label)
	}
	return l
}

// wait waits until a label matches re and returns it.
func (m *trayMenu) wait(re string) string {
	m.t.Helper()
	rx := regexp.MustCompile(re)
	var got string
	deadline := time.Now().Add(smokeTimeout())
	for {
		for _, l := range m.labels() {
			if rx.MatchString(l) {
				got = l
				return got
			}
		}
		if time.Now().After(deadline) {
			m.t.Fatalf("tray-smoke: the tray menu never showed %q; it shows: %s\n--- tray log\n%s", re, strings.Join(m.labels(), "|"), m.log())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// click clicks the item labelled exactly label.
func (m *trayMenu) click(label string) {
	m.t.Helper()
	for _, it := range m.items() {
		if it.label == label {
			if err := m.obj.Call("com.canonical.dbusmenu.Event", 0, it.id, "clicked", dbus.MakeVariant(int32(0)), uint32(0)).Err; err != nil {
				m.t.Fatalf("tray-smoke: clicking %q over D-Bus: %v", label, err)
			}
			return
		}
	}
	m.t.Fatalf("tray-smoke: no menu item %q; the menu shows: %s", label, strings.Join(m.labels(), "|"))
}

func postCallback(t *testing.T, emu, content string) {
	t.Helper()
	resp, err := http.Post(emu+"/__emulator/callbacks", "application/json", strings.NewReader(`{"content":`+strconv.Quote(content)+`}`))
	if err != nil {
		t.Fatalf("tray-smoke: pushing a callback to the emulator at %s: %v", emu, err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("tray-smoke: pushing a callback: HTTP %d", resp.StatusCode)
	}
}

func (s *smoke) withHost(t *testing.T) {
	s.t = t
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatalf("tray-smoke: the session bus: %v", err)
	}
	defer conn.Close()
	w := watcher{registered: make(chan string, 1)}
	if err := conn.Export(w, "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"); err != nil {
		t.Fatal(err)
	}
	if r, err := conn.RequestName("org.kde.StatusNotifierWatcher", dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("tray-smoke: cannot own the watcher name: %v %v", r, err)
	}

	p := s.startTray("state3")
	url := p.lineValue(devServerLine, "a dev server URL with a tray host")
	emu := ""
	if m := emulatorLine.FindStringSubmatch(p.output()); m != nil {
		emu = m[1]
	}
	var dest string
	select {
	case dest = <-w.registered:
	case <-time.After(5 * time.Second):
		t.Fatalf("tray-smoke: the tray did not register its icon with the StatusNotifierWatcher\n--- tray log\n%s", p.output())
	}
	if strings.Contains(p.output(), "no system tray host") {
		t.Fatalf("tray-smoke: the tray fell back to a window although a tray host runs")
	}
	menu := &trayMenu{t: t, obj: conn.Object(dest, "/StatusNotifierMenu"), log: p.output}
	menu.wait(`^Dev server: running on ` + regexp.QuoteMeta(url) + `$`)
	menu.wait(`^access_token: valid for [0-9]`)
	menu.wait(`^Callbacks: none new \(0 stored\)$`)
	t.Logf("tray-smoke: tray menu over D-Bus: %s", strings.Join(menu.labels(), "|"))
	if emu != "" {
		postCallback(t, emu, "hello from tray-smoke")
		menu.wait(`^Callbacks: 1 new \(1 stored\)$`)
		t.Log("tray-smoke: a pushed callback shows as 'Callbacks: 1 new (1 stored)'")
	}

	s.notifications(t, menu, emu)

	var child int
	if _, err := exec.LookPath("xwininfo"); err == nil {
		// Open inspector: the tray starts `wwkit desktop --attach <its
		// server>`; the window must come up on the tray's dev server (the
		// same URL, no second server).
		menu.click("Open inspector")
		menu.wait(`^inspector opened \(attached to `)
		waitFor(t, smokeTimeout(), "the inspector opened attached to "+url+" (window 'wwkit — wecom' and 'wwkit desktop: dev server on "+url+"' expected)", func() bool {
			return strings.Contains(p.output(), "\nwwkit desktop: dev server on "+url+",") && hasWindow("wwkit — wecom")
		})
		child = childOf(p.cmd.Process.Pid)
		if child == 0 {
			t.Fatal("tray-smoke: no inspector process under the tray")
		}
		t.Cleanup(func() { syscall.Kill(child, syscall.SIGKILL) }) // a failed run leaves no window behind
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", child))
		if !strings.Contains(string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '})), "--attach "+url) {
			t.Fatalf("tray-smoke: the inspector's command line is not attached to %s: %q", url, cmdline)
		}
		menu.click("Open inspector")
		menu.wait(`^the inspector is already open$`)
		t.Logf("tray-smoke: Open inspector: wwkit desktop --attach %s showed its window on the tray's server; a second click did not start another", url)
	}

	menu.click("Stop dev server")
	menu.wait(`^Stop the dev server\? `)
	menu.wait(`^Yes, stop the dev server$`)
	if _, _, err := healthz(url); err != nil {
		t.Fatal("tray-smoke: the first click on 'Stop dev server' stopped the server without asking")
	}
	menu.click("Yes, stop the dev server")
	menu.wait(`^Dev server: stopped$`)
	if _, _, err := healthz(url); err == nil {
		t.Fatal("tray-smoke: the dev server still answers after 'Stop dev server'")
	}
	menu.click("Start dev server")
	url2 := strings.TrimPrefix(menu.wait(`^Dev server: running on http`), "Dev server: running on ")
	if code, _, err := healthz(url2); err != nil || code != 200 {
		t.Fatalf("tray-smoke: /healthz after 'Start dev server' on %s: %d %v", url2, code, err)
	}
	// The recipient is the current user (the emulator's first member until
	// someone signs in on the H5 page), read from the menu, never @all.
	me := strings.TrimPrefix(menu.wait(`^Send a test message to `), "Send a test message to ")
	if me == "" || me == "@all" {
		t.Fatalf("tray-smoke: the test message goes to %q, want the current user", me)
	}
	menu.click("Send a test message to " + me)
	menu.wait(`^test message to ` + regexp.QuoteMeta(me) + `: sent, msgid `)
	menu.click("mp (mp)")
	menu.wait(`^Profile: mp \(mp\)$`)
	t.Logf("tray-smoke: menu clicks: Stop dev server -> asked, Yes -> stopped, Start dev server -> running on %s (/healthz 200), test message sent to the current user %s, switched to mp", url2, me)

	p.stop()
	if child != 0 {
		// The inspector is attached to the tray's server: quitting the
		// tray ends it.
		waitFor(t, smokeTimeout(), "the inspector window ending with the tray", func() bool {
			return syscall.Kill(child, 0) != nil
		})
		t.Log("tray-smoke: the inspector ended with the tray")
	}
	if strings.Contains(strings.ToLower(p.output()), "panic") {
		t.Errorf("tray-smoke: the log mentions a panic (with a tray host):\n%s", p.output())
	}
}

// notifications checks delivery to a real notification daemon
// (notification-daemon, else dunst): with "Notify on callbacks" checked, a
// pushed callback must reach the daemon as an
// org.freedesktop.Notifications.Notify call on the bus, answered with a
// notification id.
func (s *smoke) notifications(t *testing.T, menu *trayMenu, emu string) {
	daemon := ""
	for _, d := range []string{"/usr/lib/notification-daemon/notification-daemon", "dunst"} {
		if p, err := exec.LookPath(d); err == nil {
			daemon = p
			break
		}
	}
	_, monErr := exec.LookPath("dbus-monitor")
	if emu == "" || daemon == "" || monErr != nil {
		t.Log("tray-smoke: SKIP notification delivery (needs notification-daemon or dunst, and dbus-monitor)")
		return
	}
	nd := exec.Command(daemon)
	nd.Env = s.env
	var ndLog bytes.Buffer
	nd.Stdout, nd.Stderr = &ndLog, &ndLog
	if err := nd.Start(); err != nil {
		t.Fatalf("tray-smoke: starting %s: %v", daemon, err)
	}
	defer func() { nd.Process.Kill(); nd.Wait() }()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	owner := ""
	waitFor(t, smokeTimeout(), "the notification daemon "+daemon+" taking org.freedesktop.Notifications", func() bool {
		return conn.BusObject().Call("org.freedesktop.DBus.GetNameOwner", 0, "org.freedesktop.Notifications").Store(&owner) == nil && owner != ""
	})
	monLog := filepath.Join(s.data, "monitor.log")
	mf, err := os.Create(monLog)
	if err != nil {
		t.Fatal(err)
	}
	mon := exec.Command("dbus-monitor", "--session",
		"type='method_call',interface='org.freedesktop.Notifications',member='Notify'",
		"type='method_return',sender='"+owner+"'")
	mon.Env, mon.Stdout, mon.Stderr = s.env, mf, mf
	if err := mon.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { mon.Process.Kill(); mon.Wait(); mf.Close() }()
	time.Sleep(300 * time.Millisecond)
	menu.click("Notify on callbacks")
	time.Sleep(300 * time.Millisecond)
	postCallback(t, emu, "notify me")
	menu.wait(`^Callbacks: 2 new \(2 stored\)$`)
	read := func() string { b, _ := os.ReadFile(monLog); return string(b) }
	waitFor(t, smokeTimeout(), "a Notify call for the callback on the bus", func() bool {
		m := read()
		return strings.Contains(m, `string "wwkit: callback for wecom"`) && strings.Contains(m, `string "text: notify me"`)
	})
	// The daemon's answer to Notify carries the notification id (uint32).
	answered := regexp.MustCompile(`method return [^\n]*sender=` + regexp.QuoteMeta(owner) + `[^\n]*\n\s*uint32 [1-9]`)
	waitFor(t, 5*time.Second, "the notification daemon answering the Notify call with an id", func() bool {
		return answered.MatchString(read())
	})
	t.Logf("tray-smoke: notification delivered: Notify(\"wwkit: callback for wecom\", \"text: notify me\") answered by %s (%s) with an id", filepath.Base(daemon), owner)
}

// childOf returns a child process of pid (0 when none).
func childOf(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	if err == nil {
		if f := strings.Fields(string(b)); len(f) > 0 {
			n, _ := strconv.Atoi(f[0])
			return n
		}
	}
	// Other threads of the Go process may have started it.
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, t := range tasks {
		b, _ := os.ReadFile(t)
		if f := strings.Fields(string(b)); len(f) > 0 {
			n, _ := strconv.Atoi(f[0])
			return n
		}
	}
	return 0
}
