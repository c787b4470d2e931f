"""The web's direct publish writes the very message Celery's `send_task` writes."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
import redis
from celery import Celery

from app.config import Settings
from app.logs import REQUEST_ID_HEADER
from app.publisher import Publisher
from app.queue import INGEST_BATCH_TASK, make_celery
from tests.conftest import free_port

PUBLISH_ONLY_DB = 14  # a broker database no test worker consumes, so messages stay readable
ARGS = [[["zeptomail", {"data": [{"contact_email": "a@example.com"}]}, 1700000000000, "r-1"]]]
PER_MESSAGE = {  # (section, field): differs between any two messages by design
    ("headers", "id"),
    ("headers", "root_id"),
    ("properties", "correlation_id"),
    ("properties", "delivery_tag"),
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    base = settings.broker_url.rpartition("/")[0]
    return replace(settings, broker_url=f"{base}/{PUBLISH_ONLY_DB}")


@pytest.fixture
def broker(settings: Settings) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(settings.broker_url, decode_responses=True)
    client.delete("celery")
    yield client
    client.close()


def _newest(broker: redis.Redis, count: int) -> list[dict]:
    return [json.loads(raw) for raw in reversed(broker.lrange("celery", 0, count - 1))]


def _without_ids(message: dict) -> dict:
    copy = json.loads(json.dumps(message))
    for section, field in PER_MESSAGE:
        copy[section].pop(field)
    # send_task copies the options it has no use for (argsrepr, here) into the properties,
    # where nothing reads them; the publisher leaves them out.
    copy["properties"].pop("argsrepr", None)
    return copy


def test_the_message_is_the_one_send_task_writes(settings: Settings, broker: redis.Redis):
    celery = make_celery(settings)
    celery.send_task(
        INGEST_BATCH_TASK,
        args=ARGS,
        argsrepr="(<1 webhooks>)",
        headers={REQUEST_ID_HEADER: "r-1"},
        retry=True,
    )
    Publisher(celery).send(INGEST_BATCH_TASK, ARGS, "(<1 webhooks>)", "r-1")
    theirs, ours = _newest(broker, 2)
    assert _without_ids(ours) == _without_ids(theirs)
    assert ours["headers"]["id"] == ours["properties"]["correlation_id"]
    assert ours["headers"]["root_id"] == ours["headers"]["id"]
    assert json.loads(base64.b64decode(ours["body"]))[:2] == [ARGS, {}]
    assert ours["headers"][REQUEST_ID_HEADER] == "r-1"


def test_each_message_has_its_own_ids(settings: Settings, broker: redis.Redis):
    publisher = Publisher(make_celery(settings))
    publisher.send(INGEST_BATCH_TASK, ARGS, "(a)", None)
    publisher.send(INGEST_BATCH_TASK, ARGS, "(b)", None)
    first, second = _newest(broker, 2)
    for section, field in PER_MESSAGE:
        assert first[section][field] != second[section][field]
    assert REQUEST_ID_HEADER not in first["headers"]


def test_a_broker_that_is_down_raises_after_the_retry_policy(settings: Settings):
    """The web must answer 503 within the policy's retries (2, at 0 and 0.2 s), not after
    kombu's own connection retries (2 s each)."""
    down = replace(settings, broker_url=f"redis://127.0.0.1:{free_port()}/0")
    started = time.monotonic()
    with pytest.raises(redis.ConnectionError):
        Publisher(make_celery(down)).send(INGEST_BATCH_TASK, ARGS, "(a)", None)
    assert time.monotonic() - started < 1.5


def test_other_brokers_go_through_send_task():
    celery = Celery("memory", broker="memory://", set_as_current=False)
    celery.conf.task_serializer = "json"
    Publisher(celery).send(INGEST_BATCH_TASK, ARGS, "(a)", "r-2")
    with celery.connection_for_read() as conn:
        message = conn.SimpleQueue("celery").get(timeout=1)
    assert message.headers["task"] == INGEST_BATCH_TASK
    assert message.headers[REQUEST_ID_HEADER] == "r-2"
    assert message.decode()[0] == ARGS


def test_more_threads_than_kombus_default_pool_publish_at_once(
    settings: Settings, broker: redis.Redis
):
    """gunicorn's threads all publish through one channel. With kombu's default pool of 10
    connections, the 11th publish in flight failed ("Too many connections") and its webhook
    got a 503; writes paused on the broker hold every publish in flight at once."""
    publisher = Publisher(make_celery(settings))
    publisher.send(INGEST_BATCH_TASK, ARGS, "(warm-up)", None)
    threads = 24
    start = threading.Barrier(threads + 1)
    errors: list[BaseException] = []

    def publish() -> None:
        start.wait()
        try:
            publisher.send(INGEST_BATCH_TASK, ARGS, "(a)", None)
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)

    workers = [threading.Thread(target=publish) for _ in range(threads)]
    for worker in workers:
        worker.start()
    # Well under the tests' 1 s broker timeout: a publish held longer times out, is retried
    # and lands twice (at least once, as designed), which is not what this test is about.
    broker.execute_command("CLIENT", "PAUSE", 400, "WRITE")
    start.wait()
    for worker in workers:
        worker.join()
    assert errors == []
    assert broker.llen("celery") == threads + 1
