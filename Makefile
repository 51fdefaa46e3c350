# The two commands a new user types: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.detente-installed

.PHONY: demo test test-fast lint typecheck bench serve clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[web,dask,dev]'
	@touch $(STAMP)

DB ?= detente.duckdb

# Codes the sample pages (events with evidence), stores them in the embedded DuckDB store
# (a re-run stores nothing twice) and prints the escalation summary.
demo: $(STAMP)
	$(BIN)/detente code examples/
	$(BIN)/detente ingest examples/ --db $(DB)
	$(BIN)/detente summary --db $(DB)

HOST ?= 127.0.0.1
PORT ?= 8000

# The dashboard and the REST API over the store `make demo` filled (read-only unless DETENTE_TOKEN is set).
serve: $(STAMP)
	$(BIN)/detente serve --db $(DB) --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts

typecheck: $(STAMP)
	$(BIN)/mypy src

test: lint typecheck
	$(BIN)/pytest -q

test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not slow and not browser"

# Throughput of detente's coding against bare spaCy, 1 against 2 batch workers, memory at 2,000
# and 20,000 documents (a measurement, not a test; a few minutes). Last line:
# ratio=<r> speedup2=<s> rss_growth=<g>
bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
