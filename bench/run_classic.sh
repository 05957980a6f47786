#!/usr/bin/env bash
# Classic-API benchmark: spinlog against nginx serving a static file of the
# same size, in the same run, same wrk settings (docs/benchmarks.md).
#
# Without --url: generates W1, starts spinlog on a temporary data directory and
# a free port on 127.0.0.1 (pinned to core 0), loads W1 with load_plays, then
# measures. With --url: measures a server already running on 127.0.0.1 that
# holds W1 (not pinned by this script).
#
# For each endpoint: one curl of a typical request gives the answer nginx will
# serve (same bytes, so same size); then REPS repetitions of
# "wrk against nginx, wrk against spinlog" (wrk -t1 on core 1, nginx with one
# worker on core 0); medians of req/s, p50, p99; ratio = median over the
# repetitions of spinlog req/s / nginx req/s. A markdown table goes to stdout
# and to bench/out/, raw wrk lines next to it.
#
# add_play is measured twice in each repetition, against the same nginx run:
# on the server above (durable, the default) and on a second server started
# with --durability relaxed on its own data directory, loaded with W1 the
# same way (--no-relaxed skips it; with --url, --relaxed-url names it).
#
# Everything it starts is stopped on exit (trap); every wait is bounded.
# Exit status: 0 when all went well, 1 when any answer was not 200 or a step
# failed, 2 on a bad command line.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOAD_DIR=$ROOT/bench/load

usage() {
  cat <<EOF
usage: bench/run_classic.sh [options]
  --url URL          measure a running server (http://127.0.0.1:PORT) that holds W1
  --relaxed-url URL  with --url: a running server started with --durability relaxed
                     that holds W1, for the relaxed add_play row
  --no-relaxed       no relaxed add_play row (no second server)
  --quick            smoke test: 20,000 plays, 1 s runs, 1 repetition
  --reps N           repetitions (default 3; quick 1)
  --duration S       seconds per wrk run (default 10; quick 1)
  --connections N    wrk connections for the read endpoints (default 10)
  --write-connections N  wrk connections for add_play (default 50)
  --endpoints "..."  subset of: get_channel_plays get_song_plays get_top add_play
  --plays N          plays to generate and load (default 1000000; quick 20000)
  --seed N           W1 generator seed (default 1)
  --build-dir DIR    where w1_generator and load_plays were built (default build;
                     looks in DIR/bench)
  --spinlog PATH     server binary (default BUILD_DIR/src/main/spinlog)
  --server-args ".." extra words for "spinlog serve" (e.g. "--threads 1")
  --run-id N         add_play time block (default 0 own server, random with --url)
  --out-dir DIR      where the report goes (default bench/out)
  --fast-client      measured runs without wrk's Lua response() (faster client on
                     large answers; non-200 then counts only statuses >= 400)
  --no-pin           do not pin with taskset (automatic with fewer than 2 cores)
  --keep-temp        keep the temporary directory (data, logs)
EOF
}

URL="" RELAXED_URL="" RELAXED=1 QUICK=0 REPS="" DURATION="" READ_CONNS=10 WRITE_CONNS=50 PLAYS="" SEED=1
BUILD_DIR=$ROOT/build SPINLOG="" SERVER_ARGS="" RUN_ID="" OUT_DIR=$ROOT/bench/out PIN=1 KEEP=0 FAST=0
ENDPOINTS="get_channel_plays get_song_plays get_top add_play"
LOAD_CONNS=16 LOAD_MAX_SECONDS=1800

while [[ $# -gt 0 ]]; do
  case $1 in
    --url) URL=$2; shift ;;
    --relaxed-url) RELAXED_URL=$2; shift ;;
    --no-relaxed) RELAXED=0 ;;
    --quick) QUICK=1 ;;
    --reps) REPS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --connections) READ_CONNS=$2; shift ;;
    --write-connections) WRITE_CONNS=$2; shift ;;
    --endpoints) ENDPOINTS=$2; shift ;;
    --plays) PLAYS=$2; shift ;;
    --seed) SEED=$2; shift ;;
    --build-dir) BUILD_DIR=$(cd "$2" && pwd); shift ;;
    --spinlog) SPINLOG=$2; shift ;;
    --server-args) SERVER_ARGS=$2; shift ;;
    --run-id) RUN_ID=$2; shift ;;
    --out-dir) OUT_DIR=$2; shift ;;
    --fast-client) FAST=1 ;;
    --no-pin) PIN=0 ;;
    --keep-temp) KEEP=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run_classic: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if [[ $QUICK == 1 ]]; then
  : "${REPS:=1}" "${DURATION:=1}" "${PLAYS:=20000}"
  LOAD_MAX_SECONDS=300
