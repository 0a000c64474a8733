#!/usr/bin/env bash
# Runs the test suite under AddressSanitizer + UndefinedBehaviorSanitizer, and the multi-threaded
# tests (the CLI, which runs the binary with --threads 2, and dedup) under ThreadSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 history_size=4 suppressions=$PWD/tests/tsan.supp"

echo "== ASan + UBSan: the whole test suite" >&2
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSAMESTORY_SANITIZE=address,undefined \
  -DSAMESTORY_BENCH=OFF >/dev/null
cmake --build build-asan
ctest --test-dir build-asan --output-on-failure -j"$(nproc)"

echo "== TSan: multi-threaded tests" >&2
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSAMESTORY_SANITIZE=thread \
  -DSAMESTORY_BENCH=OFF >/dev/null
cmake --build build-tsan
ctest --test-dir build-tsan --output-on-failure -j"$(nproc)" -R 'Cli|Dedup|SyntheticCorpus|CorpusProfile|LiveIndex'
