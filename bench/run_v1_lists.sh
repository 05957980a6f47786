#!/usr/bin/env bash
# Play-list page benchmark (issue 6; docs/benchmarks.md, "Play lists"): on W1,
# GET /api/v1/channels/{id}/plays?from=<week>&to=<week + 7 days>&limit=100 for
# the 10 channels and 40 weeks spread over W1's two years (newest first, the
# default), against nginx serving one such answer as a static file of the
# same size, side by side, with wrk (bench/load/paths.lua, 10 connections).
#
# Without --data it generates W1 and imports it (spinlog import) first.
# Reports medians over the repetitions of req/s, p50 and p99 for both and the
# ratio spinlog/nginx (median of per-run ratios); a markdown table goes to
# stdout and bench/out/, raw wrk output next to it.
#
# Everything it starts is stopped on exit (trap); every wait is bounded.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOAD_DIR=$ROOT/bench/load

usage() {
  cat <<EOF2
usage: bench/run_v1_lists.sh [options]
  --data DIR         a W1 data directory imported before (else W1 is generated and imported)
  --reps N           repetitions (default 3)
  --duration S       seconds per wrk run (default 10)
  --connections N    wrk connections (default 10)
  --build-dir DIR    where spinlog and w1_generator are (default build)
  --server-args ".." extra words for "spinlog serve" (default "--threads 1": the
                     server is pinned to one core, like nginx's one worker)
  --keep-temp        keep the temporary directory
EOF2
}

BENCH_NAME=run_v1_lists KEEP=0 PIN=1 DATA="" REPS=3 DURATION=10 CONNS=10
SERVER_ARGS="--threads 1"
BUILD_DIR=$ROOT/build
while [[ $# -gt 0 ]]; do
  case $1 in
    --data) DATA=$2; shift ;;
    --reps) REPS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --connections) CONNS=$2; shift ;;
    --build-dir) BUILD_DIR=$(cd "$2" && pwd); shift ;;
    --server-args) SERVER_ARGS=$2; shift ;;
    --keep-temp) KEEP=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run_v1_lists: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for n in REPS DURATION CONNS; do
  [[ ${!n} =~ ^[0-9]+$ && ${!n} -gt 0 ]] || { echo "run_v1_lists: bad $n: ${!n}" >&2; exit 2; }
done

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_require wrk curl nginx
bench_pinning "$PIN"
bench_temp
SPINLOG=$BUILD_DIR/src/main/spinlog
[[ -x $SPINLOG ]] || die "no $SPINLOG: build first (make build)"
mkdir -p "$ROOT/bench/out"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RAW=$ROOT/bench/out/v1-lists-$STAMP.wrk.log
: >"$RAW"

if [[ -z $DATA ]]; then
  DATA=$TMP/w1-data
  log "generating and importing W1"
  "$BUILD_DIR/bench/w1_generator" --out "$TMP/w1.ndjson"
  "$SPINLOG" import --data "$DATA" "$TMP/w1.ndjson" >"$TMP/import.log" 2>&1 ||
    { tail -5 "$TMP/import.log" >&2; die "import failed"; }
fi

# shellcheck disable=SC2086 # the server arguments are words on purpose
start_spinlog spinlog "$SPINLOG" "$DATA" $SERVER_ARGS
SERVER_PID=$STARTED_PID URL=$STARTED_URL
start_nginx

# W1 spans 2015-01-01 .. 2016-12-31: 40 weeks, every 18 days from 2015-01-05.
: >"$TMP/lists.txt"
for ((w = 0; w < 40; w++)); do
  from=$(date -u -d "2015-01-05 +$((w * 18)) days" +%Y-%m-%d)
  to=$(date -u -d "$from +7 days" +%Y-%m-%d)
  for c in $(seq 1 10); do
    echo "/api/v1/channels/$c/plays?from=$from&to=$to&limit=100" >>"$TMP/lists.txt"
  done
done
typical=$(head -1 "$TMP/lists.txt")
code=$(curl -s --max-time 30 -o "$NGINX_WWW/page.json" -w '%{http_code}' "$URL$typical") || code=000
chmod 644 "$NGINX_WWW/page.json"
[[ $code == 200 ]] || { head -c 300 "$NGINX_WWW/page.json" >&2; die "$typical answered $code"; }
grep -q '"start"' "$NGINX_WWW/page.json" || die "$typical has no plays: is W1 in $DATA?"
bytes=$(stat -c %s "$NGINX_WWW/page.json")
echo "/page.json" >"$TMP/nginx.txt"
log "typical page: $bytes bytes"

declare -A RPS=() P50=() P99=()
RATIOS=""
for ((rep = 1; rep <= REPS; rep++)); do
  wrk_run nginx "" 0 "$NGINX_URL" paths 1 "$CONNS" "$DURATION" "file=$TMP/nginx.txt" "seed=$rep"
  n=$RESULT
  wrk_run spinlog "$SERVER_PID" 5 "$URL" paths 1 "$CONNS" "$DURATION" "file=$TMP/lists.txt" "seed=$rep"
  s=$RESULT
  [[ $(field "$s" non200) == 0 && $(field "$n" non200) == 0 ]] || die "non-200 answers: $s / $n"
  for t in nginx spinlog; do
    r=$([[ $t == nginx ]] && echo "$n" || echo "$s")
    RPS[$t]+=" $(field "$r" rps)" P50[$t]+=" $(field "$r" p50_us)" P99[$t]+=" $(field "$r" p99_us)"
  done
  ratio=$(awk -v a="$(field "$s" rps)" -v b="$(field "$n" rps)" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}')
  RATIOS+=" $ratio"
  log "rep $rep: nginx $(field "$n" rps) req/s, spinlog $(field "$s" rps) req/s ($ratio), spinlog p99 $(field "$s" p99_us) us"
done

{
  echo "## Play-list pages on W1 ($STAMP)"
  echo
  echo "- commit $(bench_commit); $(nproc) cores ($(bench_cpu)); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- spinlog serve $SERVER_ARGS; nginx one worker serving a $bytes-byte page; both on core 0, wrk -t1 -c$CONNS -d${DURATION}s on core 1; medians of $REPS"
  echo
  echo "| server | req/s | p50 ms | p99 ms |"
  echo "|---|---|---|---|"
  for t in nginx spinlog; do
    # shellcheck disable=SC2086 # the lists are words on purpose
    echo "| $t | $(median ${RPS[$t]}) | $(ms "$(median ${P50[$t]})") | $(ms "$(median ${P99[$t]})") |"
  done
  echo
  # shellcheck disable=SC2086
  echo "spinlog/nginx: $(median $RATIOS)"
} | tee "$ROOT/bench/out/v1-lists-$STAMP.md"
