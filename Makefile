# Two commands do everything on a fresh machine with Python 3.11:
#   make demo   runs the main job on the built-in default scenario (East Timor 1999)
#   make test   runs the whole test suite
# Each creates .venv and installs what it needs the first time: the exact versions in
# requirements.lock (regenerate it with tools/lock.sh after changing pyproject.toml), then
# endstate itself without resolving again.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or run: make PYTHON=python3 ...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet -e . --no-deps
	touch $(STAMP)

.PHONY: demo test install
install: $(STAMP)

# An earlier results/demo is kept (endstate never replaces a result unasked): `make demo FORCE=1` replaces it.
demo: $(STAMP)
	$(BIN)/endstate demo --out results/demo $(if $(FORCE),--force,)

test: $(STAMP)
	$(BIN)/python -m pytest -n 2
