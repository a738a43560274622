#!/usr/bin/env bash
# Runs the headless Windows build (dist/wwkit_*_windows_amd64.zip) under
# wine as a Windows user would, in a fresh wine prefix:
#   - wwkit.exe version prints the stamped version;
#   - wwkit.exe serve (a free loopback port, no --data) keeps its data in
#     %AppData%\wwkit\serve, answers /healthz, signs wx.config for its page
#     and the emulator's jssdk/verify accepts that signature (and rejects a
#     tampered one), stores one encrypted callback pushed by the emulator,
#     and still lists it after being killed and started again;
#   - wwkit.exe crypt decrypt decrypts a vector of ../shared/spec/vectors
#     from a CRLF body file on C:, and rejects its tampered twin.
# Requests follow the dev server's rules (docs/reliability.md): loopback
# Host, the client token from serve.token for the admin API, JSON POSTs.
# Needs make dist's output, wine, mingw-w64, curl, jq (scripts/setup.sh dist).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
vectors="${WWKIT_VECTORS:-$repo/../shared/spec/vectors}"
[ -f "$vectors/crypto.json" ] || vectors=/work/shared/spec/vectors
[ -f "$vectors/crypto.json" ] || { echo "test-dist-wine: no crypto.json in ../shared/spec/vectors (set WWKIT_VECTORS)" >&2; exit 1; }
zip="$(ls dist/wwkit_*_windows_amd64.zip 2>/dev/null | head -1)"
[ -n "$zip" ] || { echo "test-dist-wine: no dist/wwkit_*_windows_amd64.zip; run make dist first" >&2; exit 1; }
for c in wine x86_64-w64-mingw32-gcc curl jq unzip; do
  command -v "$c" >/dev/null || { echo "test-dist-wine: $c not found; scripts/setup.sh dist installs it" >&2; exit 1; }
done
tmp="$(mktemp -d "${TMPDIR:-/tmp}/wwkit-wine-XXXXXX")"
export WINEPREFIX="$tmp/prefix" WINEDEBUG=-all WINEARCH=win64
# wine links Desktop, Documents, … of the prefix to $HOME: keep them in the temp dir
export HOME="$tmp/home"
mkdir -p "$HOME"
# no Mono/Gecko install prompts for a fresh prefix; no window needed
export WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WAYLAND_DISPLAY
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wineserver -k 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "test-dist-wine: FAIL: $*" >&2; exit 1; }
step() { echo "  $*"; }

unzip -q "$zip" -d "$tmp"
exe="$(ls "$tmp"/wwkit_*_windows_amd64/wwkit.exe)"
start=$(date +%s)
wineboot --init >/dev/null 2>&1 || true
# wine 8 reports Windows 7 by default; Go 1.26 and the installer need 10
wine winecfg /v win10 >/dev/null 2>&1 || true
wineserver -w
sys32="$WINEPREFIX/drive_c/windows/system32"
[ -d "$sys32" ] || fail "wineboot made no prefix in $WINEPREFIX"
step "wine $(wine --version 2>/dev/null), prefix ready in $(( $(date +%s) - start ))s"
if [ ! -e "$sys32/bcryptprimitives.dll" ]; then
  x86_64-w64-mingw32-gcc -O2 -shared -s -o "$sys32/bcryptprimitives.dll" scripts/test-dist-wine-prng.c -ladvapi32
  export WINEDLLOVERRIDES="$WINEDLLOVERRIDES;bcryptprimitives=n"
  step "this wine has no bcryptprimitives.dll (ProcessPrng, Windows 10+): stand-in from scripts/test-dist-wine-prng.c"
fi

# version
ver="$(wine "$exe" version | tr -d '\r')"
step "wwkit.exe version: $ver"
want="$(basename "$(dirname "$exe")" | cut -d_ -f2)"
case "$ver" in "wwkit $want (commit "*) ;; *) fail "version printed '$ver', want wwkit $want (commit …)" ;; esac

