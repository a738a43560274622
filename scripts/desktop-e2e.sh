#!/usr/bin/env bash
# End-to-end test of the desktop UI against the real Go services: builds a
# Wails dev build of wwkit (tags desktop,dev,webkit2_41), runs it under Xvfb
# with a private D-Bus session serving frontend/dist/desktop, and drives the
# page through the dev build's devserver port in headless Chromium
# (frontend/e2e/desktop.test.mjs). Screenshots go to $WWKIT_E2E_OUT
# (default /tmp/wwkit-desktop-e2e).
#
#   scripts/desktop-e2e.sh            (make test-desktop runs it)
#
# Needs what `make setup-desktop` installs (xvfb, xauth, dbus, x11-utils,
# imagemagick, zbar-tools, chromium, the WebKitGTK dev packages) and a built
# desktop UI (`make frontend`).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${WWKIT_E2E_INNER:-}" ]; then
  # A binary of this run's own, so two runs on one machine do not rebuild
  # each other's binary under them.
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  export WWKIT_DESKTOP_DEV_BIN="${WWKIT_DESKTOP_DEV_BIN:-$tmp/wwkit-desktop-dev}"
  for c in xvfb-run dbus-run-session xwininfo convert zbarimg node; do
    command -v "$c" >/dev/null || { echo "desktop-e2e: $c is missing; run make setup-desktop" >&2; exit 2; }
  done
  [ -f frontend/dist/desktop/index.html ] || { echo "desktop-e2e: frontend/dist/desktop is not built; run make frontend" >&2; exit 2; }
  echo "desktop-e2e: building the Wails dev build $WWKIT_DESKTOP_DEV_BIN"
  CGO_ENABLED=1 go build -tags desktop,dev,webkit2_41 -o "$WWKIT_DESKTOP_DEV_BIN" .
  export WWKIT_E2E_INNER=1
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$0" "$@"
  exit
fi

# Inside Xvfb and the D-Bus session.
cd frontend
exec node --test --test-concurrency=1 --test-reporter=spec e2e/desktop.test.mjs
