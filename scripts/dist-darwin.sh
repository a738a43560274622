#!/usr/bin/env bash
# The macOS desktop build (Wails window on WKWebView + Fyne tray in one
# binary): needs Apple's SDK, so it runs on a macOS machine only (the release
# workflow's macos job). Builds darwin/amd64 and darwin/arm64 with cgo, joins
# them with lipo into one universal binary, assembles wwkit.app
# (build/darwin/Info.plist, an .icns made from build/appicon.png with sips and
# iconutil), signs it (ad hoc, codesign -s -, unless MACOS_SIGN_IDENTITY names
# a Developer ID) and packs it:
#   dist/wwkit-desktop_VERSION_darwin_universal.dmg
# Notarisation needs a Developer ID and Apple credentials: the workflow does
# it after this script when its secrets are set (docs/desktop.md).
# Called by scripts/dist.sh, which exports VERSION, NUMVER and LDFLAGS.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${VERSION:?run scripts/dist.sh}" NUMVER="${NUMVER:?}" LDFLAGS="${LDFLAGS:?}"
[ "$(uname -s)" = Darwin ] || { echo "dist-darwin: the macOS desktop build needs macOS (Apple's SDK); it runs in .github/workflows/release.yml" >&2; exit 1; }
name="wwkit-desktop_${VERSION}_darwin_universal"
st="dist/stage/$name"
mkdir -p "$st"
for arch in amd64 arm64; do
  CGO_ENABLED=1 GOOS=darwin GOARCH="$arch" MACOSX_DEPLOYMENT_TARGET=12.0 \
    go build -tags desktop,production,no_emoji -trimpath -ldflags="$LDFLAGS" -o "$st/wwkit-$arch" .
done
app="$st/wwkit.app"
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
lipo -create -output "$app/Contents/MacOS/wwkit" "$st/wwkit-amd64" "$st/wwkit-arm64"
rm "$st/wwkit-amd64" "$st/wwkit-arm64"
printf 'bin\t%s/wwkit.app/Contents/MacOS/wwkit\t%s\n' "$name" "$(wc -c < "$app/Contents/MacOS/wwkit")" >> dist/sizes.tsv
sed "s/<string>0.0.0<\/string>/<string>$NUMVER<\/string>/g" build/darwin/Info.plist > "$app/Contents/Info.plist"
plutil -lint "$app/Contents/Info.plist"
iconset="$(mktemp -d)/iconfile.iconset"; mkdir -p "$iconset"
for s in 16 32 128 256 512; do
  sips -z "$s" "$s" build/appicon.png --out "$iconset/icon_${s}x${s}.png" >/dev/null
  sips -z $((s*2)) $((s*2)) build/appicon.png --out "$iconset/icon_${s}x${s}@2x.png" >/dev/null
done
iconutil -c icns "$iconset" -o "$app/Contents/Resources/iconfile.icns"
# ad hoc unless the workflow imported a Developer ID (MACOS_SIGN_IDENTITY):
# notarisation needs that identity, the hardened runtime and a timestamp
ident="${MACOS_SIGN_IDENTITY:--}"
if [ "$ident" = "-" ]; then
  codesign --force --deep --sign - "$app"
else
  codesign --force --deep --options runtime --timestamp --sign "$ident" "$app"
fi
codesign --verify --deep --strict "$app"
cp README.md LICENSE "$st/"
ln -s /Applications "$st/Applications"
hdiutil create -volname wwkit -srcfolder "$st" -ov -format UDZO "dist/$name.dmg"
