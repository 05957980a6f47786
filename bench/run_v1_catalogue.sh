#!/usr/bin/env bash
# Catalogue list benchmark (issue 6; docs/benchmarks.md, "Catalogue lists on
# W3"): pages of 100 records of W3's 1,000,000 songs and 100,000 performers,
# four kinds of page, each against nginx serving one such answer as a static
# file of the same size, with wrk (bench/load/paths.lua, 10 connections):
#   songs_by_id      GET /api/v1/songs?limit=100&cursor=C, cursors spread over the catalogue
#   songs_by_title   GET /api/v1/songs?sort=name&name_prefix=P&limit=100 (title index)
#   performers       GET /api/v1/performers?sort=name&name_prefix=P&limit=100
#   performer_songs  GET /api/v1/songs?performer_id=N&sort=name&limit=100
#
# Without --data it generates W3 (bench/w3_generator) and imports it first.
# Reports medians over the repetitions of req/s, p50 and p99 per kind, and
# the ratio to nginx (median of per-run ratios); a markdown table goes to
# stdout and bench/out/, raw wrk output next to it.
#
# Everything it starts is stopped on exit (trap); every wait is bounded.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOAD_DIR=$ROOT/bench/load

usage() {
  cat <<EOF2
usage: bench/run_v1_catalogue.sh [options]
  --data DIR         a W3 data directory imported before (else W3 is generated and imported)
  --reps N           repetitions (default 3)
  --duration S       seconds per wrk run (default 8)
  --connections N    wrk connections (default 10)
  --build-dir DIR    where spinlog and w3_generator are (default build)
  --server-args ".." extra words for "spinlog serve" (default "--threads 1")
  --keep-temp        keep the temporary directory
EOF2
}

BENCH_NAME=run_v1_catalogue KEEP=0 PIN=1 DATA="" REPS=3 DURATION=8 CONNS=10
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
    *) echo "run_v1_catalogue: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for n in REPS DURATION CONNS; do
  [[ ${!n} =~ ^[0-9]+$ && ${!n} -gt 0 ]] || { echo "run_v1_catalogue: bad $n: ${!n}" >&2; exit 2; }
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
RAW=$ROOT/bench/out/v1-catalogue-$STAMP.wrk.log
: >"$RAW"

if [[ -z $DATA ]]; then
  DATA=$TMP/w3-data
  log "generating and importing W3"
  "$BUILD_DIR/bench/w3_generator" --out "$TMP/w3.ndjson"
  "$SPINLOG" import --data "$DATA" "$TMP/w3.ndjson" >"$TMP/import.log" 2>&1 ||
    { tail -5 "$TMP/import.log" >&2; die "import failed"; }
fi

# shellcheck disable=SC2086 # the server arguments are words on purpose
start_spinlog spinlog "$SPINLOG" "$DATA" $SERVER_ARGS
SERVER_PID=$STARTED_PID URL=$STARTED_URL
start_nginx

# The path lists. Cursors of the id-ordered song list: every 10th page of
# 1,000 walked once (about 1,000 requests), so pages come from everywhere.
next_of() { grep -o '"next":"[^"]*"' | sed 's/"next":"\(.*\)"/\1/'; }
: >"$TMP/songs_by_id.txt"
cursor=""
for ((page = 0; page < 1100; page++)); do
  next=$(curl -s --max-time 30 "$URL/api/v1/songs?limit=1000${cursor:+&cursor=$cursor}" | next_of) || next=""
  [[ -n $next ]] || break
  ((page % 10 == 0)) && echo "/api/v1/songs?limit=100&cursor=$next" >>"$TMP/songs_by_id.txt"
  cursor=$next
