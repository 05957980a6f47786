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
# Beside spinlog, in the same run and with the same wrk settings, nginx (one
# worker, pinned to the server's core like spinlog) serves a static file of
# the same bytes as a typical answer of each query: nginx's p99 is the tail
# that the machine (scheduler, loopback, wrk) gives anyway. Each repetition
# runs nginx, then spinlog (then the --compare server), per query; a 1 s
# warm-up of each comes first. Prints a markdown table of medians over the
# repetitions (req/s, p50, p99, and spinlog/nginx req/s as the median of
# per-run ratios); raw wrk output goes to bench/out/.
#
# --compare BINARY --compare-data DIR adds a second spinlog (e.g. a build of
# main) on its own copy of the data, measured right after the first in every
# repetition: before/after side by side against the same nginx runs.
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
  --spinlog PATH     server binary (default BUILD_DIR/src/main/spinlog)
  --compare PATH     a second server binary measured beside the first ("compare")
  --compare-data DIR its data directory: another copy of the same W2 import
                     (two servers cannot open one directory)
  --queries ".."     subset of: top40_all top40_50 series_30d get_top_10
  --server-args ".." extra words for "spinlog serve" (default "--threads 1": the
                     server is pinned to one core, where a second event loop
                     only waits for the first's time slices)
  --keep-temp        keep the temporary directory
EOF2
}

BENCH_NAME=run_charts KEEP=0 PIN=1 DATA="" W2_FILE="" DAYS=30 REPS=3 DURATION=10 CONNS=10
SERVER_ARGS="--threads 1"
BUILD_DIR=$ROOT/build SPINLOG="" COMPARE="" COMPARE_DATA=""
QUERIES="top40_all top40_50 series_30d get_top_10"
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
    --spinlog) SPINLOG=$2; shift ;;
    --compare) COMPARE=$2; shift ;;
    --compare-data) COMPARE_DATA=$2; shift ;;
    --queries) QUERIES=$2; shift ;;
    --keep-temp) KEEP=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run_charts: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for n in DAYS REPS DURATION CONNS; do
  [[ ${!n} =~ ^[0-9]+$ && ${!n} -gt 0 ]] || { echo "run_charts: bad $n: ${!n}" >&2; exit 2; }
done
for q in $QUERIES; do
  [[ " top40_all top40_50 series_30d get_top_10 " == *" $q "* ]] ||
    { echo "run_charts: unknown query $q" >&2; exit 2; }
done
[[ -z $COMPARE || -n $COMPARE_DATA ]] || { echo "run_charts: --compare needs --compare-data" >&2; exit 2; }

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_require wrk curl nginx taskset timeout
bench_pinning "$PIN"
bench_temp
: "${SPINLOG:=$BUILD_DIR/src/main/spinlog}"
[[ -x $SPINLOG ]] || die "no $SPINLOG: build first (make build)"
[[ -z $COMPARE || -x $COMPARE ]] || die "no $COMPARE"
LOADAVG_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
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
# The servers measured, by label: "spinlog", and "compare" with --compare.
TARGETS=(spinlog)
declare -A T_URL=([spinlog]=$URL) T_PID=([spinlog]=$SERVER_PID)
if [[ -n $COMPARE ]]; then
  # shellcheck disable=SC2086 # the server arguments are words on purpose
  start_spinlog compare "$COMPARE" "$COMPARE_DATA" $SERVER_ARGS
  TARGETS+=(compare) T_URL[compare]=$STARTED_URL T_PID[compare]=$STARTED_PID
fi

# Groups: every channel, and the first 50.
channels=$(seq -s, 1 2000)
post_group() {
  local t status
  for t in "${TARGETS[@]}"; do
    # 409: the group exists (a data directory used before).
    status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      -d "{\"name\":\"$1\",\"channel_ids\":[$2]}" "${T_URL[$t]}/api/v1/channel-groups")
    [[ $status == 201 || $status == 200 || $status == 409 ]] || die "cannot create group $1 on $t: $status"
  done
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
# nginx, one worker on the server's core, serving one typical answer per query.
start_nginx
declare -A BYTES
for q in $QUERIES; do
  for t in "${TARGETS[@]}"; do
    status=$(curl -s -o "$TMP/$q.$t.answer" -w '%{http_code}' "${T_URL[$t]}$(head -1 "$TMP/$q.txt")")
    [[ $status == 200 ]] || die "$q on $t answers $status: $(head -c 300 "$TMP/$q.$t.answer")"
  done
  cp "$TMP/$q.spinlog.answer" "$NGINX_WWW/$q.json"
  chmod 644 "$NGINX_WWW/$q.json"
  BYTES[$q]=$(stat -c %s "$NGINX_WWW/$q.json")
  echo "/$q.json" >"$TMP/$q.nginx.txt"
done

