#!/usr/bin/env bash
# Installs every Debian package that samestory's build, tests and benchmarks need.
# Idempotent: when everything is present it only checks, and it runs `apt-get update`
# at most once, and only when something is missing.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config
  # libraries
  libcli11-dev libsimdjson-dev libfmt-dev libxxhash-dev libutf8proc-dev
  zlib1g-dev libzstd-dev libtbb-dev libsqlite3-dev libre2-dev libcpp-httplib-dev libxml2-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # tools the tests and benchmarks call (gzip/zstd make compressed fixtures, time measures RSS)
  gzip zstd time coreutils python3 bc
  # the HTTP load generator bench/serve.sh drives samestory serve with
  wrk
  # the scikit-learn baseline bench/cluster.sh runs beside samestory
  python3-sklearn
  # the readability-lxml baseline bench/extract.sh runs beside samestory extract
  python3-readability
  # the Python module and samestory.dask (python/): pybind11, numpy, pandas, Dask, pytest, venv
  pybind11-dev python3-dev python3-numpy python3-scipy python3-pandas python3-dask python3-distributed python3-pytest
  python3-venv python3-pip
  # fuzzing (clang with libFuzzer and its sanitizer runtimes)
  clang libclang-rt-14-dev
  # the browser test of report.html (playwright-core drives Debian's chromium)
  chromium
)
# Node.js and npm for playwright-core: Debian's, unless the machine already has a node.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then packages+=(nodejs npm); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# playwright-core, from the committed lock file, without touching the network when it is there.
install_npm_packages() {
  local dir=tests/browser
  if [[ ! -f "$dir/node_modules/.package-lock.json" ]] || ! cmp -s "$dir/package-lock.json" "$dir/.installed-lock"; then
    echo "deps.sh: npm ci in $dir" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$dir/package-lock.json" "$dir/.installed-lock"
  fi
}
cd "$(dirname "$0")/.."

if ((${#missing[@]} == 0)); then
  install_npm_packages
  exit 0
fi

echo "deps.sh: installing ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_npm_packages
