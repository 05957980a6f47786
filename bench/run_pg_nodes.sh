#!/usr/bin/env bash
# Scale-out benchmark (issue 7): the W1 classic benchmarks against the
# embedded store and against 2 spinlog nodes over one throwaway PostgreSQL
# behind nginx (deploy/nginx/spinlog-nodes.conf), in the same run, reported
# as ratios (docs/benchmarks.md, "PostgreSQL backend").
#
# Generates W1 and imports it twice: with `spinlog import --data` into a data
# directory, and with `spinlog import --store` into a new PostgreSQL 15
# cluster (tests/support/pg_test_cluster.sh: initdb in the temporary
# directory, a loopback port, stopped on exit). Starts one embedded server,
# two nodes over PostgreSQL and nginx in front of the nodes with the shipped
# upstream configuration. Then, per endpoint and repetition, the same wrk
# command (bench/load/*.lua) against each target in turn: "embedded", "nodes"
# (through nginx) and, for reads, "node a" (one node directly, without the
# proxy hop). Nothing is pinned: the targets share the machine's cores with
# PostgreSQL, nginx and wrk, as they would share a host.
#
# Reports medians of req/s, p50 and p99 and the ratio to the embedded store
# (markdown on stdout and in bench/out/, raw wrk output next to it).
# Everything it starts is stopped on exit; every wait is bounded.
# Exit status: 0 when all went well, 1 when an answer was not 200 or a step
# failed, 2 on a bad command line, 77 when PostgreSQL 15 is not installed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOAD_DIR=$ROOT/bench/load

usage() {
  cat <<EOF
usage: bench/run_pg_nodes.sh [options]
  --quick            smoke test: 20,000 plays, 2 s runs, 1 repetition
  --reps N           repetitions (default 3; quick 1)
  --duration S       seconds per wrk run, at most 120 (default 10; quick 2)
  --connections N    wrk connections for get_top (default 10)
  --write-connections N  wrk connections for add_play (default 50)
  --endpoints "..."  subset of: get_top add_play get_channel_plays get_song_plays
                     (default "get_top add_play")
  --plays N          W1 plays (default 1000000; quick 20000)
  --seed N           W1 generator seed (default 1)
  --build-dir DIR    where w1_generator was built (default build)
  --spinlog PATH     binary (default BUILD_DIR/src/main/spinlog)
  --node-args ".."   extra words for the PostgreSQL nodes' "spinlog serve"
  --out-dir DIR      where the report goes (default bench/out)
  --keep-temp        keep the temporary directory (data, logs)
EOF
}

QUICK=0 REPS="" DURATION="" READ_CONNS=10 WRITE_CONNS=50 PLAYS="" SEED=1
BUILD_DIR=$ROOT/build SPINLOG="" NODE_ARGS="" OUT_DIR=$ROOT/bench/out KEEP=0
ENDPOINTS="get_top add_play"
while [[ $# -gt 0 ]]; do
  case $1 in
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
    --node-args) NODE_ARGS=$2; shift ;;
    --out-dir) OUT_DIR=$2; shift ;;
    --keep-temp) KEEP=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run_pg_nodes: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if [[ $QUICK == 1 ]]; then : "${REPS:=1}" "${DURATION:=2}" "${PLAYS:=20000}"; fi
: "${REPS:=3}" "${DURATION:=10}" "${PLAYS:=1000000}" "${SPINLOG:=$BUILD_DIR/src/main/spinlog}"
for n in REPS DURATION READ_CONNS WRITE_CONNS PLAYS SEED; do
  [[ ${!n} =~ ^[0-9]+$ && ${!n} -gt 0 ]] || { echo "run_pg_nodes: bad $n: ${!n}" >&2; exit 2; }
done
[[ $REPS -le 15 && $DURATION -le 120 ]] || { echo "run_pg_nodes: at most 15 reps of 120 s" >&2; exit 2; }
for e in $ENDPOINTS; do
  [[ -f $LOAD_DIR/$e.lua ]] || { echo "run_pg_nodes: unknown endpoint $e" >&2; exit 2; }
done

BENCH_NAME=run_pg_nodes
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_require wrk nginx curl timeout
bench_pinning 0
bench_temp
PG_SCRIPT=$ROOT/tests/support/pg_test_cluster.sh
PG_DIR=$TMP/pg
# The cluster goes with everything else, whatever happens.
trap 'rc=$?; "$PG_SCRIPT" stop "$PG_DIR" >/dev/null 2>&1 || true; (exit $rc); bench_cleanup' EXIT

