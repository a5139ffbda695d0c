# Two entry points: `make run` serves the shipped data, `make test` runs the
# whole suite. Both build the virtualenv from scratch when it is missing, so a
# fresh clone needs only Python >= 3.11 and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# `make run` serves an on-disk store under the project (git-ignored): the first
# run imports the shipped data into it (validated), later runs open it in seconds.
STORE  ?= .store

.PHONY: run test lint venv system-deps bench clean replicas

$(BIN)/stackatlas: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

venv: $(BIN)/stackatlas

run: venv
	$(BIN)/stackatlas serve --host $(HOST) --port $(PORT) --store $(STORE)

# An Oxigraph server and three stateless replicas over it on loopback (ports 7878, 8001-8003);
# see docs/deployment.md.
replicas: venv
	bash deploy/replicas.sh

# Debian's graphviz and chromium and the npm Mermaid parser are what the export
# and browser tests check against; install them when they are missing.
system-deps:
	@bash tests/setup_system_deps.sh

# Lint, format, types: the same checks CI runs before the tests.
lint: venv
	$(BIN)/ruff check service tests bench
	$(BIN)/ruff format --check service tests bench
	$(BIN)/mypy

# CI runs this (.ci/run): lint first, so an unformatted or ill-typed change fails as surely as a test.
test: lint system-deps
	$(BIN)/python -m pytest

# Every benchmark, one after the other (each writes its own section of
# docs/benchmarks.md). Takes well over an hour at 10k vendors on 2 cores.
bench: venv
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/bench_load_validate.py --sizes 1000 10000 --seed 42 --budget 600
	$(BIN)/python bench/bench_validation_design.py --sizes 100 1000 --seed 42 --budget 600
	$(BIN)/python bench/bench_graphql.py --vendors 10000 --seed 42 --requests 2000 --concurrency 8 --rounds 3 --runs 500 --write-doc
	$(BIN)/python bench/bench_sparql.py --sizes 1000 10000
	$(BIN)/python bench/bench_exports.py --sizes 100 1000 --seed 42 --budget 300
	$(BIN)/python bench/bench_read_path.py --vendors 10000 --seed 42 --requests 300 --sparql-requests 2000 --concurrency 4
	$(BIN)/python bench/bench_attack.py --phase 20
	$(BIN)/python bench/bench_ingest.py --pages 1000 --seed 42 --budget 600
	$(BIN)/python bench/bench_workbench.py --vendors 10000 --seed 42 --requests 100

clean:
	rm -rf $(VENV) build dist .pytest_cache
