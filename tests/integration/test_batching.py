"""Small webhooks go to `bouncekeeper.ingest_batch`, which a real worker applies in batches:
all of them, poison dead-lettered alone, nothing lost when the worker is killed mid-batch."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
import redis
from celery import Celery

import tasks.batching
import tasks.ingest
from app import create_app
from app.config import Settings
from app.queue import INGEST_BATCH_TASK, INGEST_TASK, make_celery
from app.store import Store
from tasks.batching import BatchTask
from tests.helpers import BASE_MS, DAY_MS, wait_for, zepto_bounce
from tests.integration import workers
from tests.integration.workers import stop

HOOK = {"Authorization": "Bearer zepto-secret"}
ROUTING_BROKER_DB, KILL_BROKER_DB = 5, 6
STATS_KEY = f"bk:stats:{BASE_MS // DAY_MS}"


def applied(state: redis.Redis) -> int:
    """Events applied so far, duplicates excluded (the event script counts them)."""
    return int(state.hget(STATS_KEY, "total") or 0)


def publish(celery: Celery, payloads: list[tuple[str, dict]]) -> None:
    """Queue webhooks as the web does when each arrives alone: a message of the batching task
    holding one webhook."""
    with celery.connection_for_write() as conn, celery.producer_pool.acquire(conn) as producer:
        for provider, payload in payloads:
            celery.send_task(
                INGEST_BATCH_TASK, args=[[[provider, payload, BASE_MS, ""]]], producer=producer
            )


def bounces(count: int, prefix: str = "b") -> list[tuple[str, dict]]:
    return [("zeptomail", zepto_bounce(f"{prefix}{n}@example.com", BASE_MS)) for n in range(count)]


@pytest.fixture
def batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Sizes of the batches the (in-process, solo) worker runs; a slow timer and a large size
    make everything published within a second one batch."""
    monkeypatch.setattr(BatchTask, "flush_after_s", 1.0)
    monkeypatch.setattr(BatchTask, "flush_every", 1000)
    sizes: list[int] = []
    run = tasks.batching.run_batch

    def recording(task, calls):
        sizes.append(len(calls))
        return run(task, calls)

    monkeypatch.setattr(tasks.batching, "run_batch", recording)
    return sizes


def test_small_webhooks_are_queued_for_the_batching_task(settings: Settings, broker, state):
    base = settings.broker_url.rsplit("/", 1)[0]
    routing = replace(settings, broker_url=f"{base}/{ROUTING_BROKER_DB}")
    queue = redis.Redis.from_url(routing.broker_url)
    queue.delete("celery")
    client = create_app(routing).test_client()
    one = zepto_bounce("one@example.com", BASE_MS)
    ten = {**one, "data": one["data"] * 10}
    assert client.post("/webhooks/zeptomail", json=one, headers=HOOK).status_code == 202
    assert client.post("/webhooks/zeptomail", json=ten, headers=HOOK).status_code == 202
    queued = [json.loads(raw)["headers"]["task"] for raw in queue.lrange("celery", 0, -1)]
    assert queued == [INGEST_TASK, INGEST_BATCH_TASK]  # LPUSHed: newest first
    queue.delete("celery")


@pytest.mark.usefixtures("worker")
def test_many_one_event_webhooks_are_all_applied_in_batches(celery_app, state, batches):
    publish(celery_app, bounces(150))
    wait_for(lambda: applied(state) == 150)
    assert sum(batches) == 150
    assert max(batches) > 1


@pytest.mark.usefixtures("worker")
def test_poison_is_dead_lettered_without_losing_its_batch_mates(celery_app, state, batches):
    webhooks = bounces(20)
    webhooks[7] = ("no-such-esp", {"data": []})
    webhooks[12] = ("zeptomail", {"data": "not a list"})
    publish(celery_app, webhooks)
    wait_for(lambda: applied(state) == 18 and state.llen("bk:deadletter") == 2)
    assert batches == [20]
    dead = [json.loads(entry) for entry in state.lrange("bk:deadletter", 0, -1)]
    assert sorted(entry["provider"] for entry in dead) == ["no-such-esp", "zeptomail"]


@pytest.mark.usefixtures("worker")
def test_a_webhook_that_fails_to_apply_sinks_only_itself(
    celery_app, state, batches, monkeypatch: pytest.MonkeyPatch
):
    apply_events = tasks.ingest.apply_events

    def failing(events, *args, **kwargs):
        if any(event.recipient == "b3@example.com" for event in events):
            raise RuntimeError("this event breaks the store")
        return apply_events(events, *args, **kwargs)

    monkeypatch.setattr(tasks.ingest, "apply_events", failing)
    publish(celery_app, bounces(10))
    wait_for(lambda: applied(state) == 9 and state.llen("bk:deadletter") == 1)
    assert batches == [10]
    [dead] = [json.loads(entry) for entry in state.lrange("bk:deadletter", 0, -1)]
    assert dead["payload"]["data"][0]["contact_email"] == "b3@example.com"
    assert "this event breaks the store" in dead["error"]


@pytest.mark.usefixtures("worker")
def test_a_batch_meeting_an_unavailable_store_waits_for_it_and_publishes_nothing(
    celery_app, state, batches, monkeypatch: pytest.MonkeyPatch
):
    apply_events = tasks.ingest.apply_events
    calls: list[int] = []

    def store_away_once(events, *args, **kwargs):
        calls.append(len(events))
        if len(calls) == 1:
            raise redis.ConnectionError("state store away")
        return apply_events(events, *args, **kwargs)

    monkeypatch.setattr(tasks.ingest, "apply_events", store_away_once)
    publish(celery_app, bounces(5))
    wait_for(lambda: applied(state) == 5)
    assert batches == [5]
    assert calls == [5, 5]  # the batch again, in place: no message was published for a retry
    assert state.llen("bk:deadletter") == 0