done
[[ -s $TMP/songs_by_id.txt ]] || die "no song pages: is W3 in $DATA?"
: >"$TMP/songs_by_title.txt"
: >"$TMP/performers.txt"
for p in Th Go Do Si Lo Mi Fi Sa Wi Bl Ne Cr Lu Ra Wa Ho Ec Ta Ha Sc; do
  echo "/api/v1/songs?sort=name&name_prefix=$p&limit=100" >>"$TMP/songs_by_title.txt"
done
for p in Th Ma Jo El Ni Ca Da Ol Ra Sa Hu Li An Fe Le Is Vi Gr Pa Ve; do
  echo "/api/v1/performers?sort=name&name_prefix=$p&limit=100" >>"$TMP/performers.txt"
done
: >"$TMP/performer_songs.txt"
for ((i = 0; i < 200; i++)); do
  echo "/api/v1/songs?performer_id=$((1 + (i * 7919) % 20000))&sort=name&limit=100" >>"$TMP/performer_songs.txt"
done

KINDS="songs_by_id songs_by_title performers performer_songs"
declare -A RPS=() P50=() P99=() RATIOS=() BYTES=()
for kind in $KINDS; do
  typical=$(head -1 "$TMP/$kind.txt")
  code=$(curl -s --max-time 30 -o "$NGINX_WWW/$kind.json" -w '%{http_code}' "$URL$typical") || code=000
  chmod 644 "$NGINX_WWW/$kind.json"
  [[ $code == 200 ]] || { head -c 300 "$NGINX_WWW/$kind.json" >&2; die "$typical answered $code"; }
  echo "/$kind.json" >"$TMP/nginx-$kind.txt"
  BYTES[$kind]=$(stat -c %s "$NGINX_WWW/$kind.json")
  log "$kind: typical page ${BYTES[$kind]} bytes"
done

for ((rep = 1; rep <= REPS; rep++)); do
  for kind in $KINDS; do
    wrk_run nginx "" 0 "$NGINX_URL" paths 1 "$CONNS" "$DURATION" "file=$TMP/nginx-$kind.txt" "seed=$rep"
    n=$RESULT
    wrk_run "spinlog $kind" "$SERVER_PID" 5 "$URL" paths 1 "$CONNS" "$DURATION" "file=$TMP/$kind.txt" "seed=$rep"
    s=$RESULT
    [[ $(field "$s" non200) == 0 && $(field "$n" non200) == 0 ]] || die "non-200 answers: $s / $n"
    RPS[$kind]+=" $(field "$s" rps)" P50[$kind]+=" $(field "$s" p50_us)" P99[$kind]+=" $(field "$s" p99_us)"
    RPS[nginx-$kind]+=" $(field "$n" rps)"
    ratio=$(awk -v a="$(field "$s" rps)" -v b="$(field "$n" rps)" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}')
    RATIOS[$kind]+=" $ratio"
    log "rep $rep $kind: nginx $(field "$n" rps) req/s, spinlog $(field "$s" rps) req/s ($ratio), p99 $(field "$s" p99_us) us"
  done
done

{
  echo "## Catalogue list pages on W3 ($STAMP)"
  echo
  echo "- commit $(bench_commit); $(nproc) cores ($(bench_cpu)); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- spinlog serve $SERVER_ARGS; nginx one worker serving one page of each kind; both on core 0, wrk -t1 -c$CONNS -d${DURATION}s on core 1; medians of $REPS"
  echo
  echo "| page (100 records) | bytes | spinlog req/s | p50 ms | p99 ms | nginx req/s | spinlog/nginx |"
  echo "|---|---|---|---|---|---|---|"
  for kind in $KINDS; do
    # shellcheck disable=SC2086 # the lists are words on purpose
    echo "| $kind | ${BYTES[$kind]} | $(median ${RPS[$kind]}) | $(ms "$(median ${P50[$kind]})") | $(ms "$(median ${P99[$kind]})") | $(median ${RPS[nginx-$kind]}) | $(median ${RATIOS[$kind]}) |"
  done
} | tee "$ROOT/bench/out/v1-catalogue-$STAMP.md"
