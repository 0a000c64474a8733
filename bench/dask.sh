#!/usr/bin/env bash
# One process against a 2-worker Dask cluster (LocalCluster, one thread a worker), on ~1 GB corpora:
#   dedup    the ~1 GB corpus of bench/dedup.sh (Reuters-21578 with injected duplicates)
#   stories  the ~1.2 GB corpus of 1,000,000 generated articles of bench/cluster_scale.sh, --window 3
#   run      the main job (samestory run --window 3) on 100,000 of those articles ($RUN_ARTICLES):
#            all three outputs compared
# Prints seconds, peak memory of the single process, of each worker and of the Dask client, and
# whether the outputs are byte-identical. On one 2-core machine the cluster cannot be faster than
# the 2-thread process; the figures show what distribution costs, and what a worker needs.
#
# Usage: bench/dask.sh [dedup|stories|run|all] [BUILD_DIR]   (corpora in $BENCH_DIR, default /tmp/samestory-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
build=${2:-build}
work=${BENCH_DIR:-/tmp/samestory-bench}
shared=${SAMESTORY_SHARED:-../shared}
mkdir -p "$work"
bash scripts/build.sh >/dev/null
bin="$build/samestory"

single() {  # prints "seconds peak_kb"
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" -q -j 2 "$@" >/dev/null 2>&1
  cat "$work/time.txt"
}
distributed() {  # prints "seconds" and the summary JSON
  local s e
  s=$(date +%s.%N)
  "$bin" -q --json "$@" 2>"$work/dask-summary.txt" >/dev/null
  e=$(date +%s.%N)
  echo "$(echo "$e - $s" | bc -l) $(tail -1 "$work/dask-summary.txt")"
}
report() {  # name corpus single_seconds single_kb dask_line out1 out2
  local name=$1 corpus=$2 s1=$3 kb=$4 line=$5 out1=$6 out2=$7
  local s2=${line%% *} json=${line#* }
  local gb docs
  gb=$(echo "$(stat -c %s "$corpus") / 1000000000" | bc -l)
  docs=$(wc -l <"$corpus")
  printf '\n%s on %s (%.2f GB, %d documents)\n' "$name" "$(basename "$corpus")" "$gb" "$docs"
  printf '  one process, 2 threads:       %7.1f s   peak %6.0f MB\n' "$s1" "$(echo "$kb / 1024" | bc -l)"
  python3 - "$s2" "$s1" "$json" <<'PY'
import json, sys
s2, s1, summary = float(sys.argv[1]), float(sys.argv[2]), json.loads(sys.argv[3])
workers = ", ".join(f"{b / 2**20:.0f}" for b in summary["worker_peak_rss_bytes"])
print(f"  Dask, 2 workers x 1 thread:   {s2:7.1f} s   peak per worker {workers} MB, "
      f"client {summary['client_peak_rss_bytes'] / 2**20:.0f} MB, {summary['partitions']} partitions")
print(f"  cluster time / single time:   {s2 / s1:7.2f}")
PY
  if cmp -s "$out1" "$out2"; then echo "  outputs: byte-identical"; else echo "  outputs: DIFFERENT"; fi
}

if [[ $what == dedup || $what == all ]]; then
  corpus="$work/dedup-1024m.jsonl"
  if [[ ! -s "$corpus" ]]; then
    "$build/bench/dedup_corpus" make "$shared/data/reuters21578" "$corpus" "$work/dedup-1024m.truth.jsonl" $((1024 << 20))
  fi
  cat "$corpus" >/dev/null
  read -r s1 kb < <(single dedup --report "$work/dask-bench-single.jsonl" "$corpus")
  line=$(distributed dedup --dask local:2 --report "$work/dask-bench-cluster.jsonl" "$corpus")
  report "dedup" "$corpus" "$s1" "$kb" "$line" "$work/dask-bench-single.jsonl" "$work/dask-bench-cluster.jsonl"
fi
if [[ $what == stories || $what == all ]]; then
  articles=1000000
  source bench/stories_corpus.sh
  read -r s1 kb < <(single cluster --window 3 -o "$work/dask-bench-single-stories.jsonl" "$corpus")
  line=$(distributed cluster --dask local:2 --window 3 -o "$work/dask-bench-cluster-stories.jsonl" "$corpus")
  report "stories (--window 3)" "$corpus" "$s1" "$kb" "$line" "$work/dask-bench-single-stories.jsonl" \
    "$work/dask-bench-cluster-stories.jsonl"
fi
if [[ $what == run || $what == all ]]; then
  articles=${RUN_ARTICLES:-100000}
  source bench/stories_corpus.sh
  rm -rf "$work/dask-run-single" "$work/dask-run-cluster"
  read -r s1 kb < <(single run --window 3 -o "$work/dask-run-single" "$corpus")
  line=$(distributed run --dask local:2 --window 3 -o "$work/dask-run-cluster" "$corpus")
  for f in stories.jsonl samestory.db; do
    cmp -s "$work/dask-run-single/$f" "$work/dask-run-cluster/$f" || echo "  $f: DIFFERENT"
  done
  report "run (--window 3; stories.jsonl and samestory.db compared above, report.html here)" "$corpus" "$s1" "$kb" \
    "$line" "$work/dask-run-single/report.html" "$work/dask-run-cluster/report.html"
  python3 - "$work/dask-summary.txt" <<'PY'
import json, sys
steps = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])["step_seconds"]
print("  cluster steps (s): " + ", ".join(f"{k} {v:.1f}" for k, v in steps.items()))
PY
fi
