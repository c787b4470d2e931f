"""The sync's scripts on a real Redis: the lock fences every write, the cursor only moves
forward from where the batch was read, and trimming keeps what any sink still needs."""

from __future__ import annotations

import pytest
import redis

from app.store import Store
from app.store.sync import START, SyncStore
from app.sync import Lag, lag

SYNC_DB = 6
LEASE_MS = 60_000


@pytest.fixture
def sync(redis_server: str) -> SyncStore:
    client = redis.Redis.from_url(f"{redis_server}/{SYNC_DB}", decode_responses=True)
    client.flushdb()
    return SyncStore(Store(client))


def add(sync: SyncStore, email: str) -> str:
    return sync.redis.xadd(sync.change_log_key, {"op": "add", "email": email, "at": "1"})


def commit(sync: SyncStore, token: str, read_after: str, last_id: str, **kw) -> str:
    args = {"accepted": [], "rejected": {}, "now_ms": 5, "lease_ms": LEASE_MS} | kw
    return sync.commit("crm", token, read_after=read_after, last_id=last_id, **args)


def test_only_the_lock_holder_moves_the_cursor(sync):
    first = add(sync, "a@x.io")
    assert sync.acquire("crm", "t1", LEASE_MS)
    assert not sync.acquire("crm", "t2", LEASE_MS)
    assert commit(sync, "t2", START, first) == "lost_lock"
    assert sync.state("crm").cursor == START
    assert commit(sync, "t1", START, first) == "ok"
    assert sync.state("crm").cursor == first
    assert commit(sync, "t1", START, first) == "moved"  # read before another commit: refused
    sync.release("crm", "t2")  # not the holder: nothing happens
    assert not sync.acquire("crm", "t3", LEASE_MS)
    sync.release("crm", "t1")
    assert sync.acquire("crm", "t3", LEASE_MS)


def test_read_changes_starts_after_the_cursor(sync):
    ids = [add(sync, f"u{n}@x.io") for n in range(5)]
    assert [i for i, _ in sync.read_changes(START, 2)] == ids[:2]
    assert [i for i, _ in sync.read_changes(ids[1], 10)] == ids[2:]


def test_refusals_are_kept_until_a_later_change_is_accepted(sync):
    first, second = add(sync, "a@x.io"), add(sync, "a@x.io")
    assert sync.acquire("crm", "t", LEASE_MS)
    detail = {"op": "add", "reason": "invalid", "id": first, "at": "5"}
    assert commit(sync, "t", START, first, rejected={"a@x.io": detail}) == "ok"
    assert sync.failed_entries("crm") == {"a@x.io": detail}
    assert sync.state("crm").rejected == 1
    assert commit(sync, "t", first, second, accepted=["a@x.io"]) == "ok"
    assert sync.failed_entries("crm") == {}
    assert sync.state("crm").accepted == 1


def test_failure_backs_off_and_releases_the_lock(sync):
    assert sync.acquire("crm", "t", LEASE_MS)
    assert sync.fail("crm", "other", "HTTP 500", 10, 2010) == -1
    assert sync.fail("crm", "t", "HTTP 500", 10, 2010) == 1
    state = sync.state("crm")
    assert (state.failures, state.not_before, state.last_error) == (1, 2010, "HTTP 500")
    assert sync.acquire("crm", "t2", LEASE_MS)
    assert commit(sync, "t2", START, add(sync, "a@x.io")) == "ok"
    assert (sync.state("crm").failures, sync.state("crm").not_before) == (0, 0)


def test_trim_keeps_everything_a_sink_has_not_confirmed(sync):
    ids = [add(sync, f"u{n}@x.io") for n in range(6)]
    for sink, cursor in (("crm", ids[3]), ("ses", ids[1])):
        assert sync.acquire(sink, "t", LEASE_MS)
        assert sync.commit(sink, "t", read_after=START, last_id=cursor, accepted=[],
                           rejected={}, now_ms=1, lease_ms=LEASE_MS) == "ok"  # fmt: skip
    assert sync.trim_changes(["crm", "ses", "new"]) == 0  # "new" has read nothing yet
    assert sync.trim_changes([]) == 0
    assert sync.trim_changes(["crm", "ses"]) == 1
    assert [i for i, _ in sync.read_changes(START, 10)] == ids[1:]
    assert [i for i, _ in sync.read_changes(ids[1], 10)] == ids[2:]  # ses goes on unharmed


def test_lag_counts_unconfirmed_changes_and_ages_the_oldest(sync):
    first = sync.redis.xadd(sync.change_log_key, {"op": "add", "email": "a@x.io"}, id="1000-0")
    sync.redis.xadd(sync.change_log_key, {"op": "add", "email": "b@x.io"}, id="4000-0")
    assert lag(sync, START, now_ms=11_000) == Lag(entries=2, seconds=10.0)
    assert lag(sync, START, now_ms=11_000, cap=1).entries == 1
    assert sync.acquire("crm", "t1", LEASE_MS)
    assert commit(sync, "t1", START, first) == "ok"
    assert lag(sync, sync.state("crm").cursor, now_ms=11_000) == Lag(entries=1, seconds=7.0)
