#!/usr/bin/env bash
# Checks the desktop artefacts scripts/test-dist.sh built on Linux:
#   Windows: wwkit.exe in wwkit-desktop_*_windows_amd64.zip is a PE32+ x86-64
#     program with the icon (group 3, the one Wails' window loads), version
#     info and manifest; under wine its CLI answers `version`; started with no
#     arguments (the Start-menu entry), the window's WebView2 check must show
#     its message box with our title, not crash or exit silently (wine has no
#     WebView2); the NSIS installer installs silently (/S) for the current
#     user with a Start-menu shortcut and an uninstall entry, and its
#     uninstaller removes them.
#   Linux: the tarball holds the binary, both .desktop files (valid for
#     desktop-file-validate), the icon, README and LICENSE; the binary prints
#     the stamped version; the .deb has the right fields, Depends on the
#     WebKitGTK 4.1 / GTK 3 runtime packages and no -dev package, ships the
#     files a desktop needs, and apt can resolve it (apt-get -s install).
set -euo pipefail
cd "$(dirname "$0")/.."
V="${DIST_TEST_VERSION:?run scripts/test-dist.sh}"
fail() { echo "test-dist-desktop: FAIL: $*" >&2; exit 1; }
step() { echo "  $*"; }
tmp="$(mktemp -d "${TMPDIR:-/tmp}/wwkit-desktop-XXXXXX")"
export WINEPREFIX="$tmp/prefix" WINEDEBUG=-all WINEARCH=win64 WINEDLLOVERRIDES="mscoree,mshtml="
# wine links Desktop, Documents, … of the prefix to $HOME (the installer puts
# a shortcut on the Desktop): keep them in the temp dir
export HOME="$tmp/home"
mkdir -p "$HOME"
xpid=""
cleanup() {
  [ -z "$xpid" ] || kill "$xpid" 2>/dev/null || true
  wineserver -k 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# ---- Windows ----
zip="dist/wwkit-desktop_${V}_windows_amd64.zip"
setup="dist/wwkit-desktop_${V}_windows_amd64_setup.exe"
[ -f "$zip" ] && [ -f "$setup" ] || fail "no $zip or $setup"
unzip -q "$zip" -d "$tmp"
exe="$tmp/wwkit-desktop_${V}_windows_amd64/wwkit.exe"
file -b "$exe" | grep -q "PE32+ executable (console) x86-64" || fail "wwkit.exe: $(file -b "$exe")"
file -b "$setup" | grep -q "PE32+ executable (GUI) x86-64" && grep -qa "Nullsoft" "$setup" || fail "installer: $(file -b "$setup"), want a 64-bit NSIS installer"
x86_64-w64-mingw32-windres -i "$exe" -O rc -o "$tmp/res.rc" 2>/dev/null || fail "windres cannot read wwkit.exe's resources"
grep -q '^3 GROUP_ICON' "$tmp/res.rc" || grep -qi 'GROUP_ICON' "$tmp/res.rc" || fail "wwkit.exe has no icon group"
grep -Eq '^3 (GROUP_ICON|14)' "$tmp/res.rc" || fail "wwkit.exe's icon group is not id 3 (Wails loads 3): $(grep -i icon "$tmp/res.rc" | head -3)"
grep -q 'VERSIONINFO' "$tmp/res.rc" || fail "wwkit.exe has no version info"
grep -q '"ProductVersion", "'"$V"'' "$tmp/res.rc" || fail "wwkit.exe's ProductVersion is not $V"
grep -q 'Common-Controls' "$exe" || fail "wwkit.exe has no manifest"
step "wwkit.exe: $(file -b "$exe"); $(wc -c < "$exe") bytes; icon group 3, version info $V, manifest"
step "installer: $(file -b "$setup" | cut -d, -f1-2); $(wc -c < "$setup") bytes"

wineboot --init >/dev/null 2>&1 || true
# wine 8 reports Windows 7 by default; Go 1.26 and the installer need 10
wine winecfg /v win10 >/dev/null 2>&1 || true
wineserver -w
sys32="$WINEPREFIX/drive_c/windows/system32"
if [ ! -e "$sys32/bcryptprimitives.dll" ]; then
  x86_64-w64-mingw32-gcc -O2 -shared -s -o "$sys32/bcryptprimitives.dll" scripts/test-dist-wine-prng.c -ladvapi32
  export WINEDLLOVERRIDES="$WINEDLLOVERRIDES;bcryptprimitives=n"
fi
ver="$(DISPLAY= wine "$exe" version 2>&1 | tr -d '\r')" || fail "the desktop wwkit.exe version: $ver"
case "$ver" in "wwkit $V (commit "*) ;; *) fail "the desktop wwkit.exe version printed: $ver" ;; esac
step "desktop wwkit.exe version under wine: $ver"