BENCH_BIN=$BUILD_DIR/bench
for b in "$BENCH_BIN/w1_generator" "$SPINLOG"; do
  [[ -x $b ]] || die "$b not found: build first (cmake --build $BUILD_DIR --target spinlog w1_generator)"
done
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOADAVG_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

log "generating W1: $PLAYS plays, seed $SEED"
"$BENCH_BIN/w1_generator" --seed "$SEED" --plays "$PLAYS" --out "$TMP/w1.ndjson"

log "importing W1 into the embedded store"
"$SPINLOG" import --data "$TMP/embedded" "$TMP/w1.ndjson" >"$TMP/import-embedded.log" 2>&1 ||
  { cat "$TMP/import-embedded.log" >&2; die "embedded import failed"; }
IMPORT_EMBEDDED=$(grep -m1 "^imported" "$TMP/import-embedded.log")

log "starting PostgreSQL"
pg_rc=0
timeout 120 "$PG_SCRIPT" start "$PG_DIR" >/dev/null || pg_rc=$?
# 77: the server binaries are missing (Debian's postgresql-15): skipped.
[[ $pg_rc != 77 ]] || { log "PostgreSQL 15 is not installed: skipped"; exit 77; }
[[ $pg_rc == 0 ]] || die "PostgreSQL did not start"
PG_URL=$(cat "$PG_DIR/url")
log "importing W1 into PostgreSQL ($PG_URL)"
"$SPINLOG" import --store "$PG_URL" "$TMP/w1.ndjson" >"$TMP/import-pg.log" 2>&1 ||
  { cat "$TMP/import-pg.log" >&2; die "PostgreSQL import failed"; }
IMPORT_PG=$(grep -m1 "^imported" "$TMP/import-pg.log")

declare -A URL_OF=()
start_spinlog embedded "$SPINLOG" "$TMP/embedded"
URL_OF[embedded]=$STARTED_URL
read -ra node_args <<<"$NODE_ARGS"
start_spinlog node-a "$SPINLOG" "$TMP/node-a" --store "$PG_URL" "${node_args[@]}"
URL_OF["node a"]=$STARTED_URL
start_spinlog node-b "$SPINLOG" "$TMP/node-b" --store "$PG_URL" "${node_args[@]}"
NODE_B_URL=$STARTED_URL

# nginx with the shipped upstream configuration, our nodes and port in it.
proxy_port=$(free_port)
mkdir -p "$TMP/proxy/logs"
chmod 755 "$TMP/proxy"
sed -e "s/127\.0\.0\.1:8081/127.0.0.1:${URL_OF["node a"]##*:}/" \
    -e "s/127\.0\.0\.1:8082/127.0.0.1:${NODE_B_URL##*:}/" \
    -e "s/listen 8080;/listen 127.0.0.1:$proxy_port;/" \
    "$ROOT/deploy/nginx/spinlog-nodes.conf" >"$TMP/proxy/upstream.conf"
grep -q "listen 127.0.0.1:$proxy_port;" "$TMP/proxy/upstream.conf" || die "cannot adapt spinlog-nodes.conf"
cat >"$TMP/proxy/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $TMP/proxy/nginx.pid;
error_log $TMP/proxy/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $TMP/proxy/body;
  proxy_temp_path $TMP/proxy/proxy;
  fastcgi_temp_path $TMP/proxy/fastcgi;
  uwsgi_temp_path $TMP/proxy/uwsgi;
  scgi_temp_path $TMP/proxy/scgi;
  keepalive_requests 10000000;
  include $TMP/proxy/upstream.conf;
}
EOF
nginx -c "$TMP/proxy/nginx.conf" -p "$TMP/proxy" -e "$TMP/proxy/logs/error.log" &
SPINLOG_PIDS+=("$!")
URL_OF[nodes]=http://127.0.0.1:$proxy_port
wait_http "${URL_OF[nodes]}/healthz" "" 10 || { cat "$TMP/proxy/logs/error.log" >&2; die "nginx did not start"; }
curl -sf --max-time 5 -o /dev/null "${URL_OF[nodes]}/readyz" || die "the nodes are not ready"

