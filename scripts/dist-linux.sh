#!/usr/bin/env bash
# The Linux desktop build (Wails window on WebKitGTK 4.1 + Fyne tray in one
# binary, tags as make desktop) for the host's architecture, then:
#   dist/wwkit-desktop_VERSION_linux_ARCH.tar.gz  wwkit, wwkit.desktop,
#       wwkit-tray.desktop, wwkit.png, README.md, LICENSE
#   dist/wwkit_DEBVERSION_ARCH.deb  /usr/bin/wwkit, the .desktop files, the
#       hicolor icons; Depends: computed by dpkg-shlibdeps from the binary
#       (the WebKitGTK 4.1 / GTK 3 / GL runtime packages, never the -dev ones)
# Called by scripts/dist.sh, which exports VERSION, NUMVER and LDFLAGS.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${VERSION:?run scripts/dist.sh}" LDFLAGS="${LDFLAGS:?}"
arch="$(go env GOARCH)"
[ -f frontend/dist/desktop/index.html ] || echo "dist-linux: warning: frontend/dist/desktop is not built (make frontend); the window will show its fallback page" >&2
name="wwkit-desktop_${VERSION}_linux_${arch}"
dir="dist/stage/$name"
mkdir -p "$dir"
CGO_ENABLED=1 go build -tags desktop,production,webkit2_41,no_emoji -trimpath -ldflags="$LDFLAGS" -o "$dir/wwkit" .
printf 'bin\t%s/wwkit\t%s\n' "$name" "$(wc -c < "$dir/wwkit")" >> dist/sizes.tsv
cp README.md LICENSE build/linux/wwkit.desktop build/linux/wwkit-tray.desktop "$dir/"
convert build/appicon.png -resize 256x256 "$dir/wwkit.png"
tar -C dist/stage -czf "dist/$name.tar.gz" "$name"

# .deb: Debian versions must start with a digit; a pre-release (v1.2.3-rc1)
# sorts before its release with ~; a bare commit becomes 0.0.0~gHASH.
case "$VERSION" in
  v[0-9]*|[0-9]*) debver="${VERSION#v}" ;;
  *) debver="0.0.0~g$VERSION" ;;
esac
debver="$(printf '%s' "$debver" | tr -- '-' '~' | tr -cd 'A-Za-z0-9.+~')"
pkg="dist/stage/deb"
rm -rf "$pkg"
install -D -m 0755 "$dir/wwkit" "$pkg/usr/bin/wwkit"
install -D -m 0644 build/linux/wwkit.desktop "$pkg/usr/share/applications/wwkit.desktop"
install -D -m 0644 build/linux/wwkit-tray.desktop "$pkg/usr/share/applications/wwkit-tray.desktop"
for s in 48 128 256 512; do
  mkdir -p "$pkg/usr/share/icons/hicolor/${s}x${s}/apps"
  convert build/appicon.png -resize "${s}x${s}" "$pkg/usr/share/icons/hicolor/${s}x${s}/apps/wwkit.png"
done
install -D -m 0644 LICENSE "$pkg/usr/share/doc/wwkit/copyright"
install -D -m 0644 README.md "$pkg/usr/share/doc/wwkit/README.md"
# dpkg-shlibdeps reads debian/control of a source package; a minimal one in
# a scratch dir is enough to ask it which packages the binary's libraries
# come from.
sd="$(mktemp -d)"; trap 'rm -rf "$sd"' EXIT
mkdir -p "$sd/debian"
printf 'Source: wwkit\n\nPackage: wwkit\nArchitecture: any\n' > "$sd/debian/control"
depends="$(cd "$sd" && dpkg-shlibdeps -O -e"$OLDPWD/$pkg/usr/bin/wwkit" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"
[ -n "$depends" ] || { echo "dist-linux: dpkg-shlibdeps found no dependencies for the desktop binary" >&2; exit 1; }
size_kb="$(du -sk "$pkg" | cut -f1)"
mkdir -p "$pkg/DEBIAN"
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: wwkit
Version: $debver
Section: devel
Priority: optional
Architecture: $(dpkg --print-architecture)
Installed-Size: $size_kb
Depends: $depends
Recommends: xdg-utils
Maintainer: the wwkit authors <wwkit@users.noreply.github.com>
Homepage: https://github.com/wwkit/wwkit
Description: toolkit for WeCom (企业微信) and WeChat Official Account H5 pages
 JS-SDK signing and diagnostics, callback crypto, an API client with safe
 token caching, an offline emulator of Tencent's servers, the dev server
 (wwkit serve), the desktop app (wwkit desktop) and the tray (wwkit tray).
CONTROL
dpkg-deb --root-owner-group -Zxz --build "$pkg" "dist/wwkit_${debver}_$(dpkg --print-architecture).deb" >/dev/null
