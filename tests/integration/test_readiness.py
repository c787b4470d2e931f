"""`/readyz` says not ready for each fault that stops bouncekeeper doing its job, and names it
(issue #15): a state Redis that answers PING but refuses writes, a stale or missing worker
heartbeat, a clock skewed from the state Redis's, an unreachable broker. `/healthz` stays up."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from app import create_app
from app.queue import HEARTBEAT_TASK
from app.store import Store
from tests.conftest import free_port
from tests.helpers import wait_for

MINUTE_MS = 60_000


def now_ms() -> int:
    return int(time.time() * 1000)


@pytest.fixture
def private_settings(settings, private_redis):
    return replace(settings, redis_url=f"{private_redis}/0")


def ready(settings, **changes):
    app = create_app(replace(settings, **changes))
    response = app.test_client().get("/readyz")
    return response.status_code, response.get_json()


@pytest.mark.parametrize(
    ("fault", "why"),
    [
        (lambda r: r.config_set("maxmemory", 1), "refuses writes: out of memory"),
        (lambda r: r.replicaof("127.0.0.1", free_port()), "refuses writes: it is a read-only"),
    ],
)
def test_a_state_redis_refusing_writes_is_not_ready(private_settings, fault, why):
    store = Store.from_url(private_settings.redis_url)
    store.record_heartbeat(now_ms())
    assert store.ping()
    fault(store.redis)
    assert store.ping()  # PING alone would still say ready
    status, body = ready(private_settings)
    assert (status, body["status"]) == (503, "not ready")
    assert body["checks"]["redis"].startswith(why)
    client = create_app(private_settings).test_client()
    assert client.get("/healthz").status_code == 200


def test_a_stale_heartbeat_is_not_ready(settings, state):
    store = Store.from_url(settings.redis_url)
    # what a heartbeat written ten minutes ago left: both clocks ten minutes back
    state.set(store.heartbeat_key, now_ms() - 10 * MINUTE_MS)
    state.set(store.heartbeat_server_key, now_ms() - 10 * MINUTE_MS)
    status, body = ready(settings)
    assert status == 503
    assert body["checks"]["heartbeat"].startswith("stale: the last heartbeat is 6")
    assert body["heartbeat_age_s"] >= 600
    assert ready(settings, heartbeat_max_age_seconds=3600)[0] == 200


def test_no_heartbeat_is_ready_while_the_deployment_starts_then_not(settings, state):
    app = create_app(settings)
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"]["heartbeat"].startswith("ok: no heartbeat yet")
    assert response.get_json()["heartbeat_age_s"] is None
    app.extensions["started_at"] -= settings.heartbeat_max_age_seconds + 1  # up long since
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["heartbeat"].startswith("no heartbeat recorded")


def test_a_worker_clock_ahead_of_redis_is_not_ready(settings, state):
    Store.from_url(settings.redis_url).record_heartbeat(now_ms() + 10 * MINUTE_MS)
    status, body = ready(settings)
    assert status == 503
    assert body["checks"]["clock"].startswith("skewed from the state Redis's clock: worker +6")
    assert body["clock_skew_s"]["worker"] >= 599
    assert abs(body["clock_skew_s"]["web"]) < settings.max_clock_skew_seconds
    assert body["checks"]["heartbeat"] == "ok"  # its age is read on Redis's clock alone
    assert ready(settings, max_clock_skew_seconds=3600.0)[0] == 200


def test_an_unreachable_broker_is_not_ready(settings, state):
    Store.from_url(settings.redis_url).record_heartbeat(now_ms())
    status, body = ready(settings, broker_url=f"redis://127.0.0.1:{free_port()}/0")
    assert status == 503
    assert body["checks"]["broker"].startswith("unreachable")
    assert body["checks"]["redis"] == "ok"


@pytest.mark.usefixtures("worker")
def test_the_workers_heartbeat_makes_it_ready(settings, state, celery_app):
    celery_app.send_task(HEARTBEAT_TASK)
    store = Store.from_url(settings.redis_url)
    wait_for(lambda: state.get(store.heartbeat_server_key))
    status, body = ready(settings)
    assert (status, body["checks"]["heartbeat"], body["checks"]["clock"]) == (200, "ok", "ok")
    assert abs(body["clock_skew_s"]["worker"]) < settings.max_clock_skew_seconds