fi
: "${REPS:=3}" "${DURATION:=10}" "${PLAYS:=1000000}" "${SPINLOG:=$BUILD_DIR/src/main/spinlog}"
for n in REPS DURATION READ_CONNS WRITE_CONNS PLAYS SEED; do
  [[ ${!n} =~ ^[0-9]+$ && ${!n} -gt 0 ]] || { echo "run_classic: bad $n: ${!n}" >&2; exit 2; }
done
[[ $REPS -le 15 && $DURATION -le 600 ]] || { echo "run_classic: at most 15 reps of 600 s" >&2; exit 2; }
for e in $ENDPOINTS; do
  [[ -f $LOAD_DIR/$e.lua ]] || { echo "run_classic: unknown endpoint $e" >&2; exit 2; }
done

BENCH_NAME=run_classic
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_require wrk nginx curl taskset timeout
bench_pinning "$PIN"
bench_temp

BENCH_BIN=$BUILD_DIR/bench
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOADAVG_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
MODE=""
LOAD_LINES=()
[[ $ENDPOINTS == *add_play* ]] || RELAXED=0
[[ -z $RELAXED_URL || -n $URL ]] || die "--relaxed-url goes with --url"
[[ -n $RELAXED_URL || -z $URL ]] || RELAXED=0

# The servers under test: "durable" (as started, the default durability), and
# "relaxed" for the second add_play row. Their URL and process id (empty
# when started elsewhere) by name.
declare -A SERVER_URL=() SERVER_PID=()

# load_w1 NAME: loads W1 into server NAME through POST /add_play.
load_w1() {
  local name=$1 rc=0 line
  log "loading W1 into $name with load_plays ($LOAD_CONNS connections, at most $LOAD_MAX_SECONDS s)"
  run_child "$TMP/load-$name.log" "${CLIENT_CPU[@]}" "$BENCH_BIN/load_plays" --host 127.0.0.1 \
    --port "${SERVER_URL[$name]##*:}" --connections "$LOAD_CONNS" --file "$TMP/w1.ndjson" \
    --max-seconds "$LOAD_MAX_SECONDS" || rc=$?
  cat "$TMP/load-$name.log" >&2
  line=$(grep '^RESULT' "$TMP/load-$name.log" || true)
  [[ $rc == 0 && -n $line ]] || die "loading W1 into $name failed (load_plays exit $rc)"
  [[ $(field "$line" unsent) == 0 && $(field "$line" non200) == 0 ]] ||
    die "W1 not fully loaded into $name: $line"
  LOAD_LINES+=("$name: $(field "$line" plays_per_s) plays/s over $LOAD_CONNS connections ($(field "$line" sent) plays in $(field "$line" seconds) s)")
}

