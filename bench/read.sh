#!/usr/bin/env bash
# Read + normalise + tokenise throughput on one core, beside `wc -w` on the same files in the
# same run. Corpora: Reuters-21578 as JSON Lines (~21 MB) and a ~1 GB corpus made from it.
# Target: samestory >= 60% of wc -w's byte rate.
#
# Usage: bench/read.sh [BUILD_DIR]   (default build; the corpora go to $BENCH_DIR or /tmp)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
work=${BENCH_DIR:-/tmp/samestory-bench}
shared=${SAMESTORY_SHARED:-../shared}
mkdir -p "$work"
bash scripts/build.sh >/dev/null

reuters="$work/reuters.jsonl"
big="$work/reuters-1g.jsonl"
[[ -s "$reuters" ]] || "$build/samestory" read -q "$shared/data/reuters21578" -o "$reuters"
if [[ ! -s "$big" ]]; then
  echo "making a ~1 GB corpus from Reuters-21578 (copies with distinct ids) ..." >&2
  python3 - "$reuters" "$big" <<'PY'
import sys
src, dst = sys.argv[1], sys.argv[2]
lines = open(src, encoding="utf-8").read().splitlines()
size = sum(len(l.encode()) + 1 for l in lines)
copies = max(1, (1 << 30) // size)
with open(dst, "w", encoding="utf-8") as out:
    for k in range(copies):
        prefix = '{"id":"c%d-' % k
        out.write("\n".join(l.replace('{"id":"', prefix, 1) for l in lines))
        out.write("\n")
PY
fi

# Best of three runs, after a warm-up read so both tools read from the page cache.
best_seconds() {
  local best=""
  for _ in 1 2 3; do
    local s e t
    s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l)
    if [[ -z "$best" ]] || (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
  done
  echo "$best"
}

printf '%-22s %12s %10s %10s %10s %8s\n' corpus bytes "wc -w s" "ours s" "ours MB/s" ratio
for f in "$reuters" "$big"; do
  cat "$f" >/dev/null
  bytes=$(stat -c %s "$f")
  wc_s=$(LC_ALL=C.UTF-8 best_seconds wc -w "$f")
  ours_s=$(best_seconds "$build/bench/read_throughput" "$f")
  wc_rate=$(echo "$bytes / $wc_s / 1000000" | bc -l)
  our_rate=$(echo "$bytes / $ours_s / 1000000" | bc -l)
  ratio=$(echo "$our_rate / $wc_rate" | bc -l)
  printf '%-22s %12d %10.3f %10.3f %10.1f %8.2f   (wc -w %.1f MB/s; target ratio >= 0.60)\n' \
    "$(basename "$f")" "$bytes" "$wc_s" "$ours_s" "$our_rate" "$ratio" "$wc_rate"
done