winuser="$(wine cmd /c 'echo %USERNAME%' 2>/dev/null | tr -d '\r')"
appdata="$WINEPREFIX/drive_c/users/$winuser/AppData/Roaming"
[ -d "$appdata" ] || fail "no %AppData% at $appdata"
data="$appdata/wwkit/serve"
[ ! -e "$data" ] || fail "$data exists before the first start"

# serve_start N: starts wwkit.exe serve in the background and waits for its
# JSON banner in $tmp/serveN.json
serve_start() {
  local n=$1 t0; t0=$(date +%s)
  wine "$exe" serve --addr 127.0.0.1:0 --json --no-qr >"$tmp/serve$n.json" 2>"$tmp/serve$n.err" &
  pids+=($!)
  for _ in $(seq 1 240); do
    if [ -s "$tmp/serve$n.json" ] && jq -e '.url | strings' "$tmp/serve$n.json" >/dev/null 2>&1; then
      step "serve #$n: banner after $(( $(date +%s) - t0 ))s: $(jq -r .url "$tmp/serve$n.json")"
      return 0
    fi
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.5
  done
  cat "$tmp/serve$n.err" >&2
  fail "serve #$n printed no banner"
}
serve_stop() {
  local p="${pids[-1]}"
  kill -9 "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
  wineserver -k 2>/dev/null || true
  wineserver -w 2>/dev/null || true
}

serve_start 1
url="$(jq -r .url "$tmp/serve1.json")" emu="$(jq -r .emulator.url "$tmp/serve1.json")" page="$(jq -r .pageURL "$tmp/serve1.json")"
case "$url" in http://127.0.0.1:[0-9]*) ;; *) fail "serve url $url is not on loopback" ;; esac
[ -f "$data/serve.token" ] || fail "no serve.token in %AppData%\\wwkit\\serve ($data): $(ls -R "$WINEPREFIX/drive_c/users/$winuser" | head -20)"
step "data dir: %AppData%\\wwkit\\serve ($(ls "$data" | tr '\n' ' '))"
tok="$(tr -d '\r\n' < "$data/serve.token")"

h="$(curl -fsS "$url/healthz")" || fail "/healthz did not answer"
echo "$h" | jq -e '.ok == true and .emulator == true' >/dev/null || fail "/healthz: $h"
step "/healthz: $h"

cfg="$(curl -fsS -G "$url/api/jssdk/config" --data-urlencode "url=$page")" || fail "/api/jssdk/config?url=$page failed: $(curl -sS -G "$url/api/jssdk/config" --data-urlencode "url=$page")"
echo "$cfg" | jq -e '.ok == true and (.signature | test("^[0-9a-f]{40}$"))' >/dev/null || fail "/api/jssdk/config: $cfg"
verify() { jq -c --arg url "$page" --arg sig "$1" '{api:"config", url:$url, appId:(.appId // .corpId), timestamp:.timestamp, nonceStr:.nonceStr, signature:$sig}' <<<"$cfg" |
  curl -sS -H 'Content-Type: application/json' --data-binary @- "$emu/__emulator/jssdk/verify"; }
sig="$(jq -r .signature <<<"$cfg")"
v="$(verify "$sig")"
echo "$v" | jq -e '.ok == true' >/dev/null || fail "the emulator rejects the signature of $page: $v"
step "wx.config for $page: signature $sig, emulator jssdk/verify: $(jq -c '{ok,errMsg,platform}' <<<"$v")"
bad="$(printf '%s' "$sig" | tr '0-9a-f' '1-9a-f0')"
v="$(verify "$bad")"
echo "$v" | jq -e '.ok == false and (.errMsg | test("invalid signature"))' >/dev/null || fail "a tampered signature was not rejected: $v"
step "tampered signature: $(jq -r .errMsg <<<"$v")"

msg="wine callback $(date +%s%N)"
push="$(jq -nc --arg c "$msg" '{platform:"wecom", from:"zhangsan", content:$c}' |
  curl -sS -H 'Content-Type: application/json' --data-binary @- "$emu/__emulator/callbacks")"