# run_query LABEL URL QUERY PATHS_FILE SECONDS SEED: sets RESULT; each run
# starts with the spinlog servers idle.
run_query() {
  local t
  for t in "${TARGETS[@]}"; do wait_idle "${T_PID[$t]}" 10; done
  wrk_run "$1" "" 0 "$2" paths 1 "$CONNS" "$5" "file=$4" "seed=$6"
  [[ $(field "$RESULT" non200) == 0 && $(field "$RESULT" errors_read) == 0 &&
     $(field "$RESULT" errors_connect) == 0 ]] || die "$1 $3: bad answers: $RESULT"
}

declare -A RPS P50 P99 RATIO BODY
for q in $QUERIES; do
  log "$q: typical answer ${BYTES[$q]} bytes; warming up"
  run_query nginx "$NGINX_URL" "$q" "$TMP/$q.nginx.txt" 1 0
  for t in "${TARGETS[@]}"; do
    run_query "$t" "${T_URL[$t]}" "$q" "$TMP/$q.txt" 1 0
    BODY[$q.$t]=$(field "$RESULT" mean_body_bytes)
  done
done
for ((rep = 1; rep <= REPS; rep++)); do
  for q in $QUERIES; do
    run_query nginx "$NGINX_URL" "$q" "$TMP/$q.nginx.txt" "$DURATION" "$rep"
    n=$RESULT
    RPS[$q.nginx]+=" $(field "$n" rps)" P50[$q.nginx]+=" $(field "$n" p50_us)" P99[$q.nginx]+=" $(field "$n" p99_us)"
    line="$q rep $rep: nginx $(field "$n" rps) req/s p99 $(field "$n" p99_us) us"
    for t in "${TARGETS[@]}"; do
      run_query "$t" "${T_URL[$t]}" "$q" "$TMP/$q.txt" "$DURATION" "$rep"
      RPS[$q.$t]+=" $(field "$RESULT" rps)" P50[$q.$t]+=" $(field "$RESULT" p50_us)" P99[$q.$t]+=" $(field "$RESULT" p99_us)"
      RATIO[$q.$t]+=" $(awk -v a="$(field "$RESULT" rps)" -v b="$(field "$n" rps)" 'BEGIN {printf "%.4f", (b > 0 ? a / b : 0)}')"
      line="$line, $t $(field "$RESULT" rps) req/s p99 $(field "$RESULT" p99_us) us"
    done
    log "$line"
  done
done

aim() {  # aim QUERY P99_US: issue 5's aim for QUERY and whether P99_US meets it
  local limit
  case $1 in
    top40_all) limit=10000 ;;
    top40_50) limit=2000 ;;
    series_30d) limit=1000 ;;
    *) echo ""; return ;;
  esac
  awk -v p="$2" -v l="$limit" 'BEGIN {printf "p99 < %g ms: %s", l / 1000, (p < l ? "met" : "**not met**")}'
}

{
  echo "## Charts on W2: spinlog vs nginx static file ($STAMP)"
  echo
  echo "- commit $(bench_commit); $(nproc) cores ($(bench_cpu)); $(nginx -v 2>&1 | sed 's/.*: //')"
  echo "- load average before: $LOADAVG_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- $IMPORT_LINE"
  echo "- spinlog ($SPINLOG) serve $SERVER_ARGS; start ${start_ms} ms to listening; resident ${rss_mb} MB"
  [[ -z $COMPARE ]] || echo "- compare: $COMPARE serve $SERVER_ARGS on $COMPARE_DATA, measured right after spinlog in each repetition"
  echo "- wrk -t1 -c$CONNS -d${DURATION}s$([[ $PIN == 1 ]] && echo " on core 1; servers and nginx (one worker) on core 0"); 1 s warm-up each; medians of $REPS; ratio = median of per-run server/nginx req/s"
  echo "- nginx serves one typical answer of each query (the first path's, same bytes); p99 per run: server (nginx)"
  echo
  echo "| query | server | body bytes | req/s | ratio | p50 ms | p99 ms | nginx req/s | nginx p50 ms | nginx p99 ms | p99 per run ms | issue 5 |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  for q in $QUERIES; do
    for t in "${TARGETS[@]}"; do
      # shellcheck disable=SC2086 # the lists are words on purpose
      p99=$(median ${P99[$q.$t]})
      runs=$(paste -d' ' <(tr ' ' '\n' <<<"${P99[$q.$t]# }") <(tr ' ' '\n' <<<"${P99[$q.nginx]# }") |
        awk '{printf "%s%.2f (%.2f)", (NR > 1 ? ", " : ""), $1 / 1000, $2 / 1000}')
      # shellcheck disable=SC2086
      printf '| %s | %s | %s | %.0f | %.3f | %s | %s | %.0f | %s | %s | %s | %s |\n' \
        "$q" "$t" "${BODY[$q.$t]}" "$(median ${RPS[$q.$t]})" "$(median ${RATIO[$q.$t]})" \
        "$(ms "$(median ${P50[$q.$t]})")" "$(ms "$p99")" "$(median ${RPS[$q.nginx]})" \
        "$(ms "$(median ${P50[$q.nginx]})")" "$(ms "$(median ${P99[$q.nginx]})")" "$runs" "$(aim "$q" "$p99")"
    done
  done
} | tee "$ROOT/bench/out/charts-$STAMP.md"
