"""State on a real 3-master Redis Cluster (redis-server 7, started on free ports, torn down
after): the store's scripts, merged views and sync on the cluster, and the whole path (webhook
-> broker -> a real Celery worker -> cluster -> admin API) giving the same suppressions as on
a single Redis."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from app import create_app, stats
from app.config import Settings
from app.store import Store, reports
from app.store.connect import client_from_url
from app.store.sync import SyncStore
from app.sync import sink_lag, sync_sink
from chaos.redis_cluster import LocalCluster, running_cluster
from tests.helpers import (
    ADMIN,
    BASE_MS,
    DAY_MS,
    contact,
    sample_payload,
    soft,
    suppression,
    wait_for,
    zepto_bounce,
)
from tests.integration.sharded import (
    NOW,
    apply_all,
    per_address,
    recording_sink,
    suppressions,
    workload,
)
from tests.integration.workers import celery_process, start_worker, stop

SHARDS = 16
BROKER_DB = 9
PLAIN_DB = 10
HOOK = {"Authorization": "Bearer zepto-secret"}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    with running_cluster(tmp_path_factory.mktemp("redis-cluster"), masters=3) as started:
        yield started


def flush(cluster: LocalCluster) -> None:
    for node in cluster.master_nodes():
        with node.client() as client:
            client.flushall()


@pytest.fixture
def cluster_store(cluster: LocalCluster) -> Iterator[Store]:
    flush(cluster)
    store = Store(client_from_url(cluster.url, decode_responses=True), shards=SHARDS)
    store.check_shards()
    yield store
    store.redis.close()


@pytest.fixture
def plain_store(redis_server: str) -> Iterator[Store]:
    client = redis.Redis.from_url(f"{redis_server}/{PLAIN_DB}", decode_responses=True)
    client.flushdb()
    yield Store(client)
    client.close()


def test_the_cluster_spreads_shards_over_every_master(cluster, cluster_store):
    apply_all(cluster_store, workload(events=300))
    held = {}
    for node in cluster.master_nodes():
        with node.client() as client:
            held[node.port] = client.dbsize()
    assert all(count > 0 for count in held.values()), held


def test_the_same_events_leave_the_same_state_on_the_cluster(cluster_store, plain_store):
    items = workload()
    assert apply_all(cluster_store, items) == apply_all(plain_store, items)
    assert suppressions(cluster_store) == suppressions(plain_store)
    assert cluster_store.suppressed_count() == plain_store.suppressed_count()
    assert per_address(cluster_store.change_log(10_000)) == per_address(
        plain_store.change_log(10_000)
    )
    days = stats.last_days(7, NOW)
    assert reports.day_counts(cluster_store, days, 5) == reports.day_counts(plain_store, days, 5)
    assert reports.top_domains(cluster_store, days, 5) == reports.top_domains(plain_store, days, 5)
    for email in sorted(suppressions(plain_store))[:5]:
        for store in (cluster_store, plain_store):
            assert store.unsuppress(email, "ops", "why", NOW + 1, 7, True) == "removed"
    assert suppressions(cluster_store) == suppressions(plain_store)
    assert len(cluster_store.audit_log(5)) == 5
    state = reports.state_reading(cluster_store)
    assert state.suppressed == plain_store.suppressed_count()
    imported = [{"email": f"i{n}@x.io", "source": "import"} for n in range(40)]
    assert set(cluster_store.suppress_many(imported, "ops", "bulk", NOW)) == {"suppressed"}
    assert cluster_store.suppressed_count() == plain_store.suppressed_count() + 40


def test_the_sync_delivers_every_shard_of_the_cluster(cluster_store, httpserver):
    apply_all(cluster_store, workload(events=300))
    sink, received = recording_sink(httpserver, batch_size=25)
    sync = SyncStore(cluster_store)
    result = sync_sink(sync, sink, lease_ms=60_000, backoff_cap_s=8.0, rng=random.Random(1))
    assert result.status == "caught_up"
    assert sink_lag(sync, "crm", NOW).entries == 0
    added = {entry["email"] for body in received for entry in body["add"]}
    assert added == set(suppressions(cluster_store))
    before = len(cluster_store.change_log(10_000))
    for part in sync.parts():
        part.trim_changes(["crm"])
    # XTRIM MINID keeps each shard's entry at the cursor, and drops everything before it
    assert len(cluster_store.change_log(10_000)) <= SHARDS < before


# -- the whole path ------------------------------------------------------------------------
def scenario(client) -> dict[str, str]:
    """The seed-004 sample, an escalation (three soft bounces on three days), one that stays
    below the threshold (ten on one day), a webhook twice, a batch of 50 recipients and an
    operator's lift: the suppressions it leaves, address -> source."""

    def post(payload):
        response = client.post("/webhooks/zeptomail", json=payload, headers=HOOK)
        assert response.status_code == 202, response.get_json()

    post(sample_payload())
    for n in range(3):
        post(soft("full@example.com", BASE_MS + n * DAY_MS, message_id=f"<m{n}@x>"))
    for n in range(10):
        post(soft("busy@example.com", BASE_MS + n * 60_000, message_id=f"<b{n}@x>"))
    twice = soft("twice@example.com", BASE_MS)
    post(twice)
    post(twice)
    batch = sample_payload()
    item = batch["data"][0]
    batch["data"] = [
        {**item, "contact_email": f"user{n}@zylker.com", "action_time": BASE_MS + n}
        for n in range(50)
    ]
    post(batch)
    post(zepto_bounce("lifted@example.com", BASE_MS))
    wait_for(lambda: suppression(client, "lifted@example.com"))
    lifted = client.delete("/api/v1/suppressions/lifted@example.com", headers=ADMIN,
                           json={"reason": "asked"})  # fmt: skip
    assert lifted.status_code == 200, lifted.get_json()
    post(zepto_bounce("marker@example.com", BASE_MS + 5 * DAY_MS))
    wait_for(lambda: suppression(client, "marker@example.com"))
    wait_for(lambda: suppression(client, "user49@zylker.com"))
    wait_for(lambda: suppression(client, "full@example.com"), timeout=30)
    assert wait_for(lambda: (c := contact(client, "busy@example.com")) and c["events"] == 10)
    assert contact(client, "twice@example.com")["events"] == 1
    found, cursor = {}, None
    while True:
        query = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/suppressions", headers=ADMIN, query_string=query).get_json()
        found.update({r["email"]: r["source"] for r in body["items"]})
        cursor = body.get("next_cursor")
        if not cursor:
            return found


