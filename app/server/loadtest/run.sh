#!/bin/sh
# Load comparison of the dev server's /callback and signature endpoints
# (docs/benchmarks.md, ## Dev server). Bounded: DURATION seconds per run,
# 64 connections, loopback only. Needs wrk (apt-get install -y wrk).
set -eu
cd "$(dirname "$0")"
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
N=${N:-200000}
TMP=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; rm -rf "$TMP"' EXIT INT TERM
go build -o "$TMP/loadtest" .
"$TMP/loadtest" -gen "$N" -out "$TMP/callbacks.txt"
PID=
for mode in ${MODES:-minimal silenceper wwkit}; do
  "$TMP/loadtest" -mode $mode -addr 127.0.0.1:9001 -data "$TMP/data-$mode" 2>"$TMP/$mode.log" &
  PID=$!
  for i in 1 2 3 4 5 6 7 8 9 10; do curl -s -o /dev/null http://127.0.0.1:9001/ && break; sleep 0.3; done
  printf '%-10s callback  ' $mode
  CALLBACKS="$TMP/callbacks.txt" WRK_THREADS=$THREADS wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s callbacks.lua http://127.0.0.1:9001 | grep LOADTEST
  if [ $mode != silenceper ]; then
    printf '%-10s signature ' $mode
    wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s sign.lua "http://127.0.0.1:9001/api/jssdk/config?profile=mp&url=http%3A%2F%2F127.0.0.1%3A9001%2Fh5%2Findex.html%3Fa%3Db" | grep LOADTEST
  fi
  if [ $mode = wwkit ]; then
    printf 'wwkit inbox rows: '
    curl -s http://127.0.0.1:9001/healthz
  fi
  kill $PID; wait $PID 2>/dev/null || true
  PID=
done
