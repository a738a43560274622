#!/usr/bin/env bash
# Builds the headless wwkit (CLI, dev server, emulator, embedded H5 page;
# CGO_ENABLED=0) for every release platform into dist/, as .tar.gz (.zip for
# Windows) with README.md, and writes dist/SHA256SUMS. The repository has no
# LICENSE file, so none is packaged. The desktop builds are not made here yet.
#   VERSION=v1.2.3 scripts/dist.sh
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo v0.0.0-dev)}"
COMMIT="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
PKG=github.com/wwkit/wwkit/app/cli
LDFLAGS="-s -w -X $PKG.Version=$VERSION -X $PKG.Commit=$COMMIT -X $PKG.Date=$DATE"
PLATFORMS="${PLATFORMS:-linux/amd64 linux/arm64 windows/amd64 windows/arm64 darwin/amd64 darwin/arm64}"
rm -rf dist && mkdir -p dist/stage
for p in $PLATFORMS; do
  os="${p%/*}" arch="${p#*/}"
  name="wwkit_${VERSION}_${os}_${arch}"
  exe=wwkit; [ "$os" = windows ] && exe=wwkit.exe
  dir="dist/stage/$name"
  mkdir -p "$dir"
  echo "dist: $name"
  CGO_ENABLED=0 GOOS="$os" GOARCH="$arch" go build -trimpath -ldflags="$LDFLAGS" -o "$dir/$exe" .
  cp README.md "$dir/"
  if [ "$os" = windows ]; then
    (cd dist/stage && zip -qr "../$name.zip" "$name")
  else
    tar -C dist/stage -czf "dist/$name.tar.gz" "$name"
  fi
done
rm -rf dist/stage
(cd dist && sha256sum -- *.tar.gz *.zip > SHA256SUMS)
ls -l dist
