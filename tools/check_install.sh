#!/usr/bin/env bash
# Does `pip install endstate` resolve in environments that already hold other recent numpy/pandas versions?
# For each pair below: a fresh venv, then `pip install --dry-run . numpy==A pandas==B` (resolution only).
# With --run, the first pair is really installed and a small simulation and comparison are run on it.
# Needs network access to PyPI; takes a minute or two (more with --run). Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
PAIRS=("numpy==2.2.* pandas==2.2.*" "numpy==1.26.* pandas==2.2.*" "numpy==2.3.* pandas==2.3.*")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PYTHON" -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --upgrade pip
status=0
for pair in "${PAIRS[@]}"; do
    # shellcheck disable=SC2086
    if "$tmp/venv/bin/pip" install --quiet --dry-run . $pair >"$tmp/log" 2>&1; then
        echo "resolves: endstate with $pair"
    else
        echo "FAILS:    endstate with $pair"; tail -5 "$tmp/log"; status=1
    fi
done
if [ "${1:-}" = "--run" ]; then
    # shellcheck disable=SC2086
    "$tmp/venv/bin/pip" install --quiet . ${PAIRS[0]}
    "$tmp/venv/bin/python" - <<'PY'
import numpy, pandas, endstate
from importlib import resources
spec = endstate.load_spec(resources.files("endstate.scenarios") / "east_timor_1999_lead_state.yaml")
cmp = endstate.compare(endstate.strategy_specs(spec), runs=200, seed=1, series_runs=20)
print(f"numpy {numpy.__version__}, pandas {pandas.__version__}: compare ran; {cmp.bottom_line[:90]}...")
PY
fi
exit $status
