#!/usr/bin/env bash
# Regenerates the screenshots in docs/screenshots/: every page of the desktop
# window in Chinese (scripts/desktop-e2e.sh), the tray companion in Chinese
# (scripts/tray-screenshot.sh) and the H5 debug page on a 390 px phone in
# Chinese and English (npm run e2e). Both e2e runs must pass;
# the PNGs are their screenshots, copied and stripped of metadata.
#
#   scripts/docs-screenshots.sh
#
# Needs what scripts/desktop-e2e.sh needs (make setup-desktop), a built
# frontend (make frontend) and the desktop binary (make desktop).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
WWKIT_E2E_OUT="$tmp/desktop" scripts/desktop-e2e.sh
(cd frontend && WWKIT_E2E_OUT="$tmp/h5" npm run e2e)
mkdir -p docs/screenshots
for f in zh-1-profiles zh-2-tokens zh-2-tokens-errcode zh-3-qr zh-4-messages zh-5-inbox zh-6-workbench; do
  convert "$tmp/desktop/$f.png" -strip "docs/screenshots/desktop-$f.png"
done
for f in h5-390-zh h5-390-en; do
  convert "$tmp/h5/$f.png" -strip "docs/screenshots/$f.png"
done
scripts/tray-screenshot.sh docs/screenshots/tray-zh.png
ls -l docs/screenshots
