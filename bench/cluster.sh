#!/usr/bin/env bash
# samestory cluster: quality on labelled sets beside scikit-learn, in the same run.
#
# Giveme5W1H dev (247 articles, 45 events) and the UCI headlines (titles only, 87 stories):
# samestory batch and --stream (input in date order) with default settings, and the
# scikit-learn baseline (TF-IDF + average linkage, its threshold chosen on the same labels;
# bench/sklearn_baseline.py). Prints ARI, AMI, B-cubed P/R/F1, story counts and seconds.
# Speed and memory at scale: bench/cluster_scale.sh.
#
# Usage: bench/cluster.sh [BUILD_DIR]   (files go to $BENCH_DIR, default /tmp/samestory-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
work=${BENCH_DIR:-/tmp/samestory-bench}
shared=${SAMESTORY_SHARED:-../shared}
mkdir -p "$work"
bash scripts/build.sh >/dev/null
bin="$build/samestory"

# Stream input must be in date order; `samestory read` keeps input order, so sort by date.
by_date() { /usr/bin/python3 -c '
import json, sys
rows = [(json.loads(l).get("date") or "9999", i, l) for i, l in enumerate(sys.stdin)]
sys.stdout.write("".join(l for _, _, l in sorted(rows)))'; }
"$bin" -q read -o "$work/giveme.jsonl" "$shared/data/giveme5w1h-news-cluster-dev"
"$bin" -q read -o "$work/uci.jsonl" "$shared/data/uci-news-aggregator-head" 2>/dev/null || true
by_date <"$work/giveme.jsonl" >"$work/giveme-by-date.jsonl"
by_date <"$work/uci.jsonl" >"$work/uci-by-date.jsonl"

printf '%-10s %-40s %7s %7s %7s %7s %7s %8s %8s\n' set method ARI AMI "B3 P" "B3 R" "B3 F1" stories seconds
score() {  # set, method, gold, predictions, seconds
  "$bin" --json eval --gold "$3" --pred "$4" 2>/dev/null | /usr/bin/python3 -c '
import json, sys
e = json.load(sys.stdin)["eval"]
ami = "-" if e["ami"] is None else "%.3f" % e["ami"]
print("%-10s %-40s %7.3f %7s %7.3f %7.3f %7.3f %8d %8s" % (sys.argv[1], sys.argv[2], e["ari"], ami,
      e["bcubed_precision"], e["bcubed_recall"], e["bcubed_f1"], e["predicted_stories"], sys.argv[3]))' "$1" "$2" "$5"
}
run_samestory() {  # set, input, extra flags...
  local set=$1 input=$2
  shift 2
  local mode=batch
  [[ " $* " == *" --stream "* ]] && mode="stream (date order)"
  local t
  t=$("$bin" --json cluster "$@" -o "$work/pred.jsonl" "$input" 2>&1 >/dev/null | tail -1 |
    /usr/bin/python3 -c 'import json,sys; print("%.2f" % json.load(sys.stdin)["seconds"])')
  score "$set" "samestory $mode" "$input" "$work/pred.jsonl" "$t"
}
for set in giveme uci; do
  run_samestory "$set" "$work/$set.jsonl"
  run_samestory "$set" "$work/$set-by-date.jsonl" --stream
  /usr/bin/python3 bench/sklearn_baseline.py "$work/$set.jsonl" | /usr/bin/python3 -c '
import json, sys
for line in sys.stdin:
    b = json.loads(line)
    name = "sklearn %s (t=%.2f tuned on labels)" % (b["baseline"].replace("tfidf-", ""), b["threshold"])
    print("%-10s %-40s %7.3f %7s %7.3f %7.3f %7.3f %8d %8.2f" % (sys.argv[1], name[:40], b["ari"], "-",
          b["bcubed_precision"], b["bcubed_recall"], b["bcubed_f1"], b["stories"], b["seconds"]))' "$set"
done
