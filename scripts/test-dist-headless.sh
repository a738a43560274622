#!/usr/bin/env bash
# Checks the headless release artefacts: make dist's archives match
# SHA256SUMS, hold README.md and a binary of the right format (PE32+ for
# Windows, Mach-O for macOS, ELF for Linux), and the Linux amd64 binary
# prints the version -ldflags stamped. Also checks that a plain build with
# no stamps reports the build info Go recorded instead of a placeholder.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
VERSION=v0.0.0-disttest scripts/dist.sh >/dev/null
(cd dist && sha256sum -c --quiet SHA256SUMS)
declare -A want=([linux]="ELF 64-bit" [windows]="PE32+ executable" [darwin]="Mach-O 64-bit")
n=0
for a in dist/*.tar.gz dist/*.zip; do
  base="$(basename "$a")"; base="${base%.tar.gz}"; base="${base%.zip}"
  os="$(echo "$base" | cut -d_ -f3)"
  mkdir -p "$tmp/x"
  case "$a" in *.zip) unzip -q "$a" -d "$tmp/x" ;; *) tar -C "$tmp/x" -xzf "$a" ;; esac
  bin="$tmp/x/$base/wwkit"; [ "$os" = windows ] && bin="$bin.exe"
  [ -f "$tmp/x/$base/README.md" ] || { echo "test-dist: $a has no README.md" >&2; exit 1; }
  file "$bin" | grep -q "${want[$os]}" || { echo "test-dist: $a: $(file -b "$bin"), want ${want[$os]}" >&2; exit 1; }
  echo "  $base: $(file -b "$bin" | cut -d, -f1-2), archive $(wc -c < "$a") bytes"
  n=$((n+1))
done
[ "$n" -eq 6 ] || { echo "test-dist: $n archives, want 6" >&2; exit 1; }
tar -C "$tmp" -xzf dist/wwkit_v0.0.0-disttest_linux_amd64.tar.gz
out="$("$tmp/wwkit_v0.0.0-disttest_linux_amd64/wwkit" --version)"
echo "  stamped: $out"
case "$out" in "wwkit v0.0.0-disttest (commit "*", built "*) ;; *) echo "test-dist: stamped --version printed: $out" >&2; exit 1 ;; esac
[ "$("$tmp/wwkit_v0.0.0-disttest_linux_amd64/wwkit" version)" = "$out" ] || { echo "test-dist: wwkit version and --version differ" >&2; exit 1; }
CGO_ENABLED=0 go build -o "$tmp/plain" .
out="$("$tmp/plain" --version)"
echo "  unstamped: $out"
case "$out" in "wwkit (devel) (go"*|"wwkit (devel) (commit "*|"wwkit v"*) ;; *) echo "test-dist: unstamped --version printed: $out" >&2; exit 1 ;; esac
