"""The state Redis refusing writes (out of memory under noeviction, a read-only replica, MISCONF
when it cannot persist): a real worker waits and tries again, acks nothing it has not applied
or dead-lettered, and never says "dead-lettered" for a push that failed (issue #15, item 2)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import redis
from celery import Celery

from app.broker import Channel
from app.config import Settings
from app.queue import INGEST_BATCH_TASK, INGEST_TASK, make_celery
from chaos.cluster import refuse_writes
from tests.helpers import BASE_MS, DAY_MS, wait_for, zepto_bounce
from tests.integration.workers import start_worker, stop

REFUSAL_BROKER_DB = 8
STATS_KEY = f"bk:stats:{BASE_MS // DAY_MS}"
GOOD = 6  # webhooks that must all be applied once writes are allowed again


@pytest.fixture
def refusing(settings: Settings, private_redis: str) -> Iterator[Settings]:
    """State on a server of this test's own, broker on a database of the session's server; a
    short visibility timeout, so a task waits in place 2 s and then requeues its message."""
    base = settings.broker_url.rsplit("/", 1)[0]
    ours = replace(
        settings,
        redis_url=f"{private_redis}/0",
        broker_url=f"{base}/{REFUSAL_BROKER_DB}",
        visibility_timeout_seconds=4,
    )
    broker = redis.Redis.from_url(ours.broker_url)
    broker.flushdb()
    yield ours
    broker.flushdb()
    broker.close()


def publish_mixed(celery: Celery) -> None:
    """Lone `ingest` tasks and `ingest_batch` messages, each kind with one poison webhook."""
    good = [zepto_bounce(f"r{n}@example.com", BASE_MS) for n in range(GOOD)]
    for payload in good[:3]:
        celery.send_task(INGEST_TASK, args=["zeptomail", payload, BASE_MS])
    celery.send_task(INGEST_TASK, args=["no-such-esp", good[0], BASE_MS])
    batch = [["zeptomail", payload, BASE_MS, ""] for payload in good[3:]]
    batch.insert(1, ["zeptomail", {"data": "not a list"}, BASE_MS, ""])
    celery.send_task(INGEST_BATCH_TASK, args=[batch])


def kept(broker: redis.Redis) -> int:
    """Messages the broker holds: waiting, taken but not yet recorded (`celery.inflight`, where
    a message sits for a moment between the take and BROKER_RECORD), and unacked; read in one
    MULTI so a message moving between two of them is counted once."""
    waiting, inflight, unacked = (
        broker.pipeline(transaction=True)
        .llen("celery")
        .llen(Channel.inflight_key("celery"))
        .hlen("unacked")
        .execute()
    )
    return waiting + inflight + unacked


@pytest.mark.parametrize("how", ["maxmemory", "replicaof", "misconf"])
def test_a_state_store_refusing_writes_loses_nothing_and_dead_letters_only_poison(
    refusing: Settings, how: str, tmp_path: Path
):
    state = redis.Redis.from_url(refusing.redis_url, decode_responses=True)
    broker = redis.Redis.from_url(refusing.broker_url)
    remedy = refuse_writes(refusing.redis_url, how, tmp_path)
    log = tmp_path / "worker.log"
    with log.open("w") as stderr:
        worker = start_worker(refusing, stderr=stderr)
    try:
        publish_mixed(make_celery(refusing))
        # Each message waits in place 2 s, goes back to its queue, and is taken again; the
        # poison ones are not dead-lettered while the dead-letter push is refused either.
        wait_for(
            lambda: all(
                words in log.read_text()
                for words in ("NOT dead-lettered", "goes back to the queue", "batch requeued")
            ),
            timeout=60,
        )
        assert state.dbsize() == 0  # nothing applied, nothing dead-lettered
        assert kept(broker) == 5  # all 5 messages kept
        remedy()
        wait_for(
            lambda: int(state.hget(STATS_KEY, "total") or 0) == GOOD and kept(broker) == 0,
            timeout=60,
        )
    finally:
        stop(worker)
    dead = [json.loads(entry) for entry in state.lrange("bk:deadletter", 0, -1)]
    assert sorted(entry["provider"] for entry in dead) == ["no-such-esp", "zeptomail"]
    said = [line for line in log.read_text().splitlines() if "dead-lettered" in line]
    assert len([line for line in said if "NOT dead-lettered" not in line]) == len(dead)
