#!/usr/bin/env bash
# Regenerate requirements.lock: the exact versions `make` and CI install, resolved from pyproject.toml's
# compatible ranges (dependencies and the test extra) for Python 3.11 on Linux.
# Run after changing pyproject.toml's dependencies:  bash tools/lock.sh
# Needs network access to PyPI; uses uv (from PyPI) in a throw-away venv.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PYTHON" -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet "uv>=0.5,<1"
"$tmp/venv/bin/uv" pip compile pyproject.toml --extra test \
    --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
    --no-header --annotation-style line --quiet -o requirements.lock.new
{
    echo "# requirements.lock: exact versions for make and CI, from pyproject.toml (dependencies + [test])."
    echo "# Regenerate with: bash tools/lock.sh   (do not edit by hand)"
    cat requirements.lock.new
} > requirements.lock
rm requirements.lock.new
echo "wrote requirements.lock ($(grep -c '==' requirements.lock) packages)"