if [[ -n $URL ]]; then
  for u in "$URL" ${RELAXED_URL:+"$RELAXED_URL"}; do
    [[ $u =~ ^http://(127\.0\.0\.1|localhost):[0-9]+/?$ ]] || die "--url and --relaxed-url must be http://127.0.0.1:PORT"
    wait_http "${u%/}/" "" 5 || die "nothing answers at $u"
  done
  : "${RUN_ID:=$((100 + RANDOM % 3700))}"
  SERVER_URL[durable]=${URL%/} SERVER_PID[durable]=""
  MODE="server at $URL (started elsewhere, not pinned by this script)"
  if [[ $RELAXED == 1 ]]; then
    SERVER_URL[relaxed]=${RELAXED_URL%/} SERVER_PID[relaxed]=""
    MODE="$MODE; relaxed add_play: server at $RELAXED_URL"
  fi
else
  for b in "$BENCH_BIN/w1_generator" "$BENCH_BIN/load_plays" "$SPINLOG"; do
    [[ -x $b ]] || die "$b not found: build first (cmake --build $BUILD_DIR), or give --build-dir / --spinlog"
  done
  : "${RUN_ID:=0}"
  # The wrk scripts carry the W1 names too: they must match the generator's.
  while IFS=$'\t' read -r performer title; do
    for name in "$performer" "$title"; do
      [[ $name =~ ^(Performer|Song)[0-9]+$ ]] || grep -qF "\"$name\"" "$LOAD_DIR/common.lua" ||
        die "W1 name '$name' from w1_generator is missing in bench/load/common.lua"
    done
  done < <("$BENCH_BIN/w1_generator" --list-songs)

  log "generating W1: $PLAYS plays, seed $SEED"
  "$BENCH_BIN/w1_generator" --seed "$SEED" --plays "$PLAYS" --out "$TMP/w1.ndjson"
  read -ra extra <<<"$SERVER_ARGS"
  names=(durable)
  [[ $RELAXED == 0 ]] || names+=(relaxed)
  for name in "${names[@]}"; do
    args=("${extra[@]}")
    [[ $name != relaxed ]] || args+=(--durability relaxed)
    start_spinlog "spinlog-$name" "$SPINLOG" "$TMP/data-$name" "${args[@]}"
    SERVER_URL[$name]=$STARTED_URL SERVER_PID[$name]=$STARTED_PID
    load_w1 "$name"
  done
  for name in "${names[@]}"; do
    [[ $QUICK == 1 ]] || wait_idle "${SERVER_PID[$name]}" 120
  done
  URL=${SERVER_URL[durable]}
  MODE="spinlog serve ${SERVER_ARGS:+$SERVER_ARGS }started here (core 0), W1 with $PLAYS plays (seed $SEED) loaded by load_plays"
  [[ $RELAXED == 0 ]] ||
    MODE="$MODE; for the relaxed add_play row a second server, the same plus --durability relaxed, on its own data directory loaded the same way (idle while the other is measured)"
fi

# --- nginx, one worker on core 0, serving one file per endpoint. ---
start_nginx

# --- One typical answer per endpoint: its bytes become nginx's file. ---
typical() {  # typical ENDPOINT: prints curl arguments, one per line
  local week="start=2016-06-01T00%3A00%3A00&end=2016-06-08T00%3A00%3A00"
  case $1 in
    get_channel_plays) echo "$URL/get_channel_plays?channel=Channel1&$week" ;;
    # Song8 has about the mean popularity (1/30 of the plays under Zipf s=1).
    get_song_plays) echo "$URL/get_song_plays?title=Song8&performer=Performer8&$week" ;;
    get_top)
      echo "$URL/get_top?channels=%5B%22Channel1%22%2C%22Channel2%22%2C%22Channel3%22%2C%22Channel4%22%2C%22Channel5%22%2C%22Channel6%22%2C%22Channel7%22%2C%22Channel8%22%2C%22Channel9%22%2C%22Channel10%22%5D&start=2016-06-01T00%3A00%3A00&limit=10" ;;
    add_play)
      echo "--data-raw"
      echo "title=Song1&performer=Performer1&channel=Channel1&start=2029-06-01T12%3A00%3A00&end=2029-06-01T12%3A00%3A50"
      echo "$URL/add_play" ;;
  esac
}

RAW=$TMP/raw.log
: >"$RAW"
FAILED=0
ROWS=()

# classic_run NAME URL SCRIPT CONNS DURATION RUN SEED FAST: sets RESULT. Each
# run starts with idle servers on core 0 (those whose process we know).
classic_run() {
  local t
  for t in "${!SERVER_PID[@]}"; do
    [[ -z ${SERVER_PID[$t]} ]] || wait_idle "${SERVER_PID[$t]}" 10
  done
  wrk_run "$1" "" 0 "$2" "$3" 1 "$4" "$5" "seed=$7" "run=$6" "fast=$8"
}
bad_count() {  # bad_count RESULT: non-200 answers and socket errors
  echo $(($(field "$1" non200) + $(field "$1" errors_connect) + $(field "$1" errors_read) +
    $(field "$1" errors_write) + $(field "$1" errors_timeout)))
}

