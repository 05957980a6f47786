# shellcheck shell=bash disable=SC2034 # variables set here for the sourcing script
# Shell helpers shared by the benchmark scripts (run_classic.sh,
# run_ingest.sh); sourced, not run. docs/benchmarks.md describes the method.
#
# The sourcing script sets BENCH_NAME (the prefix of its messages) and
# KEEP (1: keep the temporary directory) first, then calls:
#   bench_require TOOL...        every tool is on PATH, or exit 1
#   bench_pinning PIN            sets SERVER_CPU / CLIENT_CPU (taskset -c 0 / 1)
#                                and PIN (0 when there are fewer than 2 cores)
#   bench_temp                   makes $TMP and the trap that stops everything
#                                started here and removes $TMP on exit
# Processes started through these helpers (start_spinlog, start_nginx,
# run_child) are stopped on exit whatever happens; every wait is bounded.

log() { echo "$BENCH_NAME: $*" >&2; }
die() { log "FAILED: $*"; exit 1; }

bench_require() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is not installed (scripts/install-deps.sh)"
  done
}

SERVER_CPU=() CLIENT_CPU=()
bench_pinning() {
  PIN=$1
  if [[ $PIN == 1 && $(nproc) -lt 2 ]]; then
    log "fewer than 2 cores: not pinning"
    PIN=0
  fi
  SERVER_CPU=() CLIENT_CPU=()
  if [[ $PIN == 1 ]]; then SERVER_CPU=(taskset -c 0) CLIENT_CPU=(taskset -c 1); fi
}

# --- Processes we start, and their cleanup. ---
TMP="" NGINX_PID="" CHILD_PID=""
SPINLOG_PIDS=()

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

bench_cleanup() {
  local rc=$? workers="" pid
  trap - EXIT INT TERM
  [[ -n $CHILD_PID ]] && stop_pid "$CHILD_PID" 5
  for pid in "${SPINLOG_PIDS[@]}"; do stop_pid "$pid" 15; done
  if [[ -n $NGINX_PID ]]; then
    workers=$(cat "/proc/$NGINX_PID/task/$NGINX_PID/children" 2>/dev/null || true)
    stop_pid "$NGINX_PID" 5
    for w in $workers; do kill -KILL "$w" 2>/dev/null || true; done
  fi
  if [[ -n $TMP ]]; then
    if [[ $KEEP == 1 ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
  fi
  exit "$rc"
}

bench_temp() {
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/spinlog-bench.XXXXXX")
  chmod 755 "$TMP"  # nginx workers run as another user when we are root
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

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

# wait_idle PID SECONDS [WINDOW_MS]: until PID used under 5% of a core over
# WINDOW_MS (default 500) milliseconds (background work such as compaction,
# or answers still queued after a wrk run), at most about SECONDS.
wait_idle() {
  local i a b window=${3:-500}
  local sleep_s
  sleep_s=$(awk -v w="$window" 'BEGIN {printf "%.3f", w / 1000}')
  for ((i = 0; i * window < $2 * 1000; i++)); do
    a=$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null) || return 0
    sleep "$sleep_s"
    b=$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null) || return 0
    (((b - a) * 100 * 1000 < 5 * window * $(getconf CLK_TCK))) && return 0
  done
  log "server still busy after $2 s; measuring anyway"
}

# cpu_ticks PID: user + system CPU of PID so far, in clock ticks (0 when gone).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ms() { awk -v us="$1" 'BEGIN {printf "%.2f", us / 1000}'; }

# start_spinlog NAME BINARY DATA_DIR ARGS...: starts "BINARY serve" on a free
# port of 127.0.0.1 (port 0: the server picks one and logs it, so there is no
# race with other users), pinned like a server, logging to $TMP/NAME.log.
# Sets STARTED_PID and STARTED_URL; the process is stopped on exit.
STARTED_PID="" STARTED_URL=""
start_spinlog() {
  local name=$1 binary=$2 data=$3 port="" i
  shift 3
  mkdir -p "$data"
  log "starting $name: $binary serve --data $data $*"
  : >"$TMP/$name.log"  # exists before the server opens it, for the sed below
  "${SERVER_CPU[@]}" "$binary" serve --listen "127.0.0.1:0" --data "$data" "$@" \
    >"$TMP/$name.log" 2>&1 &
  STARTED_PID=$!
  SPINLOG_PIDS+=("$STARTED_PID")
  for ((i = 0; i < 300; i++)); do
    port=$(sed -n 's/.*serving on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$TMP/$name.log" | head -1)
    [[ -n $port ]] && break
    kill -0 "$STARTED_PID" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n $port ]] || { tail -20 "$TMP/$name.log" >&2; die "$name did not start"; }
  STARTED_URL=http://127.0.0.1:$port
  wait_http "$STARTED_URL/" "$STARTED_PID" 30 || { tail -20 "$TMP/$name.log" >&2; die "$name did not start"; }
  log "$name serves on $STARTED_URL"
}

