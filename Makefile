# Two entry points: `make run` serves the shipped data, `make test` runs the
# whole suite. Both build the virtualenv from scratch when it is missing, so a
# fresh clone needs only Python >= 3.11 and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint venv system-deps bench clean

$(BIN)/stackatlas: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

venv: $(BIN)/stackatlas

run: venv
	$(BIN)/stackatlas serve --host $(HOST) --port $(PORT)

# Debian's graphviz and chromium and the npm Mermaid parser are what the export
# and browser tests check against; install them when they are missing.
system-deps:
	@bash tests/setup_system_deps.sh

test: venv system-deps
	$(BIN)/ruff check service tests bench
	$(BIN)/python -m pytest

bench: venv
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
