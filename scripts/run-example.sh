#!/usr/bin/env bash
# Builds samestory and runs the main job on the bundled example corpus: out/example/stories.jsonl,
# out/example/samestory.db and out/example/report.html (open it in a browser).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
bin="${BUILD_DIR:-build}/samestory"
"$bin" run examples/ -o out/example
