#!/usr/bin/env bash
# samestory cluster at scale: ~1M articles generated from the Reuters-21578 and Giveme5W1H texts,
# stories re-run by several outlets across 2024 (bench/gen_stories.py).
#
# Prints, in one run: batch articles/s on 1 and 2 threads (target: >= 20,000/s on 2 cores) and
# their ratio, peak memory per article (target: <= 2 KB plus the text kept: ids, outlets and
# titles for the output), the stream's per-article time p50/p99 (target: p99 <= 5 ms), and `wc -w`
# over the same file as a measure of how fast the shared machine runs that day.
#
# Usage: bench/cluster_scale.sh [ARTICLES] [BUILD_DIR]   (default 1000000; files in $BENCH_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-1000000}
build=${2:-build}
work=${BENCH_DIR:-/tmp/samestory-bench}
shared=${SAMESTORY_SHARED:-../shared}
mkdir -p "$work"
source bench/stories_corpus.sh
printf 'corpus: %s, %d articles, %.0f MB (mean %.0f bytes an article)\n' "$(basename "$corpus")" "$articles" \
  "$(echo "$bytes / 1000000" | bc -l)" "$(echo "$bytes / $articles" | bc -l)"

# How fast this shared machine is today: `wc -w` over the same file, one thread, best of three.
wc_seconds() { /usr/bin/time -f "%e" -o "$work/time.txt" wc -w "$corpus" >/dev/null 2>&1; cat "$work/time.txt"; }
wc_s=$(printf '%s\n' "$(wc_seconds)" "$(wc_seconds)" "$(wc_seconds)" | sort -g | head -1)
read_only=$(measure -j2 read -o /dev/null "$corpus")
one=$(measure -j1 cluster -o "$work/stories-1.jsonl" "$corpus")
two=$(measure -j2 cluster -o "$work/stories-2.jsonl" "$corpus")
stream=$(measure -j2 cluster --stream -o "$work/stories-s.jsonl" "$corpus")
cmp -s "$work/stories-1.jsonl" "$work/stories-2.jsonl" && same=yes || same=NO

/usr/bin/python3 - "$articles" "$read_only" "$one" "$two" "$stream" "$same" "$wc_s" "$bytes" <<'PY'
import json, sys
n = int(sys.argv[1])
def parse(s):
    t, kb, js = s.split(" ", 2)
    return float(t), int(kb), json.loads(js)
r, one, two, st = (parse(sys.argv[i]) for i in range(2, 6))
print("%-34s %9s %12s %10s %14s" % ("run", "seconds", "articles/s", "peak MB", "bytes/article"))
for name, (t, kb, _) in (("read only, 2 threads", r), ("cluster batch, 1 thread", one),
                         ("cluster batch, 2 threads", two), ("cluster --stream, 2 threads", st)):
    print("%-34s %9.2f %12.0f %10.0f %14.0f" % (name, t, n / t, kb / 1024, kb * 1024 / n))
wc_s, size = float(sys.argv[7]), int(sys.argv[8])
print("machine today: wc -w %.0f MB/s on this file (best of three); batch 2 threads takes %.1fx wc -w's time"
      % (size / wc_s / 1e6, two[0] / wc_s))
print("batch 2 threads / 1 thread speed-up: %.2fx; output identical: %s" % (one[0] / two[0], sys.argv[6]))
print("batch: %d stories (largest %d); target >= 20,000 articles/s on 2 cores: %s" % (
    two[2]["cluster"]["stories"], two[2]["cluster"]["largest"], "met" if n / two[0] >= 20000 else "NOT met"))
print("memory: %.0f bytes an article at peak (target <= 2,048 plus kept text): %s" % (
    two[1] * 1024 / n, "met" if two[1] * 1024 / n <= 2048 else "NOT met"))
c = st[2]["cluster"]
print("stream: per-article time p50 %.0f us, p99 %.0f us, max %.0f us (target p99 <= 5,000 us: %s); "
      "%d live articles at most" % (c["latency_p50_us"], c["latency_p99_us"], c["latency_max_us"],
                                    "met" if c["latency_p99_us"] <= 5000 else "NOT met", c["peak_live_articles"]))
PY
