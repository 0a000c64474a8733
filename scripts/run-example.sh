#!/usr/bin/env bash
# Builds samestory and runs the main job on the bundled example corpus. Until `samestory run`
# exists, that is: the corpus profile, its duplicate groups, and the passages two of its articles
# share. Outputs go to out/example/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
bin="${BUILD_DIR:-build}/samestory"
mkdir -p out/example
"$bin" stats examples/
"$bin" clean examples/ --explain -o out/example/cleaned.jsonl
"$bin" dedup examples/ --report out/example/dups.jsonl -o out/example/kept.jsonl
"$bin" compare examples/articles.jsonl#mp-2025-0303-bridge examples/articles.jsonl#lantern-1041 \
  --html out/example/compare.html
echo "wrote out/example/cleaned.jsonl, out/example/dups.jsonl, out/example/kept.jsonl, out/example/compare.html" >&2
