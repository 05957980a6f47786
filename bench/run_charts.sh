#!/usr/bin/env bash
# W2 charts and series benchmark (docs/benchmarks.md, "Charts on W2"):
# imports W2 (2,000 channels, 200,000 songs, 30 days, ~30 million plays) with
# `spinlog import`, reporting its time, peak memory and data directory size;
# starts a server on it, reporting its start time and resident memory; makes
# two channel groups (all 2,000 channels; channels 1-50); then measures with
# wrk (bench/load/paths.lua, 10 connections) the queries of issue 5:
#   top40_all    GET /api/v1/charts?group=<all>&period=week&start=<a March 2024 week>&limit=40
#   top40_50     the same over the 50-channel group
#   series_30d   GET /api/v1/songs/<random song>/series?from=2024-03-01&to=2024-03-31
#   get_top_10   the classic get_top over 10 channels, limit 10
# and prints a markdown table of medians (req/s, p50, p99) over the
# repetitions; raw wrk output goes to bench/out/.
#
# Everything it starts is stopped on exit (trap); every wait is bounded.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOAD_DIR=$ROOT/bench/load

usage() {
  cat <<EOF2
usage: bench/run_charts.sh [options]
  --data DIR         use this W2 data directory (imported before) instead of importing
  --w2-file FILE     import this W2 NDJSON instead of generating one
  --days N           days of W2 to generate (default 30)
  --reps N           repetitions (default 3)
  --duration S       seconds per wrk run (default 10)
  --connections N    wrk connections (default 10)
  --build-dir DIR    where spinlog and w2_generator are (default build)
  --server-args ".." extra words for "spinlog serve" (default "--threads 1": the
                     server is pinned to one core, where a second event loop
                     only waits for the first's time slices)
  --keep-temp        keep the temporary directory
EOF2
}

BENCH_NAME=run_charts KEEP=0 PIN=1 DATA="" W2_FILE="" DAYS=30 REPS=3 DURATION=10 CONNS=10
SERVER_ARGS="--threads 1"
BUILD_DIR=$ROOT/build
while [[ $# -gt 0 ]]; do
  case $1 in
    --data) DATA=$2; shift ;;
    --w2-file) W2_FILE=$2; shift ;;
    --days) DAYS=$2; shift ;;
    --reps) REPS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --connections) CONNS=$2; shift ;;
    --build-dir) BUILD_DIR=$(cd "$2" && pwd); shift ;;
    --server-args) SERVER_ARGS=$2; shift ;;
    --keep-temp) KEEP=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run_charts: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for n in DAYS REPS DURATION CONNS; do
  [[ ${!n} =~ ^[0-9]+$ && ${!n} -gt 0 ]] || { echo "run_charts: bad $n: ${!n}" >&2; exit 2; }
done

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_require wrk curl
bench_pinning "$PIN"
bench_temp
SPINLOG=$BUILD_DIR/src/main/spinlog
[[ -x $SPINLOG ]] || die "no $SPINLOG: build first (make build)"
mkdir -p "$ROOT/bench/out"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RAW=$ROOT/bench/out/charts-$STAMP.wrk.log
: >"$RAW"

IMPORT_LINE="(imported before: --data)"
if [[ -z $DATA ]]; then
  DATA=$TMP/w2-data
  if [[ -z $W2_FILE ]]; then
    W2_FILE=$TMP/w2.ndjson
    log "generating W2 ($DAYS days)"
    "$BUILD_DIR/bench/w2_generator" --days "$DAYS" --out "$W2_FILE"
  fi
  log "importing $W2_FILE"
  /usr/bin/time -f '%e %M' -o "$TMP/import.time" "$SPINLOG" import --data "$DATA" "$W2_FILE" \
    >"$TMP/import.log" 2>&1 || { tail -5 "$TMP/import.log" >&2; die "import failed"; }
  read -r import_s import_kb <"$TMP/import.time"
  IMPORT_LINE="import: $(grep -m1 '^imported' "$TMP/import.log"); wall ${import_s} s, peak RSS $((import_kb / 1024)) MB, data directory $(du -sm "$DATA" | cut -f1) MB"
