#!/bin/sh
# Load comparison of the dev server's /callback and signature endpoints
# (docs/benchmarks.md, ## Dev server). Bounded: DURATION seconds per wrk run,
# CONNS connections, loopback only. Needs wrk (apt-get install -y wrk).
#
# The three servers run at once on ports 9001-9003 (an idle server costs
# nothing); each of ROUNDS rounds measures them back to back in a rotated
# order, so that load from other processes on a shared machine hits them
# alike and the ratios within a round compare like with like.
# `make bench` runs it through tools/benchreport, which parses the
# "round R MODE KIND LOADTEST …" lines.
set -eu
command -v wrk >/dev/null || { echo "run.sh: wrk is not installed (apt-get install -y wrk, or scripts/setup.sh bench)" >&2; exit 3; }
cd "$(dirname "$0")"
DURATION=${DURATION:-5}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
N=${N:-900000}
REGION=$((N / ROUNDS))
TMP=$(mktemp -d)
PIDS=
trap 'for p in $PIDS; do kill $p 2>/dev/null || true; done; rm -rf "$TMP"' EXIT INT TERM
go build -o "$TMP/loadtest" .
"$TMP/loadtest" -gen "$N" -out "$TMP/callbacks.txt"
port=9001
for mode in minimal silenceper wwkit; do
  "$TMP/loadtest" -mode $mode -addr 127.0.0.1:$port -data "$TMP/data-$mode" 2>"$TMP/$mode.log" &
  PIDS="$PIDS $!"
  eval "PORT_$mode=$port"
  port=$((port + 1))
done
sleep 2
SIGN_URL='/api/jssdk/config?profile=mp&url=http%3A%2F%2F127.0.0.1%2Fh5%2Findex.html%3Fa%3Db'
run() { # mode kind
  eval "p=\$PORT_$1"
  printf 'round %s %-10s %-9s ' "$r" "$1" "$2"
  if [ "$2" = callback ]; then
    # Every wwkit request must be a new MsgId: each round has its own region
    # of the file.
    off=0
    if [ "$1" = wwkit ]; then off=$(( (r - 1) * REGION )); fi
    OFFSET=$off LIMIT=$REGION CALLBACKS="$TMP/callbacks.txt" WRK_THREADS=$THREADS wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -s callbacks.lua "http://127.0.0.1:$p" | grep LOADTEST
    if [ "$1" = wwkit ]; then drain "$p"; fi
  else
    wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -s sign.lua "http://127.0.0.1:$p$SIGN_URL" | grep LOADTEST
  fi
}
# drain waits until wwkit has imported its journal into SQLite (the import
# runs after the 200s), so that its CPU does not fall into the next run; the
# time it took is printed.
drain() {
  command -v curl >/dev/null || return 0
  t0=$(date +%s.%N)
  i=0
  while [ $i -lt 600 ]; do
    curl -s "http://127.0.0.1:$1/healthz" | grep -q '"pending":0[,}]' && break
    sleep 0.1
    i=$((i + 1))
  done
  printf 'round %s wwkit import drained in %.1f s\n' "$r" "$(echo "$(date +%s.%N) - $t0" | bc 2>/dev/null || echo 0)"
}
r=1
while [ $r -le "$ROUNDS" ]; do
  case $((r % 3)) in
    1) order="minimal silenceper wwkit" ;;
    2) order="wwkit minimal silenceper" ;;
    0) order="silenceper wwkit minimal" ;;
  esac
  for m in $order; do run $m callback; done
  for m in $order; do
    if [ $m != silenceper ]; then run $m signature; fi
  done
  uptime
  r=$((r + 1))
done
if command -v curl >/dev/null; then
  printf 'wwkit inbox: '
  curl -s "http://127.0.0.1:$PORT_wwkit/healthz" || echo "(healthz did not answer)"
  echo
  echo "wwkit: $ROUNDS regions of $REGION distinct callbacks; inbox rows < commits.rows means a region wrapped"
fi
