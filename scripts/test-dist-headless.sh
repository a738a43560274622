#!/usr/bin/env bash
# Checks the headless release artefacts that scripts/test-dist.sh built:
# dist/SHA256SUMS matches and lists every artefact; each archive holds
# README.md, LICENSE and a binary of the right format (PE32+ for Windows,
# Mach-O for macOS, ELF for Linux); windows/amd64 carries the version info
# and manifest; the Linux amd64 binary prints the stamped version. Also
# checks that a plain build with no stamps reports the build info Go
# recorded instead of a placeholder.
set -euo pipefail
cd "$(dirname "$0")/.."
V="${DIST_TEST_VERSION:?run scripts/test-dist.sh}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
(cd dist && sha256sum -c --quiet SHA256SUMS)
listed="$(cut -c67- dist/SHA256SUMS | sort)"
present="$(cd dist && find . -maxdepth 1 -type f ! -name SHA256SUMS ! -name sizes.tsv -printf '%P\n' | sort)"
[ "$listed" = "$present" ] || { echo "test-dist: SHA256SUMS lists [$listed], dist/ has [$present]" >&2; exit 1; }
declare -A want=([linux]="ELF 64-bit" [windows]="PE32+ executable" [darwin]="Mach-O 64-bit")
declare -A wantarch=([amd64]="x86-64|x86_64" [arm64]="aarch64|ARM64|arm64")
n=0
for a in dist/wwkit_"$V"_*.tar.gz dist/wwkit_"$V"_*.zip; do
  base="$(basename "$a")"; base="${base%.tar.gz}"; base="${base%.zip}"
  os="$(echo "$base" | cut -d_ -f3)" arch="$(echo "$base" | cut -d_ -f4)"
  mkdir -p "$tmp/x"
  case "$a" in *.zip) unzip -q "$a" -d "$tmp/x" ;; *) tar -C "$tmp/x" -xzf "$a" ;; esac
  bin="$tmp/x/$base/wwkit"; [ "$os" = windows ] && bin="$bin.exe"
  for f in README.md LICENSE; do
    [ -f "$tmp/x/$base/$f" ] || { echo "test-dist: $a has no $f" >&2; exit 1; }
  done
  grep -q "MIT License" "$tmp/x/$base/LICENSE" || { echo "test-dist: $a: LICENSE is not the MIT licence" >&2; exit 1; }
  file "$bin" | grep -q "${want[$os]}" || { echo "test-dist: $a: $(file -b "$bin"), want ${want[$os]}" >&2; exit 1; }
  file "$bin" | grep -Eqi "${wantarch[$arch]}" || { echo "test-dist: $a: $(file -b "$bin"), want $arch" >&2; exit 1; }
  echo "  $base: $(file -b "$bin" | cut -d, -f1-2), archive $(wc -c < "$a") bytes"
  n=$((n+1))
done
[ "$n" -eq 6 ] || { echo "test-dist: $n headless archives, want 6" >&2; exit 1; }
# windows/amd64: the version resource (UTF-16 strings) and the manifest
unzip -q -o "dist/wwkit_${V}_windows_amd64.zip" -d "$tmp/w"
exe="$tmp/w/wwkit_${V}_windows_amd64/wwkit.exe"
strings -el "$exe" | grep -qx "$V" || { echo "test-dist: wwkit.exe has no ProductVersion $V in its version info" >&2; exit 1; }
strings -el "$exe" | grep -q "Copyright (c) 2026 the wwkit authors" || { echo "test-dist: wwkit.exe has no LegalCopyright" >&2; exit 1; }
grep -q "Microsoft.Windows.Common-Controls" "$exe" || { echo "test-dist: wwkit.exe has no application manifest" >&2; exit 1; }
echo "  windows/amd64: version info ($V, copyright) and manifest present"
tar -C "$tmp" -xzf "dist/wwkit_${V}_linux_amd64.tar.gz"
out="$("$tmp/wwkit_${V}_linux_amd64/wwkit" --version)"
echo "  stamped: $out"
case "$out" in "wwkit $V (commit "*", built "*) ;; *) echo "test-dist: stamped --version printed: $out" >&2; exit 1 ;; esac
[ "$("$tmp/wwkit_${V}_linux_amd64/wwkit" version)" = "$out" ] || { echo "test-dist: wwkit version and --version differ" >&2; exit 1; }
CGO_ENABLED=0 go build -o "$tmp/plain" .
out="$("$tmp/plain" --version)"
echo "  unstamped: $out"
case "$out" in "wwkit (devel) (go"*|"wwkit (devel) (commit "*|"wwkit v"*) ;; *) echo "test-dist: unstamped --version printed: $out" >&2; exit 1 ;; esac