# start_nginx: nginx with one worker, pinned like a server, serving the files
# of $NGINX_WWW (any method: POST answers the file too) on a free port of
# 127.0.0.1. Sets NGINX_PID, NGINX_URL, NGINX_WWW.
NGINX_URL="" NGINX_WWW=""
start_nginx() {
  local port
  port=$(free_port)
  NGINX_WWW=$TMP/nginx/www
  mkdir -p "$NGINX_WWW" "$TMP/nginx/logs"
  chmod 755 "$TMP/nginx" "$NGINX_WWW"
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
    listen 127.0.0.1:$port;
    root $NGINX_WWW;
    # POST /add_play: the static module answers 405 to POST; serve the file.
    location / { error_page 405 =200 \$uri; }
  }
}
EOF
  "${SERVER_CPU[@]}" nginx -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" -e "$TMP/nginx/logs/error.log" &
  NGINX_PID=$!
  NGINX_URL=http://127.0.0.1:$port
  wait_http "$NGINX_URL/" "$NGINX_PID" 10 || { cat "$TMP/nginx/logs/error.log" >&2; die "nginx did not start"; }
}

# wrk_run LABEL IDLE_PID IDLE_SECONDS URL SCRIPT THREADS CONNS DURATION [SCRIPT_ARGS...]:
# waits until IDLE_PID (when not empty) is idle, runs wrk on the client core
# with bench/load/SCRIPT.lua, appends its output to $RAW, and sets RESULT to
# its RESULT line (dies when there is none).
RESULT=""
wrk_run() {
  local label=$1 idle_pid=$2 idle_s=$3 url=$4 script=$5 threads=$6 conns=$7 duration=$8
  local out=$TMP/wrk.out rc=0
  shift 8
  [[ -z $idle_pid ]] || wait_idle "$idle_pid" "$idle_s"
  run_child "$out" timeout -k 5 $((duration + 60)) "${CLIENT_CPU[@]}" wrk -t"$threads" \
    -c"$conns" -d"${duration}s" --timeout 10s -s "$LOAD_DIR/$script.lua" "$url" -- "$@" || rc=$?
  { echo "## $label $script (exit $rc)"; cat "$out"; } >>"$RAW"
  RESULT=$(grep '^RESULT' "$out") || { cat "$out" >&2; die "wrk against $label gave no result (exit $rc)"; }
}

# For the reports.
# BENCH_COMMIT (environment) replaces the label, e.g. for a binary built
# from another tree: BENCH_COMMIT="abc1234 + patch" bench/run_ingest.sh --spinlog ...
bench_commit() {
  local commit
  if [[ -n ${BENCH_COMMIT:-} ]]; then echo "$BENCH_COMMIT"; return; fi
  commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  [[ -z $(git -C "$ROOT" status --porcelain 2>/dev/null) ]] || commit="$commit+dirty"
  echo "$commit"
}
bench_cpu() { awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo; }