# The Start-menu entry starts wwkit.exe with no arguments: the window. Wine
# has no WebView2 runtime, so Wails' check must ask to install it.
disp=":$(( 90 + RANDOM % 100 ))"
Xvfb "$disp" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xpid=$!
# on a loaded machine Xvfb can take seconds; without it wine cannot show the
# box and Wails takes that as "Cancel"
up=""
for _ in $(seq 1 300); do xwininfo -display "$disp" -root >/dev/null 2>&1 && { up=1; break; }; sleep 0.2; done
[ -n "$up" ] || fail "Xvfb $disp did not come up in 60 s"
title="缺少 WebView2 运行时 / WebView2 Runtime missing"
# show_box: starts wwkit.exe with no arguments, waits for the box; wpid is left
# running when it appears
show_box() {
  DISPLAY="$disp" wine "$exe" >"$tmp/window.out" 2>&1 &
  wpid=$!
  for _ in $(seq 1 120); do
    xwininfo -display "$disp" -root -tree 2>/dev/null | grep -qF "$title" && return 0
    kill -0 "$wpid" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}
# Once in six runs on the loaded machine the box did not show and wine
# reported the dialog as declined (cause not found: a slow X server is the
# suspect), so a second start is allowed; its output is kept either way.
if ! show_box; then
  echo "  first start showed no box: $(tr -d '\r' < "$tmp/window.out" | tail -1); starting it once more"
  kill -9 "$wpid" 2>/dev/null || true
  wineserver -k 2>/dev/null || true; wineserver -w 2>/dev/null || true
  if ! show_box; then
    echo "--- wwkit.exe output:" >&2; tr -d '\r' < "$tmp/window.out" >&2
    echo "--- windows:" >&2; xwininfo -display "$disp" -root -tree 2>/dev/null | grep -v '(has no name)' >&2 || true
    fail "wwkit.exe with no arguments showed no \"$title\" box (exited: $(kill -0 "$wpid" 2>/dev/null && echo no || echo yes))"
  fi
fi
[ -z "${WWKIT_SCREENSHOT:-}" ] || import -display "$disp" -window root "$WWKIT_SCREENSHOT"
step "desktop wwkit.exe with no arguments under wine (no WebView2): message box \"$title\" shown, process waiting for an answer"
kill -9 "$wpid" 2>/dev/null || true
wineserver -k 2>/dev/null || true; wineserver -w 2>/dev/null || true