# -- a real prefork worker, killed --------------------------------------------------------------


@pytest.fixture
def kill_settings(settings: Settings) -> Iterator[Settings]:
    base = settings.broker_url.rsplit("/", 1)[0]
    killed = replace(settings, broker_url=f"{base}/{KILL_BROKER_DB}", visibility_timeout_seconds=1)
    client = redis.Redis.from_url(killed.broker_url)
    client.flushdb()
    yield killed
    client.flushdb()


# `celery` whose pool processes, holding a batch, mark it (a file named by their pid in
# BK_TEST_BATCH_DIR) and wait while the file `hold` is there: a kill is sure to find the batch
# running, however slowly the test gets to it.
HELD_CELERY = """
import os, pathlib, sys, time
import tasks.ingest
folder = pathlib.Path(os.environ["BK_TEST_BATCH_DIR"])
apply_events = tasks.ingest.apply_events
def held(*args, **kwargs):
    (folder / str(os.getpid())).touch()
    while (folder / "hold").exists():
        time.sleep(0.02)
    return apply_events(*args, **kwargs)
tasks.ingest.apply_events = held
from celery.__main__ import main
sys.argv[0] = "celery"
main()
"""


def test_a_worker_killed_mid_batch_loses_nothing_and_counts_nothing_twice(kill_settings, state):
    total = 3000
    publish(make_celery(kill_settings), bounces(total, "k"))
    broker = redis.Redis.from_url(kill_settings.broker_url)
    worker = workers.start_worker(kill_settings)
    try:
        wait_for(lambda: applied(state) >= 300, timeout=60, interval=0.01)
        os.killpg(worker.pid, signal.SIGKILL)  # main process and pool, no goodbye
        worker.wait(timeout=10)
        at_kill = applied(state)
        held = broker.hlen("unacked") + broker.llen("celery.inflight")
        assert at_kill < total
        assert held > 0  # messages taken, some of them applied, none of them acked
        time.sleep(1.5)  # past the visibility timeout: the next worker takes them back
        worker = workers.start_worker(kill_settings)
        wait_for(
            lambda: broker.llen("celery") + broker.hlen("unacked") == 0 and applied(state) == total,
            timeout=90,
        )
    finally:
        stop(worker)
    store = Store.from_url(kill_settings.redis_url)
    assert sum(1 for _ in store.contacts()) == total
    assert applied(state) == total  # redelivered events were duplicates, not counted again


def test_a_batch_whose_pool_process_died_goes_back_to_the_queue(kill_settings, state, tmp_path):
    total = 400
    publish(make_celery(kill_settings), bounces(total, "p"))
    broker = redis.Redis.from_url(kill_settings.broker_url)
    folder = tmp_path / "batches"
    folder.mkdir()
    (folder / "hold").touch()
    log = tmp_path / "worker.log"
    with log.open("w") as stderr:
        worker = workers.start_worker(kill_settings, runner=("-c", HELD_CELERY), stderr=stderr,
                              env_extra={"BK_TEST_BATCH_DIR": str(folder)})  # fmt: skip
    try:
        holding = wait_for(lambda: [p.name for p in folder.iterdir() if p.name != "hold"],
                           timeout=60, interval=0.01)  # fmt: skip
        for pid in holding:  # each is inside a batch, waiting before applying it
            os.kill(int(pid), signal.SIGKILL)
        assert applied(state) == 0
        (folder / "hold").unlink()
        # The pool reports each lost process's job to the batch's error callback, which puts
        # its messages back on the queue; the worker's new pool processes apply them.
        wait_for(
            lambda: broker.llen("celery") + broker.hlen("unacked") == 0 and applied(state) == total,
            timeout=90,
        )
    finally:
        stop(worker)
    assert "batch requeued" in log.read_text()
    assert applied(state) == total


# A payload of a known provider whose parser fails with something else than KeyError, TypeError
# or ValueError (here AttributeError: an address that is not a string).
UNPARSEABLE = {"data": [{**zepto_bounce("u@example.com", BASE_MS)["data"][0], "contact_email": 5}]}


@pytest.mark.usefixtures("worker")
def test_an_unparseable_webhook_in_a_batch_is_dead_lettered_once_and_its_mates_applied(
    celery_app, state, broker, batches
):
    webhooks = bounces(10, "u")
    webhooks[4] = ("zeptomail", UNPARSEABLE)
    publish(celery_app, webhooks)
    wait_for(lambda: applied(state) == 9 and state.llen("bk:deadletter") == 1)
    wait_for(lambda: broker.llen("celery") + broker.hlen("unacked") == 0)  # acked
    time.sleep(1.5)  # a requeued batch would be back by now, and dead-lettered again
    assert batches == [10]
    [dead] = [json.loads(entry) for entry in state.lrange("bk:deadletter", 0, -1)]
    assert dead["payload"] == UNPARSEABLE
    assert "AttributeError" in dead["error"]


@pytest.mark.usefixtures("worker")
def test_an_unparseable_webhook_alone_is_dead_lettered(celery_app, state, broker):
    celery_app.send_task(INGEST_TASK, args=["zeptomail", UNPARSEABLE, BASE_MS])
    [entry] = wait_for(lambda: state.lrange("bk:deadletter", 0, -1))
    assert json.loads(entry)["payload"] == UNPARSEABLE
    wait_for(lambda: broker.llen("celery") + broker.hlen("unacked") == 0)
