#!/usr/bin/env bash
# Installs what the build needs (scripts/deps.sh), configures and builds samestory into
# ${BUILD_DIR:-build}. Extra arguments go to CMake. In CI (CI=true) warnings are errors.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
build_dir=${BUILD_DIR:-build}
werror=OFF
if [[ "${CI:-}" == "true" ]]; then werror=ON; fi
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" -DSAMESTORY_WERROR="$werror" "$@" >/dev/null
cmake --build "$build_dir"
