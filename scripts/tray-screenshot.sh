#!/usr/bin/env bash
# Takes a screenshot of the tray companion in Chinese: under Xvfb there is no
# system tray host, so `wwkit tray` shows its fallback window with the same
# menu and status lines; this script captures that window.
#
#   scripts/tray-screenshot.sh OUT.png [BIN]
#
# Needs xvfb-run, dbus-run-session, xwininfo (x11-utils) and import
# (imagemagick): make setup-desktop. BIN defaults to build/bin/wwkit (make desktop).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:?usage: scripts/tray-screenshot.sh OUT.png [BIN]}"
BIN="${2:-build/bin/wwkit}"
[ -x "$BIN" ] || { echo "tray-screenshot: $BIN is missing; run make desktop" >&2; exit 2; }
for c in xvfb-run dbus-run-session xwininfo import; do
  command -v "$c" >/dev/null || { echo "tray-screenshot: $c is missing; run make setup-desktop" >&2; exit 2; }
done

if [ -z "${WWKIT_SHOT_INNER:-}" ]; then
  export WWKIT_SHOT_INNER=1
  case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac
  exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$0" "$OUT" "$BIN"
fi

# A Chinese system locale that is not compiled in (no zh_CN in `locale -a`)
# must still give the Chinese tray: that is what this picture shows.
export LANGUAGE= LC_ALL= LC_MESSAGES= LANG=zh_CN.UTF-8
data="$(mktemp -d)"
export XDG_RUNTIME_DIR="$data/run"
mkdir -m 700 "$XDG_RUNTIME_DIR"
trap '[ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT
"$BIN" tray --data-dir "$data/state" --addr 127.0.0.1:0 >"$data/tray.log" 2>&1 &
pid=$!

win=""
for _ in $(seq 400); do
  kill -0 "$pid" 2>/dev/null || { cat "$data/tray.log" >&2; echo "tray-screenshot: wwkit tray exited" >&2; exit 1; }
  win="$(xwininfo -root -tree 2>/dev/null | awk '/"wwkit tray"/ {print $1; exit}')"
  [ -n "$win" ] && break
  sleep 0.05
done
[ -n "$win" ] || { cat "$data/tray.log" >&2; echo "tray-screenshot: no 'wwkit tray' window" >&2; exit 1; }
# the status lines fill in after the first token fetch
for _ in $(seq 200); do
  grep -q "dev server on" "$data/tray.log" && break
  sleep 0.05
done
sleep 3
import -window "$win" -strip "$OUT"
echo "tray-screenshot: $OUT ($(identify -format '%wx%h' "$OUT"))"