echo "$push" | jq -e '.ok == true and .status == 200' >/dev/null || fail "the emulator's encrypted callback was not accepted: $push"
step "encrypted callback pushed by the emulator: HTTP $(jq -r .status <<<"$push"), reply $(jq -r .replyMsgType <<<"$push") \"$(jq -r .replyContent <<<"$push")\""
inbox() { curl -fsS -H "X-Wwkit-Token: $tok" "$1/api/inbox"; }
in1="$(inbox "$url")" || fail "/api/inbox did not answer"
[ "$(jq --arg c "$msg" '[.entries[] | select(.message.body.Content == $c)] | length' <<<"$in1")" = 1 ] || fail "the callback is not in the inbox once: $in1"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/api/inbox")" = 401 ] || [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/api/inbox")" = 403 ] || fail "/api/inbox answered without the client token"
step "inbox: the callback is stored ($(jq '.entries | length' <<<"$in1") entry; without the client token: $(curl -s -o /dev/null -w '%{http_code}' "$url/api/inbox"))"

serve_stop
step "serve #1 killed (SIGKILL, no clean shutdown)"
serve_start 2
url2="$(jq -r .url "$tmp/serve2.json")"
tok="$(tr -d '\r\n' < "$data/serve.token")"
in2="$(inbox "$url2")" || fail "/api/inbox after the restart did not answer"
[ "$(jq --arg c "$msg" '[.entries[] | select(.message.body.Content == $c)] | length' <<<"$in2")" = 1 ] || fail "after the restart the callback is not in the inbox: $in2"
step "after the restart the inbox still has it: \"$(jq -r --arg c "$msg" '.entries[] | select(.message.body.Content == $c) | .message.body.Content' <<<"$in2")\""
serve_stop

# crypt decrypt on a test vector, the body file on C: with CRLF line ends
case_json="$(jq -c '.cases[] | select(.name == "wecom_text_basic")' "$vectors/crypto.json")"
[ -n "$case_json" ] || fail "no wecom_text_basic case in $vectors/crypto.json"
mkdir -p "$WINEPREFIX/drive_c/wwkit-test"
jq -r .postBody <<<"$case_json" | sed 's/$/\r/' > "$WINEPREFIX/drive_c/wwkit-test/request.xml"
decrypt() {
  WWKIT_CALLBACK_TOKEN="$(jq -r .token <<<"$case_json")" WWKIT_ENCODING_AES_KEY="$(jq -r .encodingAESKey <<<"$case_json")" \
    wine "$exe" crypt decrypt --receive-id "$(jq -r .receiveId <<<"$case_json")" --msg-signature "$1" \
    --timestamp "$(jq -r .timestamp <<<"$case_json")" --nonce "$(jq -r .nonce <<<"$case_json")" --body 'C:\wwkit-test\request.xml'
}
got="$(decrypt "$(jq -r .msgSignature <<<"$case_json")" 2>"$tmp/decrypt.err")" || fail "crypt decrypt failed: $(cat "$tmp/decrypt.err")"
got="$(printf '%s' "$got" | tr -d '\r')"
[ "$(printf '%s\n' "$got" | grep -c .)" -ge 1 ] || fail "crypt decrypt printed nothing"
grep -qF "$(jq -r .expect.msg <<<"$case_json")" <<<"$got" || fail "crypt decrypt printed: $got; want $(jq -r .expect.msg <<<"$case_json")"
step "crypt decrypt wecom_text_basic (C:\\wwkit-test\\request.xml, CRLF): $(printf '%s' "$got" | head -c 120)…"
badsig="$(jq -r .msgSignature <<<"$case_json" | tr '0-9a-f' '1-9a-f0')"
if decrypt "$badsig" >"$tmp/bad.out" 2>"$tmp/bad.err"; then fail "crypt decrypt accepted a tampered msg_signature"; else rc=$?; fi
[ "$rc" = 1 ] || fail "crypt decrypt with a tampered signature exited $rc, want 1"
step "tampered msg_signature: exit $rc, $(tr -d '\r' < "$tmp/bad.err" | head -1)"
echo "test-dist-wine: ok in $(( $(date +%s) - start ))s"
