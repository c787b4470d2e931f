# Two commands for a fresh clone: `make run` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format setup clean openapi chaos bench test-kombu-latest

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

# The kombu fence and the broker tests against the newest kombu, Celery and py-amqp, in a venv
# of their own: what an upgrade must pass before the pin in pyproject.toml is widened
# (docs/OPERATIONS.md, Upgrading kombu or Celery).
LATEST := $(VENV)/kombu-latest
BROKER_TESTS := tests/unit/test_kombu_fence.py tests/unit/test_ack_frames.py \
	tests/integration/test_broker_faults.py tests/integration/test_batching.py \
	tests/integration/test_publisher.py tests/integration/test_redelivery.py \
	tests/integration/test_rabbitmq.py
test-kombu-latest: $(STAMP)
	test -x $(LATEST)/bin/python || $(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST)/bin/python -m pip install --quiet -e '.[dev]'
	$(LATEST)/bin/python -m pip install --quiet --upgrade kombu celery amqp
	$(LATEST)/bin/python -m pip list 2>/dev/null | grep -iE '^(kombu|celery|amqp) '
	$(LATEST)/bin/pytest -q -p no:randomly $(BROKER_TESTS)

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
# CHAOS_STATE=cluster: the state on a 3-master Redis Cluster (a replica each and a failover
# drill in the full run) started on free ports, instead of one redis-server; CHAOS_ARGS adds
# more (--broker rabbitmq).
CHAOS_STATE ?= redis
CHAOS_ARGS ?=
chaos: $(STAMP)
	$(BIN)/python -m chaos --size $(CHAOS) --state $(CHAOS_STATE) $(CHAOS_ARGS)

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
