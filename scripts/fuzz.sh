#!/usr/bin/env bash
# Builds every libFuzzer target (tests/fuzz, clang, ASan+UBSan) and runs each
# for SECONDS (default 30). Targets are found by globbing the built *_fuzz
# binaries, so a new spinlog_fuzz_target() line is picked up with no change here.
#
# Usage: scripts/fuzz.sh [SECONDS] [NAME...]     e.g. scripts/fuzz.sh 60 datetime_fuzz
# Env:   SPINLOG_FUZZ_BUILD_DIR  build directory (default <repo>/build-fuzz)
#
# Seeds come from tests/fuzz/corpus/<name>/ and tests/fuzz/regressions/<name>/
# (inputs that once crashed), and a dictionary from tests/fuzz/<name>.dict
# when present. A crash found here becomes a regression test: copy the
# artifact into tests/fuzz/regressions/<name>/ and the ordinary build's
# fuzz_replay.<name> test replays it from then on. Inputs the fuzzer finds are kept in
# <build>/fuzz-corpus/<name>/ between runs; crashes go to
# <build>/fuzz-artifacts/<name>/ and logs to <build>/fuzz-logs/<name>.log.
# Exits non-zero when any target fails.
set -euo pipefail

seconds=${1:-30}
if [[ $# -gt 0 ]]; then shift; fi
if ! [[ $seconds =~ ^[0-9]+$ ]]; then
  echo "usage: $0 [SECONDS] [NAME...]" >&2
  exit 2
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SPINLOG_FUZZ_BUILD_DIR:-$root/build-fuzz}

# RelWithDebInfo without -DNDEBUG: optimised, yet asserts stay armed.
cmake -S "$root" -B "$build" -G Ninja \
  -DCMAKE_CXX_COMPILER=clang++ -DSPINLOG_FUZZ=ON -DSPINLOG_BENCH=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g" >/dev/null
cmake --build "$build" --target fuzz_targets

wanted() {
  [[ $# -eq 1 ]] && return 0
  local name=$1; shift
  local w
  for w in "$@"; do [[ $w == "$name" ]] && return 0; done
  return 1
}

failed=()
ran=0
mkdir -p "$build/fuzz-logs"
for bin in "$build"/tests/fuzz/*_fuzz; do
  [[ -x $bin ]] || continue
  name=$(basename "$bin")
  wanted "$name" "$@" || continue
  corpus=$build/fuzz-corpus/$name
  artifacts=$build/fuzz-artifacts/$name
  log=$build/fuzz-logs/$name.log
  mkdir -p "$corpus" "$artifacts"
  args=(-max_total_time="$seconds" -timeout=10 -print_final_stats=1 -artifact_prefix="$artifacts/")
  [[ -f $root/tests/fuzz/$name.dict ]] && args+=(-dict="$root/tests/fuzz/$name.dict")
  # New inputs are written to the first directory; the seeds stay read-only.
  dirs=("$corpus")
  [[ -d $root/tests/fuzz/corpus/$name ]] && dirs+=("$root/tests/fuzz/corpus/$name")
  [[ -d $root/tests/fuzz/regressions/$name ]] && dirs+=("$root/tests/fuzz/regressions/$name")
  echo "== $name: ${seconds}s"
  ran=$((ran + 1))
  if "$bin" "${args[@]}" "${dirs[@]}" >"$log" 2>&1; then
    grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true
  else
    echo "!! $name FAILED; log: $log; artifacts: $artifacts/"
    grep -E 'ERROR|SUMMARY|_fuzz:' "$log" | head -5 || true
    failed+=("$name")
  fi
done

if [[ $ran -eq 0 ]]; then
  echo "no fuzz target matched" >&2
  exit 2
fi
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
echo "all $ran fuzz targets ran ${seconds}s without failure"
