# One-command set-up. `make run` starts the web app; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install dev test lint bench mutate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,speech,llm,postgres]'

run: install
	$(BIN)/loopready serve --host $(HOST) --port $(PORT) --open

test: dev
	$(BIN)/python -m pytest

lint: dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: dev
	$(BIN)/python benchmarks/grading.py

# Mutation testing (docs/testing.md): slow, so not part of `make test` or .ci/run.
# One module: make mutate MUTATE=loopready.offers.compute
MUTATE ?= loopready.grading.blindspots loopready.language.claims loopready.offers.compute \
	loopready.planning.calendar loopready.grading.signals
MUTATE_JOBS ?= 2

mutate: dev
	rm -rf mutants
	for module in $(MUTATE); do \
		$(BIN)/mutmut run --max-children $(MUTATE_JOBS) "$$module*" || exit 1; \
	done
	$(BIN)/mutmut results | grep -v "not checked" || true
	$(BIN)/python tests/mutation/thresholds.py

clean:
	rm -rf mutants $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
