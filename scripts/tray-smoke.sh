#!/usr/bin/env bash
# Smoke test of the real tray: starts `wwkit tray` under Xvfb with a private
# D-Bus session (which has no tray host, so the tray must detect that and
# fall back to its small window without panicking), reads the dev server URL
# it prints, checks /healthz, checks that a second `wwkit tray` defers to the
# first, sends SIGTERM and expects a clean exit (status 0, "stopped" logged,
# no panic) within the timeout.
# Then, when go and dbus-send are there, it runs the same tray against a
# minimal StatusNotifierWatcher (built from the Go source below): the tray
# must register its icon instead of the window, its D-Bus menu
# (com.canonical.dbusmenu) must show the dev server and token status, and a
# callback pushed to the emulator must appear as "Callbacks: 1 new"; with
# "Notify on callbacks" checked, the next one must reach a real notification
# daemon (notification-daemon or dunst) as a Notify call on the bus; "Open
# inspector" must open `wwkit desktop` attached to the tray's server.
#
#   scripts/tray-smoke.sh [BINARY]        (default build/bin/wwkit; `make desktop` builds it)
#
# Needs: xvfb (xvfb-run), xauth, dbus (dbus-run-session), curl; optional
# x11-utils (xwininfo) to check the fallback window is mapped.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-build/bin/wwkit}"
TIMEOUT="${TIMEOUT:-20}"

[ -x "$BIN" ] || { echo "tray-smoke: $BIN is missing; run make desktop" >&2; exit 2; }
for c in xvfb-run dbus-run-session curl; do
  command -v "$c" >/dev/null || { echo "tray-smoke: $c is missing; apt-get install xvfb xauth dbus curl" >&2; exit 2; }
done

if [ -z "${WWKIT_SMOKE_INNER:-}" ]; then
  export WWKIT_SMOKE_INNER=1 TIMEOUT
  exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$0" "$BIN"
fi

