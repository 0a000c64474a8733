#!/usr/bin/env bash
# samestory extract against readability-lxml (Debian's python3-readability) on the 181 pages of the
# article-extraction benchmark, in the same run: both rates in MB of HTML a second on one core,
# their ratio (target: samestory >= 10x) and both F1 scores by samestory's scorer (target: >= 0.96;
# trafilatura 2.0.0 publishes 0.958). Then a 50 MB page, for peak memory against page size.
#
# samestory is timed as a whole process (start-up, reading, charset, parse, extraction, JSON
# output), best of five; readability only inside its calls, so the comparison favours readability.
#
# Usage: bench/extract.sh [BUILD_DIR]   (files go to $BENCH_DIR, default /tmp/samestory-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
work=${BENCH_DIR:-/tmp/samestory-bench}
shared=${SAMESTORY_SHARED:-../shared}
bench_data="$shared/data/article-extraction-benchmark"
bash scripts/build.sh >/dev/null
pages="$work/aeb-html"
if [[ ! -d "$pages" ]]; then
  mkdir -p "$pages.tmp"
  for f in "$bench_data"/html/*.html.gz; do
    name=$(basename "$f" .gz)
    gzip -dc "$f" >"$pages.tmp/$name"
  done
  mv "$pages.tmp" "$pages"
fi
bytes=$(cat "$pages"/*.html | wc -c)
count=$(ls "$pages" | wc -l)
cat "$pages"/*.html >/dev/null

best=""
for _ in 1 2 3 4 5; do
  /usr/bin/time -f "%e" -o "$work/time.txt" "$build/samestory" -q -j1 extract -o "$work/aeb-samestory.jsonl" "$pages"
  s=$(cat "$work/time.txt")
  if [[ -z "$best" ]] || (( $(echo "$s < $best" | bc -l) )); then best=$s; fi
done
read -r _ readability_s < <(/usr/bin/python3 bench/readability_baseline.py "$pages" "$work/aeb-readability.jsonl")

score() { "$build/samestory" -q --json extract --worst 0 --score "$bench_data/ground-truth.json" "$1" |
  /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); print("%.4f %.4f %.4f" % (r["precision"], r["recall"], r["f1"]))'; }
read -r sp sr sf < <(score "$pages")
read -r rp rr rf < <(score "$work/aeb-readability.jsonl")

mbs() { echo "$bytes / $1 / 1000000" | bc -l; }
printf 'pages: %d, %.1f MB of HTML\n' "$count" "$(echo "$bytes / 1000000" | bc -l)"
printf '%-28s %8s %8s %10s %10s %8s\n' extractor seconds "MB/s" precision recall F1
printf '%-28s %8.2f %8.1f %10s %10s %8s\n' "samestory extract (1 core)" "$best" "$(mbs "$best")" "$sp" "$sr" "$sf"
printf '%-28s %8.2f %8.1f %10s %10s %8s\n' "readability-lxml" "$readability_s" "$(mbs "$readability_s")" "$rp" "$rr" "$rf"
echo
printf 'samestory vs readability-lxml:  %.1fx faster   (target >= 10x)\n' "$(echo "$readability_s / $best" | bc -l)"
printf 'samestory F1:                    %s          (target >= 0.96; trafilatura 2.0.0 publishes 0.958)\n' "$sf"

# A 50 MB page: nested markup and paragraphs, read with the limit raised past it.
big="$work/page-50mb.html"
if [[ ! -s "$big" ]]; then
  /usr/bin/python3 - "$big" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("<html><head><title>A very large page</title></head><body>")
    size, i = 0, 0
    while size < 50_000_000:
        chunk = ("<div class='block'><div><p>Paragraph %d of a very large page, with commas, and words to "
                 "make it long enough to count as article text.</p><a href='/x'>a link</a></div></div>\n" % i)
        f.write(chunk)
        size += len(chunk)
        i += 1
    f.write("</body></html>")
PY
fi
big_bytes=$(stat -c %s "$big")
/usr/bin/time -f "%e %M" -o "$work/time.txt" "$build/samestory" -q extract --max-doc-bytes 100000000 -o /dev/null "$big"
read -r big_s big_kb <"$work/time.txt"
printf '\n50 MB page (%.1f MB): %.2f s, peak RSS %.0f MB (%.1fx the page)\n' "$(echo "$big_bytes / 1000000" | bc -l)" \
  "$big_s" "$(echo "$big_kb / 1000" | bc -l)" "$(echo "$big_kb * 1000 / $big_bytes" | bc -l)"
