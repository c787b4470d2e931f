"""`REDIS_URL=redis+sentinel://…` for state, broker and beat, with a real master, replica and
three sentinels started by the test, and a failover: the master SIGKILLed, the replica
promoted, and the app writing on."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from redbeat.schedulers import get_redis

from app import create_app
from app.config import Settings
from app.queue import SENTINEL_TRANSPORT, make_celery
from app.store import Store
from tests.helpers import BASE_MS, wait_for, zepto_bounce
from tests.integration import workers
from tests.integration.sentinel import SentinelSet, sentinel_set

HOOK = {"Authorization": "Bearer zepto-secret"}


@pytest.fixture
def sentinels(tmp_path: Path) -> Iterator[SentinelSet]:
    with sentinel_set(tmp_path) as setup:
        yield setup


def suppress(store: Store, email: str) -> str:
    record = {"email": email, "code": "2001", "category": "hard", "source": "manual"}
    return store.suppress(record, "test", "sentinel drill", BASE_MS)


def written_after_failover(write, timeout: float = 60.0) -> int:
    """Repeat `write()` until it succeeds (the master is being replaced); how many failed."""
    failures, deadline = 0, time.monotonic() + timeout
    while True:
        try:
            write()
            return failures
        except redis.RedisError:
            failures += 1
            assert time.monotonic() < deadline, "no master took writes after the failover"
            time.sleep(0.2)


def test_state_writes_go_on_after_the_master_is_killed(sentinels: SentinelSet) -> None:
    store = Store.from_url(sentinels.url(), "bk")
    suppress(store, "before@example.com")
    assert store.redis.wait(1, 5000) == 1  # on the replica before the kill
    killed = sentinels.kill_master()
    written_after_failover(lambda: suppress(store, "after@example.com"))
    assert sentinels.current_master_port() == sentinels.replica_port != killed
    assert store.suppression("before@example.com") is not None
    assert store.suppression("after@example.com") is not None


def test_webhooks_through_a_sentinel_broker_are_applied_across_a_failover(
    sentinels: SentinelSet,
) -> None:
    settings = Settings(
        redis_url=sentinels.url(0),
        broker_url=sentinels.url(1),
        zeptomail_secret="zepto-secret",
        broker_timeout_seconds=1.0,
        visibility_timeout_seconds=5,
    )
    app = create_app(settings)
    assert app.extensions["celery"].conf.broker_transport == SENTINEL_TRANSPORT
    assert app.extensions["publisher"]._direct  # the project's publish path, not send_task
    client = app.test_client()
    store = Store.from_url(settings.redis_url)

    def post(email: str) -> int:
        payload = zepto_bounce(email, BASE_MS)
        return client.post("/webhooks/zeptomail", json=payload, headers=HOOK).status_code

    worker = workers.start_worker(settings)
    try:
        assert post("one@example.com") == 202
        wait_for(lambda: store.suppression("one@example.com"), timeout=30)
        store.redis.wait(1, 5000)
        sentinels.kill_master()
        statuses = []
        deadline = time.monotonic() + 60
        while not statuses or statuses[-1] != 202:
            statuses.append(post("two@example.com"))
            assert time.monotonic() < deadline, statuses
            time.sleep(0.2)
        assert set(statuses) <= {202, 503}  # refused while no master, never a 500
        wait_for(lambda: store.suppression("two@example.com"), timeout=60)
    finally:
        workers.stop(worker)
    assert store.suppression("one@example.com") is not None


def test_beat_keeps_its_lock_on_the_master_sentinel_names(sentinels: SentinelSet) -> None:
    celery = make_celery(Settings(redis_url=sentinels.url(0)))
    beat_redis = get_redis(celery)
    beat_redis.set("bk:redbeat:probe", "1")
    master = redis.Redis(port=sentinels.current_master_port())
    assert master.get("bk:redbeat:probe") == b"1"
