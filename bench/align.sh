#!/usr/bin/env bash
# Alignment speed on one core (bench/align_pairs.cc): edited re-runs and unrelated pairs of 3-5 KB
# articles from Giveme5W1H and Reuters in ../shared/data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
shared=${SAMESTORY_SHARED_DIR:-../shared}
taskset -c 0 build/bench/align_pairs "$shared/data/giveme5w1h-news-cluster-dev" "$shared/data/reuters21578"
