#!/usr/bin/env bash
# User-space instructions per request of one classic endpoint, counted by
# valgrind's callgrind: a figure that, unlike req/s, does not move with
# whatever else the machine runs (docs/benchmarks.md). Kernel work (sockets,
# epoll) is not counted.
#
# Starts `spinlog serve --threads 1` under callgrind on a copy of DATA (a data
# directory holding W1, e.g. one kept by run_classic.sh --keep-temp), warms
# it up with wrk for 4 s, zeroes the counters, runs wrk for SECONDS with the
# same requests, dumps the counters, and prints
#   RESULT endpoint=E requests=N instructions=I per_request=P
# Everything it starts is stopped on exit; every wait is bounded.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
usage() {
  echo "usage: bench/instructions_per_request.sh --data DIR [--spinlog PATH] [--endpoint E]"
  echo "         [--connections N] [--seconds S] [--server-args \"...\"] [--profile-out FILE]"
  echo "  --profile-out: keep callgrind's counts there (for callgrind_annotate)"
  echo "  E: get_top (default), get_channel_plays, get_song_plays or add_play"
}
DATA="" SPINLOG=$ROOT/build/src/main/spinlog ENDPOINT=get_top CONNS=10 SECONDS_RUN=5 SERVER_ARGS="" PROFILE_OUT=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --data) DATA=$2; shift ;;
    --spinlog) SPINLOG=$2; shift ;;
    --endpoint) ENDPOINT=$2; shift ;;
    --connections) CONNS=$2; shift ;;
    --seconds) SECONDS_RUN=$2; shift ;;
    --server-args) SERVER_ARGS=$2; shift ;;
    --profile-out) PROFILE_OUT=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done
[[ -d $DATA && -x $SPINLOG && -f $ROOT/bench/load/$ENDPOINT.lua ]] || { usage >&2; exit 2; }
[[ $CONNS =~ ^[0-9]+$ && $SECONDS_RUN =~ ^[0-9]+$ && $SECONDS_RUN -le 120 ]] || { usage >&2; exit 2; }
for tool in valgrind callgrind_control callgrind_annotate wrk curl; do
  command -v "$tool" >/dev/null || { echo "instructions_per_request: $tool is missing" >&2; exit 1; }
done

TMP=$(mktemp -d)
VPID=""
cleanup() {
  if [[ -n $VPID ]] && kill -0 "$VPID" 2>/dev/null; then
    kill "$VPID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$VPID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$VPID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

cp -a "$DATA" "$TMP/data"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
read -ra extra <<<"$SERVER_ARGS"
valgrind --tool=callgrind --callgrind-out-file="$TMP/callgrind.out" \
  "$SPINLOG" serve --listen "127.0.0.1:$PORT" --data "$TMP/data" --threads 1 "${extra[@]}" \
  >"$TMP/server.log" 2>&1 &
VPID=$!
URL=http://127.0.0.1:$PORT
for ((i = 0; i < 1200; i++)); do
  curl -s -o /dev/null --max-time 5 "$URL/" && break
  kill -0 "$VPID" 2>/dev/null || { cat "$TMP/server.log" >&2; exit 1; }
  sleep 0.5
done
curl -s -o /dev/null --max-time 5 "$URL/" || { echo "server did not start" >&2; exit 1; }

wrk_args=(-t1 -c"$CONNS" --timeout 30s -s "$ROOT/bench/load/$ENDPOINT.lua" "$URL" -- seed=1 run=$((3000 + RANDOM % 700)) fast=1)
timeout 120 wrk -d4s "${wrk_args[@]}" >/dev/null
callgrind_control -z "$VPID" >/dev/null 2>&1
out=$(timeout $((SECONDS_RUN + 120)) wrk -d"${SECONDS_RUN}s" "${wrk_args[@]}")
callgrind_control -d "$VPID" >/dev/null 2>&1
requests=$(awk '/requests in/ {print $1}' <<<"$out")
file=""
for ((i = 0; i < 100; i++)); do
  file=$(ls "$TMP"/callgrind.out.* 2>/dev/null | head -1 || true)
  [[ -n $file ]] && grep -q '^summary:' "$file" 2>/dev/null && break
  sleep 0.2
done
[[ -n $file && -n $requests && $requests -gt 0 ]] || { echo "no counts" >&2; exit 1; }
[[ -z $PROFILE_OUT ]] || cp "$file" "$PROFILE_OUT"
instructions=$(awk '/^summary:/ {print $2}' "$file")
echo "RESULT endpoint=$ENDPOINT requests=$requests instructions=$instructions per_request=$((instructions / requests))"
