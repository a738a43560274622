#!/usr/bin/env bash
# Keeps the README's install section true:
#   - every file its table names (VERSION, DEBVERSION filled in) is one
#     scripts/test-dist.sh built into dist/, and every file in dist/ is
#     named there (the macOS .dmg, built only by the release workflow, must
#     be the name scripts/dist-darwin.sh writes);
#   - its `go install MODULE@VERSION` names go.mod's module, and that command
#     works: the committed tree (git archive HEAD, the nested modules
#     left out as Go does) is served as VERSION from a file
#     GOPROXY in front of the real one, installed into a temp GOBIN with a
#     temp module cache (-trimpath, so make dist's build cache serves it
#     wherever the modules are unpacked), and the binary runs and reports
#     that version;
#   - its `npm install ./wwkit-verify-….tgz` names the tarball in dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
V="${DIST_TEST_VERSION:?run scripts/test-dist.sh}"
deb="$(echo "${V#v}" | tr -- '-' '~')"
fail() { echo "test-dist-install: FAIL: $*" >&2; exit 1; }
section="$(awk '/^## Install/{on=1; next} /^## /{on=0} on' README.md)"
[ -n "$section" ] || fail "README.md has no ## Install section"

names="$(grep -o '`wwkit[A-Za-z0-9_.~-]*\(VERSION\|DEBVERSION\|0\.0\.0\)[A-Za-z0-9_.~-]*`' <<<"$section" | tr -d '`' | sort -u)"
n=0
for name in $names; do
  f="${name//DEBVERSION/$deb}"; f="${f//VERSION/$V}"
  case "$f" in
    *_darwin_universal.dmg)
      grep -q 'dist/wwkit-desktop_${VERSION}_darwin_universal.dmg\|name="wwkit-desktop_${VERSION}_darwin_universal"' scripts/dist-darwin.sh ||
        fail "README names $name but scripts/dist-darwin.sh does not write it"
      echo "  $name: built by the release workflow's macos job (scripts/dist-darwin.sh)" ;;
    *) [ -f "dist/$f" ] || fail "README names $name, but make dist built no dist/$f"
       echo "  $name: dist/$f $(wc -c < "dist/$f") bytes"; n=$((n+1)) ;;
  esac
done
for f in $(cd dist && ls); do
  case "$f" in SHA256SUMS|sizes.tsv|stage) continue ;; esac
  pat="${f//$V/VERSION}"; pat="${pat//$deb/DEBVERSION}"
  grep -qF "\`$pat\`" <<<"$section" || fail "dist/$f ($pat) is not in the README's install table"
done
echo "  the install table names the $n files make dist built here, and nothing else but the macOS .dmg"

module="$(go list -m)"
line="$(grep -o 'go install [^ `]*@VERSION' <<<"$section" | head -1)"
[ "$line" = "go install $module@VERSION" ] || fail "README's go install line is '$line', want 'go install $module@VERSION'"
grep -q "npm install ./$(cd dist && ls wwkit-verify-*.tgz)" <<<"$section" || fail "README's npm install line does not name dist/$(cd dist && ls wwkit-verify-*.tgz)"

tmp="$(mktemp -d)"
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
ver="v0.0.0-disttest.$(date +%s)"
at="$tmp/proxy/$module/@v"
mkdir -p "$at"
# nested modules (bench/, examples/, …) are not part of the module's zip
excl=()
for m in $(git ls-files '*/go.mod'); do excl+=(":(exclude)$(dirname "$m")"); done
git archive --format=zip --prefix="$module@$ver/" -o "$at/$ver.zip" HEAD -- . "${excl[@]}"
git show HEAD:go.mod > "$at/$ver.mod"
printf '{"Version":"%s","Time":"%s"}\n' "$ver" "$(git show -s --format=%cI HEAD)" > "$at/$ver.info"
echo "$ver" > "$at/list"
t0=$(date +%s)
if ! GOFLAGS="-modcacherw -trimpath" GOBIN="$tmp/bin" GOMODCACHE="$tmp/modcache" GONOSUMDB="$module" \
  GOPROXY="file://$tmp/proxy,file://$(go env GOMODCACHE)/cache/download,$(go env GOPROXY)" \
  CGO_ENABLED=0 go install "$module@$ver" 2>"$tmp/install.err"; then
  cat "$tmp/install.err" >&2
  fail "go install $module@$ver from the committed tree failed"
fi
out="$("$tmp/bin/wwkit" version)"
case "$out" in "wwkit $ver "*) ;; *) fail "the go-installed wwkit prints '$out', want 'wwkit $ver …'" ;; esac
echo "  go install $module@$ver (HEAD $(git rev-parse --short HEAD) through a file GOPROXY): $(( $(date +%s) - t0 ))s, $(wc -c < "$tmp/bin/wwkit") bytes; prints: $out"