# The installer, silently, for the current user.
winuser="$(DISPLAY= wine cmd /c 'echo %USERNAME%' 2>/dev/null | tr -d '\r')"
home="$WINEPREFIX/drive_c/users/$winuser"
DISPLAY= wine "$setup" /S || fail "the installer exited $?"
wineserver -w
inst="$home/AppData/Local/Programs/wwkit"
lnk="$home/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/wwkit.lnk"
cmp -s "$inst/wwkit.exe" "$exe" || fail "the installer put no copy of wwkit.exe in %LOCALAPPDATA%\\Programs\\wwkit ($(ls "$inst" 2>&1))"
[ -f "$inst/uninstall.exe" ] && [ -f "$inst/LICENSE" ] || fail "no uninstall.exe or LICENSE in $inst: $(ls "$inst")"
[ -f "$lnk" ] || fail "no Start-menu shortcut at $lnk: $(find "$home" -name '*.lnk' | head)"
reg="$(DISPLAY= wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\wwkit' 2>/dev/null | tr -d '\r')"
grep -q "DisplayVersion.*${V#v}" <<<"$reg" || grep -q "DisplayVersion" <<<"$reg" || fail "no uninstall entry in HKCU: $reg"
step "installer /S: %LOCALAPPDATA%\\Programs\\wwkit\\{$(ls "$inst" | tr '\n' ',' | sed 's/,$//')}, Start menu\\Programs\\wwkit.lnk, HKCU uninstall entry ($(grep -o 'DisplayVersion.*' <<<"$reg" | tr -s ' '))"
# the uninstaller copies itself to %TEMP% and runs from there; wineserver -w
# waits for that copy too
DISPLAY= wine "$inst/uninstall.exe" /S || true
wineserver -w
[ ! -e "$inst/wwkit.exe" ] && [ ! -e "$lnk" ] || fail "the uninstaller left $(ls "$inst" 2>/dev/null) $( [ -e "$lnk" ] && echo "$lnk")"
step "uninstaller /S: program folder and Start-menu shortcut removed"
wineserver -k 2>/dev/null || true

# ---- Linux ----
arch="$(go env GOARCH)"
tgz="dist/wwkit-desktop_${V}_linux_${arch}.tar.gz"
[ -f "$tgz" ] || fail "no $tgz"
tar -C "$tmp" -xzf "$tgz"
d="$tmp/wwkit-desktop_${V}_linux_${arch}"
for f in wwkit wwkit.desktop wwkit-tray.desktop wwkit.png README.md LICENSE; do
  [ -f "$d/$f" ] || fail "$tgz has no $f"
done
desktop-file-validate "$d/wwkit.desktop" "$d/wwkit-tray.desktop"
out="$("$d/wwkit" version)"
case "$out" in "wwkit $V (commit "*) ;; *) fail "the Linux desktop binary printed: $out" ;; esac
"$d/wwkit" --help | grep -Eq "^  desktop +" && "$d/wwkit" --help | grep -Eq "^  tray +" || fail "the Linux desktop binary lists no desktop and tray commands"
step "Linux desktop tarball: $(tar -tzf "$tgz" | sed 's|^[^/]*/||' | grep . | tr '\n' ' '); .desktop files valid; $out"

deb="$(ls dist/wwkit_*.deb)"
fields="$(dpkg-deb -f "$deb" Package Version Architecture Depends)"
grep -q '^Package: wwkit$' <<<"$fields" || fail "$deb: $fields"
grep -q "^Version: $(echo "${V#v}" | tr -- '-' '~')$" <<<"$fields" || fail "$deb version: $fields"
dep="$(dpkg-deb -f "$deb" Depends)"
for p in libwebkit2gtk-4.1-0 libgtk-3-0 libc6; do
  grep -Eq "(^|, )$p( |,|$)" <<<"$dep" || fail "$deb does not depend on $p: $dep"
done
! grep -q -- '-dev' <<<"$dep" || fail "$deb depends on a -dev package: $dep"
contents="$(dpkg-deb -c "$deb")"
for f in ./usr/bin/wwkit ./usr/share/applications/wwkit.desktop ./usr/share/applications/wwkit-tray.desktop ./usr/share/icons/hicolor/256x256/apps/wwkit.png ./usr/share/doc/wwkit/copyright; do
  grep -q " $f$" <<<"$contents" || fail "$deb has no $f"
done
grep -q "root/root.* ./usr/bin/wwkit$" <<<"$contents" || fail "$deb: /usr/bin/wwkit is not owned by root"
apt-get -s install "./$deb" >"$tmp/apt.out" 2>&1 || { cat "$tmp/apt.out" >&2; fail "apt cannot resolve $deb's dependencies"; }
step "$deb: $(wc -c < "$deb") bytes; Depends: $dep; apt-get -s install resolves it"
