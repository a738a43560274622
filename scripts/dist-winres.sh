#!/usr/bin/env bash
# Writes the Windows resources of wwkit.exe as a COFF object the Go linker
# links into a windows/amd64 build of the main package (a .syso beside
# main.go): the icon (icon group 3, the id Wails' window loads), the version
# info and the application manifest, from Wails' build/windows inputs
# (info.json, wails.exe.manifest, icon.ico made here from build/appicon.png).
# mingw-w64's windres writes amd64 objects only; windows/arm64 has none.
#   VERSION=v1.2.3 NUMVER=1.2.3 scripts/dist-winres.sh rsrc_windows_amd64.syso
set -euo pipefail
cd "$(dirname "$0")/.."
out="$1"
VERSION="${VERSION:?}" NUMVER="${NUMVER:?}"
w=build/windows
# icon.ico: the sizes Explorer, the taskbar and the Start menu ask for
convert build/appicon.png -define icon:auto-resize=256,128,64,48,32,24,16 "$w/icon.ico"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
commas="${NUMVER//./,},0"
info() { jq -r --arg k "$1" '.info["0000"][$k]' "$w/info.json"; }
# the .rc is UTF-8 (windres -c 65001); quotes in the values are doubled
rcstr() { printf '%s' "$1" | sed 's/"/""/g'; }
sed "s/version=\"0.0.0.0\"/version=\"$NUMVER.0\"/" "$w/wails.exe.manifest" > "$tmp/wwkit.exe.manifest"
cp "$w/icon.ico" "$tmp/icon.ico"
cat > "$tmp/wwkit.rc" <<RC
3 ICON "icon.ico"
1 24 "wwkit.exe.manifest"
1 VERSIONINFO
FILEVERSION $commas
PRODUCTVERSION $commas
FILEFLAGSMASK 0x3f
FILEFLAGS 0
FILEOS 0x40004
FILETYPE 1
FILESUBTYPE 0
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904b0"
    BEGIN
      VALUE "CompanyName", "$(rcstr "$(info CompanyName)")"
      VALUE "FileDescription", "$(rcstr "$(info FileDescription)")"
      VALUE "FileVersion", "$NUMVER"
      VALUE "InternalName", "wwkit"
      VALUE "LegalCopyright", "$(rcstr "$(info LegalCopyright)")"
      VALUE "OriginalFilename", "wwkit.exe"
      VALUE "ProductName", "$(rcstr "$(info ProductName)")"
      VALUE "ProductVersion", "$(rcstr "$VERSION")"
      VALUE "Comments", "$(rcstr "$(info Comments)")"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
RC
(cd "$tmp" && x86_64-w64-mingw32-windres -c 65001 -O coff -o out.syso wwkit.rc)
mv "$tmp/out.syso" "$out"
