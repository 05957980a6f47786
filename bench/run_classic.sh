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

URL="" QUICK=0 REPS="" DURATION="" READ_CONNS=10 WRITE_CONNS=50 PLAYS="" SEED=1
BUILD_DIR=$ROOT/build SPINLOG="" SERVER_ARGS="" RUN_ID="" OUT_DIR=$ROOT/bench/out PIN=1 KEEP=0 FAST=0
ENDPOINTS="get_channel_plays get_song_plays get_top add_play"
LOAD_CONNS=16 LOAD_MAX_SECONDS=1800

while [[ $# -gt 0 ]]; do
  case $1 in
    --url) URL=$2; shift ;;
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

log() { echo "run_classic: $*" >&2; }
die() { log "FAILED: $*"; exit 1; }

for tool in wrk nginx curl taskset timeout; do
  command -v "$tool" >/dev/null || die "$tool is not installed (scripts/install-deps.sh)"
done
if [[ $PIN == 1 && $(nproc) -lt 2 ]]; then
  log "fewer than 2 cores: not pinning"
  PIN=0
fi
SERVER_CPU=() CLIENT_CPU=()
if [[ $PIN == 1 ]]; then SERVER_CPU=(taskset -c 0) CLIENT_CPU=(taskset -c 1); fi

# --- Processes we start, and their cleanup. ---
TMP=$(mktemp -d "${TMPDIR:-/tmp}/spinlog-bench.XXXXXX")
chmod 755 "$TMP"  # nginx workers run as another user when we are root
SPINLOG_PID="" NGINX_PID="" CHILD_PID=""

stop_pid() {  # stop_pid PID SECONDS: TERM, then KILL after SECONDS
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < $2 * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$? workers=""
  trap - EXIT INT TERM
  [[ -n $CHILD_PID ]] && stop_pid "$CHILD_PID" 5
  [[ -n $SPINLOG_PID ]] && stop_pid "$SPINLOG_PID" 15
  if [[ -n $NGINX_PID ]]; then
    workers=$(cat "/proc/$NGINX_PID/task/$NGINX_PID/children" 2>/dev/null || true)
    stop_pid "$NGINX_PID" 5
    for w in $workers; do kill -KILL "$w" 2>/dev/null || true; done
  fi
  if [[ $KEEP == 1 ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run_child OUTFILE CMD...: runs CMD in the background (so that a signal to
# this script is handled at once) and waits; returns its exit status.
run_child() {
  local out=$1 rc=0
  shift
  "$@" >"$out" 2>&1 &
  CHILD_PID=$!
  wait "$CHILD_PID" || rc=$?
  CHILD_PID=""
  return "$rc"
}

free_port() {
  local i p
  for ((i = 0; i < 50; i++)); do
    # Below the kernel's ephemeral range (32768+), where client sockets of
    # concurrent tests would make a bind fail.
    p=$((20000 + RANDOM % 12000))
    # A refused connection means nobody listens there.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  die "no free port found"
}

# wait_http URL PID SECONDS: until URL answers anything over HTTP.
wait_http() {
  local i code
  for ((i = 0; i < $3 * 4; i++)); do
    [[ -z $2 ]] || kill -0 "$2" 2>/dev/null || return 1
    code=$(curl -s -o /dev/null --max-time 1 -w '%{http_code}' "$1" || true)
    [[ $code != 000 ]] && return 0
    sleep 0.25
  done
  return 1
}

# wait_idle PID SECONDS: until PID used under 5% of a core over 0.5 s
# (background work such as compaction, or answers still queued after a wrk
# run), at most SECONDS.
wait_idle() {
  local i a b
  for ((i = 0; i < $2 * 2; i++)); do
    a=$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null) || return 0
    sleep 0.5
    b=$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null) || return 0
    (((b - a) * 100 * 2 < 5 * $(getconf CLK_TCK))) && return 0
  done
  log "server still busy after $2 s; measuring anyway"
}

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ms() { awk -v us="$1" 'BEGIN {printf "%.2f", us / 1000}'; }

BENCH_BIN=$BUILD_DIR/bench
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOADAVG_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
MODE=""
LOAD_LINE=""

# --- The server under test. ---
if [[ -n $URL ]]; then
  [[ $URL =~ ^http://(127\.0\.0\.1|localhost):[0-9]+/?$ ]] || die "--url must be http://127.0.0.1:PORT"
  URL=${URL%/}
  : "${RUN_ID:=$((100 + RANDOM % 3700))}"
  wait_http "$URL/" "" 5 || die "nothing answers at $URL"
  MODE="server at $URL (started elsewhere, not pinned by this script)"
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
  mkdir -p "$TMP/data"
  read -ra extra <<<"$SERVER_ARGS"
  log "starting $SPINLOG serve on a free port ${extra[*]}"
  # Port 0: the server picks a free port and logs it; no race with other users.
  "${SERVER_CPU[@]}" "$SPINLOG" serve --listen "127.0.0.1:0" --data "$TMP/data" "${extra[@]}" \
    >"$TMP/spinlog.log" 2>&1 &
  SPINLOG_PID=$!
  PORT=""
  for ((i = 0; i < 300; i++)); do
    PORT=$(sed -n 's/.*serving on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$TMP/spinlog.log" | head -1)
    [[ -n $PORT ]] && break
    kill -0 "$SPINLOG_PID" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n $PORT ]] || { tail -20 "$TMP/spinlog.log" >&2; die "spinlog did not start"; }
  URL=http://127.0.0.1:$PORT
  log "spinlog serves on $URL"
  wait_http "$URL/" "$SPINLOG_PID" 30 || { tail -20 "$TMP/spinlog.log" >&2; die "spinlog did not start"; }

  log "loading W1 with load_plays ($LOAD_CONNS connections, at most $LOAD_MAX_SECONDS s)"
  rc=0
  run_child "$TMP/load.log" "${CLIENT_CPU[@]}" "$BENCH_BIN/load_plays" --host 127.0.0.1 \
    --port "$PORT" --connections "$LOAD_CONNS" --file "$TMP/w1.ndjson" \
    --max-seconds "$LOAD_MAX_SECONDS" || rc=$?
  cat "$TMP/load.log" >&2
  LOAD_LINE=$(grep '^RESULT' "$TMP/load.log" || true)
  [[ $rc == 0 && -n $LOAD_LINE ]] || die "loading W1 failed (load_plays exit $rc)"
  [[ $(field "$LOAD_LINE" unsent) == 0 && $(field "$LOAD_LINE" non200) == 0 ]] ||
    die "W1 not fully loaded: $LOAD_LINE"
  [[ $QUICK == 1 ]] || wait_idle "$SPINLOG_PID" 120
  MODE="spinlog serve ${SERVER_ARGS:+$SERVER_ARGS }started here (core 0), W1 with $PLAYS plays (seed $SEED) loaded by load_plays"
fi

# --- nginx, one worker on core 0, serving one file per endpoint. ---
NGINX_PORT=$(free_port)
mkdir -p "$TMP/nginx/www" "$TMP/nginx/logs"
chmod 755 "$TMP/nginx" "$TMP/nginx/www"
cat >"$TMP/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  sendfile on;
  tcp_nodelay on;
  keepalive_timeout 75s;
  keepalive_requests 10000000;
  open_file_cache max=64 inactive=600s;
  open_file_cache_valid 600s;
  default_type "application/json; charset=utf-8";
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $TMP/nginx/www;
    # POST /add_play: the static module answers 405 to POST; serve the file.
    location / { error_page 405 =200 \$uri; }
  }
}
EOF
"${SERVER_CPU[@]}" nginx -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" -e "$TMP/nginx/logs/error.log" &
NGINX_PID=$!
NGINX_URL=http://127.0.0.1:$NGINX_PORT

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

# wrk_run NAME URL SCRIPT CONNS DURATION RUN SEED FAST: sets RESULT to wrk's RESULT line.
RESULT=""
wrk_run() {
  local out=$TMP/wrk.out rc=0
  # Start each run with an idle server on core 0 (when we know its process).
  [[ -z $SPINLOG_PID ]] || wait_idle "$SPINLOG_PID" 10
  run_child "$out" timeout -k 5 $(($5 + 60)) "${CLIENT_CPU[@]}" wrk -t1 -c"$4" -d"$5s" \
    --timeout 10s -s "$LOAD_DIR/$3.lua" "$2" -- "seed=$7" "run=$6" "fast=$8" || rc=$?
  { echo "## $1 $3 (exit $rc)"; cat "$out"; } >>"$RAW"
  RESULT=$(grep '^RESULT' "$out") || { cat "$out" >&2; die "wrk against $1 gave no result (exit $rc)"; }
}

wait_http "$NGINX_URL/" "$NGINX_PID" 10 || { cat "$TMP/nginx/logs/error.log" >&2; die "nginx did not start"; }
run_id=$RUN_ID
for e in $ENDPOINTS; do
  mapfile -t args < <(typical "$e")
  code=$(curl -s --max-time 30 -o "$TMP/nginx/www/$e" -w '%{http_code}' "${args[@]}") || code=000
  chmod 644 "$TMP/nginx/www/$e"
  [[ $code == 200 ]] || { head -c 500 "$TMP/nginx/www/$e" >&2; die "typical $e answered $code"; }
  bytes=$(stat -c %s "$TMP/nginx/www/$e")
  [[ $(head -c 300 "$TMP/nginx/www/$e") != *'"result":[]'* ]] ||
    log "WARNING: typical $e has an empty result: is W1 loaded?"
  conns=$READ_CONNS
  [[ $e == add_play ]] && conns=$WRITE_CONNS
  log "$e: typical answer $bytes bytes; warming up"
  # Warm-ups count non-200 answers exactly and measure spinlog's mean body size.
  wrk_run nginx "$NGINX_URL" "$e" "$conns" 1 "$run_id" 0 0
  wrk_run spinlog "$URL" "$e" "$conns" 1 "$run_id" 0 0
  s_body=$(field "$RESULT" mean_body_bytes)
  s_bad=$(($(field "$RESULT" non200) + $(field "$RESULT" errors_connect) + $(field "$RESULT" errors_read)))
  n_rps=() s_rps=() n_p50=() n_p99=() s_p50=() s_p99=() ratio=()
  for ((r = 1; r <= REPS; r++)); do
    run_id=$((run_id + 1))
    wrk_run nginx "$NGINX_URL" "$e" "$conns" "$DURATION" "$run_id" "$r" "$FAST"
    n=$RESULT
    wrk_run spinlog "$URL" "$e" "$conns" "$DURATION" "$run_id" "$r" "$FAST"
    s=$RESULT
    n_rps+=("$(field "$n" rps)") n_p50+=("$(field "$n" p50_us)") n_p99+=("$(field "$n" p99_us)")
    s_rps+=("$(field "$s" rps)") s_p50+=("$(field "$s" p50_us)") s_p99+=("$(field "$s" p99_us)")
    ratio+=("$(awk -v a="${s_rps[-1]}" -v b="${n_rps[-1]}" 'BEGIN {printf "%.4f", (b > 0 ? a / b : 0)}')")
    bad=$(($(field "$s" non200) + $(field "$s" errors_connect) + $(field "$s" errors_read) +
      $(field "$s" errors_write) + $(field "$s" errors_timeout)))
    s_bad=$((s_bad + bad))
    nbad=$(($(field "$n" non200) + $(field "$n" errors_connect) + $(field "$n" errors_read)))
    [[ $nbad == 0 ]] || { log "nginx $e: $nbad bad answers: $n"; FAILED=1; }
    log "$e rep $r: nginx $(field "$n" rps) req/s, spinlog $(field "$s" rps) req/s (${ratio[-1]})"
  done
  [[ $s_bad == 0 ]] || { log "spinlog $e: $s_bad non-200 answers or socket errors"; FAILED=1; }
  ROWS+=("$(printf '| %s | %s / %s | %s | %.0f | %.0f | %.3f | %s | %s | %s | %s | %s |' \
    "$e" "$bytes" "$s_body" "$conns" \
    "$(median "${n_rps[@]}")" "$(median "${s_rps[@]}")" "$(median "${ratio[@]}")" \
    "$(ms "$(median "${n_p50[@]}")")" "$(ms "$(median "${n_p99[@]}")")" \
    "$(ms "$(median "${s_p50[@]}")")" "$(ms "$(median "${s_p99[@]}")")" "$s_bad")")
done

# --- Report. ---
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -z $(git -C "$ROOT" status --porcelain 2>/dev/null) ]] || commit="$commit+dirty"
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
report=$TMP/report.md
{
  echo "## Classic API: spinlog vs nginx static file ($STARTED)"
  echo
  echo "- commit $commit; $(nproc) cores ($cpu); $(nginx -v 2>&1 | sed 's/.*: //'); wrk 4.1"
  echo "- $MODE"
  echo "- load average before: $LOADAVG_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews absolute figures; ratios less)"
  [[ -z $LOAD_LINE ]] || echo "- W1 load: $(field "$LOAD_LINE" plays_per_s) plays/s over $LOAD_CONNS connections ($(field "$LOAD_LINE" sent) plays in $(field "$LOAD_LINE" seconds) s)"
  echo "- wrk -t1 -d${DURATION}s$([[ $PIN == 1 ]] && echo " on core 1; servers on core 0" || echo ", not pinned"); medians of $REPS run(s); ratio = median of per-run spinlog/nginx"
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