RAW=$TMP/raw.log
: >"$RAW"
FAILED=0
ROWS=()
run_id=$((100 + RANDOM % 1000))
for e in $ENDPOINTS; do
  conns=$READ_CONNS targets=(embedded nodes "node a")
  if [[ $e == add_play ]]; then conns=$WRITE_CONNS targets=(embedded nodes); fi
  declare -A rps=() p50=() p99=() bad=()
  for t in "${targets[@]}"; do
    # A 1 s warm-up per target (its plays land in a time block of their own).
    run_id=$((run_id + 1))
    wrk_run "$t" "" 0 "${URL_OF[$t]}" "$e" 1 "$conns" 1 "seed=0" "run=$run_id" "fast=0"
    rps[$t]="" p50[$t]="" p99[$t]="" bad[$t]=0
  done
  for ((r = 1; r <= REPS; r++)); do
    run_id=$((run_id + 1))
    line="$e rep $r:"
    for t in "${targets[@]}"; do
      wrk_run "$t" "" 0 "${URL_OF[$t]}" "$e" 1 "$conns" "$DURATION" "seed=$r" "run=$run_id" "fast=0"
      rps[$t]+=" $(field "$RESULT" rps)" p50[$t]+=" $(field "$RESULT" p50_us)"
      p99[$t]+=" $(field "$RESULT" p99_us)"
      bad[$t]=$((bad[$t] + $(field "$RESULT" non200) + $(field "$RESULT" errors_connect) +
        $(field "$RESULT" errors_read) + $(field "$RESULT" errors_timeout)))
      line="$line $t $(field "$RESULT" rps) req/s p99 $(ms "$(field "$RESULT" p99_us)") ms;"
    done
    log "$line"
  done
  # shellcheck disable=SC2086 # per-run figures are space-separated words
  base=$(median ${rps[embedded]})
  for t in "${targets[@]}"; do
    [[ ${bad[$t]} == 0 ]] || { log "$t $e: ${bad[$t]} non-200 answers or socket errors"; FAILED=1; }
    # shellcheck disable=SC2086
    ROWS+=("$(printf '| %s | %s | %s | %.0f | %.2f | %s | %s | %s |' "$e" "$t" "$conns" \
      "$(median ${rps[$t]})" "$(awk -v a="$(median ${rps[$t]})" -v b="$base" 'BEGIN {print (b > 0 ? a / b : 0)}')" \
      "$(ms "$(median ${p50[$t]})")" "$(ms "$(median ${p99[$t]})")" "${bad[$t]}")")
  done
  unset rps p50 p99 bad
done

report=$TMP/report.md
{
  echo "## Embedded store vs 2 nodes over PostgreSQL behind nginx ($STARTED)"
  echo
  echo "- commit $(bench_commit); $(nproc) cores ($(bench_cpu)); $(nginx -v 2>&1 | sed 's/.*: //'); PostgreSQL $("${SPINLOG_PG_BINDIR:-/usr/lib/postgresql/15/bin}/postgres" --version | sed 's/.* //; s/)$//') (throwaway cluster, default settings, fsync on); wrk 4.1"
  echo "- W1 ($PLAYS plays, seed $SEED): $IMPORT_EMBEDDED; $IMPORT_PG"
  echo "- targets: embedded = one spinlog serve on the data directory; nodes = nginx (deploy/nginx/spinlog-nodes.conf, one worker) in front of 2 nodes with --store${NODE_ARGS:+ $NODE_ARGS}; node a = the first node directly. Nothing pinned; all on one machine"
  echo "- load average before: $LOADAVG_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- wrk -t1 -d${DURATION}s; medians of $REPS run(s), targets in turn within each repetition; ratio = median req/s over the embedded store's; add_play durable (each answer a new play)"
  echo
  echo "| endpoint | target | conns | req/s | ratio to embedded | p50 ms | p99 ms | non-200 |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} >"$report"
mkdir -p "$OUT_DIR"
name=pg-nodes-$(date -u +%Y%m%dT%H%M%SZ)
[[ $QUICK == 0 ]] || name=$name-quick
cp "$report" "$OUT_DIR/$name.md"
cp "$RAW" "$OUT_DIR/$name.wrk.log"
cat "$report"
log "report: $OUT_DIR/$name.md (raw wrk output: $name.wrk.log)"
[[ $FAILED == 0 ]] || die "some answers were not 200 (see above)"
