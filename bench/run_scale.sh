#!/usr/bin/env bash
# samestory run (the main job) at scale: 100,000 generated articles (bench/gen_stories.py: stories
# re-run by several outlets across 2024, from the Reuters-21578 and Giveme5W1H texts).
#
# Prints, in one run: the time of `run` on 2 threads and of each stage, peak memory against the
# 4 GB target (and per article), the corpus's read-only time beside it (the floor), what the
# outputs hold, and how long report.html takes to open in chromium. Usage: bench/run_scale.sh [ARTICLES] [BUILD_DIR]   (files in $BENCH_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-100000}
build=${2:-build}
work=${BENCH_DIR:-/tmp/samestory-bench}
shared=${SAMESTORY_SHARED:-../shared}
mkdir -p "$work"
source bench/stories_corpus.sh
printf 'corpus: %s, %d articles, %.0f MB\n' "$(basename "$corpus")" "$articles" "$(echo "$bytes / 1000000" | bc -l)"

read_only=$(measure -j2 read -o /dev/null "$corpus")
rm -rf "$work/run-out"
main=$(measure -j2 run -o "$work/run-out" "$corpus")
/usr/bin/python3 - "$articles" "$read_only" "$main" "$work/run-out" <<'PY'
import json, os, sys
articles = int(sys.argv[1])
def parse(s):
    t, kb, js = s.split(" ", 2)
    return float(t), int(kb), json.loads(js)
rt, rkb, _ = parse(sys.argv[2])
t, kb, j = parse(sys.argv[3])
r, sec = j["run"], j["run"]["seconds"]
print("run, 2 threads: %.1f s (%.0f articles/s); read alone %.1f s" % (t, articles / t, rt))
print("  stages: read %.1f, clean %.1f, dedup %.1f, cluster %.1f, digest %.1f, write %.1f s" %
      (sec["read"], sec["clean"], sec["dedup"], sec["cluster"], sec["digest"], sec["write"]))
print("peak RSS %.2f GB = %.0f%% of the 4 GB target (%.0f bytes an article; read alone %.2f GB)" %
      (kb / 1e6, 100 * kb / 4e6, kb * 1000 / articles, rkb / 1e6))
print("stories %d (%d with several articles, largest %d); %d duplicate groups; %d quotes; %d boilerplate spans" %
      (r["stories"], r["stories_with_several_articles"], r["largest_story"], r["duplicate_groups"], r["quotes"],
       r["boilerplate_spans_removed"]))
out = sys.argv[4]
for f in ("stories.jsonl", "samestory.db", "report.html"):
    print("  %-14s %7.0f MB" % (f, os.path.getsize(os.path.join(out, f)) / 1e6))
print("target: peak RSS <= 4 GB on 2 cores: %s" % ("met" if kb <= 4e6 else "NOT met"))
PY
if [[ -d tests/browser/node_modules/playwright-core ]]; then
  node bench/report_load.mjs "$work/run-out/report.html"
fi