fi

start_ns=$(date +%s%N)
# shellcheck disable=SC2086 # the server arguments are words on purpose
start_spinlog spinlog "$SPINLOG" "$DATA" $SERVER_ARGS
start_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
SERVER_PID=$STARTED_PID URL=$STARTED_URL
rss_mb=$(( $(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status") / 1024 ))

# Groups: every channel, and the first 50.
channels=$(seq -s, 1 2000)
post_group() {
  curl -sf -X POST -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"channel_ids\":[$2]}" "$URL/api/v1/channel-groups" >/dev/null ||
    die "cannot create group $1"
}
post_group "bench all" "$channels"
post_group "bench fifty" "$(seq -s, 1 50)"

# The query files: the four whole weeks of March 2024, 200 songs.
weeks=(2024-03-04 2024-03-11 2024-03-18 2024-03-25)
: >"$TMP/top40_all.txt" && : >"$TMP/top40_50.txt" && : >"$TMP/get_top_10.txt"
for w in "${weeks[@]}"; do
  echo "/api/v1/charts?group=bench%20all&period=week&start=$w&limit=40" >>"$TMP/top40_all.txt"
  echo "/api/v1/charts?group=bench%20fifty&period=week&start=$w&limit=40" >>"$TMP/top40_50.txt"
  names=$(seq -f '%%22Radio%%20%04g%%22' 1 10 | paste -sd, -)
  echo "/get_top?channels=%5B$names%5D&start=${w}T00:00:00&limit=10" >>"$TMP/get_top_10.txt"
done
: >"$TMP/series_30d.txt"
for s in $(seq 1 997 199999); do
  echo "/api/v1/songs/$s/series?from=2024-03-01&to=2024-03-31" >>"$TMP/series_30d.txt"
done
for q in top40_all top40_50 series_30d get_top_10; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$URL$(head -1 "$TMP/$q.txt")")
  [[ $status == 200 ]] || die "$q answers $status: $(curl -s "$URL$(head -1 "$TMP/$q.txt")" | head -c 300)"
done

declare -A RPS P50 P99
for ((rep = 1; rep <= REPS; rep++)); do
  for q in top40_all top40_50 series_30d get_top_10; do
    wrk_run spinlog "$SERVER_PID" 5 "$URL" paths 1 "$CONNS" "$DURATION" "file=$TMP/$q.txt" "seed=$rep"
    [[ $(field "$RESULT" non200) == 0 ]] || die "$q: non-200 answers: $RESULT"
    RPS[$q]+=" $(field "$RESULT" rps)" P50[$q]+=" $(field "$RESULT" p50_us)" P99[$q]+=" $(field "$RESULT" p99_us)"
    log "$q rep $rep: $(field "$RESULT" rps) req/s, p99 $(field "$RESULT" p99_us) us"
  done
done

{
  echo "## Charts on W2 ($STAMP)"
  echo
  echo "- commit $(bench_commit); $(nproc) cores ($(bench_cpu)); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- $IMPORT_LINE"
  echo "- spinlog serve $SERVER_ARGS; start ${start_ms} ms to listening; resident ${rss_mb} MB"
  echo "- wrk -t1 -c$CONNS -d${DURATION}s; medians of $REPS"
  echo
  echo "| query | req/s | p50 ms | p99 ms |"
  echo "|---|---|---|---|"
  for q in top40_all top40_50 series_30d get_top_10; do
    # shellcheck disable=SC2086 # the lists are words on purpose
    echo "| $q | $(median ${RPS[$q]}) | $(ms "$(median ${P50[$q]})") | $(ms "$(median ${P99[$q]})") |"
  done
} | tee "$ROOT/bench/out/charts-$STAMP.md"
