#!/usr/bin/env bash
# The web pages in a real browser, Debian's chromium through playwright-core (installed from
# package-lock.json by scripts/deps.sh):
#   run.sh report BIN BUILD_DIR   `samestory run` on the example corpus, then report_test.mjs
#   run.sh serve BIN BUILD_DIR    serve_test.mjs, which starts `samestory serve` itself
# Screenshots land in BUILD_DIR/browser-report/ and BUILD_DIR/browser-serve/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
page=$1
bin=$2
out=$3/browser-$page
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
case "$page" in
  report)
    rm -rf "$out"
    "$bin" -q run "$here/../../examples" -o "$out"
    node "$here/report_test.mjs" "$out" "$out/screenshot.png"
    ;;
  serve)
    node "$here/serve_test.mjs" "$bin" "$out"
    ;;
  *)
    echo "usage: run.sh report|serve SAMESTORY_BINARY BUILD_DIR" >&2
    exit 2
    ;;
esac
