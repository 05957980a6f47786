#!/usr/bin/env bash
# Bulk ingest benchmark: POST /api/v1/plays with batches of new plays (1,000
# by default) from 4 concurrent clients, on a server with --durability durable
# and on one with --durability relaxed, side by side (docs/benchmarks.md).
#
# Without --url: generates W1 and imports it (spinlog import) into one data
# directory per durability, starts one server per durability on it (pinned to
# core 0; only one is measured at a time), then for each repetition runs the
# same wrk command (bench/load/v1_plays.lua, wrk on core 1) against each
# server in turn. Every batch holds plays that were never sent before
# (distinct channel and start per play, a new time block per run), so every
# answered play is a create; the script checks that from each answer's counts.
# With --url: measures one server already running on 127.0.0.1.
#
# Reports medians over the repetitions of plays/s, batches/s and latency per
# batch (p50, p90, p99, max), the server's CPU use during the run, the
# committer's share of the run spent in store writes and its plays per write
# (from the server's /metrics: spinlog_ingest_commit_*), and created/sent. A markdown table goes to stdout and to bench/out/, raw wrk
# output next to it.
#
# Everything it starts is stopped on exit (trap); every wait is bounded.
# Exit status: 0 when all went well, 1 when a play was not created, an answer
# was not 200 or a step failed, 2 on a bad command line.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOAD_DIR=$ROOT/bench/load

usage() {
  cat <<EOF
usage: bench/run_ingest.sh [options]
  --quick            smoke test: 20,000 W1 plays, 1 s runs, 1 repetition
  --reps N           repetitions (default 3; quick 1)
  --duration S       seconds per wrk run, at most 120 (default 10; quick 1)
  --connections N    concurrent clients, one batch in flight each (default 4)
  --client-threads N wrk threads sharing the connections (default 1)
  --batch N          plays per request, 1 to 10000 (default 1000)
  --format F         array (a JSON array, default) or ndjson
  --answers A        minimal (default: each request says Prefer: return=minimal,
                     as a bulk loader would) or full (every play echoed back)
  --modes "..."      durabilities to measure, in this order (default "durable relaxed")
  --w1-plays N       W1 plays imported into each data directory before the
                     server starts (default 1000000; quick 20000; 0: empty store)
  --seed N           W1 generator seed (default 1)
  --build-dir DIR    where w1_generator was built (default build; looks in DIR/bench)
  --spinlog PATH     server binary (default BUILD_DIR/src/main/spinlog)
  --server-args ".." extra words for "spinlog serve" (e.g. "--threads 1")
  --url URL          measure one running server (http://127.0.0.1:PORT) instead;
                     --modes then only labels its row
  --run-id N         first time block (default 0 own servers, random with --url)
  --out-dir DIR      where the report goes (default bench/out)
  --no-pin           do not pin with taskset (automatic with fewer than 2 cores)
  --keep-temp        keep the temporary directory (data, logs)
EOF
}

QUICK=0 REPS="" DURATION="" CONNS=4 CLIENT_THREADS=1 BATCH=1000 FORMAT=array ANSWERS=minimal
MODES="durable relaxed" W1_PLAYS="" SEED=1 BUILD_DIR=$ROOT/build SPINLOG="" SERVER_ARGS=""
URL="" RUN_ID="" OUT_DIR=$ROOT/bench/out PIN=1 KEEP=0

while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) QUICK=1 ;;
    --reps) REPS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --connections) CONNS=$2; shift ;;
    --client-threads) CLIENT_THREADS=$2; shift ;;
    --batch) BATCH=$2; shift ;;
    --format) FORMAT=$2; shift ;;
    --answers) ANSWERS=$2; shift ;;
    --modes) MODES=$2; shift ;;
    --w1-plays) W1_PLAYS=$2; shift ;;
    --seed) SEED=$2; shift ;;
    --build-dir) BUILD_DIR=$(cd "$2" && pwd); shift ;;
    --spinlog) SPINLOG=$2; shift ;;
    --server-args) SERVER_ARGS=$2; shift ;;
    --url) URL=$2; shift ;;
    --run-id) RUN_ID=$2; shift ;;
    --out-dir) OUT_DIR=$2; shift ;;
    --no-pin) PIN=0 ;;
    --keep-temp) KEEP=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run_ingest: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if [[ $QUICK == 1 ]]; then
  : "${REPS:=1}" "${DURATION:=1}" "${W1_PLAYS:=20000}"
