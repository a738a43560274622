#!/usr/bin/env bash
# The Windows desktop build (Wails window + Fyne tray in one wwkit.exe) for
# windows/amd64, cross-compiled with mingw-w64 for Fyne's cgo (Wails needs no
# cgo on Windows: WebView2 through go-webview2), with the icon, version info
# and manifest of scripts/dist-winres.sh, then:
#   dist/wwkit-desktop_VERSION_windows_amd64.zip        wwkit.exe, README.md, LICENSE
#   dist/wwkit-desktop_VERSION_windows_amd64_setup.exe  NSIS installer (build/windows/installer)
# Called by scripts/dist.sh, which exports VERSION, NUMVER and LDFLAGS.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${VERSION:?run scripts/dist.sh}" NUMVER="${NUMVER:?}" LDFLAGS="${LDFLAGS:?}"
CC_WIN="${CC_WIN:-x86_64-w64-mingw32-gcc}"
command -v "$CC_WIN" >/dev/null || { echo "dist-windows: $CC_WIN not found; scripts/setup.sh dist installs gcc-mingw-w64-x86-64" >&2; exit 1; }
command -v makensis >/dev/null || { echo "dist-windows: makensis not found; scripts/setup.sh dist installs nsis" >&2; exit 1; }
[ -f frontend/dist/desktop/index.html ] || echo "dist-windows: warning: frontend/dist/desktop is not built (make frontend); the window will show its fallback page" >&2
name="wwkit-desktop_${VERSION}_windows_amd64"
dir="dist/stage/$name"
mkdir -p "$dir"
syso=rsrc_windows_amd64.syso
if [ ! -f "$syso" ]; then
  trap 'rm -f "$syso"' EXIT
  scripts/dist-winres.sh "$syso"
fi
# The desktop tags of make desktop minus webkit2_41 (Linux's WebKitGTK 4.1).
# A console program, not -H windowsgui: the same wwkit.exe is the CLI
# (wwkit.exe serve in cmd.exe prints there); started from Explorer or the
# Start menu it lets go of the console it was given (app/desktop).
CGO_ENABLED=1 CC="$CC_WIN" GOOS=windows GOARCH=amd64 \
  go build -tags desktop,production,no_emoji -trimpath -ldflags="$LDFLAGS" -o "$dir/wwkit.exe" .
printf 'bin\t%s/wwkit.exe\t%s\n' "$name" "$(wc -c < "$dir/wwkit.exe")" >> dist/sizes.tsv
cp README.md LICENSE "$dir/"
(cd dist/stage && zip -qr "../$name.zip" "$name")
# makensis resolves the template's relative paths (..\icon.ico) from its own
# directory; everything else is given absolute.
makensis -V2 -INPUTCHARSET UTF8 \
  "-DARG_WAILS_AMD64_BINARY=$PWD/$dir/wwkit.exe" \
  "-DINFO_PRODUCTVERSION=$NUMVER" \
  "-DOUTFILE=$PWD/dist/${name}_setup.exe" \
  "-DLICENSE_FILE=$PWD/LICENSE" \
  build/windows/installer/project.nsi