# Inside Xvfb and the D-Bus session from here on.
# The labels below are English: pin the language (a fresh data dir has no saved choice).
export LANGUAGE= LC_ALL= LC_MESSAGES= LANG=C.UTF-8
data="$(mktemp -d)"
log="$data/tray.log"
export XDG_RUNTIME_DIR="$data/run" # private single-instance socket
mkdir -m 700 "$XDG_RUNTIME_DIR"
cleanup() {
  [ -n "${child:-}" ] && kill "$child" 2>/dev/null || true
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
fail() { echo "tray-smoke: FAIL: $*" >&2; echo "--- tray log" >&2; cat "$log" >&2; exit 1; }

start=$(date +%s.%N)
"$BIN" tray --data-dir "$data/state" --addr 127.0.0.1:0 >"$log" 2>&1 &
pid=$!

# 1. The start line carries the dev server URL.
url=""
deadline=$(( $(date +%s) + TIMEOUT ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  kill -0 "$pid" 2>/dev/null || fail "wwkit tray exited before printing its dev server URL"
  url="$(sed -n 's/^wwkit tray: dev server on \(http[^ ]*\).*/\1/p' "$log" | head -1)"
  [ -n "$url" ] && break
  sleep 0.05
done
[ -n "$url" ] || fail "no 'wwkit tray: dev server on URL' line within ${TIMEOUT}s"
echo "tray-smoke: dev server on $url after $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}') s"

# 2. The dev server answers.
code="$(curl -s -o "$data/healthz" -w '%{http_code}' --max-time 5 "$url/healthz")" || fail "curl $url/healthz failed"
[ "$code" = 200 ] || fail "/healthz answered $code: $(cat "$data/healthz")"
echo "tray-smoke: /healthz 200: $(head -c 200 "$data/healthz")"

# 3. No tray host in this D-Bus session: said once, and the window is shown.
for _ in $(seq $(( TIMEOUT * 20 ))); do
  grep -q "no system tray host" "$log" && break
  sleep 0.05
done
grep -q "no system tray host" "$log" || fail "the missing tray host was not reported"
[ "$(grep -c 'no system tray host' "$log")" = 1 ] || fail "the missing tray host was reported more than once"
if command -v xwininfo >/dev/null; then
  seen=""
  for _ in $(seq 100); do
    if xwininfo -root -tree 2>/dev/null | grep -q '"wwkit tray"'; then seen=1; break; fi
    sleep 0.05
  done
  [ -n "$seen" ] || fail "no 'wwkit tray' window although there is no tray host"
  echo "tray-smoke: fallback window 'wwkit tray' is mapped"
fi

# 4. A second tray defers to the first and exits 0 at once.
second="$(timeout 10 "$BIN" tray --data-dir "$data/state2" --addr 127.0.0.1:0 2>&1)" || fail "second tray failed: $second"
grep -q "already running" <<<"$second" || fail "second tray did not defer: $second"
echo "tray-smoke: second instance: $(grep "already running" <<<"$second")"

# 5. SIGTERM: clean exit.
kill -TERM "$pid"
status=0
t0=$(date +%s.%N)
for _ in $(seq $(( TIMEOUT * 20 ))); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
kill -0 "$pid" 2>/dev/null && fail "still running ${TIMEOUT}s after SIGTERM"
wait "$pid" || status=$?
pid=""
[ "$status" = 0 ] || fail "exit status $status after SIGTERM"
grep -qi "panic" "$log" && fail "the log mentions a panic"
grep -q "wwkit tray: stopped" "$log" || fail "no 'stopped' line after SIGTERM"
curl -s --max-time 2 "$url/healthz" >/dev/null && fail "the dev server still answers after exit"
echo "tray-smoke: clean exit (status 0) $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}') s after SIGTERM"

# 6. With a tray host.
if ! command -v go >/dev/null || ! command -v dbus-send >/dev/null; then
  echo "tray-smoke: SKIP tray-host phase (needs go and dbus-send)"
  echo "tray-smoke: PASS"
  exit 0
fi
mkdir "$data/snw"
cat >"$data/snw/main.go" <<'GO'
// A minimal StatusNotifierWatcher: owns the name and accepts registrations.
package main

import (
	"fmt"
	"os"

	"github.com/godbus/dbus/v5"
)

type watcher struct{}

func (watcher) RegisterStatusNotifierItem(service string, sender dbus.Sender) *dbus.Error {
	fmt.Println("registered", sender)
	return nil
}

func (watcher) RegisterStatusNotifierHost(string) *dbus.Error { return nil }

func main() {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := conn.Export(watcher{}, "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if r, err := conn.RequestName("org.kde.StatusNotifierWatcher", dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		fmt.Fprintln(os.Stderr, "cannot own the watcher name", r, err)
		os.Exit(1)
	}
	fmt.Println("ready")
	select {}
}
GO
dbusver="$(awk '$1=="github.com/godbus/dbus/v5"{print $2; exit}' go.mod)"
printf 'module snw\n\ngo 1.21\n\nrequire github.com/godbus/dbus/v5 %s\n' "${dbusver:-v5.1.0}" >"$data/snw/go.mod"
cp go.sum "$data/snw/go.sum"
(cd "$data/snw" && go build -o snw .) || fail "building the test StatusNotifierWatcher"
"$data/snw/snw" >"$data/snw.log" 2>&1 &
wpid=$!
for _ in $(seq 100); do grep -q ready "$data/snw.log" && break; sleep 0.05; done
grep -q ready "$data/snw.log" || fail "the test StatusNotifierWatcher did not start: $(cat "$data/snw.log")"

log="$data/tray2.log"
"$BIN" tray --data-dir "$data/state3" --addr 127.0.0.1:0 >"$log" 2>&1 &
pid=$!
url=""
for _ in $(seq $(( TIMEOUT * 20 ))); do
  url="$(sed -n 's/^wwkit tray: dev server on \(http[^ ]*\).*/\1/p' "$log" | head -1)"
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || fail "wwkit tray (with a tray host) exited early"
  sleep 0.05
done
[ -n "$url" ] || fail "no dev server URL with a tray host"
emu="$(sed -n 's/^wwkit tray: emulator on \(http[^ ]*\).*/\1/p' "$log" | head -1)"
dest=""
for _ in $(seq 100); do
  dest="$(awk '/^registered/{print $2; exit}' "$data/snw.log")"
  [ -n "$dest" ] && break
  sleep 0.05
done
[ -n "$dest" ] || fail "the tray did not register its icon with the StatusNotifierWatcher"
grep -q "no system tray host" "$log" && fail "the tray fell back to a window although a tray host runs"
# (Pipelines below never stop reading early: under pipefail a SIGPIPE would
# fail the script.)
menu() {
  local out
  out="$(dbus-send --session --print-reply --dest="$dest" /StatusNotifierMenu com.canonical.dbusmenu.GetLayout \
    int32:0 int32:-1 array:string:label 2>/dev/null)" || true
  grep -o 'string "[^"]*"' <<<"$out" | sed 's/^string "//; s/"$//' | grep -vx label || true
}
wait_menu() { # wait until the menu has a line matching $1
  for _ in $(seq $(( TIMEOUT * 10 ))); do
    grep -q "$1" <<<"$(menu)" && return 0
    sleep 0.1
  done
  fail "the tray menu never showed '$1'; it shows: $(menu | tr '\n' '|')"
}
wait_menu "^Dev server: running on $url\$"
wait_menu '^access_token: valid for [0-9]'
wait_menu '^Callbacks: none new (0 stored)$'
echo "tray-smoke: tray menu over D-Bus: $(grep -E '^(Dev server|Profile|access_token|Callbacks)' <<<"$(menu)" | tr '\n' '|')"
if [ -n "$emu" ]; then
  curl -s --max-time 5 -H 'Content-Type: application/json' "$emu/__emulator/callbacks" -d '{"content":"hello from tray-smoke"}' >/dev/null \
    || fail "pushing a callback to the emulator at $emu"
  wait_menu '^Callbacks: 1 new (1 stored)$'
  echo "tray-smoke: a pushed callback shows as 'Callbacks: 1 new (1 stored)'"
fi
click() { # click the menu item labelled exactly $1 (com.canonical.dbusmenu.Event)
  local id
  local layout
  layout="$(dbus-send --session --print-reply --dest="$dest" /StatusNotifierMenu com.canonical.dbusmenu.GetLayout \
    int32:0 int32:-1 array:string:label 2>/dev/null)" || true
  id="$(awk -v want="string \"$1\"" '/struct \{/ { getline; if ($1 == "int32") id = $2 }
      /string "label"/ { getline; sub(/^[ \t]*variant[ \t]*/, ""); if ($0 == want && found == "") found = id }
      END { print found }' <<<"$layout")"
  [ -n "$id" ] || fail "no menu item '$1'; the menu shows: $(menu | tr '\n' '|')"
  dbus-send --session --print-reply --dest="$dest" /StatusNotifierMenu com.canonical.dbusmenu.Event \
    int32:"$id" string:clicked variant:int32:0 uint32:0 >/dev/null || fail "clicking '$1' over D-Bus"
}
# 7. Notification delivery to a real notification daemon (notification-daemon,
# else dunst): with "Notify on callbacks" checked, a pushed callback must
# reach the daemon as an org.freedesktop.Notifications.Notify call on the bus,
# answered with a notification id.
daemon=""
for d in /usr/lib/notification-daemon/notification-daemon "$(command -v dunst || true)"; do
  [ -n "$d" ] && [ -x "$d" ] && { daemon="$d"; break; }
done
if [ -z "$emu" ] || [ -z "$daemon" ] || ! command -v dbus-monitor >/dev/null; then
  echo "tray-smoke: SKIP notification delivery (needs notification-daemon or dunst, and dbus-monitor)"
else
  "$daemon" >"$data/notifyd.log" 2>&1 &
  npid=$!
  owner=""
  for _ in $(seq $(( TIMEOUT * 10 ))); do
    owner="$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.GetNameOwner \
      string:org.freedesktop.Notifications 2>/dev/null | sed -n 's/^ *string "\(.*\)"$/\1/p')" || true
    [ -n "$owner" ] && break
    sleep 0.1
  done
  [ -n "$owner" ] || fail "the notification daemon $daemon did not take org.freedesktop.Notifications: $(cat "$data/notifyd.log")"
  dbus-monitor --session "type='method_call',interface='org.freedesktop.Notifications',member='Notify'" \
    "type='method_return',sender='$owner'" >"$data/monitor.log" 2>&1 &
  mpid=$!
  sleep 0.3
  click "Notify on callbacks"
  sleep 0.3
  curl -s --max-time 5 -H 'Content-Type: application/json' "$emu/__emulator/callbacks" -d '{"content":"notify me"}' >/dev/null \
    || fail "pushing the second callback to the emulator"
  wait_menu '^Callbacks: 2 new (2 stored)$'
  seen=""
  for _ in $(seq $(( TIMEOUT * 10 ))); do
    if grep -q 'string "wwkit: callback for wecom"' "$data/monitor.log" && grep -q 'string "text: notify me"' "$data/monitor.log"; then
      seen=1; break
    fi
    sleep 0.1
  done
  [ -n "$seen" ] || fail "no Notify call for the callback on the bus; dbus-monitor saw: $(head -c 2000 "$data/monitor.log")"
  # The daemon's answer to Notify carries the notification id (uint32).
  grep -A1 "method return .*sender=$owner" "$data/monitor.log" | grep -q 'uint32 [1-9]' \
    || fail "the notification daemon did not answer the Notify call with an id: $(head -c 2000 "$data/monitor.log")"
  kill "$mpid" "$npid" 2>/dev/null || true
  wait "$mpid" "$npid" 2>/dev/null || true
  echo "tray-smoke: notification delivered: Notify(\"wwkit: callback for wecom\", \"text: notify me\") answered by $(basename "$daemon") ($owner) with an id"
fi
# 8. Open inspector: the tray starts `wwkit desktop --attach <its server>`;
# the window must come up on the tray's dev server (the same URL, no second
# server) and show its window.
if command -v xwininfo >/dev/null; then
  click "Open inspector"
  wait_menu '^inspector opened (attached to '
  ins=""
  for _ in $(seq $(( TIMEOUT * 10 ))); do
    grep -q "^wwkit desktop: dev server on $url," "$log" && xwininfo -root -tree 2>/dev/null | grep -q '"wwkit — wecom"' && { ins=1; break; }
    sleep 0.1
  done
  [ -n "$ins" ] || fail "the inspector did not open attached to $url (window 'wwkit — wecom' and 'wwkit desktop: dev server on $url' expected)"
  child="$(ps -o pid= --ppid "$pid" | tr -d ' ' | head -1)"
  [ -n "$child" ] || fail "no inspector process under the tray"
  grep -q -- "--attach $url" <<<"$(tr '\0' ' ' <"/proc/$child/cmdline")" \
    || fail "the inspector's command line is not attached to $url: $(tr '\0' ' ' <"/proc/$child/cmdline")"
  click "Open inspector"
  wait_menu '^the inspector is already open$'
  echo "tray-smoke: Open inspector: wwkit desktop --attach $url showed its window on the tray's server; a second click did not start another"
fi
click "Stop dev server"
wait_menu '^Stop the dev server? '
wait_menu '^Yes, stop the dev server$'
curl -s --max-time 2 "$url/healthz" >/dev/null || fail "the first click on 'Stop dev server' stopped the server without asking"
click "Yes, stop the dev server"
wait_menu '^Dev server: stopped$'
curl -s --max-time 2 "$url/healthz" >/dev/null && fail "the dev server still answers after 'Stop dev server'"
click "Start dev server"
wait_menu '^Dev server: running on http'
url2="$(sed -n 's/^Dev server: running on //p' <<<"$(menu)")"
url2="${url2%%$'\n'*}"
[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url2/healthz")" = 200 ] || fail "/healthz after 'Start dev server' on $url2"
# The recipient is the current user (the emulator's first member until
# someone signs in on the H5 page), read from the menu, never @all.
me="$(sed -n 's/^Send a test message to //p' <<<"$(menu)")"
me="${me%%$'\n'*}"
[ -n "$me" ] || fail "the menu has no 'Send a test message to <user>' item: the test message has no default recipient"
[ "$me" != "@all" ] || fail "the test message defaults to @all instead of the current user"
click "Send a test message to $me"
wait_menu "^test message to $me: sent, msgid "
click "mp (mp)"
wait_menu '^Profile: mp (mp)$'
echo "tray-smoke: menu clicks: Stop dev server -> asked, Yes -> stopped, Start dev server -> running on $url2 (/healthz 200), test message sent to the current user $me, switched to mp"
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=""
kill "$wpid" 2>/dev/null || true
[ "$status" = 0 ] || fail "exit status $status after SIGTERM (with a tray host)"
if [ -n "${child:-}" ]; then
  # The inspector is attached to the tray's server: quitting the tray ends it.
  for _ in $(seq $(( TIMEOUT * 10 ))); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$child" 2>/dev/null; then
    kill -KILL "$child" 2>/dev/null || true
    fail "the inspector window still runs ${TIMEOUT}s after the tray quit"
  fi
  echo "tray-smoke: the inspector ended with the tray"
fi
grep -qi "panic" "$log" && fail "the log mentions a panic (with a tray host)"
echo "tray-smoke: tray-host phase: clean exit (status 0)"
echo "tray-smoke: PASS"
