"""A sink that trickles its answer or hangs holds no worker process for long, and never one
that ingests webhooks (issue #15, item 5), against loopback sinks (chaos/sink.py).

`requests` applies its timeout to each read, so a sink sending one byte every few seconds held
a process for ever; sync runs had no time limit and shared the ingest workers' queue, and when
a stuck run's lease ran out the next run took another process for the same sink.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace

import pytest

from app import create_app, sinks
from app.changes import ADD, Batch, Change
from app.config import Settings
from app.sinks import SinkError
from app.store import Store
from app.store.sync import SyncStore
from chaos import sink as loopback
from tests.helpers import BASE_MS, wait_for, zepto_bounce
from tests.integration.workers import celery_process

HOOK = {"Authorization": "Bearer zepto-secret"}


def _batch(email: str) -> Batch:
    change = Change(id="1-0", op=ADD, email=email, code=2001, category="permanent",
                    source="hard", at_ms=BASE_MS)  # fmt: skip
    return Batch(add=[change], remove=[])


@pytest.mark.parametrize("mode", ["trickle", "hang"])
def test_one_push_ends_within_the_sink_timeout(mode: str) -> None:
    with loopback.LoopbackSink("slow", mode, timeout=1.0) as server:
        sink = sinks.build("slow", server.options())
        began = time.monotonic()
        with pytest.raises(SinkError, match="timed out"):
            sink.push(_batch("a@example.com"))
        took = time.monotonic() - began
        assert server.held == 1
    assert took < 3, f"the push took {took:.1f} s with a 1 s timeout"


def test_a_sink_answering_in_time_is_unaffected() -> None:
    with loopback.LoopbackSink("fine", "ok", timeout=1.0) as server:
        sink = sinks.build("fine", server.options())
        for n in range(3):  # on one kept-alive connection, past the first deadline
            assert sink.push(_batch(f"a{n}@example.com")) == {}
            time.sleep(0.6)
    assert server.receiver.suppressed() == {f"a{n}@example.com" for n in range(3)}


@contextmanager
def celery(settings: Settings, sink_env: dict[str, str], *args: str) -> Iterator[None]:
    env = {
        "REDIS_URL": settings.redis_url,
        "BOUNCEKEEPER_BROKER_URL": settings.effective_broker_url,
        "BOUNCEKEEPER_ZEPTOMAIL_SECRET": "zepto-secret",
        "BOUNCEKEEPER_SYNC_LEASE_SECONDS": "3",
        "BOUNCEKEEPER_SYNC_BACKOFF_MAX_SECONDS": "2",
        "BOUNCEKEEPER_LOG_LEVEL": "WARNING",
        **sink_env,
    }
    with celery_process(env, *args) as process:
        yield
        assert process.poll() is None, f"{args[0]} exited"


def test_trickling_and_hanging_sinks_hold_neither_ingestion_nor_the_other_sink(
    settings: Settings, private_redis: str
) -> None:
    settings = replace(settings, redis_url=f"{private_redis}/0", broker_url=f"{private_redis}/1")
    store = Store.from_url(settings.redis_url)
    client = create_app(settings).test_client()
    with ExitStack() as stack:
        trickle = stack.enter_context(loopback.LoopbackSink("trickle", "trickle", timeout=30))
        hang = stack.enter_context(loopback.LoopbackSink("hang", "hang", timeout=1))
        fine = stack.enter_context(loopback.LoopbackSink("fine", "ok", timeout=1))
        sink_env = loopback.env([trickle, hang, fine])
        stack.enter_context(celery(settings, sink_env, "beat", "--loglevel", "WARNING"))
        ingest = ("worker", "--concurrency", "1", "--without-gossip", "--without-mingle")
        stack.enter_context(celery(settings, sink_env, *ingest))
        sync = ("worker", "-Q", "sync", "--concurrency", "2", "--without-gossip",
                "--without-mingle")  # fmt: skip
        stack.enter_context(celery(settings, sink_env, *sync))

        def ingest(email: str) -> None:
            response = client.post(
                "/webhooks/zeptomail", json=zepto_bounce(email, BASE_MS), headers=HOOK
            )
            assert response.status_code == 202
            emails.append(email)
            # generous: the first call also waits for the worker to start (10 s seen on a
            # loaded 2-core machine); this is a liveness deadline, not a speed check
            wait_for(lambda: store.suppression(email), timeout=60)

        emails: list[str] = []
        ingest("first@example.com")  # a change for the sinks to push
        wait_for(lambda: trickle.held and hang.held, timeout=30)
        began = time.monotonic()
        while time.monotonic() - began < 12:  # four lease lengths of stalled sinks
            ingest(f"user{len(emails)}@example.com")
            time.sleep(0.5)
        wait_for(lambda: fine.receiver.suppressed() == set(emails), timeout=60)

        assert trickle.held >= 2, "the trickling sink was tried once only"
        assert trickle.most_held == 1, "a second process was taken for the trickling sink"
        assert hang.most_held == 1
        states = SyncStore(store)
        assert states.state("trickle").cursor == "0-0"
        assert states.state("trickle").failures >= 1
        assert "timed out" in states.state("hang").last_error
