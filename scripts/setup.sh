#!/usr/bin/env bash
# Installs what wwkit needs on a fresh Debian machine: apt packages, Go modules
# and npm packages. Idempotent: it only installs what is missing.
#   scripts/setup.sh            what `make test` and `make run` need
#   scripts/setup.sh desktop    also the Wails (WebKitGTK) and Fyne build libraries
#   scripts/setup.sh bench      also wrk for `make bench`
#   scripts/setup.sh dist       also the release tools: the mingw-w64 C compiler
#                               (the Windows desktop build's cgo), NSIS, wine (to run
#                               the Windows build in make test-dist), zip, file
set -euo pipefail
cd "$(dirname "$0")/.."

want=(redis-server ca-certificates git make chromium fonts-wqy-microhei)
# brotli: make wasm precompresses the verifier for the dev server
want+=(brotli)
# Node.js: Debian's nodejs (npm is a separate package there) unless a node is
# already installed (e.g. NodeSource's, which bundles npm).
command -v node >/dev/null || want+=(nodejs)
command -v npm >/dev/null || want+=(npm)
if [ "${1:-}" = "desktop" ]; then
  want+=(gcc pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev libgl1-mesa-dev xorg-dev)
  # to run the window and the tray headless: make test-desktop
  want+=(xvfb xauth dbus x11-utils imagemagick zbar-tools curl)
  # a real notification daemon, so make tray-smoke checks delivery
  want+=(notification-daemon)
fi
if [ "${1:-}" = "dist" ]; then
  # make dist: archives, binary formats, the Windows desktop build (Fyne's cgo
  # through mingw-w64, the .exe's icon/version/manifest through its windres),
  # the installer (makensis), the .ico (ImageMagick), the .deb (dpkg-deb)
  want+=(zip unzip file gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 nsis imagemagick dpkg-dev)
  # the Linux desktop build links WebKitGTK/GTK/GL like make desktop
  want+=(gcc pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev libgl1-mesa-dev xorg-dev)
  # make test-dist: the Windows build under wine (wine64 runs PE32+), curl for
  # its HTTP checks, chromium for the npm package test (already above)
  want+=(wine wine64 curl jq)
  # the desktop wwkit.exe under wine needs an X display; the .desktop files are validated
  want+=(xvfb xauth x11-utils desktop-file-utils)
fi
if [ "${1:-}" = "bench" ]; then
  # make bench: the load test drives the dev server with wrk
  want+=(wrk gzip curl)
fi

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
  # macOS or Windows (the release workflow's runners): no apt; the workflow
  # installs its tools itself
  echo "setup: no apt on this system ($(uname -s)); skipping the Debian packages (${want[*]})"
  want=()
fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing apt packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: apt packages present (${want[*]})"
fi

command -v go >/dev/null || { echo "setup: Go is not installed; install Go 1.26 from your distribution or go.dev" >&2; exit 1; }
echo "setup: downloading Go modules"
go mod download
if [ -f bench/go.mod ]; then (cd bench && go mod download); fi

if [ -f frontend/package.json ]; then
  command -v npm >/dev/null || { echo "setup: npm is not installed (apt-get install nodejs npm)" >&2; exit 1; }
  echo "setup: installing npm packages in frontend/"
  (cd frontend && npm install --no-audit --no-fund --loglevel=error)
fi
echo "setup: done"
