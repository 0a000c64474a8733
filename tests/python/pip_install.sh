#!/usr/bin/env bash
# `pip install .` without a network: a fresh virtual environment (seeing Debian's numpy, dask and
# distributed), the in-tree build backend reusing this build folder, then an import from outside
# the repository. Usage: pip_install.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
repo=$(cd "$(dirname "$0")/../.." && pwd)
venv="$build/pip-install-test/venv"
rm -rf "$build/pip-install-test"
/usr/bin/python3 -m venv --system-site-packages "$venv"
SAMESTORY_BUILD_DIR="$build" "$venv/bin/pip" install --no-index --quiet --disable-pip-version-check "$repo"
cd /
"$venv/bin/python" - <<'PY'
import samestory, samestory.dask
assert "pip-install-test" in samestory.__file__, samestory.__file__
sig = samestory.signatures(["a few words to sign here"])
assert sig.shape == (1, 64)
print("installed", samestory.__version__, "at", samestory.__file__)
PY
