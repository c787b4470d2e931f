from __future__ import annotations

from collections.abc import Iterator

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.config import Settings
from app.queue import make_celery

pytestmark = pytest.mark.integration


@pytest.fixture
def app(settings: Settings, state) -> Flask:
    return create_app(settings)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def celery_app(redis_server: str) -> Celery:
    import tasks.heartbeat
    import tasks.ingest  # noqa: F401 - registers the tasks on every app

    settings = Settings(redis_url=f"{redis_server}/0", broker_url=f"{redis_server}/1")
    return make_celery(settings)


@pytest.fixture(scope="session")
def worker(celery_app: Celery) -> Iterator[None]:
    """A real Celery worker consuming from the real Redis broker, for the whole session."""
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="INFO"
    ):
        yield


@pytest.fixture
def untouched(state, broker):
    """Asserts after the test that neither the state nor the broker queue changed: a refused
    request must leave no trace. Pair it with a broker database no worker consumes."""
    queued_before = broker.llen("celery")
    yield
    assert state.dbsize() == 0
    assert broker.llen("celery") == queued_before
