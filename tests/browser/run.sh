#!/usr/bin/env bash
# The report in a real browser: `samestory run` on the example corpus, then report_test.mjs in
# Debian's chromium through playwright-core (installed from package-lock.json by scripts/deps.sh).
# Usage: run.sh SAMESTORY_BINARY BUILD_DIR   (the screenshot lands in BUILD_DIR/browser-report/)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$1
out=$2/browser-report
# playwright-core 1.64 (the one tested with chromium 156) needs Node.js 20; Debian 12 ships 18.
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if ((major < 20)); then
  echo "SKIPPED: the browser test needs Node.js >= 20 (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 77
fi
if [[ ! -d "$here/node_modules/playwright-core" ]]; then
  echo "playwright-core is not installed: run scripts/deps.sh" >&2
  exit 1
fi
rm -rf "$out"
"$bin" -q run "$here/../../examples" -o "$out"
node "$here/report_test.mjs" "$out" "$out/screenshot.png"
