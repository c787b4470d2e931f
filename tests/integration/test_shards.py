"""Sharded state on one real Redis behaves as unsharded state: the same events leave the same
suppressions, counters, lists and change-log order per address, and the sync delivers every
shard's changes with one cursor per (sink, shard)."""

from __future__ import annotations

import random

import pytest
import redis

from app import stats
from app.sinks import build
from app.store import Store, reports
from app.store.sync import SyncStore
from app.suppressions import Filters, page
from app.sync import full_sync, merged_state, sink_lag, sync_sink
from tests.integration.sharded import (
    LIMITS,
    NOW,
    apply_all,
    per_address,
    recording_sink,
    suppressions,
    workload,
)

PLAIN_DB, SHARDED_DB = 7, 8
SHARDS = 8


@pytest.fixture
def pair(redis_server: str):
    clients = [
        redis.Redis.from_url(f"{redis_server}/{db}", decode_responses=True)
        for db in (PLAIN_DB, SHARDED_DB)
    ]
    for client in clients:
        client.flushdb()
    yield Store(clients[0]), Store(clients[1], shards=SHARDS)
    for client in clients:
        client.close()


def test_the_same_events_leave_the_same_state_unsharded_and_sharded(pair):
    plain, sharded = pair
    items = workload()
    assert apply_all(plain, items) == apply_all(sharded, items)
    assert suppressions(sharded) == suppressions(plain)
    assert len(suppressions(plain)) > 20
    assert sharded.suppressed_count() == plain.suppressed_count()
    log = sharded.change_log(count=10_000)
    assert per_address(log) == per_address(plain.change_log(count=10_000))
    used = {sharded.shard_of(fields["email"]) for _, fields in log}
    assert len(used) == SHARDS  # the workload spans every shard
    for email in ("user1@example.org", "user2@mail.test"):
        assert sharded.contact(email) == plain.contact(email)
    days = stats.last_days(7, NOW)
    assert reports.day_counts(sharded, days, 5) == reports.day_counts(plain, days, 5)
    assert reports.top_domains(sharded, days, 5) == reports.top_domains(plain, days, 5)
    assert reports.top_sender_side(sharded, days, 5) == reports.top_sender_side(plain, days, 5)
    domain_events = reports.recent_events(sharded, "example.com", 1000)
    assert len(domain_events) == len(reports.recent_events(plain, "example.com", 1000))
    assert sharded.domain_day("example.com", NOW) == plain.domain_day("example.com", NOW)


def test_pages_of_the_list_merge_the_shards_in_order(pair):
    plain, sharded = pair
    for n in range(23):
        record = {"email": f"p{n}@x.io", "source": "manual"}
        for store in pair:
            store.suppress(record, "ops", "test", NOW + n // 3)  # ties on time

    def walk(store: Store) -> list[str]:
        emails, cursor = [], None
        while True:
            found = page(store, Filters(), 5, cursor)
            emails += [record["email"] for record in found.items]
            if not found.next_cursor:
                return emails
            cursor = found.next_cursor

    assert walk(sharded) == walk(plain)
    assert len(walk(plain)) == 23


def test_unsuppress_and_audit_work_across_shards(pair):
    plain, sharded = pair
    for store in pair:
        apply_all(store, workload(events=200))
    lifted = sorted(suppressions(plain))[:5]
    for email in lifted:
        for store in pair:
            assert store.unsuppress(email, "ops", "why", NOW + 1, LIMITS.window_days, True) == (
                "removed"
            )
    assert suppressions(sharded) == suppressions(plain)
    assert {f["email"] for _, f in sharded.audit_log(5)} == set(lifted)


def test_the_sync_keeps_a_cursor_per_shard_and_each_address_in_order(pair, httpserver):
    _, sharded = pair
    apply_all(sharded, workload(events=300))
    for email in sorted(suppressions(sharded))[:6]:
        sharded.unsuppress(email, "ops", "lift", NOW + 5, LIMITS.window_days, True)
    sink, received = recording_sink(httpserver, batch_size=7)
    sync = SyncStore(sharded)
    result = sync_sink(sync, sink, lease_ms=60_000, backoff_cap_s=8.0, rng=random.Random(1))
    assert result.status == "caught_up"
    for part in sync.parts():
        assert part.state("crm").cursor == part.last_change_id()
    assert sink_lag(sync, "crm", NOW).entries == 0
    assert merged_state(sync, "crm").cursor.count(",") == SHARDS - 1
    # what the sink holds, change by change (a batch coalesces an address to its last change)
    held: dict[str, str] = {}
    for body in received:
        for op in ("add", "remove"):
            for entry in body[op]:
                held[entry["email"]] = op
    assert {e for e, op in held.items() if op == "add"} == set(suppressions(sharded))
    assert full_sync(sync, sink, lease_ms=60_000).status == "caught_up"


def test_one_run_at_a_time_pushes_to_a_sharded_sink(pair, httpserver):
    _, sharded = pair
    apply_all(sharded, workload(events=100))
    httpserver.expect_request("/hook").respond_with_json({})
    sink = build("crm", {"type": "http", "url": httpserver.url_for("/hook"), "secret": "s"})
    sync = SyncStore(sharded)
    assert sync.acquire_run("crm", "another-run", 60_000)
    run = sync_sink(sync, sink, lease_ms=60_000, backoff_cap_s=8.0, rng=random.Random(1))
    assert run.status == "busy"
    assert full_sync(sync, sink, lease_ms=60_000).status == "busy"
    assert httpserver.log == []
    sync.release_run("crm", "another-run")
    run = sync_sink(sync, sink, lease_ms=60_000, backoff_cap_s=8.0, rng=random.Random(1))
    assert run.status == "caught_up"
    assert not sharded.redis.exists(sync.run_lock_key("crm"))  # let go after the run
