#!/usr/bin/env bash
# Installs the Debian bookworm packages that spinlog needs to build, test and
# benchmark, skipping what is already installed. Runs apt-get as root or via sudo.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git curl
  librestinio-dev libasio-dev libhttp-parser-dev libfmt-dev
  libsimdjson-dev rapidjson-dev librocksdb-dev libutf8proc-dev
  libspdlog-dev libcli11-dev libtomlplusplus-dev libssl-dev libgtest-dev libgmock-dev libbenchmark-dev libxxhash-dev
  clang libclang-rt-14-dev python3 python3-jsonschema wrk nginx-light
  python3-prometheus-client
  libpqxx-dev libpq-dev postgresql-15
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
