#!/usr/bin/env bash
# Smoke test of the real desktop binary: starts `wwkit desktop` under Xvfb
# with a private D-Bus session, waits for its window, takes a screenshot of it
# and fails when the window is missing or the screenshot is blank. When
# zbarimg is installed it also decodes the QR code in the window, which proves
# the page called the bound Go services (QRService.H5).
#
#   scripts/desktop-smoke.sh [BINARY]        (default build/bin/wwkit; `make desktop` builds it)
#
# Needs: xvfb (xvfb-run), xauth, dbus (dbus-run-session), x11-utils (xwininfo),
# imagemagick (import, convert); optional zbar-tools (zbarimg).
# Prints the time from launch to the window being mapped at its full size,
# and to its content being painted. Screenshot: $OUT (default
# /tmp/wwkit-desktop-smoke.png).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-build/bin/wwkit}"
OUT="${OUT:-/tmp/wwkit-desktop-smoke.png}"
# Generous: on a loaded machine the Vue UI takes several seconds to paint (up
# to ~23 s at a load average of 18 on 2 cores here). The times are printed;
# the ≤ 2 s window target is judged from them, never asserted.
TIMEOUT="${TIMEOUT:-60}"

[ -x "$BIN" ] || { echo "desktop-smoke: $BIN is missing; run make desktop" >&2; exit 2; }
for c in xvfb-run dbus-run-session xwininfo import convert; do
  command -v "$c" >/dev/null || { echo "desktop-smoke: $c is missing; apt-get install xvfb xauth dbus x11-utils imagemagick" >&2; exit 2; }
done

if [ -z "${WWKIT_SMOKE_INNER:-}" ]; then
  export WWKIT_SMOKE_INNER=1 BIN OUT TIMEOUT
  exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$0" "$BIN"
fi

# Inside Xvfb and the D-Bus session from here on.
data="$(mktemp -d)"
log="$data/wwkit.log"
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

start="$(now)"
"$BIN" desktop --data-dir "$data/state" --addr 127.0.0.1:0 >"$log" 2>&1 &
pid=$!

# 1. The window: mapped, titled "wwkit — PROFILE", at least 1024×700.
win=""
deadline=$(( $(date +%s) + TIMEOUT ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  kill -0 "$pid" 2>/dev/null || { echo "desktop-smoke: FAIL: wwkit exited before showing a window" >&2; cat "$log" >&2; exit 1; }
  for id in $(xwininfo -root -tree 2>/dev/null | awk '/"wwkit — /{print $1}'); do
    info="$(xwininfo -id "$id" 2>/dev/null)" || continue
    w=$(awk '/Width:/{print $2}' <<<"$info"); h=$(awk '/Height:/{print $2}' <<<"$info")
    if grep -q 'Map State: IsViewable' <<<"$info" && [ "$w" -ge 1024 ] && [ "$h" -ge 700 ]; then
      win="$id"; break 2
    fi
  done
  sleep 0.05
done
[ -n "$win" ] || { echo "desktop-smoke: FAIL: no wwkit window within ${TIMEOUT}s" >&2; xwininfo -root -tree >&2 || true; cat "$log" >&2; exit 1; }
visible="$(elapsed "$start")"
title="$(xwininfo -id "$win" | sed -n 's/.*"\(wwkit — [^"]*\)".*/\1/p' | head -1)"
echo "desktop-smoke: window \"$title\" ${w}x${h} visible after ${visible}s"
# The production build must embed the desktop UI, not the fallback page.
if grep -q "window shows the fallback page" "$log" && [ -z "${WWKIT_SMOKE_ALLOW_FALLBACK:-}" ]; then
  echo "desktop-smoke: FAIL: $BIN shows the fallback page (built without frontend/dist/desktop; run make frontend, then rebuild)" >&2; exit 1
fi
grep -q "window shows the desktop UI" "$log" && echo "desktop-smoke: the window shows the desktop UI"

# 2. The content: the screenshot of the window is not blank (a blank or
# failed webview is one flat colour).
painted=""
while [ "$(date +%s)" -lt "$deadline" ]; do
  import -window "$win" "$OUT" 2>/dev/null || { sleep 0.1; continue; }
  colors="$(convert "$OUT" -format '%k' info:)"
  sd="$(convert "$OUT" -colorspace Gray -format '%[fx:standard_deviation]' info:)"
  if [ "$colors" -ge 16 ] && awk -v s="$sd" 'BEGIN { exit !(s > 0.02) }'; then
    painted="$(elapsed "$start")"; break
  fi
  sleep 0.2
done
[ -n "$painted" ] || { echo "desktop-smoke: FAIL: the window stayed blank (${colors:-?} colours, stddev ${sd:-?}); screenshot $OUT" >&2; cat "$log" >&2; exit 1; }
echo "desktop-smoke: content painted after ${painted}s ($colors colours, stddev $sd); screenshot $OUT"

# 3. Optional: the QR code the page got from QRService.H5 decodes to the
# dev server's H5 URL for the active profile.
if command -v zbarimg >/dev/null; then
  qr=""
  while [ "$(date +%s)" -lt "$deadline" ]; do
    qr="$(zbarimg -q --raw "$OUT" 2>/dev/null || true)"
    [ -n "$qr" ] && break
    sleep 0.3
    import -window "$win" "$OUT" 2>/dev/null || true
  done
  case "$qr" in
    http://*"/?profile=${title#wwkit — }"*) echo "desktop-smoke: QR code decodes to $qr" ;;
    *) echo "desktop-smoke: FAIL: the QR code in the window decodes to \"$qr\", want the H5 page URL of ${title#wwkit — }" >&2; exit 1 ;;
  esac
else
  echo "desktop-smoke: zbarimg not installed; QR code not decoded (apt-get install zbar-tools)"
fi
echo "desktop-smoke: ok"
