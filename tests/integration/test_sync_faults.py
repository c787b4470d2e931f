"""The sync under faults, end to end: real beat (redbeat) schedules, a real Celery worker
runs, a real loopback receiver fails on cue. Whatever happens, the receiver ends up holding
exactly the suppressions the change log says, and every change reached it (or was recorded as
refused): the oracle is the change log itself, read before the sync starts.

Beat and workers run as `celery -A tasks.worker` processes configured by the environment, as
deployed. Not celery.contrib.testing's in-process worker: stopping one sets Celery's
process-wide `should_terminate`, which would also stop the session's worker that other
integration tests share."""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis

from app.config import Settings
from app.store import Store
from app.store.sync import SyncStore
from tests.conftest import free_port
from tests.helpers import wait_for
from tests.integration.receiver import Receiver, stream_id

SYNC_STATE_DB, SYNC_BROKER_DB = 6, 7
SECRET = "sink-secret"
CLIENT_TIMEOUT_S = 0.5


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    sink = Receiver(free_port(), SECRET, slow_seconds=CLIENT_TIMEOUT_S * 3)
    sink.server.start()
    yield sink
    sink.release.set()
    if sink.server.is_running():
        sink.server.stop()
    sink.server.check_assertions()


@pytest.fixture
def sync_settings(redis_server: str, receiver: Receiver) -> Settings:
    for db in (SYNC_STATE_DB, SYNC_BROKER_DB):
        redis.Redis.from_url(f"{redis_server}/{db}").flushdb()
    return Settings(
        redis_url=f"{redis_server}/{SYNC_STATE_DB}",
        broker_url=f"{redis_server}/{SYNC_BROKER_DB}",
        sinks="crm",
        sync_interval=1.0,
        sync_lease_seconds=2,
        sync_backoff_max_seconds=2.0,
        sink_options={
            "crm": {
                "type": "http",
                "url": receiver.url,
                "secret": SECRET,
                "timeout": str(CLIENT_TIMEOUT_S),
                "batch_size": "20",
            }
        },
    )


def environment(settings: Settings) -> dict[str, str]:
    """The same settings as variables, for the beat and worker subprocesses."""
    return {
        **os.environ,
        "REDIS_URL": settings.redis_url,
        "BOUNCEKEEPER_BROKER_URL": settings.broker_url,
        "BOUNCEKEEPER_SINKS": settings.sinks,
        "BOUNCEKEEPER_SYNC_INTERVAL": str(settings.sync_interval),
        "BOUNCEKEEPER_SYNC_LEASE_SECONDS": str(settings.sync_lease_seconds),
        "BOUNCEKEEPER_SYNC_BACKOFF_MAX_SECONDS": str(settings.sync_backoff_max_seconds),
        "BOUNCEKEEPER_LOG_LEVEL": "WARNING",
        **{
            f"BOUNCEKEEPER_SINK_{name.upper()}_{key.upper()}": value
            for name, options in settings.sink_options.items()
            for key, value in options.items()
        },
    }


def celery_process(settings: Settings, *args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "tasks.worker", *args]
    return subprocess.Popen(command, env=environment(settings))


@pytest.fixture
def beat(sync_settings: Settings) -> Iterator[subprocess.Popen]:
    process = celery_process(sync_settings, "beat", "--loglevel", "WARNING")
    yield process
    process.terminate()
    process.wait(timeout=20)


@contextmanager
def worker(settings: Settings) -> Iterator[subprocess.Popen]:
    """A real Celery worker process of the sync queue, one solo slot, on the sync's
    databases."""
    process = celery_process(
        settings, "worker", "-Q", "sync", "--pool", "solo", "--without-gossip", "--without-mingle"
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)


def write_changes(store: Store, count: int) -> list[tuple[str, dict[str, str]]]:
    """Adds, removals and re-adds over `count` addresses; returns the whole change log."""
    emails = [f"user{n}@example{n % 7}.com" for n in range(count)]
    for n, email in enumerate(emails):
        record = {"email": email, "code": "2001", "category": "permanent", "source": "manual"}
        store.suppress(record, "test", "setup", now_ms=1_700_000_000_000 + n)
    for email in emails[::4]:
        assert store.unsuppress(email, "test", "lifted", 1_700_000_100_000, 14, True) == "removed"
    for email in emails[::12]:
        record = {"email": email, "code": "2002", "category": "permanent", "source": "manual"}
        store.suppress(record, "test", "again", now_ms=1_700_000_200_000)
    return store.change_log(count=10 * count)