run_id=$RUN_ID
for e in $ENDPOINTS; do
  mapfile -t args < <(typical "$e")
  code=$(curl -s --max-time 30 -o "$NGINX_WWW/$e" -w '%{http_code}' "${args[@]}") || code=000
  chmod 644 "$NGINX_WWW/$e"
  [[ $code == 200 ]] || { head -c 500 "$NGINX_WWW/$e" >&2; die "typical $e answered $code"; }
  bytes=$(stat -c %s "$NGINX_WWW/$e")
  [[ $(head -c 300 "$NGINX_WWW/$e") != *'"result":[]'* ]] ||
    log "WARNING: typical $e has an empty result: is W1 loaded?"
  conns=$READ_CONNS
  targets=(durable)
  if [[ $e == add_play ]]; then
    conns=$WRITE_CONNS
    [[ $RELAXED == 0 ]] || targets+=(relaxed)
  fi
  log "$e: typical answer $bytes bytes; warming up"
  # Warm-ups count non-200 answers exactly and measure spinlog's mean body size.
  classic_run nginx "$NGINX_URL" "$e" "$conns" 1 "$run_id" 0 0
  n_rps=() n_p50=() n_p99=()
  declare -A s_body=() s_bad=() s_rps=() s_p50=() s_p99=() ratio=()
  for t in "${targets[@]}"; do
    classic_run "spinlog-$t" "${SERVER_URL[$t]}" "$e" "$conns" 1 "$run_id" 0 0
    s_body[$t]=$(field "$RESULT" mean_body_bytes)
    s_bad[$t]=$(($(field "$RESULT" non200) + $(field "$RESULT" errors_connect) + $(field "$RESULT" errors_read)))
    s_rps[$t]="" s_p50[$t]="" s_p99[$t]="" ratio[$t]=""
  done
  for ((r = 1; r <= REPS; r++)); do
    run_id=$((run_id + 1))
    classic_run nginx "$NGINX_URL" "$e" "$conns" "$DURATION" "$run_id" "$r" "$FAST"
    n=$RESULT
    n_rps+=("$(field "$n" rps)") n_p50+=("$(field "$n" p50_us)") n_p99+=("$(field "$n" p99_us)")
    nbad=$(($(field "$n" non200) + $(field "$n" errors_connect) + $(field "$n" errors_read)))
    [[ $nbad == 0 ]] || { log "nginx $e: $nbad bad answers: $n"; FAILED=1; }
    line="$e rep $r: nginx $(field "$n" rps) req/s"
    for t in "${targets[@]}"; do
      classic_run "spinlog-$t" "${SERVER_URL[$t]}" "$e" "$conns" "$DURATION" \
        "$run_id" "$r" "$FAST"
      s=$RESULT
      rt=$(awk -v a="$(field "$s" rps)" -v b="$(field "$n" rps)" 'BEGIN {printf "%.4f", (b > 0 ? a / b : 0)}')
      s_rps[$t]+=" $(field "$s" rps)" s_p50[$t]+=" $(field "$s" p50_us)"
      s_p99[$t]+=" $(field "$s" p99_us)" ratio[$t]+=" $rt"
      s_bad[$t]=$((s_bad[$t] + $(bad_count "$s")))
      line="$line, spinlog $t $(field "$s" rps) req/s ($rt)"
    done
    log "$line"
  done
  for t in "${targets[@]}"; do
    label=$e
    [[ ${#targets[@]} == 1 ]] || label="$e ($t)"
    [[ ${s_bad[$t]} == 0 ]] || { log "spinlog $t $e: ${s_bad[$t]} non-200 answers or socket errors"; FAILED=1; }
    # shellcheck disable=SC2086 # the per-run figures are space-separated words
    ROWS+=("$(printf '| %s | %s / %s | %s | %.0f | %.0f | %.3f | %s | %s | %s | %s | %s |' \
      "$label" "$bytes" "${s_body[$t]}" "$conns" \
      "$(median "${n_rps[@]}")" "$(median ${s_rps[$t]})" "$(median ${ratio[$t]})" \
      "$(ms "$(median "${n_p50[@]}")")" "$(ms "$(median "${n_p99[@]}")")" \
      "$(ms "$(median ${s_p50[$t]})")" "$(ms "$(median ${s_p99[$t]})")" "${s_bad[$t]}")")
  done
  unset s_body s_bad s_rps s_p50 s_p99 ratio
done

# --- Report. ---
report=$TMP/report.md
{
  echo "## Classic API: spinlog vs nginx static file ($STARTED)"
  echo
  echo "- commit $(bench_commit); $(nproc) cores ($(bench_cpu)); $(nginx -v 2>&1 | sed 's/.*: //'); wrk 4.1"
  echo "- $MODE"
  echo "- load average before: $LOADAVG_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews absolute figures; ratios less)"
  for l in "${LOAD_LINES[@]}"; do echo "- W1 load, $l"; done
  echo "- wrk -t1 -d${DURATION}s$([[ $PIN == 1 ]] && echo " on core 1; servers on core 0" || echo ", not pinned"); medians of $REPS run(s); ratio = median of per-run spinlog/nginx"
  [[ $RELAXED == 0 ]] || echo "- add_play (durable) and add_play (relaxed): the same nginx run is the reference of both; each add_play answer is a new play"
  echo "- non-200: counted exactly in the 1 s warm-up and$([[ $FAST == 1 ]] && echo " (fast client) only statuses >= 400" || echo " exactly") in the measured runs, plus socket errors; spinlog body bytes: mean over the warm-up"
  echo
  echo "| endpoint | body bytes (nginx / spinlog mean) | conns | nginx req/s | spinlog req/s | spinlog/nginx | nginx p50 ms | nginx p99 ms | spinlog p50 ms | spinlog p99 ms | spinlog non-200 |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} >"$report"
mkdir -p "$OUT_DIR"
name=classic-$(date -u +%Y%m%dT%H%M%SZ)
[[ $QUICK == 0 ]] || name=$name-quick
cp "$report" "$OUT_DIR/$name.md"
cp "$RAW" "$OUT_DIR/$name.wrk.log"
cat "$report"
log "report: $OUT_DIR/$name.md (raw wrk output: $name.wrk.log)"
[[ $FAILED == 0 ]] || die "some answers were not 200 (see above)"