def run_scenario(settings: Settings, shards: int) -> dict[str, str]:
    with redis.Redis.from_url(settings.broker_url) as broker:
        broker.flushdb()
    worker = start_worker(
        settings,
        pool=("--pool", "solo"),
        env_extra={"BOUNCEKEEPER_SHARDS": str(shards)},
    )
    try:
        return scenario(create_app(settings).test_client())
    finally:
        stop(worker)


def test_webhooks_give_the_same_suppressions_on_one_redis_and_on_the_cluster(
    cluster: LocalCluster, redis_server: str, tmp_path: Path
):
    common = {"zeptomail_secret": "zepto-secret", "api_token": "admin-token",
              "broker_url": f"{redis_server}/{BROKER_DB}",
              "broker_timeout_seconds": 1.0}  # fmt: skip
    with redis.Redis.from_url(f"{redis_server}/{PLAIN_DB}") as plain:
        plain.flushdb()
    single = run_scenario(Settings(redis_url=f"{redis_server}/{PLAIN_DB}", **common), 1)
    flush(cluster)
    on_cluster = run_scenario(Settings(redis_url=cluster.url, shards=SHARDS, **common), SHARDS)
    assert on_cluster == single
    assert single["john.doe@zylker.com"] == "hard"
    assert single["full@example.com"] == "escalated"
    assert "busy@example.com" not in single
    assert "lifted@example.com" not in single
    assert len([e for e in single if e.endswith("@zylker.com")]) == 51


def test_beat_and_the_worker_keep_the_heartbeat_on_the_cluster(
    cluster: LocalCluster, redis_server: str
):
    flush(cluster)
    settings = Settings(redis_url=cluster.url, shards=SHARDS,
                        broker_url=f"{redis_server}/{BROKER_DB}")  # fmt: skip
    env = {"REDIS_URL": cluster.url, "BOUNCEKEEPER_SHARDS": str(SHARDS),
           "BOUNCEKEEPER_BROKER_URL": settings.broker_url}  # fmt: skip
    worker = start_worker(settings, pool=("--pool", "solo"), env_extra=env)
    try:
        with celery_process(env, "beat", "--loglevel", "WARNING"):
            store = Store(client_from_url(cluster.url, decode_responses=True), shards=SHARDS)
            wait_for(store.last_heartbeat, timeout=60)
            assert store.redis.exists("bk:{redbeat}::lock")  # beat's lock, in the tag's slot
    finally:
        stop(worker)
