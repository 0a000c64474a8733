#!/usr/bin/env bash
# The report in a real browser: `samestory run` on the example corpus, then report_test.mjs in
# Debian's chromium through playwright-core (installed from package-lock.json by scripts/deps.sh).
# Usage: run.sh SAMESTORY_BINARY BUILD_DIR   (the screenshot lands in BUILD_DIR/browser-report/)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$1
out=$2/browser-report
if [[ ! -d "$here/node_modules/playwright-core" ]]; then
  echo "playwright-core is not installed: run scripts/deps.sh" >&2
  exit 1
fi
rm -rf "$out"
"$bin" -q run "$here/../../examples" -o "$out"
node "$here/report_test.mjs" "$out" "$out/screenshot.png"
