#!/usr/bin/env bash
# Builds samestory and runs the main job on the bundled example corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
"${BUILD_DIR:-build}/samestory" stats examples/
