#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a bounded time on a
# scratch copy of its seed corpus (tests/fuzz/corpus/<target>/), so new inputs never land in the
# repository. Prints each target's executions; fails on any crash, leak or sanitizer report, and
# leaves the crashing input in $FUZZ_DIR/<target>/.
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 45; longer local runs: 600 or more)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-45}
bash scripts/deps.sh
build=${FUZZ_BUILD_DIR:-build-fuzz}
work=${FUZZ_DIR:-$build/runs}
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSAMESTORY_FUZZ=ON >/dev/null
cmake --build "$build"
bin_dir="$PWD/$build/tests/fuzz"
targets=(fuzz_text fuzz_jsonl fuzz_json fuzz_csv fuzz_gzip fuzz_zstd fuzz_text_layer fuzz_date fuzz_align fuzz_quotes fuzz_bytes fuzz_html fuzz_warc)
failed=0
printf '%-18s %12s %10s %8s\n' target executions "exec/s" crashes
for t in "${targets[@]}"; do
  dir="$work/$t"
  rm -rf "$dir"
  mkdir -p "$dir/corpus"
  cp tests/fuzz/corpus/"$t"/* "$dir/corpus/"
  status=0
  (cd "$dir" && "$bin_dir/$t" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
      corpus >log.txt 2>&1) || status=$?
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$dir/log.txt" | grep -oE '[0-9]+$' || echo 0)
  rate=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$dir/log.txt" | grep -oE '[0-9]+$' || echo 0)
  crashes=$(find "$dir" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  printf '%-18s %12s %10s %8s\n' "$t" "$runs" "$rate" "$crashes"
  if [[ $status -ne 0 || $crashes -ne 0 ]]; then
    failed=1
    echo "--- $t failed (exit $status); last lines of its log:" >&2
    tail -40 "$dir/log.txt" >&2
  fi
done
exit $failed
