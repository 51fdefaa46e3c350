# The two commands a new user types: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.detente-installed

.PHONY: demo test test-fast lint typecheck bench serve clean

LOCK   := requirements.lock

.PHONY: lock

# Every dependency (web, dask and dev extras, and the build backend) comes from the lock file,
# each pinned and checked against its sha256; then detente itself, editable, with nothing more.
$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	@touch $(STAMP)

# Rewrites requirements.lock from pyproject.toml, keeping the versions already locked unless
# UPGRADE=--upgrade is given (then run make test). uv is installed into .venv for it when missing.
# The lock is for Python 3.11 on x86_64 Linux.
UPGRADE ?=
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml requirements-build.in --extra web --extra dask --extra dev --generate-hashes \
	    --python-version 3.11 --python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" \
	    $(UPGRADE) -o $(LOCK)

DB ?= detente.duckdb

# Codes the sample pages (events with evidence), stores them in the embedded DuckDB store
# (a re-run stores nothing twice) and prints the escalation summary. --published dates the one
# page that carries no date of its own (examples/real/biden_russia_deescalation.txt).
demo: $(STAMP)
	$(BIN)/detente code examples/ --published 2021-04-15
	$(BIN)/detente ingest examples/ --db $(DB) --published 2021-04-15
	$(BIN)/detente summary --db $(DB)

HOST ?= 127.0.0.1
PORT ?= 8000

# The dashboard and the REST API over the store `make demo` filled (read-only unless DETENTE_TOKEN is set).
serve: $(STAMP)
	$(BIN)/detente serve --db $(DB) --host $(HOST) --port $(PORT)

# ruff, then the import layers of pyproject.toml ([tool.importlinter]) with lint-imports.
lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy src

# The tests run in JOBS pytest-xdist worker processes (JOBS=0: in this process). --dist loadscope
# keeps a module's tests (and a class's) in one worker, so a module-scoped fixture is made once.
JOBS ?= 2
PYTEST := $(BIN)/pytest -q -n $(JOBS) --dist loadscope --no-loadscope-reorder

test: lint typecheck
	$(PYTEST)

test-fast: $(STAMP)
	$(PYTEST) -m "not slow and not browser"

# Throughput of detente's coding against bare spaCy (articles/s and tokens/s), 1 against 2 batch
# workers, memory at 200 and 2,000 news articles of real length (VOA stories; a measurement, not a
# test; about fifteen minutes). Last line:
# ratio=<r> speedup2=<s> rss_growth=<g>
bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
