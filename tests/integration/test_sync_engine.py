"""app.sync.sync_sink on a real Redis with the real http sink and a loopback server: the
run's outcomes (busy, waiting, more, lost_lock) and what each leaves behind."""

from __future__ import annotations

import random

import pytest
import redis
from werkzeug import Request, Response

from app.sinks import build
from app.store import Store
from app.store.sync import START, SyncStore
from app.sync import sync_sink

SYNC_DB = 6
LEASE_MS = 60_000


@pytest.fixture
def sync(redis_server: str) -> SyncStore:
    client = redis.Redis.from_url(f"{redis_server}/{SYNC_DB}", decode_responses=True)
    client.flushdb()
    store = Store(client)
    for n in range(5):
        record = {"email": f"u{n}@x.io", "code": "2001", "category": "permanent"}
        store.suppress(record | {"source": "hard"}, "test", "setup", now_ms=1_000 + n)
    return SyncStore(store)


@pytest.fixture
def sink(httpserver):
    url = httpserver.url_for("/hook")
    return build("crm", {"type": "http", "url": url, "secret": "s", "batch_size": "2"})


def run(sync: SyncStore, sink, **kw):
    return sync_sink(sync, sink, lease_ms=LEASE_MS, backoff_cap_s=8.0, rng=random.Random(7), **kw)


def test_a_run_stops_at_its_deadline_and_the_next_goes_on(httpserver, sync, sink):
    httpserver.expect_request("/hook").respond_with_json({})
    ticks = iter([100.0, 100.0, 100.0, 101.0])  # start, first loop, commit, past the deadline
    result = run(sync, sink, deadline=100.5, clock=lambda: next(ticks))
    assert (result.status, result.pushed, result.batches) == ("more", 2, 1)
    result = run(sync, sink)
    assert (result.status, result.pushed, result.batches) == ("caught_up", 3, 2)
    assert sync.state("crm").cursor == sync.last_change_id()


def test_busy_while_another_run_holds_the_sink(httpserver, sync, sink):
    assert sync.acquire("crm", "someone-else", LEASE_MS)
    assert run(sync, sink).status == "busy"
    assert httpserver.log == []


def test_after_a_failure_runs_wait_until_the_backoff_is_over(httpserver, sync, sink):
    httpserver.expect_oneshot_request("/hook").respond_with_response(
        Response("later", 503, headers={"Retry-After": "30"})
    )
    failed = run(sync, sink, clock=lambda: 1000.0)
    assert (failed.status, failed.retry_in) == ("failed", 30.0)
    assert run(sync, sink, clock=lambda: 1010.0).status == "waiting"
    assert len(httpserver.log) == 1
    httpserver.expect_request("/hook").respond_with_json({})
    assert run(sync, sink, clock=lambda: 1031.0).status == "caught_up"
    assert sync.state("crm").failures == 0


def test_a_run_that_lost_its_lease_cannot_move_the_cursor(httpserver, sync, sink):
    def taken_over(request: Request) -> Response:
        sync.redis.set(sync.lock_key("crm"), "the-next-run")  # our lease ran out meanwhile
        return Response("{}", 200, content_type="application/json")

    httpserver.expect_request("/hook").respond_with_handler(taken_over)
    assert run(sync, sink).status == "lost_lock"
    assert sync.state("crm").cursor == START
    assert sync.redis.get(sync.lock_key("crm")) == "the-next-run"  # and did not release it