fi
: "${REPS:=3}" "${DURATION:=10}" "${W1_PLAYS:=1000000}" "${SPINLOG:=$BUILD_DIR/src/main/spinlog}"
for n in REPS DURATION CONNS CLIENT_THREADS BATCH SEED; do
  [[ ${!n} =~ ^[0-9]+$ && ${!n} -gt 0 ]] || { echo "run_ingest: bad $n: ${!n}" >&2; exit 2; }
done
[[ $W1_PLAYS =~ ^[0-9]+$ ]] || { echo "run_ingest: bad --w1-plays: $W1_PLAYS" >&2; exit 2; }
# 120 s: bench/load/v1_plays.lua has room for 105 million new plays per run.
[[ $REPS -le 15 && $DURATION -le 120 ]] || { echo "run_ingest: at most 15 reps of 120 s" >&2; exit 2; }
[[ $BATCH -le 10000 ]] || { echo "run_ingest: --batch: at most 10000 plays per request" >&2; exit 2; }
[[ $CLIENT_THREADS -le $CONNS ]] || { echo "run_ingest: more client threads than connections" >&2; exit 2; }
[[ $FORMAT == array || $FORMAT == ndjson ]] || { echo "run_ingest: --format: array or ndjson" >&2; exit 2; }
[[ $ANSWERS == minimal || $ANSWERS == full ]] || { echo "run_ingest: --answers: minimal or full" >&2; exit 2; }
read -ra MODE_LIST <<<"$MODES"
[[ ${#MODE_LIST[@]} -gt 0 ]] || { echo "run_ingest: --modes is empty" >&2; exit 2; }
for m in "${MODE_LIST[@]}"; do
  [[ $m == durable || $m == relaxed ]] || { echo "run_ingest: --modes: durable or relaxed, not $m" >&2; exit 2; }
done
[[ -z $URL || ${#MODE_LIST[@]} == 1 ]] || { echo "run_ingest: --url measures one server: give one --modes" >&2; exit 2; }

BENCH_NAME=run_ingest
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_require wrk curl taskset timeout
bench_pinning "$PIN"
bench_temp

BENCH_BIN=$BUILD_DIR/bench
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOADAVG_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
TICKS=$(getconf CLK_TCK)
declare -A SERVER_URL=() SERVER_PID=()

if [[ -n $URL ]]; then
  [[ $URL =~ ^http://(127\.0\.0\.1|localhost):[0-9]+/?$ ]] || die "--url must be http://127.0.0.1:PORT"
  wait_http "${URL%/}/" "" 5 || die "nothing answers at $URL"
  : "${RUN_ID:=$((100 + RANDOM % 3600))}"
  SERVER_URL[${MODE_LIST[0]}]=${URL%/} SERVER_PID[${MODE_LIST[0]}]=""
  SETUP="server at $URL (started elsewhere, not pinned by this script; its durability as labelled)"
else
  [[ -x $SPINLOG ]] || die "$SPINLOG not found: build first (cmake --build $BUILD_DIR), or give --build-dir / --spinlog"
  : "${RUN_ID:=0}"
  if [[ $W1_PLAYS -gt 0 ]]; then
    [[ -x $BENCH_BIN/w1_generator ]] || die "$BENCH_BIN/w1_generator not found: build first, or give --build-dir"
    log "generating W1: $W1_PLAYS plays, seed $SEED"
    "$BENCH_BIN/w1_generator" --seed "$SEED" --plays "$W1_PLAYS" --out "$TMP/w1.ndjson"
  fi
  read -ra extra <<<"$SERVER_ARGS"
  for m in "${MODE_LIST[@]}"; do
    if [[ $W1_PLAYS -gt 0 ]]; then
      log "importing W1 into data-$m"
      run_child "$TMP/import-$m.log" timeout -k 5 600 "$SPINLOG" import --data "$TMP/data-$m" \
        "$TMP/w1.ndjson" || { cat "$TMP/import-$m.log" >&2; die "importing W1 into data-$m failed"; }
    fi
    start_spinlog "spinlog-$m" "$SPINLOG" "$TMP/data-$m" "${extra[@]}" --durability "$m"
    SERVER_URL[$m]=$STARTED_URL SERVER_PID[$m]=$STARTED_PID
  done
  where=" (not pinned; only one measured at a time)"
  [[ $PIN == 0 ]] || where=" (both on core 0, only one measured at a time)"
  SETUP="one spinlog serve ${SERVER_ARGS:+$SERVER_ARGS }per durability started here$where, each on its own data directory holding W1 ($W1_PLAYS plays, seed $SEED, loaded with spinlog import)"
  [[ $W1_PLAYS -gt 0 ]] || SETUP="one spinlog serve ${SERVER_ARGS:+$SERVER_ARGS }per durability started here$where, each on an empty data directory"
fi

RAW=$TMP/raw.log
: >"$RAW"
FAILED=0

# ingest_run MODE DURATION RUN: waits until every server we started is idle
# (compaction after the previous run), runs wrk against MODE's server, checks
# the answers; sets RESULT and CORES (the server's CPU use during the run,
# in cores; empty with --url).
CORES=""
# commit_figures URL: "seconds plays writes" of the committer's store writes
# so far, from the server's /metrics; empty when it has no such metrics (a
# build before them).
commit_figures() {
  curl -s --max-time 5 "$1/metrics" | awk '
    $1 == "spinlog_ingest_commit_seconds_sum" {s = $2}
    $1 == "spinlog_ingest_commit_plays_sum" {p = $2}
    $1 == "spinlog_ingest_commit_plays_count" {n = $2; seen = 1}
    END {if (seen) printf "%s %s %s\n", s, p, n}' || true
}
# Sets BUSY (the committer's store writes over the run's length) and
# PER_COMMIT (plays per store write), or "-" for each.
BUSY="" PER_COMMIT=""
ingest_run() {
  local m=$1 t before=0 after=0 pid=${SERVER_PID[$1]} commits_before commits_after
  # Idle for 2 s on end: a server settles what the previous run flushed once
  # writes have paused for 1 s (docs/architecture.md), and each run should
  # start from a settled store rather than pay for the runs before it.
  for t in "${!SERVER_PID[@]}"; do
    [[ -z ${SERVER_PID[$t]} ]] || wait_idle "${SERVER_PID[$t]}" 60 2000
  done
  commits_before=$(commit_figures "${SERVER_URL[$m]}")
  [[ -z $pid ]] || before=$(cpu_ticks "$pid")
  wrk_run "spinlog-$m" "" 0 "${SERVER_URL[$m]}" v1_plays "$CLIENT_THREADS" "$CONNS" "$2" \
    "run=$3" "seed=$3" "batch=$BATCH" "format=$FORMAT" "answers=$ANSWERS"
  CORES=""
  if [[ -n $pid ]]; then
    after=$(cpu_ticks "$pid")
    CORES=$(awk -v d=$((after - before)) -v hz="$TICKS" -v s="$(field "$RESULT" duration_s)" \
      'BEGIN {printf "%.2f", d / hz / s}')
  fi
  commits_after=$(commit_figures "${SERVER_URL[$m]}")
  BUSY="-" PER_COMMIT="-"
  if [[ -n $commits_before && -n $commits_after ]]; then
    read -r BUSY PER_COMMIT < <(awk -v a="$commits_before" -v b="$commits_after" \
      -v d="$(field "$RESULT" duration_s)" 'BEGIN {
        split(a, x, " "); split(b, y, " "); n = y[3] - x[3]
        printf "%.2f %.0f\n", (y[1] - x[1]) / d, (n > 0 ? (y[2] - x[2]) / n : 0) }')
  fi
  local bad sent created
  bad=$(($(field "$RESULT" non200) + $(field "$RESULT" errors_connect) + $(field "$RESULT" errors_read) +
    $(field "$RESULT" errors_write) + $(field "$RESULT" errors_timeout)))
  sent=$(field "$RESULT" plays) created=$(field "$RESULT" created)
  if [[ $bad != 0 || $created != "$sent" || $(field "$RESULT" not_created) != 0 ]]; then
    log "spinlog $m run $3: $bad bad answers or socket errors, $created of $sent plays created: $RESULT"
    FAILED=1
  fi
}

run_id=$RUN_ID
for m in "${MODE_LIST[@]}"; do
  log "$m: warming up (1 s)"
  ingest_run "$m" 1 "$run_id"
done
declare -A PPS=() BPS=() P50=() P90=() P99=() MAX=() CPU=() BUSIES=() PER_COMMITS=() SENT=() CREATED=() BAD=()
for m in "${MODE_LIST[@]}"; do
  PPS[$m]="" BPS[$m]="" P50[$m]="" P90[$m]="" P99[$m]="" MAX[$m]="" CPU[$m]="" BUSIES[$m]="" PER_COMMITS[$m]="" SENT[$m]=0 CREATED[$m]=0 BAD[$m]=0
done
for ((r = 1; r <= REPS; r++)); do
  run_id=$((run_id + 1))
  line="rep $r:"
  for m in "${MODE_LIST[@]}"; do
    ingest_run "$m" "$DURATION" "$run_id"
    PPS[$m]+=" $(field "$RESULT" plays_per_s)" BPS[$m]+=" $(field "$RESULT" rps)"
    P50[$m]+=" $(field "$RESULT" p50_us)" P90[$m]+=" $(field "$RESULT" p90_us)"
    P99[$m]+=" $(field "$RESULT" p99_us)" MAX[$m]+=" $(field "$RESULT" max_us)"
    CPU[$m]+=" ${CORES:-0}"
    [[ $BUSY == "-" ]] || { BUSIES[$m]+=" $BUSY"; PER_COMMITS[$m]+=" $PER_COMMIT"; }
    SENT[$m]=$((SENT[$m] + $(field "$RESULT" plays)))
    CREATED[$m]=$((CREATED[$m] + $(field "$RESULT" created)))
    BAD[$m]=$((BAD[$m] + $(field "$RESULT" non200) + $(field "$RESULT" errors_connect) +
      $(field "$RESULT" errors_read) + $(field "$RESULT" errors_write) + $(field "$RESULT" errors_timeout)))
    line="$line $m $(field "$RESULT" plays_per_s) plays/s (p99 $(ms "$(field "$RESULT" p99_us)") ms${CORES:+, server $CORES cores}, committer writing $BUSY of the run, $PER_COMMIT plays a write);"
  done
  log "$line"
done

# --- Report. ---
report=$TMP/report.md
{
  echo "## Bulk ingest: POST /api/v1/plays, batches of $BATCH plays ($STARTED)"
  echo
  echo "- commit $(bench_commit); $(nproc) cores ($(bench_cpu)); wrk 4.1"
  echo "- $SETUP"
  echo "- load average before: $LOADAVG_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- wrk -t$CLIENT_THREADS -c$CONNS -d${DURATION}s$([[ $PIN == 1 ]] && echo " on core 1; servers on core 0" || echo ", not pinned"), bench/load/v1_plays.lua ($([[ $FORMAT == ndjson ]] && echo "NDJSON" || echo "JSON array") bodies, $([[ $ANSWERS == minimal ]] && echo "Prefer: return=minimal" || echo "full answers"), new plays on 100 channels, W1 songs); medians of $REPS run(s); latency is per batch"
  echo "- server CPU: its user + system time during the run over the run's length, in cores; committer writing: the time its store writes took (check, write, WAL sync) over the run's length, summed over its threads (two over RocksDB: up to 2), and plays per write, from /metrics; created/sent: over all measured runs, from each answer's counts"
  echo
  echo "| durability | plays/s | batches/s | p50 ms | p90 ms | p99 ms | max ms | server CPU (cores) | committer writing | plays per write | created / sent | non-200 |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  for m in "${MODE_LIST[@]}"; do
    # shellcheck disable=SC2086 # the per-run figures are space-separated words
    printf '| %s | %.0f | %.1f | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s |\n' "$m" \
      "$(median ${PPS[$m]})" "$(median ${BPS[$m]})" "$(ms "$(median ${P50[$m]})")" \
      "$(ms "$(median ${P90[$m]})")" "$(ms "$(median ${P99[$m]})")" "$(ms "$(median ${MAX[$m]})")" \
      "$([[ -n ${SERVER_PID[$m]} ]] && median ${CPU[$m]} || echo "-")" \
      "$([[ -n ${BUSIES[$m]} ]] && median ${BUSIES[$m]} || echo "-")" \
      "$([[ -n ${PER_COMMITS[$m]} ]] && median ${PER_COMMITS[$m]} || echo "-")" \
      "${CREATED[$m]}" "${SENT[$m]}" "${BAD[$m]}"
  done
} >"$report"
mkdir -p "$OUT_DIR"
name=ingest-$(date -u +%Y%m%dT%H%M%SZ)
[[ $QUICK == 0 ]] || name=$name-quick
cp "$report" "$OUT_DIR/$name.md"
cp "$RAW" "$OUT_DIR/$name.wrk.log"
cat "$report"
log "report: $OUT_DIR/$name.md (raw wrk output: $name.wrk.log)"
[[ $FAILED == 0 ]] || die "some plays were not created or some answers were not 200 (see above)"
