#!/usr/bin/env bash
# make dist: every release artefact this host can build, into dist/, with
# dist/SHA256SUMS and dist/sizes.tsv (bytes of each artefact and binary, read
# by tools/benchreport for docs/benchmarks.md).
#
#  - the headless wwkit (CLI, dev server, emulator, H5 page; CGO_ENABLED=0) for
#    linux, windows and darwin on amd64 and arm64: wwkit_VERSION_OS_ARCH.tar.gz
#    (.zip for Windows) with README.md and LICENSE. windows/amd64 carries the
#    icon, version info and manifest (scripts/dist-winres.sh) when mingw's
#    windres is there;
#  - the WASM verifier as the npm tarball wwkit-verify-VERSION.tgz (scripts/npm-pack.sh);
#  - the desktop build (Wails window + Fyne tray in one binary) of the host's
#    platforms: on Linux the Linux one (scripts/dist-linux.sh: tarball, .deb)
#    and the Windows one cross-compiled with mingw-w64 (scripts/dist-windows.sh:
#    zip, NSIS installer); on macOS the universal .app in a .dmg
#    (scripts/dist-darwin.sh, run by .github/workflows/release.yml).
#
#   VERSION=v1.2.3 scripts/dist.sh
#   DIST_DESKTOP="windows" scripts/dist.sh     only these desktop builds ("" none)
#   PLATFORMS="linux/amd64" scripts/dist.sh    only these headless builds
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo v0.0.0-dev)}"
COMMIT="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
PKG=github.com/wwkit/wwkit/app/cli
LDFLAGS="-s -w -X $PKG.Version=$VERSION -X $PKG.Commit=$COMMIT -X $PKG.Date=$DATE"
# NUMVER: the x.y.z the Windows version resource, the installer and the .deb
# need; 0.0.0 for a VERSION that is not a tag (a commit hash).
NUMVER="$(echo "$VERSION" | sed -nE 's/^v?([0-9]+)\.([0-9]+)\.([0-9]+).*/\1.\2.\3/p')"
NUMVER="${NUMVER:-0.0.0}"
export VERSION COMMIT DATE LDFLAGS NUMVER
PLATFORMS="${PLATFORMS:-linux/amd64 linux/arm64 windows/amd64 windows/arm64 darwin/amd64 darwin/arm64}"
if [ -z "${DIST_DESKTOP+x}" ]; then
  case "$(uname -s)" in
    Linux) DIST_DESKTOP="windows linux" ;;
    Darwin) DIST_DESKTOP="darwin" ;;
    MINGW*|MSYS*|CYGWIN*) DIST_DESKTOP="windows" ;;
    *) DIST_DESKTOP="" ;;
  esac
fi
[ -f LICENSE ] || { echo "dist: LICENSE is missing" >&2; exit 1; }
[ -f frontend/dist/h5/index.html ] || echo "dist: warning: frontend/dist/h5 is not built (make frontend); the binaries will say no H5 page was built" >&2

rm -rf dist && mkdir -p dist/stage
syso=""
if command -v x86_64-w64-mingw32-windres >/dev/null; then
  syso=rsrc_windows_amd64.syso
  trap 'rm -f "$syso"' EXIT
  scripts/dist-winres.sh "$syso"
fi
for p in $PLATFORMS; do
  os="${p%/*}" arch="${p#*/}"
  name="wwkit_${VERSION}_${os}_${arch}"
  exe=wwkit; [ "$os" = windows ] && exe=wwkit.exe
  dir="dist/stage/$name"
  mkdir -p "$dir"
  echo "dist: $name"
  CGO_ENABLED=0 GOOS="$os" GOARCH="$arch" go build -trimpath -ldflags="$LDFLAGS" -o "$dir/$exe" .
  printf 'bin\t%s/%s\t%s\n' "$name" "$exe" "$(wc -c < "$dir/$exe")" >> dist/sizes.tsv
  cp README.md LICENSE "$dir/"
  if [ "$os" = windows ]; then
    (cd dist/stage && zip -qr "../$name.zip" "$name")
  else
    tar -C dist/stage -czf "dist/$name.tar.gz" "$name"
  fi
done
# the WASM verifier's npm package (make wasm built it)
cp "$(scripts/npm-pack.sh)" dist/
for d in $DIST_DESKTOP; do
  echo "dist: desktop $d"
  "scripts/dist-$d.sh"
done
rm -rf dist/stage
(cd dist && for f in *; do
  case "$f" in SHA256SUMS|sizes.tsv) continue ;; esac
  [ -f "$f" ] && printf 'artefact\t%s\t%s\n' "$f" "$(wc -c < "$f")" >> sizes.tsv
done)
(cd dist && find . -maxdepth 1 -type f ! -name SHA256SUMS ! -name sizes.tsv -printf '%P\n' | LC_ALL=C sort | xargs sha256sum -- > SHA256SUMS)
echo "dist: $(grep -c . dist/SHA256SUMS) artefacts in dist/ (sizes in dist/sizes.tsv)"
ls -l dist
