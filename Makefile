# Two commands for a fresh clone: `make run` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format setup clean openapi chaos bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/bouncekeeper run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

# Regenerate the committed OpenAPI spec after changing the API; a test fails until you do.
openapi: $(STAMP)
	$(BIN)/python -m app.web.api docs/openapi.json

# Every benchmark at its issue's size, figures written into bench/RESULTS.md (BENCH=--quick
# for small sizes).
bench: $(STAMP)
	command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null
	$(BIN)/python -m bench $(BENCH)

# The chaos run of issue #8 (chaos/run.py): CHAOS=short (under a minute, run by .ci/run) or full.
CHAOS ?= full
chaos: $(STAMP)
	$(BIN)/python -m chaos --size $(CHAOS)

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