def assert_oracle(log, receiver: Receiver, sync: SyncStore) -> None:
    final: dict[str, str] = {}
    for _, fields in log:
        final[fields["email"]] = fields["op"]
    refused = receiver.refuse & set(final)
    assert receiver.suppressed == {e for e, op in final.items() if op == "add"} - refused
    for entry_id, fields in log:  # nothing skipped: each change or a later one arrived
        email = fields["email"]
        if email not in refused:
            assert receiver.latest[email][0] >= stream_id(entry_id), (entry_id, email)
    failed = sync.failed_entries("crm")
    assert set(failed) == refused
    assert all(detail["reason"] == "invalid mailbox" for detail in failed.values())


def caught_up(sync: SyncStore, log) -> bool:
    return sync.state("crm").cursor == log[-1][0]


def test_sink_down_500s_timeouts_429_and_refusals_end_in_the_exact_set(
    sync_settings, receiver, beat
):
    store = Store.from_url(sync_settings.redis_url)
    sync = SyncStore(store)
    log = write_changes(store, 150)
    receiver.refuse = {"user5@example5.com", "user77@example0.com"}
    receiver.faults.extend(["500", "500", "ok", "429", "ok", "slow", "500", "ok", "slow", "429"])
    receiver.server.stop()  # the sink is down when the sync starts

    with worker(sync_settings):
        wait_for(lambda: sync.state("crm").failures >= 3, timeout=60)
        assert "ConnectionError" in sync.state("crm").last_error
        assert sync.state("crm").cursor == "0-0"
        receiver.server.start()
        wait_for(lambda: caught_up(sync, log), timeout=120)

    assert not receiver.faults  # every fault was met
    assert_oracle(log, receiver, sync)
    for answered in receiver.answered_429_at:  # Retry-After: 1 was honoured
        assert min(t for t in receiver.requested_at if t > answered) - answered >= 0.99
    state = sync.state("crm")
    assert (state.failures, state.rejected) == (0, 2)
    assert store.redis.xlen(store.change_log_key) <= 1  # trimmed up to the cursor


def test_worker_killed_mid_batch_loses_nothing(sync_settings, receiver, beat):
    store = Store.from_url(sync_settings.redis_url)
    sync = SyncStore(store)
    log = write_changes(store, 60)
    receiver.faults.append("hang")

    with worker(sync_settings) as doomed:
        assert receiver.entered.wait(timeout=60)
        doomed.send_signal(signal.SIGKILL)  # mid-push: the request is in flight
        doomed.wait(timeout=20)
    receiver.release.set()  # the sink applies the batch; nobody hears its answer
    assert sync.state("crm").cursor == "0-0"

    with worker(sync_settings):
        wait_for(lambda: caught_up(sync, log), timeout=120)

    assert_oracle(log, receiver, sync)
    first = receiver.batches[0]
    assert any(batch == first for batch in receiver.batches[1:])  # pushed again, not skipped


@pytest.fixture
def black_hole() -> Iterator[str]:
    """A port that accepts connections and never answers: every request to it times out."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/hook"


def test_a_hanging_sink_does_not_hold_up_another(sync_settings, receiver, black_hole):
    options = dict(sync_settings.sink_options["crm"], url=black_hole)
    settings = dataclasses.replace(
        sync_settings,
        sinks="stuck,crm",
        sink_options={**sync_settings.sink_options, "stuck": options},
    )
    store = Store.from_url(settings.redis_url)
    sync = SyncStore(store)
    log = write_changes(store, 80)

    beat = celery_process(settings, "beat", "--loglevel", "WARNING")
    try:
        with worker(settings):  # one solo slot that both sinks share
            wait_for(lambda: caught_up(sync, log), timeout=120)
            wait_for(lambda: sync.state("stuck").failures >= 2, timeout=60)
    finally:
        beat.terminate()
        beat.wait(timeout=20)

    assert_oracle(log, receiver, sync)
    stuck = sync.state("stuck")
    assert stuck.cursor == "0-0"
    assert "timed out" in stuck.last_error
    assert store.redis.xlen(store.change_log_key) == len(log)  # held back for "stuck"


def test_standby_beat_takes_over_when_the_active_one_dies(sync_settings, receiver):
    store = Store.from_url(sync_settings.redis_url)
    sync = SyncStore(store)
    first = write_changes(store, 10)
    active = celery_process(sync_settings, "beat", "--loglevel", "WARNING")
    standby = None
    try:
        with worker(sync_settings):
            wait_for(lambda: caught_up(sync, first), timeout=60)  # the first beat schedules
            standby = celery_process(sync_settings, "beat", "--loglevel", "WARNING")
            active.send_signal(signal.SIGKILL)  # no clean release: its lock must expire
            active.wait(timeout=20)
            record = {"email": "late@example.com", "code": "2001", "category": "permanent"}
            store.suppress(record | {"source": "manual"}, "test", "after", now_ms=1)
            log = store.change_log(count=1000)
            wait_for(lambda: caught_up(sync, log), timeout=120)  # only the standby is left
    finally:
        for process in (active, standby):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=20)
    assert "late@example.com" in receiver.suppressed
