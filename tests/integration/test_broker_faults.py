"""The broker's lists under faults other programs and dead hosts leave behind, with a real
Celery worker (its own process) on a redis-server of the test's own.

Poison: anything on the queue list that is not a task message (not JSON, `{}`, a truncated
write) used to be parsed before it was recorded, so it stayed in the in-flight list and came
back at every consumer start: the worker crashed (non-JSON) or restarted (`{}`) for ever while
the web kept answering 202.

Dead hosts: a message taken into `<queue>.inflight` by a consumer that died before recording
it was put back only when some consumer started; a running worker now reclaims it.
"""

from __future__ import annotations

import base64
import json
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
import redis
from prometheus_client.parser import text_string_to_metric_families

from app import create_app
from app.broker import Channel
from app.config import Settings
from app.store import Store
from tests.helpers import BASE_MS, wait_for, zepto_bounce
from tests.integration.workers import celery_process

HOOK = {"Authorization": "Bearer zepto-secret"}
QUEUE = "celery"


@pytest.fixture
def own_settings(settings: Settings, private_redis: str) -> Settings:
    """The suite's settings on a redis-server of this test's own (state db 0, broker db 1)."""
    return replace(settings, redis_url=f"{private_redis}/0", broker_url=f"{private_redis}/1")


@contextmanager
def worker_process(settings: Settings, *extra: str) -> Iterator[subprocess.Popen]:
    """`celery worker` as deployed (prefork, one pool process), stopped on exit."""
    env = {
        "REDIS_URL": settings.redis_url,
        "BOUNCEKEEPER_BROKER_URL": settings.effective_broker_url,
        "BOUNCEKEEPER_VISIBILITY_TIMEOUT_SECONDS": str(settings.visibility_timeout_seconds),
    }
    with celery_process(
        env, "worker", "--concurrency", "1", "--without-gossip", "--without-mingle",
        "--loglevel", "WARNING", *extra,
    ) as process:  # fmt: skip
        yield process


def _post(client, email: str) -> None:
    response = client.post("/webhooks/zeptomail", json=zepto_bounce(email, BASE_MS), headers=HOOK)
    assert response.status_code == 202, response.get_data(as_text=True)


def _metric(client, name: str, **labels: str) -> float:
    text = client.get("/metrics").get_data(as_text=True)
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


def test_poison_on_the_queue_is_set_aside_and_ingestion_goes_on(own_settings: Settings) -> None:
    broker = redis.Redis.from_url(own_settings.effective_broker_url)
    client = create_app(own_settings).test_client()
    _post(client, "first@example.com")
    message = broker.lindex(QUEUE, 0)
    assert message is not None
    truncated = message[: len(message) // 2]
    junk = [b"not json at all", b"{}", truncated, b"[1, 2]", b'{"properties": {}}']
    envelope = json.loads(message)
    junk.append(json.dumps({**envelope, "headers": "not a mapping"}).encode())
    # messages a transport can deliver but Celery cannot run: Celery logs and acks them
    not_tasks = [
        json.dumps({**envelope, "body": base64.b64encode(b"not a task").decode()}),
        json.dumps({**envelope, "headers": {}}),
    ]
    for n, text in enumerate(not_tasks):
        unrunnable = json.loads(text)
        unrunnable["properties"] = {**unrunnable["properties"], "delivery_tag": f"tag-{n}"}
        broker.lpush(QUEUE, json.dumps(unrunnable))
    left_in_flight = b"\xff\xfe a crashed consumer's junk"
    broker.lpush(QUEUE, *junk)
    broker.lpush(Channel.inflight_key(QUEUE), left_in_flight)
    emails = [f"after{n}@example.com" for n in range(5)]
    for email in emails:
        _post(client, email)
    store = Store.from_url(own_settings.redis_url)
    with worker_process(own_settings) as worker:
        for email in ["first@example.com", *emails]:
            wait_for(lambda email=email: store.suppression(email), timeout=30)
        assert worker.poll() is None, "the worker exited"
        wait_for(lambda: broker.llen(QUEUE) == 0 and broker.hlen("unacked") == 0)
        assert broker.llen(Channel.inflight_key(QUEUE)) == 0
        poison = broker.lrange(Channel.poison_key(QUEUE), 0, -1)
        assert sorted(poison) == sorted([*junk, left_in_flight])
        counted = _metric(client, "bouncekeeper_broker_poison_total", queue=QUEUE)
        assert counted == len(junk) + 1
        _post(client, "later@example.com")  # still consuming
        wait_for(lambda: store.suppression("later@example.com"), timeout=30)
        assert worker.poll() is None


def test_in_flight_messages_of_a_dead_host_come_back_without_a_restart(
    own_settings: Settings,
) -> None:
    """A consumer on another host took a message (BLMOVE into the in-flight list) and died
    before recording it. The worker that keeps running puts it back within the visibility
    timeout; it used to wait there for some worker to restart."""
    settings = replace(own_settings, visibility_timeout_seconds=4)
    broker = redis.Redis.from_url(settings.effective_broker_url)
    elsewhere = replace(settings, broker_url=settings.effective_broker_url[:-1] + "2")
    store = Store.from_url(settings.redis_url)
    client = create_app(settings).test_client()
    with worker_process(settings) as worker:
        _post(client, "alive@example.com")  # the worker is up and consuming
        wait_for(lambda: store.suppression("alive@example.com"), timeout=30)
        _post(create_app(elsewhere).test_client(), "orphan@example.com")
        message = redis.Redis.from_url(elsewhere.effective_broker_url).rpop(QUEUE)
        assert message is not None
        broker.lpush(Channel.inflight_key(QUEUE), message)  # the dead consumer's take
        left = time.monotonic()
        wait_for(lambda: store.suppression("orphan@example.com"), timeout=30)
        took = time.monotonic() - left
        assert took <= settings.visibility_timeout_seconds + 1, f"back after {took:.1f} s"
        assert worker.poll() is None
        assert broker.llen(Channel.inflight_key(QUEUE)) == 0
